"""Clear one-line errors (no traceback) for a user's mistakes, and set-aside rows named by
file, line and field while the good ids still count."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import Cli


@pytest.fixture()
def cli(world: tuple[Path, Path, Path], ledger_args: list[str], capsys: pytest.CaptureFixture[str]) -> Cli:
    c = Cli(world[0], ledger_args, capsys)
    c.json("case", "open", "--campaign", "c1", "--by", "ann")
    return c


@pytest.mark.parametrize("args,message", [
    (["case", "decide", "C1", "--action", "ban", "--reason", "spam", "--by", "a"],
     "invalid action 'ban' (choose from suspend, remove, restore, dismiss, label)"),
    (["case", "decide", "C1", "--action", "suspend", "--reason", "rudeness", "--by", "a"],
     "unknown reason code 'rudeness' in policy 2026.1 (known: ban-evasion, coordinated-activity, fake-accounts,"
     " impersonation, spam)"),
    (["case", "decide", "C1", "--action", "suspend", "--by", "a"], "--reason is required for suspend"),
    (["case", "decide", "C9", "--action", "suspend", "--reason", "spam", "--by", "a"],
     "unknown case 'C9' (known: C1)"),
    (["case", "show", "C9"], "unknown case 'C9' (known: C1)"),
    (["case", "history", "nope"], "unknown case 'nope'"),
    (["case", "decide", "C1", "--action", "restore", "--by", "a"], "cannot restore account"),
    (["case", "appeal", "C1", "--decision", "D-123", "--by", "a"], "unknown decision 'D-123' in case C1"),
    (["case", "appeal", "C1", "--resolve", "A-1", "--outcome", "uphold", "--by", "a"], "unknown appeal 'A-1'"),
    (["case", "appeal", "C1", "--resolve", "A-1", "--outcome", "maybe", "--by", "a"], "invalid outcome 'maybe'"),
    (["case", "appeal", "C1", "--by", "a"], "give --decision ID"),
    (["case", "open", "--campaign", "c99", "--by", "a"], "no campaign 'c99' in run"),
    (["case", "open", "--campaign", "c1", "--by", " "], "--by is required"),
    (["case", "export", "C1", "--format", "pdf", "--out", "x.json"], "--format 'pdf': choose from enforcement, sor"),
    (["case", "export", "C1", "--format", "sor", "--out", "x.txt"], "name a .json or .csv file"),
    (["case", "add", "C1", "--by", "a"], "case add: give --run"),
    (["case", "decide", "C1", "--action", "label", "--reason", "spam", "--by", "a", "--request-id", "r" * 129],
     "--request-id must be 1 to 128 characters (got 129)"),
    (["case", "decide", "C1", "--action", "label", "--reason", "spam", "--by", "a" * 257],
     "--by must be at most 256 characters"),
])
def test_clear_errors(cli: Cli, args: list[str], message: str) -> None:
    _, err = cli(*args, rc=2)
    assert message in err, err
    assert "Traceback" not in err and err.count("\n") == 1


def test_bad_rows_set_aside_and_named(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "acc.csv"
    f.write_text("account_id,note\np0,x\n,empty\n\"o 1\",space\no2,y\n")
    res = cli.json("case", "decide", "C1", "--action", "suspend", "--reason", "spam", "--by", "a", "--accounts", str(f))
    assert res["n_subjects"] == 2
    assert res["set_aside"] == [f"{f}:3: field account_id: empty",
                                f"{f}:4: field account_id: 'o 1' holds spaces or control characters"]
    _, err = cli("case", "decide", "C1", "--action", "label", "--reason", "spam", "--by", "a", "--accounts", str(f))
    assert f"warning: set aside {f}:3: field account_id: empty" in err
    strangers = tmp_path / "s.txt"
    strangers.write_text("zz1\nzz2\n")
    _, err = cli("case", "decide", "C1", "--action", "label", "--reason", "spam", "--by", "a",
                 "--accounts", str(strangers), rc=2)
    assert "not in case C1: account 'zz1', account 'zz2'" in err
    _, err = cli("case", "decide", "C1", "--action", "label", "--reason", "spam", "--by", "a",
                 "--accounts", str(tmp_path / "missing.txt"), rc=2)
    assert "no such file" in err


def test_missing_workspace_and_bad_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          world: tuple[Path, Path, Path]) -> None:
    cli = Cli(tmp_path / "nowhere", [], capsys)
    _, err = cli("case", "list", rc=2)
    assert "no lockstep workspace at" in err
    cli = Cli(world[0], ["--ledger", "mysql://x/y"], capsys)
    _, err = cli("case", "list", rc=2)
    assert "expected postgresql://USER@HOST/DB or sqlite:///PATH" in err
    cli = Cli(world[0], ["--ledger", "postgresql://nobody:secret@127.0.0.1:1/none"], capsys)
    _, err = cli("ledger", "verify", rc=4)
    assert "cannot open ledger postgresql://nobody:***@127.0.0.1:1/none" in err and "secret" not in err
