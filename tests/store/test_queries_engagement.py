"""The one definition of "engages the core": the SQL query (batch scoring) and the Python
predicate (``lockstep watch``) give the same counts, and the real Watcher, fed the same
actions, agrees with batch scoring account by account."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from roles.helpers import make_ws

from lockstep.roles.features import activity
from lockstep.roles.watch import Watcher
from lockstep.store.queries.engagement import (CoreIndex, core_engagement_counts, core_item_engagements,
                                               core_items, engaged_campaigns)

T = datetime(2019, 8, 5, 9)
MEMBERS = {"c1": "A", "c2": "A", "c3": "B"}


def _a(aid: str, acc: str, kind: str, minute: int, target: str | None = None,
       target_acc: str | None = None) -> dict[str, Any]:
    return {"action_id": aid, "account_id": acc, "kind": kind, "timestamp": T + timedelta(minutes=minute),
            "target_id": target, "target_account_id": target_acc}


CORE_ACTIONS = [
    _a("p1", "c1", "post", 0),
    _a("r1", "c1", "repost", 1, "x9", "org"),  # a repost by the core is a core item too
    _a("p3", "c3", "post", 2),
    _a("s1", "c1", "reply", 3, "p1", "c1"),  # replies to itself: counts through its own item
    _a("s2", "c2", "reply", 4, "zz", "c1"),  # replies to another member: counts through the account
    _a("x9", "org", "post", 0),
]
OUTSIDE_ACTIONS = [
    _a("u1a", "u1", "repost", 10, "p1", "c1"),  # item and account of A: once
    _a("u2a", "u2", "reply", 11, "nothing", "c1"),  # account of A only
    _a("u3a", "u3", "like", 12, "r1", "org"),  # a core account's repost: A
    _a("u4a", "u4", "quote", 13, "p3", "c3"),  # B
    _a("u5a", "u5", "repost", 14, "p1", "c3"),  # item of A, account of B: both
    _a("u6a", "u6", "post", 15, "p1", "c1"),  # not an engagement kind
    _a("u7a", "u7", "repost", 16, "x9", "org"),  # organic
    _a("u1b", "u1", "post", 17),
]


def _predicate_counts(actions: list[dict[str, Any]], core: CoreIndex) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for r in actions:
        for cid in engaged_campaigns(r["account_id"], r["kind"], r["target_id"], r["target_account_id"], core):
            out[(r["account_id"], cid)] += 1
    return out


def test_query_and_predicate_agree(tmp_path: Path) -> None:
    actions = CORE_ACTIONS + OUTSIDE_ACTIONS
    with make_ws(tmp_path / "ws", actions=actions) as ws:
        sql = {(a, c): n for a, c, n in core_engagement_counts(ws, MEMBERS)}
        core = CoreIndex(accounts=dict(MEMBERS))
        for item, cid in core_items(ws, MEMBERS):
            core.add_item(item, cid)
    assert sql == dict(_predicate_counts(actions, core))
    assert sql == {("c1", "A"): 1, ("c2", "A"): 1, ("u1", "A"): 1, ("u2", "A"): 1, ("u3", "A"): 1,
                   ("u4", "B"): 1, ("u5", "A"): 1, ("u5", "B"): 1}
    assert set(core.items) == {"p1", "r1", "p3", "s1", "s2"}


def test_item_engagements_list_the_item_half(tmp_path: Path) -> None:
    with make_ws(tmp_path / "ws", actions=CORE_ACTIONS + OUTSIDE_ACTIONS) as ws:
        rows = core_item_engagements(ws, ["c1", "c2"], ["u1", "u2", "u3", "u7"], limit=10)
        assert core_item_engagements(ws, [], ["u1"], limit=10) == []
    assert [(r.account_id, r.item, r.author, r.seconds_after) for r in rows] == [
        ("u1", "p1", "c1", 600.0), ("u3", "r1", "c1", 660.0)]


def test_batch_scoring_and_watch_agree(tmp_path: Path) -> None:
    """The core is stored and recorded as a detect run's flagged campaigns; the outside
    actions arrive through ``watch``; batch scoring then counts the same engagements."""
    out = tmp_path / "run"
    out.mkdir()
    evidence = {"campaigns": {"A": {"score": 0.9, "flagged": True}, "B": {"score": 0.8, "flagged": True}},
                "accounts": {a: {"campaign_id": c, "flagged": True} for a, c in MEMBERS.items()}}
    (out / "account_evidence.json").write_text(json.dumps(evidence))
    src = tmp_path / "live.jsonl"
    src.write_text("".join(json.dumps({**r, "timestamp": r["timestamp"].isoformat()}) + "\n"
                           for r in OUTSIDE_ACTIONS))
    with make_ws(tmp_path / "ws", actions=CORE_ACTIONS) as ws:
        ws.record_run("detect", out, {})
        w = Watcher(ws, str(src), "canonical", emit=lambda alert: None)
        w.run(follow=False)
        batch = activity(ws, MEMBERS)
    watched = {acc: st["to"] for acc, st in w.state["accounts"].items()}
    assert set(watched) == {f"u{i}" for i in range(1, 8)}
    for acc, to in watched.items():
        assert to == batch[acc].to_campaign, acc
        assert w.state["accounts"][acc]["n"] == batch[acc].n_actions, acc
    assert watched["u3"] == {"A": 1} and watched["u5"] == {"A": 1, "B": 1} and watched["u6"] == {}
