"""Options shared by every command, so flags are spelled the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


console = Console(stderr=True)
out = Console()

WorkspaceOpt = Annotated[
    Path,
    typer.Option("--workspace", "-w", help="Workspace folder (DuckDB database and side files).",
                 envvar="LOCKSTEP_WORKSPACE"),
]
# Same default as lockstep.store.DEFAULT_WORKSPACE, spelled here so `--help` need not load DuckDB.
DEFAULT_WS = Path("lockstep-workspace")
