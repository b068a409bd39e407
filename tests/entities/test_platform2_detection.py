"""Issue 15: on the second platform, a campaign holds the operation's pages, groups and fake
admins (with the links that connect them and its reach), never a look-alike news page."""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from lockstep.cli.main import run as cli

Run = tuple[Path, dict[str, Any]]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _op_campaign(work: Path) -> dict[str, Any]:
    camps = json.loads((work / "run" / "campaigns.json").read_text(encoding="utf-8"))
    with_entities = [c for c in camps if c.get("entities")]
    assert len(with_entities) == 1, [c["id"] for c in camps]
    return dict(with_entities[0])


def test_pages_groups_and_fake_admins_found_no_lookalike(p2run: Run) -> None:
    _work, res = p2run
    for kind in ("page", "group", "account"):
        assert res[kind]["truth"] > 0, (kind, res)
        assert res[kind]["precision"] >= 0.9 and res[kind]["recall"] >= 0.9, (kind, res[kind])
    assert res["lookalikes"] == 5
    assert res["lookalikes_in_campaigns"] == []


def test_campaign_links_and_reach_agree_with_the_platform_files(p2run: Run) -> None:
    work, _res = p2run
    camp = _op_campaign(work)
    p2 = work / "world" / "platform2"
    ents = {r["entity_id"]: r for r in _csv(p2 / "entities.csv")}
    links = {e["entity_id"]: {lk["link"] for lk in e["links"]} for e in camp["entities"]}
    pages = [e for e in camp["entities"] if e["kind"] == "page"]
    groups = [e for e in camp["entities"] if e["kind"] == "group"]
    assert pages and groups
    assert all("acts_as_account" in links[p["entity_id"]] for p in pages)  # pages post as members
    assert all(p["entity_id"] in camp["members"] for p in pages)
    assert all("posted_into" in links[g["entity_id"]] for g in groups)
    for e in camp["entities"]:  # names, urls and sizes come from entities.csv
        assert e["name"] == ents[e["entity_id"]]["name"] and e["url"] == ents[e["entity_id"]]["url"]
        assert e["followers"] == int(ents[e["entity_id"]]["followers"])
        assert e["evidence"]
    gids = {g["entity_id"] for g in groups}
    members = {r["account_id"] for r in _csv(p2 / "memberships.csv") if r["entity_id"] in gids}
    assert camp["reach"] == {"followers": sum(p["followers"] for p in pages), "members": len(members)}
    admins = {r["account_id"] for r in _csv(p2 / "memberships.csv")
              if r["role"] == "admin" and r["entity_id"] in links}
    assert {a["entity_id"] for a in camp["admins"]} == admins
    assert any(d["characteristic"] for d in camp["domains"])


def test_entities_csv_is_the_campaign_records_one_row_per_link(p2run: Run) -> None:
    work, _res = p2run
    camp = _op_campaign(work)
    rows = _csv(work / "run" / "entities.csv")
    want = sorted((camp["id"], e["entity_id"], e["kind"], lk["link"])
                  for e in [*camp["entities"], *camp["admins"]] for lk in e["links"])
    assert sorted((r["campaign_id"], r["entity_id"], r["kind"], r["link"]) for r in rows) == want
    assert all(r["platform"] == "facebook" and r["evidence"] for r in rows)


def test_case_on_the_campaign_lists_pages_and_groups(p2run: Run, tmp_path: Path) -> None:
    work, _res = p2run
    camp = _op_campaign(work)
    ws = ["--workspace", str(work / "ws")]
    assert cli(["case", "open", "--campaign", camp["id"], "--run", str(work / "run"), "--by", "ana",
                "--title", "platform2", *ws]) == 0
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli(["case", "show", "C1", "--json", *ws]) == 0
    shown = json.loads(buf.getvalue())
    by_kind: dict[str, set[str]] = {}
    for s in shown["subjects"]:
        by_kind.setdefault(s["kind"], set()).add(s["id"])
    assert by_kind["page"] == {e["entity_id"] for e in camp["entities"] if e["kind"] == "page"}
    assert by_kind["group"] == {e["entity_id"] for e in camp["entities"] if e["kind"] == "group"}
    # the fake admins are accounts of the case; the pages are not filed twice as accounts
    assert {a["entity_id"] for a in camp["admins"]} <= by_kind["account"]
    assert not by_kind["account"] & by_kind["page"]
