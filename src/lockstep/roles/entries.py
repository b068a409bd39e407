"""Ways into an operation besides coordination and creation bursts, each with its evidence.

Amplifiers created steadily over months, with aged-looking profiles, show no creation burst
and few throwaway-profile signals, and most engage the core once among dozens of ordinary
"warm-up" actions. What still gives them away:

- **engaging infrastructure**: they log in through IPs, /24 networks or devices whose users
  mostly engage the operation's core (``min_share`` of them, ``min_engaging`` at least), far
  above the rate at which accounts elsewhere on the platform engage it (base rate, measured
  from the data: engagers among accounts using no such value), and beyond chance (a binomial
  tail <= 10^``MAX_LOG10_P``). Far above means ``min_lift`` times the base rate, or, for a core
  popular enough that so many times its base rate is out of reach (>= 1 / ``min_lift`` of the
  platform engages it), ``min_lift`` times fewer non-engagers than elsewhere: the rare outcome
  is then not engaging the core, and a ratio of shares saturates (a value whose 564 users all
  engage a core that 11% of the platform engages is 9x the base rate, and nothing could be 10x);
- **fast engagement**: they engage the core's posts within minutes of the post (an
  engagement wave), when the core's organic readers (the accounts reached by no other entry)
  arrive hours later.

Neither is enough alone: ``roles.refine`` takes an account in on two independent entries (or
one with its own account signals agreeing), so a loyalist who reshares a persona quickly, or a
neighbour on a home line the operation rents, is not taken.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lockstep.roles.synchrony import log10_binom_tail
from lockstep.store.queries import entries as q
from lockstep.store.queries.base import has_rows
from lockstep.store.workspace import Workspace

__all__ = ["MAX_LOG10_P", "MIN_VALUES", "FastEntry", "InfraEntry", "engaging_infrastructure", "fast_engagement",
           "fast_entries"]

MIN_VALUES = 3  # distinct engaging values (IPs, networks, devices) an account must use
MAX_LOG10_P = -6.0  # chance of a value's engagers given the base rate: the standard of sync_core


@dataclass(frozen=True)
class InfraEntry:
    """An access value whose users engage the core far above the platform's base rate."""

    kind: str
    value: str
    n_accounts: int
    n_engaging: int
    base_rate: float
    n_values: int = 1  # distinct such values (IPs, networks, devices) the account used

    @property
    def share(self) -> float:
        return self.n_engaging / self.n_accounts if self.n_accounts else 0.0

    @property
    def lift(self) -> float:
        """How many times the base rate its users engage the core."""
        return self.share / max(self.base_rate, 1e-9)

    @property
    def depletion(self) -> float:
        """How many times rarer not engaging the core is among its users than elsewhere."""
        return (1.0 - self.base_rate) / max(1.0 - self.share, 1e-9)

    @property
    def log10_p(self) -> float:
        """log10 of the chance that this many of its users engage the core at the base rate."""
        return log10_binom_tail(self.n_engaging, self.n_accounts, self.base_rate)

    def far_above(self, min_lift: float, max_log10_p: float = MAX_LOG10_P) -> bool:
        """Whether its users engage the core far above the base rate: ``min_lift`` times the
        engagers, or ``min_lift`` times fewer non-engagers (the one reachable when the core is
        popular), and beyond chance. Symmetric in the two outcomes, so it does not saturate."""
        return max(self.lift, self.depletion) >= min_lift and self.log10_p <= max_log10_p

    def text(self) -> str:
        return (f"logs in through {self.kind} {self.value!r}, used by {self.n_accounts} accounts of which"
                f" {self.n_engaging} ({self.share:.0%}) engage the operation's core, against {self.base_rate:.2%}"
                f" of accounts elsewhere ({self.lift:.0f}x; non-engagers {self.depletion:.0f}x rarer; chance"
                f" about 1 in 10^{-self.log10_p:.0f}); {self.n_values} such values in all")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "n_accounts": self.n_accounts,
                "n_engaging": self.n_engaging, "base_rate": round(self.base_rate, 5), "lift": round(self.lift, 1),
                "depletion": round(min(self.depletion, 1e9), 1), "log10_p": round(self.log10_p, 1),
                "n_values": self.n_values}


