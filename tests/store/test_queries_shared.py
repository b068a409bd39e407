"""The engagement queries on the run's shared integer-id arrays (``queries.shared``) give the
rows of the plain SQL statements they replaced, on random workspaces with the awkward cases:
self-engagement, engagement of a missing action, an action id stored twice, targets that
never act, members that never act, ids whose sort order differs by case and accents."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from roles.helpers import make_ws

from lockstep.store.queries import shared as sh
from lockstep.store.queries.base import fetch, group_table, in_list, temp_arrow
from lockstep.store.queries.engagement import (ENGAGE_KINDS, ORIGINAL_KINDS, audience_rows, core_engagement_counts,
                                               engagement_received_within, received_outside)
from lockstep.store.workspace import Workspace

T = datetime(2019, 8, 5, 9)
KINDS = ("post", "quote", "link", "repost", "reply", "like", "follow")

# the statements the array versions replaced, kept as the reference
_RECEIVED = f"""eng AS (SELECT e.account_id AS src, coalesce(e.target_account_id, p.account_id) AS dst
                 FROM actions e LEFT JOIN (SELECT DISTINCT action_id, account_id FROM actions
                                           WHERE kind IN ({in_list(ORIGINAL_KINDS)})) p
                   ON e.target_id = p.action_id
                 WHERE e.kind IN ({in_list(ENGAGE_KINDS)}))"""


def _ref_core_counts(ws: Workspace, members: dict[str, str]) -> list[tuple[Any, ...]]:
    with temp_arrow(ws, "_core", group_table(members)):
        return fetch(ws, f"""
            WITH core_posts AS (SELECT DISTINCT a.action_id, m.campaign_id FROM actions a JOIN _core m USING (account_id)),
            eng AS (SELECT row_key, account_id, target_id, target_account_id FROM actions
                    WHERE kind IN ({in_list(ENGAGE_KINDS)})),
            hits AS (SELECT eng.row_key, eng.account_id, m.campaign_id, m.account_id AS target
                     FROM eng JOIN _core m ON eng.target_account_id = m.account_id
                     UNION
                     SELECT eng.row_key, eng.account_id, cp.campaign_id, NULL FROM eng
                     JOIN core_posts cp ON eng.target_id = cp.action_id)
            SELECT h.account_id, h.campaign_id, count(DISTINCT h.row_key)
            FROM hits h WHERE h.account_id <> coalesce(h.target, '') GROUP BY 1, 2 ORDER BY 1, 2""")


def _ref_within(ws: Workspace, members: dict[str, str]) -> list[tuple[Any, ...]]:
    with temp_arrow(ws, "_members", group_table(members)):
        return sorted(fetch(ws, f"""
            WITH {_RECEIVED}
            SELECT eng.dst, count(*) FROM eng JOIN _members ms ON eng.src = ms.account_id
            JOIN _members md ON eng.dst = md.account_id AND md.campaign_id = ms.campaign_id
            WHERE eng.src <> eng.dst GROUP BY 1"""))


def _ref_audience(ws: Workspace, members: dict[str, str]) -> list[tuple[Any, ...]]:
    with temp_arrow(ws, "_members", group_table(members)):
        return fetch(ws, f"""
            WITH {_RECEIVED},
            per AS (SELECT eng.dst, m.campaign_id, count(*) AS n FROM eng JOIN _members m ON eng.src = m.account_id
                    WHERE eng.src <> eng.dst AND eng.dst NOT IN (SELECT account_id FROM _members) GROUP BY 1, 2),
            tot AS (SELECT dst, count(*) AS n_all FROM eng WHERE src <> dst AND dst IN (SELECT dst FROM per)
                    GROUP BY 1)
            SELECT per.dst, per.campaign_id, per.n, tot.n_all FROM per JOIN tot USING (dst) ORDER BY 1, 2""")


def _ref_outside(ws: Workspace, members: dict[str, str], camps: list[str]) -> tuple[int, int]:
    with temp_arrow(ws, "_members", group_table(members)):
        row = fetch(ws, f"""
            WITH {_RECEIVED}
            SELECT count(*) FILTER (WHERE m.campaign_id IN (SELECT unnest(?::VARCHAR[]))), count(*)
            FROM eng LEFT JOIN _members m ON eng.src = m.account_id
            WHERE eng.dst IS NOT NULL AND eng.src <> eng.dst
              AND eng.dst NOT IN (SELECT account_id FROM _members)""", [sorted(camps)])[0]
    return int(row[0] or 0), int(row[1] or 0)


def _world(rng: random.Random) -> list[dict[str, Any]]:
    accounts = [f"a{i}" for i in range(12)] + ["B1", "b2", "é3", "Z", "_x", "10", "9"]
    actions: list[dict[str, Any]] = []
    for i in range(rng.randint(30, 160)):
        kind = rng.choice(KINDS)
        acc = rng.choice(accounts)
        target = target_acc = None
        if kind not in ("post", "link") or rng.random() < 0.1:
            r = rng.random()
            if actions and r < 0.6:
                t = rng.choice(actions)
                target = t["action_id"]
                target_acc = t["account_id"] if rng.random() < 0.6 else rng.choice([None, acc, "ghost"])
            elif r < 0.8:
                target, target_acc = "missing", rng.choice([None, rng.choice(accounts), "ghost"])
            else:
                target_acc = rng.choice(accounts + ["ghost"])
        # now and then an action id stored twice (another platform's row with the same id)
        aid = rng.choice(actions)["action_id"] if actions and rng.random() < 0.05 else f"x{i}"
        actions.append({"action_id": aid, "account_id": acc, "kind": kind, "target_id": target,
                        "target_account_id": target_acc, "timestamp": T + timedelta(minutes=i),
                        "platform": rng.choice(["twitter", "mastodon"])})
    # now and then the same action stored twice (on another platform): one post, one author
    for t in rng.sample(actions, min(len(actions), 3)):
        actions.append({**t, "platform": "twitter" if t["platform"] != "twitter" else "mastodon"})
    return actions


@pytest.mark.parametrize("seed", range(12))
def test_array_queries_match_the_sql(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    actions = _world(rng)
    with make_ws(tmp_path / "ws", actions=actions) as ws:
        accounts = sorted({a["account_id"] for a in actions}) + ["never_acts"]
        checked = 0
        for _ in range(4):
            members = {a: rng.choice(["c1", "C2", "c3"]) for a in rng.sample(accounts, rng.randint(1, 8))}
            camps = sorted(set(members.values()))[: rng.randint(1, 3)]
            want = (_ref_core_counts(ws, members), _ref_within(ws, members), _ref_audience(ws, members),
                    _ref_outside(ws, members, camps))
            for shared in (False, True):
                if shared:
                    with sh.shared_passes(ws):
                        got = (core_engagement_counts(ws, members), engagement_received_within(ws, members),
                               audience_rows(ws, members), received_outside(ws, members, camps))
                        assert sh.passes(ws).cache  # built once and kept inside the block
                else:
                    got = (core_engagement_counts(ws, members), engagement_received_within(ws, members),
                           audience_rows(ws, members), received_outside(ws, members, camps))
                assert [list(map(tuple, r)) if isinstance(r, list) else r for r in got] == \
                    [list(map(tuple, r)) if isinstance(r, list) else r for r in want]
            checked += len(want[0]) + len(want[1]) + len(want[2])
        assert not sh.passes(ws).cache  # dropped at the end of the block
    assert checked > 0


def test_empty_groups_and_duplicates_checked(tmp_path: Path) -> None:
    """The random worlds do hold a duplicated action id and a self-engagement."""
    actions = [_world(random.Random(s)) for s in range(12)]
    assert any(len({a["action_id"] for a in w}) < len(w) for w in actions)
    assert any(len({(a["action_id"], a["account_id"], a["kind"]) for a in w}) < len(w) for w in actions)
    assert any(a["account_id"] == a["target_account_id"] for w in actions for a in w)
    with make_ws(tmp_path / "ws", actions=actions[0]) as ws:
        assert core_engagement_counts(ws, {}) == [] and audience_rows(ws, {}) == []
        assert received_outside(ws, {}, ["c1"]) == (0, 0)


def _ref_engaging_values(ws: Workspace, engagers: list[str], min_engaging: int) -> list[tuple[Any, ...]]:
    from lockstep.store.queries.base import ids_table
    parts = [f"""SELECT '{k}' AS kind, {k} AS value, count(DISTINCT account_id) AS n,
                        count(DISTINCT account_id) FILTER (WHERE account_id IN (SELECT account_id FROM _eng)) AS ne
                 FROM access WHERE {k} IS NOT NULL AND {k} <> '' GROUP BY 1, 2""" for k in ("ip", "network", "device")]
    with temp_arrow(ws, "_eng", ids_table(engagers)):
        return fetch(ws, "SELECT * FROM (" + " UNION ALL ".join(parts) + f") WHERE ne >= {int(min_engaging)}"
                     " ORDER BY kind, value")


def _ref_campaign_shared(ws: Workspace, group: dict[str, str], kind: str, min_others: int,
                         min_concentration: float) -> list[tuple[Any, ...]]:
    with temp_arrow(ws, "_group", group_table(group)):
        return sorted(fetch(ws, f"""
            WITH v AS (SELECT DISTINCT a.account_id, g.campaign_id, a.{kind} AS val FROM access a
                       JOIN _group g USING (account_id) WHERE a.{kind} IS NOT NULL AND a.{kind} <> ''),
            per AS (SELECT {kind} AS val, count(DISTINCT account_id) AS n_acc FROM access
                    WHERE {kind} IS NOT NULL GROUP BY 1),
            c AS (SELECT campaign_id, val, count(*) AS n FROM v GROUP BY 1, 2
                  HAVING count(*) >= greatest({int(min_others) + 1},
                                              (SELECT quantile_cont(n_acc, 0.99) FROM per))),
            tot AS (SELECT {kind} AS val, count(DISTINCT account_id) AS n_all FROM access
                    WHERE {kind} IN (SELECT val FROM c) GROUP BY 1),
            grp AS (SELECT val, count(DISTINCT account_id) AS n_grp FROM v GROUP BY 1),
            ok AS (SELECT c.* FROM c JOIN tot USING (val) JOIN grp USING (val)
                   WHERE grp.n_grp >= {float(min_concentration)} * tot.n_all)
            SELECT v.account_id, max(ok.n) - 1 FROM v JOIN ok USING (campaign_id, val)
            GROUP BY 1"""))


def _access(rng: random.Random, accounts: list[str], p_shared: float, devices: list[str],
            n: int) -> list[dict[str, object]]:
    """``n`` access rows: each value one of a few shared ones (or empty, or missing) with
    probability ``p_shared``, else used once."""
    def value(shared: list[str], i: int) -> str | None:
        return rng.choice(shared + ["", None]) if rng.random() < p_shared else f"{shared[0]}-{i}"
    return [{"account_id": rng.choice(accounts), "timestamp": T + timedelta(minutes=i),
             "ip": value(["10.0.0.1", "10.0.0.2", "10.0.1.9"], i), "network": value(["n1", "N3"], i),
             "device": value(devices, i)} for i in range(n)]


@pytest.mark.parametrize("seed", range(10))
def test_access_queries_match_the_sql(tmp_path: Path, seed: int) -> None:
    from lockstep.store.queries.entries import engaging_values
    from lockstep.store.queries.infrastructure import campaign_shared_access
    rng = random.Random(100 + seed)
    accounts = [f"a{i}" for i in range(40)] + ["B1", "é3"]
    # a few shared values among many used once, so that shared ones stand out of the 99th percentile
    access = _access(rng, accounts, 0.3, ["d1", "d2", "d3"], rng.randint(1000, 1500))
    with make_ws(tmp_path / "ws", access=access, actions=_world(rng)) as ws:
        hits = 0
        for _ in range(4):
            group = {a: rng.choice(["c1", "c2"]) for a in rng.sample(accounts, rng.randint(10, 40))}
            engagers = sorted(rng.sample(accounts, rng.randint(1, 30)))
            min_eng, min_others, conc = rng.randint(0, 4), rng.randint(0, 3), rng.choice([0.5, 0.3, 0.7, 1e-5])
            for shared in (False, True):
                with sh.shared_passes(ws) if shared else _nothing():
                    assert [tuple(v) for v in engaging_values(ws, engagers, min_eng)] == \
                        _ref_engaging_values(ws, engagers, min_eng)
                    for kind in ("ip", "network", "device"):
                        want = _ref_campaign_shared(ws, group, kind, min_others, conc)
                        assert campaign_shared_access(ws, group, kind, min_others, conc) == want
                        hits += len(want)
    assert hits > 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _ref_best_value_use(ws: Workspace, uses: list[Any], rank: list[int]) -> list[tuple[str, int, int]]:
    """What ``roles.entries`` built from ``value_users`` per kind before ``best_value_use``."""
    from lockstep.store.queries.entries import value_users
    users: dict[str, list[int]] = {}
    by_kind: dict[str, list[str]] = {}
    for u in uses:
        by_kind.setdefault(u.kind, []).append(u.value)
    index = {(u.kind, u.value): i for i, u in enumerate(uses)}
    for kind, values in by_kind.items():
        for acc, value in value_users(ws, kind, values):
            users.setdefault(acc, []).append(index[(kind, value)])
    return [(acc, len(vs), max(vs, key=lambda i: rank[i])) for acc, vs in users.items()]


@pytest.mark.parametrize("seed", range(8))
def test_value_users_on_the_pairs_match_the_sql(tmp_path: Path, seed: int) -> None:
    from lockstep.store.queries.entries import (access_account_count, access_accounts, best_value_use,
                                                engaging_values, value_users_any)
    rng = random.Random(300 + seed)
    accounts = [f"a{i}" for i in range(40)] + ["B1", "é3", "Z"]
    access = _access(rng, accounts, 0.4, ["d1", "d2", "é"], rng.randint(300, 600))
    with make_ws(tmp_path / "ws", access=access, actions=_world(rng)) as ws:
        hits = 0
        for _ in range(4):
            engagers = set(rng.sample(accounts + ["ghost"], rng.randint(1, 30)))
            uses = [v for v in engaging_values(ws, sorted(engagers), rng.randint(0, 3)) if rng.random() < 0.7]
            rng.shuffle(uses)  # kinds interleaved: the kinds' first appearance sets the order
            rank = list(range(len(uses)))
            rng.shuffle(rank)
            for shared in (False, True):
                with sh.shared_passes(ws) if shared else _nothing():
                    want = _ref_best_value_use(ws, uses, rank)
                    assert best_value_use(ws, uses, rank) == want
                    n_any = len([a for a, _ in value_users_any(ws, sorted(engagers))])
                    assert access_accounts(ws, engagers) == (access_account_count(ws), n_any)
                    hits += len(want)
    assert hits > 0
