"""The entities stage's rules on a hand-made platform: each way a page or group is connected
to a campaign, and the near misses that must not connect it."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pyarrow as pa

from lockstep.detect.seeded import result_from_campaigns
from lockstep.entities import connect
from lockstep.ingest import ingest_paths
from lockstep.store import open_workspace

CAMP = ["a1", "a2", "a3", "p1"]  # p1: a page posting as a member


def _edges(members: list[str]) -> pa.Table:
    pairs = list(combinations(members, 2))
    return pa.table({"account_a": [a for a, _ in pairs], "account_b": [b for _, b in pairs],
                     "signal": ["co_link"] * len(pairs), "weight": [20.0] * len(pairs),
                     "n_shared": [5] * len(pairs), "mean_dt_seconds": [30.0] * len(pairs)})


def _world(d: Path) -> list[Path]:
    ent = ["platform,entity_id,kind,name,description,url,followers",
           "fb,p1,page,Campaign page,web: camp-news.example,https://www.facebook.com/camppage,1000",
           "fb,p2,page,Run by a1,,https://www.facebook.com/p2,50",
           "fb,p3,page,Names the domain,news | web: camp-news.example,https://www.facebook.com/p3,70",
           "fb,p4,page,Video fans,web: youtube.com,https://www.facebook.com/p4,9",
           "fb,g1,group,Flooded,,,0", "fb,g2,group,Big group,,,0", "fb,g3,group,Several posters,,,0",
           "fb,g4,group,Two posters,,,0",
           "tw,p5,page,Same site elsewhere,web: camp-news.example,https://other.example/p5,5"]  # another platform
    mem = ["platform,entity_id,account_id,role", "fb,p1,u9,admin", "fb,p2,a1,admin", "fb,p4,z1,admin",
           "fb,g1,m1,member", "fb,g1,m2,member", "fb,g1,a2,member", "fb,g2,m1,member"]
    act = ["platform,action_id,account_id,kind,timestamp,urls,entity_id"]
    n = 0

    def post(acc: str, where: str = "", url: str = "") -> None:
        nonlocal n
        n += 1
        act.append(f"fb,x{n},{acc},post,{1_560_000_000 + n},{url},{where}")

    for acc in ("a1", "a2", "p1", "a1", "a2", "p1"):  # g1: 6 of 10 posts from the campaign
        post(acc, "g1")
    for i in range(4):
        post(f"m{i}", "g1")
    post("a1", "g2")  # g2: one stray post among 50
    for i in range(49):
        post(f"m{i}", "g2")
    for acc in ("a1", "a2", "a3"):  # g3: three campaign posters, 3 of 12 posts (25%)
        post(acc, "g3")
    for i in range(9):
        post(f"m{i}", "g3")
    for acc in ("a1", "a2"):  # g4: two posters, 2 of 8 (25%): neither alone nor several
        post(acc, "g4")
    for i in range(6):
        post(f"m{i}", "g4")
    for acc in ("a1", "a2", "a3"):  # the campaign's own domain, and youtube.com like everyone
        post(acc, url="https://camp-news.example/story")
        post(acc, url="https://www.youtube.com/watch")
    for i in range(10):
        post(f"m{i}", url="https://youtube.com/watch")
    files = []
    for name, lines in (("entities.csv", ent), ("memberships.csv", mem), ("actions.csv", act)):
        (d / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(d / name)
    return files


def test_each_link_and_each_near_miss(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws") as ws:
        rep = ingest_paths(ws, _world(tmp_path), progress=False)
        assert not rep.errors and all(f.rows_quarantined == 0 for f in rep.files)
        det = result_from_campaigns({"C1": CAMP}, _edges(CAMP))
        ce = connect(ws, det).campaigns["C1"]
    links = {e.entity_id: sorted({lk.link for lk in e.links}) for e in ce.entities}
    assert links == {"p1": ["acts_as_account", "names_campaign_domain"], "p2": ["administered_by_member"],
                     "p3": ["names_campaign_domain"], "g1": ["posted_into"], "g3": ["posted_into"]}
    assert [a.entity_id for a in ce.admins] == ["u9"]  # a1 is a member: not listed again
    kinds = {e.entity_id: e.kind for e in ce.entities}
    assert kinds["g1"] == "group" and kinds["p1"] == "page"
    g1 = next(e for e in ce.entities if e.entity_id == "g1")
    assert g1.members == 3 and "6 of its 10 posts (60%" in g1.evidence
    # reach: followers of p1, p2, p3; distinct members of g1 and g3 (g3 has none on file)
    assert ce.reach == {"followers": 1000 + 50 + 70, "members": 3}
    doms = {d["domain"]: d["characteristic"] for d in ce.domains}
    assert doms == {"camp-news.example": True, "youtube.com": False}


def test_actions_alone_still_connect_groups_and_silent_campaigns_hold_nothing(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws") as ws:
        ingest_paths(ws, _world(tmp_path)[2:], progress=False)  # actions only: no entities table rows
        det = result_from_campaigns({"C1": ["a1", "a2", "a3"], "C2": ["n1", "n2", "n3"]},
                                    _edges(["a1", "a2", "a3", "n1", "n2", "n3"]))
        res = connect(ws, det)
    c1, c2 = res.campaigns["C1"], res.campaigns["C2"]
    assert [(e.entity_id, e.kind, e.name) for e in c1.entities] == [("g3", "group", "")]
    assert c2.entities == [] and c2.admins == [] and c2.domains == []
    assert c2.reach == {"followers": 0, "members": 0}


def test_connect_beside_gives_connect_s_result_and_raises_its_error(tmp_path: Path) -> None:
    """The stage on a thread and a cursor of its own (run beside the output writer) answers as
    connect does, while the caller's connection runs queries of its own meanwhile; its error
    reaches whoever waits for the result."""
    from lockstep.entities import connect_beside

    with open_workspace(tmp_path / "ws") as ws:
        ingest_paths(ws, _world(tmp_path), progress=False)
        det = result_from_campaigns({"C1": CAMP}, _edges(CAMP))
        later = connect_beside(ws, det)
        assert ws.con.execute("SELECT count(*) FROM actions").fetchall()[0][0] > 0  # the caller goes on
        got, want = later(), connect(ws, det)
        assert got.campaigns == want.campaigns and got.params == want.params
        broken = result_from_campaigns({"C1": CAMP}, _edges(CAMP))
        broken.campaigns = None  # type: ignore[assignment]
        failed = connect_beside(ws, broken)
        try:
            failed()
        except TypeError:
            pass
        else:
            raise AssertionError("the thread's error was not raised")


def test_write_run_waits_for_entities_given_as_a_function(tmp_path: Path) -> None:
    """The writer asks for the entities only after the files that do not need them; the
    output folder is byte for byte the one written from the result itself."""
    from lockstep.entities import connect_beside
    from lockstep.outputs.write import write_run

    with open_workspace(tmp_path / "ws") as ws:
        ingest_paths(ws, _world(tmp_path), progress=False)
        det = result_from_campaigns({"C1": CAMP}, _edges(CAMP))
        write_run(tmp_path / "now", det, None, "detect-1", connect(ws, det))
        asked: list[int] = []
        later = connect_beside(ws, det)

        def wait() -> object:
            asked.append(len(list((tmp_path / "later").glob(".partial-*/*"))))
            return later()
        write_run(tmp_path / "later", det, None, "detect-1", wait)  # type: ignore[arg-type]
    assert asked == [2]  # accounts.csv and edges.csv written first (no roles: no evidence file)
    names = sorted(p.name for p in (tmp_path / "now").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "later").iterdir()) and "entities.csv" in names
    for name in names:
        if name != "params.json":  # holds the seconds each step took
            assert (tmp_path / "now" / name).read_bytes() == (tmp_path / "later" / name).read_bytes(), name
