"""``--preset cnt`` reproduces coordination-network-toolkit's co_retweet, co_tweet, co_link and
co_reply networks (directed weights) on one generated message file, at two windows and two
minimum weights. The toolkit's tables were computed once with the toolkit itself; see
``data/cnt_networks/PROVENANCE.md`` (including the one documented difference)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from lockstep.detect.pipeline import _run_signals
from lockstep.detect.settings import build_settings
from lockstep.ingest import ingest_paths
from lockstep.store import Workspace, open_workspace

DATA = Path(__file__).parent / "data" / "cnt_networks"
SIGNAL = {"co_retweet": "co_repost", "co_tweet": "co_text", "co_link": "co_link", "co_reply": "co_reply"}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with open_workspace(tmp_path_factory.mktemp("cntnet") / "ws") as w:
        report = ingest_paths(w, [DATA / "messages.csv"], fmt="cnt", progress=False)
        assert report.files[0].error is None and w.count("actions") == 1500
        yield w


@pytest.mark.parametrize("network", sorted(SIGNAL))
@pytest.mark.parametrize(("window", "mw"), [(10, 1), (10, 2), (60, 1), (60, 2)])
def test_network_matches_toolkit(ws: Workspace, network: str, window: int, mw: int) -> None:
    with open(DATA / f"{network}_tw{window}_mw{mw}.csv", newline="") as fh:
        peer = {(r["user_1"], r["user_2"]): float(r["weight"]) for r in csv.DictReader(fh)}
    st = build_settings(preset="cnt", flags={"signals": [SIGNAL[network]], "window": float(window),
                                             "min_edge_weight": float(mw)})
    edges, _, _, _ = _run_signals(ws, st, progress=False)
    mine = {(a, b): w for a, b, w in zip(edges.column("account_a").to_pylist(),
                                         edges.column("account_b").to_pylist(),
                                         edges.column("weight").to_pylist())}
    assert peer, "the fixture has edges"
    assert mine == peer
