"""Hash partitions of int64 rows on disk, written and counted on a second thread.

Why: counting co-acting pairs (:class:`~lockstep.engine.duckdb.pair_counts.PairCounter`)
spills tens of millions of rows (72M at 10M actions) to hash partitions and then counts each
partition alone. Both steps are numpy work that releases the GIL (hashing, a radix argsort,
gathers and file writes; sorts and binary searches), and both ran on the caller's one thread
while detection runs on 2 cores. Here the partitioning and writing run on a background
thread while the caller enumerates the next pairs, and the partitions are read and counted
two at a time. Rows reach each partition file in arrival order and results come back in
partition order, so everything downstream is exactly what one thread gave.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO, TypeVar

import numpy as np

from lockstep.engine.duckdb.threads import ordered_map, workers

GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing multiplier for partitioning
PARTITIONS = 256
PENDING = 2  # row blocks queued for the writer thread (bounds the memory held for it)

R = TypeVar("R")


def partition_of(keys: np.ndarray) -> np.ndarray:
    """Partition number (uint8) of each int64 key: the top byte of its Fibonacci hash."""
    part: np.ndarray = ((keys.view(np.uint64) * GOLDEN) >> np.uint64(56)).astype(np.uint8)
    return part


class Partitions:
    """``PARTITIONS`` files of int64 rows (``width`` columns, the key first) under a temporary
    folder; :meth:`write` queues rows for a writer thread, :meth:`map` reads each partition
    (and deletes it) and applies a function, on :func:`workers` threads."""

    def __init__(self, root: Path | str | None, prefix: str, width: int) -> None:
        if root is not None:
            Path(root).mkdir(parents=True, exist_ok=True)
        self.width = width
        self._dir: tempfile.TemporaryDirectory[str] | None = tempfile.TemporaryDirectory(prefix=prefix, dir=root)
        self.files = [Path(self._dir.name) / f"p{i:03d}.bin" for i in range(PARTITIONS)]
        self._handles: list[BinaryIO] = [open(f, "ab") for f in self.files]  # noqa: SIM115 (closed in close)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="lockstep-spill") if workers() > 1 else None
        self._pending: deque[Future[None]] = deque()

    def write(self, rows: np.ndarray | Callable[[], np.ndarray]) -> None:
        """Queue ``rows`` (keys, or ``(n, width)`` rows with the key first; or a function that
        makes them, run on the writer thread) for the partitions; an error of an earlier write
        (a full disk) is raised here."""
        if self._writer is None:
            self._write(rows)
            return
        self._pending.append(self._writer.submit(self._write, rows))
        while len(self._pending) > PENDING:
            self._pending.popleft().result()

    def _write(self, rows: np.ndarray | Callable[[], np.ndarray]) -> None:
        if not isinstance(rows, np.ndarray):
            rows = rows()
        part = partition_of(rows if rows.ndim == 1 else rows[:, 0])
        order = np.argsort(part, kind="stable")  # radix sort on one byte
        sizes = np.bincount(part, minlength=PARTITIONS)
        grouped = np.take(rows, order, axis=0)  # 8 ns a row; rows[order] took 50 (2M rows of 2 columns)
        start = 0
        for i, n in enumerate(sizes.tolist()):
            if n:
                grouped[start:start + n].tofile(self._handles[i])
                start += n

    def flush(self) -> None:
        """Wait for the queued writes (raising the first error) and close the files."""
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            self._stop_writer()
            for fh in self._handles:
                fh.close()
            self._handles = []

    def map(self, fn: Callable[[np.ndarray], R]) -> Iterator[R]:
        """``fn`` of each non-empty partition's rows, in partition order; each file is deleted
        once read."""
        self.flush()

        def run(f: Path) -> R:
            data = np.fromfile(f, dtype=np.int64)
            f.unlink()
            return fn(data if self.width == 1 else data.reshape(-1, self.width))

        live = [f for f in self.files if f.stat().st_size]
        yield from ordered_map(run, live, workers(), 2 * workers())

    def _stop_writer(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True, cancel_futures=True)
            self._writer = None

    def close(self) -> None:
        """Drop queued writes and remove the files."""
        self._pending.clear()
        self._stop_writer()
        for fh in self._handles:
            fh.close()
        self._handles = []
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
