"""`lockstep share export|match ...`: cross-platform tips (library: lockstep.share).

``share_app`` is the ``share`` command group; other modules add their own commands to it
(``share match`` lives in cli/share_match_cmd.py and imports ``share_app``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt

share_app = typer.Typer(help="Share a network's indicators with other platforms, and investigate on a tip.",
                        no_args_is_help=True)


@share_app.command("export")
def export(
    ref: Annotated[str, typer.Argument(metavar="CAMPAIGN_OR_CASE", help="Campaign id or case id.")],
    fmt: Annotated[str, typer.Option("--format", help="stix (STIX 2.1 bundle) or csv (Meta's threat-research layout).")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    workspace: WorkspaceOpt = DEFAULT_WS,
    run: Annotated[Optional[str], typer.Option(
        "--run", help="Detect run id or output folder (default: the workspace's latest detect run).")] = None,
    tlp: Annotated[str, typer.Option("--tlp", help="TLP 2.0 level: clear, green, amber or red.")] = "amber",
    opinion: Annotated[Optional[str], typer.Option(
        "--opinion", help="confirmed or needs_investigation (default: confirmed for a decided case).")] = None,
    ledger: Annotated[Optional[str], typer.Option(
        "--ledger", help="Ledger URL for case ids (default: the workspace's ledger).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Write a campaign's or case's accounts, pages, groups, rare domains and URLs, text
    fingerprints, hashtags, activity windows and DISARM techniques as a tip for other platforms."""
    from lockstep.share.export import export_tip

    res = export_tip(workspace, ref, fmt=fmt, out=out, run=run, tlp=tlp, opinion=opinion, ledger=ledger)
    typer.echo(json.dumps(res.to_dict(), indent=1) if as_json else res.line())


def register(app: typer.Typer) -> None:
    app.add_typer(share_app, name="share")
