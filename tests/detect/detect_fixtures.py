"""Fixtures: workspaces loaded with the real CooRTweet rows, and small hand-made worlds.

The CooRTweet loader prefers ``lockstep.ingest.ingest_paths`` and falls back to staging
the rows directly with the canonical mapping (coortweet format in the contracts), so the
parity tests do not depend on the ingest work being finished.
"""

from __future__ import annotations

import random

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pytest

from lockstep.model import ACTIONS
from lockstep.store import Workspace, open_workspace

# ../shared beside the repository root (present in CI): the tests fail, never skip, without it
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REAL = SHARED / "data/real/coortweet_russian_coord_tweets/russian_coord_tweets.csv.gz"
PEERS = SHARED / "data/peers"


def load_coortweet(ws: Workspace, path: Path) -> None:
    try:
        from lockstep.ingest import ingest_paths  # type: ignore[attr-defined]
    except ImportError:
        ingest_paths = None
    if ingest_paths is not None:
        ingest_paths(ws, [path], fmt="coortweet", progress=False)
        return
    ws.stage_sql("actions", f"""
        SELECT 'twitter' AS platform, content_id AS action_id, account_id, 'repost' AS kind,
               object_id AS target_id, NULL AS target_account_id,
               make_timestamp(timestamp_share::BIGINT * 1000000) AS timestamp, 's' AS time_precision,
               NULL AS text, NULL::VARCHAR[] AS urls, NULL::VARCHAR[] AS hashtags,
               NULL::VARCHAR[] AS mentions, NULL AS client, NULL AS language, NULL AS entity_id,
               '{path.name}' AS source_file, row_number() OVER () + 1 AS source_line
        FROM read_csv('{path}', all_varchar = true, header = true)""")
    ws.merge()


@pytest.fixture(scope="session")
def rct_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    assert REAL.exists(), f"real data missing: {REAL} (../shared/data/real must be present)"
    ws = open_workspace(tmp_path_factory.mktemp("rct") / "ws")
    load_coortweet(ws, REAL)
    yield ws
    ws.close()


T0 = datetime(2019, 8, 1, 12, 0, 0)


def action(action_id: str, account: str, kind: str, seconds: float, target: str | None = None,
           text: str | None = None, urls: list[str] | None = None,
           hashtags: list[str] | None = None, target_account: str | None = None) -> dict[str, Any]:
    return {"platform": "twitter", "action_id": action_id, "account_id": account, "kind": kind,
            "target_id": target, "target_account_id": target_account,
            "timestamp": T0 + timedelta(seconds=seconds), "time_precision": "s", "text": text,
            "urls": urls or [], "hashtags": hashtags or [], "mentions": [], "client": None,
            "language": None, "entity_id": None, "source_file": "test", "source_line": 0}


def make_ws(path: Path, rows: list[dict[str, Any]]) -> Workspace:
    ws = open_workspace(path)
    for i, r in enumerate(rows):
        r["source_line"] = i + 2
    ws.stage("actions", pa.Table.from_pylist(rows, schema=ACTIONS))
    ws.merge()
    return ws


def planted_world(seed: int = 3) -> tuple[list[dict], set[str], set[str]]:
    """12 operators resharing and copying each other's posts within seconds; 40 fans
    resharing 4 leaders within minutes; 300 ordinary accounts resharing popular posts."""
    rng = random.Random(seed)
    rows: list[dict] = []
    ops = [f"op{i}" for i in range(12)]
    fans = [f"fan{i}" for i in range(40)]
    org = [f"org{i}" for i in range(300)]
    n = 0

    def add(*a, **k) -> None:
        nonlocal n
        n += 1
        rows.append(action(f"a{n}", *a, **k))

    for p in range(40):  # operation: a persona post, reshared within seconds, and a template
        t = p * 3600 + rng.randrange(600)
        add("persona", "post", t, text=f"Persona news item {p} about the riots")
        pid = rows[-1]["action_id"]
        for o in ops:
            if rng.random() < 0.85:
                add(o, "repost", t + rng.expovariate(1 / 15), target=pid)
                add(o, "post", t + 120 + rng.expovariate(1 / 20),
                    text=f"Template {p}: rioters destroy order in our city, support the police")
    for p in range(60):  # leaders' posts reshared by fans within minutes
        t = p * 2400 + rng.randrange(600)
        add(f"leader{p % 4}", "post", t, text=f"Leader update {p}")
        pid = rows[-1]["action_id"]
        for f in fans:
            if rng.random() < 0.6:
                add(f, "repost", t + rng.uniform(0, 900), target=pid)
    popular = [f"pop{i}" for i in range(80)]
    for o in org:  # organic resharing of popular posts at any time of the day
        for _ in range(rng.randrange(3, 25)):
            add(o, "repost", rng.uniform(0, 150_000), target=rng.choice(popular[: rng.randrange(5, 80)]))
    return rows, set(ops) | {"persona"}, set(fans)

