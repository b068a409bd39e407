"""The evasion bench's scoring (bench/bench_evasion.py): which column counts, and the figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_evasion.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_evasion", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_flagged_column_preferred_over_coordinated(tmp_path: Path) -> None:
    b = _bench()
    both = tmp_path / "both.csv"
    both.write_text("account_id,coordinated,flagged\na,true,false\nb,true,true\nc,false,false\n")
    assert b.flagged_accounts(both) == {"b"}
    only = tmp_path / "only.csv"
    only.write_text("account_id,coordinated\na,true\nb,false\n")
    assert b.flagged_accounts(only) == {"a"}
    none = tmp_path / "none.csv"
    none.write_text("account_id,role\na,core\n")
    with pytest.raises(RuntimeError, match="neither a flagged nor a coordinated column"):
        b.flagged_accounts(none)


def test_scores_against_labels(tmp_path: Path) -> None:
    b = _bench()
    labels = tmp_path / "labels.csv"
    labels.write_text("userid,role,campaign,group\n"
                      "p,core,hk2019,persona\no,core,hk2019,operator\nm1,amplifier,hk2019,amplifier\n"
                      "m2,amplifier,hk2019,amplifier\nf,organic,,fan\nn,organic,,newsbot\nx,organic,,protest\n")
    s = b.score(labels, {"o", "m1", "f"})
    assert s["precision"] == pytest.approx(2 / 3) and s["recall"] == pytest.approx(2 / 4)
    assert s["f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)) and s["core_recall"] == 0.5
    assert s["negatives"] == {"activists": [0, 1], "loyalists": [0, 0], "fans": [1, 1], "news bots": [0, 1]}
    assert s["false_positives_by_group"] == {"fan": 1}


def _run(world: str, f1: float, core: float, negatives: dict[str, list[int]]) -> dict[str, object]:
    return {"world": world, "seed": 0, "flagged": 10, "precision": 1.0, "recall": 1.0, "f1": f1,
            "core_recall": core, "negatives": negatives, "simulate_s": 1.0, "ingest_s": 1.0, "detect_s": 1.0,
            "load_before": 1.0, "load_after": 2.0}


def test_misses_name_every_target_missed() -> None:
    b = _bench()
    clean = {"activists": [0, 83], "loyalists": [0, 50], "fans": [0, 0], "news bots": [0, 6]}
    assert b.misses(_run("slow", 0.96, 1.0, clean)) == []
    assert b.misses(_run("slow", 0.94, 1.0, clean)) == ["f1"]
    assert b.misses(_run("all", 0.94, 1.0, clean)) == []  # every tactic at once: 0.9 is the target
    assert b.misses(_run("all", 0.89, 0.94, {**clean, "news bots": [1, 6]})) == ["f1", "core_recall", "news bots"]
    table = b.per_seed_table([_run("all", 0.89, 1.0, {**clean, "activists": [1, 83]})])
    assert "**0.890 MISS**" in table and "**1/83 MISS**" in table and "0/50 |" in table and "1.0-2.0" in table
