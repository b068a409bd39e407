"""The fast path (rows inserted straight into canonical tables, one transaction per file).

io-tweets files take it unless the file has blank lines or the CSV reader rejects a
record; then the attempt is rolled back and the staging path runs. Both must give exactly
the same rows, lines and quarantine, across batch boundaries and on re-ingest.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockstep.ingest import csvscan, ingest_paths
from lockstep.store import open_workspace

HEADER = b"tweetid,userid,tweet_time,tweet_text\n"
BAD = {
    "empty_id": lambda i: f",u{i % 3},2019-07-01 00:00,t\n".encode(),
    "bad_date": lambda i: f"{i},u{i % 3},yesterday,t\n".encode(),
    "too_many_columns": lambda i: f"{i},u{i % 3},2019-07-01 00:00,t,extra\n".encode(),
    "broken_quote": lambda i: f'{i},"u{i % 3}"x,2019-07-01 00:00,t\n'.encode(),
    "invalid_utf8": lambda i: b"%d,u\xff%d,2019-07-01 00:00,t\n" % (i, i),
}


def _good(i: int, kind: str) -> bytes:
    text = '"two\nlines"' if kind == "multiline" else "t"
    if kind == "duplicate":  # same tweet, same user, same time: one action
        return f"d,ud,2019-07-01 01:00,{text}\n".encode()
    return f"{i},u{i % 3},2019-07-01 00:{i % 60:02d},{text}\n".encode()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(["good", "multiline", "duplicate", *sorted(BAD)]), max_size=20),
       blank=st.integers(min_value=-1, max_value=20))
def test_fast_path_lines_and_quarantine_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              kinds: list[str], blank: int) -> None:
    monkeypatch.setattr(csvscan, "BATCH_ROWS", 3)  # many batches: keys repeat across them
    data, line, bad, good = bytearray(HEADER), 2, set(), {}
    for i, kind in enumerate(kinds):
        if i == blank:
            data += b"\n"
            line += 1
        if kind in BAD:
            data += BAD[kind](i)
            bad.add(line)
            line += 1
        else:
            data += _good(i, kind)
            good.setdefault("d" if kind == "duplicate" else str(i), line)  # first copy is kept
            line += 2 if kind == "multiline" else 1
    case = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    case.mkdir()
    path = case / "tweets.csv"
    path.write_bytes(bytes(data))
    with open_workspace(case / "ws") as ws:
        f = ingest_paths(ws, [path], fmt="io-tweets", progress=False).files[0]
        assert f.error is None
        stored = dict(ws.con.execute("SELECT action_id, source_line FROM actions").fetchall())
        again = ingest_paths(ws, [path], fmt="io-tweets", progress=False).files[0]
        assert again.rows_stored == 0 and ws.count("actions") == len(good)
        first_user_line = dict(ws.con.execute("SELECT account_id, source_line FROM accounts").fetchall())
    assert stored == good
    assert f.rows_stored == len(good) and f.rows_quarantined == len(bad) and f.rows_read == len(kinds)
    users: dict[str, int] = {}
    for tid, ln in sorted(good.items(), key=lambda kv: kv[1]):
        users.setdefault("ud" if tid == "d" else f"u{int(tid) % 3}", ln)
    assert first_user_line == users  # accounts: the first good row per user wins
    if bad:
        with open(f.quarantine_file, newline="", encoding="utf-8") as fh:
            assert {int(r["source_line"]) for r in csv.DictReader(fh)} == bad


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(["o1", "o2"]), st.sampled_from(["u1", "u2"]),
                               st.sampled_from(["c1", "c2", "c3"]), st.sampled_from([1600000000, 1600000060])),
                     min_size=1, max_size=25))
def test_keep_duplicates_direct_equals_staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               rows: list[tuple[str, str, str, int]]) -> None:
    """CooRTweet files (exact repeats kept as ``~dupN``) take the direct path into an empty
    workspace and the staging path otherwise; both must store the same rows at the same lines."""
    monkeypatch.setattr(csvscan, "BATCH_ROWS", 4)
    case = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    case.mkdir()
    path = case / "shares.csv"
    path.write_text("object_id,account_id,content_id,timestamp_share\n"
                    + "".join(f"{o},{u},{c},{t}\n" for o, u, c, t in rows))
    other = case / "other.csv"
    other.write_text("object_id,account_id,content_id,timestamp_share\nzz,zz,zz,1500000000\n")
    got = []
    for first in ([], [other]):  # empty workspace: direct; one row stored before: staging
        with open_workspace(case / f"ws{len(first)}") as ws:
            ingest_paths(ws, first, fmt="coortweet", progress=False)
            f = ingest_paths(ws, [path], fmt="coortweet", progress=False).files[0]
            assert f.rows_stored == len(rows) and f.rows_read == len(rows)
            again = ingest_paths(ws, [path], fmt="coortweet", progress=False).files[0]
            assert again.rows_stored == 0
            got.append(sorted(ws.con.execute(
                "SELECT action_id, source_line, row_key FROM actions WHERE source_file LIKE '%shares.csv'").fetchall()))
    assert got[0] == got[1]
    assert len(got[0]) == len(rows)  # every row kept, repeats under their own ids
