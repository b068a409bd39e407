"""Near-duplicate texts of the tip's text indicators, and behaviour: acting on the tip's
items (links, texts, hashtags) inside the windows when the tip's network acted on them.

Why behaviour is its own reason: a templated text or an operation's link says *what* was
posted; posting it while the tip's network was pushing the same item says the account was
part of the same push, which an outlet quoting the text months later is not. The window
is the tip's first..last seen, widened by ``SLACK`` either side (platforms see a push at
slightly different times, and tips round times).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np

from lockstep.share.match import texts as T
from lockstep.share.match.book import Book, short
from lockstep.share.match.links import PLATFORM_DOMAINS, norm_url, registrable
from lockstep.share.tip import Activity, Tip
from lockstep.store.queries.share_match import ItemAct

SLACK = timedelta(days=1)
_NOTE_FP = re.compile(r"fingerprint ([0-9a-f]{8}(?::[0-9a-f]{8}){7,})")  # CSV layouts carry it in the note
RARE_HASHTAG_SHARE = 0.05  # a hashtag used by more of our accounts than this is no behaviour evidence


@dataclass
class TipTexts:
    """The tip's texts as signatures: samples in our method, fingerprints in theirs."""

    labels: list[str] = field(default_factory=list)
    samples: np.ndarray = field(default_factory=lambda: np.zeros((0, T.NUM_PERM), dtype=np.uint64))
    fp_labels: list[str] = field(default_factory=list)
    fingerprints: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.uint64))

    def __bool__(self) -> bool:
        return bool(self.labels or self.fp_labels)


def tip_texts(tip: Tip) -> TipTexts:
    """Every text indicator of the tip, by sample and by fingerprint."""
    out = TipTexts()
    rows: list[np.ndarray] = []
    for ind in tip.indicators:
        if ind.kind != "text":
            continue
        words = ind.fingerprint
        if not words:
            found = _NOTE_FP.search(ind.note)
            words = tuple(found.group(1).split(":")) if found else ()
        fp = T.from_fingerprint(words) if words else None
        label = ind.value or "fingerprint " + "".join(ind.fingerprint[:2])
        if fp is not None:
            rows.append(fp)
            out.fp_labels.append(label)
        if ind.value.strip():
            out.labels.append(ind.value)
    if out.labels:
        out.samples = T.signatures(out.labels)
    if rows:
        out.fingerprints = np.vstack(rows)
    return out


def near_duplicates(tt: TipTexts, distinct: Sequence[tuple[str, int]]) -> dict[str, tuple[str, float]]:
    """Our stored texts that are near-duplicates of a tip text: text -> (tip label, similarity)."""
    if not tt or not distinct:
        return {}
    ours = [t for t, _ in distinct]
    best = np.zeros(len(ours))
    label = [""] * len(ours)
    for labels, tip_sig, mine in ((tt.labels, tt.samples, T.signatures),
                                  (tt.fp_labels, tt.fingerprints, T.fingerprint_signatures)):
        if not labels:
            continue
        which, sim = T.best_matches(mine(ours), tip_sig)
        for i in np.flatnonzero(sim > best):
            best[i], label[i] = sim[i], labels[int(which[i])]
    return {ours[i]: (label[i], float(best[i])) for i in np.flatnonzero(best >= T.THRESHOLD)}


def collect_texts(book: Book, near: dict[str, tuple[str, float]], acts: Sequence[ItemAct]) -> None:
    per: dict[tuple[str, str], list[tuple[str, float, str]]] = defaultdict(list)
    for a in acts:
        label, sim = near[a.item]
        per[(a.platform, a.account_id)].append((label, sim, a.item))
    for key, hits in per.items():
        label, sim, ours = max(hits, key=lambda h: h[1])
        n = len(hits)
        book.get(*key).add("text", min(0.6, 0.5 + 0.05 * (n - 1)),
                           f'{n} post(s) near-duplicate of tip text "{short(label)}"'
                           f' (similarity {sim:.2f}: "{short(ours)}")')


def _time(s: str) -> datetime | None:
    """An ISO 8601 time as naive UTC (None when unreadable)."""
    try:
        t = datetime.fromisoformat(s.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.astimezone(timezone.utc).replace(tzinfo=None) if t.tzinfo is not None else t


def windows(tip: Tip) -> list[tuple[Activity, datetime, datetime]]:
    out = []
    for a in tip.activity:
        lo, hi = _time(a.first_seen), _time(a.last_seen or a.first_seen)
        if lo and hi and a.value:
            out.append((a, min(lo, hi) - SLACK, max(lo, hi) + SLACK))
    return out


def collect_behaviour(book: Book, tip: Tip, url_acts: Sequence[ItemAct],
                      text_near: dict[str, tuple[str, float]], text_acts: Sequence[ItemAct],
                      tag_acts: Sequence[ItemAct], tag_users: dict[str, int], n_accounts: int) -> None:
    """Behaviour reasons: our actions on a tip activity item inside its window."""
    wins = windows(tip)
    if not wins:
        return
    hits: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # key -> item -> kind
    url_norm = {a.item: norm_url(a.item) for a in url_acts}
    text_norm = {t: T.normal_text(label) for t, (label, _) in text_near.items()}
    for act, lo, hi in wins:
        if act.kind in ("url", "domain"):
            want, host = norm_url(act.value) if act.kind == "url" else ("", act.value.lower())
            site = registrable(host) if host else ""
            site = "" if site in PLATFORM_DOMAINS else site  # a push of one tweet is not a push of twitter.com
            for a in url_acts:
                if not (a.timestamp and lo <= a.timestamp <= hi):
                    continue
                if url_norm[a.item][0] == want or (site and registrable(url_norm[a.item][1]) == site):
                    hits[(a.platform, a.account_id)].setdefault(f"link {short(act.value, 50)}", "link")
        elif act.kind == "text":
            want = T.normal_text(act.value)
            for a in text_acts:
                if a.timestamp and lo <= a.timestamp <= hi and text_norm[a.item] == want:
                    hits[(a.platform, a.account_id)].setdefault(f'text "{short(act.value, 30)}"', "text")
        elif act.kind == "hashtag":
            tag = act.value.lstrip("#").lower()
            if tag_users.get(tag, 0) > RARE_HASHTAG_SHARE * max(n_accounts, 1):
                continue
            for a in tag_acts:
                if a.item == tag and a.timestamp and lo <= a.timestamp <= hi:
                    hits[(a.platform, a.account_id)].setdefault(f"#{tag}", "hashtag")
    for key, items in hits.items():
        strong = [i for i, k in items.items() if k != "hashtag"]
        s = 0.3 + 0.05 * (len(strong) - 1) if strong else min(0.2, 0.15 + 0.05 * (len(items) - 1))
        shown = ", ".join(list(items)[:3]) + (f" and {len(items) - 3} more" if len(items) > 3 else "")
        book.get(*key).add("behaviour", s, f"acted on {len(items)} tip item(s) inside the tip's activity"
                                           f" windows: {shown}")
