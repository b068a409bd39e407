"""Named queries for profiles, access and stats: filters by account, ties broken the same
way every run, temporary tables dropped again, unknown names refused."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from roles.helpers import make_ws

from lockstep.accounts.profile import HandlePattern
from lockstep.store.queries import infrastructure as qi
from lockstep.store.queries import profile as qp
from lockstep.store.queries import stats as qs

T = datetime(2019, 8, 1, 10, 30)


def test_profile_queries_filter_by_account(tmp_path: Path) -> None:
    accounts = [{"account_id": f"a{i}", "handle": f"Lily{5821337 + i}", "followers": i, "following": 3,
                 "created_at": datetime(2019, 7, 23, i)} for i in range(4)]
    with make_ws(tmp_path / "ws", accounts=accounts) as ws:
        assert qp.creation_unit(ws) == "hour"
        assert sorted(a for a, _ in qp.handles(ws, ["a1", "a3", "zz"])) == ["a1", "a3"]
        assert [g.account_id for g in qp.profile_gaps(ws, ["a2"])] == ["a2"]
        assert sorted(qp.follow_counts(ws, ["a0"])) == [("a0", 0, 3)]
        assert qp.creation_dates(ws, ["a1", "zz"]) == {"a1": date(2019, 7, 23)}
        assert {f.account_id for f in HandlePattern().compute(ws, ["a0", "a2"])} == {"a0", "a2"}
        assert qp.account_profile(ws, "zz") is None and qp.count_actions(ws, "a1") == 0
        with pytest.raises(duckdb.Error):  # the temporary table is gone again
            ws.con.execute("SELECT * FROM _ids").fetchall()
    with make_ws(tmp_path / "empty") as ws:
        assert qp.creation_unit(ws) is None


def test_equally_shared_values_are_broken_by_value(tmp_path: Path) -> None:
    access = [{"account_id": f"x{i}", "timestamp": T, "ip": ip} for i in range(6) for ip in ("9.9.9.9", "1.1.1.1")]
    access += [{"account_id": f"u{i}", "timestamp": T, "ip": f"10.0.{i}.1"} for i in range(300)]
    with make_ws(tmp_path / "ws", access=access) as ws:
        rows = qi.widely_shared_access(ws, ("ip",), 2.0, 5)
        assert rows == sorted(rows, key=lambda r: r.account_id)
        assert {(r.account_id, r.example, r.n_other, r.n_values) for r in rows} == \
            {(f"x{i}", "1.1.1.1", 5, 2) for i in range(6)}
        assert sorted(qi.campaign_access_values(ws, {"x0": "A"}, "ip")) == [("A", "1.1.1.1"), ("A", "9.9.9.9")]
        with pytest.raises(ValueError, match="access kind"):
            qi.widely_shared_access(ws, ("ip; DROP TABLE access",), 2.0, 5)


def test_stats_top_items(tmp_path: Path) -> None:
    actions = [{"action_id": f"a{i}", "account_id": "u", "kind": "post", "timestamp": T,
                "hashtags": ["HK", "hk"] if i % 2 else ["Other"]} for i in range(5)]
    with make_ws(tmp_path / "ws", actions=actions) as ws:
        assert qs.top_items(ws, "hashtags", 1) == [{"item": "hk", "n": 4}]
        assert qs.time_span(ws) == (T, T)
        with pytest.raises(ValueError, match="not one of"):
            qs.top_items(ws, "passwords", 3)
