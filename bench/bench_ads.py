"""Benchmark: ``lockstep ads scan`` over a generated file of 1,000,000 ads (target: under 10 s on 2 cores).

Why generated: no public ads export holds state-media advertisers with a known answer. The
generator plants ads from real registry outlets (their names and domains, from the bundled
registry), landing pages that lead to state-media sites, profile links on platforms, and a
watched topic in the text, among synthetic advertisers; it knows which ads the policy must
flag, and the benchmark checks that the scan flagged exactly those. The scan runs as a child
process (start-up included), timed with its peak memory by ``bench/measure.py``.

Usage: python bench/bench_ads.py [--ads 1000000] [--advertisers 20000] [--repeat 3] [--seed 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import run_measured  # noqa: E402

from lockstep.ads.domains import registrable  # noqa: E402
from lockstep.ads.policy import load_policy  # noqa: E402
from lockstep.ads.registry import bundled_registry  # noqa: E402

_WORDS = np.array("sale new offer city police hong kong protest today people truth free deal best home".split())
_SYLL = ["ac", "me", "lo", "ri", "ta", "zen", "bo", "ka", "vin", "dor", "sul", "pex", "nor", "qua", "tri"]
TOPIC = "hong kong"


def _state_outlets() -> tuple[list[tuple[str, str, bool]], set[str]]:
    """(name, domain, ineligible) of outlets whose registrable domain has one decision only."""
    reg, pol = bundled_registry(), load_policy()
    by_reg: dict[str, set[str]] = {}
    for e in reg.entries.values():
        for d in e.domains:
            by_reg.setdefault(registrable(d), set()).add(pol.rule_for(e.typology).decision)
    out = []
    for e in reg.entries.values():
        site = next((d for d in e.domains if by_reg[registrable(d)] <= {"eligible", "ineligible"}
                     and len(by_reg[registrable(d)]) == 1), None)
        if site is not None:
            out.append((e.name, site, pol.rule_for(e.typology).decision == "ineligible"))
    return out, set(by_reg)


def generate(path: Path, n_ads: int, n_adv: int, seed: int) -> int:
    """Write the ads file; return how many ads the policy must flag."""
    rng = np.random.default_rng(seed)
    outlets, state_regs = _state_outlets()
    n_state = min(200, len(outlets))
    pick = rng.choice(len(outlets), size=n_state, replace=False)
    names, domains, inelig, state = [], [], [], []
    for i in range(n_adv):
        if i < n_state:
            name, dom, bad = outlets[int(pick[i])]
            names.append(name)
            domains.append(("www." if i % 2 else "") + dom)
            inelig.append(bad)
            state.append(True)
        else:
            word = "".join(rng.choice(_SYLL, size=3))
            names.append(f"{word.title()} {rng.choice(['Shop', 'Labs', 'Travel', 'Foods', 'Media'])} {i}")
            domains.append(f"{word}{i}.{rng.choice(['com', 'co.uk', 'de', 'com.au', 'shop'])}")
            inelig.append(False)
            state.append(False)
    # Ads by state media are a small share (1%), as on a real platform.
    adv = np.where(rng.random(n_ads) < 0.99, rng.integers(n_state, n_adv, size=n_ads), rng.integers(0, n_state, size=n_ads))
    names_a, doms_a = np.array(names, dtype=object), np.array(domains, dtype=object)
    inelig_a, state_a = np.array(inelig), np.array(state)
    landing = np.char.add(np.char.add("https://", doms_a[adv].astype(str)), "/p/")
    landing = np.char.add(landing, rng.integers(0, 10**6, size=n_ads).astype(str)).astype(object)
    # 0.2% of ads lead elsewhere: half to an ineligible outlet's site, half to a platform profile of RT.
    hijack = np.nonzero(rng.random(n_ads) < 0.002)[0]
    bad_sites = [d for _, d, b in outlets if b]
    land_bad = np.zeros(n_ads, dtype=bool)
    for j, k in enumerate(hijack.tolist()):
        if state_a[adv[k]]:
            continue
        landing[k] = (f"https://news.{bad_sites[j % len(bad_sites)]}/a/{k}" if j % 2
                      else f"https://www.facebook.com/RTnews?ref={k}")
        land_bad[k] = True
    words = rng.choice(_WORDS, size=(n_ads, 6))
    text = np.array([" ".join(w) for w in words.tolist()], dtype=object)
    topic = np.char.find(text.astype(str), TOPIC) >= 0
    running = rng.random(n_ads) < 0.9
    status = np.where(running, "running", "paused")
    expected = running & (inelig_a[adv] | land_bad | (state_a[adv] & topic))
    table = pa.table({
        "ad_id": pa.array(np.arange(n_ads).astype(str)), "advertiser": pa.array(names_a[adv].tolist()),
        "advertiser_domain": pa.array(doms_a[adv].tolist()), "landing_url": pa.array(landing.tolist()),
        "text": pa.array(text.tolist()), "status": pa.array(status.tolist()),
    })
    pacsv.write_csv(table, path)
    return int(expected.sum())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ads", type=int, default=1_000_000)
    ap.add_argument("--advertisers", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the generated files in this folder.")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_ads_"))
    work.mkdir(parents=True, exist_ok=True)
    ads = work / "ads.csv"
    expected = generate(ads, args.ads, args.advertisers, args.seed)
    size = ads.stat().st_size / 2**20
    cmd = [sys.executable, "-m", "lockstep.cli.main", "ads", "scan", str(ads), "--topic", TOPIC,
           "--out", str(work / "flagged.csv")]
    walls, peaks, cpus = [], [], []
    for _ in range(args.repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        m = run_measured(cmd, log=work / "scan.log")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if not m.ok:
            sys.exit(f"scan failed (rc {m.rc}):\n{m.output_tail}")
        walls.append(m.wall_s)
        peaks.append(m.peak_rss_mb)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    with open(work / "flagged.csv", encoding="utf-8") as fh:
        flagged = sum(1 for _ in csv.DictReader(fh))
    load = os.getloadavg()[0]
    print(f"ads scan, {args.ads:,} ads ({size:,.0f} MiB CSV), {args.advertisers:,} advertisers, seed {args.seed}: "
          f"median {statistics.median(walls):.2f} s (runs {', '.join(f'{w:.2f}' for w in walls)}), "
          f"CPU {statistics.median(cpus):.2f} s, peak RSS {max(peaks):,.0f} MiB, load {load:.1f}; flagged {flagged:,}, expected {expected:,}"
          f" -> {'OK' if flagged == expected else 'MISMATCH'}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    if flagged != expected:
        sys.exit(1)


if __name__ == "__main__":
    main()
