"""Run a CSV-like format over one file: stage good rows, quarantine bad ones, fix lines.

Per batch two statements run against the same registered Arrow batch: one stages the
rows that pass every check (per canonical table), the other quarantines the rows that
fail one, naming the first failing field and its reason. The two share one CASE
expression, so every row lands in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from lockstep.errors import DataError
from lockstep.ingest import csvscan, parse_once
from lockstep.ingest.csvscan import CsvScan, read_header
from lockstep.ingest.direct import empty_tables, insert_new_sql
from lockstep.ingest.formats import Format
from lockstep.ingest.quarantine import Quarantine, sql_literal
from lockstep.ingest.sqlkit import q
from lockstep.ingest.source import SourceFile
from lockstep.model import NATURAL_KEYS, TABLES
from lockstep.store import Workspace
from lockstep.store.ddl import DUCK_TYPES


@dataclass
class PipeResult:
    rows_read: int  # records read (good and bad)
    holes_fix: str | None
    added: dict[str, int] = field(default_factory=dict)  # direct mode: new rows per table
    good: dict[str, int] = field(default_factory=dict)  # rows that passed the checks, per table


def resolve_columns(header: list[str], fmt: Format, mapping: dict[str, str] | None,
                    src: SourceFile) -> list[str]:
    """Names the batch columns get: user mapping, then case-insensitive and alias matches."""
    mapping = {k.lower(): v for k, v in (mapping or {}).items()}
    expected = {c.lower(): c for c in (*fmt.required, *fmt.optional)}
    out: list[str] = []
    for col in header:
        low = col.lower()
        name = mapping.get(low) or expected.get(low) or col
        out.append(name)
    present = set(out)
    for exp, others in fmt.aliases.items():
        if exp in present:
            continue
        for i, name in enumerate(out):
            if name.lower() in others:
                out[i] = exp
                present.add(exp)
                break
    missing = [c for c in fmt.required if c not in present]
    if missing:
        raise DataError(f"{src.path}: not a {fmt.name} file: missing column(s) {', '.join(missing)}"
                        " (use --map column=field or --format NAME)")
    seen: dict[str, int] = {}
    for i, name in enumerate(out):  # duplicate names would break the reader
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            out[i] = f"{name}_{seen[name]}"
    return out


def bad_case(fmt: Format) -> str:
    """CASE expression giving the index of the first failing check, NULL for a good row."""
    if not fmt.checks:
        return "CAST(NULL AS INTEGER)"
    # (a NULL condition falls through like false; wrapping each in coalesce cost ~40%)
    whens = " ".join(f"WHEN ({c.bad_sql}) THEN {i}" for i, c in enumerate(fmt.checks))
    return f"CASE {whens} END"


def raw_expr(columns: list[str], delim: str) -> str:
    """The row written back as one CSV record (for the quarantine's ``raw``)."""
    parts = [f"""'"' || replace(coalesce({q(c)}, ''), '"', '""') || '"'""" for c in columns]
    return f"concat_ws({sql_literal(delim)}, {', '.join(parts)})"


def stage_batch(ws: Workspace, fmt: Format, tbl: pa.Table | pa.RecordBatch, columns: list[str],
                quarantine: Quarantine, file_lit: str, sid_lit: str,
                added: dict[str, int] | None = None, fresh: frozenset[str] = frozenset(),
                good_rows: dict[str, int] | None = None) -> None:
    """Stage the good rows and quarantine the bad rows of one batch (``_line`` included).

    With ``added`` (direct mode) good rows go straight into the canonical tables (see
    :mod:`lockstep.ingest.direct`) and ``added`` counts the new rows per table; tables in
    ``fresh`` were empty when the file started and are inserted into without an anti-join.
    """
    for name in (*fmt.required, *fmt.optional):
        if name not in tbl.schema.names:
            tbl = tbl.append_column(name, pa.nulls(tbl.num_rows, pa.string()))
    ws.con.register("_b", _chunked(tbl))
    try:
        probe = _probe_table(fmt, fresh) if added is not None else None
        n_bad = -1  # not known yet
        if added is not None and probe is not None:  # good rows counted by inserting them
            # (each time parsed once, for its check and its stored value: see parse_once)
            src, bad, sel = parse_once.once("_b", bad_case(fmt), fmt.select_list(probe, file_lit, sid_lit))
            n_good = insert_new_sql(ws, probe, f"SELECT {sel} FROM (SELECT * FROM {src} AS _p"
                                    f" WHERE ({bad}) IS NULL) AS _g", anti_join=False)
            added[probe] = added.get(probe, 0) + n_good
            n_bad = tbl.num_rows - n_good
        if n_bad != 0:  # evaluate the checks once: the set of bad lines and their first failure
            ws.con.execute("CREATE OR REPLACE TEMP TABLE _bad AS SELECT _line, _i FROM"
                           f" (SELECT _line, {bad_case(fmt)} AS _i FROM _b) AS v WHERE _i IS NOT NULL")
            n_bad = int(ws.con.execute("SELECT count(*) FROM _bad").fetchone()[0])  # type: ignore[index]
        good = "_b ANTI JOIN _bad USING (_line)" if n_bad else "_b"
        for table in fmt.outputs:
            if good_rows is not None:
                good_rows[table] = good_rows.get(table, 0) + tbl.num_rows - n_bad
            if table == probe:
                continue
            src = good
            key = fmt.first_per.get(table)
            if key:  # pick the first row per key before converting (converting is the costly part)
                if added is not None and _key_by_group(fmt, table, key):
                    src = _unstored(fmt, table, good, file_lit, sid_lit)
                # (hash aggregate + semi-join: ~4x cheaper than a window; _line is unique per row)
                src = (f"(SELECT * FROM {src} SEMI JOIN (SELECT min(_line) AS _line FROM {src}"
                       f" GROUP BY {key}) AS _m USING (_line)) AS _first")
            sql = f"SELECT {fmt.select_list(table, file_lit, sid_lit)} FROM {src}"
            if added is None:
                ws.stage_sql(table, sql)
            else:
                added[table] = added.get(table, 0) + insert_new_sql(ws, table, sql, table not in fresh)
        if n_bad:
            fields = "[" + ", ".join(sql_literal(c.field) for c in fmt.checks) + "]"
            reasons = "[" + ", ".join(sql_literal(c.reason) for c in fmt.checks) + "]"
            whys = " ".join(f"WHEN {i} THEN ({c.why_sql})" for i, c in enumerate(fmt.checks) if c.why_sql)
            reason = f"coalesce(CASE _i {whys} END, {reasons}[_i + 1])" if whys else f"{reasons}[_i + 1]"
            quarantine.add_sql(
                f"SELECT _line AS source_line, {fields}[_i + 1] AS field, {reason} AS reason,"
                f" {raw_expr(columns, ',')} AS raw FROM _b JOIN _bad USING (_line)"
            )
    finally:
        ws.con.unregister("_b")
        ws.con.execute("DROP TABLE IF EXISTS _bad")


def _probe_table(fmt: Format, fresh: frozenset[str]) -> str | None:
    """A direct-path table whose insert counts the batch's good rows exactly, or None.

    Why: evaluating the checks into ``_bad`` was a pass of its own over every batch (about
    0.6 CPU-s per 1M IO-archive tweets; bad rows are rare). A table that was empty when the
    file started and keeps every row (no ``first_per``) inserts every good row without an
    anti-join, so inserting the rows whose checks all pass (the same CASE, in a filter) and
    counting them tells how many were bad; ``_bad`` is then built only when some were.
    """
    return next((t for t in fmt.outputs if t in fresh and t not in fmt.first_per), None)


def _key_by_group(fmt: Format, table: str, group: str) -> bool:
    """Whether every row of one ``first_per`` group has the same canonical key: each key
    column is a text constant or the group column (trimmed by ``ls_nz``). Then dropping the
    stored keys before picking the first row per group keeps the same rows (see
    :func:`_unstored`); the generic format's ``platform`` column can differ inside a group."""
    exprs = fmt.outputs[table]
    allowed = {group, f"ls_nz({group})"}
    return all(
        (e := exprs.get(col, "NULL").strip()) in allowed or e == "NULL"
        or (len(e) >= 2 and e[0] == e[-1] == "'" and "'" not in e[1:-1])
        for col in NATURAL_KEYS[table]
    )


def _unstored(fmt: Format, table: str, good: str, file_lit: str, sid_lit: str) -> str:
    """The rows of ``good`` whose natural key is not stored in ``table`` yet.

    Why: an IO-archive tweets file repeats its authors' accounts on every row, and most are
    stored already (from the users file, or an earlier batch). Grouping every row by author,
    converting the first row of each and only then anti-joining the stored keys cost 0.27
    CPU-s per 500k-row batch of the 10M-action world, 0.17 with the stored keys dropped
    first. The stored rows are matched on the natural-key columns themselves, not on an md5
    ``row_key`` of every row (0.22 -> 0.10 CPU-s per 1M rows of that world). Same rows, when
    :func:`_key_by_group` holds: a row dropped here has a stored row with the same key
    columns, so the same ``row_key``, and the later anti-join on ``row_key`` would drop it;
    a row kept here (a NULL key column never matches) still meets that anti-join; and a
    group's rows share their key columns, so a group is dropped whole or kept whole.
    """
    exprs = fmt.outputs[table]
    types = {f.name: DUCK_TYPES[f.type] for f in TABLES[table]}
    stored, conds = [], []
    for i, col in enumerate(NATURAL_KEYS[table]):
        expr = exprs.get(col, "NULL").replace("{file}", file_lit).replace("{sid}", sid_lit)
        stored.append(f'"{col}" AS _ls_k{i}')
        conds.append(f"_t._ls_k{i} = CAST(({expr}) AS {types[col]})")
    return (f"(SELECT _g.* FROM (SELECT * FROM {good}) AS _g ANTI JOIN (SELECT {', '.join(stored)}"
            f' FROM "{table}") AS _t ON {" AND ".join(conds)}) AS _unstored')


def _chunked(tbl: pa.Table | pa.RecordBatch, rows: int = 32_768) -> pa.Table:
    """The batch as a table of zero-copy slices: DuckDB scans one Arrow chunk per thread,
    so a single 200k-row record batch would be converted on one core."""
    batches = tbl.to_batches() if isinstance(tbl, pa.Table) else [tbl]
    parts = [b.slice(i, rows) for b in batches for i in range(0, b.num_rows, rows)]
    return pa.Table.from_batches(parts, schema=tbl.schema)


def run_csv(ws: Workspace, src: SourceFile, fmt: Format, mapping: dict[str, str] | None,
            quarantine: Quarantine, advance: Any, direct: bool = False) -> PipeResult:
    """Stream one CSV file through ``fmt``; returns rows read and the line fix to apply.

    ``direct``: insert into the canonical tables instead of staging (caller holds a
    transaction and must roll back when the returned ``holes_fix`` is not None).
    """
    added: dict[str, int] | None = {} if direct else None
    header = read_header(src, fmt.delim) if fmt.header else list(fmt.names)
    columns = resolve_columns(header, fmt, mapping, src)
    scan = CsvScan(src, columns if not fmt.header else _unique(header), header=fmt.header,
                   delim=fmt.delim, batch_rows=csvscan.batch_rows_for(src))
    uses_sid = any("{sid}" in e for t in fmt.outputs.values() for e in t.values())
    # the content id waits for the pre-pass hash; most formats have ids and never need it
    file_lit, sid_lit = sql_literal(src.name), (sql_literal(src.short_id) if uses_sid else "NULL")
    # tables empty at the start need no anti-join per batch (repeats are dropped per file),
    # except those that keep the first row per key: their keys repeat across batches
    fresh = empty_tables(ws, [t for t in fmt.outputs if t not in fmt.first_per]) if direct else frozenset()
    good: dict[str, int] = {t: 0 for t in fmt.outputs}
    for batch in scan.batches():
        batch = batch.rename_columns([*columns, "_line"])
        stage_batch(ws, fmt, batch, columns, quarantine, file_lit, sid_lit, added, fresh, good)
        advance(batch.num_rows)
    n_bad = scan.finish(quarantine)
    return PipeResult(rows_read=scan.good_rows + n_bad, holes_fix=scan.line_fix_sql(), added=added or {},
                      good=good)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        n = n or "column"
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out
