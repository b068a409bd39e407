"""Expansion through the operation's creation bursts: batch-made amplifiers that spend most
of their few actions on camouflage are still expanded, while an authentic protest community
with the same look (name+digits handles, new sparse profiles, a reshare of a persona) is not,
because its members were created at ordinary times, not in a bin of core engagers."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from lockstep.store.workspace import Workspace

from .helpers import make_ws
from .world import apply_folder as apply, read_roles_outputs, write_campaign_folder

T0 = datetime(2019, 7, 1)


def _world(path: Path) -> Workspace:
    accounts, actions = [], []

    def act(aid: str, acc: str, kind: str, t: datetime, **kw: str) -> None:
        actions.append({"action_id": aid, "account_id": acc, "kind": kind, "timestamp": t, **kw})

    for i in range(2):
        accounts.append({"account_id": f"p{i}", "handle": f"hknews{i}", "display_name": "HK News",
                         "description": "Hong Kong news", "followers": 40, "following": 10,
                         "created_at": datetime(2017, 5, 2)})
    for j in range(5):
        accounts.append({"account_id": f"o{j}", "handle": f"deals_{j}", "display_name": f"Deals {j}",
                         "followers": 30, "following": 400, "created_at": datetime(2014, 3, 1 + j)})
    for d in range(10):  # weekdays, 10:00-17:00 UTC+8
        for i in range(2):
            t = T0 + timedelta(days=d + 2 * (d // 5), hours=2 + 3 * i)
            act(f"p{i}_{d}", f"p{i}", "post", t)
            for j in range(5):
                act(f"o{j}_rp{i}_{d}", f"o{j}", "repost", t + timedelta(seconds=5 + j),
                    target_id=f"p{i}_{d}", target_account_id=f"p{i}")
    # an ordinary platform: 1,000 accounts created over years, each posting five times
    for k in range(1000):
        accounts.append({"account_id": f"u{k}", "handle": f"user_{k}_x", "display_name": f"User {k}",
                         "description": "photos", "followers": 100 + k, "following": 150,
                         "created_at": datetime(2010, 1, 1) + timedelta(days=(k * 37) % 3000)})
        for n in range(5):
            act(f"u{k}_{n}", f"u{k}", "post", T0 + timedelta(hours=(k + 97 * n) % 600))
    # amplifiers: made on one day, one repost of a persona and three camouflage reposts each
    for i in range(20):
        accounts.append({"account_id": f"b{i}", "handle": f"Anna{50113370 + i}", "display_name": f"Anna{i}",
                         "followers": 0, "following": 2, "created_at": datetime(2019, 7, 23),
                         "default_profile": True, "default_profile_image": True})
        act(f"b{i}_rp", f"b{i}", "repost", T0 + timedelta(days=23, hours=3, minutes=i),
            target_id=f"p{i % 2}_{i % 10}", target_account_id=f"p{i % 2}")
        for k in range(3):
            u = (i * 7 + k * 101) % 1000
            act(f"b{i}_cam{k}", f"b{i}", "repost", T0 + timedelta(days=24 + k, hours=5),
                target_id=f"u{u}_0", target_account_id=f"u{u}")
    # hard negative: a protest community that joined this summer, one account per day, with
    # name+digits handles and sparse profiles; it reshares its leader and once a persona
    accounts.append({"account_id": "lead", "handle": "hk_voice", "display_name": "HK Voice",
                     "description": "freedom", "followers": 9000, "following": 300,
                     "created_at": datetime(2012, 1, 1)})
    for d in range(14):
        act(f"lead_{d}", "lead", "post", T0 + timedelta(days=d, hours=13))
    for i in range(20):
        accounts.append({"account_id": f"q{i}", "handle": f"Chan{40218830 + i}", "display_name": f"Chan{i}",
                         "followers": 2, "following": 40, "created_at": datetime(2019, 6, 1) + timedelta(days=3 * i),
                         "default_profile": True, "default_profile_image": True})
        act(f"q{i}_persona", f"q{i}", "repost", T0 + timedelta(days=5, hours=4, minutes=i),
            target_id=f"p{i % 2}_5", target_account_id=f"p{i % 2}")
        for d in range(3):
            act(f"q{i}_rp{d}", f"q{i}", "repost", T0 + timedelta(days=d, hours=13, minutes=2),
                target_id=f"lead_{d}", target_account_id="lead")
    # a real user who happened to join on the burst day: busy with its own posts, one persona repost
    accounts.append({"account_id": "z", "handle": "Mei20190723", "display_name": "Mei", "followers": 3,
                     "following": 80, "created_at": datetime(2019, 7, 23), "default_profile": True})
    act("z_rp", "z", "repost", T0 + timedelta(days=25, hours=2), target_id="p0_3", target_account_id="p0")
    for n in range(40):
        act(f"z_{n}", "z", "post", T0 + timedelta(days=23, hours=5 + 7 * n))
    access = [{"account_id": a, "timestamp": T0, "ip": f"203.0.113.{k % 2}", "network": "203.0.113.0/24",
               "asn": "AS4134", "country": "CN", "device": "desktop-A"}
              for k, a in enumerate(["p0", "p1"] + [f"o{j}" for j in range(5)])]
    access += [{"account_id": a["account_id"], "timestamp": T0, "ip": f"100.64.{k // 250}.{k % 250}",
                "network": f"100.64.{k // 250}.0/24", "asn": "AS9269", "country": "HK", "device": f"phone-{k}"}
               for k, a in enumerate(accounts) if a["account_id"][0] in "ubql"]
    return make_ws(path, accounts=accounts, actions=actions, access=access)


def _run(tmp_path: Path, params: dict) -> tuple[dict[str, dict[str, str]], dict]:
    out = tmp_path / "run"
    write_campaign_folder(out, {"c1": ["p0", "p1"] + [f"o{j}" for j in range(5)]})
    with _world(tmp_path / "ws") as ws:
        apply(ws, out, params)
    return read_roles_outputs(out)


def _flagged(rows: dict[str, dict[str, str]], prefix: str) -> set[str]:
    return {a for a, r in rows.items() if a.startswith(prefix) and a[1:].isdigit() and r.get("flagged") == "true"}


def test_camouflaged_amplifiers_found_through_the_operations_creation_burst(tmp_path: Path) -> None:
    rows, ev = _run(tmp_path, {})
    assert _flagged(rows, "b") == {f"b{i}" for i in range(20)}
    assert {rows[f"b{i}"]["role"] for i in range(20)} == {"amplifier"}
    burst = next(e for e in ev["accounts"]["b4"]["evidence"] if e["item"] == "engaging_burst")
    assert burst["value"]["n_engaging"] >= 20 and burst["value"]["lift"] >= 20
    # the look-alike protest community and the ordinary platform stay out
    assert _flagged(rows, "q") == set() and _flagged(rows, "u") == set()
    # same creation day, but 1 of its 41 actions on the core is the organic base rate, not a burst member
    assert rows.get("z", {}).get("flagged", "false") == "false"
    assert all(float(rows[f"q{i}"]["score"]) < 0.5 for i in range(20) if f"q{i}" in rows)


def test_without_burst_rule_camouflaged_amplifiers_are_missed(tmp_path: Path) -> None:
    rows, _ = _run(tmp_path, {"burst_min_lift": 1e9})
    assert _flagged(rows, "b") == set()  # they engage the core with only 1 of 4 actions
