"""`lockstep export ...`: a transparency dataset (IO archive layout, small accounts hashed)
and the coordination graph (GEXF, GraphML, Parquet). Library: lockstep.export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt

RunOpt = Annotated[Optional[str], typer.Option(
    "--run", help="Detect run id or output folder (default: the workspace's latest detect run).")]
LedgerOpt = Annotated[Optional[str], typer.Option(
    "--ledger", help="Ledger URL for case ids (default: the workspace's ledger).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def register(app: typer.Typer) -> None:
    export = typer.Typer(help="Publish a network: transparency datasets and graph files.", no_args_is_help=True)
    app.add_typer(export, name="export")

    @export.command("transparency")
    def transparency(
        ref: Annotated[str, typer.Argument(metavar="CAMPAIGN_OR_CASE", help="Campaign id or case id.")],
        out_dir: Annotated[Path, typer.Option("--out", help="Folder for tweets.csv, users.csv, README.md.")],
        key_file: Annotated[Optional[Path], typer.Option(
            "--key-file", help="Secret HMAC key (default: WORKSPACE/keys/transparency.key, made on first use).")] = None,
        min_followers: Annotated[int, typer.Option(
            "--min-followers", help="Accounts with fewer followers are hashed.")] = 5000,
        workspace: WorkspaceOpt = DEFAULT_WS, run: RunOpt = None, ledger: LedgerOpt = None, as_json: JsonOpt = False,
    ) -> None:
        """Release a campaign's or case's tweets and accounts in the Information Operations
        archive layout, small accounts replaced by keyed hashes, after a release check."""
        from lockstep.export.hashing import read_key, workspace_key
        from lockstep.export.transparency import export_transparency
        from lockstep.report.subject import resolve
        from lockstep.store import open_workspace

        with open_workspace(workspace, create=False, read_only=True) as ws:
            subject = resolve(ws, ref, run, ledger)
            if key_file is not None:
                key = read_key(key_file)
            else:
                key, path, made = workspace_key(ws.path)
                typer.secho(f"{'made a new' if made else 'using the'} key {path} (keep it secret; pass it as"
                            " --key-file to hash the same way in later releases)", err=True)
            rel = export_transparency(ws, subject, out_dir, key, min_followers)
        typer.echo(json.dumps(rel.to_dict(), indent=1) if as_json else rel.line())

    @export.command("graph")
    def graph(
        ref: Annotated[Optional[str], typer.Argument(
            metavar="[CAMPAIGN_OR_CASE]", help="Campaign id or case id (default: every campaign of the run).")] = None,
        out_dir: Annotated[Path, typer.Option("--out", help="Folder for the graph file(s).")] = Path("graph"),
        fmt: Annotated[str, typer.Option("--format", help="gexf, graphml or parquet.")] = "gexf",
        min_size: Annotated[int, typer.Option("--min-size", help="Only campaigns with at least this many"
                                                                  " accounts.")] = 0,
        min_weight: Annotated[float, typer.Option("--min-weight", help="Only edges at least this heavy.")] = 0.0,
        workspace: WorkspaceOpt = DEFAULT_WS, run: RunOpt = None, ledger: LedgerOpt = None, as_json: JsonOpt = False,
    ) -> None:
        """Write the coordination graph with weights, signals and time ranges."""
        from lockstep.export.graph import export_graph
        from lockstep.report.subject import resolve, run_subjects
        from lockstep.store import open_workspace

        with open_workspace(workspace, create=False, read_only=True) as ws:
            if ref is not None:
                subjects = [s for s in [resolve(ws, ref, run, ledger)] if len(s.members) >= min_size]
            else:
                subjects = run_subjects(ws, run, min_size)
            g = export_graph(ws, subjects, out_dir, fmt, min_weight)
        res = {"out_dir": str(out_dir), "format": fmt, "n_campaigns": len(subjects), "n_nodes": len(g.nodes),
               "n_edges": len(g.edges)}
        typer.echo(json.dumps(res, indent=1) if as_json else
                   f"{len(g.nodes)} accounts, {len(g.edges)} edges of {len(subjects)} campaign(s) -> {out_dir} ({fmt})")
