"""``lockstep ads scan``: running ads that break the policy, or that state media run on a watched topic.

An ad is flagged for takedown review when its advertiser is ineligible, when its landing page
belongs to an ineligible outlet (or a profile of one), or when an advertiser that matches the
state-media registry runs it and its text mentions a watched topic (``--topic``). Each distinct
advertiser and landing host is decided once, with the same matcher and policy as ``ads check``,
and the decision is spread back over the ads as Arrow columns: a million ads take seconds.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lockstep.ads.adsfile import AdsReader
from lockstep.ads.arrowkit import indices, strings, to_numpy
from lockstep.ads.check import make_matcher
from lockstep.ads.decide import Decision
from lockstep.ads.scancols import INELIGIBLE, NONE, Decider, advertiser_ids, advertiser_of, landing_ids, landing_of
from lockstep.ads.policy import Policy, load_policy
from lockstep.ads.records import LOG_FILE, Rejected, append_log, open_output, write_rejected
from lockstep.ads.registry import MediaRegistry, ads_dir, load_registry
from lockstep.errors import UserError

COLUMNS = ("ad_id", "advertiser", "landing_url", "reason", "decision", "rule", "matched_entry", "evidence")


@dataclass
class ScanResult:
    """Flagged ads, counts, rows set aside, where things were written."""

    source: Path
    flagged: list[dict[str, str]]
    policy: Policy
    registry: MediaRegistry
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    out: Path | None = None
    rejected_file: Path | None = None
    log: Path | None = None
    seconds: float = 0.0


def scan_file(source: Path, *, topics: tuple[str, ...] = (), out: Path | None = None,
              workspace: Path | None = None, policy: Policy | None = None,
              registry: MediaRegistry | None = None) -> ScanResult:
    """Scan ``source``; write the flagged ads to ``out`` (stdout when None), rejects and the log."""
    t0 = time.perf_counter()
    policy = policy or load_policy()
    registry = registry or load_registry(workspace)
    terms = [t.strip() for t in topics if t.strip()]
    pattern = "|".join(re.escape(t) for t in terms)
    matcher = make_matcher(registry, policy, strong_names_only=True)
    advs, pages = Decider(matcher, policy, advertiser_of), Decider(matcher, policy, landing_of)
    reader = AdsReader(source)
    counts: Counter[str] = Counter()
    flagged: list[dict[str, str]] = []
    running = strings(policy.scan["running_statuses"])
    for _, batch in reader.batches():
        if terms and "text" not in reader.columns:
            raise UserError(f"{source}: line 1: --topic needs a column 'text' (found: {', '.join(reader.columns)})")
        counts["ads"] += batch.num_rows
        if "status" in reader.columns:
            live = pc.is_in(pc.ascii_lower(pc.utf8_trim_whitespace(batch.column("status"))), value_set=running)
            batch = batch.filter(live)
        counts["running"] += batch.num_rows
        if batch.num_rows == 0:
            continue
        adv_id = advertiser_ids(batch, reader.columns, advs)
        page_id = landing_ids(batch.column("landing_url"), pages)
        adv_code, page_code = advs.codes[adv_id], pages.codes[page_id]
        topic = np.zeros(batch.num_rows, dtype=bool)
        state = np.nonzero(adv_code > NONE)[0]
        if terms and len(state):
            text = pc.take(batch.column("text"), indices(state))
            hit = pc.match_substring_regex(text, pattern, ignore_case=True)
            topic[state] = to_numpy(pc.cast(pc.fill_null(hit, False) if hit.null_count else hit, pa.int8())) > 0
        flag = (adv_code == INELIGIBLE) | (page_code == INELIGIBLE) | topic
        rows = np.nonzero(flag)[0]
        if len(rows):
            sub = batch.take(indices(rows))
            vals = {c: sub.column(c).to_pylist() for c in ("ad_id", "advertiser", "landing_url")}
            texts = sub.column("text").to_pylist() if terms else [""] * len(rows)
            for k, i in enumerate(rows.tolist()):
                flagged.append(_row({c: v[k] or "" for c, v in vals.items()}, texts[k] or "",
                                    advs.decisions[adv_id[i]], pages.decisions[page_id[i]], bool(topic[i]),
                                    terms, counts))
    res = ScanResult(source, flagged, policy, registry, rejected=reader.finish(), out=out)
    res.counts = {"ads": counts["ads"], "running": counts["running"], "flagged": len(flagged),
                  "rejected": len(res.rejected), "advertisers_decided": len(advs.decisions),
                  "landing_pages_decided": len(pages.decisions),
                  **{k: v for k, v in counts.items() if k.startswith("reason:")}}
    _write_outputs(res, workspace)
    res.seconds = time.perf_counter() - t0
    return res


def _row(val: dict[str, str], text: str, adv: Decision, land: Decision, topic: bool, terms: list[str],
         counts: Counter[str]) -> dict[str, str]:
    reasons, evidence = [], []
    main = adv
    if adv.decision == "ineligible":
        reasons.append("ineligible-advertiser")
        evidence.append(adv.evidence)
    if land.decision == "ineligible":
        reasons.append("ineligible-landing-page")
        if not reasons[:-1]:
            main = land
        if land.matched_entry != adv.matched_entry:
            evidence.append(land.evidence)
    if topic:
        said = [t for t in terms if t.lower() in text.lower()] or terms[:1]
        reasons.append("state-media-topic")
        evidence.append(f"advertiser matches {adv.matched_entry} and the text mentions {', '.join(map(repr, said))}")
        if len(reasons) == 1:
            evidence.insert(0, adv.evidence)
    for r in reasons:
        counts[f"reason:{r}"] += 1
    return {**val, "reason": ";".join(reasons), "decision": main.decision, "rule": main.rule,
            "matched_entry": main.matched_entry, "evidence": " | ".join(evidence)}


def _write_outputs(res: ScanResult, workspace: Path | None) -> None:
    if res.out is not None:
        with open_output(res.out) as fh:
            _write(fh, res.flagged)
    else:
        _write(sys.stdout, res.flagged)
    if res.rejected:
        if res.out is not None:
            res.rejected_file = res.out.with_name(res.out.stem + ".rejected.csv")
        elif workspace is not None:
            res.rejected_file = ads_dir(workspace) / "rejected" / f"{res.source.stem}.rejected.csv"
        if res.rejected_file is not None:
            write_rejected(res.rejected_file, res.rejected)
    if workspace is not None:
        res.log = ads_dir(workspace) / LOG_FILE
        items = ((Decision(f["advertiser"], f["decision"], f["rule"], f["matched_entry"], f["evidence"]),
                  {"ad_id": f["ad_id"], "landing_url": f["landing_url"], "reason": f["reason"]})
                 for f in res.flagged)
        append_log(res.log, "scan", res.source, items, res.policy, res.registry.version)


def _write(fh: Any, rows: list[dict[str, str]]) -> None:
    w = csv.DictWriter(fh, fieldnames=COLUMNS)
    w.writeheader()
    w.writerows(rows)
