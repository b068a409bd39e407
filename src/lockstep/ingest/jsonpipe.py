"""JSON and Parquet inputs: records streamed in chunks, validated, staged.

JSON records come from :mod:`lockstep.ingest.jsonrecords` (JSONL, documents, arrays) with
exact lines; a record that is not UTF-8, not JSON, too large, or rejected by the format's
parser goes to quarantine with the reason, and so does one bad item inside a record (one
tweet of a page). Every row a parser builds is checked against the canonical schema before
it is staged (:func:`coerce_row`), so a value of the wrong type is one quarantine row, never
a failed batch. The generic format turns each record into text columns (``--map`` may name
a nested field as ``a.b.c``) and reuses the CSV pipeline's SQL checks, so a generic JSON
or Parquet file is validated exactly like a generic CSV.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from lockstep.errors import DataError
from lockstep.ingest.csvpipe import PipeResult, resolve_columns, stage_batch
from lockstep.ingest.csvscan import drop_nul
from lockstep.ingest.formats import Format
from lockstep.ingest.formats.jsonbase import OUT_OF_RANGE, TIME_MAX, TIME_MIN, RowError
from lockstep.ingest.jsonrecords import iter_records
from lockstep.ingest.quarantine import Quarantine, sql_literal
from lockstep.ingest.source import SourceFile
from lockstep.ingest.sqlkit import check_interrupt
from lockstep.model import TABLES
from lockstep.store import Workspace

CHUNK_ROWS = 50_000
JSON_BATCH_ROWS = 250_000  # JSON records are larger than CSV rows: smaller batches than CSV
_SHAPE_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError, OverflowError, RecursionError)


def run_records(ws: Workspace, src: SourceFile, fmt: Format, mapping: dict[str, str] | None,
                quarantine: Quarantine, advance: Callable[[int], None]) -> PipeResult:
    """Ingest a JSON or Parquet file; returns records read and good rows per table."""
    if src.path.name.lower().endswith(".parquet"):
        return _parquet(ws, src, fmt, mapping, quarantine, advance)
    if fmt.parser is not None:
        return _parsed(ws, src, fmt, quarantine, advance)
    return _generic(ws, src, fmt, mapping, quarantine, advance)


def coerce_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` checked against the canonical schema of ``table`` (RowError naming the field).

    Text loses NUL characters (no tool downstream can show them); ids must not be empty.
    """
    out: dict[str, Any] = {}
    for f in TABLES[table]:
        v = row.get(f.name)
        if v is None:
            out[f.name] = None
        elif pa.types.is_string(f.type):
            if not isinstance(v, str):
                v = v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
                v = None if v is None else str(v)
            out[f.name] = v.replace("\x00", "") if v is not None and "\x00" in v else v
        elif pa.types.is_list(f.type):
            if not isinstance(v, list):
                raise RowError(f.name, f"expected a list, got {type(v).__name__}")
            out[f.name] = [x.replace("\x00", "") for x in v if isinstance(x, str) and x]
        elif pa.types.is_timestamp(f.type):
            if not isinstance(v, datetime):
                raise RowError(f.name, "unparseable timestamp (missing or malformed)")
            if not TIME_MIN <= v < TIME_MAX:
                raise RowError(f.name, OUT_OF_RANGE)
            out[f.name] = v
        elif pa.types.is_integer(f.type):
            if isinstance(v, bool) or not isinstance(v, int) or not -(2**63) <= v < 2**63:
                raise RowError(f.name, "not an integer")
            out[f.name] = v
        elif pa.types.is_boolean(f.type):
            out[f.name] = v if isinstance(v, bool) else None
        else:
            out[f.name] = v
    return out


def _parsed(ws: Workspace, src: SourceFile, fmt: Format, quarantine: Quarantine,
            advance: Callable[[int], None]) -> PipeResult:
    parser: Any = fmt.parser
    buf: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    good = {t: 0 for t in TABLES}
    read = pending = 0
    for rec in iter_records(src, quarantine, expand=getattr(parser, "expand", ())):
        read += 1
        pending += 1
        if rec is not None:
            errors: list[RowError] = []
            try:
                rows = parser.rows(rec.obj, errors, rec.context)
            except RowError as exc:
                quarantine.add(rec.line, exc.field, exc.reason, rec.raw)
                rows = {}
            except _SHAPE_ERRORS as exc:
                quarantine.add(rec.line, None, f"unexpected record shape ({type(exc).__name__}: {exc})", rec.raw)
                rows = {}
            for err in errors:
                quarantine.add(rec.line, err.field, err.reason, err.raw or rec.raw)
            for table, trows in rows.items():
                for r in trows:
                    try:
                        clean = coerce_row(table, r)
                    except RowError as exc:
                        quarantine.add(rec.line, exc.field, exc.reason, rec.raw)
                        continue
                    clean["source_file"], clean["source_line"] = src.name, rec.line
                    buf[table].append(clean)
                    good[table] += 1
        if pending >= CHUNK_ROWS:
            _flush(ws, buf)
            advance(pending)
            pending = 0
    _flush(ws, buf)
    advance(pending)
    return PipeResult(rows_read=read, holes_fix=None, good=good)


