"""Independent queries of one run side by side, each on a cursor of its own.

Why: the roles stage asks a dozen independent whole-table questions (the account signals, the
shared passes, the campaigns' infrastructure); one after another they kept about one of two
cores busy, since much of each is single-threaded (a fetch into Python tuples, a Python loop
over rows) while DuckDB waits, or a DuckDB pass while Python waits. DuckDB releases the GIL
while it runs a query, so two threads overlap one's SQL with the other's Python.

Each task gets a :class:`~lockstep.store.workspace.Workspace` of its own on a cursor of the
same database (a DuckDB connection takes one query at a time), which shares the run's passes
(``queries.shared``); results come back in the order of the tasks, so a run's answers do not
depend on which task finished first. With one DuckDB thread the tasks run one after another
on the caller's workspace, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from lockstep.store.queries import shared as sh
from lockstep.store.workspace import Workspace

__all__ = ["run_beside", "run_parallel", "workers", "worker_view"]

T = TypeVar("T")


def workers(ws: Workspace) -> int:
    """Tasks run at once: DuckDB's thread count (``LOCKSTEP_THREADS``, else the cores), at most 4."""
    n = ws.con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    return max(1, min(4, int(n)))


@contextmanager
def worker_view(ws: Workspace) -> Iterator[Workspace]:
    """A workspace on a cursor of its own, sharing ``ws``'s run passes; closed on the way out."""
    view = _view(ws)
    try:
        yield view
    finally:
        _close(view)


def _view(ws: Workspace) -> Workspace:
    view = Workspace(ws.path, ws.con.cursor(), ws.read_only)
    sh.share_passes(ws, view)
    return view


def _close(view: Workspace) -> None:
    sh.unshare_passes(view)
    view.con.close()


def run_beside(ws: Workspace, task: Callable[[Workspace], T]) -> Callable[[], T]:
    """``task(w)`` started on a thread of its own, ``w`` a :func:`worker_view` of ``ws`` made
    here (the caller goes on using ``ws`` meanwhile); returns the function that waits for the
    result and raises the task's error. Why: a stage that is DuckDB queries (which release the
    GIL) can run beside Python work that does not need its answer yet, such as the output
    writer's account_evidence.json beside the entities stage."""
    done: Future[T] = Future()
    view = _view(ws)

    def run() -> None:
        try:
            done.set_result(task(view))
        except BaseException as exc:  # handed to whoever waits for the result
            done.set_exception(exc)
        finally:
            _close(view)
    threading.Thread(target=run, name="lockstep-beside", daemon=True).start()
    return done.result


def run_parallel(ws: Workspace, tasks: Sequence[Callable[[Workspace], T]],
                 max_workers: int | None = None) -> list[T]:
    """``[task(w) for task in tasks]``, with up to ``max_workers`` (default :func:`workers`)
    tasks at once, each ``w`` a :func:`worker_view` of ``ws``. Tasks start in the order given
    (put the longest first); the first task's error, in that order, is raised."""
    n = workers(ws) if max_workers is None else max_workers
    if n <= 1 or len(tasks) <= 1:
        return [task(ws) for task in tasks]

    def one(task: Callable[[Workspace], T]) -> T:
        with worker_view(ws) as view:
            return task(view)
    with ThreadPoolExecutor(max_workers=min(n, len(tasks)), thread_name_prefix="lockstep-q") as pool:
        futures = [pool.submit(one, t) for t in tasks]
        return [f.result() for f in futures]


def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[Workspace], T]:
    """A task: ``fn(w, *args, **kwargs)`` on the worker's workspace ``w``."""
    return lambda w: fn(w, *args, **kwargs)
