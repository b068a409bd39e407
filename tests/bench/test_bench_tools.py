"""The benchmark's own tools: the data generator is deterministic and shaped as promised,
edge lists compare correctly, and the measuring wrapper reports exit, timeout and memory.
(Speed itself is measured in bench/, never asserted here.)"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import edgesets  # noqa: E402
import gen_coretweet  # noqa: E402
from measure import run_measured  # noqa: E402


def test_generator_is_deterministic_and_heavy_tailed(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    info = gen_coretweet.generate(a, 20_000, seed=7)
    gen_coretweet.generate(b, 20_000, seed=7)
    assert a.read_bytes() == b.read_bytes()
    rows = list(csv.DictReader(open(a)))
    assert len(rows) == info["rows"] == 20_000
    assert list(rows[0]) == ["object_id", "account_id", "content_id", "timestamp_share"]
    assert len({r["content_id"] for r in rows}) == len(rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["object_id"]] = counts.get(r["object_id"], 0) + 1
    top = max(counts.values())
    assert 0.003 * len(rows) < top < 0.05 * len(rows)  # a hot item, but not everything
    planted = {r["account_id"] for r in csv.DictReader(open(str(a) + ".groups.csv"))}
    assert len(planted) == info["planted_accounts"] > 0
    span = max(int(r["timestamp_share"]) for r in rows) - min(int(r["timestamp_share"]) for r in rows)
    assert span < 70 * 86_400


def test_compare_counts_each_kind_of_difference() -> None:
    a = {("x", "y"): (2.0, 10.0), ("x", "z"): (1.0, 5.0), ("p", "q"): (1.0, None)}
    b = {("x", "y"): (2.0, 10.0), ("x", "z"): (3.0, 5.0), ("r", "s"): (1.0, None)}
    cmp = edgesets.compare(a, b)
    assert (cmp["only_a"], cmp["only_b"], cmp["weight_diff"], cmp["identical"]) == (1, 1, 1, False)
    assert edgesets.compare(a, dict(a))["identical"]


def test_lockstep_edges_directed_and_undirected(tmp_path: Path) -> None:
    p = tmp_path / "edges.csv"
    p.write_text("account_a,account_b,signal,weight,n_shared,mean_dt_seconds\n"
                 "b,a,co_repost,2,2,4.5\na,b,co_link,1,1,3\n")
    assert edgesets.load_lockstep(p) == {("a", "b"): (3.0, 3.0)}
    assert set(edgesets.load_lockstep(p, directed=True)) == {("b", "a"), ("a", "b")}


def test_run_measured_reports_rc_timeout_and_memory(tmp_path: Path) -> None:
    ok = run_measured([sys.executable, "-c", "x = bytearray(60 * 2**20); import time; time.sleep(0.3)"],
                      log=tmp_path / "ok.log")
    assert ok.ok and ok.peak_rss_mb > 50
    slow = run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert slow.timed_out and not slow.ok and slow.wall_s < 10
    bad = run_measured([sys.executable, "-c", "raise SystemExit(3)"])
    assert bad.rc == 3 and not bad.ok
