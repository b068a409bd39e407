"""``lockstep ingest PATH...``: read files into a workspace, with a summary per file.

The summary reconciles every file (read = stored + duplicate + quarantined). The exit code
tells the truth: 0 only when every file was read and something in each was usable; 3 when
a file was rejected or all of its records were quarantined; 4 when the workspace failed
(full disk); 130 on Ctrl-C (the file being read is rolled back). A workspace created by
this command is removed again when no file could be read at all.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt, console, out
from lockstep.errors import DataError, UserError


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """``column=field`` pairs -> dict; a malformed pair is a user error naming it.

    ``column`` may be a dotted path into nested JSON or Parquet records (``user.id``)."""
    mapping: dict[str, str] = {}
    for item in items or []:
        col, sep, fld = item.partition("=")
        if not sep or not col.strip() or not fld.strip():
            raise UserError(f"--map {item!r}: expected column=field")
        mapping[col.strip()] = fld.strip()
    return mapping


def parse_delimiter(value: str | None) -> str | None:
    """``\\t``/``tab`` -> a tab; any other value must be one character."""
    if value is None:
        return None
    named = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    d = named.get(value.lower(), value)
    if len(d) != 1:
        raise UserError(f"--delimiter {value!r}: expected one character (or tab, comma, semicolon, pipe)")
    return d


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        paths: Annotated[list[Path], typer.Argument(help=(
            "Files to read (gzip is fine); a folder stands for the data files in it (labels.csv skipped)."))],
        workspace: WorkspaceOpt = DEFAULT_WS,
        fmt: Annotated[Optional[str], typer.Option("--format", "-f", help=(
            "Force a format (see README for the list). Default: detect from the header or first record."))] = None,
        mapping: Annotated[Optional[list[str]], typer.Option(
            "--map", help="column=field: read file column (or nested path a.b) as this field (repeatable).")] = None,
        time_unit: Annotated[str, typer.Option(
            "--time-unit", help="Unit of numeric times: auto (by magnitude), s, ms, us or ns.")] = "auto",
        encoding: Annotated[Optional[str], typer.Option(
            "--encoding", help="Text encoding of the files (e.g. latin-1, cp1252, utf-16). Default UTF-8.")] = None,
        delimiter: Annotated[Optional[str], typer.Option(
            "--delimiter", help="CSV delimiter (one character, or tab). Default: detected from the header.")] = None,
        progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
    ) -> None:
        """Read files into the workspace; bad rows go to WORKSPACE/quarantine/."""
        from lockstep.ingest import IngestOptions, ingest_paths
        from lockstep.ingest.detect import get_format
        from lockstep.ingest.folders import expand_paths
        from lockstep.ingest.source import codecs_name
        from lockstep.store import open_workspace
        from lockstep.store.workspace import has_ingested_files

        opts = IngestOptions(fmt=fmt, mapping=parse_mapping(mapping), time_unit=time_unit,
                             encoding=encoding, delimiter=parse_delimiter(delimiter))
        if encoding is not None:
            codecs_name(encoding)  # an unknown encoding is a user error before anything is created
        if fmt is not None:
            get_format(fmt)
        expanded = expand_paths(list(paths))
        for note in expanded.notes:
            console.print(f"[yellow]note:[/yellow] {note}", highlight=False, soft_wrap=True)
        created = not (workspace / "lockstep.duckdb").exists()
        try:
            with open_workspace(workspace) as ws:
                report = ingest_paths(ws, expanded.files, progress=progress, options=opts)
        except BaseException:
            if created and not has_ingested_files(workspace):
                _remove_new_workspace(workspace)
            raise
        if created and not report.stored_any:
            _remove_new_workspace(workspace)
        for note in report.recovered:
            console.print(f"[yellow]recovered:[/yellow] {note}", highlight=False)
        _print_summary(report, workspace)
        errors = report.errors
        for err in errors[:-1]:
            console.print(f"[red]error:[/red] {err}", highlight=False, soft_wrap=True)
        if errors:  # the last one is printed by the CLI's error handler, with exit code 3
            raise DataError(errors[-1])


def _print_summary(report: object, workspace: Path) -> None:
    from lockstep.ingest import IngestReport

    assert isinstance(report, IngestReport)
    table = Table(title=f"ingest into {workspace}")
    for col in ("file", "format", "read", "stored", "duplicate", "quarantined", "also stored"):
        table.add_column(col, justify="left" if col in ("file", "format", "also stored") else "right")
    for f in report.files:
        if f.error:
            continue
        also = ", ".join(f"{t} +{n:,}" for t, n in f.stored_by_table.items() if t != f.primary and n)
        table.add_row(Path(f.path).name, f.format or "", f"{f.rows_read:,}", f"{f.rows_stored:,}",
                      f"{f.rows_duplicate:,}", f"{f.rows_quarantined:,}", also)
    if any(not f.error for f in report.files):
        out.print(table)
    for f in report.files:
        if f.error:
            continue
        out.print(f"{Path(f.path).name}: read {f.rows_read:,} = stored {f.rows_stored:,} + duplicate "
                  f"{f.rows_duplicate:,} + quarantined {f.rows_quarantined:,} ({f.primary})", highlight=False,
                  soft_wrap=True)
        if f.rows_quarantined:
            out.print(f"{Path(f.path).name}: {f.rows_quarantined:,} bad row(s) quarantined in "
                      f"{f.quarantine_file}", highlight=False, soft_wrap=True)


def _remove_new_workspace(workspace: Path) -> None:
    """Remove a workspace this command created and nothing was stored in (a rejected file
    must not leave an empty workspace that later commands would take for real)."""
    if workspace.is_dir():
        shutil.rmtree(workspace, ignore_errors=True)
