"""``ingest_paths``: read files into a workspace, one file at a time, never aborting the batch.

Each file is detected (or forced with ``fmt``), pre-passed (hash, lines), noted in the
workspace's ingest journal, streamed into staging (or, for a new CSV file, straight into
the canonical tables), merged (an anti-join on the natural key, so re-ingest adds nothing)
and recorded in ``ingested_files`` in the transaction that ends its journal entry: whatever
stops the process, the file's rows are stored with their record or, once the workspace is
next opened, not at all (see :mod:`lockstep.store.workspace`), and a re-run redoes it. A
file that cannot be read at all becomes one error line in the report (what it wrote is
undone, the workspace otherwise untouched) and the others still ingest; bad rows inside a
readable file go to quarantine. A DuckDB failure (full disk) stops the batch with an
EngineError; Ctrl-C undoes the current file and stops (exit 130).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from lockstep.errors import DataError, EngineError, UserError
from lockstep.ingest import csvscan, direct, sqlkit
from lockstep.ingest.csvpipe import PipeResult, run_csv
from lockstep.ingest.detect import detect_format, get_format, looks_json, looks_nonempty, sniff_delimiter
from lockstep.ingest.formats import Format
from lockstep.ingest.progress import IngestProgress
from lockstep.ingest.quarantine import Quarantine, sql_literal
from lockstep.ingest.report import FileReport, IngestReport
from lockstep.ingest.source import SourceFile, cleanup_transcoded, open_source, prepass, prepass_async
from lockstep.model import TABLES
from lockstep.store import Workspace
from lockstep.store.workspace import engine_error


@dataclass(frozen=True)
class IngestOptions:
    """How to read the files: forced format, column mapping and the reading flags."""

    fmt: str | None = None
    mapping: dict[str, str] | None = None
    time_unit: str = "auto"  # --time-unit: auto | s | ms | us | ns
    encoding: str | None = None  # --encoding: any Python codec name; default UTF-8
    delimiter: str | None = None  # --delimiter: one character; default per format / sniffed


def ingest_paths(ws: Workspace, paths: list[Path], fmt: str | None = None,
                 mapping: dict[str, str] | None = None, progress: bool = True,
                 options: IngestOptions | None = None) -> IngestReport:
    """Ingest every file in ``paths``; see the module docstring."""
    opts = options or IngestOptions(fmt=fmt, mapping=mapping)
    forced = get_format(opts.fmt) if opts.fmt else None
    if opts.delimiter is not None and len(opts.delimiter) != 1:
        raise UserError(f"--delimiter {opts.delimiter!r}: expected one character (use '\\t' for tab)")
    report = IngestReport()
    with IngestProgress(progress) as bar, _watch_sigint():
        try:  # (inside the watch: Ctrl-C while the macros install is an interruption, exit 130)
            sqlkit.install(ws.con, opts.time_unit)
            report.recovered = ws.recovered + ws.recover()
        except (duckdb.Error, RuntimeError) as exc:
            sqlkit.check_interrupt(exc)
            if not isinstance(exc, duckdb.Error):
                raise
            raise engine_error(ws.path, exc) from None
        for p in paths:
            path = Path(p)
            try:
                report.files.append(_atomic_file(ws, path, forced, opts, bar))
            except DataError as exc:
                report.files.append(FileReport(path=str(path), error=str(exc)))
    return report


@dataclass
class _Undo:
    """What to undo if the file does not finish: its journal entry and quarantine file."""

    source_file: str | None = None
    mode: str = "staging"
    written: list[Path] = field(default_factory=list)


def _atomic_file(ws: Workspace, path: Path, forced: Format | None, opts: IngestOptions,
                 bar: IngestProgress) -> FileReport:
    """One file: its rows, its quarantine file and its record, or (after undo) nothing."""
    undo = _Undo()
    try:
        return ingest_file(ws, path, forced, opts, bar, undo)
    except BaseException as exc:
        for f in undo.written:  # the quarantine file of a file whose rows are undone
            f.unlink(missing_ok=True)
        if undo.source_file is not None:
            try:  # (if this fails too, the journal entry stays and the next open undoes it)
                ws.undo_file(undo.source_file, undo.mode)
            except (duckdb.Error, KeyboardInterrupt):
                pass
        sqlkit.check_interrupt(exc)
        if _SIGINT_SEEN and not isinstance(exc, KeyboardInterrupt):
            # Ctrl-C inside DuckDB can surface as a later statement failing; it is still an
            # interrupt (exit 130), and the file was undone
            raise KeyboardInterrupt from None
        if isinstance(exc, duckdb.Error):
            raise engine_error(ws.path, exc) from None
        if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
            raise EngineError(f"{path}: {exc.strerror or exc} (writing to workspace {ws.path})") from None
        raise
    finally:
        cleanup_transcoded(ws.path / "tmp", path)


def ingest_file(ws: Workspace, path: Path, forced: Format | None, opts: IngestOptions,
                bar: IngestProgress, undo: _Undo | None = None) -> FileReport:
    undo = undo if undo is not None else _Undo()
    src = open_source(path, encoding=opts.encoding, scratch=ws.path / "tmp")
    is_parquet = _is_parquet(path)
    if not is_parquet and not looks_nonempty(src):  # (a forced format skips detection)
        raise DataError(f"{path}: empty file")
    fmt = forced or detect_format(src)
    is_csv = fmt.kind == "csv" and not is_parquet and not looks_json(src)
    if is_csv:
        delim = opts.delimiter or (sniff_delimiter(src) if fmt.header else None)
        if delim and delim != fmt.delim:
            fmt = replace(fmt, delim=delim)
    mapping = opts.mapping
    # Formats that keep exact duplicates (CooRTweet) can take the direct path only into empty
    # tables: their repeats are renamed after the insert, which must not meet stored rows.
    try_fast = is_csv and (not fmt.keep_duplicates or _all_empty(ws, list(fmt.outputs)))
    try_fast = try_fast and direct.is_new_file(ws, list(fmt.outputs), src.name)
    header = 1 if fmt.header else 0
    task = bar.add(f"{path.name} ({fmt.name})", None)

    def size_bar(s: SourceFile) -> None:
        bar.set_total(task, max(s.n_lines - header, 0))

    if try_fast:  # hash and count lines while the parse runs
        prepass_async(src, then=size_bar)
    else:
        size_bar(prepass(src))
    undo.source_file, undo.mode = src.name, "direct" if try_fast else "staging"
    ws.journal_start(src.name, undo.mode)  # committed before any row of the file
    quarantine = Quarantine(ws, src.name)

    def advance(n: int) -> None:
        bar.advance(task, n)

    fast: PipeResult | None = None
    if try_fast:
        fast = _run_csv_direct(ws, src, fmt, mapping, quarantine, advance)
        if fast is None:  # rejected records or blank lines: staging and line fix-up
            ws.journal_mode(src.name, "staging")  # (_run_csv_direct removed its rows)
            undo.mode = "staging"
            bar.restart(task)
            quarantine = Quarantine(ws, src.name)
    if fast is None:
        if is_csv:
            result = run_csv(ws, src, fmt, mapping, quarantine, advance)
        else:
            from lockstep.ingest.jsonpipe import run_records  # JSON / Parquet

            result = run_records(ws, src, fmt, mapping, quarantine, advance)
        if result.holes_fix is not None:
            _fix_staged_lines(ws, result.holes_fix, src.name)
        if fmt.keep_duplicates and ws._exists("_staging_actions"):
            direct.rename_repeats(ws, "_staging_actions", src.name)
    n_bad = quarantine.count()
    with ws.transaction():  # the staged rows, the record and the end of the journal entry
        if fast is not None:
            good, added = fast.good, fast.added
        else:
            good, added = result.good, ws.merge()
        qfile = quarantine.write(path)
        if qfile is not None:
            undo.written.append(qfile)
        primary = _primary(fmt, good)
        rep = FileReport(path=str(path), format=fmt.name, rows_read=good.get(primary, 0) + n_bad,
                         rows_stored=added.get(primary, 0), rows_quarantined=n_bad,
                         quarantine_file=str(qfile) if qfile else None, stored_by_table=added,
                         primary=primary)
        ws.record_file(src.name, src.sha256, fmt.name, rep.rows_read, rep.rows_stored,
                       rep.rows_quarantined, rep.quarantine_file)
        ws.journal_end(src.name)
    undo.source_file = None  # committed: nothing to undo
    if any(added.values()):
        _checkpoint(ws)
    bar.finish(task)
    return rep


def _checkpoint(ws: Workspace) -> None:
    """Fold the file's committed rows into the database file now.

    Why: DuckDB writes a bulk insert's row groups ahead of the commit but leaves folding them
    into the table to a checkpoint, which otherwise comes only when the workspace closes. Until
    then every later insert into those tables was slow: on the 10M-action simulator world a
    594k-row file after the tweets and access files took 49-83 s, and 10 s with a checkpoint
    after each file (those took 31 s, the one at close before 7-19 s; the whole ingest 286 s
    against 364-459 s, all on a loaded machine). Nothing to undo here: the file is committed;
    a failure is reported as any DuckDB failure is.
    """
    ws.con.execute("CHECKPOINT")


_SIGINT_SEEN = False


@contextmanager
def _watch_sigint() -> Iterator[None]:
    """Note that Ctrl-C was pressed (then raise KeyboardInterrupt as Python does)."""
    global _SIGINT_SEEN
    _SIGINT_SEEN = False
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        global _SIGINT_SEEN
        _SIGINT_SEEN = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _primary(fmt: Format, good: dict[str, int]) -> str:
    """The format's main table, unless the file held none of it but rows of another table
    (a twarc2 users file, Jetstream identity events only)."""
    if good.get(fmt.primary, 0) or not any(good.values()):
        return fmt.primary
    return max(good, key=lambda t: good[t])


def _run_csv_direct(ws: Workspace, src: SourceFile, fmt: Format, mapping: dict[str, str] | None,
                    quarantine: Quarantine, advance: Callable[[int], None]) -> PipeResult | None:
    """Fast path: rows straight into the canonical tables (see :mod:`lockstep.ingest.direct`).

    Only for a file none of whose rows are stored (the caller checks), so its rows can be
    removed by ``source_file``: here when the CSV reader rejected records or the file has
    blank lines (later rows' provisional lines are then not the physical ones; returns None,
    nothing stored), and by the journal's undo when the ingest stops.
    """
    tables = list(fmt.outputs)
    result = run_csv(ws, src, fmt, mapping, quarantine, advance, direct=True)
    if (result.holes_fix is not None or set(src.blank_lines) - src.quoted_blank_lines
            or src.longest_line > csvscan.SAFE_LINE_BYTES):
        direct.undo(ws, tables, src.name)
        return None
    settled: set[str] = set()
    if fmt.keep_duplicates and direct.rename_repeats(ws, "actions", src.name) == 0:
        # no key repeated in the file, and the table held none of its rows before it (try_fast):
        # a second whole-table aggregate would find nothing (about 1 s at 10M rows)
        settled.add("actions")
    for table in result.added:
        if table not in settled:
            result.added[table] -= direct.drop_repeats(ws, table, src.name)
    return result


def _all_empty(ws: Workspace, tables: list[str]) -> bool:
    return direct.empty_tables(ws, tables) == frozenset(tables)


def _is_parquet(path: Path) -> bool:
    return path.name.lower().endswith(".parquet")


def _fix_staged_lines(ws: Workspace, fix: str, source_file: str) -> None:
    """Turn provisional record positions into physical line numbers in staging."""
    for name in TABLES:
        staging = f"_staging_{name}"
        if ws._exists(staging):
            ws.con.execute(f'UPDATE "{staging}" SET source_line = {fix}'
                           f" WHERE source_file = {sql_literal(source_file)}")

