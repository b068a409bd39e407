"""Each subject's current state, derived from the ledger's events alone (Ozone's subject
status, rebuilt rather than stored, so it can never disagree with the history).

Kinds of event: ``case.opened``, ``case.evidence`` (a new evidence version), ``decision``
(one per subject), ``appeal.filed`` and ``appeal.resolved`` (each linked by ``overrides``
to the event it concerns). A later decision supersedes an earlier one; an overturned appeal
reverses the decision it was against (the subject is ``restored``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from lockstep.store.ledger import Event

ACTIONS = ("suspend", "remove", "restore", "dismiss", "label")
RESTRICTIVE = {"suspend": "suspended", "remove": "removed", "label": "labelled"}
STATE_OF = {**RESTRICTIVE, "restore": "restored", "dismiss": "dismissed"}
OUTCOMES = {"upheld": "upheld", "uphold": "upheld", "overturned": "overturned", "overturn": "overturned"}


@dataclass
class SubjectStatus:
    """Where one account, page or group of a case stands now."""

    kind: str
    id: str
    state: str = "open"  # open | suspended | removed | labelled | dismissed | restored
    automated_detection: bool = False  # found by a detection run (not only added by hand)
    first_version: int = 0
    evidence_version: int = 0  # the latest evidence version that names this subject
    evidence: str | None = None  # and its snapshot hash: what a decision on it rests on
    decision_event: str | None = None
    decision_id: str | None = None
    action: str | None = None
    reason: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    appeal: str | None = None  # pending | upheld | overturned
    appeal_id: str | None = None
    history: list[str] = field(default_factory=list)  # event ids, in order

    @property
    def restricted(self) -> bool:
        return self.state in RESTRICTIVE.values()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Key = tuple[str, str]
SubjectsOf = Callable[[str], dict[str, list[str]]]  # snapshot hash -> {kind: [ids]}


def fold(events: Iterable[Event], subjects_of: SubjectsOf) -> dict[Key, SubjectStatus]:
    """Replay ``events`` (one case, in ``seq`` order) into each subject's status."""
    out: dict[Key, SubjectStatus] = {}

    def get(kind: str, sid: str) -> SubjectStatus:
        if (kind, sid) not in out:
            out[(kind, sid)] = SubjectStatus(kind, sid)
        return out[(kind, sid)]

    for ev in events:
        data = ev.data
        if ev.kind == "case.evidence":
            auto = data.get("source") == "run"
            for kind, ids in subjects_of(str(data["snapshot"])).items():
                for sid in ids:
                    st = get(kind, sid)
                    st.first_version = st.first_version or int(data["version"])
                    st.evidence_version, st.evidence = int(data["version"]), str(data["snapshot"])
                    st.automated_detection = st.automated_detection or auto
            continue
        if ev.subject_kind is None or ev.subject_id is None:
            continue
        st = get(ev.subject_kind, ev.subject_id)
        st.history.append(ev.event_id)
        if ev.kind == "decision":
            st.state = STATE_OF[str(data["action"])]
            st.decision_event, st.decision_id = ev.event_id, str(data["decision_id"])
            st.action, st.reason = str(data["action"]), data.get("reason")
            st.decided_at, st.decided_by = ev.created_at, ev.actor
            st.appeal = st.appeal_id = None
        elif ev.kind == "appeal.filed":
            st.appeal, st.appeal_id = "pending", str(data["appeal_id"])
        elif ev.kind == "appeal.resolved":
            st.appeal = str(data["outcome"])
            if st.appeal == "overturned":
                st.state = "restored"
    return out


def case_subjects(events: Iterable[Event], subjects_of: SubjectsOf) -> dict[str, set[str]]:
    """Every subject any evidence version of the case named, by kind."""
    out: dict[str, set[str]] = {}
    for ev in events:
        if ev.kind == "case.evidence":
            for kind, ids in subjects_of(str(ev.data["snapshot"])).items():
                out.setdefault(kind, set()).update(ids)
    return out
