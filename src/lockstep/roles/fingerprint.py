"""Fingerprints of known campaigns, from the latest detect run, for scoring new accounts.

A fingerprint is what a new account of the same operation would share with it: the core
accounts and posts it engages with, the days the operation created accounts in bulk, and
the IPs, /24 networks and devices its accounts log in from. The core's posts are every
action of its accounts, as in batch scoring (``lockstep.store.queries.engagement``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lockstep.errors import UserError
from lockstep.outputs.files import EVIDENCE as EVIDENCE_FILE
from lockstep.outputs.read import read_evidence
from lockstep.store.queries.base import has_rows
from lockstep.store.queries.engagement import CoreIndex, core_items
from lockstep.store.queries.infrastructure import ACCESS_KINDS, campaign_access_values
from lockstep.store.queries.profile import campaign_burst_days
from lockstep.store.workspace import Workspace


@dataclass
class Fingerprint:
    campaign_id: str
    score: float
    accounts: set[str] = field(default_factory=set)
    posts: set[str] = field(default_factory=set)
    burst_days: dict[date, int] = field(default_factory=dict)
    infra: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def core_index(fps: dict[str, Fingerprint]) -> CoreIndex:
    """The fingerprints' accounts and posts, for ``queries.engagement.engaged_campaigns``."""
    core = CoreIndex()
    for cid, fp in fps.items():
        for acc in fp.accounts:
            core.accounts[acc] = cid
        for post in fp.posts:
            core.add_item(post, cid)
    return core


def load_fingerprints(ws: Workspace, run_id: str | None = None) -> tuple[str, dict[str, Fingerprint]]:
    """(run id, campaign id -> fingerprint) for the flagged campaigns of a detect run."""
    from lockstep.roles.explain import find_run
    run = find_run(ws, run_id)
    if run is None:
        raise UserError(f"no detect run in {ws.path}: run `lockstep detect --workspace {ws.path}` first")
    path = Path(run["out_dir"]) / EVIDENCE_FILE
    if not path.exists():
        raise UserError(f"{path}: missing; the detect run {run['run_id']} has no roles evidence")
    ev = read_evidence(path.parent)
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
    for action_id, cid in core_items(ws, owner):
        fps[cid].posts.add(action_id)
    for cid, d, n in campaign_burst_days(ws, owner, 3):
        fps[cid].burst_days[d] = n
    if has_rows(ws, "access"):
        for kind in ACCESS_KINDS:
            for cid, val in campaign_access_values(ws, owner, kind):
                fps[cid].infra[kind].add(val)
    return run["run_id"], fps
