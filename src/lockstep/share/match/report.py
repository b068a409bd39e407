"""The match report: a CSV of every candidate and an HTML page beside it, from one result.

Why one writer for both: the summary line, the CSV, the HTML and the case all count the
same :class:`~lockstep.share.match.run.MatchResult`, so they cannot disagree. The CSV has
exactly the columns the issue names (``platform,id,kind,confidence,reasons``), reasons
joined by " | ", strongest family first; the HTML is rendered by Jinja2 with autoescaping
(a tip is untrusted text: a handle like ``<script>`` must stay text).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from lockstep.errors import UserError
from lockstep.share.match.run import MatchResult
from lockstep.share.match.score import Match

COLUMNS = ("platform", "id", "kind", "confidence", "reasons")
_TEMPLATES = Path(__file__).parent / "templates"


def reasons_text(m: Match) -> str:
    return " | ".join(f"{r.family} {r.strength:.2f}: {r.text}" for r in m.top_reasons(8))


def _safe_cell(v: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: prefix them (a tip's text
    ends up in reasons)."""
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def html_path(out: Path) -> Path:
    return out.with_suffix(".html")


def write(result: MatchResult, out: Path, workspace: str, case_id: str | None = None) -> tuple[Path, Path]:
    """Write ``out`` (CSV) and the HTML beside it, each whole or not at all."""
    out = Path(out)
    if out.exists() and out.is_dir():
        raise UserError(f"--out {out}: is a folder; give a file name such as matches.csv")
    if not out.parent.exists():
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"--out {out}: cannot create its folder ({exc.strerror})") from None
    rows = [(m.platform, m.id, m.kind, f"{m.confidence:.3f}", _safe_cell(reasons_text(m))) for m in result.candidates]
    html = render_html(result, workspace, case_id)
    h = html_path(out)
    try:
        tmp = out.with_name(f".{out.name}.partial")
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(COLUMNS)
            w.writerows(rows)
        htmp = h.with_name(f".{h.name}.partial")
        htmp.write_text(html, encoding="utf-8")
        os.replace(tmp, out)
        os.replace(htmp, h)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot write ({exc.strerror})") from None
    return out, h


def render_html(result: MatchResult, workspace: str, case_id: str | None = None) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=select_autoescape(["html", "j2"]))
    cands = [{"platform": m.platform, "id": m.id, "kind": m.kind, "name": m.name, "confidence": m.confidence,
              "reasons_sorted": m.top_reasons(50)} for m in result.candidates]
    n_matches = len(result.matches)
    return env.get_template("match.html.j2").render(
        tip=result.tip, searched=result.searched, notes=result.notes, workspace=workspace,
        min_confidence=result.min_confidence, candidates=cands, n_matches=n_matches, by_kind=result.by_kind(),
        n_below=len(cands) - n_matches, case_id=case_id)
