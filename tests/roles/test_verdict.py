"""The campaign verdict rests on the combination: removing any one kind of evidence lowers
the score without zeroing it, an operation strong on the rest stays flagged, no one kind
flags a campaign alone, and bots that declare themselves automated are not an operation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lockstep.accounts import Finding
from lockstep.accounts.worktime import ShiftRota
from lockstep.roles.campaign import campaign_score
from lockstep.roles.weights import CAMPAIGN_BIAS, CAMPAIGN_WEIGHTS

MEMBERS = [f"m{i}" for i in range(10)]
KINDS = ("coordination", "working_time", "infra", "fake_profiles", "creation_burst", "repurposed", "client")


def _office_hist() -> np.ndarray:
    h = np.zeros(168)
    for day in range(5):
        h[day * 24 + 1: day * 24 + 10] = 3.0  # 09:00-18:00 UTC+8, weekdays
    return h


def _facts(keep: tuple[str, ...] = KINDS) -> dict[str, Any]:
    """An operation with the ``keep`` kinds of evidence (all by default)."""
    sigs = {"fake_profiles": [("handle_pattern", 0.9), ("empty_profile", 0.6)],
            "creation_burst": [("creation_burst", 0.8)], "repurposed": [("repurposed", 0.7)],
            "client": [("client_mix", 0.5)]}
    findings = {m: [Finding(m, s, st, f"{s} seen") for kind, fs in sigs.items() if kind in keep for s, st in fs]
                for m in MEMBERS}
    return {"findings": findings,
            "hists": {m: _office_hist() for m in MEMBERS} if "working_time" in keep else {},
            "infra": {m: {"ip": 6} for m in MEMBERS} if "infra" in keep else {},
            "coordination": {m: {"degree": 9} for m in MEMBERS} if "coordination" in keep else None}


def _score(drop: str | None = None, keep: tuple[str, ...] = KINDS, **kw: Any) -> tuple[float, bool, dict[str, float]]:
    f = _facts(tuple(k for k in keep if k != drop))
    s = campaign_score(MEMBERS, f["findings"], f["hists"], f["infra"], f["coordination"], **kw)
    return s.score, s.flagged, {e.item: e.points for e in s.evidence}


def test_the_full_operation_is_flagged_with_every_kind_adding_points() -> None:
    score, flagged, points = _score()
    assert flagged and score > 0.99
    for item in ("coordination", "office_hours", "infra", "fake_profiles", "creation_burst", "repurposed", "client"):
        assert points[item] > 0, item


@pytest.mark.parametrize("kind", KINDS)
def test_dropping_one_kind_lowers_the_score_but_the_operation_stays_flagged(kind: str) -> None:
    full, _, _ = _score()
    score, flagged, points = _score(kind)
    assert score < full, kind
    assert flagged, (kind, score, points)


def test_no_weight_reaches_the_bias() -> None:
    """So no kind of evidence at full strength can carry a campaign alone."""
    assert all(w < -CAMPAIGN_BIAS for w in CAMPAIGN_WEIGHTS.values())


@pytest.mark.parametrize("keep", KINDS)
def test_one_kind_alone_does_not_flag(keep: str) -> None:
    score, flagged, points = _score(keep=(keep,))
    assert not flagged and score < 0.5, (keep, score, points)


def test_a_shift_rota_counts_as_working_time_when_office_hours_are_gone() -> None:
    rota = ShiftRota(1.0, 0.9, 120, 24.0, (0, 8, 16), True)
    without, _, _ = _score("working_time")
    score, flagged, points = _score("working_time", rota=rota)
    assert points["shift_rota"] == pytest.approx(CAMPAIGN_WEIGHTS["working_time"])
    assert flagged and score > without


def test_members_declaring_automation_pull_the_verdict_down() -> None:
    f = _facts(("coordination", "infra", "client"))
    base = campaign_score(MEMBERS, f["findings"], f["hists"], f["infra"], f["coordination"])
    bots = campaign_score(MEMBERS, f["findings"], f["hists"], f["infra"], f["coordination"],
                          declared={m: "bot" for m in MEMBERS})
    assert base.flagged and not bots.flagged
    ev = next(e for e in bots.evidence if e.item == "declared_automation")
    assert ev.points < 0 and "declare themselves automated" in ev.text


def test_amplifying_established_outlets_pulls_the_verdict_down() -> None:
    """News feeds amplify old, widely followed outlets; an operation amplifies young personas."""
    from lockstep.roles.campaign import established

    assert established(560_000, None, 11 * 365) and established(10, True, 1)
    assert established(22_000, None, 2 * 365) is None  # a two-year-old persona, however followed
    f = _facts(("coordination", "infra", "client"))
    args = (MEMBERS, f["findings"], f["hists"], f["infra"], f["coordination"])
    base = campaign_score(*args)
    outlets = {"m0": "560,000 followers, 11 years old", "m1": "verified"}
    feeds = campaign_score(*args, sources=outlets)
    mixed = campaign_score(*args, sources={**outlets, "m1": None})
    personas = campaign_score(*args, sources={"m0": None, "m1": None})
    assert base.flagged and personas.flagged and personas.score == base.score
    assert not feeds.flagged and feeds.score < mixed.score < base.score
    ev = next(e for e in mixed.evidence if e.item == "established_sources")
    assert ev.strength == 0.5 and ev.points < 0 and "1 of the 2 members the campaign amplifies" in ev.text


@pytest.mark.parametrize("timing", ["office_hours", "shift_rota"])
def test_coordination_and_its_timing_alone_are_a_community_not_an_operation(timing: str) -> None:
    """SNAP Higgs: organic co-retweet rings active in European office hours around a weekday
    announcement scored 0.50-0.66 on coordination plus working time. Without evidence about
    the accounts themselves, working time adds nothing and the campaign scores low; one kind
    of such evidence (here infrastructure) brings the working time back and flags it."""
    rota = ShiftRota(1.0, 0.9, 120, 24.0, (0, 8, 16), True) if timing == "shift_rota" else None
    keep = ("coordination", "working_time") if timing == "office_hours" else ("coordination",)
    score, flagged, points = _score(keep=keep, rota=rota)
    assert not flagged and score < 0.25, (score, points)
    assert points[timing] == 0.0 and points["coordination"] > 1.0
    f = _facts(keep)
    s = campaign_score(MEMBERS, f["findings"], f["hists"], f["infra"], f["coordination"], rota=rota)
    ev = next(e for e in s.evidence if e.item == timing)
    assert ev.strength > 0.5 and ev.value["uncounted_points"] > 1.0 and "none here" in ev.text
    with_infra = keep + ("infra",)
    score2, flagged2, points2 = _score(keep=with_infra, rota=rota)
    assert flagged2 and points2[timing] > 1.0 and score2 > 0.9


@pytest.mark.parametrize("kind", ["infra", "fake_profiles", "creation_burst", "repurposed", "client"])
def test_any_kind_about_the_accounts_lets_working_time_count(kind: str) -> None:
    score, flagged, points = _score(keep=("coordination", "working_time", kind))
    assert points["office_hours"] > 1.0 and score > 0.5, (kind, score, points)
