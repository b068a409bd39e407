"""Conformance: every registered format, on its own example file, on an empty file, and
twice (the second ingest changes no canonical row). A format registered without an
example here fails ``test_every_format_has_an_example``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lockstep.ingest import FORMATS, ingest_paths
from lockstep.model import TABLES
from lockstep.store import open_workspace

from ingest_helpers import FIXTURES

EXAMPLES = {
    "io-tweets": "io_tweets.csv", "io-users": "io_users.csv", "coortweet": "coortweet.csv", "cnt": "cnt.csv",
    "access-log": "access_log.csv", "generic": "generic.jsonl", "ira-538": "ira538.csv",
    "snap-higgs": "snap_higgs.txt", "twitter-users": "twitter_users.csv", "twarc2": "twarc2.jsonl",
    "jetstream": "jetstream.jsonl", "twitter-v1": "genuine/v1_search.jsonl",
    "mastodon": "genuine/mastodon_public_timeline.json", "telegram": "telegram_export.json",
    "twarc2-csv": "genuine/twarc2csv_stream.csv", "generic-entities": "generic_entities.csv",
    "generic-memberships": "generic_memberships.csv", "generic-accounts": "generic_accounts.csv",
}


def _canonical(ws: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {t: ws.con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in TABLES}


def test_every_format_has_an_example() -> None:
    assert sorted(FORMATS.names()) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_then_again_changes_nothing(name: str, tmp_path: Path) -> None:
    path = FIXTURES / EXAMPLES[name]
    with open_workspace(tmp_path / "ws") as ws:
        first = ingest_paths(ws, [path], fmt=name, progress=False).files[0]
        assert first.error is None and first.rows_stored > 0 and first.reconciled
        before = _canonical(ws)
        second = ingest_paths(ws, [path], fmt=name, progress=False).files[0]
        assert second.error is None and second.rows_stored == 0
        assert second.rows_duplicate == first.rows_read - first.rows_quarantined
        assert _canonical(ws) == before


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_empty_file_is_rejected_and_stores_nothing(name: str, tmp_path: Path) -> None:
    path = tmp_path / ("empty" + Path(EXAMPLES[name]).suffix)
    path.write_bytes(b"")
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest_paths(ws, [path], fmt=name, progress=False).files[0]
        assert f.error is not None and "empty" in f.error
        assert all(not rows for rows in _canonical(ws).values())
        assert ws.count("ingested_files") == 0
