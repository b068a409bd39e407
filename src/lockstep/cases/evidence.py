"""Evidence snapshots: what a case version rests on, stored once under its sha256.

A run snapshot holds the campaign as campaigns.json has it, its rows of accounts.csv, the
edges of edges.csv between its members, and the run's params.json; its subjects are the
campaign's accounts, pages and groups (the pages and groups, and the accounts running them,
from the entities stage); a manual snapshot holds
the accounts, pages or groups an investigator added and where they came from. The hash is
over the canonical JSON (:func:`lockstep.store.ledger.canonical`), so a decision that names
it names exactly this evidence, and ``ledger verify`` can check it was not changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from lockstep.errors import UserError
from lockstep.outputs import RunFiles, read_run
from lockstep.store.ledger import canonical, sha256

SCHEMA = "lockstep.evidence/1"
SUBJECT_KINDS = ("account", "page", "group")


@dataclass(frozen=True)
class Snapshot:
    hash: str
    data: bytes
    record: dict[str, Any]

    @property
    def subjects(self) -> dict[str, list[str]]:
        subjects = self.record["subjects"]
        assert isinstance(subjects, dict)
        return subjects

    @property
    def n_subjects(self) -> int:
        return sum(len(v) for v in self.subjects.values())


def _make(record: dict[str, Any]) -> Snapshot:
    data = canonical(record)
    return Snapshot(sha256(data), data, record)


def read_detect_run(out_dir: Path) -> RunFiles:
    """The one place cases read a detection run's folder."""
    return read_run(out_dir)


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return [dict(r) for r in table.to_pylist()]


def run_snapshot(run: RunFiles, campaign_id: str) -> Snapshot:
    """The evidence of one campaign of ``run``."""
    camp = run.campaign(campaign_id)
    members = {str(m) for m in camp.get("members", [])}
    acc = run.accounts
    if "campaign_id" in acc.column_names:
        in_camp = pc.equal(acc["campaign_id"], pa.scalar(campaign_id))
        in_members = pc.is_in(acc["account_id"], value_set=pa.array(sorted(members), pa.string()))
        acc = acc.filter(pc.or_(pc.fill_null(in_camp, False), in_members))
    accounts = sorted(_rows(acc), key=lambda r: (str(r.get("account_id")), str(r.get("campaign_id"))))
    members |= {str(r["account_id"]) for r in accounts if str(r.get("campaign_id", "")) == campaign_id}
    if not members:
        raise UserError(f"campaign {campaign_id!r} of run {run.run_id} has no members")
    ms = pa.array(sorted(members), pa.string())
    edges = run.edges
    if edges.num_rows:
        edges = edges.filter(pc.and_(pc.is_in(edges["account_a"], value_set=ms),
                                     pc.is_in(edges["account_b"], value_set=ms)))
    edge_rows = sorted(_rows(edges), key=lambda r: (str(r.get("account_a")), str(r.get("account_b")),
                                                     str(r.get("signal"))))
    return _make({"schema": SCHEMA, "source": {"kind": "run", "run_id": run.run_id, "campaign_id": campaign_id},
                  "campaign": camp, "params": run.params, "accounts": accounts, "edges": edge_rows,
                  "subjects": run_subjects(camp, members)})


def run_subjects(camp: dict[str, Any], members: set[str]) -> dict[str, list[str]]:
    """A campaign's subjects: its pages and groups (a channel is filed as a group, as tip cases do) from the
    entities stage (campaigns.json ``entities``), and its accounts: the members that are not
    pages posting as accounts, plus the accounts that run its pages and groups (``admins``)."""
    pages: set[str] = set()
    groups: set[str] = set()
    for e in camp.get("entities") or []:
        if not isinstance(e, dict) or not e.get("entity_id"):
            continue
        (groups if e.get("kind") in ("group", "channel") else pages).add(str(e["entity_id"]))
    admins = {str(a["entity_id"]) for a in camp.get("admins") or [] if isinstance(a, dict) and a.get("entity_id")}
    return {"account": sorted((members - pages) | admins), "page": sorted(pages), "group": sorted(groups)}


def manual_snapshot(subjects: dict[str, list[str]], sources: dict[str, str]) -> Snapshot:
    """Subjects an investigator added by hand (``sources``: kind -> file name)."""
    return _make({"schema": SCHEMA, "source": {"kind": "manual", "files": dict(sorted(sources.items()))},
                  "subjects": {k: sorted(set(subjects.get(k, []))) for k in SUBJECT_KINDS}})


def best_campaign(run: RunFiles, accounts: set[str]) -> str:
    """The campaign of ``run`` sharing the most members with ``accounts`` (a case growing)."""
    best, best_n = None, 0
    for c in run.campaigns:
        n = len(accounts & {str(m) for m in c.get("members", [])})
        if n > best_n:
            best, best_n = str(c.get("id")), n
    if best is None:
        raise UserError(f"no campaign of run {run.run_id} shares a member with this case;"
                        " name one with --campaign")
    return best
