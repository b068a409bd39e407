"""``lockstep ingest PATH...``: read files into a workspace, with a summary per file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt, console, out
from lockstep.errors import DataError, UserError


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """``column=field`` pairs -> dict; a malformed pair is a user error naming it."""
    mapping: dict[str, str] = {}
    for item in items or []:
        col, sep, fld = item.partition("=")
        if not sep or not col.strip() or not fld.strip():
            raise UserError(f"--map {item!r}: expected column=field")
        mapping[col.strip()] = fld.strip()
    return mapping


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        paths: Annotated[list[Path], typer.Argument(help="Files to read (gzip is fine).")],
        workspace: WorkspaceOpt = DEFAULT_WS,
        fmt: Annotated[Optional[str], typer.Option("--format", "-f", help=(
            "Force a format: io-tweets, io-users, twarc2, jetstream, coortweet, cnt, generic, "
            "access-log, ira-538, snap-higgs, twitter-users. Default: detect from the header."))] = None,
        mapping: Annotated[Optional[list[str]], typer.Option(
            "--map", help="column=field: read file column as this field (repeatable).")] = None,
        progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
    ) -> None:
        """Read files into the workspace; bad rows go to WORKSPACE/quarantine/."""
        from lockstep.ingest import FORMATS, ingest_paths
        from lockstep.store import open_workspace

        maps = parse_mapping(mapping)
        with open_workspace(workspace) as ws:
            report = ingest_paths(ws, list(paths), fmt=fmt, mapping=maps, progress=progress)
        table = Table(title=f"ingest into {workspace}")
        for col in ("file", "format", "read", "stored", "duplicate", "quarantined", "also stored"):
            table.add_column(col, justify="left" if col in ("file", "format", "also stored") else "right")
        for f in report.files:
            if f.error:
                continue
            primary = FORMATS[f.format].primary if f.format in FORMATS else ""
            also = ", ".join(f"{t} +{n:,}" for t, n in f.stored_by_table.items() if t != primary and n)
            one_to_one = f.format in FORMATS and FORMATS[f.format].kind == "csv"
            table.add_row(Path(f.path).name, f.format or "", f"{f.rows_read:,}", f"{f.rows_stored:,}",
                          f"{f.rows_duplicate:,}" if one_to_one else "-", f"{f.rows_quarantined:,}", also)
        if any(not f.error for f in report.files):
            out.print(table)
        for f in report.files:
            if f.rows_quarantined:
                out.print(f"{Path(f.path).name}: {f.rows_quarantined:,} bad row(s) quarantined in "
                          f"{f.quarantine_file}")
        errors = report.errors
        for err in errors[:-1]:
            console.print(f"[red]error:[/red] {err}", highlight=False, soft_wrap=True)
        if errors:  # the last one is printed by the CLI's error handler, with exit code 3
            raise DataError(errors[-1])
