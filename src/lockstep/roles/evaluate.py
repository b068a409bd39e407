"""Score a roles-refined detect run against a simulator's labels.csv.

``python -m lockstep.roles.evaluate OUT_DIR LABELS.csv`` prints operation F1 (core +
amplifier + persona), amplifier recall, the share of authentic hard negatives (protest
community and loyalists) flagged, and role accuracy over the operation accounts found.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from lockstep.outputs.read import read_run


def evaluate(out_dir: Path, labels_csv: Path) -> dict[str, Any]:
    """The run's ``flagged`` accounts (accounts.csv, read through :mod:`lockstep.outputs`)
    against the world's labels."""
    with Path(labels_csv).open(newline="", encoding="utf-8") as fh:
        labels = {r["userid"]: r for r in csv.DictReader(fh)}
    acc = read_run(out_dir).accounts
    flagged = {a: role for a, role, f in zip(acc.column("account_id").to_pylist(), acc.column("role").to_pylist(),
                                             acc.column("flagged").to_pylist()) if f == "true"}
    op = {a for a, r in labels.items() if r["role"] in ("core", "amplifier")}
    tp = len(op & set(flagged))
    prec = tp / len(flagged) if flagged else 0.0
    rec = tp / len(op) if op else 0.0
    amps = {a for a, r in labels.items() if r["role"] == "amplifier"}
    hard = {a for a, r in labels.items() if r["group"] in ("protest", "protest_leader", "loyalist")}
    found = op & set(flagged)

    def truth(a: str) -> str:
        return "persona" if labels[a]["group"] == "persona" else labels[a]["role"]

    right = sum(1 for a in found if flagged[a] == truth(a))
    by_group: dict[str, int] = {}
    for a in set(flagged) - op:
        g = labels.get(a, {}).get("group", "unlabelled")
        by_group[g] = by_group.get(g, 0) + 1
    return {"flagged": len(flagged), "precision": round(prec, 4), "recall": round(rec, 4),
            "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0,
            "amplifier_recall": round(len(amps & set(flagged)) / len(amps), 4) if amps else None,
            "core_recall": round(len((op - amps) & set(flagged)) / len(op - amps), 4) if op - amps else None,
            "hard_negatives_flagged": round(len(hard & set(flagged)) / len(hard), 5) if hard else None,
            "n_hard_negatives": len(hard), "n_hard_negatives_flagged": len(hard & set(flagged)),
            "role_accuracy": round(right / len(found), 4) if found else None,
            "false_positives_by_group": by_group}


if __name__ == "__main__":
    print(json.dumps(evaluate(Path(sys.argv[1]), Path(sys.argv[2])), indent=1))
