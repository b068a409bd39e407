"""The audience entry under heavy camouflage (issue 11, camouflage seed 2): an operation that
spends most of its reposts on ordinary users' posts is part of everyone's audience, so an
activist that few people reshare can receive most of its engagement from operators by
chance. Such an account must not enter as a "persona whose audience is the operation"; a
persona the clustering missed, engaged by the operation day after day, still must."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from lockstep.roles.features import audience_candidates
from lockstep.store.queries.engagement import received_outside
from lockstep.store.workspace import Workspace

from .helpers import make_ws
from .world import apply_folder as apply, read_roles_outputs, write_campaign_folder

T0 = datetime(2019, 7, 1)  # a Monday
OPS = [f"o{j}" for j in range(5)]
N_USERS = 200


def _world(path: Path) -> Workspace:
    """Two personas reshared by five operators within seconds on ten weekdays; the operators
    also repost ordinary users' posts (camouflage: about a fifth of all the engagement ordinary
    accounts receive); ordinary users reshare each other; an activist with an empty profile is
    reshared 6 times by operators' camouflage and 3 times by its community."""
    accounts: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    access: list[dict[str, Any]] = []

    def act(aid: str, acc: str, kind: str, t: datetime, **kw: str) -> None:
        actions.append({"action_id": aid, "account_id": acc, "kind": kind, "timestamp": t, **kw})

    for i in range(2):
        accounts.append({"account_id": f"p{i}", "handle": f"hknews{i}", "display_name": "HK News",
                         "description": "Hong Kong news", "followers": 40, "following": 10,
                         "created_at": datetime(2019, 5, 2)})
    for j, o in enumerate(OPS):
        accounts.append({"account_id": o, "handle": f"shop_deals_{j}", "display_name": f"Deals {j}",
                         "followers": 30, "following": 400, "created_at": datetime(2014, 3, 1 + j)})
    for a in ["p0", "p1", *OPS]:
        access.append({"account_id": a, "timestamp": T0, "ip": "203.0.113.7", "network": "203.0.113.0/24",
                       "asn": "AS4134", "country": "CN", "device": "desktop-A"})
    for d in range(10):  # weekdays, 10:00-17:00 UTC+8
        day = T0 + timedelta(days=d + 2 * (d // 5))
        for i in range(2):
            t = day + timedelta(hours=2 + 3 * i)
            act(f"p{i}_{d}", f"p{i}", "post", t)
            for j, o in enumerate(OPS):
                act(f"{o}_rp{i}_{d}", o, "repost", t + timedelta(seconds=5 + j),
                    target_id=f"p{i}_{d}", target_account_id=f"p{i}")
    for k in range(N_USERS):  # an ordinary platform: own posts, reshares of each other
        accounts.append({"account_id": f"u{k}", "handle": f"user_{k}_x", "display_name": f"User {k}",
                         "description": "photos", "url": "https://me.example", "followers": 100 + k,
                         "following": 150, "created_at": datetime(2010, 1, 1) + timedelta(days=(k * 37) % 3000)})
        for n in range(5):
            act(f"u{k}_{n}", f"u{k}", "post", T0 + timedelta(hours=(k + 97 * n) % 300))
        for n in range(3):
            v = (k + 1 + 17 * n) % N_USERS
            act(f"u{k}_rt{n}", f"u{k}", "repost", T0 + timedelta(hours=(v + 97 * n) % 300 + 5),
                target_id=f"u{v}_{n}", target_account_id=f"u{v}")
        access.append({"account_id": f"u{k}", "timestamp": T0, "ip": f"100.64.{k // 250}.{k % 250}",
                       "network": f"100.64.{k // 250}.0/24", "asn": "AS9269", "country": "HK",
                       "device": f"phone-{k}"})
    for j, o in enumerate(OPS):  # camouflage: 30 reposts each of ordinary posts, on duty, hours later
        for n in range(30):
            v = (7 * j + 13 * n) % N_USERS
            act(f"{o}_cam{n}", o, "repost", _on_duty(T0 + timedelta(hours=(v + 97 * (n % 5)) % 300 + 1), j + n),
                target_id=f"u{v}_{n % 5}", target_account_id=f"u{v}")
    accounts.append({"account_id": "act", "handle": "leemichael", "display_name": "浩然", "followers": 1020,
                     "following": 218, "created_at": datetime(2011, 3, 17)})  # no description, no link
    for n in range(10):
        act(f"act_{n}", "act", "post", T0 + timedelta(days=n, hours=12))
    for n in range(9):  # 6 camouflage reposts by operators (on duty), 3 by its community
        t = _on_duty(T0 + timedelta(days=n, hours=13), n) if n < 6 else T0 + timedelta(days=n, hours=14)
        act(f"act_rt{n}", OPS[n % 5] if n < 6 else f"u{n}", "repost", t, target_id=f"act_{n}",
            target_account_id="act")
    return make_ws(path, accounts=accounts, actions=actions, access=access)


def _on_duty(t: datetime, k: int) -> datetime:
    """The first Beijing office hour (02:00-08:59 UTC on a weekday) at or after ``t``."""
    while t.weekday() >= 5 or not 2 <= t.hour < 9:
        t = (t + timedelta(days=1)).replace(hour=2, minute=0) if t.hour >= 9 or t.weekday() >= 5 \
            else t.replace(hour=2, minute=0)
    return t + timedelta(minutes=7 * k % 60)


def _run(tmp_path: Path, members: list[str]) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    out = tmp_path / "run"
    write_campaign_folder(out, {"c1": members})
    with _world(tmp_path / "ws") as ws:
        apply(ws, out, {})
    return read_roles_outputs(out)


def test_camouflage_reposts_do_not_make_an_activist_a_persona(tmp_path: Path) -> None:
    rows, ev = _run(tmp_path, ["p0", "p1", *OPS])
    assert rows["o0"]["flagged"] == "true"  # the operation is judged one
    assert rows.get("act", {}).get("flagged", "false") == "false"
    assert "audience" not in {e["item"] for e in ev["accounts"].get("act", {}).get("evidence", [])}
    assert not {a for a, r in rows.items() if a.startswith("u") and r.get("flagged") == "true"}


def test_the_activist_is_a_majority_operation_audience_but_within_chance(tmp_path: Path) -> None:
    """Without judging against the base rate the activist would enter (6 of its 9 reshares come
    from the operation); at the operation's share of what other accounts receive, 6 of 9 is
    chance about 1 in 10^2.5, not the 10^-6 the entries ask for."""
    members = {a: "c1" for a in ["p0", "p1", *OPS]}
    with _world(tmp_path / "ws") as ws:
        loose = audience_candidates(ws, members, {"c1"}, max_log10_p=0.0)
        strict = audience_candidates(ws, members, {"c1"})
        # 150 camouflage reposts + 6 of the activist; 600 reshares among users + those + its 9
        assert received_outside(ws, members, {"c1"}) == (156, 759)
    assert set(loose) == {"act"}
    e = loose["act"]
    assert (e.n_from, e.n_received) == (6, 9) and e.base_rate == 150 / 750 and -4 < e.log10_p < -2
    assert strict == {}


def test_a_persona_the_clustering_missed_is_still_found_by_its_audience(tmp_path: Path) -> None:
    rows, ev = _run(tmp_path, ["p0", *OPS])
    assert rows["p1"]["flagged"] == "true" and rows["p1"]["campaign_id"] == "c1"
    audience = next(e for e in ev["accounts"]["p1"]["evidence"] if e["item"] == "audience")
    assert audience["value"]["from_campaign"] == 50 and audience["value"]["log10_p"] <= -6
    assert "of the engagement other accounts receive" in audience["text"]
    assert rows.get("act", {}).get("flagged", "false") == "false"
