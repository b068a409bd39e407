"""What a report or a release is about: a campaign of a detection run, or a case of the ledger.

Why one resolver: ``lockstep report`` and ``lockstep export`` both take CAMPAIGN_OR_CASE, and
both must rest on the same accounts and evidence. A campaign is named by its ``id`` in
campaigns.json of the workspace's latest detect run (or ``--run``); a case by its case id,
whose newest evidence version (the snapshot the ledger holds) names its accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lockstep.errors import UserError
from lockstep.outputs import RunFiles, read_run, run_dir
from lockstep.store.workspace import Workspace


@dataclass(frozen=True)
class Subject:
    """The accounts of one campaign or case and the evidence detection recorded for them.

    ``accounts``: their rows of accounts.csv (role, score, evidence); ``edges``: rows of
    edges.csv between them; ``assessment``: the campaign's scored evidence (attribution
    signals) from account_evidence.json, empty when roles did not run or the run is gone."""

    kind: str  # campaign | case
    id: str
    run_id: str
    members: list[str]
    campaign: dict[str, Any]
    accounts: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    params: dict[str, Any]
    assessment: dict[str, Any] = field(default_factory=dict)
    account_evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.id}"

    def roles(self) -> dict[str, str]:
        """Each member's role as accounts.csv has it ("unjudged" when empty)."""
        by = {str(r.get("account_id")): str(r.get("role") or "") for r in self.accounts}
        return {m: by.get(m) or "unjudged" for m in self.members}


def _from_run(run: RunFiles, cid: str) -> Subject:
    camp = run.campaign(cid)
    members = [str(m) for m in camp.get("members", [])]
    ms = set(members)
    accounts = [r for r in run.accounts.to_pylist() if str(r.get("account_id")) in ms]
    edges = [r for r in run.edges.to_pylist() if str(r.get("account_a")) in ms and str(r.get("account_b")) in ms]
    ev = run.evidence
    return Subject(kind="campaign", id=cid, run_id=run.run_id, members=members, campaign=camp, accounts=accounts,
                   edges=edges, params=run.params, assessment=dict(ev.get("campaigns", {}).get(cid, {})),
                   account_evidence={a: v for a, v in ev.get("accounts", {}).items() if a in ms})


def _case(ws_path: Path, ledger_url: str | None, ref: str) -> dict[str, Any] | None:
    """The newest evidence snapshot of case ``ref`` (None when the ledger has no such case)."""
    from lockstep.store.ledger import open_ledger, resolve_url
    url = resolve_url(ws_path, ledger_url)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        return None
    led = open_ledger(url)
    try:
        versions = led.events(ref, kinds=["case.evidence"])
        if not versions:
            return None
        snap = led.snapshot(versions[-1].data["snapshot"])
        return dict(snap) if isinstance(snap, dict) else None
    finally:
        led.close()


def resolve(ws: Workspace, ref: str, run: str | None = None, ledger: str | None = None) -> Subject:
    """The campaign ``ref`` of the run (default: latest) or the case ``ref`` of the ledger;
    ``campaign:ID`` or ``case:ID`` says which when an id names both (UserError then)."""
    kind, _, bare = ref.partition(":") if ref.startswith(("campaign:", "case:")) else ("", "", ref)
    run_files: RunFiles | None = None
    try:
        run_files = read_run(Path(run)) if run is not None and Path(run).is_dir() else read_run(run_dir(ws, run))
    except UserError:
        if run is not None or kind == "campaign":
            raise
    is_campaign = kind != "case" and run_files is not None and any(str(c.get("id")) == bare
                                                                   for c in run_files.campaigns)
    snap = _case(ws.path, ledger, bare) if kind != "campaign" else None
    if is_campaign and snap is not None:
        raise UserError(f"{bare!r} names both a campaign of run {run_files.run_id if run_files else ''} and a case;"
                        f" say campaign:{bare} or case:{bare}")
    if is_campaign and run_files is not None:
        return _from_run(run_files, bare)
    if snap is None:
        known = [str(c.get("id")) for c in (run_files.campaigns if run_files else [])][:20]
        where = f"run {run_files.run_id}" if run_files else f"{ws.path} (no detection run)"
        raise UserError(f"{bare!r} is neither a campaign of {where} (known: {', '.join(known) or 'none'})"
                        " nor a case in the ledger (see `lockstep case list`)")
    return _from_snapshot(ws, bare, snap)


def _from_snapshot(ws: Workspace, case_id: str, snap: dict[str, Any]) -> Subject:
    members = [str(a) for a in snap.get("subjects", {}).get("account", [])]
    if not members:
        raise UserError(f"case {case_id} names no accounts (its newest evidence holds only pages or groups)")
    source = snap.get("source", {})
    camp = dict(snap.get("campaign") or {"id": case_id, "members": members, "n_members": len(members)})
    assessment: dict[str, Any] = {}
    acc_ev: dict[str, Any] = {}
    run_id = str(source.get("run_id") or "")
    if run_id:  # the run's scored evidence, when its folder is still there
        try:
            files = read_run(run_dir(ws, run_id))
            assessment = dict(files.evidence.get("campaigns", {}).get(str(source.get("campaign_id")), {}))
            acc_ev = {a: v for a, v in files.evidence.get("accounts", {}).items() if a in set(members)}
        except UserError:
            pass
    return Subject(kind="case", id=case_id, run_id=run_id, members=members, campaign=camp,
                   accounts=list(snap.get("accounts", [])), edges=list(snap.get("edges", [])),
                   params=dict(snap.get("params") or {}), assessment=assessment, account_evidence=acc_ev)


def run_subjects(ws: Workspace, run: str | None = None, min_size: int = 0) -> list[Subject]:
    """Every campaign of the run (default: latest) with at least ``min_size`` members."""
    files = read_run(Path(run)) if run is not None and Path(run).is_dir() else read_run(run_dir(ws, run))
    return [_from_run(files, str(c.get("id"))) for c in files.campaigns
            if len(c.get("members", [])) >= min_size]
