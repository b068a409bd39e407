"""Accounts taken from an actions file (first row per author) are the same however the
file is batched and whichever of its authors are stored already.

Why: on the direct path the stored authors are dropped before the first row per author is
picked (``csvpipe._unstored``); a wrong key there would store a second row for a known
account, or lose a new one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lockstep.ingest import csvscan
from lockstep.ingest.api import ingest_paths
from lockstep.store import open_workspace

USERS = 'userid,user_screen_name,user_display_name\n1,u1,U1\n2,u2,U2\n'
TWEETS = (
    "tweetid,userid,tweet_time,user_screen_name,user_display_name\n"
    "10,2,2020-01-01 00:00:01,t2,T2a\n"   # line 2: author stored by the users file
    "11,3,2020-01-01 00:00:02,t3,T3a\n"   # line 3: new author, first row
    "12,4,2020-01-01 00:00:03,t4,T4a\n"   # line 4
    "13, 3,2020-01-01 00:00:04,t3,T3b\n"  # line 5: same account (id trimmed), later row
    "14,4,2020-01-01 00:00:05,t4,T4b\n"   # line 6
    "15,6,not a time,t6,T6bad\n"          # line 7: quarantined, not an account source
    "16,6,2020-01-01 00:00:07,t6,T6a\n"   # line 8
    "17,1,2020-01-01 00:00:08,t1,T1a\n"   # line 9: stored
    "18,7,2020-01-01 00:00:09,t7,T7a\n"   # line 10
)
EXPECTED = [("1", "U1", 2), ("2", "U2", 3), ("3", "T3a", 3), ("4", "T4a", 4), ("6", "T6a", 8),
            ("7", "T7a", 10)]


@pytest.mark.parametrize("batch_rows", [2, 3, csvscan.BATCH_ROWS])
def test_accounts_from_tweets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int) -> None:
    monkeypatch.setattr(csvscan, "BATCH_ROWS", batch_rows)
    (tmp_path / "users.csv").write_text(USERS)
    (tmp_path / "tweets.csv").write_text(TWEETS)
    ws = open_workspace(tmp_path / "ws")
    try:
        report = ingest_paths(ws, [tmp_path / "users.csv", tmp_path / "tweets.csv"], progress=False)
        assert [f.error for f in report.files] == [None, None]
        assert report.files[1].stored_by_table["accounts"] == 4
        got = ws.con.execute("SELECT account_id, display_name, source_line FROM accounts ORDER BY 1").fetchall()
        assert got == EXPECTED
        assert ws.con.execute("SELECT count(*), count(DISTINCT row_key) FROM accounts").fetchone() == (6, 6)
        assert ws.con.execute("SELECT count(*) FROM actions").fetchone() == (8,)
    finally:
        ws.close()


def test_generic_platform_inside_a_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Generic accounts files may change ``platform`` inside one ``account_id`` group: the
    first row of the group decides, stored or not (no early drop of stored keys there)."""
    from lockstep.ingest import csvpipe
    from lockstep.ingest.detect import get_format

    assert csvpipe._key_by_group(get_format("io-tweets"), "accounts", "userid")
    assert not csvpipe._key_by_group(get_format("generic-accounts"), "accounts", "account_id")
    monkeypatch.setattr(csvscan, "BATCH_ROWS", 2)
    (tmp_path / "a.csv").write_text("platform,account_id,handle\nx,1,a\n")
    (tmp_path / "b.csv").write_text("platform,account_id,handle\nx,1,b\ny,1,c\n")
    ws = open_workspace(tmp_path / "ws")
    try:
        ingest_paths(ws, [tmp_path / "a.csv", tmp_path / "b.csv"], progress=False)
        got = ws.con.execute("SELECT platform, account_id, handle FROM accounts ORDER BY 1").fetchall()
        assert got == [("x", "1", "a")]
    finally:
        ws.close()


def test_batch_rows_follow_line_width(tmp_path: Path) -> None:
    """Narrow lines get the full batch; lines of ~20 KB get fewer rows, so a batch's text
    stays about ``BATCH_BYTES``; a broken gzip file still gets a size (the scan reports it)."""
    from lockstep.ingest.source import open_source

    narrow, wide, broken = tmp_path / "n.csv", tmp_path / "w.csv", tmp_path / "b.csv.gz"
    narrow.write_text("a,b\n" + "1,2\n" * 1000)
    wide.write_text("a,b\n" + ("x" * 20_000 + ",2\n") * 100)
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    assert csvscan.batch_rows_for(open_source(narrow)) == csvscan.BATCH_ROWS
    rows = csvscan.batch_rows_for(open_source(wide))
    assert abs(rows - csvscan.BATCH_BYTES // 20_003) < 0.05 * rows  # (estimated from the first MiB)
    assert csvscan.MIN_BATCH_ROWS <= rows < csvscan.BATCH_ROWS
    assert csvscan.batch_rows_for(open_source(broken)) == csvscan.MIN_BATCH_ROWS
    assert csvscan.batch_rows_for(open_source(wide), cap=3) == 3
