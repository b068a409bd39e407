"""Synchrony with the detected core: an operator the clustering missed reposts the core's items
within seconds, again and again; an organic account reposts the same items much later."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

from lockstep.roles.synchrony import core_synchrony, engagement_details, log10_binom_tail

from .helpers import make_ws
from .test_apply import _run

T0 = datetime(2019, 7, 1, 9, tzinfo=timezone.utc)


def test_binomial_tail() -> None:
    assert log10_binom_tail(0, 5, 0.1) == 0.0
    assert math.isclose(log10_binom_tail(5, 5, 0.1), -5.0, abs_tol=1e-9)
    assert math.isclose(10 ** log10_binom_tail(1, 2, 0.5), 0.75, rel_tol=1e-9)


def _world(tmp_path: Path):  # type: ignore[no-untyped-def]
    actions = []
    for i in range(8):  # the core posts 8 items; core member c1 reposts each 10 s later
        t = T0 + timedelta(hours=3 * i)
        actions.append({"action_id": f"p{i}", "account_id": "c0", "kind": "post", "timestamp": t})
        actions.append({"action_id": f"r{i}", "account_id": "c1", "kind": "repost", "target_id": f"p{i}",
                        "target_account_id": "c0", "timestamp": t + timedelta(seconds=10)})
        # the missed operator: within 30 s of the core, every time
        actions.append({"action_id": f"m{i}", "account_id": "miss", "kind": "repost", "target_id": f"p{i}",
                        "target_account_id": "c0", "timestamp": t + timedelta(seconds=30)})
        for k in range(6):  # organic readers: minutes to hours later
            actions.append({"action_id": f"o{k}_{i}", "account_id": f"org{k}", "kind": "repost",
                            "target_id": f"p{i}", "target_account_id": "c0",
                            "timestamp": t + timedelta(minutes=20 + 17 * k)})
    return make_ws(tmp_path / "ws", actions=actions)


def test_missed_operator_found_by_synchrony(tmp_path: Path) -> None:
    with _world(tmp_path) as ws:
        found = core_synchrony(ws, {"c0": "C1", "c1": "C1"}, window_s=120, min_sync=3, max_log10_p=-3)
        assert set(found) == {"miss"}
        st = found["miss"]
        assert (st.n_sync, st.n_items, st.campaign_id) == (8, 8, "C1")
        assert st.ref_rate < 0.2 and "within 120 s" in st.text()
        # members are only reported when asked (evidence for low-degree members)
        assert "c1" in core_synchrony(ws, {"c0": "C1", "c1": "C1"}, window_s=120, min_sync=3,
                                      max_log10_p=-3, include_group=True)
        det = engagement_details(ws, {"c0": "C1", "c1": "C1"}, ["miss", "org5"], limit=3)
        assert det["miss"][0] == {"item": "p0", "kind": "repost", "author": "c0", "seconds_after": 30}
        assert len(det["miss"]) == 3
        assert det["org5"][0]["seconds_after"] == (20 + 17 * 5) * 60


def test_engagement_evidence_names_items_and_n_members(tmp_path: Path) -> None:
    rows, camps, ev = _run(tmp_path)
    for c in camps:
        if "n_members" in c:
            assert c["n_members"] == len(c["members"])
    eng = next(e for e in ev["accounts"]["a3"]["evidence"] if e["item"] == "engagement")
    posts = eng["value"]["core_posts"]
    assert posts and all(isinstance(p["seconds_after"], int) and p["item"] for p in posts)
    assert posts[0]["item"] in eng["text"] and "after it" in eng["text"]


def test_apply_twice_is_stable(tmp_path: Path) -> None:
    from .world import apply_folder as apply

    from .world import build_world
    from .world import write_detect_folder

    rows, camps, _ = _run(tmp_path)
    write_detect_folder(tmp_path / "run2")
    with build_world(tmp_path / "ws2") as ws:
        apply(ws, tmp_path / "run2", {})
    again = json.loads((tmp_path / "run2" / "campaigns.json").read_text())
    assert again == [{**c, "run_id": c["run_id"]} for c in camps]
