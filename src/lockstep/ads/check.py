"""``lockstep ads check``: decide each advertiser of a file as eligible, ineligible or review.

Returns a result object; the CLI only prints it. The decisions file has exactly the columns
``advertiser, decision, rule, matched_entry, evidence``; the evidence of every row ends with
the policy and registry versions, and the same decisions go to ``WS/ads/decisions.jsonl``
when there is a workspace.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lockstep.ads.decide import COLUMNS, Decision, decide
from lockstep.ads.matching import Matcher
from lockstep.ads.policy import Policy, load_policy
from lockstep.ads.reader import read_advertisers
from lockstep.ads.records import LOG_FILE, Rejected, append_log, open_output, write_rejected
from lockstep.ads.registry import MediaRegistry, ads_dir, load_registry


@dataclass
class CheckResult:
    """Decisions, rows set aside, and where everything was written."""

    source: Path
    decisions: list[Decision]
    rejected: list[Rejected]
    policy: Policy
    registry: MediaRegistry
    out: Path | None = None
    rejected_file: Path | None = None
    log: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)


def make_matcher(registry: MediaRegistry, policy: Policy, strong_names_only: bool = False) -> Matcher:
    """The matcher the policy configures. ``strong_names_only`` (scan): a weak name match only ever
    sends an advertiser to review, which a scan does not flag, so names below ``name_strong``
    need not be scored at all; the flagged ads are the same."""
    m = policy.matching
    weak = m["name_strong"] if strong_names_only else m["name_weak"]
    return Matcher(registry, name_weak=weak, name_strong=m["name_strong"], fuzzy_min_length=m["fuzzy_min_length"])


def check_file(source: Path, *, out: Path | None = None, workspace: Path | None = None,
               policy: Policy | None = None, registry: MediaRegistry | None = None) -> CheckResult:
    """Decide every good row of ``source``; write ``out`` (stdout when None), rejects and the log."""
    policy = policy or load_policy()
    registry = registry or load_registry(workspace)
    advertisers, rejected = read_advertisers(source)
    matcher = make_matcher(registry, policy)
    hits = matcher.match(advertisers)
    decisions = [decide(a, h, policy, matcher) for a, h in zip(advertisers, hits)]
    res = CheckResult(source, decisions, rejected, policy, registry, out=out,
                      counts=dict(Counter(d.decision for d in decisions)))
    if out is not None:
        with open_output(out) as fh:
            _write(fh, decisions)
    else:
        _write(sys.stdout, decisions)
    if rejected:
        if out is not None:
            res.rejected_file = out.with_name(out.stem + ".rejected.csv")
        elif workspace is not None:
            res.rejected_file = ads_dir(workspace) / "rejected" / f"{source.stem}.rejected.csv"
        if res.rejected_file is not None:
            write_rejected(res.rejected_file, rejected)
    if workspace is not None:
        res.log = ads_dir(workspace) / LOG_FILE
        append_log(res.log, "check", source, ((d, {}) for d in decisions), policy, registry.version)
    return res


def _write(fh: object, decisions: list[Decision]) -> None:
    w = csv.writer(fh)  # type: ignore[arg-type]
    w.writerow(COLUMNS)
    for d in decisions:
        w.writerow(d.row())
