"""Synchrony with the core (``queries.synchrony.core_sync_counts``): the campaign an engager
was closest to, most often, names the lower campaign id on a tie of gaps or of counts, on any
number of DuckDB threads (``mode`` and ``arg_min`` took whichever row came first, and the
expansion's campaign for 1,489 accounts of a 3M-action world changed with the threads)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from roles.helpers import make_ws

from lockstep.store.queries.synchrony import core_sync_counts

T = datetime(2019, 8, 5, 9)


def _act(aid: str, account: str, kind: str, sec: int, target: str | None = None) -> dict[str, Any]:
    return {"action_id": aid, "account_id": account, "kind": kind, "target_id": target,
            "timestamp": T + timedelta(seconds=sec)}


def test_ties_go_to_the_lower_campaign(tmp_path: Path) -> None:
    # p1: C2's and C1's accounts repost it 10 s either side of the engager: a tie of gaps.
    # p2 is closest to C2, p3 to C1: a tie of counts (one each) for "e2".
    acts = [_act("p1", "x", "post", 0), _act("r1", "c2a", "repost", 90, "p1"), _act("r2", "c1a", "repost", 110, "p1"),
            _act("e1", "e1", "repost", 100, "p1"),
            _act("p2", "c2a", "post", 1000), _act("p3", "c1a", "post", 2000),
            _act("e2", "e2", "repost", 1005, "p2"), _act("e3", "e2", "repost", 2005, "p3")]
    group = {"c2a": "C2", "c1a": "C1"}
    with make_ws(tmp_path / "ws", actions=acts) as ws:
        got = {r.account_id: r for r in core_sync_counts(ws, group, 60)}
    assert got["e1"].campaign_id == "C1" and got["e1"].n_sync == 1
    assert got["e2"].campaign_id == "C1" and (got["e2"].n_items, got["e2"].n_sync) == (2, 2)


@pytest.mark.parametrize("seed", range(3))
def test_same_answer_on_one_and_four_threads(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    core = {f"c{i}": f"C{i % 3}" for i in range(9)}
    acts = [_act(f"p{i}", rng.choice(list(core)), "post", 60 * i) for i in range(200)]
    acts += [_act(f"r{i}", rng.choice(list(core) + [f"u{j}" for j in range(30)]), "repost",
                  60 * (n := rng.randrange(200)) + rng.choice([0, 5, 10, 20]), f"p{n}") for i in range(4000)]
    with make_ws(tmp_path / "ws", actions=acts) as ws:
        answers = []
        for threads in (1, 4):
            ws.con.execute(f"SET threads = {threads}")
            answers.append(core_sync_counts(ws, core, 30))
    assert answers[0] == answers[1]
