"""``case export``: the enforcement list a platform's systems consume, or the statements
of reasons, as JSON or CSV (chosen by the ``--out`` file's extension), written atomically."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lockstep.errors import UserError
from lockstep.store.ledger import Ledger

from lockstep.cases import sor, view

FORMATS = ("enforcement", "sor")
ENFORCEMENT_FIELDS = ("case_id", "subject_kind", "subject_id", "state", "action", "reason", "policy_version",
                      "decision_id", "decision_event", "decided_at", "appeal", "appeal_id")


@dataclass(frozen=True)
class Exported:
    case_id: str
    format: str
    out: str
    rows: int

    def as_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "format": self.format, "out": self.out, "rows": self.rows}


def enforcement_rows(ledger: Ledger, case_id: str) -> list[dict[str, Any]]:
    """Every subject that has had a decision, with its current state and what decided it."""
    events = {e.event_id: e for e in ledger.events(case_id, kinds=["decision"])}
    rows = []
    for s in view.status(ledger, case_id):
        if s.decision_event is None:
            continue
        d = events[s.decision_event].data
        rows.append({"case_id": case_id, "subject_kind": s.kind, "subject_id": s.id, "state": s.state,
                     "action": s.action, "reason": s.reason, "policy_version": d["policy_version"],
                     "decision_id": s.decision_id, "decision_event": s.decision_event,
                     "decided_at": s.decided_at, "appeal": s.appeal, "appeal_id": s.appeal_id})
    return rows


def export_case(ledger: Ledger, case_id: str, fmt: str, out: Path) -> Exported:
    if fmt not in FORMATS:
        raise UserError(f"--format {fmt!r}: choose from {', '.join(FORMATS)}")
    ext = Path(out).suffix.lower()
    if ext not in (".json", ".csv"):
        raise UserError(f"--out {out}: name a .json or .csv file")
    if fmt == "sor":
        rows = sor.statements(ledger, view.history_events(ledger, case_id))
        fields: tuple[str, ...] = sor.FIELDS
    else:
        rows, fields = enforcement_rows(ledger, case_id), ENFORCEMENT_FIELDS
    out = Path(out)
    if not out.parent.exists():
        raise UserError(f"--out {out}: folder {out.parent} does not exist")
    tmp = out.with_name(f".{out.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        if ext == ".json":
            json.dump(rows, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        else:
            w = csv.DictWriter(fh, fieldnames=list(fields))
            w.writeheader()
            for r in rows:
                w.writerow({k: _cell(r.get(k)) for k in fields})
    os.replace(tmp, out)
    return Exported(case_id, fmt, str(out), len(rows))


def _cell(v: Any) -> Any:
    """Arrays as JSON text (as the transparency database's own CSV files write them); null as empty."""
    if isinstance(v, list):
        return json.dumps(v)
    return "" if v is None else v
