"""`lockstep case ...`: network cases, decisions and appeals (library: lockstep.cases)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from lockstep.cli.common import DEFAULT_WS, WorkspaceOpt
from lockstep.cli.ledger_cmd import JsonOpt, LedgerOpt, emit, open_for
from lockstep.errors import UserError

ByOpt = Annotated[str, typer.Option("--by", help="Who is acting (recorded with the event).")]
RequestOpt = Annotated[Optional[str], typer.Option(
    "--request-id", help="Idempotency key: a retried command with the same id acts only once.")]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help="Free text kept in the ledger (never exported).")]
RunOpt = Annotated[Optional[str], typer.Option(
    "--run", help="A detect output folder or run id (default: the workspace's latest detect run).")]
FileOpt = Optional[Path]


def _run(workspace: Path, run: str | None) -> Any:
    from lockstep.cases.evidence import read_detect_run
    if run is not None and Path(run).is_dir():
        return read_detect_run(Path(run))
    from lockstep.outputs import run_dir
    from lockstep.store import open_workspace
    with open_workspace(workspace, create=False, read_only=True) as ws:
        folder = run_dir(ws, run)
    return read_detect_run(folder)


def _subjects(accounts: FileOpt, pages: FileOpt, groups: FileOpt) -> tuple[dict[str, list[str]], dict[str, str],
                                                                          list[str]]:
    from lockstep.cases.subjects import read_subjects
    subjects: dict[str, list[str]] = {}
    sources: dict[str, str] = {}
    set_aside: list[str] = []
    for kind, path in (("account", accounts), ("page", pages), ("group", groups)):
        if path is not None:
            got = read_subjects(path, kind)
            subjects[kind], sources[kind] = got.ids, path.name
            set_aside += got.set_aside
    for line in set_aside:
        typer.secho(f"warning: set aside {line}", fg=typer.colors.YELLOW, err=True)
    return subjects, sources, set_aside


def _recorded(res: Any, as_json: bool, text: str, set_aside: list[str] | None = None) -> None:
    d = res.as_dict()
    if set_aside:
        d["set_aside"] = set_aside
    again = " (request id seen before: nothing new written)" if res.replayed else ""
    emit(d, as_json, f"{text}{again}")


def register(app: typer.Typer) -> None:
    case = typer.Typer(help="Network cases: open, grow, decide, appeal, and read them back.", no_args_is_help=True)
    app.add_typer(case, name="case")

    @case.command("open")
    def open_(campaign: Annotated[str, typer.Option("--campaign", help="Campaign id, as in campaigns.json.")],
              by: ByOpt, workspace: WorkspaceOpt = DEFAULT_WS, run: RunOpt = None,
              title: Annotated[Optional[str], typer.Option("--title")] = None,
              ledger: LedgerOpt = None, request_id: RequestOpt = None, as_json: JsonOpt = False) -> None:
        """Open a case on one campaign of a detection run; its evidence becomes version 1."""
        from lockstep.cases.service import open_case
        detect_run = _run(workspace, run)
        with open_for(workspace, ledger) as led:
            res = open_case(led, detect_run, campaign, by, title, request_id)
        _recorded(res, as_json, f"opened case {res.case_id}: campaign {campaign}, evidence {res.ids['evidence'][:12]}")

    @case.command("add")
    def add(case_id: Annotated[str, typer.Argument(help="Case id.")], by: ByOpt,
            workspace: WorkspaceOpt = DEFAULT_WS, run: RunOpt = None,
            campaign: Annotated[Optional[str], typer.Option("--campaign", help="Campaign of --run (default: the"
                                                            " one sharing most accounts with the case).")] = None,
            accounts: Annotated[FileOpt, typer.Option("--accounts", help="File of account ids.")] = None,
            pages: Annotated[FileOpt, typer.Option("--pages", help="File of page ids.")] = None,
            groups: Annotated[FileOpt, typer.Option("--groups", help="File of group ids.")] = None,
            ledger: LedgerOpt = None, request_id: RequestOpt = None, as_json: JsonOpt = False) -> None:
        """Grow a case: a later detection run, or accounts, pages and groups from files (a new version)."""
        from lockstep.cases.service import add_run, add_subjects
        subjects, sources, set_aside = _subjects(accounts, pages, groups)
        if run is None and not subjects and campaign is None:
            raise UserError("case add: give --run (a later detection run), --accounts, --pages or --groups")
        if subjects and (run is not None or campaign is not None):
            raise UserError("case add: give either --run/--campaign or files of ids, not both (two versions)")
        with open_for(workspace, ledger) as led:
            res = (add_subjects(led, case_id, subjects, sources, by, request_id) if subjects
                   else add_run(led, case_id, _run(workspace, run), by, campaign, request_id))
        _recorded(res, as_json, f"case {case_id}: evidence v{res.ids['version']} {res.ids['evidence'][:12]}", set_aside)

    @case.command("decide")
    def decide(case_id: Annotated[str, typer.Argument(help="Case id.")],
               action: Annotated[str, typer.Option("--action", help="suspend|remove|restore|dismiss|label")],
               by: ByOpt, workspace: WorkspaceOpt = DEFAULT_WS,
               reason: Annotated[Optional[str], typer.Option("--reason", help="Reason code of the policy.")] = None,
               accounts: Annotated[FileOpt, typer.Option("--accounts", help="Only these accounts (file).")] = None,
               pages: Annotated[FileOpt, typer.Option("--pages", help="Only these pages (file).")] = None,
               groups: Annotated[FileOpt, typer.Option("--groups", help="Only these groups (file).")] = None,
               note: NoteOpt = None,
               automated: Annotated[bool, typer.Option("--automated", help="Taken by an automated system,"
                                                       " without a human confirming it.")] = False,
               policy: Annotated[FileOpt, typer.Option("--policy", envvar="LOCKSTEP_POLICY",
                                                       help="A policy file extending the bundled one.")] = None,
               ledger: LedgerOpt = None, request_id: RequestOpt = None, as_json: JsonOpt = False) -> None:
        """Decide on a case's subjects (default: all of them); one ledger event per subject."""
        from lockstep.cases.policy import load_policy
        from lockstep.cases.service import decide as decide_
        pol = load_policy(policy)
        subjects, _, set_aside = _subjects(accounts, pages, groups)
        with open_for(workspace, ledger) as led:
            res = decide_(led, pol, case_id, action, by, reason, subjects or None, note, automated, request_id)
        _recorded(res, as_json, f"case {case_id}: {res.ids['decision_id']} {action} on {res.ids['n_subjects']}"
                  f" subjects (policy {pol.version})", set_aside)

    @case.command("appeal")
    def appeal(case_id: Annotated[str, typer.Argument(help="Case id.")], by: ByOpt,
               workspace: WorkspaceOpt = DEFAULT_WS,
               decision: Annotated[Optional[str], typer.Option("--decision", help="File an appeal against"
                                                               " this decision id.")] = None,
               resolve: Annotated[Optional[str], typer.Option("--resolve", help="Resolve this appeal id.")] = None,
               outcome: Annotated[Optional[str], typer.Option("--outcome", help="uphold|overturn (with"
                                                              " --resolve)")] = None,
               accounts: Annotated[FileOpt, typer.Option("--accounts", help="Only these accounts (file).")] = None,
               note: NoteOpt = None, ledger: LedgerOpt = None, request_id: RequestOpt = None,
               as_json: JsonOpt = False) -> None:
        """File an appeal against a decision, or resolve one (--resolve ID --outcome uphold|overturn)."""
        from lockstep.cases.service import appeal as appeal_, resolve_appeal
        if (decision is None) == (resolve is None):
            raise UserError("case appeal: give --decision ID (file an appeal) or --resolve ID --outcome ...")
        if resolve is not None and outcome is None:
            raise UserError("case appeal --resolve: --outcome uphold|overturn is required")
        subjects, _, set_aside = _subjects(accounts, None, None)
        with open_for(workspace, ledger) as led:
            if decision is not None:
                res = appeal_(led, case_id, decision, by, subjects or None, note, request_id)
                text = f"case {case_id}: appeal {res.ids['appeal_id']} against {decision} ({res.ids['n_subjects']} subjects)"
            else:
                res = resolve_appeal(led, case_id, str(resolve), str(outcome), by, note, request_id)
                text = f"case {case_id}: appeal {resolve} {res.ids['outcome']} ({res.ids['n_subjects']} subjects)"
        _recorded(res, as_json, text, set_aside)

    @case.command("list")
    def list_(workspace: WorkspaceOpt = DEFAULT_WS, ledger: LedgerOpt = None, as_json: JsonOpt = False) -> None:
        """Every case with its subjects' states."""
        from lockstep.cases.view import list_cases
        with open_for(workspace, ledger) as led:
            rows = list_cases(led)
        lines = [f"{r['id']}\t{r['title']}\tv{r['versions']}\t{r['n_subjects']} subjects\t"
                 + ", ".join(f"{k} {v}" for k, v in r["states"].items()) for r in rows]
        emit(rows, as_json, "\n".join(lines) or "no cases")

    @case.command("show")
    def show(case_id: Annotated[str, typer.Argument(help="Case id.")], workspace: WorkspaceOpt = DEFAULT_WS,
             ledger: LedgerOpt = None, as_json: JsonOpt = False) -> None:
        """One case: evidence versions, decisions, appeals and subjects."""
        from lockstep.cases.view import show_case
        with open_for(workspace, ledger) as led:
            d = show_case(led, case_id)
        lines = [f"case {d['id']}: {d['title']} (opened {d['opened_at']} by {d['opened_by']})",
                 *(f"  evidence v{v['version']}: {v['source']} {v['run_id'] or ''} {v['n_subjects']} subjects,"
                   f" {v['n_edges']} edges, {v['snapshot'][:12]}" for v in d["evidence_versions"]),
                 *(f"  {x['decision_id']}: {x['action']} {x['reason'] or ''} on {x['n_subjects']} by {x['by']}"
                   for x in d["decisions"]),
                 "  states: " + ", ".join(f"{k} {v}" for k, v in d["states"].items())]
        emit(d, as_json, "\n".join(lines))

    @case.command("history")
    def history(case_id: Annotated[str, typer.Argument(help="Case id.")], workspace: WorkspaceOpt = DEFAULT_WS,
                ledger: LedgerOpt = None, as_json: JsonOpt = False) -> None:
        """Every event of the case, in order."""
        from lockstep.cases.view import history as history_
        with open_for(workspace, ledger) as led:
            rows = history_(led, case_id)
        emit(rows, as_json, "\n".join(f"{r['seq']:>6} {r['created_at'][:19]} {r['actor']}: {r['text']}" for r in rows))

    @case.command("status")
    def status(case_id: Annotated[str, typer.Argument(help="Case id.")], workspace: WorkspaceOpt = DEFAULT_WS,
               ledger: LedgerOpt = None, as_json: JsonOpt = False) -> None:
        """Each subject's current state, derived from the events alone."""
        from lockstep.cases.view import status as status_
        with open_for(workspace, ledger) as led:
            rows = [s.as_dict() for s in status_(led, case_id)]
        emit(rows, as_json, "\n".join(f"{r['kind']}\t{r['id']}\t{r['state']}\t{r['reason'] or ''}\t"
                                      f"{r['decision_id'] or ''}\t{r['appeal'] or ''}" for r in rows))

    @case.command("export")
    def export(case_id: Annotated[str, typer.Argument(help="Case id.")],
               fmt: Annotated[str, typer.Option("--format", help="enforcement|sor")],
               out: Annotated[Path, typer.Option("--out", help="A .json or .csv file.")],
               workspace: WorkspaceOpt = DEFAULT_WS, ledger: LedgerOpt = None, as_json: JsonOpt = False) -> None:
        """An enforcement list, or DSA statements of reasons, for one case."""
        from lockstep.cases.export import export_case
        with open_for(workspace, ledger) as led:
            res = export_case(led, case_id, fmt, out)
        emit(res.as_dict(), as_json, f"wrote {res.rows} {fmt} rows to {res.out}")
