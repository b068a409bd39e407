"""Entry point of the ``lockstep`` command.

Each command lives in ``lockstep/cli/<name>_cmd.py`` and exposes ``register(app)``;
errors of type ``LockstepError`` become one clear line and an exit code, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer

from lockstep import __version__
from lockstep.errors import EngineError, LockstepError

COMMANDS = ("ingest", "stats", "simulate", "demo", "detect", "explain", "watch", "case", "ledger", "ads", "report", "export", "share", "share_match")

app = typer.Typer(
    name="lockstep",
    help="Find networks of accounts acting in lockstep, and show the evidence for every link.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(f"lockstep {__version__}")
        raise typer.Exit()


def _register() -> None:
    """Every command module is part of the package: a missing one is a packaging bug and
    fails loudly here, never a silently absent command."""
    for name in COMMANDS:
        importlib.import_module(f"lockstep.cli.{name}_cmd").register(app)


_register()


def run(argv: list[str] | None = None) -> int:
    """Run the CLI; map lockstep errors to their exit codes."""
    try:
        rc = app(args=argv, standalone_mode=False)
    except LockstepError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        typer.secho("aborted", err=True)
        return 130
    except KeyboardInterrupt:
        typer.secho("interrupted", err=True)
        return 130
    except Exception as exc:  # usage errors (unknown flag, bad value) carry their own exit code
        if type(exc).__name__ == "InterruptException" or (  # Ctrl-C inside a DuckDB query
                type(exc) is RuntimeError and "query interrupted" in str(exc).lower()):
            typer.secho("interrupted", err=True)
            return 130
        if _out_of_resources(exc):  # a query anywhere ran out of memory or disk: say so, no traceback
            typer.secho(f"error: the database engine ran out of memory or disk: {str(exc).splitlines()[0]}"
                        " (free disk space where it spills, the workspace's tmp/ folder, or raise"
                        " LOCKSTEP_MEMORY_LIMIT)", fg=typer.colors.RED, err=True)
            return EngineError.exit_code
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if isinstance(exc, typer.TyperException) or (callable(show) and isinstance(code, int)):
            exc.show()  # type: ignore[attr-defined]
            return int(code) if isinstance(code, int) else 2
        raise
    return int(rc) if isinstance(rc, int) else 0


def _out_of_resources(exc: BaseException) -> bool:
    """DuckDB's out-of-memory and out-of-disk errors, by name (the CLI does not import the
    engine's library: only store/, engine/ and ingest/ do)."""
    name, module = type(exc).__name__, type(exc).__module__ or ""
    return "duckdb" in module and (name == "OutOfMemoryException"
                                   or (name == "IOException" and "no space left" in str(exc).lower()))


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
