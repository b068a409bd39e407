"""bench/bench_ads.py's generator knows its answer: a scan of a small generated file flags exactly
the ads it planted (speed itself is measured by the benchmark, never asserted here)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from lockstep.ads.scan import scan_file

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_ads  # type: ignore[import-not-found]  # noqa: E402


def test_generated_ads_are_flagged_exactly(tmp_path: Path) -> None:
    src = tmp_path / "ads.csv"
    expected = bench_ads.generate(src, 20_000, 2_000, seed=3)
    res = scan_file(src, topics=(bench_ads.TOPIC,), out=tmp_path / "f.csv")
    assert expected > 50 and res.counts["flagged"] == expected
    with src.open(encoding="utf-8") as fh:
        assert sum(1 for _ in csv.reader(fh)) == 20_001
