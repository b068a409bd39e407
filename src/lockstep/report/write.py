"""``lockstep report``: build the report of a campaign or case, draw its pictures, and write
report.html, report.md, report.json and figures/*.png (and report.pdf with ``pdf``) into
``out_dir``, all from one :class:`~lockstep.report.model.Report`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lockstep.errors import EngineError, UserError
from lockstep.report.figures import draw_all
from lockstep.report.model import Report, build_report
from lockstep.report.render import render_html, render_json, render_markdown
from lockstep.report.subject import Subject
from lockstep.store.workspace import Workspace


@dataclass
class ReportFiles:
    """What was written, and the report it shows."""

    out_dir: Path
    report: Report
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"out_dir": str(self.out_dir), "files": self.files, "subject": self.report.subject,
                "summary": self.report.summary}

    def line(self) -> str:
        s = self.report.summary
        roles = ", ".join(f"{n} {r}" for r, n in s["by_role"].items())
        return (f"report on {self.report.subject['kind']} {self.report.subject['id']}: {s['n_accounts']} accounts"
                f" ({roles}), {s['n_pages']} pages, {s['n_groups']} groups, {s['followers_reached']} followers"
                f" reached -> {self.out_dir} ({', '.join(self.files)})")


def write_report(ws: Workspace, subject: Subject, out_dir: Path, pdf: bool = False,
                 title: str | None = None) -> ReportFiles:
    """Write the report of ``subject`` into ``out_dir``."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"--out {out_dir}: is a file, not a folder")
    if pdf:
        from lockstep.report.pdf import chromium_path
        chromium_path()  # fail before the work, not after it
    report = build_report(ws, subject, title)
    figures = draw_all(report, subject)
    (out_dir / "figures").mkdir(parents=True, exist_ok=True)
    figure_files = {}
    for name, f in figures.items():
        (out_dir / "figures" / f"{name}.png").write_bytes(f["png"])
        figure_files[name] = f"figures/{name}.png"
    html = out_dir / "report.html"
    html.write_text(render_html(report, figures), encoding="utf-8")
    (out_dir / "report.md").write_text(render_markdown(report, figures, figure_files), encoding="utf-8")
    (out_dir / "report.json").write_text(render_json(report, figure_files), encoding="utf-8")
    written = ["report.html", "report.md", "report.json", *figure_files.values()]
    if pdf:
        from lockstep.report.pdf import open_page
        load = open_page(html, pdf=out_dir / "report.pdf")
        if load.problems():
            raise EngineError(f"{html}: the page did not render cleanly in Chromium: {load.problems()[0]}")
        written.append("report.pdf")
    return ReportFiles(out_dir=out_dir, report=report, files=written)
