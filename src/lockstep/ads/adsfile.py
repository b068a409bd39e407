"""Read a large ads file (CSV or Parquet) in Arrow batches, setting bad rows aside.

Why Arrow: a scan reads a million ads; pyarrow parses CSV in C and every later step works on
whole columns. Text is read as bytes and checked as UTF-8 in one vectorised cast; only when
that fails is the batch searched row by row, so clean files pay nothing for hostile ones.
Rows with the wrong number of cells are set aside with their exact line (Arrow reports it);
rows found bad after parsing get their line from a second, plain-CSV pass over the file,
which only runs when there are such rows.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lockstep.ads.arrowkit import mask, strings, to_numpy
from lockstep.ads.reader import open_text, read_header, sniff_encoding
from lockstep.ads.records import Rejected
from lockstep.errors import DataError, UserError

REQUIRED = ("ad_id", "advertiser", "landing_url")
OPTIONAL = ("advertiser_domain", "advertiser_handle", "text", "status")


@dataclass
class AdsReader:
    """Batches of the ads file with string columns named as in REQUIRED + OPTIONAL."""

    path: Path
    columns: tuple[str, ...] = ()
    rejected: list[Rejected] = field(default_factory=list)
    _late: list[tuple[int, str, str]] = field(default_factory=list)   # (record index, field, problem)
    _records: int = 0
    _misshapen: int = 0
    _width: int = 0
    _encoding: str = "utf-8"

    def batches(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        """(index of the batch's first record among the good-shaped records, batch with good rows only)."""
        if not self.path.is_file():
            raise UserError(f"{self.path}: no such file")
        if self.path.suffix.lower() == ".parquet":
            yield from self._parquet()
            return
        yield from self._csv()

    def _csv(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        text, enc = open_text(self.path)
        with text:
            pos, width = read_header(csv.reader(text), self.path, REQUIRED, OPTIONAL)
        self._encoding = enc
        self.columns = tuple(c for c in REQUIRED + OPTIONAL if c in pos)
        names = [f"c{i}" for i in range(width)]
        for c, i in pos.items():
            names[i] = c

        self._width = width

        def bad_shape(row: pacsv.InvalidRow) -> str:
            self._misshapen += 1   # parsed on two threads, rows come without lines: finish() finds them
            return "skip"

        # pyarrow cannot hand a row whose text is not UTF-8 to the handler; it reports that
        # through sys.unraisablehook and then fails the read: keep it off the user's screen.
        hook = sys.unraisablehook
        sys.unraisablehook = lambda u: None
        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=True,
                                               block_size=1 << 26, encoding="utf8" if enc.startswith("utf-8") else enc),
                parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=bad_shape),
                convert_options=pacsv.ConvertOptions(include_columns=list(self.columns),
                                                     column_types={c: pa.binary() for c in self.columns}))
            for batch in reader:
                yield self._clean(batch)
        except pa.ArrowInvalid as exc:
            raise DataError(f"{self.path}: cannot be parsed as CSV: {str(exc).splitlines()[0][:300]} "
                            "(an unclosed quote, a bad row with bytes that are not UTF-8, or a row over 64 MiB)") from None
        finally:
            sys.unraisablehook = hook

    def _parquet(self) -> Iterator[tuple[int, pa.RecordBatch]]:
        try:
            f = pq.ParquetFile(self.path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"{self.path}: not a readable Parquet file: {exc}") from None
        have = {n.lower(): n for n in f.schema_arrow.names}
        missing = [c for c in REQUIRED if c not in have]
        if missing:
            raise DataError(f"{self.path}: missing column(s) {', '.join(repr(m) for m in missing)} "
                            f"(found: {', '.join(f.schema_arrow.names)})")
        self.columns = tuple(c for c in REQUIRED + OPTIONAL if c in have)
        for batch in f.iter_batches(batch_size=1 << 18, columns=[have[c] for c in self.columns]):
            cols = [pc.cast(batch.column(i), pa.string()) for i in range(batch.num_columns)]
            yield self._clean(pa.RecordBatch.from_arrays(cols, names=list(self.columns)))

    def _clean(self, batch: pa.RecordBatch) -> tuple[int, pa.RecordBatch]:
        """Cast to text, drop rows with bytes that are not UTF-8 or no ad_id; remember them."""
        first = self._records
        self._records += batch.num_rows
        keep = np.ones(batch.num_rows, dtype=bool)
        cols: list[pa.Array] = []
        for name, col in zip(batch.schema.names, batch.columns):
            if col.null_count:
                col = pc.fill_null(col, b"" if pa.types.is_binary(col.type) else "")
            try:
                cols.append(pc.cast(col, pa.string()))
            except pa.ArrowInvalid:
                fixed, bad = _bytes_to_text(col)
                for i in bad:
                    self._late.append((first + i, name, "bytes that are not UTF-8 text"))
                keep[bad] = False
                cols.append(fixed)
        out = pa.RecordBatch.from_arrays(cols, names=batch.schema.names)
        no_id = to_numpy(pc.utf8_length(pc.utf8_trim_whitespace(out.column(0)))) == 0
        for i in np.nonzero(no_id & keep)[0].tolist():
            self._late.append((first + i, "ad_id", "empty"))
        keep &= ~no_id
        return first, (out if keep.all() else out.filter(mask(keep)))

    def finish(self) -> list[Rejected]:
        """All rows set aside, with lines; call after the batches are read."""
        if self._late or self._misshapen:
            lines, shapes = self._lines({i for i, _, _ in self._late})
            self.rejected += shapes
            self.rejected += [Rejected(self.path.name, lines.get(i, 0), f, p) for i, f, p in self._late]
            self._late.clear()
            self._misshapen = 0
        self.rejected.sort(key=lambda r: r.line)
        return self.rejected

    def _lines(self, wanted: set[int]) -> tuple[dict[int, int], list[Rejected]]:
        """A plain csv pass, only when some rows were bad: the lines of the good-shaped records
        in ``wanted`` (by index), and the rows whose cell count differs from the header's."""
        if self.path.suffix.lower() == ".parquet":
            return {}, []
        out: dict[int, int] = {}
        shapes: list[Rejected] = []
        text, _ = open_text(self.path)
        with text:
            reader = csv.reader(text)
            next(reader, None)
            k, end = 0, reader.line_num
            for row in reader:
                start, end = end + 1, reader.line_num
                if not row:
                    continue
                if len(row) != self._width:
                    shapes.append(Rejected(self.path.name, start, "*",
                                           f"{len(row)} cells, the header has {self._width}", ",".join(row)))
                    continue
                if k in wanted:
                    out[k] = start
                k += 1
        return out, shapes


def _bytes_to_text(col: pa.Array) -> tuple[pa.Array, list[int]]:
    vals = col.to_pylist()
    bad: list[int] = []
    texts: list[str | None] = []
    for i, v in enumerate(vals):
        if v is None:
            texts.append(None)
            continue
        try:
            texts.append(v.decode("utf-8"))
        except UnicodeDecodeError:
            bad.append(i)
            texts.append(None)
    return strings([t or "" for t in texts]), bad


__all__ = ["AdsReader", "REQUIRED", "OPTIONAL", "sniff_encoding"]
