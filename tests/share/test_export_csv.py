"""`lockstep share export --format csv`: Meta's threat-research layout (kill chain strings
verbatim, defanged indicators, asset counts), read back by the same reader as Meta's own files;
pages and groups from campaigns.json when the run has them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lockstep.cli.main import run
from lockstep.share.killchain import steps
from lockstep.share.read import read_tip
from share.share_world import ADMIN, HANDLES, MEMBERS, MIRROR, OWN_DOMAIN, OWN_TAG, share_workspace


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return share_workspace(tmp_path_factory.mktemp("share-csv"))


def test_meta_layout(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "tip.csv"
    assert run(["share", "export", "C1", "--format", "csv", "--out", str(out), "--workspace", str(ws)]) == 0
    rows = _rows(out)
    assert rows[0] == ["Tactic", "Technique", "Procedure", "Indicator", "Notes"]
    known = {(s.tactic, s.technique, s.procedure) for s in steps().values()}
    body = [r for r in rows[1:] if any(r)]
    assert all((r[0], r[1], r[2]) in known for r in body)  # Meta's exact strings, trailing spaces too
    by_indicator = {r[3]: r for r in body}
    assert by_indicator["5 accounts"][2] == "0.9.4 Acquiring X / Twitter accounts"
    assert by_indicator["1 Page"][2] == "0.9.4 Acquiring X / Twitter accounts"
    assert by_indicator["hk-truth-daily[.]com"][2] == "0.6.2 Acquiring domains to support influence operations"
    assert "https://twitter[.]com/HKpoliticalnew" in by_indicator
    assert f"#{OWN_TAG}" in by_indicator
    assert not any(OWN_DOMAIN in r[3] for r in body)  # every domain defanged
    assert not any("popular-news" in r[3] or "youtube" in r[3] for r in body)
    assert out.read_bytes().count(b"\r\n") == len(rows)  # CRLF, as Meta's files


def test_round_trip(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "tip.csv"
    assert run(["share", "export", "C1", "--format", "csv", "--out", str(out), "--workspace", str(ws)]) == 0
    tip = read_tip(out)
    assert {(a.platform, a.handle) for a in tip.assets} == {("twitter", HANDLES[m]) for m in MEMBERS}
    assert {i.value for i in tip.indicators if i.kind == "domain"} == {OWN_DOMAIN}
    assert {i.value for i in tip.indicators if i.kind == "hashtag"} == {OWN_TAG}
    assert tip.counts == {"twitter account": 5, "twitter page": 1}
    assert {"0.6.2", "0.9.4", "3.5.1", "6.2.4", "7.3.1"} <= {t.id for t in tip.techniques}


def test_pages_and_groups_from_campaigns_json(tmp_path: Path) -> None:
    ws = share_workspace(tmp_path / "w", entities_in_campaign=True)
    out, stix_out = tmp_path / "tip.csv", tmp_path / "tip.json"
    for fmt, path in (("csv", out), ("stix", stix_out)):
        assert run(["share", "export", "C1", "--format", fmt, "--out", str(path), "--workspace", str(ws)]) == 0
    body = [r for r in _rows(out)[1:] if any(r)]
    fb = {r[3] for r in body if r[2] == "0.9.1 Acquiring Facebook assets"}
    assert {"1 Page", "1 Group", "https://www[.]facebook[.]com/HKpoliticalnew"} <= fb
    tip = read_tip(stix_out)
    ents = {(a.platform, a.kind, a.id, a.display_name) for a in tip.assets if a.kind != "account"}
    assert ents == {("facebook", "page", "fb-1", "HK Political News"), ("facebook", "group", "fb-2", "HK Loyal")}
    assert tip.reach == {"followers": 1200, "members": 300}
    (admin,) = [a for a in tip.assets if a.role == "admin"]
    assert (admin.id, admin.handle, admin.kind, admin.note) == (ADMIN, "user1001", "account", "admin of page fb-1")
    domains = {i.value for i in tip.indicators if i.kind == "domain"}
    assert domains == {OWN_DOMAIN, MIRROR}  # the stage's characteristic domain, not its popular one
    assert {"T0151.002", "T0151.003"} <= {t.id for t in tip.techniques}
