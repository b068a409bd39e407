"""Case commands as library functions: open, grow, decide, appeal, resolve.

Every function checks what it depends on inside the ledger's write lock (see
:meth:`lockstep.store.ledger.Ledger.append`) and returns a :class:`Recorded`. A retried
call with the same ``request_id`` returns the first call's events and acts no further.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from lockstep.errors import UserError
from lockstep.outputs import RunFiles
from lockstep.store.ledger import Event, Ledger, NewEvent, Txn, canonical, sha256

from lockstep.cases.evidence import SCHEMA, SUBJECT_KINDS, Snapshot, best_campaign, manual_snapshot, run_snapshot
from lockstep.cases.policy import Policy
from lockstep.cases.state import ACTIONS, OUTCOMES, RESTRICTIVE, SubjectStatus, case_subjects, fold

Snaps = dict[str, tuple[str, bytes]]
CASE_KINDS = ("case.opened", "case.evidence")


@dataclass(frozen=True)
class Recorded:
    """What one command wrote (``replayed``: a retried request id, nothing new written)."""

    case_id: str
    events: list[Event]
    replayed: bool = False
    ids: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.case_id, "case_id": self.case_id, "replayed": self.replayed, **self.ids,
                "events": [e.as_dict() for e in self.events]}


def _digest(**command: Any) -> str:
    return sha256(canonical(command))


def _need(value: str, flag: str) -> str:
    if not value or not value.strip():
        raise UserError(f"{flag} is required (who is acting)")
    if len(value.strip()) > 256:
        raise UserError(f"{flag} must be at most 256 characters")
    return value.strip()


def _case_events(txn: Txn, case_id: str) -> list[Event]:
    evs = txn.events(case_id, kinds=CASE_KINDS)
    if not any(e.kind == "case.opened" for e in evs):
        known = [e.case_id for e in txn.events(kinds=["case.opened"])]
        raise UserError(f"unknown case {case_id!r} (known: {', '.join(known[-20:]) or 'none'})")
    return evs


def _subjects_of(txn: Txn) -> Any:
    return lambda h: txn.snapshot(h)["subjects"]


def _evidence_event(case_id: str | None, snap: Snapshot, version: int, by: str, source: str,
                    note: str | None = None) -> NewEvent:
    rec = snap.record["source"]
    return NewEvent("case.evidence", case_id, {
        "version": version, "snapshot": snap.hash, "source": source, "run_id": rec.get("run_id"),
        "campaign_id": rec.get("campaign_id"), "n_subjects": snap.n_subjects,
        "n_edges": len(snap.record.get("edges", [])), "note": note}, by)


def open_case(ledger: Ledger, run: RunFiles, campaign_id: str, by: str, title: str | None = None,
              request_id: str | None = None) -> Recorded:
    """A new case on one campaign of a detection run (its evidence is version 1)."""
    by = _need(by, "--by")
    snap = run_snapshot(run, campaign_id)

    def build(txn: Txn) -> tuple[list[NewEvent], Snaps]:
        opened = NewEvent("case.opened", None, {"title": title or f"campaign {campaign_id} of run {run.run_id}",
                                                "campaign_id": campaign_id, "run_id": run.run_id}, by)
        return [opened, _evidence_event(None, snap, 1, by, "run")], {snap.hash: ("evidence", snap.data)}

    res = ledger.append(build, request_id=request_id,
                        digest=_digest(cmd="open", snapshot=snap.hash, by=by, title=title))
    return Recorded(str(res.case_id), res.events, res.replayed, {"evidence": snap.hash, "version": 1})


def _add(ledger: Ledger, case_id: str, snap: Snapshot, by: str, source: str, request_id: str | None) -> Recorded:
    def build(txn: Txn) -> tuple[list[NewEvent], Snaps]:
        evs = _case_events(txn, case_id)
        version = 1 + sum(e.kind == "case.evidence" for e in evs)
        return [_evidence_event(case_id, snap, version, by, source)], {snap.hash: ("evidence", snap.data)}

    res = ledger.append(build, request_id=request_id, digest=_digest(cmd="add", case=case_id, snapshot=snap.hash, by=by))
    return Recorded(case_id, res.events, res.replayed, {"evidence": snap.hash, "version": res.events[0].data["version"]})


def add_run(ledger: Ledger, case_id: str, run: RunFiles, by: str, campaign_id: str | None = None,
            request_id: str | None = None) -> Recorded:
    """A new evidence version from a later detection run (default campaign: the best overlap)."""
    by = _need(by, "--by")
    if campaign_id is None:
        with_accounts = {sid for e in ledger.events(case_id, kinds=["case.evidence"])
                         for sid in ledger.snapshot(e.data["snapshot"])["subjects"].get("account", [])}
        if not with_accounts:
            known = [e.case_id for e in ledger.events(kinds=["case.opened"])]
            raise UserError(f"unknown case {case_id!r} (known: {', '.join(known[-20:]) or 'none'})")
        campaign_id = best_campaign(run, with_accounts)
    return _add(ledger, case_id, run_snapshot(run, campaign_id), by, "run", request_id)


def add_subjects(ledger: Ledger, case_id: str, subjects: dict[str, list[str]], sources: dict[str, str],
                 by: str, request_id: str | None = None) -> Recorded:
    """A new evidence version naming accounts, pages or groups added by hand."""
    by = _need(by, "--by")
    if not any(subjects.values()):
        raise UserError("case add: nothing to add (give --run, --accounts, --pages or --groups)")
    return _add(ledger, case_id, manual_snapshot(subjects, sources), by, "manual", request_id)


def _targets(txn: Txn, case_id: str, subjects: dict[str, list[str]] | None) -> dict[tuple[str, str], SubjectStatus]:
    """The statuses of the named subjects (default: every subject of the case)."""
    case_evs = _case_events(txn, case_id)
    members = case_subjects(case_evs, _subjects_of(txn))
    if subjects is None:
        subjects = {k: sorted(v) for k, v in members.items()}
    unknown = [f"{k} {s!r}" for k, ids in subjects.items() for s in ids if s not in members.get(k, set())]
    if unknown:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise UserError(f"not in case {case_id}: {', '.join(unknown[:5])}{more}")
    ids = sorted({s for v in subjects.values() for s in v})
    evs = sorted(case_evs + txn.events(case_id, subjects=ids), key=lambda e: e.seq)
    status = fold(evs, _subjects_of(txn))
    return {(k, s): status[(k, s)] for k, v in subjects.items() for s in sorted(set(v))}


def decide(ledger: Ledger, policy: Policy, case_id: str, action: str, by: str, reason: str | None = None,
           subjects: dict[str, list[str]] | None = None, note: str | None = None, automated: bool = False,
           request_id: str | None = None) -> Recorded:
    """Record one decision on the named subjects (default: all of the case), one event each."""
    by = _need(by, "--by")
    if action not in ACTIONS:
        raise UserError(f"invalid action {action!r} (choose from {', '.join(ACTIONS)})")
    if reason is None and action in RESTRICTIVE:
        raise UserError(f"--reason is required for {action} (one of: {', '.join(sorted(policy.reasons))})")
    if reason is not None:
        policy.reason(reason)
    decision_id = f"D-{uuid4().hex[:12]}"
    pol = policy.canonical()

    def build(txn: Txn) -> tuple[list[NewEvent], Snaps]:
        out = []
        for (kind, sid), st in _targets(txn, case_id, subjects).items():
            if action == "restore" and not st.restricted:
                raise UserError(f"cannot restore {kind} {sid!r}: it is {st.state}, not suspended, removed or labelled")
            if action == "dismiss" and st.restricted:
                raise UserError(f"cannot dismiss {kind} {sid!r}: it is {st.state} (restore it instead)")
            out.append(NewEvent("decision", case_id, {
                "decision_id": decision_id, "action": action, "reason": reason, "note": note,
                "policy_version": policy.version, "policy_hash": policy.hash,
                "evidence": st.evidence, "evidence_version": st.evidence_version,
                "automated_detection": st.automated_detection, "automated_decision": automated,
                "human_confirmed": not automated, "overrides": st.decision_event}, by, kind, sid))
        return out, {policy.hash: ("policy", pol)}

    digest = _digest(cmd="decide", case=case_id, action=action, reason=reason, by=by, note=note, automated=automated,
                     subjects={k: sorted(v) for k, v in (subjects or {}).items()} if subjects else None)
    res = ledger.append(build, request_id=request_id, digest=digest)
    did = res.events[0].data["decision_id"] if res.replayed else decision_id
    return Recorded(case_id, res.events, res.replayed, {"decision_id": did, "n_subjects": len(res.events)})


def appeal(ledger: Ledger, case_id: str, decision_id: str, by: str, subjects: dict[str, list[str]] | None = None,
           note: str | None = None, request_id: str | None = None) -> Recorded:
    """File an appeal against a decision for its subjects (default: all it still restricts)."""
    by = _need(by, "--by")
    appeal_id = f"A-{uuid4().hex[:12]}"

    def build(txn: Txn) -> tuple[list[NewEvent], Snaps]:
        made = txn.events(case_id, kinds=["decision"])
        if not any(e.data["decision_id"] == decision_id for e in made):
            _case_events(txn, case_id)
            known = sorted({e.data["decision_id"] for e in made})
            raise UserError(f"unknown decision {decision_id!r} in case {case_id} (known: {', '.join(known) or 'none'})")
        chosen = subjects or {}
        if not subjects:
            for e in made:
                if e.data["decision_id"] == decision_id and e.subject_kind and e.subject_id:
                    chosen.setdefault(e.subject_kind, []).append(e.subject_id)
        out = []
        for (kind, sid), st in _targets(txn, case_id, chosen).items():
            if st.decision_id != decision_id or not st.restricted:
                if subjects:
                    raise UserError(f"{kind} {sid!r} is not restricted by decision {decision_id} (state: {st.state})")
                continue
            if st.appeal == "pending":
                raise UserError(f"{kind} {sid!r} already has a pending appeal ({st.appeal_id})")
            out.append(NewEvent("appeal.filed", case_id, {"appeal_id": appeal_id, "decision_id": decision_id,
                                                          "overrides": st.decision_event, "note": note}, by, kind, sid))
        if not out:
            raise UserError(f"decision {decision_id} no longer restricts any subject: nothing to appeal")
        return out, {}

    res = ledger.append(build, request_id=request_id, digest=_digest(cmd="appeal", case=case_id, decision=decision_id,
                                                                      by=by, note=note, subjects=subjects))
    aid = res.events[0].data["appeal_id"] if res.replayed else appeal_id
    return Recorded(case_id, res.events, res.replayed, {"appeal_id": aid, "n_subjects": len(res.events)})


def resolve_appeal(ledger: Ledger, case_id: str, appeal_id: str, outcome: str, by: str, note: str | None = None,
                   request_id: str | None = None) -> Recorded:
    """Uphold or overturn an appeal; overturning reverses the decision (subjects restored)."""
    by = _need(by, "--by")
    if outcome not in OUTCOMES:
        raise UserError(f"invalid outcome {outcome!r} (choose from uphold, overturn)")
    result = OUTCOMES[outcome]

    def build(txn: Txn) -> tuple[list[NewEvent], Snaps]:
        filed = [e for e in txn.events(case_id, kinds=["appeal.filed"]) if e.data["appeal_id"] == appeal_id]
        if not filed:
            _case_events(txn, case_id)
            raise UserError(f"unknown appeal {appeal_id!r} in case {case_id}")
        status = _targets(txn, case_id, {k: [e.subject_id for e in filed if e.subject_kind == k and e.subject_id]
                                         for k in {str(e.subject_kind) for e in filed}})
        out = []
        for e in filed:
            st = status[(str(e.subject_kind), str(e.subject_id))]
            if st.appeal_id != appeal_id or st.appeal != "pending":
                continue
            out.append(NewEvent("appeal.resolved", case_id, {
                "appeal_id": appeal_id, "outcome": result, "overrides": e.event_id, "note": note,
                "reverses": e.data["overrides"] if result == "overturned" else None}, by, e.subject_kind, e.subject_id))
        if not out:
            raise UserError(f"appeal {appeal_id} is already resolved")
        return out, {}

    res = ledger.append(build, request_id=request_id, digest=_digest(cmd="resolve", case=case_id, appeal=appeal_id,
                                                                      outcome=result, by=by, note=note))
    return Recorded(case_id, res.events, res.replayed, {"appeal_id": appeal_id, "outcome": result,
                                                        "n_subjects": len(res.events)})


def open_tip_case(ledger: Ledger, tip: dict[str, Any], matches: list[dict[str, Any]], by: str,
                  title: str | None = None, request_id: str | None = None) -> Recorded:
    """A case opened from another platform's tip (``share match``): its subjects are the matches
    (accounts, pages, groups; a channel is filed as a group), its evidence version 1 the match
    report (every match with its confidence and reasons, and the tip it answers). A tip is
    advisory: nothing is decided here, the case waits for ``case decide``."""
    by = _need(by, "--by")
    subjects: dict[str, list[str]] = {k: [] for k in SUBJECT_KINDS}
    for m in matches:
        subjects["group" if m["kind"] == "channel" else str(m["kind"])].append(str(m["id"]))
    if not any(subjects.values()):
        raise UserError("share match: no match at or above the threshold; no case opened")
    record = {"schema": SCHEMA, "source": {"kind": "tip", **tip}, "matches": matches,
              "subjects": {k: sorted(set(v)) for k, v in subjects.items()}}
    data = canonical(record)
    snap = Snapshot(sha256(data), data, record)

    def build(txn: Txn) -> tuple[list[NewEvent], Snaps]:
        default = f"tip {tip.get('name', '')} from {tip.get('source', '')}"
        opened = NewEvent("case.opened", None, {"title": title or default, "tip": tip.get("name"),
                                                "tip_source": tip.get("source")}, by)
        return [opened, _evidence_event(None, snap, 1, by, "tip")], {snap.hash: ("evidence", snap.data)}

    res = ledger.append(build, request_id=request_id,
                        digest=_digest(cmd="open-tip", snapshot=snap.hash, by=by, title=title))
    return Recorded(str(res.case_id), res.events, res.replayed, {"evidence": snap.hash, "version": 1})
