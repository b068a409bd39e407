"""Statements of reasons (DSA Art. 17) for a case's restrictive decisions, in the
transparency database's field names and enums, checked by :mod:`lockstep.cases.sor_rules`.

One statement per decision event (one subject): ``puid`` is the event id, so a statement
can be traced to the ledger without naming the account. No field carries personal data:
no account id, handle, name, reviewer or free-text note; the facts cite the case, the
decision and the hash of the evidence instead. Texts come from the policy as stored with
the decision (its hash), not from today's policy file.
"""

from __future__ import annotations

from typing import Any

from lockstep.errors import EngineError
from lockstep.store.ledger import Event, Ledger

from lockstep.cases import sor_rules
from lockstep.cases.state import RESTRICTIVE

FIELDS = ("puid", "decision_visibility", "decision_monetary", "decision_provision", "decision_account",
          "account_type", "decision_ground", "decision_ground_reference_url", "incompatible_content_ground",
          "incompatible_content_explanation", "incompatible_content_illegal", "content_type", "content_type_other",
          "category", "category_specification", "content_date", "application_date", "end_date_account_restriction",
          "end_date_visibility_restriction", "decision_facts", "source_type", "automated_detection",
          "automated_decision")
ARRAYS = ("decision_visibility", "content_type", "category_specification")
_ACCOUNT = {"suspend": "DECISION_ACCOUNT_SUSPENDED", "remove": "DECISION_ACCOUNT_TERMINATED"}


def statement(e: Event, opened: Event, policy: dict[str, Any], evidence: dict[str, Any]) -> dict[str, Any]:
    """The statement of reasons for one decision event."""
    d = e.data
    reason = policy["reasons"][d["reason"]]
    kind = str(e.subject_kind)
    facts = (f"Decision {d['decision_id']} in network case {e.case_id} ({d['action']} of one {kind}). The {kind}"
             f" belongs to a network of {evidence['n_subjects']} accounts, pages or groups"
             f" {'found by automated coordination detection' if d['automated_detection'] else 'added by an investigator'},"
             f" with {evidence['n_edges']} coordination links between members. The decision rests on evidence"
             f" version {d['evidence_version']} (sha256 {d['evidence']}) and was"
             f" {'taken by an automated system' if d['automated_decision'] else 'taken by a human reviewer'}"
             f" under {policy['name']} version {d['policy_version']}, ground {d['reason']}.")
    return {
        "puid": e.event_id,
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_LABELLED"] if d["action"] == "label" else None,
        "decision_monetary": None,
        "decision_provision": None,
        "decision_account": _ACCOUNT.get(d["action"]),
        "account_type": None,
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "decision_ground_reference_url": policy.get("url") or None,
        "incompatible_content_ground": f"{policy['name']} {d['policy_version']}: {d['reason']} ({reason['title']})"[:500],
        "incompatible_content_explanation": reason["text"][:2000],
        "incompatible_content_illegal": "No",
        "content_type": ["CONTENT_TYPE_OTHER"],
        "content_type_other": f"{kind} taking part in a coordinated network",
        "category": reason["sor_category"],
        "category_specification": list(reason["sor_keywords"]) or None,
        "content_date": opened.created_at[:10],
        "application_date": e.created_at[:10],
        "end_date_account_restriction": None,
        "end_date_visibility_restriction": None,
        "decision_facts": facts[:5000],
        "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "Yes" if d["automated_detection"] else "No",
        "automated_decision": "AUTOMATED_DECISION_FULLY" if d["automated_decision"] else "AUTOMATED_DECISION_NOT_AUTOMATED",
    }


def statements(ledger: Ledger, events: list[Event]) -> list[dict[str, Any]]:
    """Validated statements for every restrictive decision among one case's ``events``."""
    opened = next(e for e in events if e.kind == "case.opened")
    versions = {e.data["snapshot"]: e.data for e in events if e.kind == "case.evidence"}
    out = []
    for e in events:
        if e.kind != "decision" or e.data["action"] not in RESTRICTIVE:
            continue
        sor = statement(e, opened, ledger.snapshot(e.data["policy_hash"]), versions[e.data["evidence"]])
        errs = sor_rules.validate(sor)
        if errs:  # a bug in this module, not the user's doing: say exactly what
            raise EngineError(f"statement of reasons {e.event_id} breaks the transparency database's rules: "
                              + "; ".join(errs))
        out.append(sor)
    return out
