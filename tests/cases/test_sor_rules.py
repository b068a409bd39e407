"""The statement-of-reasons validator against the transparency database's rules, and the
statements lockstep writes for every decision kind on every subject kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lockstep.cases import load_policy, sor_rules
from lockstep.cases.evidence import read_detect_run
from lockstep.cases.service import add_subjects, decide, open_case
from lockstep.cases.sor import statements
from lockstep.cases.view import history_events
from lockstep.store.ledger import open_ledger, resolve_url

GOOD: dict[str, Any] = {
    "puid": "ev-1", "decision_account": "DECISION_ACCOUNT_SUSPENDED", "decision_ground":
    "DECISION_GROUND_INCOMPATIBLE_CONTENT", "incompatible_content_ground": "policy 1: spam",
    "incompatible_content_explanation": "why", "incompatible_content_illegal": "No",
    "content_type": ["CONTENT_TYPE_OTHER"], "content_type_other": "account",
    "category": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "category_specification": ["KEYWORD_COORDINATED_HARM"], "content_date": "2019-08-19",
    "application_date": "2026-12-02", "decision_facts": "facts", "source_type": "SOURCE_VOLUNTARY",
    "automated_detection": "Yes", "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED"}


@pytest.mark.parametrize("change,error", [
    ({"decision_account": None}, "decision_*: one of"),
    ({"decision_ground": None}, "decision_ground: required"),
    ({"puid": None}, "puid: required"),
    ({"decision_facts": ""}, "decision_facts: required"),
    ({"decision_account": "DECISION_ACCOUNT_BANNED"}, "decision_account: 'DECISION_ACCOUNT_BANNED' is not one of"),
    ({"category": "STATEMENT_CATEGORY_SPAM"}, "category: 'STATEMENT_CATEGORY_SPAM' is not one of"),
    ({"category_specification": ["KEYWORD_SPAM"]}, "category_specification: 'KEYWORD_SPAM'"),
    ({"automated_detection": "yes"}, "automated_detection: 'yes'"),
    ({"content_type": "CONTENT_TYPE_TEXT"}, "content_type: must be an array"),
    ({"content_type_other": None}, "content_type_other: required when content_type is other"),
    ({"incompatible_content_explanation": None}, "incompatible_content_explanation: required when"),
    ({"illegal_content_legal_ground": "x"}, "illegal_content_legal_ground: only allowed"),
    ({"decision_facts": "x" * 5001}, "decision_facts: longer than 5000"),
    ({"incompatible_content_explanation": "x" * 2001}, "incompatible_content_explanation: longer than 2000"),
    ({"puid": "ev 1"}, "puid: format is invalid"),
    ({"puid": "x" * 501}, "puid: longer than 500"),
    ({"content_date": "19-08-2019"}, "content_date: does not match the format YYYY-MM-DD"),
    ({"application_date": "2019-12-31"}, "application_date: must be on or after 2020-01-01"),
    ({"end_date_account_restriction": "2039-01-01"}, "must be on or before 2038-01-01"),
    ({"source_identity": "someone"}, "source_identity: excluded when source_type is SOURCE_VOLUNTARY"),
    ({"territorial_scope": ["US"]}, "territorial_scope: 'US'"),
    ({"user_handle": "@x"}, "user_handle: not a field"),
])
def test_validator_enforces_each_rule(change: dict[str, Any], error: str) -> None:
    assert sor_rules.validate(GOOD) == []
    errs = sor_rules.validate({**GOOD, **change})
    assert any(error in e for e in errs), errs


def test_every_decision_kind_exports_valid_statements(world: tuple[Path, Path, Path]) -> None:
    ws, run1, _ = world
    policy = load_policy()
    with open_ledger(resolve_url(ws)) as led:
        cid = open_case(led, read_detect_run(run1), "c1", "ann").case_id
        add_subjects(led, cid, {"page": ["pg1", "pg2", "pg3"], "group": ["gr1", "gr2", "gr3"]}, {}, "ann")
        expected = {}
        for i, (action, reason) in enumerate([("suspend", "coordinated-activity"), ("remove", "fake-accounts"),
                                              ("label", "spam")]):
            subjects = {"account": [f"o{i}"], "page": [f"pg{i + 1}"], "group": [f"gr{i + 1}"]}
            r = decide(led, policy, cid, action, "ann", reason, subjects, automated=(i == 2))
            expected[r.ids["decision_id"]] = action
        decide(led, policy, cid, "restore", "ann", None, {"account": ["o0"]})
        decide(led, policy, cid, "dismiss", "ann", None, {"account": ["o3"]})
        sors = statements(led, history_events(led, cid))
    assert len(sors) == 9  # 3 restrictive decisions x 3 subject kinds; restore and dismiss restrict nothing
    for s in sors:
        assert sor_rules.validate(s) == []
    kinds = {(s["decision_account"], tuple(s["decision_visibility"] or ()), s["automated_decision"]) for s in sors}
    assert kinds == {("DECISION_ACCOUNT_SUSPENDED", (), "AUTOMATED_DECISION_NOT_AUTOMATED"),
                     ("DECISION_ACCOUNT_TERMINATED", (), "AUTOMATED_DECISION_NOT_AUTOMATED"),
                     (None, ("DECISION_VISIBILITY_CONTENT_LABELLED",), "AUTOMATED_DECISION_FULLY")}
    assert {s["automated_detection"] for s in sors} == {"Yes", "No"}  # accounts from the run, pages by hand
    assert {tuple(s["category_specification"]) for s in sors} == {
        ("KEYWORD_COORDINATED_HARM", "KEYWORD_INAUTHENTIC_ACCOUNTS"), ("KEYWORD_INAUTHENTIC_ACCOUNTS",),
        ("KEYWORD_COORDINATED_HARM",)}
