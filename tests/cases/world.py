"""A small planted world for cases: two detection runs over the same operation.

Run 1 finds the operation's core (two news personas, five office-hours operators) as
campaign c1 and a protest community as c2. Run 2, a week later, finds the core again with
twelve burst-created amplifiers, under new campaign ids (c7 and c8), as real reruns do.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from lockstep.store import open_workspace

CORE = ["p0", "p1"] + [f"o{j}" for j in range(5)]
AMPS = [f"a{i}" for i in range(12)]
PROTEST = [f"h{i}" for i in range(8)]


def write_run(out: Path, run_id: str, campaigns: dict[str, list[str]], roles: dict[str, str]) -> Path:
    """What `lockstep detect` writes, for the campaigns given."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "params.json").write_text(json.dumps({"run_id": run_id, "window_seconds": 60, "min_weight": 3}))
    (out / "campaigns.json").write_text(json.dumps([
        {"id": cid, "members": ms, "n_members": len(ms), "score": 0.9, "flagged": True, "signals": ["co_repost"]}
        for cid, ms in campaigns.items()]))
    with (out / "accounts.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["account_id", "campaign_id", "role", "score", "evidence", "flagged", "coordinated"])
        for cid, ms in campaigns.items():
            for m in ms:
                w.writerow([m, cid, roles.get(m, "core"), "0.91", "co_repost", "true", "true"])
        w.writerow(["u5", "", "", "0.02", "", "false", "false"])
    with (out / "edges.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["account_a", "account_b", "signal", "weight", "n_shared", "mean_dt_seconds"])
        for ms in campaigns.values():
            for i, a in enumerate(ms):
                for b in ms[i + 1:]:
                    w.writerow([a, b, "co_repost", 1.0, 10, 3.0])
        w.writerow(["u5", "u6", "co_repost", 0.2, 3, 40.0])
    return out


def build(root: Path) -> tuple[Path, Path, Path]:
    """A workspace with run 1 recorded; returns (workspace, run1 folder, run2 folder)."""
    ws_dir = root / "ws"
    run1 = write_run(root / "run1", "detect-1", {"c1": CORE, "c2": PROTEST}, {})
    run2 = write_run(root / "run2", "detect-2", {"c7": CORE + AMPS, "c8": PROTEST}, {a: "amplifier" for a in AMPS})
    with open_workspace(ws_dir) as ws:
        ws.record_run("detect", run1, {"run_id": "detect-1"})
    return ws_dir, run1, run2
