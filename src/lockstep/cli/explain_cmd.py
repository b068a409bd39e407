"""`lockstep explain ACCOUNT_ID`: an account's evidence in plain words and numbers."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt, out


def register(app: typer.Typer) -> None:
    @app.command("explain")
    def explain(
        account_id: Annotated[str, typer.Argument(help="The account id, as stored in the workspace.")],
        workspace: WorkspaceOpt = DEFAULT_WS,
        run: Annotated[Optional[str], typer.Option("--run", help="Detect run id (default: the latest).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the same report as JSON.")] = False,
    ) -> None:
        """Say why an account was (or was not) flagged: role, score and every piece of evidence."""
        from lockstep.roles.explain import account_report, render
        from lockstep.store import open_workspace

        with open_workspace(workspace, create=False, read_only=True) as ws:
            report = account_report(ws, account_id, run)
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False, indent=1, default=str))
        else:
            out.print(render(report), highlight=False, markup=False, soft_wrap=True)
