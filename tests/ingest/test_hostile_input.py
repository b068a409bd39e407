"""Hostile input (issue 12): every case that once gave a traceback, a lost row, a wrong line
or a false exit code. Each test states the defect it pins; the property tests mix good and
bad records at random and check every good one at its exact line, every bad one in
quarantine with a reason, and read = stored + duplicate + quarantined.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockstep.cli.main import run
from lockstep.ingest import IngestOptions, ingest_paths
from lockstep.store import open_workspace

T0 = 1_561_939_200  # 2019-07-01 00:00:00 UTC


def ingest(tmp: Path, name: str, content: str | bytes, **opts: Any) -> tuple[Any, list[tuple[Any, ...]],
                                                                            list[dict[str, str]]]:
    """Ingest one file into a fresh workspace: (file report, actions, quarantine rows)."""
    p = tmp / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    ws_dir = tmp / f"ws-{name}"
    with open_workspace(ws_dir) as ws:
        rep = ingest_paths(ws, [p], progress=False, options=IngestOptions(**opts)).files[0]
        acts = ws.con.execute("SELECT account_id, kind, target_id, timestamp, source_line, text"
                              " FROM actions ORDER BY source_line").fetchall()
    quar = list(csv.DictReader(open(rep.quarantine_file))) if rep.quarantine_file else []
    assert rep.error is None, rep.error
    assert rep.reconciled and rep.rows_read == rep.rows_stored + rep.rows_duplicate + rep.rows_quarantined
    return rep, acts, quar


# -- defect 2: time units, non-finite and out-of-range times --------------------------------

def test_epoch_units_are_detected_and_bad_times_quarantined(tmp_path: Path) -> None:
    rows = ["a,1561939200", "b,1561939200123", "c,1561939200123456", "d,1561939200123456789",
            "e,inf", "f,-infinity", "g,NaN", "h,9999-01-01", "i,55970-01-01", "j,infinity"]
    rep, acts, quar = ingest(tmp_path, "t.csv", "account_id,timestamp\n" + "\n".join(rows) + "\n")
    assert [(a[0], a[3]) for a in acts] == [
        ("a", datetime(2019, 7, 1)), ("b", datetime(2019, 7, 1, 0, 0, 0, 123000)),
        ("c", datetime(2019, 7, 1, 0, 0, 0, 123456)), ("d", datetime(2019, 7, 1, 0, 0, 0, 123457))]
    assert [int(q["source_line"]) for q in quar] == list(range(6, 12))
    assert all("out of range or not finite" in q["reason"] for q in quar)


def test_time_unit_flag_overrides_detection(tmp_path: Path) -> None:
    _, acts, _ = ingest(tmp_path, "ms.csv", "account_id,timestamp\na,1561939200000\n", time_unit="ms")
    assert acts[0][3] == datetime(2019, 7, 1)
    _, acts, quar = ingest(tmp_path, "s.csv", "account_id,timestamp\na,1561939200000\n", time_unit="s")
    assert acts == [] and quar[0]["field"] == "timestamp"  # year 51430 in seconds: out of range


def test_parquet_milliseconds_and_infinity(tmp_path: Path) -> None:
    p = tmp_path / "t.parquet"
    pq.write_table(pa.table({"account_id": ["a", "b", "c"], "timestamp": [1561939200123.0, float("inf"), 1561939200.0]}), p)
    with open_workspace(tmp_path / "ws") as ws:
        rep = ingest_paths(ws, [p], progress=False).files[0]
        got = ws.con.execute("SELECT account_id, timestamp FROM actions ORDER BY 1").fetchall()
    assert got == [("a", datetime(2019, 7, 1, 0, 0, 0, 123000)), ("c", datetime(2019, 7, 1))]
    assert rep.rows_quarantined == 1


# -- defect 3: tracebacks -------------------------------------------------------------------

TWEET = {"id": "1", "author_id": "11", "created_at": "2021-06-01T10:00:00.000Z", "text": "hi"}


def test_json_shape_errors_are_quarantined_per_item(tmp_path: Path) -> None:
    page = {"data": [dict(TWEET, referenced_tweets=[None]), dict(TWEET, id="2", created_at="bad"),
                     dict(TWEET, id="3", entities="oops"), "not a tweet", dict(TWEET, id="4")]}
    deep = "[" * 100_000 + "]" * 100_000
    rep, acts, quar = ingest(tmp_path, "p.jsonl", json.dumps(page) + "\n" + deep + "\n", fmt="twarc2")
    assert [a[4] for a in acts] == [1, 1] and rep.rows_stored == 2
    reasons = {(q["source_line"], q["field"]): q["reason"] for q in quar}
    assert reasons[("1", "data[1].created_at")].startswith("unparseable timestamp")
    assert reasons[("1", "data[2].entities")] == "expected an object, got str"
    assert reasons[("1", "data[3]")] == "expected an object, got str"
    assert reasons[("2", "")] == "JSON nested too deeply to read"


def test_jetstream_commit_as_string_and_time_out_of_range(tmp_path: Path) -> None:
    lines = ['{"did":"did:plc:a","time_us":1725911162329308,"kind":"commit","commit":"oops"}',
             '{"did":"did:plc:a","time_us":99999999999999999999,"kind":"commit","commit":{}}',
             '{"did":"did:plc:a","time_us":1725911162329308,"kind":"identity","identity":{"handle":"a.bsky"}}']
    rep, _, quar = ingest(tmp_path, "j.jsonl", "\n".join(lines) + "\n")
    assert [(q["source_line"], q["field"]) for q in quar] == [("1", "commit"), ("2", "time_us")]
    assert "out of range" in quar[1]["reason"] and rep.stored_by_table["accounts"] == 1


def test_first_field_over_128k(tmp_path: Path) -> None:
    _, acts, _ = ingest(tmp_path, "w.csv", "account_id,timestamp\n" + "a" * 200_000 + ",2019-01-01\nb,2019-01-01\n")
    assert [len(a[0]) for a in acts] == [200_000, 1]
    _, acts, _ = ingest(tmp_path, "h.csv", "x" * 200_000 + ",account_id,timestamp\n1,a,2019-01-01\n")
    assert [a[0] for a in acts] == ["a"]


def test_workspace_that_is_a_file_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("x")
    (tmp_path / "in.csv").write_text("account_id,timestamp\na,2019-01-01\n")
    assert run(["ingest", str(tmp_path / "in.csv"), "--workspace", str(tmp_path / "f"), "--no-progress"]) == 2
    assert "is a file, not a workspace folder" in capsys.readouterr().err


def test_full_disk_is_an_engine_error_and_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    from lockstep.ingest import quarantine

    def full(self: object, path: Path) -> None:
        raise duckdb.IOException("Could not write file: No space left on device")

    (tmp_path / "in.csv").write_text("account_id,timestamp\na,2019-01-01\nb,bad\n")
    monkeypatch.setattr(quarantine.Quarantine, "write", full)
    ws = tmp_path / "ws"
    assert run(["ingest", str(tmp_path / "in.csv"), "--workspace", str(ws), "--no-progress"]) == 4
    assert "disk full" in capsys.readouterr().err
    assert not ws.exists()  # nothing was stored: the new workspace is not left behind


# -- defect 4 and 5: exact lines, huge records ----------------------------------------------

def test_lines_after_quoted_fields_with_empty_lines(tmp_path: Path) -> None:
    text = ('account_id,timestamp,text\na,2019-01-01,"x\n\ny"\n\nb,2019-01-02,z\n'
            'c,2019-01-03,"p\n\n\nq"\nd,2019-01-04,w\n')
    _, acts, _ = ingest(tmp_path, "q.csv", text)
    assert [(a[0], a[4]) for a in acts] == [("a", 2), ("b", 6), ("c", 7), ("d", 11)]


def test_a_record_over_the_reader_buffer_is_quarantined_in_place(tmp_path: Path) -> None:
    big = "y" * (40 << 20)
    text = f'account_id,timestamp,text\na,2019-01-01,x\nb,2019-01-01,"{big}"\nc,2019-01-01,z\n'
    rep, acts, quar = ingest(tmp_path, "huge.csv", text)
    assert [(a[0], a[4]) for a in acts] == [("a", 2), ("c", 4)]
    assert [(q["source_line"], q["reason"][:24]) for q in quar] == [("3", "LINE SIZE OVER MAXIMUM: ")]


# -- defects 6-8: twarc2 outputs, BOM and blank lines, Bluesky quotes with media ------------

def test_twarc2_stream_output_and_includes_tweets(tmp_path: Path) -> None:
    stream = {"data": dict(TWEET, id="5", referenced_tweets=[{"type": "retweeted", "id": "9"}]),
              "includes": {"tweets": [dict(TWEET, id="9", author_id="99")], "users": [{"id": "11", "username": "u"}]},
              "matching_rules": [{"id": "1", "tag": "x"}]}
    rep, acts, _ = ingest(tmp_path, "s.jsonl", json.dumps(stream) + "\n")
    assert rep.format == "twarc2"
    assert sorted((a[0], a[1], a[2]) for a in acts) == [("11", "repost", "9"), ("99", "post", None)]


def test_bom_and_leading_blank_lines(tmp_path: Path) -> None:
    line = json.dumps({"data": [TWEET]})
    _, acts, _ = ingest(tmp_path, "bom.jsonl", b"\xef\xbb\xbf" + line.encode() + b"\n")
    assert [a[4] for a in acts] == [1]
    _, acts, _ = ingest(tmp_path, "blank.jsonl", "\n\n" + line + "\n")
    assert [a[4] for a in acts] == [3]


def test_bluesky_quote_with_media(tmp_path: Path) -> None:
    ev = {"did": "did:plc:q", "time_us": 1725911162329308, "kind": "commit", "commit": {
        "operation": "create", "collection": "app.bsky.feed.post", "rkey": "k1", "record": {
            "text": "look", "embed": {"$type": "app.bsky.embed.recordWithMedia",
                                      "media": {"$type": "app.bsky.embed.images", "images": []},
                                      "record": {"record": {"uri": "at://did:plc:o/app.bsky.feed.post/p1"}}}}}}
    _, acts, _ = ingest(tmp_path, "q.jsonl", json.dumps(ev) + "\n")
    assert acts[0][1:3] == ("quote", "at://did:plc:o/app.bsky.feed.post/p1")


# -- defects 9 and 10: exit codes, encodings, delimiters, nested paths, NUL -----------------

def test_nothing_stored_is_not_success(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.csv").write_text("account_id,timestamp\na,never\nb,\n")
    assert run(["ingest", str(tmp_path / "bad.csv"), "--workspace", str(tmp_path / "ws"), "--no-progress"]) == 3
    captured = capsys.readouterr()
    assert "read 2 = stored 0 + duplicate 0 + quarantined 2" in captured.out
    assert "nothing stored: all 2 record(s) quarantined" in captured.err


def test_rejected_file_leaves_no_workspace(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("what,is,this\n1,2,3\n")
    assert run(["ingest", str(tmp_path / "x.txt"), "--workspace", str(tmp_path / "ws"), "--no-progress"]) == 3
    assert not (tmp_path / "ws").exists()


def test_encoding_and_delimiter(tmp_path: Path) -> None:
    latin = "account_id;timestamp;text\nJosé;2019-01-01;café\n".encode("latin-1")
    _, acts, _ = ingest(tmp_path, "l.csv", latin, encoding="latin-1")
    assert acts[0][0] == "José" and acts[0][5] == "café"  # ';' sniffed from the header
    utf16 = "account_id\ttimestamp\nü\t2019-01-01\n".encode("utf-16")
    _, acts, _ = ingest(tmp_path, "u.tsv", utf16, delimiter="\t")  # UTF-16 known by its BOM
    assert acts[0][0] == "ü"


def test_dotted_map_paths_and_nul_bytes(tmp_path: Path) -> None:
    recs = [{"user": {"id": "u1"}, "at": "2019-01-01T00:00:00Z", "text": "a\u0000b"}]
    _, acts, _ = ingest(tmp_path, "n.jsonl", "\n".join(json.dumps(r) for r in recs) + "\n", fmt="generic",
                        mapping={"user.id": "account_id", "at": "timestamp"})
    assert acts[0][0] == "u1" and acts[0][5] == "ab"
    _, acts, _ = ingest(tmp_path, "n.csv", "account_id,timestamp,text\nb\x00c,2019-01-01,he\x00llo\n")
    assert (acts[0][0], acts[0][5]) == ("bc", "hello")


def test_pretty_printed_documents_and_arrays(tmp_path: Path) -> None:
    arr = json.dumps([{"data": [TWEET]}, {"data": [dict(TWEET, id="2")]}], indent=2)
    _, acts, _ = ingest(tmp_path, "a.json", arr)
    assert [a[4] for a in acts] == [i + 1 for i, ln in enumerate(arr.splitlines()) if ln == "  {"]
    docs = json.dumps({"data": [TWEET]}, indent=1) + "\n" + json.dumps({"data": [dict(TWEET, id="7")]}, indent=1)
    _, acts, _ = ingest(tmp_path, "d.json", docs)
    assert len(acts) == 2 and acts[1][4] == docs.splitlines().index("{", 1) + 1


# -- property tests ---------------------------------------------------------------------------

GOOD = st.sampled_from(["plain", "ms", "multiline", "blank_in_quotes"])
BAD = st.sampled_from(["inf", "year55970", "empty_id", "bad_time", "unterminated_kind"])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.one_of(GOOD, BAD, st.just("blank")), max_size=20))
def test_generic_csv_rows_land_exactly(tmp_path: Path, kinds: list[str]) -> None:
    out, good, bad, line = ["account_id,timestamp,text,kind"], {}, set(), 2
    for i, k in enumerate(kinds):
        body = {
            "plain": f"a{i},{T0 + i},t,post", "ms": f"a{i},{(T0 + i) * 1000},t,post",
            "multiline": f'a{i},{T0 + i},"x\ny",post', "blank_in_quotes": f'a{i},{T0 + i},"x\n\ny",post',
            "inf": f"a{i},inf,t,post", "year55970": f"a{i},{(T0 + i) * 1000 * 1000 * 1000 * 1000},t,post",
            "empty_id": f",{T0 + i},t,post", "bad_time": f"a{i},yesterday,t,post",
            "unterminated_kind": f"a{i},{T0 + i},t,shout", "blank": "",
        }[k]
        out.append(body)
        if k in ("plain", "ms", "multiline", "blank_in_quotes"):
            good[f"a{i}"] = line
        elif k != "blank":
            bad.add(line)
        line += 1 + body.count("\n")
    case = tmp_path / f"c{len(list(tmp_path.iterdir()))}"
    case.mkdir()
    if not good and not bad:
        return
    rep, acts, quar = ingest(case, "g.csv", "\n".join(out) + "\n")
    assert {a[0]: a[4] for a in acts} == good
    assert {int(q["source_line"]) for q in quar} == bad and all(q["reason"] for q in quar)
    assert (rep.rows_read, rep.rows_stored, rep.rows_quarantined) == (len(good) + len(bad), len(good), len(bad))
