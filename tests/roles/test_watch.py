"""`lockstep watch`: alerts while a file grows, and a restart resumes without duplicates."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from pathlib import Path

from typer.testing import CliRunner

from lockstep.cli.main import app
from lockstep.roles.watch import Watcher
from lockstep.store import open_workspace

from .world import T0, build_world


def _amplifier(i: int) -> str:
    return json.dumps({"account_id": f"new{i}", "action_id": f"new{i}_rp", "kind": "repost",
                       "target_id": f"p0_{i % 10}", "target_account_id": "p0",
                       "timestamp": (T0 + timedelta(days=30, minutes=i)).isoformat(),
                       "handle": f"Lily{58213370 + i}", "followers": 0, "following": 2,
                       "created_at": "2019-07-23"})


def _person(i: int) -> str:
    return json.dumps({"account_id": f"person{i}", "action_id": f"person{i}_rp", "kind": "repost",
                       "target_id": "p1_3", "target_account_id": "p1",
                       "timestamp": (T0 + timedelta(days=30, minutes=i)).isoformat(),
                       "handle": f"jo_walker_{chr(97 + i)}", "display_name": "Jo Walker",
                       "description": "runner, dad", "followers": 340, "following": 290,
                       "created_at": "2012-03-04"})


def test_watch_a_growing_file_then_restart(ws_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "live.jsonl"
    src.write_text("")

    def writer() -> None:
        for i in range(6):
            with src.open("a") as fh:
                fh.write(_amplifier(i) + "\n" + _person(i) + "\n")
                if i == 3:
                    fh.write(_amplifier(99)[:40])  # half-written line: must wait for its end
            if i == 3:
                time.sleep(0.3)
                with src.open("a") as fh:
                    fh.write(_amplifier(99)[40:] + "\n")
            time.sleep(0.25)

    got: list[dict] = []
    t = threading.Thread(target=writer)
    with open_workspace(ws_dir) as ws:
        w = Watcher(ws, str(src), "canonical", emit=got.append)
        t.start()
        summary = w.run(follow=True, poll=0.05, max_idle=1.5)
        t.join()
    alerted = sorted(a["account_id"] for a in got)
    assert alerted == sorted([f"new{i}" for i in range(6)] + ["new99"])
    assert summary["actions"] == 13 and summary["alerts"] == 7
    a = got[0]
    assert a["campaign_id"] == "c1" and a["score"] >= 0.5 and a["delay_seconds"] >= 0
    assert a["action_to_alert_seconds"] > 0 and {e["item"] for e in a["evidence"]} >= {"engagement", "burst_campaign"}
    lines = (ws_dir / "alerts.jsonl").read_text().splitlines()
    assert len(lines) == 7

    # restart: state resumes from the stored offset; old accounts acting again raise no new alert
    with src.open("a") as fh:
        fh.write(_amplifier(1).replace("new1_rp", "new1_again") + "\n" + _amplifier(42) + "\n")
    res = CliRunner().invoke(app, ["watch", str(src), "--workspace", str(ws_dir), "--format", "canonical",
                                   "--once"])
    assert res.exit_code == 0, res.output
    new = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert [x["account_id"] for x in new] == ["new42"]
    assert len((ws_dir / "alerts.jsonl").read_text().splitlines()) == 8
    state = json.loads((ws_dir / "watch" / "state.json").read_text())
    assert state["sources"][str(src.resolve())]["offset"] == src.stat().st_size
    assert state["accounts"]["new1"]["n"] == 2
    with open_workspace(ws_dir) as ws:  # the new actions are stored in the workspace too
        assert ws.con.execute("SELECT count(*) FROM actions WHERE account_id LIKE 'new%'").fetchall()[0][0] == 9


def test_watch_without_a_detect_run_is_a_user_error(tmp_path: Path) -> None:
    build_world(tmp_path / "ws").close()
    (tmp_path / "x.jsonl").write_text("")
    res = CliRunner().invoke(app, ["watch", str(tmp_path / "x.jsonl"), "--workspace", str(tmp_path / "ws"), "--once"])
    assert res.exit_code != 0


def test_watch_reads_an_ingest_format_csv(ws_dir: Path, tmp_path: Path) -> None:
    """An IO-archive tweets CSV goes through lockstep.ingest; the header is kept across reads."""
    src = tmp_path / "tweets.csv"
    cols = ["tweetid", "userid", "user_screen_name", "follower_count", "following_count",
            "account_creation_date", "tweet_text", "tweet_time", "is_retweet", "retweet_userid",
            "retweet_tweetid"]
    src.write_text(",".join(cols) + "\n" + "t1,new7,Lily58213377,0,1,2019-07-23,hi,2019-07-31 03:10,true,p0,p0_4\n")
    got: list[dict] = []
    with open_workspace(ws_dir) as ws:
        w = Watcher(ws, str(src), "io-tweets", emit=got.append)
        w.run(follow=False)
        with src.open("a") as fh:
            fh.write('t2,person9,jo_walker,300,280,2012-01-01,"a ""quoted"", text",2019-07-31 03:11,true,p0,p0_4\n')
            fh.write("t3,new8,Lily58213378,0,1,2019-07-23,hi,2019-07-31 03:12,true,p1,p1_2\n")
        w.run(follow=False)
        stored = ws.con.execute("SELECT count(*) FROM actions WHERE action_id IN ('t1','t2','t3')").fetchall()[0][0]
    assert sorted(a["account_id"] for a in got) == ["new7", "new8"]
    assert stored == 3
