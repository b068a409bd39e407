"""The counts a run reports, computed from the account rows as written (so the printed line,
params.json and accounts.csv cannot disagree)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RunSummary:
    """``n_coordinated``: accounts in detected campaigns (coordination, with edge evidence);
    ``n_flagged``: accounts the roles stage judged inauthentic (None when it did not run),
    ``by_role`` how many of those in each role; ``n_accounts``: rows of accounts.csv."""

    run_id: str
    out_dir: str
    n_campaigns: int
    n_edges: int
    n_graph_accounts: int
    n_accounts: int
    n_coordinated: int
    n_flagged: int | None
    by_role: dict[str, int] = field(default_factory=dict)
    n_expanded: int = 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("out_dir")
        return d

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        flagged = ("flagged: not judged (roles off)" if self.n_flagged is None else
                   f"{self.n_flagged} flagged as inauthentic"
                   + (f" ({', '.join(f'{n} {r}' for r, n in self.by_role.items())})" if self.by_role else ""))
        return (f"{self.n_campaigns} campaigns, {self.n_coordinated} coordinated accounts, {flagged};"
                f" {self.n_edges} edges ({self.n_graph_accounts} accounts in the pruned graph)"
                f" -> {self.out_dir}  (run {self.run_id})")


def summarise_rows(rows: list[dict[str, str]], *, n_campaigns: int, n_edges: int, n_graph_accounts: int,
                   out_dir: Path, run_id: str, roles: bool) -> RunSummary:
    """Count coordinated and flagged accounts in accounts.csv rows."""
    flagged = [r for r in rows if r.get("flagged") == "true"]
    by_role: dict[str, int] = {}
    for r in flagged:
        by_role[r["role"]] = by_role.get(r["role"], 0) + 1
    return RunSummary(run_id=run_id, out_dir=str(out_dir), n_campaigns=n_campaigns, n_edges=n_edges,
                      n_graph_accounts=n_graph_accounts, n_accounts=len(rows),
                      n_coordinated=sum(r.get("coordinated") == "true" for r in rows),
                      n_flagged=len(flagged) if roles else None, by_role=dict(sorted(by_role.items())),
                      n_expanded=sum(r.get("coordinated") != "true" and bool(r.get("campaign_id"))
                                     and r.get("flagged") == "true" for r in rows))
