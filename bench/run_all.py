"""Run every benchmark script in bench/ (what ``make bench`` calls) and collect their tables.

Why a runner: each ``bench/bench_*.py`` is a stand-alone script with its own arguments;
this runs each with its defaults (the quick, representative sizes), one after the other
so they never compete for the 2 cores, and concatenates the markdown they leave under
the results folder into one report. The large runs (10M, 100M actions) are not in the
defaults; the exact commands for them are in BENCHMARKS.md.

Usage: python bench/run_all.py [--only NAME ...] [--results DIR] [-- extra args for every script]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def scripts(only: list[str]) -> list[Path]:
    found = sorted(p for p in BENCH.glob("bench_*.py"))
    if only:
        found = [p for p in found if p.stem in only or p.stem.removeprefix("bench_") in only]
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=[], help="script names, e.g. detect ingest")
    ap.add_argument("--results", type=Path, default=Path("/tmp/lockstep-bench/results"))
    ap.add_argument("--report", type=Path, default=None, help="write the combined markdown here")
    ap.add_argument("extra", nargs=argparse.REMAINDER, help="arguments after -- go to every script")
    a = ap.parse_args(argv)
    extra = [x for x in a.extra if x != "--"]
    a.results.mkdir(parents=True, exist_ok=True)
    failures = []
    started = time.time()
    for script in scripts(a.only):
        print(f"== {script.name} (load average {os.getloadavg()[0]:.2f})", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script), *extra])
        print(f"== {script.name}: exit {rc} after {time.perf_counter() - t0:.1f} s", flush=True)
        if rc != 0:
            failures.append(script.name)
    # scripts write their snippets to --results (bench_detect) or bench/results (bench_ingest)
    fresh = sorted(p for d in {a.results, BENCH / "results"} for p in d.glob("*.md")
                   if p.stat().st_mtime >= started - 1)
    report = "\n".join(p.read_text() for p in fresh)
    if a.report:
        a.report.write_text(report)
    print("\n" + report)
    if failures:
        print(f"failed: {', '.join(failures)}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
