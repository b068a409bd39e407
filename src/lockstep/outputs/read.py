"""The one reader of a detection run's output folder, for the commands that come after
detection (explain, watch, cases, reports, sharing).

Why read files and not re-run: a case must rest on exactly the evidence a run produced, and
a run's folder is what a user keeps, ships and audits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from lockstep.errors import DataError, UserError
from lockstep.outputs import files as F
from lockstep.store.runs import find_run, recent_runs
from lockstep.store.workspace import Workspace


@dataclass(frozen=True)
class RunFiles:
    """A detection run as written: params.json, campaigns.json, accounts.csv (all columns
    as strings), edges.csv (weights and counts as numbers, evidence lists as JSON text) and
    account_evidence.json (empty when roles did not run)."""

    out_dir: Path
    run_id: str
    params: dict[str, Any]
    campaigns: list[dict[str, Any]]
    accounts: pa.Table
    edges: pa.Table
    evidence: dict[str, Any]

    def campaign(self, cid: str) -> dict[str, Any]:
        """One campaign by its ``id`` (UserError naming the known ids)."""
        for c in self.campaigns:
            if str(c.get("id")) == cid:
                return c
        known = ", ".join(str(c.get("id")) for c in self.campaigns[:20]) or "none"
        raise UserError(f"no campaign {cid!r} in run {self.run_id} ({self.out_dir}); known: {known}")


def read_json(path: Path, default: Any = None) -> Any:
    """A JSON file of the run (``default`` when absent; DataError naming the line when broken)."""
    if not path.exists():
        if default is not None:
            return default
        raise DataError(f"{path}: missing (run `lockstep detect` again)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None


def read_evidence(out_dir: Path | str) -> dict[str, Any]:
    """account_evidence.json of a run (empty lists when roles did not run)."""
    data = read_json(Path(out_dir) / F.EVIDENCE, {"accounts": {}, "campaigns": {}})
    return data if isinstance(data, dict) else {"accounts": {}, "campaigns": {}}


def _read_csv(path: Path, numeric: dict[str, pa.DataType]) -> pa.Table:
    if not path.exists():
        raise DataError(f"{path}: missing (run `lockstep detect` again)")
    with path.open("rb") as fh:
        header = fh.readline().decode("utf-8").strip().split(",")
    types = {c: numeric.get(c, pa.string()) for c in header}
    try:
        return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid as exc:
        raise DataError(f"{path}: {exc}") from None


def read_run(out_dir: Path | str) -> RunFiles:
    """Every file of the run written into ``out_dir``."""
    out_dir = Path(out_dir)
    if not (out_dir / F.PARAMS).exists():
        raise UserError(f"{out_dir} holds no complete detection run (no {F.PARAMS}; run `lockstep detect`)")
    params = read_json(out_dir / F.PARAMS)
    campaigns = read_json(out_dir / F.CAMPAIGNS, [])
    accounts = _read_csv(out_dir / F.ACCOUNTS, {})
    edges = _read_csv(out_dir / F.EDGES, {"weight": pa.float64(), "n_shared": pa.int64(),
                                          "mean_dt_seconds": pa.float64()})
    evidence = read_evidence(out_dir)
    return RunFiles(out_dir=out_dir, run_id=str(params.get("run_id", "")), params=params,
                    campaigns=campaigns, accounts=accounts, edges=edges, evidence=evidence)


def run_dir(ws: Workspace, run_id: str | None = None) -> Path:
    """The output folder of ``run_id`` (default: the latest detect run) recorded in ``ws``."""
    if run_id is None:
        run = ws.latest_run("detect")
        if run is None:
            raise UserError(f"no detection run recorded in {ws.path} (run `lockstep detect` first)")
        return Path(run["out_dir"])
    found = find_run(ws, run_id)
    if found is None:
        latest = ", ".join(recent_runs(ws)) or "none"
        raise UserError(f"no run {run_id!r} in {ws.path} (latest: {latest})")
    return Path(found["out_dir"])


def latest_run(ws: Workspace) -> RunFiles:
    """The workspace's latest detection run, as written."""
    return read_run(run_dir(ws))
