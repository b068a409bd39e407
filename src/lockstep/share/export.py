"""`lockstep share export`: a campaign's or case's tip as a STIX 2.1 bundle or Meta's CSV."""

from __future__ import annotations

from dataclasses import dataclass, asdict
from pathlib import Path
from typing import Any

from lockstep.errors import UserError


@dataclass(frozen=True)
class ExportResult:
    """What was written."""

    out: str
    format: str
    subject: str
    n_assets: int
    n_indicators: int
    n_techniques: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        return (f"wrote {self.out} ({self.format}): {self.subject}, {self.n_assets} assets,"
                f" {self.n_indicators} indicators, {self.n_techniques} techniques")


def export_tip(workspace: Path, ref: str, *, fmt: str, out: Path, run: str | None = None, tlp: str = "amber",
               opinion: str | None = None, ledger: str | None = None) -> ExportResult:
    raise UserError("share export: not built yet")
