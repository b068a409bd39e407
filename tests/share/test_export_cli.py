"""`lockstep share export` on a case (decided cases are shared as confirmed) and its errors:
unknown campaign or case ids, bad flag values and an output folder are one-line user errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lockstep.cli.main import run
from lockstep.share.read import read_tip
from share.share_world import MEMBERS, share_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return share_workspace(tmp_path_factory.mktemp("share-cli"))


def test_case_export_and_opinion(ws: Path, tmp_path: Path) -> None:
    from lockstep.cases.policy import load_policy
    from lockstep.cases.service import decide, open_case
    from lockstep.outputs import read_run
    from lockstep.store.ledger import open_ledger, resolve_url

    led = open_ledger(resolve_url(ws))
    try:
        case_id = open_case(led, read_run(ws.parent / "run"), "C1", "tester").case_id
    finally:
        led.close()
    out = tmp_path / "case.json"
    # the first case is C1, as the campaign: the bare id is ambiguous, and the error says so
    assert run(["share", "export", case_id, "--format", "stix", "--out", str(out), "--workspace", str(ws)]) == \
        (2 if case_id == "C1" else 0)
    ref = f"case:{case_id}"
    assert run(["share", "export", ref, "--format", "stix", "--out", str(out), "--workspace", str(ws)]) == 0
    tip = read_tip(out)
    assert tip.opinion == "needs_investigation"  # open, undecided
    assert {a.id for a in tip.assets if a.kind == "account"} == set(MEMBERS)
    led = open_ledger(resolve_url(ws))
    try:
        decide(led, load_policy(), case_id, "suspend", "tester", reason="coordinated-activity")
    finally:
        led.close()
    assert run(["share", "export", ref, "--format", "stix", "--out", str(out), "--workspace", str(ws)]) == 0
    assert read_tip(out).opinion == "confirmed"
    assert run(["share", "export", ref, "--format", "stix", "--out", str(out), "--workspace", str(ws),
                "--opinion", "needs_investigation"]) == 0
    assert read_tip(out).opinion == "needs_investigation"


@pytest.mark.parametrize("args, message", [
    (["C999", "--format", "stix"], "'C999' is neither a campaign"),
    (["C1", "--format", "pdf"], "--format 'pdf': choose one of stix, csv"),
    (["C1", "--format", "stix", "--tlp", "purple"], "--tlp 'purple': choose one of clear, green, amber, red"),
    (["C1", "--format", "csv", "--opinion", "maybe"], "--opinion 'maybe': choose one of"),
    (["C1", "--format", "stix", "--run", "no-such-run"], "no-such-run"),
])
def test_user_errors(ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                     message: str) -> None:
    out = tmp_path / "x.json"
    assert run(["share", "export", *args, "--out", str(out), "--workspace", str(ws)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1
    assert not out.exists()


def test_output_folder_and_missing_workspace(ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["share", "export", "C1", "--format", "stix", "--out", str(tmp_path), "--workspace", str(ws)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert run(["share", "export", "C1", "--format", "stix", "--out", str(tmp_path / "a.json"),
                "--workspace", str(tmp_path / "nowhere")]) == 2
    assert "Traceback" not in capsys.readouterr().err
