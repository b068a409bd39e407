"""Read and write the detect output folder that roles refine.

``lockstep detect`` writes accounts.csv (account_id, campaign_id, role, score, evidence),
edges.csv and campaigns.json; roles reads them, then rewrites accounts.csv and
campaigns.json in place (keeping every key it does not own) and adds
account_evidence.json, the per-account evidence that ``lockstep explain`` prints.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lockstep.errors import DataError

EVIDENCE_FILE = "account_evidence.json"
ACCOUNT_COLUMNS = ["account_id", "campaign_id", "role", "score", "evidence"]


@dataclass
class DetectOutput:
    out_dir: Path
    accounts: list[dict[str, str]]  # rows of accounts.csv, as read
    account_columns: list[str]
    campaigns: list[dict[str, Any]]
    # per account: {"degree": n partners, "signals": Counter, "partners": [(other, weight)]}
    coordination: dict[str, dict[str, Any]] = field(default_factory=dict)

    def members(self) -> dict[str, str]:
        """account_id -> campaign id, from campaigns.json (accounts.csv as fallback)."""
        out: dict[str, str] = {}
        for c in self.campaigns:
            added = {str(a) for a in c.get("expanded_amplifiers", [])}  # from an earlier apply()
            for m in c.get("members", []):
                if str(m) not in added:
                    out[str(m)] = str(c["id"])
        if not out:
            for r in self.accounts:
                if r.get("campaign_id") not in (None, "", "None", "nan"):
                    out[r["account_id"]] = str(r["campaign_id"])
        return out


def read_detect_output(out_dir: Path) -> DetectOutput:
    out_dir = Path(out_dir)
    acc_path, camp_path = out_dir / "accounts.csv", out_dir / "campaigns.json"
    if not acc_path.exists():
        raise DataError(f"{acc_path}: missing (run `lockstep detect` first)")
    with acc_path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        cols = list(reader.fieldnames or [])
        if "account_id" not in cols:
            raise DataError(f"{acc_path}: line 1: no account_id column")
        accounts = list(reader)
    campaigns: list[dict[str, Any]] = []
    if camp_path.exists():
        try:
            campaigns = json.loads(camp_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DataError(f"{camp_path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
        if isinstance(campaigns, dict):  # tolerate {"campaigns": [...]}
            campaigns = campaigns.get("campaigns", [])
    return DetectOutput(out_dir, accounts, cols, campaigns, _read_edges(out_dir / "edges.csv"))


def _read_edges(path: Path) -> dict[str, dict[str, Any]]:
    """Per account: how many partners, through which signals, the strongest partners."""
    if not path.exists():
        return {}
    partners: dict[str, dict[str, float]] = defaultdict(dict)
    signals: dict[str, Counter[str]] = defaultdict(Counter)
    with path.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            a, b = r.get("account_a"), r.get("account_b")
            if not a or not b:
                continue
            try:
                w = float(r.get("weight") or 1.0)
            except ValueError:
                w = 1.0
            sig = r.get("signal") or "edge"
            for x, y in ((a, b), (b, a)):
                partners[x][y] = partners[x].get(y, 0.0) + w
                signals[x][sig] += 1
    out = {}
    for acc, ps in partners.items():
        top = sorted(ps.items(), key=lambda kv: -kv[1])[:5]
        out[acc] = {"degree": len(ps), "signals": dict(signals[acc]),
                    "partners": [[p, round(w, 3)] for p, w in top], "strength": sum(ps.values())}
    return out


def write_accounts(out_dir: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    cols = list(columns) + [c for c in ACCOUNT_COLUMNS if c not in columns]
    extra = sorted({k for r in rows for k in r} - set(cols))
    cols += extra
    tmp = out_dir / "accounts.csv.tmp"
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in cols})
    tmp.replace(out_dir / "accounts.csv")


def write_json(path: Path, obj: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    tmp.replace(path)
