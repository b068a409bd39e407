"""Surprise scoring on integer keys (surprise_np) against the SQL steps it replaces, on the same
kept pair rows: the same edges (weights and gaps to 1e-9, shared items, synchrony, the Wilson
test), the same co-actions and the same evidence lists.

The worlds are built to hit what the integer path must get right on its own: several rows
of one account pair on one item (the earliest kept), equal gaps broken on the action ids as
strings, pairs of an account with itself (dropped), accounts below ``min_participation``,
and account ids whose string order differs from their numbers' first-seen order (a pair is
oriented by string order)."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from lockstep.engine.base import ScoreSpec
from lockstep.engine.duckdb.kept import rows_sql
from lockstep.engine.duckdb.evidence_lists import evidence_table
from lockstep.engine.duckdb.score import score_now
from lockstep.engine.duckdb.state import DuckState, new
from lockstep.engine.duckdb.surprise_np import score_ints, string_coacts

ACCOUNTS = ["zed", "Émile", "a10", "a2", "b", "B", "香港", "a1", "c c"]


def _world(seed: int) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    rnd = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for uid in range(1, rnd.randrange(30, 90)):
        rows.append({"uid": uid, "platform": "x", "account_id": rnd.choice(ACCOUNTS),
                     "action_id": f"m{rnd.randrange(40)}",  # repeats: ties broken on these
                     "item": f"i{rnd.randrange(8)}", "t_us": rnd.randrange(6) * 1_000_000})
    # the kept rows: pairs of rows on one item within 3 s, some of an account with itself
    kept = [(x["uid"], y["uid"]) if rnd.random() < 0.5 else (y["uid"], x["uid"])
            for x in rows for y in rows if x["uid"] < y["uid"] and x["item"] == y["item"]
            and abs(x["t_us"] - y["t_us"]) <= 3_000_000 and rnd.random() < 0.8]
    return rows, kept


def _state(tmp: Path, rows: list[dict[str, Any]], kept: list[tuple[int, int]]) -> DuckState:
    con = duckdb.connect()
    st = DuckState(con=con, scratch=tmp, owner=1, close_con=True)
    con.register("_rows", pa.Table.from_pylist(rows))
    con.execute("CREATE TABLE actions AS SELECT account_id FROM _rows")
    con.execute("CREATE TABLE items AS SELECT uid::BIGINT AS uid, platform, account_id, action_id, item,"
                " t_us::BIGINT AS t_us FROM _rows")
    con.register("_kept", pa.table({"uid_a": [k[0] for k in kept], "uid_b": [k[1] for k in kept]},
                                   schema=pa.schema([("uid_a", pa.int64()), ("uid_b", pa.int64())])))
    con.execute("CREATE TABLE kept AS SELECT * FROM _kept")
    return st


def _rows(st: DuckState, table: str, cols: str) -> set[tuple[Any, ...]]:
    out = set()
    for r in st.con.execute(f"SELECT {cols} FROM {table}").fetchall():
        out.add(tuple(round(v, 9) if isinstance(v, float) and not math.isnan(v)
                      else tuple(v) if isinstance(v, list) else v for v in r))
    return out


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("mp,sync", [(1, 0.0), (3, 0.0), (1, 0.6)])
def test_integer_scoring_matches_the_sql_steps(tmp_path: Path, seed: int, mp: int, sync: float) -> None:
    rows, kept = _world(seed)
    spec = ScoreSpec(scoring="surprise", signal="s1", min_participation=mp, extras={"min_synchrony": sync})
    cols = "account_a, account_b, signal, weight, n_shared, mean_dt_seconds, synchrony"
    sql, ints = _state(tmp_path, rows, kept), _state(tmp_path, rows, kept)
    try:
        want = score_now(sql, new(sql, "pairs", rows_sql("kept", "items")).name, "items", spec).name
        got = score_ints(ints, "kept", "items", spec)
        assert _rows(ints, got, cols) == _rows(sql, want, cols)
        # evidence: the integer co-actions' lists, and their strings beside other scorings'
        want_ev = _rows(sql, evidence_table(sql, want, sql.coacts, 3), "*")
        assert _rows(ints, evidence_table(ints, got, [], 3, ints.int_coacts), "*") == want_ev
        co = "account_a, account_b, signal, item, action_a, action_b, dt, w"
        kept_pairs = f" SEMI JOIN {want} USING (account_a, account_b)"
        assert (_rows(ints, string_coacts(ints, ints.int_coacts[0]), co)
                == _rows(sql, sql.coacts[0] + kept_pairs, co))
    finally:
        sql.con.close()
        ints.con.close()


def test_a_world_has_the_cases_it_is_for(tmp_path: Path) -> None:
    """The generated worlds do hold repeated (pair, item) rows with equal gaps, self pairs and
    pairs whose string order is not their first-seen order (else the test above proves little)."""
    ties = selfs = 0
    for seed in range(30):
        rows, kept = _world(seed)
        by = {r["uid"]: r for r in rows}
        seen: dict[tuple[str, str, str], list[int]] = {}
        for ua, ub in kept:
            x, y = by[ua], by[ub]
            if x["account_id"] == y["account_id"]:
                selfs += 1
                continue
            key = (min(x["account_id"], y["account_id"]), max(x["account_id"], y["account_id"]), x["item"])
            seen.setdefault(key, []).append(abs(x["t_us"] - y["t_us"]))
        ties += sum(len(v) - len(set(v)) for v in seen.values())
    assert ties > 50 and selfs > 20
