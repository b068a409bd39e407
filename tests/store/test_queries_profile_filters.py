"""The profile queries' SQL filters keep exactly the rows the signals would keep: accounts
with at least ``min_missing`` empty fields (a NULL comparison counts as not missing, as
Python's truth test of None does), and follow counts that can pass either follower test."""

from __future__ import annotations

import random
from pathlib import Path

from roles.helpers import make_ws

from lockstep.store.queries import profile as qp


def test_filters_keep_what_the_signals_keep(tmp_path: Path) -> None:
    rng = random.Random(3)
    accounts = [{"account_id": f"a{i}", "handle": rng.choice([f"h{i}", None, "Same"]),
                 "display_name": rng.choice([None, "same", "Name", f"h{i}"]),
                 "description": rng.choice([None, "", "  ", "bio"]), "url": rng.choice([None, "", "http://x"]),
                 "default_profile": rng.choice([None, True, False]),
                 "default_profile_image": rng.choice([None, True, False]),
                 "followers": rng.choice([None, 0, 1, 3, 4, 50, 1000]),
                 "following": rng.choice([None, 0, 99, 100, 5000])} for i in range(400)]
    with make_ws(tmp_path / "ws", accounts=accounts) as ws:
        every = qp.profile_gaps(ws)
        for k in range(0, 6):
            want = sorted(g for g in every if sum(bool(v) for v in g[1:6]) >= k)
            assert sorted(qp.profile_gaps(ws, None, k)) == want
            assert sorted(qp.profile_gaps(ws, ["a1", "a2", "a3"], k)) == [g for g in want if g[0] in ("a1", "a2", "a3")]
        counts = qp.follow_counts(ws)
        for max_f, min_fing in ((3, 100), (0, 5000), (50, 0)):
            want = sorted(r for r in counts if r[1] <= max_f or (r[2] or 0) >= min_fing)
            assert sorted(qp.follow_counts(ws, None, max_f, min_fing)) == want
        assert any(g[5] is None for g in every)  # a NULL name comparison is among them
