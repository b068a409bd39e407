"""`lockstep export transparency`: no raw identifier of a small account anywhere in the
release, large accounts keep theirs, hashes stable under one key; the release check refuses
a leaking release (the 2019 `user_mentions` failure) before anything reaches --out; and the
release ingests back and detection finds the same campaign under the hashes."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import re
import shutil
from pathlib import Path

import pytest

from lockstep.cli.main import run
from lockstep.export.hashing import Pseudonymizer

from report.world import World

from .planted import BIG, M1, M2, raw_large, raw_small, planted_workspace


def _key(tmp_path: Path, name: str = "key", value: str = "k" * 32) -> Path:
    p = tmp_path / name
    p.write_text(value + "\n")
    return p


def _export(ws: Path, out: Path, key: Path, ref: str = "C1") -> int:
    return run(["export", "transparency", ref, "--workspace", str(ws), "--out", str(out), "--key-file", str(key)])


def _hash(key: str, account_id: str) -> str:
    return hmac.new(key.encode(), account_id.encode(), hashlib.sha256).hexdigest()


def test_planted_identifiers_never_reach_the_release(tmp_path: Path) -> None:
    ws = planted_workspace(tmp_path)
    out = tmp_path / "release"
    assert _export(ws, out, _key(tmp_path)) == 0
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "release.json", "tweets.csv", "users.csv"]
    everything = b"".join(p.read_bytes() for p in out.iterdir()).decode("utf-8").lower()
    found = [s for s in raw_small() if s.lower() in everything]
    assert found == []
    for s in raw_large():  # the large accounts (author or named) keep their ids and names
        assert s.lower() in everything, s
    with (out / "tweets.csv").open(newline="", encoding="utf-8") as fh:
        tweets = {r["tweetid"]: r for r in csv.DictReader(fh)}
    assert tweets["9001"]["userid"] == _hash("k" * 32, M1)
    assert tweets["9001"]["user_screen_name"] == tweets["9001"]["user_display_name"] == _hash("k" * 32, M1)
    assert tweets["9003"]["in_reply_to_userid"] == _hash("k" * 32, M1)
    assert tweets["9004"]["userid"] == BIG and tweets["9004"]["user_screen_name"] == "BigOutletNews"
    assert _hash("k" * 32, M2) in tweets["9004"]["tweet_text"]  # the small account's name, hashed in text
    assert "'800000000000000888'" in tweets["9001"]["user_mentions"]
    assert tweets["9002"]["is_retweet"] == "True" and tweets["9002"]["retweet_tweetid"] == "8001"


def test_hashes_are_stable_under_one_key_and_differ_under_another(tmp_path: Path) -> None:
    ws = planted_workspace(tmp_path)
    assert _export(ws, tmp_path / "a", _key(tmp_path)) == 0
    assert _export(ws, tmp_path / "b", _key(tmp_path)) == 0
    assert _export(ws, tmp_path / "c", _key(tmp_path, "other", "z" * 32)) == 0
    a, b, c = ((tmp_path / d / "users.csv").read_text() for d in "abc")
    assert a == b and a != c
    ra, rc = (json.loads((tmp_path / d / "release.json").read_text()) for d in "ac")
    assert ra["key_fingerprint"] != rc["key_fingerprint"] and ra["threshold"] == 5000


@pytest.mark.parametrize("hole, column", [("mention", "user_mentions"), ("text", None)])
def test_release_check_refuses_a_leak_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        hole: str, column: str | None) -> None:
    ws = planted_workspace(tmp_path)
    monkeypatch.setattr(Pseudonymizer, hole, lambda self, value: value or "")  # a hashing step that forgets a place
    out = tmp_path / "release"
    assert _export(ws, out, _key(tmp_path)) == 2
    err = " ".join(capsys.readouterr().err.split())
    m = re.search(r"release check failed, nothing written: (\S+): row (\d+), column (\w+): raw identifier '([^']+)'", err)
    assert m, err
    assert m.group(1) in ("tweets.csv", "users.csv") and m.group(4) in raw_small()
    if column is not None:
        assert (m.group(1), m.group(3)) == ("tweets.csv", column)
    assert not out.exists()


def test_key_file_too_short_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = planted_workspace(tmp_path)
    assert _export(ws, tmp_path / "r", _key(tmp_path, "short", "abc")) == 2
    assert "--key-file" in capsys.readouterr().err and not (tmp_path / "r").exists()


def test_release_round_trips_through_ingest_and_detect(world: World, tmp_path: Path) -> None:
    """Detection on the release finds the campaign structure of the original data, under the
    hashes. Both sides run the signals that judge a pair on its own actions (seconds-scale
    co-action); co_repost_slow measures rarity and chance against the whole platform, which a
    release of one operation no longer holds (docs/report.md); for the same reason both sides
    keep every edge (``--fdr 1``): in a release of one operation nothing it shares is rare, so
    the chance cut would judge its seconds-scale edges chance-level (docs/detection.md)."""
    from lockstep.signals import DEFAULT_SIGNALS

    key = _key(tmp_path, value="round-trip-key-0123456789")
    rel = tmp_path / "release"
    assert _export(world.ws, rel, key, world.campaign) == 0
    signals = ",".join(s for s in DEFAULT_SIGNALS if s != "co_repost_slow")
    run1, ws1, ws2, run2 = tmp_path / "run1", tmp_path / "ws1", tmp_path / "ws2", tmp_path / "run2"
    shutil.copytree(world.ws, ws1)  # a copy: a run recorded in the shared world would become its latest
    assert run(["detect", "--workspace", str(ws1), "--out", str(run1), "--signals", signals, "--no-roles",
                "--fdr", "1"]) == 0
    assert run(["ingest", str(rel / "tweets.csv"), str(rel / "users.csv"), "--workspace", str(ws2)]) == 0
    assert run(["detect", "--workspace", str(ws2), "--out", str(run2), "--signals", signals, "--no-roles",
                "--fdr", "1"]) == 0
    with (rel / "users.csv").open(newline="", encoding="utf-8") as fh:
        kept = {r["userid"] for r in csv.DictReader(fh)}
    subject = set(world.members())
    before = [{m if m in kept else _hash("round-trip-key-0123456789", m) for m in c["members"] if m in subject}
              for c in json.loads((run1 / "campaigns.json").read_text())]
    before = [c for c in before if len(c) >= 3]
    again = [set(c["members"]) for c in json.loads((run2 / "campaigns.json").read_text())]
    assert before and sorted(map(sorted, before)) == sorted(map(sorted, again))  # same campaigns, same members
    released = set().union(*before)
    assert any(len(m) == 64 for m in released) and any(m in kept for m in released)


def test_a_case_is_released_like_its_campaign(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lockstep.cases.service import open_case
    from lockstep.outputs import read_run
    from lockstep.store.ledger import open_ledger, resolve_url

    ws = planted_workspace(tmp_path)
    led = open_ledger(resolve_url(ws))
    try:
        case_id = open_case(led, read_run(tmp_path / "run"), "C1", "tester").case_id
    finally:
        led.close()
    key = _key(tmp_path)
    assert case_id == "C1"  # the planted campaign's id too: the bare id is refused as ambiguous
    assert _export(ws, tmp_path / "either", key, "C1") == 2
    assert _export(ws, tmp_path / "by-case", key, f"case:{case_id}") == 0
    assert _export(ws, tmp_path / "by-campaign", key, "campaign:C1") == 0
    for name in ("tweets.csv", "users.csv"):
        assert (tmp_path / "by-case" / name).read_bytes() == (tmp_path / "by-campaign" / name).read_bytes()
    assert json.loads((tmp_path / "by-case" / "release.json").read_text())["subject"] == f"case {case_id}"
    assert "say campaign:C1 or case:C1" in " ".join(capsys.readouterr().err.split())
    assert not (tmp_path / "either").exists()