def engaging_infrastructure(ws: Workspace, engagers: set[str], min_engaging: int = 10, min_share: float = 0.8,
                            min_lift: float = 10.0, min_values: int = MIN_VALUES) -> dict[str, InfraEntry]:
    """Per account using at least ``min_values`` such values (engager or not): its value with
    the highest share of engagers. Only values used by more than one account count (a value
    is infrastructure when shared). Why several values: an operation's accounts rotate
    through its IPs, networks and devices; the owner of a home line the operation rents as a
    proxy uses one IP and its network, and a neighbour only the network."""
    if not engagers or not has_rows(ws, "access"):
        return {}
    dense = [v for v in q.engaging_values(ws, sorted(engagers), min_engaging)
             if v.n_accounts > 1 and v.n_engaging / v.n_accounts >= min_share]
    if not dense:
        return {}
    # a value's key: share of engagers, engagers, kind, value (the last two make it distinct)
    order = sorted(range(len(dense)), key=lambda i: (dense[i].n_engaging / dense[i].n_accounts,
                                                     dense[i].n_engaging, dense[i].kind, dense[i].value))
    rank = [0] * len(dense)
    for r, i in enumerate(order):
        rank[i] = r
    users = q.best_value_use(ws, dense, rank)  # (account, values used, its best value)
    n_all, n_eng_access = q.access_accounts(ws, engagers)
    base = ((n_eng_access - sum(1 for a, _, _ in users if a in engagers)) / (n_all - len(users))
            if n_all > len(users) else 0.0)
    out: dict[str, InfraEntry] = {}
    above: dict[int, bool] = {}  # per best value: the same entry but for n_values
    for acc, n_values, b in users:
        if n_values < min_values:
            continue
        best = dense[b]
        e = InfraEntry(best.kind, best.value, best.n_accounts, best.n_engaging, max(base, 0.0), n_values)
        if b not in above:
            above[b] = e.far_above(min_lift)
        if above[b]:
            out[acc] = e
    return out


@dataclass(frozen=True)
class FastEntry:
    """An account's engagements of the core's posts within minutes of the post."""

    n_core: int
    n_fast: int
    ref_rate: float  # share of the core's organic readers' engagements landing that fast
    window_s: int
    first_item: str
    first_author: str
    first_seconds: float

    def text(self) -> str:
        return (f"engaged {self.n_fast} of its {self.n_core} engagements of the core's posts within"
                f" {self.window_s // 60} min of the post (first: {self.first_item} by {self.first_author},"
                f" {self.first_seconds / 60:.0f} min after it); the core's other readers do so"
                f" {self.ref_rate:.1%} of the time")

    def to_dict(self) -> dict[str, Any]:
        return {"n_core": self.n_core, "n_fast": self.n_fast, "ref_rate": round(self.ref_rate, 4),
                "window_s": self.window_s, "first_item": self.first_item, "first_author": self.first_author,
                "first_seconds": round(self.first_seconds)}


def fast_engagement(ws: Workspace, core: Mapping[str, str], window_s: int, reference_excludes: set[str],
                    max_ref_rate: float = 0.25) -> dict[str, FastEntry]:
    """Accounts outside ``core`` most of whose engagements of the core's posts land within
    ``window_s`` of the post, when the core's organic readers (engagers not in
    ``reference_excludes``) do so at most ``max_ref_rate`` of the time (otherwise fast
    engagement is what this core's readers do anyway, and it says nothing)."""
    return fast_entries(q.fast_core_engagement(ws, core, window_s), window_s, reference_excludes, max_ref_rate)


def fast_entries(rows: Sequence[q.FastEngagement], window_s: int, reference_excludes: set[str],
                 max_ref_rate: float = 0.25) -> dict[str, FastEntry]:
    """:func:`fast_engagement` judged on the core's rows of ``fast_core_engagement`` (asked
    beside the round's other entries: the query does not depend on their answers, only the
    reference does)."""
    ref = [r for r in rows if r.account_id not in reference_excludes]
    n = sum(r.n_core for r in ref)
    rate = sum(r.n_fast for r in ref) / n if n else 0.0
    if rate > max_ref_rate:
        return {}
    return {r.account_id: FastEntry(r.n_core, r.n_fast, rate, window_s, r.first_item, r.first_author,
                                    r.first_seconds)
            for r in rows if r.n_fast >= 1 and 2 * r.n_fast >= r.n_core}