def _flush(ws: Workspace, buf: dict[str, list[dict[str, Any]]]) -> None:
    for table, rows in buf.items():
        if rows:
            ws.stage(table, pa.Table.from_pylist(rows, schema=TABLES[table]))
            rows.clear()


def _text(v: Any) -> str | None:
    if v is None:
        return None
    s = json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v)
    return s.replace("\x00", "") if "\x00" in s else s


def dig(obj: Any, path: str) -> Any:
    """``obj["a"]["b"]`` for the path ``a.b`` (a key that itself holds dots wins)."""
    if isinstance(obj, dict) and path in obj:
        return obj[path]
    for part in path.split("."):
        if isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        elif isinstance(obj, dict):
            obj = obj.get(part)
        else:
            return None
    return obj


def _generic(ws: Workspace, src: SourceFile, fmt: Format, mapping: dict[str, str] | None,
             quarantine: Quarantine, advance: Callable[[int], None]) -> PipeResult:
    file_lit, sid_lit = sql_literal(src.name), sql_literal(src.short_id)
    recs: list[tuple[int, dict[str, Any]]] = []
    read = 0
    good: dict[str, int] = {t: 0 for t in fmt.outputs}
    columns: list[str] | None = None
    keys: list[str] = []
    dotted = [k for k in (mapping or {}) if "." in k]

    def flush() -> None:
        nonlocal columns, keys
        if not recs:
            return
        if columns is None:
            keys = sorted({k for _, o in recs for k in o} | set(dotted))
            columns = resolve_columns(keys, fmt, mapping, src)
        data: dict[str, list[Any]] = {c: [_text(dig(o, k)) for _, o in recs] for k, c in zip(keys, columns)}
        data["_line"] = [n for n, _ in recs]
        stage_batch(ws, fmt, pa.table(data), columns, quarantine, file_lit, sid_lit, good_rows=good)
        advance(len(recs))
        recs.clear()

    for rec in iter_records(src, quarantine):
        read += 1
        if rec is not None:
            recs.append((rec.line, rec.obj))
        if len(recs) >= CHUNK_ROWS:
            flush()
    flush()
    return PipeResult(rows_read=read, holes_fix=None, good=good)


def _parquet(ws: Workspace, src: SourceFile, fmt: Format, mapping: dict[str, str] | None,
             quarantine: Quarantine, advance: Callable[[int], None]) -> PipeResult:
    con = duckdb.connect()
    path = sql_literal(str(src.path))
    good: dict[str, int] = {t: 0 for t in fmt.outputs}
    try:
        names = list(con.sql(f"SELECT * FROM read_parquet({path}) LIMIT 0").columns)
        nested = [k for k in (mapping or {}) if "." in k and k not in names]
        exprs = [f"CAST({_q(c)} AS VARCHAR) AS {_q(c)}" for c in names]
        exprs += [f"CAST({'.'.join(_q(p) for p in k.split('.'))} AS VARCHAR) AS {_q(k)}" for k in nested]
        names += nested
        columns = resolve_columns(names, fmt, mapping, src)
        reader = con.sql(f"SELECT {', '.join(exprs)}, file_row_number + 1 AS _line FROM read_parquet("
                         f"{path}, file_row_number = true)").to_arrow_reader(JSON_BATCH_ROWS)
        read = 0
        for batch in reader:
            batch = drop_nul(batch.rename_columns([*columns, "_line"]))
            stage_batch(ws, fmt, batch, columns, quarantine, sql_literal(src.name), sql_literal(src.short_id),
                        good_rows=good)
            read += batch.num_rows
            advance(batch.num_rows)
        return PipeResult(rows_read=read, holes_fix=None, good=good)
    except duckdb.Error as exc:
        check_interrupt(exc)
        raise DataError(f"{src.path}: cannot read as Parquet ({str(exc).splitlines()[0]})") from None
    finally:
        con.close()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
