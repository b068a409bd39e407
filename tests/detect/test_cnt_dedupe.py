"""--preset cnt keeps the first row per message id, as the toolkit's message table does."""

from __future__ import annotations

from pathlib import Path

from lockstep.detect.pipeline import _run_signals
from lockstep.detect.settings import build_settings
from lockstep.ingest import ingest_paths
from lockstep.store import open_workspace

HEADER = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"


def _pairs(tmp_path: Path, rows: str) -> set[tuple[str, str]]:
    tmp_path.mkdir()
    path = tmp_path / "m.csv"
    path.write_text(HEADER + rows)
    with open_workspace(tmp_path / "ws") as ws:
        assert ingest_paths(ws, [path], fmt="cnt", progress=False).files[0].error is None
        edges, _, _, _ = _run_signals(ws, build_settings(preset="cnt", flags={"window": 60}), progress=False)
    return set(zip(edges.column("account_a").to_pylist(), edges.column("account_b").to_pylist()))


def test_repeated_message_ids_keep_the_first_row(tmp_path: Path) -> None:
    rows = ("m1,u1,u1,o1,,,1000,\nm2,u2,u2,o1,,,1010,\nm3,u1,u1,o2,,,2000,\nm4,u2,u2,o2,,,2010,\n"
            "m1,u3,u3,o1,,,1005,\nm3,u3,u3,o2,,,2005,\n")  # u3's rows reuse ids: dropped
    assert _pairs(tmp_path / "a", rows) == {("u1", "u2"), ("u2", "u1")}


def test_without_repeats_every_row_counts(tmp_path: Path) -> None:
    rows = ("m1,u1,u1,o1,,,1000,\nm2,u2,u2,o1,,,1010,\nm3,u1,u1,o2,,,2000,\nm4,u2,u2,o2,,,2010,\n"
            "m5,u3,u3,o1,,,1005,\nm6,u3,u3,o2,,,2005,\n")
    assert _pairs(tmp_path / "b", rows) == {(a, b) for a in ("u1", "u2", "u3") for b in ("u1", "u2", "u3") if a != b}
