"""Parity with the peers' own outputs on the real CooRTweet rows: exact edge sets and weights."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lockstep.workflow import run_detection
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
    summary = run_detection(rct_ws, tmp_path, preset="coortweet", progress=False, flags=flags).summary
    ours = _ours(tmp_path)
    with (PEERS / "coortweet" / folder / "rct_edges_full.csv").open() as fh:
        ref = {tuple(sorted((r["from"], r["to"]))): (float(r["weight"]), float(r["avg_time_delta"]),
                                                     r["weight_threshold"]) for r in csv.DictReader(fh)}
    assert set(ours) == set(ref)
    assert len(ours) == edges and summary.n_graph_accounts == accounts
    for k, (w, dt, thr) in ref.items():
        assert ours[k][0] == w
        assert ours[k][1] == pytest.approx(dt, abs=1e-3)
        assert ours[k][2] == thr
    # the thresholded graph's components are the preset's campaigns
    summ = dict(line.split(": ") for line in (PEERS / "coortweet" / folder / "rct_summary.txt")
                .read_text().splitlines())
    assert summary.n_campaigns == int(summ["thresholded_components"])


@pytest.mark.parametrize("window,mw", [(10, 1), (10, 2), (60, 1), (60, 2)])
def test_cnt_preset_matches_toolkit(rct_ws: Workspace, tmp_path: Path, window: int, mw: int) -> None:
    run_detection(rct_ws, tmp_path, preset="cnt", progress=False,
                     flags={"window": window, "min_edge_weight": mw})
    with (tmp_path / "edges.csv").open() as fh:
        ours = {(r["account_a"], r["account_b"]): float(r["weight"]) for r in csv.DictReader(fh)}
    name = f"out_tw{window}_mw{mw}_edges.csv"
    with (PEERS / "coordination-network-toolkit" / name).open() as fh:
        ref = {(r["source"], r["target"]): float(r["weight"]) for r in csv.DictReader(fh)}
    assert ours == ref


@pytest.mark.parametrize("column,window,n_edges", [("url_id", 60, 1919), ("hashtag_id", 10, 323)])
def test_coortweet_preset_matches_coortweet_on_german_elections(tmp_path: Path, column: str, window: int,
                                                                n_edges: int) -> None:
    """A second real dataset (multi-platform, with repeated rows: one per post x hashtag)."""
    import gzip

    from detect_fixtures import REAL

    from lockstep.ingest import ingest_paths
    from lockstep.store import open_workspace

    src = REAL.parent.parent / "coortweet_german_elections" / "german_elections.csv.gz"
    assert src.exists(), f"real data missing: {src} (../shared/data/real must be present)"
    rows = tmp_path / "shares.csv"
    with gzip.open(src, "rt", newline="") as fin, rows.open("w", newline="") as fout:
        w = csv.writer(fout)
        w.writerow(["object_id", "account_id", "content_id", "timestamp_share"])
        for r in csv.DictReader(fin):
            if r[column]:
                w.writerow([r[column], r["account_id"], r["post_id"], r["timestamp"]])
    name = {"url_id": "url", "hashtag_id": "hashtag"}[column]
    ref_path = Path(__file__).parent / "data" / "coortweet_german" / f"{name}_tw{window}_mp2_ew0.5_edges.csv"
    with ref_path.open() as fh:
        ref = {tuple(sorted((r["from"], r["to"]))): (float(r["weight"]), float(r["avg_time_delta"]),
                                                     r["weight_threshold"]) for r in csv.DictReader(fh)}
    with open_workspace(tmp_path / "ws") as ws:
        assert ingest_paths(ws, [rows], fmt="coortweet", progress=False).files[0].error is None
        run_detection(ws, tmp_path / "out", preset="coortweet", progress=False,
                         flags={"window": window, "min_participation": 2})
    ours = _ours(tmp_path / "out")
    assert len(ref) == n_edges and set(ours) == set(ref)
    for k, (w_, dt, thr) in ref.items():
        assert ours[k][0] == w_
        assert ours[k][1] == pytest.approx(dt, abs=1e-3)
        assert ours[k][2] == thr
