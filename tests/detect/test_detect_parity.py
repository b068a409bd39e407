"""Parity with the peers' own outputs on the real CooRTweet rows: exact edge sets and weights."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lockstep.detect import detect_workspace
from lockstep.store import Workspace

from detect_fixtures import PEERS


def _ours(out: Path) -> dict[tuple[str, str], tuple[float, float, str]]:
    with (out / "edges.csv").open() as fh:
        return {(r["account_a"], r["account_b"]): (float(r["weight"]), float(r["mean_dt_seconds"]),
                                                   r.get("weight_threshold", ""))
                for r in csv.DictReader(fh)}


@pytest.mark.parametrize("folder,window,mp,accounts,edges", [
    ("russian_coord_tweets_tw60_mp2_ew0.5", 60, 2, 2110, 3721),
    ("russian_coord_tweets_default", None, None, 525, 442),
    ("russian_coord_tweets_tw10_mp5_ew0.5", 10, 5, 23, 20),
    ("russian_coord_tweets_tw60_mp1", 60, 1, 3954, 6206),
])
def test_coortweet_preset_matches_coortweet(rct_ws: Workspace, tmp_path: Path, folder: str,
                                            window: int | None, mp: int | None, accounts: int,
                                            edges: int) -> None:
    flags = {"window": window, "min_participation": mp}
    summary = detect_workspace(rct_ws, tmp_path, preset="coortweet", progress=False, flags=flags)
    ours = _ours(tmp_path)
    with (PEERS / "coortweet" / folder / "rct_edges_full.csv").open() as fh:
        ref = {tuple(sorted((r["from"], r["to"]))): (float(r["weight"]), float(r["avg_time_delta"]),
                                                     r["weight_threshold"]) for r in csv.DictReader(fh)}
    assert set(ours) == set(ref)
    assert len(ours) == edges and summary["n_accounts"] == accounts
    for k, (w, dt, thr) in ref.items():
        assert ours[k][0] == w
        assert ours[k][1] == pytest.approx(dt, abs=1e-3)
        assert ours[k][2] == thr
    # the thresholded graph's components are the preset's campaigns
    summ = dict(line.split(": ") for line in (PEERS / "coortweet" / folder / "rct_summary.txt")
                .read_text().splitlines())
    assert summary["n_campaigns"] == int(summ["thresholded_components"])


@pytest.mark.parametrize("window,mw", [(10, 1), (10, 2), (60, 1), (60, 2)])
def test_cnt_preset_matches_toolkit(rct_ws: Workspace, tmp_path: Path, window: int, mw: int) -> None:
    detect_workspace(rct_ws, tmp_path, preset="cnt", progress=False,
                     flags={"window": window, "min_edge_weight": mw})
    with (tmp_path / "edges.csv").open() as fh:
        ours = {(r["account_a"], r["account_b"]): float(r["weight"]) for r in csv.DictReader(fh)}
    name = f"out_tw{window}_mw{mw}_edges.csv"
    with (PEERS / "coordination-network-toolkit" / name).open() as fh:
        ref = {(r["source"], r["target"]): float(r["weight"]) for r in csv.DictReader(fh)}
    assert ours == ref
