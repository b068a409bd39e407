"""Queries side by side (``queries.parallel``) give what one after another gives: the account
signals' findings, the shared passes built once while several queries ask, results in task
order, the first task's error."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from roles.helpers import make_ws, random_access_rows

from lockstep.accounts import compute_findings, group_findings, signal_tasks
from lockstep.store.queries import shared as sh
from lockstep.store.queries.base import fetch
from lockstep.store.queries.parallel import run_parallel, workers
from lockstep.store.workspace import Workspace

T = datetime(2019, 8, 5, 9)


def _world(rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    accounts = [f"u{i}" for i in range(30)]
    actions = [{"action_id": f"x{i}", "account_id": rng.choice(accounts), "kind": rng.choice(["post", "repost", "like"]),
                "timestamp": T + timedelta(hours=rng.randint(0, 24 * 60)), "client": rng.choice(["web", "bot9"]),
                "urls": [rng.choice(["https://a.example/x", "http://www.b.example", "https://twitter.com/y"])]}
               for i in range(400)]
    profiles = [{"account_id": a, "handle": f"{a}news{rng.randint(1000, 99999)}", "followers": rng.randint(0, 9),
                 "created_at": T - timedelta(hours=rng.choice([1, 2, 500, 900]))} for a in accounts]
    return {"actions": actions, "accounts": profiles, "access": random_access_rows(rng, 300, 0.0)}


@pytest.mark.parametrize("seed", range(3))
def test_findings_side_by_side_are_those_one_after_another(tmp_path: Path, seed: int) -> None:
    with make_ws(tmp_path / "ws", **_world(random.Random(seed))) as ws:
        assert workers(ws) >= 1
        alone = group_findings([t(ws) for t in signal_tasks()])
        for shared in (False, True):
            if shared:
                with sh.shared_passes(ws):
                    both = compute_findings(ws)
            else:
                both = group_findings(run_parallel(ws, signal_tasks(), max_workers=3))
            assert both == alone
        assert alone  # the world gives findings to compare


def test_run_parallel_keeps_task_order_and_raises_the_first_error(tmp_path: Path) -> None:
    with make_ws(tmp_path / "ws", access=random_access_rows(random.Random(1), 50, 0.0)) as ws:
        def count(i: int) -> Callable[[Workspace], tuple[int, Any]]:
            return lambda w: (i, fetch(w, "SELECT count(*) FROM access")[0][0])
        got = run_parallel(ws, [count(i) for i in range(7)], max_workers=3)
        assert got == [(i, 50) for i in range(7)]

        def boom(w: Workspace) -> None:
            raise KeyError("first")

        def later(w: Workspace) -> None:
            raise ValueError("second")
        with pytest.raises(KeyError):
            run_parallel(ws, [lambda w: None, boom, later], max_workers=2)


def test_a_pass_asked_at_once_is_built_once(tmp_path: Path) -> None:
    with make_ws(tmp_path / "ws", access=random_access_rows(random.Random(2), 50, 0.0)) as ws, sh.shared_passes(ws):
        built: list[int] = []
        gate = threading.Event()

        def build(p: sh.Passes) -> int:
            built.append(1)
            gate.wait(5)
            return 42

        def ask(w: Workspace) -> int:
            out: int = sh.cached(sh.passes(w), "slow", build)
            return out

        def release(w: Workspace) -> int:
            gate.set()
            return 42
        assert run_parallel(ws, [ask, ask, release], max_workers=3) == [42, 42, 42]
        assert built == [1]


def test_run_beside_answers_on_its_own_cursor_while_the_caller_goes_on(tmp_path: Path) -> None:
    """A task beside the caller: its own cursor (the caller queries meanwhile), the run's passes
    shared inside a run, its result when waited for, and its error raised there."""
    from lockstep.store.queries.parallel import run_beside

    with make_ws(tmp_path / "ws", **_world(random.Random(4))) as ws:
        with sh.shared_passes(ws):
            started = threading.Event()

            def task(w: Workspace) -> tuple[int, bool]:
                started.wait(5)  # the caller runs a query of its own first
                return fetch(w, "SELECT count(*) FROM actions")[0][0], sh.passes(w) is sh.passes(ws)
            later = run_beside(ws, task)
            n = fetch(ws, "SELECT count(*) FROM actions")[0][0]
            started.set()
            assert later() == (n, True) and n == 400

            def broken(w: Workspace) -> None:
                fetch(w, "SELECT * FROM no_such_table")
            failed = run_beside(ws, broken)
            with pytest.raises(Exception, match="no_such_table"):
                failed()
