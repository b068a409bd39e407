"""The numpy pair enumeration gives exactly the SQL window join's pair rows, and the
counter gives the same counts in memory and partitioned on disk."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from lockstep.engine.duckdb import pair_counts
from lockstep.engine.duckdb.pair_counts import PairCounter, window_pair_keys
from lockstep.engine.duckdb.pairs import PAIR_KEY, hot_ints_sql, window_join_sql


def _sql_keys(con: duckdb.DuckDBPyConnection, w: int, k: int, after: int | None = None) -> Counter:
    con.execute("CREATE OR REPLACE TEMP TABLE hot AS SELECT item FROM x GROUP BY item HAVING count(*) > 3")
    con.execute("CREATE OR REPLACE TEMP TABLE ints AS SELECT x.*, h.rn FROM x LEFT JOIN (SELECT uid,"
                " row_number() OVER (PARTITION BY item ORDER BY t_us, aid, uid) AS rn FROM x"
                " WHERE item IN (SELECT item FROM hot)) h USING (uid)")
    hot = None
    if k:
        con.execute(f"CREATE OR REPLACE TEMP TABLE hoti AS {hot_ints_sql('ints')}")
        hot = "hoti"
    cols = "a.aid AS p, b.aid AS q"
    rows = con.execute(f"SELECT {PAIR_KEY} FROM ({window_join_sql('ints', cols, w, k, hot, after=after)}) WHERE p <> q").fetchall()
    return Counter(r[0] for r in rows)


def _np_keys(con: duckdb.DuckDBPyConnection, w: int, k: int, chunk_rows: int,
             after: int | None = None) -> Counter:
    rdr = con.sql("SELECT item, t_us, aid, rn IS NOT NULL AS hot FROM ints"
                  " ORDER BY item, coalesce(rn, 0), t_us").to_arrow_reader(7)
    out: Counter = Counter()
    for keys in window_pair_keys(rdr, w, k, chunk_rows=chunk_rows, after_us=after):
        out.update(keys.tolist())
    return out


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 40), st.integers(0, 6)), min_size=0, max_size=80),
       w=st.sampled_from([0, 1, 5, 20]), k=st.sampled_from([0, 1, 2, 5]), chunk=st.sampled_from([1, 3, 50]),
       after=st.sampled_from([None, 0, 2, 25]))
def test_numpy_pairs_equal_sql_join(rows: list[tuple[int, int, int]], w: int, k: int, chunk: int,
                                    after: int | None) -> None:
    """Also in a band (``after < gap <= w``, co_repost_slow's), on hot items among the same
    next k rows."""
    con = duckdb.connect()
    tbl = pa.table({"uid": pa.array(range(1, len(rows) + 1), pa.int64()),
                    "item": pa.array([r[0] for r in rows], pa.int64()),
                    "t_us": pa.array([r[1] for r in rows], pa.int64()),
                    "aid": pa.array([r[2] for r in rows], pa.int64())})
    con.register("x_arrow", tbl)
    con.execute("CREATE TEMP TABLE x AS SELECT * FROM x_arrow")
    sql = _sql_keys(con, w, k, after)
    assert _np_keys(con, w, k, chunk, after) == sql
    if after is not None and after >= w:
        assert not sql  # an empty band pairs nothing


def test_counter_spills_to_partitions_with_same_counts(tmp_path: Path, monkeypatch) -> None:
    rng = np.random.default_rng(0)
    keys = rng.integers(0, 2000, 50_000).astype(np.int64) << 32 | rng.integers(0, 50, 50_000)
    expect = {k for k, n in Counter(keys.tolist()).items() if n >= 3}
    mem = PairCounter(tmp_path)
    for part in np.array_split(keys, 7):
        mem.add(part)
    assert not mem.spilled
    assert set(mem.at_least(3).tolist()) == expect
    disk = PairCounter(tmp_path, budget=10_000)
    for part in np.array_split(keys, 7):
        disk.add(part)
    assert disk.spilled and len(list((tmp_path).glob("pairs-*/p*.bin"))) > 1
    got = disk.at_least(3)
    assert set(got.tolist()) == expect and list(got) == sorted(got)
    assert not list(tmp_path.glob("pairs-*"))  # partitions removed after counting


def test_long_time_range_splits_instead_of_overflowing(monkeypatch) -> None:
    # two items whose stretches would overflow one int64 axis together
    item = np.array([0, 0, 1, 1], np.int64)
    t = np.array([0, 2**60, 7, 2**60 + 7], np.int64)
    aid = np.array([1, 2, 3, 4], np.int64)
    got = list(pair_counts._chunk_pairs(item, t, np.zeros(4, bool), 2**60 + 5, 0))
    assert len(got) == 2  # split in two halves, indices still into the whole chunk
    keys = [pair_counts.pair_keys(aid[i], aid[j]) for i, j in got]
    assert sorted(np.concatenate(keys).tolist()) == [(1 << 32) | 2, (3 << 32) | 4]


def test_disk_full_while_counting_is_a_clear_engine_error(tmp_path: Path, monkeypatch) -> None:
    import errno

    import pytest
    from detect_fixtures import make_ws
    from detect_fixtures import planted_world as _world

    from lockstep.detect.pipeline import _run_signals
    from lockstep.detect.settings import build_settings
    from lockstep.errors import EngineError

    from lockstep.engine.duckdb.pair_rows import PairRowCounter

    def full(self, keys, *rows):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(PairRowCounter, "add", full)
    ws = make_ws(tmp_path / "ws", _world(5)[0])
    with pytest.raises(EngineError, match="No space left on device.*free disk space"):
        _run_signals(ws, build_settings(), progress=False)


@settings(max_examples=60, deadline=None)
@given(members=st.lists(st.integers(-2**63, 2**63 - 1), max_size=300),
       probes=st.lists(st.integers(-2**63, 2**63 - 1), max_size=300), take=st.integers(0, 300))
def test_keyset_membership_equals_isin(members: list[int], probes: list[int], take: int) -> None:
    keys = np.unique(np.array(members, np.int64))
    ks = pair_counts.KeySet(keys)
    look = np.array(probes + members[:take], np.int64)  # absent and present keys
    assert ks.contains(look).tolist() == np.isin(look, keys).tolist()
