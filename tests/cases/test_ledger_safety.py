"""The ledger under stress and attack, on SQLite and PostgreSQL: concurrent writers, a
process killed mid-batch, rows edited, deleted or reordered behind the tool's back, the
database's own refusal of UPDATE and DELETE, and idempotent request ids."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from lockstep.cases import load_policy
from lockstep.cases.evidence import read_detect_run
from lockstep.cases.service import decide, open_case
from lockstep.store.ledger import open_ledger, resolve_url, verify

from .helpers import Cli
from .world import write_run

N_WRITERS, N_DECISIONS, N_ACCOUNTS = 8, 1000, 400
ACTIONS = ("suspend", "label", "remove")


def _url(ws: Path, ledger_args: list[str]) -> str:
    return resolve_url(ws, ledger_args[1] if ledger_args else None)


def _big_case(tmp: Path, ws: Path, ledger_args: list[str]) -> str:
    members = [f"acct{i:04d}" for i in range(N_ACCOUNTS)]
    run = write_run(tmp / "big", "detect-big", {"c1": members[:40]}, {})
    # a campaign of 400 with a chain of edges keeps the run small but the case wide
    (run / "campaigns.json").write_text(
        f'[{{"id": "c1", "members": {members!r}, "n_members": {N_ACCOUNTS}}}]'.replace("'", '"'))
    with open_ledger(_url(ws, ledger_args)) as led:
        return open_case(led, read_detect_run(run), "c1", "lead").case_id


def _writer(url: str, case_id: str, w: int) -> None:
    policy = load_policy()
    with open_ledger(url) as led:
        for i in range(N_DECISIONS):
            acct = f"acct{(w * 131 + i) % N_ACCOUNTS:04d}"
            decide(led, policy, case_id, ACTIONS[i % 3], f"writer{w}", "coordinated-activity",
                   {"account": [acct]}, request_id=f"w{w}-{i}")


def test_concurrent_writers_lose_nothing(world: tuple[Path, Path, Path], ledger_args: list[str],
                                         tmp_path: Path) -> None:
    ws = world[0]
    url = _url(ws, ledger_args)
    case_id = _big_case(tmp_path, ws, ledger_args)
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(url, case_id, w)) for w in range(N_WRITERS)]
    t0 = time.time()
    for p in procs:
        p.start()
    for p in procs:
        p.join(600)
    assert [p.exitcode for p in procs] == [0] * N_WRITERS
    with open_ledger(url) as led:
        decisions = led.events(case_id, kinds=["decision"])
        rep = verify(led)
    by_writer = Counter(e.actor for e in decisions)
    assert by_writer == {f"writer{w}": N_DECISIONS for w in range(N_WRITERS)}, by_writer
    assert len({e.request_id for e in decisions}) == N_WRITERS * N_DECISIONS
    assert rep.ok, rep.problems
    assert rep.n_events == 2 + N_WRITERS * N_DECISIONS
    print(f"{N_WRITERS}x{N_DECISIONS} decisions on {rep.backend}: {time.time() - t0:.1f} s")


CHILD = """
import sys, time
from pathlib import Path
import lockstep.store.ledger.db as db
calls = [0]
real = db.event_hash
def slow(row):
    calls[0] += 1
    if calls[0] == 50:
        Path(sys.argv[1]).write_text("mid-batch")
        time.sleep(60)
    return real(row)
db.event_hash = slow
from lockstep.cli.main import run
sys.exit(run(sys.argv[2:]))
"""


def test_killed_mid_batch_leaves_no_partial_decision(world: tuple[Path, Path, Path], ledger_args: list[str],
                                                     capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ws, _, run2 = world
    cli = Cli(ws, ledger_args, capsys)
    cid = cli.json("case", "open", "--campaign", "c7", "--run", str(run2), "--by", "ann")["id"]
    before = cli.json("case", "history", cid)
    pages = tmp_path / "pages.txt"  # 19 accounts + 100 pages: a batch long enough to kill at its 50th event
    pages.write_text("".join(f"page{i}\n" for i in range(100)))
    cli.json("case", "add", cid, "--pages", str(pages), "--by", "ann")
    marker = tmp_path / "marker"
    cmd = ["case", "decide", cid, "--action", "suspend", "--reason", "fake-accounts", "--by", "ann",
           "--request-id", "batch-1"]
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(marker), *cmd, "--workspace", str(ws), *ledger_args])
    for _ in range(1200):
        if marker.exists() or proc.poll() is not None:
            break
        time.sleep(0.05)
    assert marker.exists(), "the child never reached the middle of its batch"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    after = cli.json("case", "history", cid)
    assert [h["kind"] for h in after] == [h["kind"] for h in before] + ["case.evidence"]
    assert cli.json("ledger", "verify")["ok"]
    # the retry acts once, and a second retry does not act again
    first = cli.json(*cmd)
    assert not first["replayed"] and first["n_subjects"] == 119
    assert cli.json(*cmd)["replayed"]
    assert sum(h["kind"] == "decision" for h in cli.json("case", "history", cid)) == 119


def _raw(ws: Path, ledger_args: list[str]) -> Callable[[str], None]:
    """Run SQL on the ledger database behind the tool's back, guards disabled."""
    if not ledger_args:
        def run_sqlite(sql: str) -> None:
            con = sqlite3.connect(ws / "ledger.sqlite")
            for t in ("ledger_events", "ledger_snapshots", "ledger_requests"):
                con.execute(f"DROP TRIGGER IF EXISTS {t}_no_update")
                con.execute(f"DROP TRIGGER IF EXISTS {t}_no_delete")
            con.executescript(sql)
            con.commit()
            con.close()
        return run_sqlite

    def run_pg(sql: str) -> None:
        with psycopg.connect(ledger_args[1], autocommit=True) as con:
            for t in ("ledger_events", "ledger_snapshots", "ledger_requests"):
                con.execute(f"ALTER TABLE {t} DISABLE TRIGGER USER")
            con.execute(sql)
            for t in ("ledger_events", "ledger_snapshots", "ledger_requests"):
                con.execute(f"ALTER TABLE {t} ENABLE TRIGGER USER")
    return run_pg


