"""The second platform's files ingest with no flags: canonical headers go to their own
tables, a folder stands for its data files (labels.csv skipped), bad rows are quarantined
with file, line, field and reason."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from lockstep.cli.main import run as cli
from lockstep.errors import UserError
from lockstep.ingest import ingest_paths
from lockstep.ingest.folders import expand_paths
from lockstep.store import open_workspace
from lockstep.store.queries.base import fetch

Run = tuple[Path, dict[str, Any]]


def _n_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_every_platform2_file_goes_to_its_table(p2run: Run) -> None:
    work, _res = p2run
    p2 = work / "world" / "platform2"
    with open_workspace(work / "ws") as ws:
        for table, name in (("entities", "entities.csv"), ("memberships", "memberships.csv"),
                            ("accounts", "accounts.csv"), ("actions", "actions.csv")):
            n, lines, files = fetch(ws, f"SELECT count(*), count(DISTINCT source_line), "
                                        f"list(DISTINCT source_file) FROM {table}")[0]
            assert n == lines == _n_rows(p2 / name), table  # every row, each with its line
            assert [Path(f).name for f in files] == [name]
        roles = dict(fetch(ws, "SELECT role, count(*) FROM memberships GROUP BY role"))
        assert set(roles) == {"admin", "member"}


def test_folder_expands_to_data_files_and_skips_labels(tmp_path: Path) -> None:
    (tmp_path / "labels.csv").write_text("id,kind\n")
    (tmp_path / "entities.csv").write_text("entity_id,kind,name\n")
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / "sub").mkdir()
    got = expand_paths([tmp_path])
    assert got.files == [tmp_path / "entities.csv"]
    assert any("labels.csv: skipped (ground truth" in n for n in got.notes)
    assert any("notes.md" in n for n in got.notes) and any("sub" in n for n in got.notes)
    (tmp_path / "entities.csv").unlink()
    with pytest.raises(UserError, match="holds no data file"):
        expand_paths([tmp_path])
    assert cli(["ingest", "--workspace", str(tmp_path / "ws"), str(tmp_path)]) == 2


def test_bad_rows_quarantined_with_line_and_field(tmp_path: Path) -> None:
    ent = tmp_path / "entities.csv"
    ent.write_text("platform,entity_id,kind,name,url,followers,created_at\n"
                   "facebook,p1,page,Good,https://www.facebook.com/good,10,2019-01-01T00:00:00\n"
                   "facebook,,page,No id,,1,\n"
                   "facebook,p3,shop,Bad kind,,1,\n"
                   "facebook,p4,group,Bad count,,many,\n"
                   "facebook,p5,group,Bad time,,3,yesterday\n", encoding="utf-8")
    mem = tmp_path / "memberships.csv"
    mem.write_text("platform,entity_id,account_id,role,since\n"
                   "facebook,p1,u1,admin,2019-01-02T00:00:00\n"
                   "facebook,p1,u2,emperor,\n", encoding="utf-8")
    acc = tmp_path / "accounts.csv"
    acc.write_text("platform,account_id,handle,display_name,followers\nfacebook,u1,one,One,5\n"
                   "facebook,u2,two,Two,lots\n", encoding="utf-8")
    with open_workspace(tmp_path / "ws") as ws:
        rep = ingest_paths(ws, [ent, mem, acc], progress=False)
        by = {Path(f.path).name: f for f in rep.files}
        assert {n: f.format for n, f in by.items()} == {"entities.csv": "generic-entities",
                                                        "memberships.csv": "generic-memberships",
                                                        "accounts.csv": "generic-accounts"}
        assert (by["entities.csv"].rows_stored, by["entities.csv"].rows_quarantined) == (1, 4)
        assert (by["memberships.csv"].rows_stored, by["memberships.csv"].rows_quarantined) == (1, 1)
        assert (by["accounts.csv"].rows_stored, by["accounts.csv"].rows_quarantined) == (1, 1)
        q = by["entities.csv"].quarantine_file
        assert q is not None
    with open(q, encoding="utf-8", newline="") as fh:
        bad = {(int(r["source_line"]), r["field"]) for r in csv.DictReader(fh)}
    assert bad == {(3, "entity_id"), (4, "kind"), (5, "followers"), (6, "created_at")}


def test_canonical_fixtures_detected_without_format(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    files = [fixtures / f"generic_{t}.csv" for t in ("entities", "memberships", "accounts")]
    with open_workspace(tmp_path / "ws") as ws:
        rep = ingest_paths(ws, files, progress=False)
        assert [f.format for f in rep.files] == ["generic-entities", "generic-memberships", "generic-accounts"]
        assert [f.rows_stored for f in rep.files] == [3, 3, 2] and not rep.errors
        assert dict(fetch(ws, "SELECT entity_id, kind FROM entities")) == {"e100": "page", "e101": "group",
                                                                            "e102": "channel"}
        assert sorted(r[0] for r in fetch(ws, "SELECT role FROM memberships")) == ["admin", "member", "member"]
