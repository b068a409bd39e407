"""`lockstep share export`: a campaign's or case's tip as a STIX 2.1 bundle or Meta's CSV.

Why it resolves through ``lockstep.report.subject``: a shared tip must rest on exactly the
accounts and evidence a report on the same campaign or case shows. A decided case (one with
a decision in the ledger) is shared as confirmed unless ``--opinion`` says otherwise; a
campaign, which nobody has decided on yet, as needs_investigation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lockstep.errors import UserError
from lockstep.share.tip import Opinion
from lockstep.share.vocab import TLP_LEVELS

FORMATS = ("stix", "csv")
OPINIONS = ("confirmed", "needs_investigation")


@dataclass(frozen=True)
class ExportResult:
    """What was written."""

    out: str
    format: str
    subject: str
    opinion: str
    tlp: str
    n_assets: int
    n_indicators: int
    n_techniques: int
    n_written: int  # STIX objects, or CSV indicator rows

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        unit = "objects" if self.format == "stix" else "indicator rows"
        return (f"wrote {self.out} ({self.format}, {self.n_written} {unit}, TLP:{self.tlp.upper()}, {self.opinion}):"
                f" {self.subject}: {self.n_assets} accounts/pages/groups, {self.n_indicators} indicators,"
                f" {self.n_techniques} DISARM techniques")


def _decided(ws_path: Path, ledger: str | None, case_id: str) -> bool:
    """Whether the ledger holds a decision on case ``case_id``."""
    from lockstep.store.ledger import open_ledger, resolve_url
    url = resolve_url(ws_path, ledger)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        return False
    led = open_ledger(url)
    try:
        return bool(led.events(case_id, kinds=["decision"]))
    finally:
        led.close()


def check_choices(fmt: str, tlp: str, opinion: str | None) -> None:
    """UserError naming the flag for a value outside its choices."""
    if fmt not in FORMATS:
        raise UserError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if tlp not in TLP_LEVELS:
        raise UserError(f"--tlp {tlp!r}: choose one of {', '.join(TLP_LEVELS)}")
    if opinion is not None and opinion not in OPINIONS:
        raise UserError(f"--opinion {opinion!r}: choose one of {', '.join(OPINIONS)}")


def export_tip(workspace: Path, ref: str, *, fmt: str, out: Path, run: str | None = None, tlp: str = "amber",
               opinion: str | None = None, ledger: str | None = None) -> ExportResult:
    """Resolve ``ref`` (campaign of the run, or case), build its Tip and write it as ``fmt``."""
    from lockstep.report.subject import resolve
    from lockstep.share.build import build_tip
    from lockstep.share.meta_out import write_meta_csv
    from lockstep.share.stix_out import write_stix
    from lockstep.store import open_workspace

    check_choices(fmt, tlp, opinion)
    if out.exists() and out.is_dir():
        raise UserError(f"--out {out}: is a folder; give a file name")
    with open_workspace(workspace, create=False, read_only=True) as ws:
        subject = resolve(ws, ref, run, ledger)
        chosen: Opinion
        if opinion is not None:
            chosen = "confirmed" if opinion == "confirmed" else "needs_investigation"
        else:
            chosen = "confirmed" if subject.kind == "case" and _decided(ws.path, ledger, subject.id) \
                else "needs_investigation"
        tip = build_tip(ws, subject, opinion=chosen, tlp=tlp)
    key = f"{subject.kind}:{subject.id}" + (f"@{subject.run_id}" if subject.kind == "campaign" else "")
    n = write_stix(tip, out, key) if fmt == "stix" else write_meta_csv(tip, out)
    return ExportResult(out=str(out), format=fmt, subject=subject.label, opinion=chosen, tlp=tlp,
                        n_assets=len(tip.assets), n_indicators=len(tip.indicators),
                        n_techniques=len(tip.techniques), n_written=n)
