"""The access percentile read off the run's (account, value) pairs is the statement's
``quantile_cont`` of accounts per value: with empty values, with access rows that have no
account (the statement is run then), with values used once, and with no access rows."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from roles.helpers import make_ws, random_access_rows

from lockstep.store.queries import access_passes as ap
from lockstep.store.queries import shared as sh
from lockstep.store.queries.base import fetch
from lockstep.store.workspace import Workspace

T = datetime(2019, 8, 5, 9)


def _ref_quantile(ws: Workspace, kind: str) -> float | None:
    row = fetch(ws, f"""SELECT quantile_cont(n_acc, 0.99) FROM (SELECT {kind}, count(DISTINCT account_id) AS n_acc
                         FROM access WHERE {kind} IS NOT NULL GROUP BY 1)""")
    return None if row[0][0] is None else float(row[0][0])


@pytest.mark.parametrize("seed", range(10))
def test_access_quantile_on_the_pairs_is_the_statements(tmp_path: Path, seed: int) -> None:
    rng = random.Random(700 + seed)
    # half the worlds have access rows without an account (the statement counts those itself)
    access = random_access_rows(rng, rng.randint(50, 900), 0.0 if seed % 2 == 0 else 0.05)
    with make_ws(tmp_path / "ws", access=access) as ws:
        for kind in ("ip", "network", "device"):
            want = _ref_quantile(ws, kind)
            assert ap.access_users_quantile(sh.Passes(ws), kind) == want
            with sh.shared_passes(ws):
                assert ap.access_users_quantile(sh.passes(ws), kind) == want
        blanks = ap.access_blanks(sh.Passes(ws))
        assert (blanks is None) == (seed % 2 == 1)
        if blanks is not None:  # the empty value's accounts, per kind that has one
            assert blanks == {k: fetch(ws, f"SELECT count(DISTINCT account_id) FROM access WHERE {k} = ''")[0][0]
                              for k in ("ip", "network", "device")
                              if fetch(ws, f"SELECT count(*) FROM access WHERE {k} = ''")[0][0]}


@pytest.mark.parametrize("seed", range(6))
def test_widely_shared_on_the_pairs_is_the_statements(tmp_path: Path, seed: int) -> None:
    """Same rows in the same order (account, then kind as asked), examples and counts included."""
    from lockstep.store.queries import infrastructure as qi

    rng = random.Random(900 + seed)
    with make_ws(tmp_path / "ws", access=random_access_rows(rng, rng.randint(200, 900), 0.0)) as ws:
        for kinds in (("ip", "network", "device"), ("device", "ip"), ("network",)):
            for factor, least in ((0.5, 2), (1.0, 3), (2.0, 5)):
                want = qi._widely_shared_sql(ws, kinds, factor, least)
                assert qi.widely_shared_access(ws, kinds, factor, least) == want
                assert len({r.kind for r in want}) == len(kinds) or factor > 0.5


def test_access_quantile_without_access_rows(tmp_path: Path) -> None:
    with make_ws(tmp_path / "ws", accounts=[{"account_id": "a"}]) as ws:
        assert _ref_quantile(ws, "ip") is None
        assert ap.access_users_quantile(sh.Passes(ws), "ip") is None


def test_account_domains_are_the_statements_before(tmp_path: Path) -> None:
    """The domain tested after the grouping (``min(domain)``) keeps the rows of the statement
    that tested the grouped column: empty hosts, common domains, NULL links, case, www."""
    from lockstep.store.queries.base import in_list
    from lockstep.store.queries.infrastructure import (COMMON_DOMAINS, DOMAIN_SQL, account_domains_sql,
                                                       little_known_domains)
    rng = random.Random(5)
    urls = ["https://www.Site-A.example/x", "http://m.site-a.example", "site-b.example/p?q", "https://t.co/z",
            "mailto:", "", "https://:80/", "ftp://Site-C.example:21/f", "https://youtube.com/w", None]
    actions = [{"action_id": f"x{i}", "account_id": f"u{rng.randint(0, 25)}", "kind": "post",
                "timestamp": T + timedelta(minutes=i), "urls": rng.sample(urls, rng.randint(0, 4))}
               for i in range(500)]
    before = f"""SELECT account_id, {DOMAIN_SQL} AS domain, count(*) AS n
                 FROM (SELECT account_id, unnest(urls) AS u FROM actions WHERE len(urls) > 0)
                 GROUP BY 1, 2 HAVING domain <> '' AND domain NOT IN ({in_list(COMMON_DOMAINS)})"""
    with make_ws(tmp_path / "ws", actions=actions) as ws:
        want = sorted(fetch(ws, before))
        assert sorted(fetch(ws, account_domains_sql())) == want
        assert {d for _, d, _ in want} == {"site-a.example", "site-b.example", "site-c.example", "https", "mailto"}
        assert little_known_domains(ws, 2, 100)


def test_access_pass_splits_off_empty_values_and_keeps_every_account(tmp_path: Path) -> None:
    """One scan per kind: the pairs hold non-empty values only; the empty value's accounts are
    counted apart (NULL is neither); every account with an access row is kept, also one whose
    rows hold no value at all, which the log's account count (``access_accounts``) needs."""
    from lockstep.store.queries.entries import access_account_count, access_accounts

    rows = [("none", None, None), ("blank", "", None), ("blank", "", "n1"), ("c", "1.1.1.1", ""),
            ("d", "1.1.1.1", "n1"), ("d", "2.2.2.2", None)]
    access = [{"account_id": a, "timestamp": T + timedelta(minutes=i), "ip": ip, "network": net, "device": None}
              for i, (a, ip, net) in enumerate(rows)]
    with make_ws(tmp_path / "ws", access=access) as ws:
        for shared in (False, True):
            p = sh.Passes(ws)
            ip, net, dev = (ap.access_pass(p, k) for k in ("ip", "network", "device"))
            ids = p.ids
            assert sorted((ids[a], str(ip.values[v])) for a, v in zip(ip.acc.tolist(), ip.val.tolist())) == [
                ("c", "1.1.1.1"), ("d", "1.1.1.1"), ("d", "2.2.2.2")]
            assert (ip.blanks, net.blanks, dev.blanks) == (1, 1, None)
            assert [ids[a] for a in ip.accounts.tolist()] == ["blank", "c", "d", "none"]
            assert ap.access_blanks(p) == {"ip": 1, "network": 1}
            with sh.shared_passes(ws) if shared else _nothing():
                assert access_accounts(ws, ["none", "x", "d"]) == (access_account_count(ws), 2) == (4, 2)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
