"""The CSV scan's batches: a small first batch, then ``batch_rows``; the same rows and lines
however the file is cut, with multi-line records and while the scan parses ahead.

Why: the scan parses the next batch while the current one is inserted (a streaming buffer
of about one batch, ``csvscan.PREFETCH_BYTES``), and its first batch is a quarter of the
others (at least MIN_BATCH_ROWS) so the inserts start sooner. Either would be wrong if it reordered, dropped or
renumbered a record at a batch boundary.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from lockstep.ingest import csvscan
from lockstep.ingest.csvscan import CsvScan, read_header
from lockstep.ingest.source import open_source, prepass


def _write(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id,text\n")
        for i in range(n):
            # every 997th record spans two lines: its lines shift every later record's
            text = f'"two\nlines {i}"' if i % 997 == 0 else f"row {i}"
            fh.write(f"{i},{text}\n")


def _scan(path: Path, batch_rows: int) -> list[pa.Table]:
    src = prepass(open_source(path))
    return list(CsvScan(src, read_header(src), batch_rows=batch_rows).batches())


def test_batches_keep_rows_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    n = 100_000
    _write(path, n)
    cut = _scan(path, 40_000)
    whole = _scan(path, csvscan.BATCH_ROWS)
    assert sum(t.num_rows for t in cut) == n
    assert pa.concat_tables(cut).equals(pa.concat_tables(whole))
    # the first batch is the small one: a quarter, at least MIN_BATCH_ROWS
    assert [t.num_rows for t in cut] == [csvscan.MIN_BATCH_ROWS, 40_000, 40_000, 10_000]
    table = pa.concat_tables(cut)
    ids = [int(x) for x in table.column("id").to_pylist()]
    assert ids == list(range(n))
    lines = table.column("_line").to_pylist()
    # line of record i: header (1) + 1 + i + one extra line per earlier two-line record
    assert lines == [2 + i + (i + 996) // 997 for i in range(n)]


def test_scan_buffers_about_one_batch(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    _write(path, 10)
    src = prepass(open_source(path))
    scan = CsvScan(src, read_header(src))
    assert [t.num_rows for t in scan.batches()] == [10]
    con: duckdb.DuckDBPyConnection = scan._con
    size = con.execute("SELECT current_setting('streaming_buffer_size')").fetchone()
    want = csvscan.prefetch_bytes(src, scan.batch_rows, len(scan.columns))
    assert size is not None and size[0] == f"{want / 2**20:.1f} MiB"


def test_buffer_is_about_one_batch_of_the_file(tmp_path: Path) -> None:
    """Wide rows (the simulator's tweets, ~350 bytes, 30 columns): the 512 MiB cap; narrow
    co-retweet rows (~37 bytes, 5 columns): about 1M x (37 + 80) bytes, not the cap."""
    wide, narrow = tmp_path / "w.csv", tmp_path / "n.csv"
    wide.write_text(",".join(f"c{i}" for i in range(30)) + "\n" + ("x" * 320 + "," * 29 + "\n") * 3000)
    narrow.write_text("a,b,c,d,e\n" + "1234567890,123456789,12345,1234,2019\n" * 3000)
    w, n = open_source(wide), open_source(narrow)
    assert csvscan.prefetch_bytes(w, csvscan.batch_rows_for(w), 30) == csvscan.PREFETCH_BYTES
    got = csvscan.prefetch_bytes(n, csvscan.batch_rows_for(n), 5)
    assert csvscan.BATCH_ROWS * 100 < got < csvscan.BATCH_ROWS * 130 < csvscan.PREFETCH_BYTES
    assert csvscan.prefetch_bytes(n, 10, 5) == csvscan.MIN_PREFETCH_BYTES
