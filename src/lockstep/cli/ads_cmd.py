"""``lockstep ads``: advertiser eligibility against the state-media registry (docs/ads.md).

``ads check`` decides advertisers, ``ads scan`` finds running ads to take down, ``ads registry``
shows, searches and updates the registry. A thin layer: the work is in ``lockstep.ads``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from lockstep.cli.common import DEFAULT_WS, console, out
from lockstep.errors import UserError

if TYPE_CHECKING:
    from lockstep.ads.records import Rejected

WsOpt = Annotated[Optional[Path], typer.Option(
    "--workspace", "-w", envvar="LOCKSTEP_WORKSPACE",
    help="Workspace folder: its imported registry and local changes are used, decisions are logged "
         "to WS/ads/decisions.jsonl (default ./lockstep-workspace/ when it exists).")]
PolicyOpt = Annotated[Optional[Path], typer.Option("--policy", help="Policy TOML file (default: the bundled policy).")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (recorded with who and when).")]


def _ws_read(workspace: Path | None) -> Path | None:
    if workspace is None:
        return DEFAULT_WS if DEFAULT_WS.is_dir() else None
    if not workspace.is_dir():
        raise UserError(f"{workspace}: no lockstep workspace (no such folder)")
    return workspace


def _ws_write(workspace: Path | None) -> Path:
    ws = workspace or DEFAULT_WS
    if ws.exists() and not ws.is_dir():
        raise UserError(f"{ws}: is a file, not a workspace folder")
    return ws


def register(app: typer.Typer) -> None:
    ads = typer.Typer(help="Advertiser eligibility against the state-media registry.", no_args_is_help=True)
    reg = typer.Typer(help="Show, search and update the state-media registry.", no_args_is_help=True)
    ads.add_typer(reg, name="registry")
    app.add_typer(ads, name="ads")

    @ads.command("check")
    def check(
        advertisers_file: Annotated[Path, typer.Argument(help="CSV with columns name, domain [, advertiser, handles, landing_urls, redirects].")],
        out_file: Annotated[Optional[Path], typer.Option("--out", help="Write decisions here (default: stdout).")] = None,
        policy: PolicyOpt = None,
        workspace: WsOpt = None,
    ) -> None:
        """Decide each advertiser: eligible, ineligible or review, with the rule and the evidence."""
        from lockstep.ads.check import check_file
        from lockstep.ads.policy import load_policy

        ws = _ws_read(workspace)
        res = check_file(advertisers_file, out=out_file, workspace=ws, policy=load_policy(policy))
        c = Counter(res.counts)
        console.print(f"{len(res.decisions):,} advertisers: {c['ineligible']:,} ineligible, {c['review']:,} review, "
                      f"{c['eligible']:,} eligible; policy {res.policy.label}; registry {res.registry.version}"
                      + (f"; decisions in {res.out}" if res.out else ""))
        _report_rest(res.rejected, res.rejected_file, res.log, res.registry.local.get("warnings", []))

    @ads.command("scan")
    def scan(
        ads_file: Annotated[Path, typer.Argument(help="CSV or Parquet with columns ad_id, advertiser, landing_url [, advertiser_domain, advertiser_handle, text, status].")],
        topic: Annotated[Optional[list[str]], typer.Option("--topic", help="Watched topic term (repeatable); flags state-media ads whose text mentions it.")] = None,
        out_file: Annotated[Optional[Path], typer.Option("--out", help="Write flagged ads here (default: stdout).")] = None,
        policy: PolicyOpt = None,
        workspace: WsOpt = None,
    ) -> None:
        """Running ads whose advertiser or landing page is ineligible, and state-media ads on a watched topic."""
        from lockstep.ads.policy import load_policy
        from lockstep.ads.scan import scan_file

        ws = _ws_read(workspace)
        res = scan_file(ads_file, topics=tuple(topic or ()), out=out_file, workspace=ws, policy=load_policy(policy))
        c = res.counts
        reasons = ", ".join(f"{k[7:]} {v:,}" for k, v in c.items() if k.startswith("reason:")) or "none"
        console.print(f"{c['ads']:,} ads, {c['running']:,} running, {c['flagged']:,} flagged for takedown review "
                      f"({reasons}) in {res.seconds:.1f} s; policy {res.policy.label}; registry {res.registry.version}"
                      + (f"; flagged ads in {res.out}" if res.out else ""))
        _report_rest(res.rejected, res.rejected_file, res.log, res.registry.local.get("warnings", []))

    @reg.command("show")
    def show(
        entry_id: Annotated[Optional[str], typer.Argument(help="An entry id (default: a summary).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
        workspace: WsOpt = None,
    ) -> None:
        """The registry in force: version, source and counts, or one entry."""
        from lockstep.ads.registry import load_registry

        r = load_registry(_ws_read(workspace))
        if entry_id is not None:
            e = r.entries.get(entry_id)
            if e is None:
                raise UserError(f"no registry entry {entry_id!r} (try: lockstep ads registry search NAME)")
            data = e.to_json()
        else:
            data = {"version": r.version, "where": r.where, "source": r.source, "entries": len(r.entries),
                    "by_typology": dict(Counter(e.typology or "(none)" for e in r.entries.values()).most_common()),
                    "local": r.local}
        if as_json:
            out.print_json(json.dumps(data, ensure_ascii=False))
        else:
            for k, v in data.items():
                out.print(f"[bold]{k}[/bold]: {v}", highlight=False)

    @reg.command("search")
    def search(
        query: Annotated[str, typer.Argument(help="A domain, URL, handle (@x, twitter:@x) or name.")],
        policy: PolicyOpt = None,
        workspace: WsOpt = None,
    ) -> None:
        """Which entries a domain, handle or name matches, how, and what the policy decides."""
        from lockstep.ads.search import search_registry

        for line in search_registry(query, workspace=_ws_read(workspace), policy_path=policy):
            out.print(line, highlight=False, soft_wrap=True)

    @reg.command("import")
    def import_(
        path: Annotated[Path, typer.Argument(help="The source file (State_Media_Matrix.csv).")],
        source_date: Annotated[Optional[str], typer.Option("--source-date", help="Date of the source data, YYYY-MM[-DD] (default: the file's date).")] = None,
        fmt: Annotated[str, typer.Option("--format", help="Source format.")] = "state-media-matrix",
        out_file: Annotated[Optional[Path], typer.Option("--out", help="Write the registry file here instead of WS/ads/registry.json.")] = None,
        workspace: WsOpt = None,
    ) -> None:
        """Build a versioned registry file from a source; local changes are kept apart and re-applied."""
        from lockstep.ads.importer import import_registry
        from lockstep.ads.local import LocalChanges
        from lockstep.ads.registry import LOCAL_FILE, REGISTRY_FILE, ads_dir

        rep = import_registry(path, source_date, fmt)
        ws = _ws_write(workspace)
        dest = out_file or ads_dir(ws) / REGISTRY_FILE
        rep.registry.save(dest)
        console.print(f"registry {rep.registry.version}: {len(rep.registry.entries):,} outlets from "
                      f"{rep.rows:,} rows of {path} -> {dest}")
        for m in rep.set_aside + rep.cell_problems:
            console.print(f"  set aside: {path.name}: {m}", highlight=False)
        if out_file is None:
            merged = LocalChanges.load(ads_dir(ws) / LOCAL_FILE).apply(rep.registry)
            for w in merged.local.get("warnings", []):
                console.print(f"  local change: {w}", style="yellow", highlight=False)

    @reg.command("add")
    def add(
        name: Annotated[str, typer.Option("--name", help="The outlet's name.")],
        country: Annotated[str, typer.Option("--country", help="Its country.")],
        typology: Annotated[str, typer.Option("--typology", help="State Media Monitor code (SC, CaPu, CaPr, ISFM, ISF, ISM, IP).")],
        reason: ReasonOpt,
        company: Annotated[str, typer.Option("--company", help="Its owner or media company.")] = "",
        domain: Annotated[Optional[list[str]], typer.Option("--domain", help="A site or mirror (repeatable).")] = None,
        handle: Annotated[Optional[list[str]], typer.Option("--handle", help="platform:@handle or a profile URL (repeatable).")] = None,
        workspace: WsOpt = None,
    ) -> None:
        """Add a local entry (kept in WS/ads/registry-local.json, survives re-imports)."""
        from lockstep.ads.local import add_local

        eid = add_local(_ws_write(workspace), name=name, country=country, typology=typology, company=company,
                        domains=domain or [], handles=handle or [], reason=reason)
        console.print(f"added local entry {eid}")

    @reg.command("override")
    def override(
        entry_id: Annotated[str, typer.Argument(help="The entry to change.")],
        reason: ReasonOpt,
        typology: Annotated[Optional[str], typer.Option("--typology", help="Replace its typology code.")] = None,
        add_domain: Annotated[Optional[list[str]], typer.Option("--add-domain", help="Add a site or mirror (repeatable).")] = None,
        add_handle: Annotated[Optional[list[str]], typer.Option("--add-handle", help="Add a handle (repeatable).")] = None,
        drop_domain: Annotated[Optional[list[str]], typer.Option("--drop-domain", help="Remove a site wrongly listed (repeatable).")] = None,
        drop_handle: Annotated[Optional[list[str]], typer.Option("--drop-handle", help="Remove a handle wrongly listed (repeatable).")] = None,
        remove: Annotated[bool, typer.Option("--remove", help="Leave the entry out of the registry.")] = False,
        note: Annotated[str, typer.Option("--note", help="A note shown with the entry.")] = "",
        workspace: WsOpt = None,
    ) -> None:
        """Override an imported entry locally (kept apart from the import, survives re-imports)."""
        from lockstep.ads.local import override_local

        override_local(_ws_write(workspace), entry_id, typology=typology, add_domains=add_domain or [],
                       add_handles=add_handle or [], remove=remove, note=note, reason=reason,
                       drop_domains=drop_domain or [], drop_handles=drop_handle or [])
        console.print(f"override of {entry_id} recorded")


def _report_rest(rejected: list[Rejected], rejected_file: Path | None, log: Path | None, warnings: list[str]) -> None:
    if rejected:
        console.print(f"{len(rejected):,} rows set aside" + (f" in {rejected_file}" if rejected_file else "") + ":",
                      style="yellow", highlight=False)
        for r in rejected[:10]:
            console.print(f"  {r.message()}", highlight=False)
        if len(rejected) > 10:
            console.print(f"  ... and {len(rejected) - 10:,} more", highlight=False)
    for w in warnings:
        console.print(f"local change: {w}", style="yellow", highlight=False)
    if log is not None:
        console.print(f"decisions logged to {log}", highlight=False)
