"""`lockstep share export` on a real detection run: the demo world the report tests share
(simulated, ingested, detected; two pages planted for the operation). The bundle validates,
names every member, carries the operation's own domains (by share of the accounts linking them,
or as the entities stage marked them) and none of the sites ordinary users share, fingerprints narratives that many members pushed, and lists DISARM techniques of the
current framework; the Meta CSV counts the same accounts and pages."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest
import stix2

from lockstep.cli.main import run
from lockstep.share.disarm import framework
from lockstep.share.read import read_tip
from lockstep.simulate.vocab import OP_DOMAINS, SPAM_DOMAINS
from report.world import World, demo_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return demo_world(tmp_path_factory.mktemp("share-demo-world"))


def _sharers(world: World) -> dict[str, set[str]]:
    """domain -> accounts linking it, read from the simulator's tweets.csv (not from the workspace)."""
    out: dict[str, set[str]] = {}
    with (world.sim / "tweets.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for u in ast.literal_eval(row["urls"]) if row.get("urls", "").startswith("[") else []:
                host = u.split("/")[2].lower().removeprefix("www.") if "://" in u else ""
                if host:
                    out.setdefault(host, set()).add(row["userid"])
    return out


def test_export_on_a_detected_campaign(world: World, tmp_path: Path) -> None:
    out, out_csv = tmp_path / "tip.json", tmp_path / "tip.csv"
    for fmt, path in (("stix", out), ("csv", out_csv)):
        assert run(["share", "export", world.campaign, "--format", fmt, "--out", str(path),
                    "--workspace", str(world.ws)]) == 0
    stix2.parse(out.read_text(encoding="utf-8"), allow_custom=True)
    tip = read_tip(out)
    members = set(world.members())
    assert {a.id for a in tip.assets if a.kind == "account"} == members
    assert {(a.kind, a.id) for a in tip.assets if a.kind != "account"} == {("page", "pg_truth"), ("page", "pg_current")}
    domains = {i.value for i in tip.indicators if i.kind == "domain"}
    assert domains and domains <= set(OP_DOMAINS) | set(SPAM_DOMAINS)
    sharers = _sharers(world)
    stage = {str(r["domain"]) for r in world.campaign_record().get("domains") or []  # type: ignore[attr-defined]
             if r.get("characteristic")}
    for d in domains - stage:  # the network's own: at least half of the accounts linking it are members
        assert len(sharers[d] & members) * 2 >= len(sharers[d]), d
    popular = max(sharers, key=lambda d: len(sharers[d]))
    if len(sharers[popular] & members) * 2 < len(sharers[popular]):
        assert popular not in domains
    texts = [i for i in tip.indicators if i.kind == "text"]
    assert texts and all(len(t.fingerprint) == 64 for t in texts)
    assert not any(t.value.startswith("RT @") for t in texts)
    fw = framework()
    ids = {t.id for t in tip.techniques}
    assert "T0049.003" in ids and ids <= set(fw)
    assert not ids & {"T0007", "T0090", "T0099"}  # retired ids never leave
    rows = list(csv.reader(out_csv.open(encoding="utf-8", newline="")))
    assert [f"{len(members)} accounts", "2 Pages"] == [r[3] for r in rows if r[3].endswith(("accounts", "Pages"))]
