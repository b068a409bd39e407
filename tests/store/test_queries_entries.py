"""The entry queries count what they say: values used by core engagers (with all their users),
fast engagement of the core's posts (only original posts, only outside the group, the window
inclusive), weekly hour counts and declared automation."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from roles.helpers import make_ws

from lockstep.store.queries.entries import (declared_automation, engaging_values, fast_core_engagement,
                                            value_users, week_hour_counts)

T = datetime(2019, 8, 5, 9)  # a Monday


def _a(aid: str, acc: str, kind: str, minute: int, target: str | None = None) -> dict[str, Any]:
    return {"action_id": aid, "account_id": acc, "kind": kind, "timestamp": T + timedelta(minutes=minute),
            "target_id": target}


def _login(acc: str, ip: str, device: str) -> dict[str, Any]:
    return {"account_id": acc, "timestamp": T, "ip": ip, "network": ip.rsplit(".", 1)[0] + ".0/24",
            "device": device}


def test_entry_queries(tmp_path: Path) -> None:
    actions = [_a("p1", "core", "post", 0), _a("r1", "core", "repost", 1, "x9"),
               _a("e1", "fast", "repost", 30, "p1"), _a("e2", "slow", "repost", 120, "p1"),
               _a("e3", "edge", "like", 60, "p1"), _a("e4", "core2", "repost", 1, "p1"),
               _a("e5", "fast", "repost", 5, "r1"),  # a repost of the core's repost: not an original post
               _a("w1", "slow", "post", 60 * 24 * 7 + 60)]  # the next week, 10:00 UTC
    accounts = [{"account_id": a, "handle": a, "display_name": a, "description": d}
                for a, d in (("core", "news"), ("fast", "Automated feed of headlines (bot)"),
                             ("slow", "robotics fan, not a bot, bot-maker"), ("edge", "RSS of my blog"))]
    access = [_login("fast", "10.0.0.1", "d1"), _login("slow", "10.0.0.1", "d2"), _login("edge", "10.0.0.2", "d1"),
              _login("other", "10.0.0.1", "d3")]
    with make_ws(tmp_path / "ws", accounts=accounts, actions=actions, access=access) as ws:
        vals = {(v.kind, v.value): (v.n_accounts, v.n_engaging) for v in engaging_values(ws, ["fast", "slow", "edge"], 2)}
        assert vals == {("ip", "10.0.0.1"): (3, 2), ("network", "10.0.0.0/24"): (4, 3), ("device", "d1"): (2, 2)}
        assert value_users(ws, "ip", ["10.0.0.1"]) == [("fast", "10.0.0.1"), ("other", "10.0.0.1"),
                                                       ("slow", "10.0.0.1")]
        fast = {r.account_id: r for r in fast_core_engagement(ws, {"core": "c", "core2": "c"}, 3600)}
        assert set(fast) == {"fast", "slow", "edge"}  # core2 is in the group
        assert (fast["fast"].n_core, fast["fast"].n_fast, fast["fast"].first_item) == (1, 1, "p1")
        assert (fast["edge"].n_fast, fast["slow"].n_fast, fast["slow"].n_core) == (1, 0, 1)
        assert fast["fast"].first_seconds == 1800
        weeks = week_hour_counts(ws, ["slow"])
        assert [(h, n) for _, _, h, n in weeks] == [(11, 1), (10, 1)] and weeks[0][1] + 1 == weeks[1][1]
        assert declared_automation(ws, ["core", "fast", "slow", "edge"]) == {"fast": "Automated", "edge": "RSS"}


def test_a_steady_stream_of_engagers_is_not_a_creation_burst(tmp_path: Path) -> None:
    """Accounts registered a few a day for months fill every day with core engagers; only a
    day far above the usual count around it is a cohort."""
    from lockstep.store.queries.profile import engager_creation_bins

    day0 = datetime(2019, 3, 1)
    accounts = [{"account_id": f"s{d}_{k}", "created_at": day0 + timedelta(days=d, hours=k)}
                for d in range(60) for k in range(6)]
    accounts += [{"account_id": f"b{k}", "created_at": day0 + timedelta(days=30, minutes=k)} for k in range(60)]
    actions = [_a(f"x_{a['account_id']}", a["account_id"], "repost", 0, "p") for a in accounts]
    engagers = [a["account_id"] for a in accounts]
    with make_ws(tmp_path / "ws", accounts=accounts, actions=actions) as ws:
        dense_days = {r.bin for r in engager_creation_bins(ws, engagers, "day", 5, 0.25) if r.dense}
        burst_days = {r.bin for r in engager_creation_bins(ws, engagers, "day", 5, 0.25, 5.0) if r.dense}
    assert len(dense_days) == 60
    assert burst_days == {day0 + timedelta(days=30)}


def test_fast_engagement_ties_pick_the_smallest_item(tmp_path: Path) -> None:
    """Two core posts engaged the same seconds after each: the first fast item is the smaller
    id, with its own author, every time (arg_min alone took either; runs disagreed)."""
    actions = [_a("p9", "core", "post", 0), _a("p1", "core2", "post", 10),
               _a("e1", "fan", "repost", 6, "p9"), _a("e2", "fan", "repost", 16, "p1")]
    actions += [_a(f"x{i}", f"filler{i}", "post", i) for i in range(200)]  # more rows, more threads
    with make_ws(tmp_path / "ws", actions=actions) as ws:
        for _ in range(5):
            (r,) = fast_core_engagement(ws, {"core": "c", "core2": "c"}, 3600)
            assert (r.first_item, r.first_author, r.first_seconds, r.n_fast) == ("p1", "core2", 360, 2)


def test_dense_bins_counted_in_sql_match_the_rows(tmp_path: Path) -> None:
    """``engager_dense_bins`` gives the dense rows of ``engager_creation_bins`` and the counts
    of the ordinary rows (accounts outside dense bins, engagers among them), as the roles
    stage used to count them from every row."""
    import random

    from lockstep.store.queries.profile import engager_creation_bins, engager_dense_bins

    rng = random.Random(7)
    day0 = datetime(2019, 3, 1)
    accounts = [{"account_id": f"s{i}", "created_at": day0 + timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))}
                for i in range(300)]
    accounts += [{"account_id": f"b{k}", "created_at": day0 + timedelta(days=20, minutes=k)} for k in range(40)]
    accounts += [{"account_id": "no_time", "created_at": None}]
    actions = [_a(f"x_{a['account_id']}", str(a["account_id"]), "repost", 0, "p") for a in accounts[::2]]
    actions += [_a(f"y_{a['account_id']}", str(a["account_id"]), "post", 0) for a in accounts[1::3]]
    with make_ws(tmp_path / "ws", accounts=accounts, actions=actions) as ws:
        for unit, min_eng, share, ratio in (("day", 5, 0.25, 0.0), ("day", 3, 0.5, 5.0), ("hour", 2, 0.25, 0.0),
                                            ("day", 1000, 0.25, 0.0)):
            engagers = {str(a["account_id"]) for a in rng.sample(accounts, 150)} | {f"b{k}" for k in range(30)}
            every = engager_creation_bins(ws, engagers, unit, min_eng, share, ratio)
            dense, n_ord, n_ord_eng = engager_dense_bins(ws, engagers, unit, min_eng, share, ratio)
            ordinary = [r for r in every if not r.dense]
            assert sorted(dense) == sorted(r for r in every if r.dense)
            assert (n_ord, n_ord_eng) == (len(ordinary), sum(1 for r in ordinary if r.account_id in engagers))
            assert ordinary
