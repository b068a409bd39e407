"""`lockstep report CAMPAIGN_OR_CASE --out DIR [--pdf]`: a disclosure report (library:
lockstep.report.write)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(
        ref: Annotated[str, typer.Argument(metavar="CAMPAIGN_OR_CASE", help="Campaign id or case id.")],
        out_dir: Annotated[Path, typer.Option("--out", help="Folder for report.html, report.md, report.json.")],
        pdf: Annotated[bool, typer.Option("--pdf", help="Also print report.pdf through headless Chromium.")] = False,
        title: Annotated[Optional[str], typer.Option("--title", help="The report's title.")] = None,
        workspace: WorkspaceOpt = DEFAULT_WS,
        run: Annotated[Optional[str], typer.Option(
            "--run", help="Detect run id or output folder (default: the workspace's latest detect run).")] = None,
        ledger: Annotated[Optional[str], typer.Option(
            "--ledger", help="Ledger URL for case ids (default: the workspace's ledger).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ) -> None:
        """Write a disclosure report: counts, reach, time span, how it was found, attribution,
        DISARM behaviours, example posts, evidence and pictures, as HTML, Markdown and JSON."""
        from lockstep.report.subject import resolve
        from lockstep.report.write import write_report
        from lockstep.store import open_workspace

        with open_workspace(workspace, create=False, read_only=True) as ws:
            subject = resolve(ws, ref, run, ledger)
            res = write_report(ws, subject, out_dir, pdf=pdf, title=title)
        typer.echo(json.dumps(res.to_dict(), indent=1, default=str) if as_json else res.line())
