"""``lockstep stats``: counts by platform, kind, time span, top items (tables or ``--json``)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt, out


def _table(title: str, rows: list[dict[str, Any]]) -> Table | None:
    if not rows:
        return None
    t = Table(title=title, title_justify="left")
    for k in rows[0]:
        t.add_column(k, justify="right" if isinstance(rows[0][k], int) else "left", overflow="fold")
    for r in rows:
        t.add_row(*(f"{v:,}" if isinstance(v, int) else ("" if v is None else str(v)) for v in r.values()))
    return t


def register(app: typer.Typer) -> None:
    @app.command("stats")
    def stats(
        workspace: WorkspaceOpt = DEFAULT_WS,
        as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
        top: Annotated[int, typer.Option("--top", min=1, help="How many top items to list.")] = 10,
    ) -> None:
        """What the workspace holds: counts by platform and kind, time span, top items."""
        from lockstep.stats import workspace_stats
        from lockstep.store import open_workspace

        with open_workspace(workspace, create=False, read_only=True) as ws:
            data = workspace_stats(ws, top=top)
        if as_json:
            out.print_json(json.dumps(data, default=str))
            return
        out.print(f"[bold]{data['workspace']}[/bold]: {data['actions']:,} actions, {data['accounts']:,} accounts,"
                  f" {data['access']:,} access events; "
                  + (f"{data['time_span']['first']} .. {data['time_span']['last']}"
                     if data['time_span']['first'] is not None else "no timestamps yet"))
        sections = [("by platform", data["by_platform"]), ("by kind", data["by_kind"]),
                    ("accounts by platform", data["accounts_by_platform"])]
        if data["access"]:
            sections.append(("access", data["access_summary"]))
        sections += [(f"top {k.replace('_', ' ')}", v) for k, v in data["top"].items()]
        for title, rows in sections:
            t = _table(title, rows)
            if t is not None:
                out.print(t)
