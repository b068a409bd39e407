"""Streaming CSV scan with DuckDB's reader: bounded memory, bad rows reported, exact lines.

DuckDB's ``read_csv`` (all columns as text, strict quoting, ``store_rejects``) parses the
file; its rejects table names the byte offset, column and error of every malformed record
(broken quoting, wrong column count, invalid UTF-8, over-long lines). The scan runs on
its own in-memory connection with insertion order preserved, so batches arrive in file order;
each batch gets a provisional ``_line`` (header + lines used by earlier good records,
counting newlines inside quoted values). After the scan the "holes" (rejected records and
blank lines) are known and :meth:`CsvScan.line_fix_sql` turns provisional lines into
physical ones. A quote left open swallows the rest of the file without any reject from
the reader; comparing accounted lines with the pre-pass line count catches that, and
those lines go to quarantine too.
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lockstep.errors import DataError
from lockstep.ingest.quarantine import Quarantine, sql_literal
from lockstep.ingest.sqlkit import check_interrupt
from lockstep.ingest.source import SourceFile, head_lines, open_binary, text_stream

csv.field_size_limit(1 << 30)  # a header field over 128 KB is read, not a csv.Error traceback
MAX_LINE_BYTES = 1 << 20  # a record longer than 1 MiB is quarantined ("huge field")
# DuckDB's reader misplaces a record longer than its buffer (32 MiB by default): it vanishes
# and its neighbour is rejected. A file with a physical line over SAFE_LINE_BYTES is read
# with a buffer that holds its longest line, so the record is rejected as too long, in place.
SAFE_LINE_BYTES = 8 << 20
# rows per batch handed to the checks and inserts, at most: at 1M rows, 500k batches took
# ~1.3 CPU-s less than 250k ones (per-batch scan, aggregate and insert overheads); on the
# 10M-action world 1M-row batches took 118.5 -> 112.5 CPU-s for the whole ingest (3M tweets:
# 27.1, 26.0 -> 22.7, 24.4 CPU-s) against 500k, peak RSS 2.56 -> 2.34 GB (noise: load 5-6).
# Memory grows with a batch's bytes, so wide rows get fewer (see batch_rows_for).
BATCH_ROWS = 1_000_000
# the text a batch may hold, about: 1M rows of the simulator's tweets (~350 bytes a line)
BATCH_BYTES = 384 << 20
MIN_BATCH_ROWS = 10_000
# how much parsed data the scan may hold ahead of the batch being checked and inserted: about
# one batch (1M rows of the simulator's tweets take ~400 MiB as DuckDB vectors). The scan's
# own threads keep parsing into this buffer while the workspace connection inserts the
# previous batch; with DuckDB's default (10 MiB) almost all of the parse waited for the
# next fetch, in series with the inserts. See CsvScan.batches. Measured on the 10M-action
# world (whole ingest, alternating with the version before): 102.5, 80.7, 57.8 -> 70.4,
# 58.2, 53.5 s at load 2-5 (others running), but 50.8 -> 50.2 s at load 1.7-2.2, where
# both already keep the 2 cores busy (~91 CPU-s in ~50 s): the ingest is CPU-bound there.
# Peak RSS 2.30 -> 2.56 GB. Narrow rows need less: the buffer is sized per file to about one
# batch (prefetch_bytes), at most this; at 100M co-retweet rows (~37 bytes a line) a fixed
# 512 MiB raised the ingest's peak from 3.37 to 3.97 GB.
PREFETCH_BYTES = 512 << 20
MIN_PREFETCH_BYTES = 16 << 20


def read_header(src: SourceFile, delim: str = ",") -> list[str]:
    """Column names from the first line (BOM stripped, names trimmed)."""
    lines = head_lines(src, 1)
    if not lines or not lines[0].strip():
        raise DataError(f"{src.path}: empty file" if not lines else
                        f"{src.path}: line 1 is blank; a CSV file starts with its header line")
    try:
        row = next(csv.reader([lines[0]], delimiter=delim))
    except csv.Error as exc:
        raise DataError(f"{src.path}: line 1: cannot read the header ({exc})") from None
    return [c.strip().lstrip("\ufeff") for c in row]


def batch_rows_for(src: SourceFile, cap: int | None = None) -> int:
    """Rows per batch: ``BATCH_ROWS`` (or ``cap``), fewer when the file's first MiB says its
    lines are long, so a batch holds about ``BATCH_BYTES`` of text whatever the row width."""
    cap = BATCH_ROWS if cap is None else cap
    avg = line_bytes(src)
    if avg is None:  # (the scan itself reports an unreadable file)
        return min(cap, MIN_BATCH_ROWS)
    return max(min(cap, MIN_BATCH_ROWS), min(cap, int(BATCH_BYTES / max(avg, 1.0))))


def line_bytes(src: SourceFile) -> float | None:
    """Mean bytes per line of the file's first MiB; None when it cannot be read."""
    try:
        with open_binary(src) as fh:
            head = fh.read(1 << 20)
    except (OSError, EOFError, zlib.error):
        return None
    return len(head) / max(head.count(b"\n"), 1)


