"""Pages, groups and fake admins found on the second platform (issue 15, task A).

Simulate a world, ingest its ``platform2/`` folder into a fresh workspace, detect, and score
the campaigns' members + entities + admins against ``platform2/labels.csv``: precision and
recall of the operation's pages, groups and fake admin accounts (role ``core``), and how
many authentic look-alike pages (group ``lookalike_page``) ended up in a campaign (must be 0).

    .venv/bin/python bench/bench_entities.py --scales 0.05,0.1 --seed 0
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path
from typing import Any

KINDS = ("page", "group", "account")


def found_ids(run_dir: Path) -> set[str]:
    """Every id a run puts in a campaign: members, pages and groups, admin accounts."""
    out: set[str] = set()
    for c in json.loads((run_dir / "campaigns.json").read_text(encoding="utf-8")):
        out |= {str(m) for m in c.get("members", [])}
        out |= {str(e["entity_id"]) for e in c.get("entities", [])}
        out |= {str(a["entity_id"]) for a in c.get("admins", [])}
    return out


def score(labels: Path, found: set[str]) -> dict[str, Any]:
    """Precision/recall per kind of the operation's ids (role core) among ``found``."""
    with labels.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, Any] = {}
    for kind in KINDS:
        truth = {r["id"] for r in rows if r["kind"] == kind and r["role"] == "core"}
        pred = {r["id"] for r in rows if r["kind"] == kind and r["id"] in found}
        tp = len(truth & pred)
        out[kind] = {"truth": len(truth), "found": len(pred), "tp": tp,
                     "precision": round(tp / len(pred), 4) if pred else 0.0,
                     "recall": round(tp / len(truth), 4) if truth else 0.0}
    out["lookalikes_in_campaigns"] = sorted(r["id"] for r in rows if r["group"] == "lookalike_page" and r["id"] in found)
    out["lookalikes"] = sum(1 for r in rows if r["group"] == "lookalike_page")
    return out


def run(scale: float, seed: int, work: Path) -> dict[str, Any]:
    """Simulate -> ingest platform2/ -> detect -> score, through the command line."""
    from lockstep.cli.main import run as cli

    t0 = time.perf_counter()
    world, ws, out = work / "world", work / "ws", work / "run"
    assert cli(["simulate", "--out", str(world), "--scale", str(scale), "--seed", str(seed)]) == 0
    assert cli(["ingest", "--workspace", str(ws), "--no-progress", str(world / "platform2")]) == 0
    assert cli(["detect", "--workspace", str(ws), "--out", str(out)]) == 0
    res = score(world / "platform2" / "labels.csv", found_ids(out))
    res.update(scale=scale, seed=seed, seconds=round(time.perf_counter() - t0, 1))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="0.05,0.1")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    for s in (float(x) for x in a.scales.split(",")):
        with tempfile.TemporaryDirectory() as d:
            print(json.dumps(run(s, a.seed, Path(d)), ensure_ascii=False))


if __name__ == "__main__":
    main()
