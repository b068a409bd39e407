"""Each JSON reader on genuine public samples (tests/fixtures/genuine/, provenance in
tests/fixtures/README.md), with exact counts: what is read, stored, quarantined, and by kind.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lockstep.ingest import ingest_paths
from lockstep.store import open_workspace

from ingest_helpers import FIXTURES

GENUINE = FIXTURES / "genuine"

# file -> (format, main table, read, stored, duplicate, quarantined, {kind: actions}, accounts stored)
EXPECTED = {
    "twarc2_streaming_output_with_error.jsonl": ("twarc2", "actions", 12, 11, 0, 1,
                                                 {"post": 7, "quote": 1, "reply": 3}, 11),
    "twarc2_two_tweets.jsonl": ("twarc2", "actions", 2, 2, 0, 0, {"post": 1, "repost": 1}, 2),
    "twarc2_quoted_edit.jsonl": ("twarc2", "actions", 4, 3, 1, 0, {"post": 2, "reply": 1}, 2),
    "twarc2_cotweet.jsonl": ("twarc2", "actions", 2, 1, 1, 0, {"post": 1}, 1),
    "twarc2_flat_head5.jsonl": ("twarc2", "actions", 8, 8, 0, 0, {"post": 3, "reply": 4, "repost": 1}, 5),
    "twarc2_users.jsonl": ("twarc2", "actions", 52, 52, 0, 0, {"post": 45, "quote": 6, "repost": 1}, 91),
    "v1_home_timeline.json": ("twitter-v1", "actions", 22, 22, 0, 0, {"post": 17, "reply": 2, "repost": 3}, 5),
    "v1_search.jsonl": ("twitter-v1", "actions", 21, 21, 0, 0, {"post": 14, "reply": 1, "repost": 6}, 14),
    "mastodon_public_timeline.json": ("mastodon", "actions", 20, 20, 0, 0, {"post": 18, "reply": 2}, 19),
    "mastodon_followers.json": ("mastodon", "accounts", 3, 3, 0, 0, {}, 3),
    "twarc2csv_stream.csv": ("twarc2-csv", "actions", 7, 7, 0, 0, {"post": 3, "quote": 1, "reply": 3}, 7),
    "twarc2csv_flat.csv": ("twarc2-csv", "actions", 5, 5, 0, 0, {"post": 2, "reply": 2, "repost": 1}, 5),
}


def test_every_genuine_sample_is_covered() -> None:
    from test_genuine_formats import EXPECTED as LATER  # the samples of genuine/PROVENANCE.md

    names = sorted(p.name for p in GENUINE.iterdir() if p.is_file() and p.name != "PROVENANCE.md")
    assert names == sorted([*EXPECTED, *LATER])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_genuine_sample_exact_counts(name: str, tmp_path: Path) -> None:
    fmt, primary, read, stored, dup, bad, kinds, accounts = EXPECTED[name]
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest_paths(ws, [GENUINE / name], progress=False).files[0]  # detected, not forced
        got_kinds = dict(ws.con.execute("SELECT kind, count(*) FROM actions GROUP BY 1").fetchall())
        n_accounts = ws.count("accounts")
    assert f.error is None and f.format == fmt and f.primary == primary
    assert (f.rows_read, f.rows_stored, f.rows_duplicate, f.rows_quarantined) == (read, stored, dup, bad)
    assert got_kinds == kinds and n_accounts == accounts


def test_twarc2_stream_lines_and_the_broken_line(tmp_path: Path) -> None:
    path = GENUINE / "twarc2_streaming_output_with_error.jsonl"
    lines = path.read_text().splitlines()
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest_paths(ws, [path], progress=False).files[0]
        got = set(ws.con.execute("SELECT action_id, source_line FROM actions").fetchall())
    for n, line in enumerate(lines, start=1):
        try:
            tweet = json.loads(line)["data"]
        except ValueError:
            assert f.quarantine_file and f"{n},," in Path(f.quarantine_file).read_text()
            continue
        assert (tweet["id"], n) in got  # each stream tweet at its own line


def test_twarc2_csv_matches_the_json_it_was_made_from(tmp_path: Path) -> None:
    """twarc-csv wrote twarc2csv_flat.csv from twarc2_flat_head5.jsonl: the same tweets, kinds
    and targets either way (the JSON also stores the retweeted original)."""
    sql = "SELECT action_id, account_id, kind, target_id, timestamp FROM actions ORDER BY 1"
    with open_workspace(tmp_path / "a") as ws:
        ingest_paths(ws, [GENUINE / "twarc2csv_flat.csv"], progress=False)
        from_csv = ws.con.execute(sql).fetchall()
    with open_workspace(tmp_path / "b") as ws:
        ingest_paths(ws, [GENUINE / "twarc2_flat_head5.jsonl"], progress=False)
        from_json = ws.con.execute(sql).fetchall()
    assert set(from_csv) <= set(from_json) and len(from_csv) == 5


def test_twitter_v1_retweet_targets_the_original(tmp_path: Path) -> None:
    tweets = [json.loads(x) for x in (GENUINE / "v1_search.jsonl").read_text().splitlines()]
    rt = next(t for t in tweets if "retweeted_status" in t)
    with open_workspace(tmp_path / "ws") as ws:
        ingest_paths(ws, [GENUINE / "v1_search.jsonl"], progress=False)
        row = ws.con.execute("SELECT kind, target_id, target_account_id FROM actions WHERE action_id = ?",
                             [rt["id_str"]]).fetchone()
        original = ws.con.execute("SELECT account_id FROM actions WHERE action_id = ?",
                                  [rt["retweeted_status"]["id_str"]]).fetchone()
    assert row == ("repost", rt["retweeted_status"]["id_str"], rt["retweeted_status"]["user"]["id_str"])
    assert original == (rt["retweeted_status"]["user"]["id_str"],)


def test_mastodon_reply_and_text(tmp_path: Path) -> None:
    statuses = json.loads((GENUINE / "mastodon_public_timeline.json").read_text())
    reply = next(s for s in statuses if s.get("in_reply_to_id"))
    with open_workspace(tmp_path / "ws") as ws:
        ingest_paths(ws, [GENUINE / "mastodon_public_timeline.json"], progress=False)
        row = ws.con.execute("SELECT kind, target_id, target_account_id, account_id, text FROM actions"
                             " WHERE action_id = ?", [reply["id"]]).fetchone()
    assert row is not None and row[:4] == ("reply", reply["in_reply_to_id"], reply["in_reply_to_account_id"],
                                           reply["account"]["id"])
    assert "<p>" not in (row[4] or "")


def test_telegram_export(tmp_path: Path) -> None:
    """A hand-written export in Telegram Desktop's layout (no genuine public sample was found)."""
    path = FIXTURES / "telegram_export.json"
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest_paths(ws, [path], progress=False).files[0]
        rows = ws.con.execute("SELECT action_id, kind, target_id, target_account_id, hashtags, urls, entity_id,"
                              " source_line FROM actions ORDER BY source_line").fetchall()
        ent = ws.con.execute("SELECT entity_id, kind, name FROM entities").fetchall()
    lines = path.read_text().splitlines()
    starts = [i + 1 for i, ln in enumerate(lines) if ln == "  {"]  # each message's first line
    assert (f.format, f.rows_read, f.rows_stored, f.rows_quarantined) == ("telegram", 4, 3, 1)
    assert rows == [
        ("1234567890/2", "post", None, None, ["hongkong"], ["https://example.com/story"], "1234567890", starts[1]),
        ("1234567890/3", "repost", None, "Another Channel", [], [], "1234567890", starts[2]),
        ("1234567890/4", "reply", "1234567890/2", None, [], [], "1234567890", starts[3]),
    ]
    assert ent == [("1234567890", "channel", "Example News Channel")]