@pytest.mark.parametrize("attack,expect", [
    ("UPDATE ledger_events SET actor = 'mallory' WHERE seq = 5", {5: "edited"}),
    ("UPDATE ledger_events SET payload = replace(payload, 'suspend', 'dismiss') WHERE seq = 7", {7: "edited"}),
    ("DELETE FROM ledger_events WHERE seq = 6", {7: "missing"}),
    ("UPDATE ledger_events SET seq = -1 WHERE seq = 5; UPDATE ledger_events SET seq = 5 WHERE seq = 8;"
     " UPDATE ledger_events SET seq = 8 WHERE seq = -1", {5: "edited", 8: "edited"}),
    ("DELETE FROM ledger_events WHERE seq >= 9", {None: "missing at the end"}),
    ("UPDATE ledger_snapshots SET content = substr(content, 1, 10)", {None: "does not match its hash"}),
])
def test_tampering_is_caught_and_named(world: tuple[Path, Path, Path], ledger_args: list[str],
                                       capsys: pytest.CaptureFixture[str], tmp_path: Path, attack: str,
                                       expect: dict[int | None, str]) -> None:
    ws = world[0]
    cli = Cli(ws, ledger_args, capsys)
    cid = cli.json("case", "open", "--campaign", "c1", "--by", "ann")["id"]
    cli.json("case", "decide", cid, "--action", "suspend", "--reason", "coordinated-activity", "--by", "ann")
    assert cli.json("ledger", "verify")["ok"]
    _raw(ws, ledger_args)(attack)
    rep = cli.json("ledger", "verify", rc=1)
    assert not rep["ok"]
    for seq, words in expect.items():
        assert any(p["seq"] == seq and words in p["what"] for p in rep["problems"]), (seq, words, rep["problems"])
    out, _ = cli("ledger", "verify", rc=1)
    assert ("seq " + str(next(iter(expect)))) in out or "ledger:" in out


def test_database_refuses_update_and_delete(world: tuple[Path, Path, Path], ledger_args: list[str],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    ws = world[0]
    cli = Cli(ws, ledger_args, capsys)
    cli.json("case", "open", "--campaign", "c1", "--by", "ann")
    for sql in ("UPDATE ledger_events SET actor = 'x'", "DELETE FROM ledger_events",
                "DELETE FROM ledger_snapshots", "UPDATE ledger_requests SET digest = 'x'"):
        if ledger_args:
            with psycopg.connect(ledger_args[1], autocommit=True) as pg:
                with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                    pg.execute(sql)
        else:
            lite = sqlite3.connect(ws / "ledger.sqlite")
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                lite.execute(sql)
            lite.close()
    assert cli.json("ledger", "verify")["ok"]


def test_request_ids_are_idempotent(world: tuple[Path, Path, Path], ledger_args: list[str],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    ws = world[0]
    cli = Cli(ws, ledger_args, capsys)
    a = cli.json("case", "open", "--campaign", "c1", "--by", "ann", "--request-id", "open-1")
    b = cli.json("case", "open", "--campaign", "c1", "--by", "ann", "--request-id", "open-1")
    assert (a["id"], a["replayed"], b["id"], b["replayed"]) == ("C1", False, "C1", True)
    assert [e["event_id"] for e in a["events"]] == [e["event_id"] for e in b["events"]]
    assert len(cli.json("case", "list")) == 1
    _, err = cli("case", "open", "--campaign", "c2", "--by", "ann", "--request-id", "open-1", rc=2)
    assert "request id 'open-1' was already used for a different command" in err
