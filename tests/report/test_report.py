"""`lockstep report`: the page renders in headless Chromium (Debian's package) without
console errors or network requests, shows the campaign's own numbers, keeps a screenshot;
the PDF carries the pictures; the Markdown and JSON twins agree with the page.

Chromium missing is a failure here, never a skip: CI installs it (.ci/run)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from lockstep.cli.main import run
from lockstep.report.disarm import behaviours
from lockstep.report.pdf import open_page

from .world import GROUP_MEMBERS, PAGES, World


def _expected(world: World) -> dict[str, object]:
    """The campaign's numbers, counted here from the simulator's files and the run's files."""
    members = set(world.members())
    rows = world.account_rows()
    roles = Counter(rows[m]["role"] or "unjudged" for m in members)
    with (world.sim / "users.csv").open(newline="", encoding="utf-8") as fh:
        followers = {r["userid"]: int(r["follower_count"]) for r in csv.DictReader(fh) if r["userid"] in members}
    with (world.sim / "tweets.csv").open(newline="", encoding="utf-8") as fh:
        n_actions = sum(r["userid"] in members for r in csv.DictReader(fh))
    return {"n_accounts": len(members), "roles": dict(roles), "n_actions": n_actions,
            "followers_reached": sum(followers.values()) + sum(PAGES.values()), "n_pages": len(PAGES), "n_groups": 1,
            "group_members": GROUP_MEMBERS}


def test_report_renders_in_chromium_with_the_campaigns_numbers(world: World, tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert run(["report", world.campaign, "--workspace", str(world.ws), "--out", str(out), "--pdf"]) == 0
    shot = tmp_path / "report.png"
    load = open_page(out / "report.html", screenshot=shot)
    assert load.problems() == []
    assert load.images_loaded == 4
    assert shot.stat().st_size > 50_000  # kept under the test's tmp dir for a look
    exp = _expected(world)
    v = load.values
    assert int(v["count:n_accounts"]) == exp["n_accounts"]
    assert {k[5:]: int(n) for k, n in v.items() if k.startswith("role:")} == exp["roles"]
    assert int(v["count:n_actions"]) == exp["n_actions"]
    assert int(v["count:followers_reached"]) == exp["followers_reached"]
    assert int(v["count:n_pages"]) == exp["n_pages"] and int(v["count:n_groups"]) == exp["n_groups"]
    assert int(v["count:group_members"]) == exp["group_members"]
    pdf = (out / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    in_pdf = {(int(w), int(h)) for w, h in re.findall(rb"/Subtype /Image\s*/Width (\d+)\s*/Height (\d+)", pdf)}
    drawn = {Image.open(p).size for p in (out / "figures").glob("*.png")}
    assert len(drawn) == 4 and drawn <= in_pdf  # every picture is in the PDF, at its own size


def test_twins_say_what_the_page_says(world: World, tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert run(["report", world.campaign, "--workspace", str(world.ws), "--out", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    md = (out / "report.md").read_text(encoding="utf-8")
    exp = _expected(world)
    assert data["summary"]["n_accounts"] == exp["n_accounts"] and data["summary"]["by_role"] == exp["roles"]
    assert f'data-count="n_accounts">{exp["n_accounts"]}<' in html
    # self-contained: every picture inline, nothing fetched from anywhere
    assert html.count('src="data:image/png;base64,') == 4
    assert not re.search(r'(src|href)="(https?:)?//', html)
    for name, rel in data["figures"].items():
        assert (out / rel).read_bytes().startswith(b"\x89PNG") and f"]({rel})" in md, name
    assert data["time_zone"]["utc_offset"] == 8  # the operation works office hours in Beijing time
    assert len(data["series"]["hour_of_week_local"]) == 7
    ids = {b["technique_id"] for b in data["behaviours"]}
    assert "T0049.003" in ids  # co-reposting is in this campaign's signals
    assert len(data["evidence"]) == exp["n_accounts"]
    assert data["evidence"] == sorted(data["evidence"], key=lambda e: (-e["score"], e["account_id"]))


def test_report_on_a_case(world: World, tmp_path: Path) -> None:
    from lockstep.cases.service import open_case
    from lockstep.outputs import read_run
    from lockstep.store.ledger import open_ledger, resolve_url

    led = open_ledger(resolve_url(world.ws))
    try:
        case_id = open_case(led, read_run(world.run), world.campaign, "tester").case_id
    finally:
        led.close()
    out = tmp_path / "case"
    assert run(["report", case_id, "--workspace", str(world.ws), "--out", str(out)]) == 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["subject"]["kind"] == "case" and data["subject"]["id"] == case_id
    assert data["summary"]["n_accounts"] == len(world.members())


def test_unknown_subject_and_missing_browser_are_one_line_errors(
        world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["report", "C999", "--workspace", str(world.ws), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "'C999' is neither a campaign" in err and world.campaign in err and "Traceback" not in err
    monkeypatch.setenv("LOCKSTEP_CHROMIUM", str(tmp_path / "no-chromium"))
    assert run(["report", world.campaign, "--workspace", str(world.ws), "--out", str(tmp_path / "y"), "--pdf"]) == 2
    assert "--pdf needs Chromium" in capsys.readouterr().err
    assert not (tmp_path / "y").exists()


def test_disarm_names_only_techniques_the_evidence_shows() -> None:
    got = behaviours({"co_repost": 4, "co_link": 0}, [{"item": "persona", "strength": 1.0, "text": "poses as news"},
                                                      {"item": "infra", "strength": 0.0, "text": "none"}], {}, 0)
    assert [b["technique_id"] for b in got] == ["T0049.003", "T0097", "T0099"]
    assert behaviours({}, [], {}, 2)[0]["technique_id"] == "T0007"
