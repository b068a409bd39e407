"""Activity signals: when, how and with what an account acts.

An operation run from an office keeps office hours in one time zone (the China 2019
network followed the Beijing working week); it posts through the same tools; and it
often buys or takes over old accounts whose earlier life (language, topics) has nothing
to do with the operation, then leaves a long silent gap before the new owner starts.
"""

from __future__ import annotations

import numpy as np

from lockstep.accounts.base import AccountSignal, Finding, pct, register
from lockstep.store.workspace import Workspace

WORK_START, WORK_END = 9, 18  # local office hours, 09:00-18:00
_HOW = np.arange(168)
_OFFICE = ((_HOW // 24) < 5) & ((_HOW % 24) >= WORK_START) & ((_HOW % 24) < WORK_END)
_WEEKEND = (_HOW // 24) >= 5
OFFSETS = np.arange(-12, 15)


def hour_of_week_hist(ws: Workspace, account_ids: list[str] | None = None) -> dict[str, np.ndarray]:
    """Per account, a 168-bin histogram of actions by UTC hour of week (Monday 00:00 = 0)."""
    where = ""
    if account_ids is not None:
        ws.con.register("_ids", _ids_table(account_ids))
        where = "WHERE account_id IN (SELECT account_id FROM _ids)"
    rows = ws.con.execute(f"""
        SELECT account_id, (isodow(timestamp) - 1) * 24 + hour(timestamp) AS how, count(*)
        FROM actions {where} GROUP BY 1, 2""").fetchall()
    out: dict[str, np.ndarray] = {}
    for acc, how, n in rows:
        out.setdefault(acc, np.zeros(168))[int(how)] += n
    return out


def office_hours(hist: np.ndarray) -> tuple[int, float, float]:
    """The UTC offset that puts most activity into weekday 09:00-18:00 local time.

    Returns (offset hours, share of actions in office hours there, share at weekends)."""
    total = hist.sum()
    if total == 0:
        return 0, 0.0, 0.0
    # local hour-of-week = utc + offset, so local histogram = roll(hist, offset)
    local = np.stack([np.roll(hist, o) for o in OFFSETS])
    office = (local[:, _OFFICE].sum(axis=1)) / total
    best = int(np.argmax(office))
    return int(OFFSETS[best]), float(office[best]), float(local[best, _WEEKEND].sum() / total)


def workweek_strength(office_share: float, weekend_share: float) -> float:
    """0..1: how much an activity pattern looks like a job. Office-hours share alone is
    not enough: a community active every evening in one zone falls into office hours of
    another zone, but keeps its weekends (2 days in 7 = 29%); an office does not."""
    office = float(np.clip((office_share - 0.55) / 0.35, 0, 1))
    quiet_weekend = float(np.clip(1 - weekend_share / 0.15, 0, 1))
    return office * quiet_weekend


def describe_zone(offset: int) -> str:
    def z(o: int) -> str:
        return f"UTC{o:+d}" if o else "UTC"
    return (f"{WORK_START:02d}:00-{WORK_END:02d}:00 {z(offset)}, weekdays"
            f" (equally {WORK_START - 1:02d}:00-{WORK_END - 1:02d}:00 {z(offset - 1)})")


@register
class WorkingHours(AccountSignal):
    name = "working_hours"
    explanation = ("Activity packed into weekday office hours of one time zone and quiet at"
                   " weekends, as when posting is someone's job; gives the most likely zone.")
    defaults = {"min_actions": 10, "min_share": 0.75}
    needs = ("actions",)

    def compute(self, ws: Workspace) -> list[Finding]:
        out = []
        for acc, hist in hour_of_week_hist(ws).items():
            n = int(hist.sum())
            if n < self.params["min_actions"]:
                continue
            off, share, weekend = office_hours(hist)
            if share < self.params["min_share"]:
                continue
            strength = workweek_strength(share, weekend)
            if strength <= 0:
                continue
            out.append(Finding(acc, self.name, strength,
                               f"{pct(share)} of {n} actions fall in {describe_zone(off)};"
                               f" {pct(weekend)} at weekends",
                               {"utc_offset": off, "office_share": round(share, 3),
                                "weekend_share": round(weekend, 3), "n_actions": n}))
        return out


@register
class ClientMix(AccountSignal):
    name = "client_mix"
    explanation = ("Posts almost only through a client (app) that very few accounts on the"
                   " platform use: scheduling or automation tools shared by an operation.")
    defaults = {"max_client_share": 0.02, "min_account_share": 0.8, "min_actions": 1,
                "min_accounts": 50}
    needs = ("actions",)

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        rows = ws.con.execute(f"""
            WITH per AS (SELECT account_id, client, count(*) AS n FROM actions
                         WHERE client IS NOT NULL AND client <> '' GROUP BY 1, 2),
            tot AS (SELECT account_id, sum(n) AS total FROM per GROUP BY 1),
            pop AS (SELECT client, count(*)::DOUBLE / (SELECT count(*) FROM tot) AS acc_share
                    FROM per GROUP BY 1)
            SELECT per.account_id, per.client, per.n, tot.total, pop.acc_share
            FROM per JOIN tot USING (account_id) JOIN pop USING (client)
            WHERE pop.acc_share <= {float(p['max_client_share'])}
              AND per.n >= {float(p['min_account_share'])} * tot.total
              AND tot.total >= {int(p['min_actions'])}
              AND (SELECT count(*) FROM tot) >= {int(p['min_accounts'])}""").fetchall()
        return [Finding(acc, self.name, 0.5,
                        f"{n} of {total} actions through '{client}', a client used by"
                        f" {acc_share * 100:.2f}% of accounts",
                        {"client": client, "n": int(n), "total": int(total),
                         "client_account_share": round(acc_share, 5)})
                for acc, client, n, total, acc_share in rows]


@register
class Repurposed(AccountSignal):
    name = "repurposed"
    explanation = ("An old account that went silent for a long time and came back as someone"
                   " else: a different language, topics unrelated to its earlier life.")
    defaults = {"min_dormancy_days": 180, "min_before": 3}
    needs = ("actions",)

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        rows = ws.con.execute(f"""
            WITH g AS (SELECT account_id, timestamp, timestamp - lag(timestamp) OVER
                              (PARTITION BY account_id ORDER BY timestamp) AS gap FROM actions),
            m AS (SELECT account_id, arg_max(timestamp, gap) AS resume, max(gap) AS gap
                  FROM g GROUP BY 1 HAVING max(gap) >= INTERVAL {int(p['min_dormancy_days'])} DAY)
            SELECT m.account_id, m.resume, epoch(m.gap) / 86400 AS days,
                   count(*) FILTER (WHERE a.timestamp < m.resume) AS n_before,
                   count(*) FILTER (WHERE a.timestamp >= m.resume) AS n_after,
                   mode(a.language) FILTER (WHERE a.timestamp < m.resume) AS lang_before,
                   mode(a.language) FILTER (WHERE a.timestamp >= m.resume) AS lang_after,
                   list_distinct(flatten(list(a.hashtags) FILTER (WHERE a.timestamp < m.resume))) AS tags_before,
                   list_distinct(flatten(list(a.hashtags) FILTER (WHERE a.timestamp >= m.resume))) AS tags_after
            FROM m JOIN actions a USING (account_id)
            GROUP BY m.account_id, m.resume, m.gap""").fetchall()
        out = []
        for acc, resume, days, n_before, n_after, lb, la, tb, ta in rows:
            if n_before < p["min_before"]:
                continue
            strength, words = 0.3, [f"silent for {days:.0f} days until {resume:%Y-%m-%d}"
                                    f" ({n_before} actions before, {n_after} after)"]
            switched = bool(lb and la and lb.lower() != la.lower())
            if switched:
                strength += 0.4
                words.append(f"language switched from '{lb}' to '{la}'")
            tb, ta = {t.lower() for t in tb or []}, {t.lower() for t in ta or []}
            unrelated = bool(tb and ta and not (tb & ta))
            if unrelated:
                strength += 0.2
                words.append(f"no hashtag in common between its earlier life ({len(tb)} tags)"
                             f" and now ({len(ta)})")
            out.append(Finding(acc, self.name, min(strength, 1.0), "; ".join(words),
                               {"dormant_days": round(days, 1), "resume": f"{resume:%Y-%m-%d}",
                                "n_before": int(n_before), "n_after": int(n_after),
                                "language_before": lb, "language_after": la,
                                "language_switch": switched, "unrelated_topics": unrelated}))
        return out


def _ids_table(ids: list[str]):  # noqa: ANN202 - small helper
    import pyarrow as pa
    return pa.table({"account_id": pa.array(ids, pa.string())})
