"""JSONL and Parquet inputs: records streamed in chunks, validated, staged.

JSONL is read line by line (exact ``source_line``); a line that is not UTF-8, not JSON,
too long, or rejected by the format's parser goes to quarantine with the reason. Formats
with a parser (twarc2, Jetstream) build canonical rows in Python; the generic format turns
each record into text columns and reuses the CSV pipeline's SQL checks, so a generic
JSONL or Parquet file is validated exactly like a generic CSV.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa

from lockstep.errors import DataError
from lockstep.ingest.csvpipe import resolve_columns, stage_batch
from lockstep.ingest.csvscan import MAX_LINE_BYTES
from lockstep.ingest.formats import Format
from lockstep.ingest.formats.jsonl import RowError
from lockstep.ingest.quarantine import Quarantine, sql_literal
from lockstep.ingest.source import SourceFile, open_binary
from lockstep.model import TABLES
from lockstep.store import Workspace

CHUNK_ROWS = 50_000
JSON_BATCH_ROWS = 250_000  # JSON records are larger than CSV rows: smaller batches than CSV


def run_records(ws: Workspace, src: SourceFile, fmt: Format, mapping: dict[str, str] | None,
                quarantine: Quarantine, advance: Callable[[int], None]) -> tuple[int, None]:
    """Ingest a JSONL or Parquet file; returns (records read, no line fix needed)."""
    if src.path.name.lower().endswith(".parquet"):
        return _parquet(ws, src, fmt, mapping, quarantine, advance), None
    if fmt.parser is not None:
        return _jsonl_parsed(ws, src, fmt, quarantine, advance), None
    return _jsonl_generic(ws, src, fmt, mapping, quarantine, advance), None


def _lines(src: SourceFile, quarantine: Quarantine):  # type: ignore[no-untyped-def]
    """(line number, parsed object) for each good JSON line; bad lines are quarantined."""
    with open_binary(src) as fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            if len(raw) > MAX_LINE_BYTES:
                quarantine.add(n, None, f"huge record: {len(raw):,} bytes > {MAX_LINE_BYTES:,}", raw[:4096].decode("utf-8", "replace"))
                yield n, None
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                quarantine.add(n, None, f"invalid UTF-8 at byte {exc.start}", raw.decode("utf-8", "replace"))
                yield n, None
                continue
            try:
                obj = json.loads(text)
            except ValueError as exc:
                quarantine.add(n, None, f"invalid JSON: {exc.msg} (column {exc.colno})", text.rstrip("\r\n"))
                yield n, None
                continue
            if not isinstance(obj, dict):
                quarantine.add(n, None, "not a JSON object", text.rstrip("\r\n"))
                yield n, None
                continue
            yield n, (obj, text)


def _jsonl_parsed(ws: Workspace, src: SourceFile, fmt: Format, quarantine: Quarantine,
                  advance: Callable[[int], None]) -> int:
    buf: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    read = pending = 0
    for n, item in _lines(src, quarantine):
        read += 1
        pending += 1
        if item is not None:
            obj, text = item
            try:
                rows = fmt.parser.rows(obj)  # type: ignore[union-attr]
            except RowError as exc:
                quarantine.add(n, exc.field, exc.reason, text.rstrip("\r\n"))
                rows = {}
            for table, trows in rows.items():
                for r in trows:
                    r["source_file"], r["source_line"] = src.name, n
                buf[table].extend(trows)
        if pending >= CHUNK_ROWS:
            _flush(ws, buf)
            advance(pending)
            pending = 0
    _flush(ws, buf)
    advance(pending)
    return read


def _flush(ws: Workspace, buf: dict[str, list[dict[str, Any]]]) -> None:
    for table, rows in buf.items():
        if rows:
            ws.stage(table, pa.Table.from_pylist(rows, schema=TABLES[table]))
            rows.clear()


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _jsonl_generic(ws: Workspace, src: SourceFile, fmt: Format, mapping: dict[str, str] | None,
                   quarantine: Quarantine, advance: Callable[[int], None]) -> int:
    file_lit, sid_lit = sql_literal(src.name), sql_literal(src.short_id)
    recs: list[tuple[int, dict[str, Any]]] = []
    read = 0
    columns: list[str] | None = None
    keys: list[str] = []

    def flush() -> None:
        nonlocal columns, keys
        if not recs:
            return
        if columns is None:
            keys = sorted({k for _, o in recs for k in o})
            columns = resolve_columns(keys, fmt, mapping, src)
        data = {c: [_text(o.get(k)) for _, o in recs] for k, c in zip(keys, columns)}
        data["_line"] = [n for n, _ in recs]
        stage_batch(ws, fmt, pa.table(data), columns, quarantine, file_lit, sid_lit)
        advance(len(recs))
        recs.clear()

    for n, item in _lines(src, quarantine):
        read += 1
        if item is not None:
            recs.append((n, item[0]))
        if len(recs) >= CHUNK_ROWS:
            flush()
    flush()
    return read


def _parquet(ws: Workspace, src: SourceFile, fmt: Format, mapping: dict[str, str] | None,
             quarantine: Quarantine, advance: Callable[[int], None]) -> int:
    con = duckdb.connect()
    try:
        rel = con.sql(f"SELECT * FROM read_parquet({sql_literal(str(src.path))}) LIMIT 0")
        names = list(rel.columns)
        columns = resolve_columns(names, fmt, mapping, src)
        casts = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in names)
        reader = con.sql(f"SELECT {casts}, file_row_number + 1 AS _line FROM read_parquet("
                         f"{sql_literal(str(src.path))}, file_row_number = true)").to_arrow_reader(JSON_BATCH_ROWS)
        read = 0
        for batch in reader:
            batch = batch.rename_columns([*columns, "_line"])
            stage_batch(ws, fmt, batch, columns, quarantine, sql_literal(src.name), sql_literal(src.short_id))
            read += batch.num_rows
            advance(batch.num_rows)
        return read
    except duckdb.Error as exc:
        raise DataError(f"{src.path}: cannot read as Parquet ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()
