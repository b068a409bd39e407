"""The integer form of item rows carries each row's account number, an item number per
distinct item and, on hot items only, the row's rank in (time, account, action, uid) order:
checked against the same numbers worked out in Python on generated rows with ties in time,
account and action, for both forms: pairs.int_form_sql (hot items as a relation, their ranks
joined back by uid; the toolkit's path) and pairs.numbered_form_sql (items numbered and hot
items found by one group-by, item_numbers_sql; the hot rows ranked apart and put beside the
others; deferred scoring's path)."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from lockstep.engine.duckdb.pairs import int_form_sql, item_numbers_sql, numbered_form_sql

# (item, account, action, seconds)
ROW = st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2), st.integers(0, 3))


def _int_form(rows: list[tuple[int, int, int, int]], hot_min: int | None,
              numbered: bool) -> tuple[list[Any], dict[int, str]]:
    con = duckdb.connect()
    items = pa.table({"uid": list(range(1, len(rows) + 1)), "platform": ["x"] * len(rows),
                      "account_id": [f"u{a}" for _, a, _, _ in rows], "action_id": [f"m{m}" for _, _, m, _ in rows],
                      "item": [f"i{i}" for i, _, _, _ in rows], "t_us": [s * 1_000_000 for _, _, _, s in rows]})
    con.register("_items", items)
    con.execute("CREATE TABLE acc AS SELECT account_id, row_number() OVER (ORDER BY account_id) AS aid"
                " FROM (SELECT DISTINCT account_id FROM _items)")
    if numbered:
        con.execute(f"CREATE TABLE itm AS {item_numbers_sql('_items')}")
        sql = numbered_form_sql("_items", "acc", "itm", hot_min)
    else:
        hot = None
        if hot_min is not None:
            con.execute(f"CREATE TABLE hot AS SELECT item FROM _items GROUP BY item HAVING count(*) > {hot_min}")
            hot = "hot"
        sql = int_form_sql("_items", "acc", hot)
    got = con.execute(f"SELECT * FROM ({sql}) ORDER BY uid").fetchall()
    names = dict(con.execute("SELECT aid, account_id FROM acc").fetchall())
    con.close()
    return got, names


@pytest.mark.parametrize("numbered", [False, True])
@settings(max_examples=80, deadline=None)
@given(rows=st.lists(ROW, min_size=1, max_size=30), hot_min=st.one_of(st.none(), st.integers(0, 6)))
def test_integer_rows_are_the_string_rows_numbered(rows: list[tuple[int, int, int, int]], hot_min: int | None,
                                                   numbered: bool) -> None:
    got, names = _int_form(rows, hot_min, numbered)
    assert [g[0] for g in got] == list(range(1, len(rows) + 1))  # every row once, by its uid
    per_item: dict[int, list[int]] = {}
    for uid, (item, _, _, _) in enumerate(rows, 1):
        per_item.setdefault(item, []).append(uid)
    rank: dict[int, int] = {}
    for item, uids in per_item.items():
        if hot_min is not None and len(uids) > hot_min:
            order = sorted(uids, key=lambda u: (rows[u - 1][3], f"u{rows[u - 1][1]}", f"m{rows[u - 1][2]}", u))
            rank.update({u: r for r, u in enumerate(order, 1)})
    number: dict[int, int] = {}
    for (uid, aid, iid, t_us, rn), (item, acc, _, sec) in zip(got, rows):
        assert names[aid] == f"u{acc}" and t_us == sec * 1_000_000
        assert number.setdefault(item, iid) == iid  # one number per item ...
        assert rn == rank.get(uid)  # ranked on hot items only
    assert len(set(number.values())) == len(number)  # ... and one item per number
