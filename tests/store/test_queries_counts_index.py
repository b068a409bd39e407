"""The run's action counts held as columns on the account ids (``queries.activity.CountsIndex``)
give the rows of the statement they replaced: every acting account, in account order, with its
counts and creation time; accounts with two profiles (two platforms), without a profile, that
never act, ids whose order differs by case and accents."""

from __future__ import annotations

import random
from contextlib import nullcontext
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from roles.helpers import make_ws

from lockstep.roles.activity import activity
from lockstep.store.queries import activity as qa
from lockstep.store.queries import shared as sh

T = datetime(2019, 8, 5, 9)
KINDS = ("post", "quote", "link", "repost", "reply", "like", "follow")


@pytest.mark.parametrize("seed", range(6))
def test_counts_index_is_the_statement(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    accounts = [f"a{i}" for i in range(15)] + ["B1", "b2", "é3", "Z", "_x", "10", "9"]
    actions = [{"action_id": f"x{i}", "account_id": rng.choice(accounts), "kind": rng.choice(KINDS),
                "target_account_id": rng.choice([None, "ghost", rng.choice(accounts)]),
                "timestamp": T + timedelta(minutes=i)} for i in range(rng.randint(20, 200))]
    profiles = [{"account_id": a, "created_at": T - timedelta(days=rng.randint(0, 900)) if rng.random() < 0.8 else None}
                for a in accounts if rng.random() < 0.7]
    profiles += [{"account_id": p["account_id"], "platform": "mastodon", "created_at": p["created_at"]}
                 for p in profiles[:3]]  # two profiles: the join counts the account's actions twice
    with make_ws(tmp_path / "ws", actions=actions, accounts=profiles) as ws:
        want = qa.action_counts(ws)
        for shared in (False, True):
            with sh.shared_passes(ws) if shared else nullcontext():
                got = qa.counts_index(ws)
                assert got.accounts() == [r.account_id for r in want]
                assert [got.get(r.account_id) for r in want] == want
                assert got.total == sum(r.n_actions for r in want) and len(got) == len(want)
                assert got.get("ghost") is None and "ghost" not in got and got.n_actions("nobody") == 0
                assert [got.n_actions(r.account_id) for r in want] == [r.n_actions for r in want]
                pos = [got.position(r.account_id) for r in want]
                assert pos == sorted(p for p in pos if p is not None)
                acts = activity(ws, {accounts[0]: "c1", accounts[1]: "C2"})
                assert list(acts) == [r.account_id for r in want] + acts._extra
                assert acts.total_actions == got.total

