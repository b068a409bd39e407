"""`lockstep watch SOURCE`: alert on new accounts that match known campaigns, as they act."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt, console


def register(app: typer.Typer) -> None:
    @app.command("watch")
    def watch(
        source: Annotated[str, typer.Argument(help="A growing JSONL/CSV file, or - for stdin.")],
        workspace: WorkspaceOpt = DEFAULT_WS,
        fmt: Annotated[Optional[str], typer.Option("--format", help="Input format (any ingest format;"
                                                   " default: detected).")] = None,
        follow: Annotated[bool, typer.Option("--follow/--once", help="Keep reading as the file grows"
                                             " (tail -f), or read what is there and stop.")] = True,
        run: Annotated[Optional[str], typer.Option("--run", help="Detect run whose campaigns to"
                                                   " match (default: the latest).")] = None,
        poll: Annotated[float, typer.Option("--poll", help="Seconds between reads of a file.")] = 0.5,
        max_idle: Annotated[Optional[float], typer.Option("--max-idle", help="Stop following after this"
                                                          " many seconds without new data.")] = None,
    ) -> None:
        """Score accounts as their actions arrive against the latest detect run's campaigns
        (engagement with core posts, creation bursts, infrastructure); print alerts as JSON lines
        and append them to WORKSPACE/alerts.jsonl. State survives a restart."""
        from lockstep.roles.watch import Watcher
        from lockstep.store import open_workspace

        with open_workspace(workspace, create=False) as ws:
            w = Watcher(ws, source, fmt, run)
            console.print(f"watching {source} against {len(w.fps)} campaign(s) of run {w.run_id}"
                          f" (from byte {w.src['offset']})")
            try:
                summary = w.run(follow=follow, poll=poll, max_idle=max_idle)
            except KeyboardInterrupt:
                summary = w.summary()
        console.print("watch summary: " + json.dumps(summary))
