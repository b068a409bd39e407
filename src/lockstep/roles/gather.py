"""What the roles stage reads before it judges campaigns, gathered side by side: the account
signals' findings, the members' coordination, working hours, shared infrastructure, declared
automation and amplified sources, and the run's passes that expansion reads next.

Why side by side: these are a dozen independent questions, each partly a DuckDB pass (which
releases the GIL) and partly Python over its rows; one after another they kept about one of
two cores busy. ``queries.parallel`` runs them on cursors of their own, and hands the results
back in task order, so the answers do not depend on which finished first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from lockstep.accounts import Finding, group_findings, signal_tasks
from lockstep.accounts.activity import hour_of_week_hist
from lockstep.detect.result import DetectResult
from lockstep.roles.assign import CORE_MIN_RECEIVED
from lockstep.roles.campaign import established
from lockstep.roles.features import shared_access_with_group
from lockstep.roles.inputs import coordination_by_account
from lockstep.store.queries.activity import counts_index
from lockstep.store.queries.engagement import engagement_received_within
from lockstep.store.queries.entries import declared_automation, standing, week_hour_counts
from lockstep.store.queries.parallel import run_parallel
from lockstep.store.queries.engagement_passes import engagement_targets
from lockstep.store.queries.shared import passes
from lockstep.store.workspace import Workspace

__all__ = ["Gathered", "gather"]


@dataclass
class Gathered:
    """Findings by account, and what campaign scoring reads of the detected members."""

    findings: dict[str, list[Finding]]
    coordination: Mapping[str, Any]
    hists: dict[str, Any]
    infra: dict[str, dict[str, int]]
    weekly: dict[str, list[tuple[str, int, int, int]]]
    declared: dict[str, str]
    sources: dict[str, str | None]


def gather(ws: Workspace, det: DetectResult, members: dict[str, str],
           signal_params: dict[str, dict[str, Any]]) -> Gathered:
    """Everything :class:`Gathered` holds for ``det``'s ``members``, with the run's engagement
    and action-count passes made on the way (``queries.shared``)."""
    signals = signal_tasks(params=signal_params)
    # the members' facts first: they hold the run's longest pass (the engagement edges)
    head: list[Callable[[Workspace], Any]] = [partial(_members_facts, members=members),
                                              lambda w: coordination_by_account(det.edges)]
    done = run_parallel(ws, [*head, *signals, *_warm_up(members)])
    hists, infra, weekly, declared, sources = done[0]
    return Gathered(group_findings(done[len(head):len(head) + len(signals)]), done[1], hists, infra, weekly,
                    declared, sources)


def _members_facts(ws: Workspace, members: dict[str, str]) -> tuple[Any, ...]:
    infra = shared_access_with_group(ws, members)
    weekly: dict[str, list[tuple[str, int, int, int]]] = defaultdict(list)
    for row in week_hour_counts(ws, list(members)):
        weekly[row[0]].append(row)
    declared = declared_automation(ws, list(members))
    # members their own campaign engages (>= 2 times), and whether each is an established outlet
    amplified = [a for a, n in engagement_received_within(ws, members) if n >= CORE_MIN_RECEIVED]
    sources = {st.account_id: established(st.followers, st.verified, st.age_days) for st in standing(ws, amplified)}
    # last: read off everyone's hour-of-week pass, which the working-hours signal makes meanwhile
    hists = hour_of_week_hist(ws, list(members)) if members else {}
    return hists, infra, weekly, declared, sources


def _warm_up(members: dict[str, str]) -> list[Callable[[Workspace], Any]]:
    """The run's passes that expansion reads whenever there are members (``queries.shared``),
    made while the signals run rather than after them; each is made once either way."""
    if not members:
        return []
    return [lambda w: counts_index(w), lambda w: engagement_targets(passes(w))]
