"""A second thread for the numpy steps of pair counting, results in the one-thread order.

Why: enumerating, partitioning and counting co-acting pairs is numpy work on large arrays
(sorts, gathers, arithmetic, file writes) that releases the GIL, but it ran on one thread
while detection has 2 cores (``LOCKSTEP_THREADS``). These helpers run such work beside the
caller and hand results back in exactly the order one thread would have made them, so
every output stays the same.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def workers() -> int:
    """Threads for this work: ``LOCKSTEP_THREADS`` (as DuckDB gets) or the CPUs, at most 4."""
    env = os.environ.get("LOCKSTEP_THREADS")
    n = int(env) if env and env.isdigit() else (os.cpu_count() or 1)
    return max(1, min(n, 4))


def ordered_map(fn: Callable[[T], R], items: Iterable[T], threads: int, ahead: int) -> Iterator[R]:
    """``map(fn, items)`` on ``threads`` threads, results in order, at most ``ahead`` pending
    (so results the caller has not taken yet do not pile up in memory)."""
    if threads <= 1:
        yield from map(fn, items)
        return
    pool = ThreadPoolExecutor(threads, thread_name_prefix="lockstep-map")
    pending: deque[Future[R]] = deque()
    try:
        for x in items:
            pending.append(pool.submit(fn, x))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def pipelined(items: Iterable[T], work: Callable[[T], Iterator[R]],
              before: Callable[[T], None] | None = None, ahead: int = 2) -> Iterator[R]:
    """``before(x)`` then every result of ``work(x)``, for each ``x`` of ``items`` in turn, as
    one thread would give them; but ``work`` runs on a second thread (``workers() > 1``):
    it makes ``x``'s results while this thread runs ``before(x)`` and reads the next item,
    and keeps at most ``ahead`` results ready. ``items`` and ``before`` run on this thread,
    in order, ``before(x)`` before any result of ``x`` is handed on (it may add to what
    those results are added to)."""
    if workers() <= 1:
        for x in items:
            if before is not None:
                before(x)
            yield from work(x)
        return
    todo: queue.Queue[tuple[T] | None] = queue.Queue()  # None: no more items
    done: queue.Queue[tuple[R] | BaseException | None] = queue.Queue(maxsize=ahead)  # None: item done
    stop = threading.Event()

    def put(v: tuple[R] | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                done.put(v, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        while (x := todo.get()) is not None and not stop.is_set():
            try:
                for r in work(x[0]):
                    if not put((r,)):
                        return
            except BaseException as exc:  # handed to the caller's thread
                put(exc)
                return
            if not put(None):
                return

    thread = threading.Thread(target=run, name="lockstep-pipeline", daemon=True)
    thread.start()
    it = iter(items)

    def pull() -> tuple[T] | None:
        for x in it:
            return (x,)
        return None

    try:
        nxt = pull()
        if nxt is not None:
            todo.put(nxt)
        while nxt is not None:
            cur, nxt = nxt, pull()  # reads the next item while the worker starts on this one
            if before is not None:
                before(cur[0])
            if nxt is not None:
                todo.put(nxt)
            while (v := done.get()) is not None:
                if isinstance(v, BaseException):
                    raise v
                yield v[0]
    finally:
        stop.set()
        todo.put(None)
        thread.join()
