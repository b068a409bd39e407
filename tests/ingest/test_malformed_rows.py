"""Property tests: malformed rows never abort, are never dropped, and land in quarantine.

A CSV is built from good rows with bad rows mixed in at random places (wrong types, bad
dates, empty ids, broken quoting, invalid UTF-8, huge fields). After ingest, the
quarantine must hold exactly the bad rows (by line number, with a reason) and the
actions table exactly the good ones.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockstep.ingest import ingest_paths
from lockstep.ingest.csvscan import MAX_LINE_BYTES
from lockstep.store import open_workspace

HEADER = b"object_id,account_id,content_id,timestamp_share\n"

BAD_KINDS = {
    "wrong_type": lambda i: f"o{i},a{i},c{i},not-a-number\n".encode(),
    "bad_date": lambda i: f"o{i},a{i},c{i},\n".encode(),
    "empty_id": lambda i: f"o{i},,c{i},1600000000\n".encode(),
    "empty_content_id": lambda i: f"o{i},a{i},  ,1600000000\n".encode(),
    "broken_quote": lambda i: f'o{i},"a{i}"x,c{i},1600000000\n'.encode(),
    "too_many_columns": lambda i: f"o{i},a{i},c{i},1600000000,extra\n".encode(),
    "too_few_columns": lambda i: f"o{i},a{i}\n".encode(),
    "invalid_utf8": lambda i: b"o%d,a\xff\xfe%d,c%d,1600000000\n" % (i, i, i),
    "huge_field": lambda i: f"o{i},a{i},c{i}{'x' * (MAX_LINE_BYTES + 10)},1600000000\n".encode(),
}


def good_row(i: int, multiline: bool) -> bytes:
    obj = f'"o{i}\nsecond line"' if multiline else f"o{i}"
    return f"{obj},a{i},c{i},{1600000000 + i}\n".encode()


@st.composite
def files(draw: st.DrawFn) -> list[tuple[str, bool]]:
    n = draw(st.integers(min_value=0, max_value=25))
    kinds = st.one_of(st.just("good"), st.just("good_multiline"), st.sampled_from(sorted(BAD_KINDS)))
    return draw(st.lists(kinds, min_size=n, max_size=n))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=files(), blank_after=st.integers(min_value=0, max_value=30))
def test_bad_rows_are_quarantined_exactly(tmp_path: Path, kinds: list[str], blank_after: int) -> None:
    data, bad_lines, good_lines, line = bytearray(HEADER), set(), {}, 2
    for i, kind in enumerate(kinds):
        if i == blank_after:
            data += b"\n"  # a blank line shifts every later line number
            line += 1
        if kind.startswith("good"):
            multiline = kind == "good_multiline"
            data += good_row(i, multiline)
            good_lines[f"c{i}"] = line
            line += 2 if multiline else 1
        else:
            data += BAD_KINDS[kind](i)
            bad_lines.add(line)
            line += 1
    case = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    case.mkdir()
    path = case / "input.csv"
    path.write_bytes(bytes(data))
    with open_workspace(case / "ws") as ws:
        rep = ingest_paths(ws, [path], fmt="coortweet", progress=False)
        assert rep.files[0].error is None, rep.errors  # all bad is reported (exit 3) but still quarantined
        f = rep.files[0]
        stored = dict(ws.con.execute("SELECT action_id, source_line FROM actions").fetchall())
    assert stored == good_lines  # every good row, at its physical line
    assert f.rows_quarantined == len(bad_lines)
    assert f.rows_read == len(kinds)
    if bad_lines:
        assert f.quarantine_file is not None
        with open(f.quarantine_file, newline="", encoding="utf-8") as fh:
            q = list(csv.DictReader(fh))
        assert list(q[0]) == ["source_file", "source_line", "field", "reason", "raw"]
        assert {int(r["source_line"]) for r in q} == bad_lines
        assert all(r["reason"] and r["source_file"].endswith("input.csv") for r in q)
    else:
        assert f.quarantine_file is None


def test_unterminated_quote_quarantines_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "open_quote.csv"
    path.write_bytes(HEADER + b"o1,a1,c1,1600000000\no2,\"a2,c2,1600000001\no3,a3,c3,1600000002\n")
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest_paths(ws, [path], fmt="coortweet", progress=False).files[0]
        assert ws.count("actions") == 1
    lines = [int(r["source_line"]) for r in csv.DictReader(io.open(f.quarantine_file, encoding="utf-8"))]
    assert lines == [3, 4] and f.rows_quarantined == 2


def test_io_tweets_wrong_types_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "tweetid,userid,tweet_time,follower_count,is_retweet\n"
        "1,u1,2019-08-01 10:00,5,False\n"
        "2,u2,2019-13-45 10:00,5,False\n"
        "3,u3,2019-08-01 10:00,many,False\n"
        "4,u4,2019-08-01 10:00,5,perhaps\n"
        ",u5,2019-08-01 10:00,5,False\n"
    )
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest_paths(ws, [path], progress=False).files[0]
        assert ws.count("actions") == 1
    q = {int(r["source_line"]): (r["field"], r["reason"])
         for r in csv.DictReader(io.open(f.quarantine_file, encoding="utf-8"))}
    assert q == {3: ("tweet_time", "unparseable timestamp (missing or malformed)"),
                 4: ("follower_count", "not an integer"), 5: ("is_retweet", "not a boolean"),
                 6: ("tweetid", "empty id")}


def test_jsonl_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_bytes(
        b'{"account_id": "u1", "timestamp": 1600000000}\n'
        b'{"account_id": "u2", "timestamp": \n'
        b'{"account_id": "\xff", "timestamp": 1600000000}\n'
        b'{"account_id": "", "timestamp": 1600000000}\n'
        b'{"account_id": "u5", "timestamp": "yesterday"}\n'
    )
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest_paths(ws, [path], progress=False).files[0]
        assert ws.count("actions") == 1
    q = {int(r["source_line"]): r["reason"] for r in csv.DictReader(io.open(f.quarantine_file, encoding="utf-8"))}
    assert set(q) == {2, 3, 4, 5}
    assert q[2].startswith("invalid JSON") and q[3].startswith("invalid UTF-8") and q[4] == "empty id"