def prefetch_bytes(src: SourceFile, batch_rows: int, n_columns: int) -> int:
    """The scan's parse-ahead buffer: about one batch as DuckDB vectors (16 bytes a value plus
    the text), between ``MIN_PREFETCH_BYTES`` and ``PREFETCH_BYTES``."""
    avg = line_bytes(src) or 0.0
    return int(min(PREFETCH_BYTES, max(MIN_PREFETCH_BYTES, batch_rows * (avg + 16 * n_columns))))


@dataclass
class CsvScan:
    """One pass over one CSV file; iterate :meth:`batches`, then call :meth:`finish`."""

    src: SourceFile
    columns: list[str]
    header: bool = True
    delim: str = ","
    quote: str = '"'
    batch_rows: int = BATCH_ROWS
    good_lines: int = 0
    good_rows: int = 0
    holes: list[tuple[int, int]] = field(default_factory=list)  # (physical line, span)

    @property
    def first_line(self) -> int:
        return 2 if self.header else 1

    @property
    def first_rows(self) -> int:
        """Rows of the first batch: a quarter of ``batch_rows``, at least ``MIN_BATCH_ROWS``
        (no smaller than before for small batches, which gains nothing)."""
        return min(self.batch_rows, max(MIN_BATCH_ROWS, self.batch_rows // 4))

    def batches(self) -> Iterator[pa.Table]:
        con = duckdb.connect()
        # parallel=true keeps file order (preserve_insertion_order) and, unlike
        # parallel=false in DuckDB 2.0, does not grow memory with the file (~70 MB per 250k rows)
        con.execute("SET preserve_insertion_order = true")
        # parse the next batch while this one is checked and inserted (no Python thread:
        # the scan connection's own DuckDB threads fill the buffer, see PREFETCH_BYTES)
        ahead = prefetch_bytes(self.src, self.batch_rows, len(self.columns))
        con.execute(f"SET streaming_buffer_size = '{ahead}B'")
        con.execute(f"SET max_streaming_buffer_size = '{ahead}B'")
        self._con = con
        cols = "{" + ", ".join(f"{sql_literal(c)}: 'VARCHAR'" for c in self.columns) + "}"
        quote = sql_literal(self.quote) if self.quote else "''"
        longest = self.src.longest_line if self.src._pending is None else 0
        buffer = f", buffer_size={longest + (4 << 20)}" if longest > SAFE_LINE_BYTES else ""
        sql = (
            f"SELECT * FROM read_csv({sql_literal(str(self.src.data_path))}, columns={cols},"
            f" header={str(self.header).lower()}, delim={sql_literal(self.delim)}, quote={quote},"
            f" escape={quote}, strict_mode=true, parallel=true, auto_detect=false,"
            f" store_rejects=true, max_line_size={MAX_LINE_BYTES}{buffer},"
            f" compression={sql_literal('gzip' if self.src.compressed else 'none')})"
        )
        try:
            # (reader chunks of the first batch's size, see _numbered)
            reader = con.sql(sql).to_arrow_reader(self.first_rows)
        except duckdb.Error as exc:
            check_interrupt(exc)
            raise DataError(f"{self.src.path}: cannot read as CSV ({str(exc).splitlines()[0]})") from None
        # (no reader thread: a scan thread pulling from this connection while the workspace
        # connection scans registered Arrow data deadlocked once in ~20 runs with DuckDB 2.0)
        try:
            yield from self._numbered(reader)
        except duckdb.Error as exc:
            check_interrupt(exc)
            raise DataError(f"{self.src.path}: cannot read as CSV ({str(exc).splitlines()[0]})") from None

    def _numbered(self, reader: pa.RecordBatchReader) -> Iterator[pa.Table]:
        """Numbered batches, regrouped into tables of about ``batch_rows`` rows (the parallel
        reader hands out small batches; each SQL round trip has a fixed cost).

        The first table is smaller (:attr:`first_rows`): the scan parses ahead only while a
        batch is being inserted (see PREFETCH_BYTES), so nothing overlaps the first one's
        parse, and a small first batch lets the inserts start sooner (1M tweets: ~1.8 s of
        parse alone; 10M-action world: the first tweets batch after 0.7 s instead of 2.2 s).
        """
        group: list[pa.RecordBatch] = []
        rows = 0
        target = self.first_rows
        for batch in reader:
            group.append(self._number(batch))
            rows += batch.num_rows
            if rows >= target:
                yield pa.Table.from_batches(group)
                group, rows, target = [], 0, self.batch_rows
        if group:
            yield pa.Table.from_batches(group)

    def _number(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """Add the provisional ``_line``: start line of each record among good lines
        (and drop NUL characters, which no tool downstream can show or compare)."""
        if self.src.maybe_nul():
            batch = drop_nul(batch)
        n = batch.num_rows
        base = self.first_line + self.good_lines
        if any(_has_newline(col) for col in batch.columns):
            span = np.ones(n, dtype=np.int64)
            for col in batch.columns:
                nl = pc.fill_null(pc.count_substring(col, "\n"), 0).cast(pa.int64())
                span += nl.to_numpy(zero_copy_only=False)
            ends = np.cumsum(span)
            starts = ends - span + base
        else:  # the usual case: one line per record, no per-value counting needed
            ends = np.arange(1, n + 1, dtype=np.int64)
            starts = ends - 1 + base
        if n:
            self.good_lines += int(ends[-1])
        self.good_rows += batch.num_rows
        return batch.append_column("_line", _int64_array(starts))

    def finish(self, quarantine: Quarantine) -> int:
        """Quarantine rejected and swallowed records; return how many records that was."""
        rejects = self._con.execute(
            "SELECT min(line_byte_position), first(column_name ORDER BY column_idx),"
            " string_agg(error_type || ': ' || error_message, '; '), first(csv_line)"
            " FROM reject_errors GROUP BY line ORDER BY 1"
        ).fetchall()
        self._con.close()
        positions = [int(r[0] or 1) - 1 for r in rejects]
        lines = _lines_at_offsets(self.src, positions) if rejects else []
        n_bad = 0
        pending: list[tuple[int, str | None, str, str]] = []
        for (_pos, col, reason, raw), line in zip(rejects, lines):
            if "unterminated quote" in (reason or "").lower() and "\n" in (raw or "").strip("\r\n"):
                # the parallel reader reports a quote left open as one record running to the
                # end of the file; the tail check below quarantines those lines one by one
                continue
            raw = raw or ""
            body = raw.lstrip("\r\n")
            line += raw[: len(raw) - len(body)].count("\n")  # record starts after blank lines
            raw = body
            self.holes.append((line, 1 + raw.count("\n")))
            pending.append((line, col, reason, raw))
            n_bad += 1
        blanks = set(self.src.blank_lines) - self.src.quoted_blank_lines
        self.holes.extend((b, 1) for b in blanks)
        self.holes.sort()
        fix = self.line_fix_sql()
        if fix is not None:  # rows checked so far carry provisional lines
            quarantine.shift_lines(fix)
        for line, col, reason, raw in pending:
            quarantine.add(line, col, reason, raw)
        accounted = self.first_line - 1 + self.good_lines + sum(s for _, s in self.holes)
        if accounted < self.src.n_lines:
            n_bad += self._quarantine_tail(quarantine, accounted + 1, blanks)
        return n_bad

    def _quarantine_tail(self, quarantine: Quarantine, start: int, blanks: set[int]) -> int:
        """Lines the reader consumed without producing records (a quote left open)."""
        n = 0
        with text_stream(self.src) as fh:
            for i, line in enumerate(fh, start=1):
                if i >= start and i not in blanks:
                    quarantine.add(i, None, "unterminated quoted field: from here to the end of the"
                                   f" file could not be parsed (quote opened at or before line {start})",
                                   line.rstrip("\r\n"))
                    n += 1
        return n

    def line_fix_sql(self, column: str = "source_line") -> str | None:
        """SQL that maps a provisional line to the physical line, or None when none moved."""
        if not self.holes:
            return None
        rows, before = [], 0
        for line, span in self.holes:
            gap = line - self.first_line - before  # good lines that precede this hole
            before += span
            rows.append(f"({gap}, {before})")
        values = ", ".join(rows)
        return (f"{column} + coalesce((SELECT max(h.cum) FROM (VALUES {values}) AS h(gap, cum)"
                f" WHERE h.gap <= {column} - {self.first_line}), 0)")


def _int64_array(values: np.ndarray) -> pa.Array:
    """An int64 Arrow array over a numpy array's buffer. Why not ``pa.array``: it asks
    whether its argument is a pandas Series, and that first question imports pandas
    (0.4 s, a quarter of a small file's ingest)."""
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def drop_nul(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch without NUL characters in its text columns (usually returned as is)."""
    if not any(c.type == pa.string() and _has_byte(c, b"\0") for c in batch.columns):
        return batch
    cols = [pc.replace_substring(c, "\0", "") if c.type == pa.string() else c for c in batch.columns]
    return pa.RecordBatch.from_arrays(cols, names=batch.schema.names)


def _has_newline(col: pa.Array) -> bool:
    """Whether any value of a text column holds a newline (one memchr-speed pass)."""
    return _has_byte(col, b"\n")


def _has_byte(col: pa.Array, byte: bytes) -> bool:
    """Whether any value of a text column holds ``byte`` (one memchr-speed pass)."""
    if col.type == pa.string() and col.offset == 0 and len(col):
        offsets, data = col.buffers()[1], col.buffers()[2]
        if data is None:
            return False
        ends = np.frombuffer(offsets, dtype=np.int32, count=len(col) + 1)
        text = memoryview(data)[int(ends[0]):int(ends[-1])]
        # bytes.find is memchr: copying 4 MB slices and searching them is ~3x faster than a
        # regex over the buffer in place (which ran over every byte of every batch, twice
        # while the pre-pass has not ruled out NULs), and the copy stays small
        return any(byte in text[i:i + _SLICE].tobytes() for i in range(0, len(text), _SLICE))
    return bool(pc.any(pc.match_substring(col, byte.decode())).as_py())


_SLICE = 4 << 20


def _lines_at_offsets(src: SourceFile, offsets: list[int]) -> list[int]:
    """1-based line number of each byte offset (offsets ascending) in the decompressed file."""
    out: list[int] = []
    lines, base, i = 1, 0, 0
    with open_binary(src) as fh:
        while i < len(offsets):
            chunk = fh.read(8 << 20)
            if not chunk:
                break
            end = base + len(chunk)
            while i < len(offsets) and offsets[i] < end:
                out.append(lines + chunk.count(b"\n", 0, offsets[i] - base))
                i += 1
            lines += chunk.count(b"\n")
            base = end
    out.extend([lines] * (len(offsets) - len(out)))
    return out
