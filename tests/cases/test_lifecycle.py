"""A case's whole life on the planted world, through the CLI, on SQLite and PostgreSQL:
open on run 1, grow with run 2, decide, appeal, uphold and overturn, restore; then its
history, the status derived from the events, the exports and the chain."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from lockstep.cases import sor_rules

from .helpers import Cli
from .world import AMPS, CORE


def test_case_full_life(world: tuple[Path, Path, Path], ledger_args: list[str],
                        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ws, run1, run2 = world
    cli = Cli(ws, ledger_args, capsys)
    opened = cli.json("case", "open", "--campaign", "c1", "--by", "ann", "--title", "HK 2019")
    cid = opened["id"]
    assert cid == "C1" and opened["version"] == 1
    assert cli.json("case", "list")[0]["n_subjects"] == len(CORE)

    grown = cli.json("case", "add", cid, "--run", str(run2), "--by", "ann")  # picks c7 by overlap
    assert grown["version"] == 2 and grown["evidence"] != opened["evidence"]
    show = cli.json("case", "show", cid)
    assert [v["campaign_id"] for v in show["evidence_versions"]] == ["c1", "c7"]
    assert [v["n_subjects"] for v in show["evidence_versions"]] == [7, 19]
    assert show["evidence_versions"][1]["n_edges"] == 19 * 18 // 2

    pages = tmp_path / "pages.txt"
    pages.write_text("# pages posing as news outlets\nHK-political-news\nHK-daily\n")
    cli.json("case", "add", cid, "--pages", str(pages), "--by", "ann")

    sus = cli.json("case", "decide", cid, "--action", "suspend", "--reason", "coordinated-activity",
                   "--by", "ann", "--note", "core and amplifiers", "--request-id", "req-1")
    assert sus["n_subjects"] == 19 + 2
    again = cli.json("case", "decide", cid, "--action", "suspend", "--reason", "coordinated-activity",
                     "--by", "ann", "--note", "core and amplifiers", "--request-id", "req-1")
    assert again["replayed"] and again["decision_id"] == sus["decision_id"]
    one = tmp_path / "one.txt"
    one.write_text("p0\n")
    imp = cli.json("case", "decide", cid, "--action", "remove", "--reason", "impersonation", "--by", "bo",
                   "--accounts", str(one))
    lab = tmp_path / "lab.csv"
    lab.write_text("account_id,why\no4,label only\n")
    cli.json("case", "decide", cid, "--action", "label", "--reason", "spam", "--by", "bo", "--accounts", str(lab))

    a1, a2 = tmp_path / "a1.txt", tmp_path / "a2.txt"
    a1.write_text("a0\n")
    a2.write_text("a1\n")
    up = cli.json("case", "appeal", cid, "--decision", sus["decision_id"], "--accounts", str(a1), "--by", "desk")
    ov = cli.json("case", "appeal", cid, "--decision", sus["decision_id"], "--accounts", str(a2), "--by", "desk")
    cli.json("case", "appeal", cid, "--resolve", up["appeal_id"], "--outcome", "uphold", "--by", "cy")
    res = cli.json("case", "appeal", cid, "--resolve", ov["appeal_id"], "--outcome", "overturn", "--by", "cy")
    assert res["events"][0]["payload"]["reverses"]  # linked to the decision it reverses
    r = tmp_path / "r.txt"
    r.write_text("a2\n")
    cli.json("case", "decide", cid, "--action", "restore", "--by", "cy", "--accounts", str(r))

    status = {(s["kind"], s["id"]): s for s in cli.json("case", "status", cid)}
    assert status[("account", "a0")]["state"] == "suspended" and status[("account", "a0")]["appeal"] == "upheld"
    assert status[("account", "a1")]["state"] == "restored" and status[("account", "a1")]["appeal"] == "overturned"
    assert status[("account", "a2")]["state"] == "restored" and status[("account", "a2")]["action"] == "restore"
    assert status[("account", "p0")]["state"] == "removed" and status[("account", "p0")]["reason"] == "impersonation"
    assert status[("account", "o4")]["state"] == "labelled"
    assert status[("page", "HK-daily")]["state"] == "suspended"
    assert status[("account", "o0")]["automated_detection"] is True
    assert status[("page", "HK-daily")]["automated_detection"] is False
    assert sum(s["state"] == "suspended" for s in status.values()) == 21 - 4  # less p0, o4, a1, a2
    hist = cli.json("case", "history", cid)
    kinds = [h["kind"] for h in hist]
    assert kinds[:4] == ["case.opened", "case.evidence", "case.evidence", "case.evidence"]
    assert kinds.count("appeal.filed") == 2 and kinds.count("appeal.resolved") == 2
    assert [h["seq"] for h in hist] == sorted(h["seq"] for h in hist)
    dec = next(h for h in hist if h["kind"] == "decision" and h["subject_id"] == "a5")
    assert dec["payload"]["evidence"] == grown["evidence"] and dec["payload"]["evidence_version"] == 2
    page = next(h for h in hist if h["kind"] == "decision" and h["subject_id"] == "HK-daily")
    assert page["payload"]["evidence_version"] == 3
    assert dec["payload"]["policy_version"] == "2026.1" and dec["payload"]["human_confirmed"] is True
    remove = next(h for h in hist if h["kind"] == "decision" and h["payload"]["decision_id"] == imp["decision_id"])
    assert remove["payload"]["overrides"]  # the removal supersedes p0's suspension, linked, not edited

    enf = tmp_path / "enf.csv"
    cli.json("case", "export", cid, "--format", "enforcement", "--out", str(enf))
    rows = {r["subject_id"]: r for r in csv.DictReader(enf.open())}
    assert rows["p0"]["action"] == "remove" and rows["a1"]["state"] == "restored" and len(rows) == 21

    for ext in ("json", "csv"):
        out = tmp_path / f"sor.{ext}"
        assert cli.json("case", "export", cid, "--format", "sor", "--out", str(out))["rows"] == 21 + 2
        text = out.read_text()
        sors = json.loads(text) if ext == "json" else [
            {k: (json.loads(v) if k in ("decision_visibility", "content_type", "category_specification") and v
                 else (v or None)) for k, v in r.items()} for r in csv.DictReader(out.open())]
        assert all(sor_rules.validate(s) == [] for s in sors)
        for personal in [*CORE, *AMPS, "HK-daily", "ann", "bo", "desk", "cy", "core and amplifiers"]:
            assert not any(personal in str(v).split() or str(v) == personal for s in sors for v in s.values()), personal
        assert {s["decision_account"] for s in sors} == {"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED",
                                                          None}
        assert {s["category"] for s in sors} == {"STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"}
        assert {s["puid"] for s in sors} <= {h["event_id"] for h in hist}
    v = cli.json("ledger", "verify")
    assert v["ok"] and v["n_events"] == len(hist)


def test_a_wide_case_decides_and_appeals_thousands_at_once(
        world: tuple[Path, Path, Path], ledger_args: list[str], capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    """Thousands of subjects in one decision and one appeal: past ledger.db.MAX_IN, so the
    subject filter runs in Python rather than as a bound SQL IN list (whose size the engines cap)."""
    ws = world[0]
    cli = Cli(ws, ledger_args, capsys)
    cid = cli.json("case", "open", "--campaign", "c1", "--by", "ann")["id"]
    groups = tmp_path / "groups.txt"
    groups.write_text("".join(f"g{i}\n" for i in range(2500)))
    cli.json("case", "add", cid, "--groups", str(groups), "--by", "ann")
    dec = cli.json("case", "decide", cid, "--action", "remove", "--reason", "spam", "--by", "ann")
    assert dec["n_subjects"] == 2507
    appeal = cli.json("case", "appeal", cid, "--decision", dec["decision_id"], "--by", "d")
    assert appeal["n_subjects"] == 2507
    cli.json("case", "appeal", cid, "--resolve", appeal["appeal_id"], "--outcome", "overturn", "--by", "cy")
    states = {s["state"] for s in cli.json("case", "status", cid)}
    assert states == {"restored"}
    assert cli.json("ledger", "verify")["ok"]
