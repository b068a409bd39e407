"""``ingest_paths``: read files into a workspace, one file at a time, never aborting the batch.

Each file is detected (or forced with ``fmt``), pre-passed (hash, lines), streamed into
staging, merged (an anti-join on the natural key, so re-ingest adds nothing) and recorded
in ``ingested_files``. A file that cannot be read at all becomes one error line in the
report and the others still ingest; bad rows inside a readable file go to quarantine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lockstep.errors import DataError
from lockstep.ingest import direct, sqlkit
from lockstep.ingest.csvpipe import PipeResult, run_csv
from lockstep.ingest.detect import detect_format, get_format
from lockstep.ingest.formats import Format
from lockstep.ingest.progress import IngestProgress
from lockstep.ingest.quarantine import Quarantine, sql_literal
from lockstep.ingest.source import SourceFile, head_lines, open_source, prepass, prepass_async
from lockstep.model import TABLES
from lockstep.store import Workspace


@dataclass
class FileReport:
    """What happened to one input file."""

    path: str
    format: str | None = None
    rows_read: int = 0
    rows_stored: int = 0  # new rows in the format's main table
    rows_quarantined: int = 0
    quarantine_file: str | None = None
    stored_by_table: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    @property
    def rows_duplicate(self) -> int:
        """Good rows already stored (earlier ingest, or repeated inside the file)."""
        return max(self.rows_read - self.rows_quarantined - self.rows_stored, 0)


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f.error for f in self.files if f.error]

    @property
    def ok(self) -> bool:
        return not self.errors


def ingest_paths(ws: Workspace, paths: list[Path], fmt: str | None = None,
                 mapping: dict[str, str] | None = None, progress: bool = True) -> IngestReport:
    """Ingest every file in ``paths``; see the module docstring."""
    forced = get_format(fmt) if fmt else None
    report = IngestReport()
    sqlkit.install(ws.con)
    with IngestProgress(progress) as bar:
        for p in paths:
            path = Path(p)
            try:
                report.files.append(ingest_file(ws, path, forced, mapping, bar))
            except DataError as exc:
                _discard_staging(ws)
                report.files.append(FileReport(path=str(path), error=str(exc)))
    return report


def ingest_file(ws: Workspace, path: Path, forced: Format | None, mapping: dict[str, str] | None,
                bar: IngestProgress) -> FileReport:
    src = open_source(path)
    fmt = forced or detect_format(src)
    is_csv = fmt.kind == "csv" and not _is_parquet(path) and not _looks_jsonl(src)
    # Formats that keep exact duplicates (CooRTweet) can take the direct path only into empty
    # tables: their repeats are renamed after the insert, which must not meet stored rows.
    try_fast = is_csv and (not fmt.keep_duplicates or _all_empty(ws, list(fmt.outputs)))
    header = 1 if fmt.header else 0
    task = bar.add(f"{path.name} ({fmt.name})", None)
    size_bar = lambda s: bar.set_total(task, max(s.n_lines - header, 0))  # noqa: E731
    if try_fast:  # hash and count lines while the parse runs
        prepass_async(src, then=size_bar)
    else:
        size_bar(prepass(src))
    quarantine = Quarantine(ws, src.name)
    advance = lambda n: bar.advance(task, n)  # noqa: E731
    fast: PipeResult | None = None
    if try_fast:
        fast = _run_csv_direct(ws, src, fmt, mapping, quarantine, advance)
        if fast is None:  # re-ingest, rejected records or blank lines: staging and line fix-up
            bar.restart(task)
            quarantine = Quarantine(ws, src.name)
    if fast is not None:
        rows_read, added = fast.rows_read, fast.added
    else:
        if is_csv:
            result = run_csv(ws, src, fmt, mapping, quarantine, advance)
            rows_read, fix = result.rows_read, result.holes_fix
        else:
            from lockstep.ingest.jsonpipe import run_records  # JSONL / Parquet

            rows_read, fix = run_records(ws, src, fmt, mapping, quarantine, advance)
        if fix is not None:
            _fix_staged_lines(ws, fix, src.name)
        if fmt.keep_duplicates and ws._exists("_staging_actions"):
            direct.rename_repeats(ws, "_staging_actions", src.name)
        added = ws.merge()
    n_bad = quarantine.count()
    qfile = quarantine.write(path)
    bar.finish(task)
    rep = FileReport(path=str(path), format=fmt.name, rows_read=rows_read,
                     rows_stored=added.get(fmt.primary, 0), rows_quarantined=n_bad,
                     quarantine_file=str(qfile) if qfile else None, stored_by_table=added)
    ws.record_file(src.name, src.sha256, fmt.name, rep.rows_read, rep.rows_stored,
                   rep.rows_quarantined, rep.quarantine_file)
    return rep


def _run_csv_direct(ws: Workspace, src: SourceFile, fmt: Format, mapping: dict[str, str] | None,
                    quarantine: Quarantine, advance: Callable[[int], None]) -> PipeResult | None:
    """Fast path: rows straight into the canonical tables (see :mod:`lockstep.ingest.direct`).

    Returns the result (``added``: new rows per table), or None (nothing stored) when rows
    from this file are already stored, or when the CSV reader rejected records or the file
    has blank lines, since later rows' provisional lines are then not the physical ones.
    """
    tables = list(fmt.outputs)
    if not direct.is_new_file(ws, tables, src.name):  # re-ingest: staging (undo needs a fresh file)
        return None
    try:
        result = run_csv(ws, src, fmt, mapping, quarantine, advance, direct=True)
        if result.holes_fix is not None or src.blank_lines:
            direct.undo(ws, tables, src.name)
            return None
        if fmt.keep_duplicates:
            direct.rename_repeats(ws, "actions", src.name)
        for table in result.added:
            result.added[table] -= direct.drop_repeats(ws, table)
    except BaseException:
        direct.undo(ws, tables, src.name)
        raise
    return result


def _all_empty(ws: Workspace, tables: list[str]) -> bool:
    return direct.empty_tables(ws, tables) == frozenset(tables)


def _looks_jsonl(src: SourceFile) -> bool:
    lines = head_lines(src, 1)
    return bool(lines) and lines[0].lstrip().startswith("{")


def _is_parquet(path: Path) -> bool:
    return path.name.lower().endswith(".parquet")


def _fix_staged_lines(ws: Workspace, fix: str, source_file: str) -> None:
    """Turn provisional record positions into physical line numbers in staging."""
    for name in TABLES:
        staging = f"_staging_{name}"
        if ws._exists(staging):
            ws.con.execute(f'UPDATE "{staging}" SET source_line = {fix}'
                           f" WHERE source_file = {sql_literal(source_file)}")


def _discard_staging(ws: Workspace) -> None:
    for name in TABLES:
        ws.con.execute(f'DROP TABLE IF EXISTS "_staging_{name}"')
