"""`lockstep share match TIP_FILE`: search this platform's data for a tip's actor
(library: lockstep.share.match). Adds ``match`` to the ``share`` group of cli/share_cmd.py."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from lockstep.cli.case_cmd import RequestOpt
from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt
from lockstep.cli.ledger_cmd import LedgerOpt
from lockstep.cli.share_cmd import share_app


def _default_by() -> str:
    try:
        return getpass.getuser() or "share-match"
    except (KeyError, OSError):  # no user name in containers without a passwd entry
        return "share-match"


@share_app.command("match")
def match(
    tip_file: Annotated[Path, typer.Argument(metavar="TIP_FILE",
                                             help="STIX 2.1 bundle, or a Meta threat-research CSV/TSV/JSON file.")],
    out: Annotated[Path, typer.Option("--out", help="Match report CSV to write (the HTML report goes beside it).")],
    workspace: WorkspaceOpt = DEFAULT_WS,
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", help="Confidence (0-1) at which a candidate is a match and joins the case.")] = 0.7,
    by: Annotated[Optional[str], typer.Option("--by", help="Who opens the case (default: your user name).")] = None,
    no_case: Annotated[bool, typer.Option("--no-case", help="Write the report only; open no case.")] = False,
    title: Annotated[Optional[str], typer.Option("--title", help="Title of the case.")] = None,
    ledger: LedgerOpt = None,
    request_id: RequestOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Find the tip's accounts, pages and groups on this platform (names, links, texts,
    behaviour, connections), write a report with a confidence and reasons for each, and open
    a case seeded with the matches (advisory: no decision is made)."""
    from lockstep.share.match.service import run_match

    res = run_match(workspace, tip_file, out, min_confidence=min_confidence, by=by or _default_by(),
                    open_case=not no_case, ledger_url=ledger, title=title, request_id=request_id)
    typer.echo(json.dumps(res.summary(), ensure_ascii=False, indent=1) if as_json else res.lines())


def register(app: typer.Typer) -> None:
    """``match`` is registered on ``share_app`` at import; nothing to add to the root app."""
