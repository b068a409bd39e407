"""``lockstep share match`` as one library function: read the tip, search the workspace,
write the report, open the case, and say what was done in one summary.

Why the files are written before the case is opened: a bad ``--out`` must fail before the
ledger holds a case that points at a report nobody could write; the HTML is rendered a
second time with the case id once the case exists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lockstep.share.match.report import render_html, write
from lockstep.share.match.run import MatchResult, match_tip
from lockstep.share.match.score import DEFAULT_MIN_CONFIDENCE


@dataclass(frozen=True)
class MatchOutcome:
    result: MatchResult
    csv_path: Path
    html_path: Path
    case_id: str | None

    def summary(self) -> dict[str, Any]:
        r = self.result
        return {"tip": r.tip.name, "source": r.tip.source, "min_confidence": r.min_confidence,
                "matches": len(r.matches), "by_kind": r.by_kind(), "candidates": len(r.candidates),
                "csv": str(self.csv_path), "html": str(self.html_path), "case_id": self.case_id,
                "searched": r.searched, "notes": r.notes}

    def lines(self) -> str:
        r = self.result
        kinds = ", ".join(f"{v} {k}{'s' if v != 1 else ''}" for k, v in sorted(r.by_kind().items())) or "none"
        out = [f"tip {r.tip.name!r} ({r.tip.source or 'unknown source'}): {len(r.matches)} matches at confidence"
               f" >= {r.min_confidence} ({kinds}); {len(r.candidates) - len(r.matches)} candidates below",
               f"  report: {self.csv_path} and {self.html_path}"]
        for m in r.matches[:10]:
            lead = m.top_reasons(1)
            out.append(f"  {m.confidence:.3f} {m.kind} {m.id} {m.name[:30]!r}: {lead[0].text if lead else ''}")
        if len(r.matches) > 10:
            out.append(f"  ... and {len(r.matches) - 10} more in the report")
        out.extend(f"  note: {n}" for n in r.notes)
        if self.case_id:
            out.append(f"opened case {self.case_id} with {len(r.matches)} subjects (advisory: no decision made)")
        else:
            out.append("no case opened" + (" (--no-case)" if r.matches else " (no match at the threshold)"))
        return "\n".join(out)


def run_match(workspace: Path, tip_file: Path, out: Path, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
              by: str = "", open_case: bool = True, ledger_url: str | None = None,
              title: str | None = None, request_id: str | None = None) -> MatchOutcome:
    """Read ``tip_file``, match it against ``workspace``, write ``out`` (+ .html), open a case."""
    from lockstep.share.read import read_tip
    from lockstep.store.workspace import open_workspace

    tip = read_tip(Path(tip_file))
    ws = open_workspace(workspace, create=False, read_only=True)
    try:
        result = match_tip(ws, tip, min_confidence)
    finally:
        ws.close()
    csv_path, html_path = write(result, out, str(workspace))
    case_id = None
    if open_case and result.matches:
        case_id = _open_case(workspace, ledger_url, result, tip_file, csv_path, by, title, request_id)
        html_path.write_text(render_html(result, str(workspace), case_id), encoding="utf-8")
    return MatchOutcome(result, csv_path, html_path, case_id)


def _open_case(workspace: Path, ledger_url: str | None, result: MatchResult, tip_file: Path, csv_path: Path,
               by: str, title: str | None, request_id: str | None) -> str:
    from lockstep.cases.service import open_tip_case
    from lockstep.store.ledger import open_ledger, resolve_url

    tip = result.tip
    info = {"name": tip.name, "source": tip.source, "file": str(tip_file), "opinion": tip.opinion, "tlp": tip.tlp,
            "sha256": hashlib.sha256(Path(tip_file).read_bytes()).hexdigest(), "report": str(csv_path),
            "min_confidence": result.min_confidence}
    rows = [{"platform": m.platform, "id": m.id, "kind": m.kind, "confidence": m.confidence,
             "reasons": [{"family": r.family, "strength": round(r.strength, 3), "text": r.text} for r in m.reasons]}
            for m in result.matches]
    led = open_ledger(resolve_url(Path(workspace), ledger_url))
    try:
        rec = open_tip_case(led, info, rows, by, title=title, request_id=request_id)
    finally:
        led.close()
    return rec.case_id
