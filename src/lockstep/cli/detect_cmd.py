"""``lockstep detect``: every declared parameter is also a flag.

Why the flags are generated: parameters are declared once (core settings and each
signal's), so a new parameter is a flag, a TOML key and a params.json field at once.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt, out
from lockstep.params import Param


def _option(p: Param) -> inspect.Parameter:
    if p.type is bool:
        ann: Any = Annotated[Optional[bool], typer.Option(f"{p.flag}/--no-{p.flag[2:]}", help=p.help,
                                                          show_default=False)]
    else:
        typ = str if p.type is list else p.type
        ann = Annotated[Optional[typ], typer.Option(p.flag, help=f"{p.help} \\[default: {_show(p.default)}]",
                                                    show_default=False)]
    return inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ann)


def _show(v: Any) -> str:
    return ",".join(v) if isinstance(v, list) else str(v)


def register(app: typer.Typer) -> None:
    from lockstep.detect.settings import all_params

    params = all_params()

    def detect(workspace: Path, out_dir: Path, config: Optional[Path], **flags: Any) -> None:
        from lockstep.store import open_workspace
        from lockstep.workflow import run_detection

        with open_workspace(workspace, create=False) as ws:
            outcome = run_detection(ws, out_dir, progress=True, config=config, flags=flags)
        out.print(outcome.summary.line(), markup=False, highlight=False)

    base = [
        inspect.Parameter("workspace", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_WS,
                          annotation=WorkspaceOpt),
        inspect.Parameter("out_dir", inspect.Parameter.KEYWORD_ONLY, default=...,
                          annotation=Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]),
        inspect.Parameter("config", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=Annotated[Optional[Path], typer.Option(
                              "--config", "-c", help="TOML file with parameters (\\[detect] table).")]),
    ]
    sig = inspect.Signature([*base, *(_option(p) for p in params.values())])

    def command(**kwargs: Any) -> None:
        workspace = kwargs.pop("workspace")
        out_dir = kwargs.pop("out_dir")
        config = kwargs.pop("config")
        detect(workspace, out_dir, config, **kwargs)

    command.__signature__ = sig  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in sig.parameters.values()}
    command.__doc__ = ("Find campaigns: accounts acting in lockstep, with the evidence for every link."
                       " Settings: defaults -> --preset -> --config TOML -> flags; all recorded in"
                       " OUT/params.json and campaigns.json.")
    app.command("detect")(command)
