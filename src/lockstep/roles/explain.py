"""Plain-words explanation of one account from a detect run's evidence (account_evidence.json),
falling back to computing its account signals live when no run mentions it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lockstep.errors import UserError
from lockstep.outputs.read import read_evidence
from lockstep.store.queries.profile import account_profile, count_actions
from lockstep.store.runs import find_run as find_recorded_run
from lockstep.store.runs import recent_runs
from lockstep.store.workspace import Workspace


def find_run(ws: Workspace, run_id: str | None) -> dict[str, Any] | None:
    if run_id is None:
        run = ws.latest_run("detect")
        return {"run_id": run["run_id"], "out_dir": run["out_dir"]} if run else None
    found = find_recorded_run(ws, run_id)
    if found is None:
        known = recent_runs(ws, "detect", 5)
        raise UserError(f"no run {run_id!r} in {ws.path} (latest: {', '.join(known) or 'none'})")
    return {"run_id": found["run_id"], "out_dir": found["out_dir"]}


def account_report(ws: Workspace, account_id: str, run_id: str | None = None) -> dict[str, Any]:
    """Everything lockstep can say about one account, as a JSON-ready dict."""
    profile = account_profile(ws, account_id)
    n_actions = count_actions(ws, account_id)
    run = find_run(ws, run_id)
    ev = read_evidence(Path(run["out_dir"])) if run else {"accounts": {}, "campaigns": {}}
    acc = ev.get("accounts", {}).get(account_id)
    if acc is None and not profile and not n_actions:
        raise UserError(f"unknown account {account_id!r}: not in workspace {ws.path}"
                        + (f" nor in run {run['run_id']}" if run else ""))
    if acc is None:  # not in any campaign: show its account signals, computed now
        from lockstep.accounts import compute_findings
        from lockstep.roles.score import finding_evidence
        found = compute_findings(ws).get(account_id, [])
        acc = {"account_id": account_id, "campaign_id": None, "role": "", "flagged": False, "score": None,
               "role_reason": "not in any campaign of this run" if run else
               "no detect run in this workspace yet", "note": None,
               "evidence": [e.to_dict() for e in finding_evidence(found)]}
    report: dict[str, Any] = {"run": {k: str(v) for k, v in (run or {}).items() if k in ("run_id", "out_dir")},
                              "n_actions_in_workspace": int(n_actions), **acc}
    if profile:
        h, name, desc, fol, fing, created, platform = profile
        report["profile"] = {"handle": h, "display_name": name, "description": desc, "followers": fol,
                             "following": fing, "created_at": str(created) if created else None,
                             "platform": platform}
    cid = acc.get("campaign_id")
    if cid is not None and cid in ev.get("campaigns", {}):
        report["campaign"] = {"id": cid, **ev["campaigns"][cid]}
    return report


def render(report: dict[str, Any]) -> str:
    """The report in plain words, one line per piece of evidence, points first."""
    lines = []
    p = report.get("profile") or {}
    who = report["account_id"] + (f" (@{p['handle']}" + (f", \"{p['display_name']}\"" if p.get("display_name") else "")
                                  + ")" if p.get("handle") else "")
    if report.get("flagged"):
        lines.append(f"{who}: FLAGGED as {report['role']} of campaign {report['campaign_id']},"
                     f" score {report['score']:.2f}")
    elif report.get("score") is not None:
        lines.append(f"{who}: not flagged, score {report['score']:.2f}"
                     + (f" (campaign {report['campaign_id']})" if report.get("campaign_id") else ""))
    else:
        lines.append(f"{who}: not flagged ({report.get('role_reason')})")
    if p:
        lines.append(f"  profile: {p.get('followers')} followers, following {p.get('following')},"
                     f" created {p.get('created_at') or 'unknown'}; {report['n_actions_in_workspace']} actions stored")
    if report.get("role"):
        lines.append(f"  why {report['role']}: {report.get('role_reason')}")
    if report.get("note"):
        lines.append(f"  note: {report['note']}")
    evidence = report.get("evidence") or []
    if evidence:
        lines.append("  evidence (points add to the log-odds of being operated; content is context only):")
        for e in evidence:
            tag = " [content]" if e.get("content") else ""
            lines.append(f"    {e['points']:+5.2f}  {e['item']:<22}{e['text']}{tag}")
    else:
        lines.append("  no evidence: nothing unusual about this account")
    camp = report.get("campaign")
    if camp:
        lines.append(f"  campaign {camp['id']}: score {camp['score']:.2f}, "
                     + ("flagged as an operation" if camp.get("flagged") else "not flagged (looks authentic)"))
        for e in camp.get("evidence", []):
            lines.append(f"    {e['points']:+5.2f}  {e['item']:<22}{e['text']}")
    if report.get("run"):
        lines.append(f"  run {report['run'].get('run_id')} ({report['run'].get('out_dir')})")
    return "\n".join(lines)
