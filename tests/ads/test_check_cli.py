"""``lockstep ads check`` end to end: the decisions file, the log, and hostile input."""

from __future__ import annotations

import codecs
import csv
import json
from pathlib import Path

import pytest

from lockstep.ads.registry import bundled_registry
from lockstep.cli.main import run
from ads_helpers import write_csv

HEADER = ["advertiser", "name", "domain", "handles", "landing_urls", "redirects"]
GOOD = [
    ["xinhua", "Xinhua News Agency", "www.xinhuanet.com", "", "", ""],
    ["bbc", "BBC", "bbc.co.uk", "", "https://www.bbc.co.uk/news", ""],
    ["acme", "Acme Widgets", "acme-widgets.example", "@acme", "", ""],
    ["cbc?", "CBC", "", "", "", ""],
]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_check_writes_the_five_columns_and_logs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_csv(tmp_path / "adv.csv", HEADER, GOOD)
    out, ws = tmp_path / "decisions.csv", tmp_path / "ws"
    ws.mkdir()
    assert run(["ads", "check", str(src), "--out", str(out), "--workspace", str(ws)]) == 0
    with out.open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["advertiser", "decision", "rule", "matched_entry", "evidence"]
    rows = {r["advertiser"]: r for r in _read(out)}
    assert [rows[k]["decision"] for k in ("xinhua", "bbc", "acme", "cbc?")] == ["ineligible", "eligible", "eligible", "review"]
    version = bundled_registry().version
    assert all(f"registry {version}" in r["evidence"] and "policy state-media-ads" in r["evidence"] for r in rows.values())
    log = [json.loads(ln) for ln in (ws / "ads" / "decisions.jsonl").read_text().splitlines()]
    assert [r["advertiser"] for r in log] == ["xinhua", "bbc", "acme", "cbc?"]
    assert log[0]["registry"] == version and log[0]["policy"]["version"] and log[0]["policy"]["sha256"]
    assert log[0]["appealable"] is True and log[2]["appealable"] is False and log[0]["line"] == 2
    err = capsys.readouterr().err
    assert "1 ineligible, 1 review, 2 eligible" in err and version in err


def test_stdout_when_no_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_csv(tmp_path / "adv.csv", ["name", "domain"], [["RT", "rt.com"]])
    assert run(["ads", "check", str(src), "--workspace", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "advertiser,decision,rule,matched_entry,evidence" and out[1].startswith("RT,ineligible,")


def _check(tmp_path: Path, body: bytes, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, list[dict[str, str]]]:
    src = tmp_path / "adv.csv"
    src.write_bytes(body)
    out = tmp_path / "d.csv"
    rc = run(["ads", "check", str(src), "--out", str(out), "--workspace", str(tmp_path)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return rc, err, _read(out) if out.exists() else []


def test_missing_column_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, err, _ = _check(tmp_path, b"name,website\nRT,rt.com\n", capsys)
    assert rc == 3 and "adv.csv: line 1: missing column(s) 'domain'" in err and "found: name, website" in err


def test_empty_file_and_duplicate_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _check(tmp_path, b"", capsys)[0] == 3
    rc, err, _ = _check(tmp_path, b"name,domain,Domain\nx,y,z\n", capsys)
    assert rc == 3 and "column 'domain' appears twice" in err


def test_utf16_with_bom_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = codecs.BOM_UTF16_LE + "name,domain\nРоссия Сегодня,\nCGTN,cgtn.com\n".encode("utf-16-le")
    rc, _, rows = _check(tmp_path, body, capsys)
    assert rc == 0 and [r["decision"] for r in rows] == ["ineligible", "ineligible"]


def test_utf16_without_bom_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, err, _ = _check(tmp_path, "name,domain\nCGTN,cgtn.com\n".encode("utf-16-le"), capsys)
    assert rc == 3 and "without a byte-order mark" in err


def test_bad_rows_are_set_aside_and_good_rows_decided(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = b"x" * 200_000
    body = (b"name,domain,handles\n"
            b"CGTN,cgtn.com,\n"                      # line 2: good
            b"Caf\xe9 Latin-1,cafe.example,\n"       # line 3: not UTF-8
            b"too,many,cells,here\n"                 # line 4: wrong cell count
            b"Bad Domain,not a domain!,\n"           # line 5: bad domain
            b"Nul\x00Name,nul.example,\n"            # line 6: NUL byte
            b"Huge," + huge + b",\n"                 # line 7: field over the csv limit
            b"\"Multi\nLine\",bbc.co.uk,\n"          # lines 8-9: good, spans two lines
            b" , ,\n"                                # line 10: blank: skipped, not data
            b"Handle,,twitter:@\n"                   # line 11: a handle with no name
            b"RT,rt.com,\n")                         # line 12: good
    rc, err, rows = _check(tmp_path, body, capsys)
    assert rc == 0
    assert [(r["advertiser"], r["decision"]) for r in rows] == [("CGTN", "ineligible"), ("Multi\nLine", "eligible"),
                                                               ("RT", "ineligible")]
    rejected = _read(tmp_path / "d.rejected.csv")
    assert [(r["line"], r["field"]) for r in rejected] == [
        ("3", "name"), ("4", "*"), ("5", "domain"), ("6", "name"), ("7", "*"), ("11", "handles")]
    assert "not text in the file's encoding" in rejected[0]["problem"] and "field larger than field limit" in rejected[4]["problem"]
    assert "6 rows set aside" in err and "adv.csv: line 3: field name" in err
    assert rejected[0]["raw"].startswith("Caf\\xe9 Latin-1") and rejected[3]["raw"].startswith("Nul\\x00Name")


def test_unknown_policy_file_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_csv(tmp_path / "adv.csv", ["name", "domain"], [["RT", "rt.com"]])
    assert run(["ads", "check", str(src), "--policy", str(tmp_path / "nope.toml")]) == 2
    assert "no such policy file" in capsys.readouterr().err


def test_every_ads_command_and_flag_is_in_the_docs() -> None:
    import typer.main

    from lockstep.cli.main import app

    docs = (Path(__file__).resolve().parents[2] / "docs" / "ads.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app).commands["ads"]  # type: ignore[attr-defined]
    seen = 0
    for name, cmd in group.commands.items():
        subs = cmd.commands.items() if hasattr(cmd, "commands") else [("", cmd)]
        for sub, c in subs:
            full = f"lockstep ads {name} {sub}".strip()
            assert full in docs, full
            for p in c.params:
                for opt in p.opts:
                    if opt.startswith("--"):
                        assert opt in docs, (full, opt)
            seen += 1
    assert seen == 7
