"""Fingerprints of known campaigns, from the latest detect run, for scoring new accounts.

A fingerprint is what a new account of the same operation would share with it: the core
accounts and posts it engages with, the days the operation created accounts in bulk, and
the IPs, /24 networks and devices its accounts log in from.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa

from lockstep.accounts.base import has_rows
from lockstep.errors import UserError
from lockstep.roles.inputs import EVIDENCE_FILE
from lockstep.store.workspace import Workspace


@dataclass
class Fingerprint:
    campaign_id: str
    score: float
    accounts: set[str] = field(default_factory=set)
    posts: set[str] = field(default_factory=set)
    burst_days: dict[date, int] = field(default_factory=dict)
    infra: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def load_fingerprints(ws: Workspace, run_id: str | None = None) -> tuple[str, dict[str, Fingerprint]]:
    """(run id, campaign id -> fingerprint) for the flagged campaigns of a detect run."""
    from lockstep.roles.explain import find_run
    run = find_run(ws, run_id)
    if run is None:
        raise UserError(f"no detect run in {ws.path}: run `lockstep detect --workspace {ws.path}` first")
    path = Path(run["out_dir"]) / EVIDENCE_FILE
    if not path.exists():
        raise UserError(f"{path}: missing; the detect run {run['run_id']} has no roles evidence")
    ev = json.loads(path.read_text(encoding="utf-8"))
    fps: dict[str, Fingerprint] = {}
    for cid, c in ev.get("campaigns", {}).items():
        if c.get("flagged"):
            fps[cid] = Fingerprint(cid, float(c["score"]))
    owner: dict[str, str] = {}
    for acc, a in ev.get("accounts", {}).items():
        if a.get("flagged") and a.get("campaign_id") in fps:
            fps[a["campaign_id"]].accounts.add(acc)
            owner[acc] = a["campaign_id"]
    if not owner:
        return run["run_id"], fps
    ws.con.register("_owner", pa.table({"account_id": list(owner), "campaign_id": list(owner.values())}))
    for acc_id, cid, action_id in ws.con.execute(
            "SELECT a.account_id, o.campaign_id, a.action_id FROM actions a JOIN _owner o USING (account_id)"
            " WHERE a.kind IN ('post', 'quote', 'link', 'reply')").fetchall():
        fps[cid].posts.add(action_id)
    for cid, d, n in ws.con.execute(
            "SELECT o.campaign_id, CAST(ac.created_at AS DATE), count(*) FROM accounts ac"
            " JOIN _owner o USING (account_id) WHERE ac.created_at IS NOT NULL GROUP BY 1, 2"
            " HAVING count(*) >= 3").fetchall():
        fps[cid].burst_days[d] = int(n)
    if has_rows(ws, "access"):
        for kind in ("ip", "network", "device"):
            for cid, val in ws.con.execute(
                    f"SELECT DISTINCT o.campaign_id, x.{kind} FROM access x JOIN _owner o USING (account_id)"
                    f" WHERE x.{kind} IS NOT NULL AND x.{kind} <> ''").fetchall():
                fps[cid].infra[kind].add(val)
    ws.con.unregister("_owner")
    return run["run_id"], fps
