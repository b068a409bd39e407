"""Pair counting on two threads gives what one thread gave: the same kept keys, the same kept
rows handed to the sink in the same order; errors of the writer thread reach the caller; the
fused pair-row enumeration gives exactly the rows of the plain one, in order."""

from __future__ import annotations

import errno
import threading
from collections.abc import Generator, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from lockstep.engine.duckdb import partitions
from lockstep.engine.duckdb import threads as thr
from lockstep.engine.duckdb.pair_counts import PairCounter, pair_keys, window_pair_index
from lockstep.engine.duckdb.pair_rows import PairRowCounter, window_pair_rows


def _rows(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 3000, n).astype(np.int64) << 32 | rng.integers(0, 60, n)
    sig = rng.integers(-1, 4, n)
    return keys, sig, rng.permutation(n).astype(np.int64), rng.integers(0, 2**30, n)


def _count(tmp: Path, budget: int, packed: bool, seed: int = 3) -> tuple[list[int], list[list[int]]]:
    keys, sig, ua, ub = _rows(seed, 60_000)
    c = PairRowCounter(tmp, budget=budget, packed=packed)
    for part in np.array_split(np.arange(len(keys)), 13):
        for s in (-1, 0, 1, 2, 3):
            m = part[sig[part] == s]
            c.add(keys[m]) if s < 0 else c.add(keys[m], s, ua[m], ub[m])
    calls: list[list[int]] = []
    kept = c.at_least(3, lambda s, a, b: calls.append(np.concatenate((s, a, b)).tolist()))
    return kept.tolist(), calls


@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("threads", ["2", "3"])
def test_threads_give_the_one_thread_result_in_the_same_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              packed: bool, threads: str) -> None:
    monkeypatch.setenv("LOCKSTEP_THREADS", "1")
    one = _count(tmp_path, 20_000, packed)
    monkeypatch.setenv("LOCKSTEP_THREADS", threads)
    many = _count(tmp_path, 20_000, packed)
    assert many == one and len(one[1]) > 50  # spilled: one sink call per partition with kept rows
    assert _count(tmp_path, 10**9, packed)[0] == one[0]  # in memory: the same keys
    assert not list(tmp_path.iterdir())


def test_plain_counter_on_threads_equals_one_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = _rows(5, 50_000)[0]
    got = []
    for threads in ("1", "2"):
        monkeypatch.setenv("LOCKSTEP_THREADS", threads)
        c = PairCounter(tmp_path, budget=8_000)
        for part in np.array_split(keys, 9):
            c.add(part)
        assert c.spilled
        got.append(c.at_least(2).tolist())
    u, n = np.unique(keys, return_counts=True)
    assert got[0] == got[1] == u[n >= 2].tolist()


def test_a_failed_write_on_the_writer_thread_reaches_the_caller(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCKSTEP_THREADS", "2")

    def full(self: partitions.Partitions, rows: np.ndarray) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(partitions.Partitions, "_write", full)
    keys, sig, ua, ub = _rows(7, 20_000)
    c = PairRowCounter(tmp_path, budget=1_000)
    with pytest.raises(OSError, match="No space left"):
        for part in np.array_split(np.arange(len(keys)), 20):
            c.add(keys[part], 0, ua[part], ub[part])
        c.at_least(2, lambda s, a, b: None)
    c.close()
    assert not list(tmp_path.iterdir())


def test_ordered_map_keeps_order_and_raises() -> None:
    assert list(thr.ordered_map(lambda x: x * x, range(50), 3, 4)) == [x * x for x in range(50)]

    def bad(x: int) -> int:
        if x == 7:
            raise ValueError("seven")
        return x

    with pytest.raises(ValueError, match="seven"):
        list(thr.ordered_map(bad, range(20), 2, 3))


@pytest.mark.parametrize("threads", ["1", "2"])
@pytest.mark.parametrize("seed", range(4))
def test_pair_rows_are_the_plain_enumeration_in_order(monkeypatch: pytest.MonkeyPatch, seed: int, threads: str) -> None:
    monkeypatch.setenv("LOCKSTEP_THREADS", threads)
    rng = np.random.default_rng(seed)
    n = 3000
    item = np.sort(rng.integers(0, 40, n))
    hot = np.isin(item, rng.integers(0, 40, 5))
    t = rng.integers(0, 500, n)
    order = np.lexsort((t, item))
    tbl = pa.table({"item": item[order], "t_us": t[order], "aid": rng.integers(0, 30, n),
                    "hot": hot[order], "uid": rng.permutation(n).astype(np.int64)})
    for w, k, after in ((20, 0, None), (60, 4, None), (80, 3, 10)):
        got = list(window_pair_rows(tbl.to_batches(257), w, k, chunk_rows=400, after_us=after))
        want = [(pair_keys(c["aid"][i], c["aid"][j]), c["uid"][i], c["uid"][j])
                for c, i, j in window_pair_index(tbl.to_batches(257), w, k, chunk_rows=400, after_us=after)]
        assert len(got) == len(want) and sum(len(g[0]) for g in got) > 1000
        for g, x in zip(got, want):
            for a, b in zip(g, x):
                assert a.tolist() == b.tolist()


@pytest.mark.parametrize("threads", ["1", "2"])
def test_pipelined_runs_before_first_and_keeps_order(monkeypatch: pytest.MonkeyPatch, threads: str) -> None:
    monkeypatch.setenv("LOCKSTEP_THREADS", threads)
    log: list[tuple[str, int]] = []

    def work(x: int) -> Iterator[tuple[str, int]]:
        for k in range(x % 4):
            yield ("r", 10 * x + k)

    for r in thr.pipelined(range(30), work, lambda x: log.append(("b", x)), ahead=2):
        log.append(r)
    want: list[tuple[str, int]] = []
    for x in range(30):
        want += [("b", x)] + [("r", 10 * x + k) for k in range(x % 4)]
    assert log == want


def test_pipelined_raises_and_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCKSTEP_THREADS", "2")

    def work(x: int) -> Iterator[int]:
        if x == 5:
            raise ValueError("five")
        yield from range(100)

    with pytest.raises(ValueError, match="five"):
        list(thr.pipelined(range(10), work))
    gen = thr.pipelined(range(10**6), work)
    assert isinstance(gen, Generator)
    assert next(gen) == 0
    gen.close()  # the worker thread ends with it
    assert not [t for t in threading.enumerate() if t.name == "lockstep-pipeline"]
