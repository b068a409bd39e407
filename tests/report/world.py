"""The demo world the report and export tests share: `lockstep simulate --scale 0.02`,
ingested (tweets, users, access logs) and detected, with two pages and a group planted for
members of campaign C001, so reach counts have known answers. Built once per test process."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from lockstep.cli.main import run
from lockstep.model import ENTITIES, MEMBERSHIPS
from lockstep.store import open_workspace

SCALE, SEED = "0.02", "1"
PAGES = {"pg_truth": 2000, "pg_current": 3500}  # page -> followers
GROUP_MEMBERS = 7  # members of the planted group (3 of them campaign members)


@dataclass(frozen=True)
class World:
    root: Path
    sim: Path  # simulator output (tweets.csv, users.csv, access.csv, labels.csv)
    ws: Path
    run: Path  # detect output folder
    campaign: str  # the operation's campaign the tests report on

    def campaign_record(self) -> dict[str, object]:
        return next(c for c in json.loads((self.run / "campaigns.json").read_text()) if c["id"] == self.campaign)

    def members(self) -> list[str]:
        return [str(m) for m in self.campaign_record()["members"]]  # type: ignore[attr-defined]

    def account_rows(self) -> dict[str, dict[str, str]]:
        with (self.run / "accounts.csv").open(newline="", encoding="utf-8") as fh:
            return {r["account_id"]: r for r in csv.DictReader(fh)}


_BUILT: dict[str, World] = {}


def _plant_entities(ws_path: Path, members: list[str]) -> None:
    """Two pages run by the first member, one group joined by three members and four others."""
    now = datetime(2019, 6, 1)
    ents = pa.table({"platform": ["twitter"] * 3, "entity_id": [*PAGES, "grp_loyal"], "kind": ["page", "page", "group"],
                     "name": ["Truth News HK", "HK Current", "Loyal HK"], "description": ["", "", ""],
                     "url": ["", "", ""], "followers": [*PAGES.values(), None], "created_at": [now] * 3,
                     "source_file": ["planted"] * 3, "source_line": [1, 2, 3]}, schema=ENTITIES)
    rows = [("pg_truth", members[0], "admin"), ("pg_current", members[0], "admin")]
    rows += [("grp_loyal", m, "member") for m in members[1:4]] + [("grp_loyal", f"outsider{i}", "member") for i in range(4)]
    mem = pa.table({"platform": ["twitter"] * len(rows), "entity_id": [r[0] for r in rows],
                    "account_id": [r[1] for r in rows], "role": [r[2] for r in rows], "since": [now] * len(rows),
                    "source_file": ["planted"] * len(rows), "source_line": list(range(len(rows)))}, schema=MEMBERSHIPS)
    with open_workspace(ws_path) as ws, ws.transaction():
        ws.stage("entities", ents)
        ws.stage("memberships", mem)
        ws.merge()


def demo_world(root: Path) -> World:
    """Simulate, ingest and detect once; later calls return the same world."""
    if "w" in _BUILT:
        return _BUILT["w"]
    sim, ws, out = root / "sim", root / "ws", root / "run"
    assert run(["simulate", "--out", str(sim), "--scale", SCALE, "--seed", SEED]) == 0
    assert run(["ingest", str(sim / "tweets.csv"), str(sim / "users.csv"), str(sim / "access.csv"),
                "--workspace", str(ws)]) == 0
    assert run(["detect", "--workspace", str(ws), "--out", str(out)]) == 0
    camps = json.loads((out / "campaigns.json").read_text())
    assert camps, "the demo world must hold a detected campaign"
    best = max(camps, key=lambda c: (c.get("score") or 0, c["n_members"]))
    world = World(root=root, sim=sim, ws=ws, run=out, campaign=str(best["id"]))
    _plant_entities(ws, world.members())
    _BUILT["w"] = world
    return world
