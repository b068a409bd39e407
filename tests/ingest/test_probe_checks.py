"""A batch's checks inside the insert (the probe table, ``csvpipe._probe_table``) give what
the separate ``_bad`` pass gives: the same stored rows, quarantine lines and reasons.

Why: on the direct path a table that was empty when the file started counts the batch's
good rows by inserting them under the checks' filter, and ``_bad`` is built only for a batch
with bad rows; a workspace holding one row of that table already takes the ``_bad`` pass on
every batch. Both must agree, batch by batch.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockstep.ingest import csvscan, csvpipe, ingest_paths
from lockstep.ingest.detect import get_format
from lockstep.store import open_workspace

ROWS: dict[str, Callable[[int], str]] = {
    "good": lambda i: f"a{i % 4},2019-04-02T00:{i % 60:02d}:21Z,10.0.{i % 7}.1,US",
    "repeat": lambda i: "a0,2019-04-02T00:00:00Z,10.0.0.1,US",
    "empty_id": lambda i: f",2019-04-02T00:00:{i % 60:02d}Z,10.0.0.1,US",
    "bad_time": lambda i: f"a{i},yesterday,10.0.0.1,US",
    "out_of_range": lambda i: f"a{i},2150-01-01T00:00:00Z,10.0.0.1,US",
    "bad_ip": lambda i: f"a{i},2019-04-02T00:00:00Z,not-an-ip,US",
}


def test_probe_table_choice() -> None:
    access, tweets = get_format("access-log"), get_format("io-tweets")
    assert csvpipe._probe_table(access, frozenset({"access"})) == "access"
    assert csvpipe._probe_table(access, frozenset()) is None
    assert csvpipe._probe_table(tweets, frozenset({"actions"})) == "actions"  # accounts keep the first row per author


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(sorted(ROWS)), min_size=1, max_size=20))
def test_probe_equals_bad_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kinds: list[str]) -> None:
    monkeypatch.setattr(csvscan, "BATCH_ROWS", 3)  # many batches, some with bad rows, some without
    case = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    case.mkdir()
    path = case / "access.csv"
    path.write_text("userid,time,ip,country\n" + "".join(ROWS[k](i) + "\n" for i, k in enumerate(kinds)))
    other = case / "other.csv"
    other.write_text("userid,time,ip,country\nzz,2018-01-01T00:00:00Z,10.9.9.9,US\n")
    got = []
    for first in ([], [other]):  # empty workspace: probe; one access row stored before: _bad pass
        with open_workspace(case / f"ws{len(first)}") as ws:
            ingest_paths(ws, first, progress=False)
            f = ingest_paths(ws, [path], progress=False).files[0]
            rows = sorted(ws.con.execute("SELECT * EXCLUDE (row_key) FROM access WHERE account_id <> 'zz'").fetchall())
            quarantined = Path(f.quarantine_file).read_text() if f.quarantine_file else None
            got.append((rows, quarantined, f.rows_read, f.rows_stored, f.rows_quarantined))
    assert got[0] == got[1]
    bad = sum(k in ("empty_id", "bad_time", "out_of_range", "bad_ip") for k in kinds)
    assert got[0][2] == len(kinds) and got[0][4] == bad
