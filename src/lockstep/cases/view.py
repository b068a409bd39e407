"""Reading cases back: the list, one case, its history, its subjects' derived status.

All of it is computed from the ledger's events (and the snapshots they cite) on every call;
nothing here writes, so these work on a ledger opened by another process mid-write.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lockstep.errors import UserError
from lockstep.store.ledger import Event, Ledger

from lockstep.cases.state import SubjectStatus, fold


def _case(ledger: Ledger, case_id: str) -> list[Event]:
    evs = ledger.events(case_id)
    if not evs:
        known = [e.case_id for e in ledger.events(kinds=["case.opened"])]
        raise UserError(f"unknown case {case_id!r} (known: {', '.join(known[-20:]) or 'none'})")
    return evs


def history_events(ledger: Ledger, case_id: str) -> list[Event]:
    """The case's events in order (UserError naming known cases when unknown)."""
    return _case(ledger, case_id)


def status(ledger: Ledger, case_id: str) -> list[SubjectStatus]:
    """Every subject of the case with its current state, derived from the events alone."""
    st = fold(_case(ledger, case_id), lambda h: ledger.snapshot(h)["subjects"])
    return [st[k] for k in sorted(st)]


def _summary(evs: list[Event], subjects: list[SubjectStatus]) -> dict[str, Any]:
    opened = next(e for e in evs if e.kind == "case.opened")
    versions = [e for e in evs if e.kind == "case.evidence"]
    return {"id": opened.case_id, "title": opened.data.get("title"), "opened_at": opened.created_at,
            "opened_by": opened.actor, "campaign_id": opened.data.get("campaign_id"),
            "run_id": opened.data.get("run_id"), "versions": len(versions),
            "evidence": versions[-1].data["snapshot"] if versions else None,
            "n_subjects": len(subjects), "states": dict(sorted(Counter(s.state for s in subjects).items())),
            "n_decisions": len({e.data["decision_id"] for e in evs if e.kind == "decision"}),
            "pending_appeals": len({e.data["appeal_id"] for e in evs if e.kind == "appeal.filed"}
                                   - {e.data["appeal_id"] for e in evs if e.kind == "appeal.resolved"})}


def list_cases(ledger: Ledger) -> list[dict[str, Any]]:
    """One summary line per case, oldest first."""
    out = []
    for opened in ledger.events(kinds=["case.opened"]):
        evs = ledger.events(opened.case_id)
        out.append(_summary(evs, list(fold(evs, lambda h: ledger.snapshot(h)["subjects"]).values())))
    return out


def show_case(ledger: Ledger, case_id: str) -> dict[str, Any]:
    """The case, its evidence versions, its decisions and appeals, and its subjects' status."""
    evs = _case(ledger, case_id)
    subjects = status(ledger, case_id)
    decisions: dict[str, dict[str, Any]] = {}
    for e in evs:
        if e.kind == "decision":
            d = decisions.setdefault(e.data["decision_id"], {
                "decision_id": e.data["decision_id"], "action": e.data["action"], "reason": e.data["reason"],
                "by": e.actor, "at": e.created_at, "policy_version": e.data["policy_version"],
                "evidence": e.data["evidence"], "evidence_version": e.data["evidence_version"],
                "automated_decision": e.data["automated_decision"], "n_subjects": 0})
            d["n_subjects"] += 1
    return {**_summary(evs, subjects),
            "evidence_versions": [{"version": e.data["version"], "snapshot": e.data["snapshot"],
                                   "source": e.data["source"], "run_id": e.data.get("run_id"),
                                   "campaign_id": e.data.get("campaign_id"), "n_subjects": e.data["n_subjects"],
                                   "n_edges": e.data["n_edges"], "by": e.actor, "at": e.created_at}
                                  for e in evs if e.kind == "case.evidence"],
            "decisions": list(decisions.values()),
            "subjects": [s.as_dict() for s in subjects]}


def describe(e: Event) -> str:
    """One line of history in plain words."""
    d, who = e.data, f"{e.subject_kind} {e.subject_id}" if e.subject_id else ""
    if e.kind == "case.opened" and d.get("tip") is not None:
        return f"opened on tip {d.get('tip')!r} from {d.get('tip_source') or 'an unknown source'}: {d.get('title')}"
    if e.kind == "case.opened":
        return f"opened on campaign {d.get('campaign_id')} of run {d.get('run_id')}: {d.get('title')}"
    if e.kind == "case.evidence":
        src = f"run {d.get('run_id')} campaign {d.get('campaign_id')}" if d["source"] == "run" else \
            "share match report" if d["source"] == "tip" else "added by hand"
        return f"evidence v{d['version']} ({src}): {d['n_subjects']} subjects, {d['n_edges']} edges, {d['snapshot'][:12]}"
    if e.kind == "decision":
        why = f" for {d['reason']} (policy {d['policy_version']})" if d.get("reason") else ""
        over = f", supersedes {d['overrides']}" if d.get("overrides") else ""
        return f"{d['decision_id']}: {d['action']} {who}{why}, evidence v{d['evidence_version']}{over}"
    if e.kind == "appeal.filed":
        return f"{d['appeal_id']}: appeal by {who} against {d['decision_id']} ({d['overrides']})"
    if e.kind == "appeal.resolved":
        rev = f", reverses {d['reverses']}" if d.get("reverses") else ""
        return f"{d['appeal_id']}: appeal {d['outcome']} for {who}{rev}"
    return e.kind


def history(ledger: Ledger, case_id: str) -> list[dict[str, Any]]:
    """Every event of the case in order, each with a plain-words line."""
    return [{**e.as_dict(), "text": describe(e)} for e in _case(ledger, case_id)]
