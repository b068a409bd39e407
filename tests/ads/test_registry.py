"""The registry: built from the real matrix, bundled, versioned, with local changes kept apart."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from ads_helpers import write_csv

from lockstep.ads.check import check_file
from lockstep.ads.importer import import_registry
from lockstep.ads.registry import MediaRegistry, bundled_registry, load_registry, read_registry_file
from lockstep.cli.main import run
from lockstep.errors import DataError


def test_import_covers_every_row_of_the_real_data(smm_path: Path, smm_rows: list[dict[str, str]],
                                                  real_registry: MediaRegistry) -> None:
    rep = import_registry(smm_path, "2024-02")
    filled = [r for r in smm_rows if any(v.strip() for k, v in r.items() if k != "_line")]
    assert rep.rows == len(smm_rows) == 1157
    assert rep.set_aside == [f"line {r['_line']}: empty row" for r in smm_rows if r not in filled]
    # the matrix's "158 countries" count its blank last row: 157 real ones
    assert len({r["Country"] for r in smm_rows}) == 158 and len({r["Country"] for r in filled}) == 157
    assert {e.country for e in real_registry.entries.values()} == {r["Country"] for r in filled}
    # every filled row is in exactly one outlet, with its own typology
    by_line = {ln: e for e in real_registry.entries.values() for ln in e.lines}
    assert len(by_line) == len(filled)
    for r in filled:
        e = by_line[int(r["_line"])]
        assert (e.typology, e.country) == (r["Typology"], r["Country"])
    assert Counter(e.typology for e in real_registry.entries.values())["SC"] > 500


def test_the_bundled_build_is_this_import(real_registry: MediaRegistry) -> None:
    """The package data is reproducible: a fresh import of the real data gives the same version."""
    b = bundled_registry()
    assert b.version == real_registry.version
    assert b.version.endswith("@2024-02")
    assert b.entries == real_registry.entries


def test_version_is_content_hash_plus_source_date(smm_path: Path, tmp_path: Path) -> None:
    a = import_registry(smm_path, "2024-02").registry
    assert import_registry(smm_path, "2024-03").registry.version == a.version.replace("@2024-02", "@2024-03")
    changed = tmp_path / "m.csv"
    changed.write_text(smm_path.read_text(encoding="utf-8-sig").replace(",ISFM?,", ",ISFM,", 1), encoding="utf-8")
    b = import_registry(changed, "2024-02").registry
    assert b.version != a.version and b.version.endswith("@2024-02")


def test_a_hand_edited_registry_file_is_refused(real_registry: MediaRegistry, tmp_path: Path) -> None:
    f = tmp_path / "registry.json"
    real_registry.save(f)
    assert read_registry_file(f).version == real_registry.version
    data = json.loads(f.read_text())
    data["entries"][0]["typology"] = "IP"
    f.write_text(json.dumps(data))
    with pytest.raises(DataError, match="does not match its version"):
        read_registry_file(f)


def test_local_changes_survive_a_reimport(smm_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    assert run(["ads", "registry", "import", str(smm_path), "--source-date", "2024-02", "--workspace", ws]) == 0
    base = load_registry(Path(ws)).version
    assert run(["ads", "registry", "override", "japan/nhk", "--typology", "IP", "--add-domain", "nhk-mirror.example",
                "--reason", "team review 2026-12", "--workspace", ws]) == 0
    assert run(["ads", "registry", "add", "--name", "Example State TV", "--country", "Atlantis", "--typology", "SC",
                "--domain", "https://www.example-state.tv/", "--handle", "twitter:@exstatetv",
                "--reason", "found in a takedown", "--workspace", ws]) == 0
    assert run(["ads", "registry", "import", str(smm_path), "--source-date", "2024-02", "--workspace", ws]) == 0
    reg = load_registry(Path(ws))
    assert reg.version.startswith(base + "+local.")
    nhk = reg.entries["japan/nhk"]
    assert nhk.typology == "IP" and "nhk-mirror.example" in nhk.domains
    added = reg.entries["local/atlantis/example-state-tv"]
    assert added.origin == "local" and added.domains == ("example-state.tv",) and added.handles == ("twitter:exstatetv",)
    local = json.loads((Path(ws) / "ads" / "registry-local.json").read_text())
    assert local["overrides"][0]["reason"] == "team review 2026-12" and local["overrides"][0]["who"]
    capsys.readouterr()
    assert run(["ads", "registry", "search", "nhk-mirror.example", "--workspace", ws]) == 0
    assert "eligible by rule independent-public-media" in capsys.readouterr().out


def test_an_override_whose_entry_vanished_is_reported(smm_path: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    assert run(["ads", "registry", "override", "japan/nhk", "--note", "x", "--reason", "r", "--workspace", ws]) == 0
    smaller = tmp_path / "m.csv"
    smaller.write_text("".join(ln for ln in smm_path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
                               if ",NHK," not in ln), encoding="utf-8")
    capsys.readouterr()
    assert run(["ads", "registry", "import", str(smaller), "--workspace", ws]) == 0
    assert "override of japan/nhk" in capsys.readouterr().err


def test_registry_commands_refuse_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = str(tmp_path / "ws")
    assert run(["ads", "registry", "override", "no/such-entry", "--typology", "SC", "--reason", "r", "--workspace", ws]) == 2
    assert run(["ads", "registry", "add", "--name", "X", "--country", "Y", "--typology", "SC", "--domain", "not a domain",
                "--reason", "r", "--workspace", ws]) == 2
    assert run(["ads", "registry", "import", str(tmp_path / "missing.csv"), "--workspace", ws]) == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("Country,Name\nX,Y\n")
    assert run(["ads", "registry", "import", str(bad), "--workspace", ws]) == 3
    err = capsys.readouterr().err
    assert "missing column(s) Media company, Main assets, URL, Typology" in err and "Traceback" not in err


def test_show_summarises_the_registry_in_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(["ads", "registry", "show", "--json", "--workspace", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["entries"] == 1111 and data["version"] == bundled_registry().version
    assert run(["ads", "registry", "show", "russia/rt-international", "--json", "--workspace", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out)["typology"] == "SC"


def test_a_wrongly_listed_domain_can_be_dropped(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    src = write_csv(tmp_path / "adv.csv", ["name", "domain"], [["Watch Site", "kcnawatch.org"]])
    assert check_file(src, out=tmp_path / "a.csv", workspace=None).decisions[0].decision == "ineligible"
    eid = next(e.id for e in bundled_registry().entries.values() if "kcnawatch.org" in e.domains)
    assert run(["ads", "registry", "override", eid, "--drop-domain", "kcnawatch.org",
                "--reason", "a site of NK News, not the broadcaster's", "--workspace", str(ws)]) == 0
    d = check_file(src, out=tmp_path / "b.csv", workspace=ws).decisions[0]
    assert (d.decision, d.rule) == ("eligible", "no-match")
