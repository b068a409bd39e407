"""`lockstep ledger verify`: check the hash chain; plus the options every case command shares."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt
from lockstep.errors import UserError

LedgerOpt = Annotated[Optional[str], typer.Option(
    "--ledger", envvar="LOCKSTEP_LEDGER",
    help="Ledger database URL, e.g. postgresql://USER@HOST/DB (default: WORKSPACE/ledger.sqlite).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the same data as JSON.")]


def emit(data: Any, as_json: bool, text: str) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str) if as_json else text)


@contextmanager
def open_for(workspace: Path, ledger: str | None) -> Iterator[Any]:
    """The ledger of ``workspace`` (or the --ledger URL); the workspace must exist either way."""
    from lockstep.store.ledger import open_ledger, resolve_url
    from lockstep.store.workspace import DB_NAME
    if not (Path(workspace) / DB_NAME).exists():
        raise UserError(f"no lockstep workspace at {workspace} (run `lockstep ingest ... --workspace {workspace}` first)")
    led = open_ledger(resolve_url(Path(workspace), ledger))
    try:
        yield led
    finally:
        led.close()


def register(app: typer.Typer) -> None:
    ledger_app = typer.Typer(help="The tamper-evident ledger of cases and decisions.", no_args_is_help=True)
    app.add_typer(ledger_app, name="ledger")

    @ledger_app.command("verify")
    def verify(workspace: WorkspaceOpt = DEFAULT_WS, ledger: LedgerOpt = None, as_json: JsonOpt = False) -> None:
        """Recompute the hash chain; name every edited, deleted or reordered row. Exit 1 if any."""
        from lockstep.store.ledger import verify as verify_
        with open_for(workspace, ledger) as led:
            rep = verify_(led)
        head = f"{rep.backend} {rep.url}: {rep.n_events} events, {rep.n_snapshots} snapshots, head {rep.head[:16]}"
        text = head + (": chain verifies" if rep.ok else "".join(f"\n  {p}" for p in rep.problems))
        emit(rep.as_dict(), as_json, text)
        if not rep.ok:
            raise typer.Exit(1)
