"""The report's three faces from one :class:`~lockstep.report.model.Report`: a self-contained
HTML page (pictures inlined as base64 PNG, no script, no network), its Markdown twin (pictures
as files beside it) and its JSON twin (the same data, and the series behind each picture)."""

from __future__ import annotations

import base64
import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from lockstep.report.model import Report

_env = Environment(loader=PackageLoader("lockstep.report", "templates"), autoescape=select_autoescape(["html", "j2"]),
                   trim_blocks=False, lstrip_blocks=False)


def render_html(report: Report, figures: dict[str, dict[str, Any]]) -> str:
    """The HTML page; ``figures``: name -> title, caption, png bytes."""
    figs = {k: {"title": v["title"], "caption": v["caption"], "b64": base64.b64encode(v["png"]).decode("ascii")}
            for k, v in figures.items()}
    return _env.get_template("report.html.j2").render(r=report, figures=figs)


def render_json(report: Report, figure_files: dict[str, str]) -> str:
    return json.dumps({**report.to_dict(), "figures": figure_files}, indent=1, ensure_ascii=False, default=str) + "\n"


def _cell(v: Any) -> str:
    return str(v if v is not None else "").replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list[Any]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def render_markdown(report: Report, figures: dict[str, dict[str, Any]], figure_files: dict[str, str]) -> str:
    r, s = report, report.summary
    parts = [f"# {r.title}", "",
             f"{r.subject['kind']} **{r.subject['id']}** · detection run {r.subject['run_id'] or 'unknown'}"
             f" · generated {r.generated_at} by lockstep", "", "## Summary", "",
             _table(["accounts", "pages", "groups", "followers reached", "group members", "actions", "active days"],
                    [[s["n_accounts"], s["n_pages"], s["n_groups"], s["followers_reached"], s["group_members"],
                      s["n_actions"], s["days"]]]), "",
             f"Time span: {s['first_action'] or 'n/a'} to {s['last_action'] or 'n/a'} (UTC). Operation score:"
             f" {s['score'] if s['score'] is not None else 'n/a'}.", "",
             _table(["role", "accounts"], [[k, v] for k, v in s["by_role"].items()]), "",
             "## How it was found", "",
             f"{r.how_found['n_coordinated']} accounts acted in lockstep; {r.how_found['n_expanded']} more were added"
             " as amplifiers engaging them.", "",
             _table(["signal", "edges"], [[k, v] for k, v in r.how_found["signals"].items()]), "",
             "## Attribution signals", "",
             _table(["signal", "strength", "what was found"], [[a["item"], a["strength"], a["text"]]
                                                               for a in r.attribution])
             if r.attribution else f"No scored campaign evidence was recorded for this {r.subject['kind']}.", "",
             f"Time zone: UTC{r.time_zone['utc_offset']:+d} ({r.time_zone['source']}).", "",
             "## Behaviours (DISARM techniques)", "",
             _table(["technique", "name", "shown by"], [[b["technique_id"], b["technique"], "; ".join(b["shown_by"])]
                                                        for b in r.behaviours]), "",
             "## Pictures", ""]
    for name, f in figures.items():
        parts += [f"![{f['title']}]({figure_files[name]})", "", f"*{f['title']}: {f['caption']}*", ""]
    parts += ["## Pages and groups", "",
              _table(["id", "kind", "name", "followers", "members", "in this network"],
                     [[e["entity_id"], e["kind"], e["name"], e["followers"], e["n_members"], e["n_campaign_members"]]
                      for e in r.entities]) if r.entities else "None in the workspace.", "",
              "## Example posts", "",
              _table(["account", "time (UTC)", "post", "engagements"],
                     [[x["handle"] or x["account_id"], x["time"], x["text"], x["engagements"]] for x in r.examples]), "",
              "## Evidence", "", f"{len(r.evidence)} of {s['n_accounts']} accounts, highest score first.", "",
              _table(["account", "handle", "role", "score", "evidence"],
                     [[e["account_id"], e["handle"], e["role"], f"{e['score']:.3f}", e["evidence"]] for e in r.evidence]),
              ""]
    return "\n".join(parts)
