"""Hour-of-week counts inside a run (``queries.shared``) are those of the statement asked
outside one: everyone's pass on the run's account ids (not the strings' own sort), and a
group's rows read off it (not a query of their own), whichever is asked first."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from roles.helpers import make_ws

from lockstep.accounts.activity import hour_of_week_hist
from lockstep.store.queries import activity as qa
from lockstep.store.queries import shared as sh

T = datetime(2019, 8, 5, 9)


def _same(a: qa.HourOfWeek, b: qa.HourOfWeek) -> None:
    assert a.accounts == b.accounts
    assert np.array_equal(a.matrix(), b.matrix())


@pytest.mark.parametrize("seed", range(5))
def test_hour_of_week_in_a_run_is_the_statement(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    # ids whose order differs by case and accents; some accounts only engaged, never acting
    accounts = [f"a{i}" for i in range(12)] + ["B1", "b2", "é3", "Z", "_x", "10", "9"]
    actions = [{"action_id": f"x{i}", "account_id": rng.choice(accounts + [None]), "kind": "post",
                "target_account_id": rng.choice([None, "ghost"]),
                "timestamp": T + timedelta(minutes=rng.randint(0, 60 * 24 * 14))} for i in range(rng.randint(30, 300))]
    group = rng.sample(accounts, 6) + ["ghost", "nobody"]
    with make_ws(tmp_path / "ws", actions=actions) as ws:
        every, some = qa.hour_of_week_columns(ws), qa.hour_of_week_columns(ws, group)
        hist = hour_of_week_hist(ws, group)
        assert "ghost" not in some.accounts and "nobody" not in some.accounts
        for group_first in (False, True):
            with sh.shared_passes(ws):
                if group_first:  # the group's rows make everyone's pass, then everyone reads it
                    _same(qa.hour_of_week_columns(ws, group), some)
                    assert "hour_of_week" in sh.passes(ws).cache
                _same(qa.hour_of_week_columns(ws), every)
                _same(qa.hour_of_week_columns(ws, group), some)
                got = hour_of_week_hist(ws, group)
                assert list(got) == list(hist) and all(np.array_equal(got[a], hist[a]) for a in hist)


def test_id_codes_are_sorted_codes(tmp_path: Path) -> None:
    actions = [{"action_id": f"x{i}", "account_id": a, "kind": "post", "timestamp": T}
               for i, a in enumerate(["b", "é3", "B1", "a", "b", "10", "9", "é3"])]
    with make_ws(tmp_path / "ws", actions=actions) as ws, sh.shared_passes(ws):
        col = pa.chunked_array([["b", "é3", "9"], ["B1", "b", "10"]])
        values, codes = sh.sorted_codes(col)
        got = sh.id_codes(sh.passes(ws), col)
        assert got is not None and got[0] == values.to_pylist() and np.array_equal(got[1], codes)
        assert sh.id_codes(sh.passes(ws), pa.chunked_array([["b", "ghost"]])) is None  # not an id
