"""Every format, from a small fixture: detected by header, mapped into the canonical tables."""

from __future__ import annotations

import gzip
import shutil
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lockstep.errors import UserError
from lockstep.ingest import ingest_paths
from lockstep.store import Workspace

from ingest_helpers import FIXTURES, rows


def ingest(ws: Workspace, name: str, **kw):  # type: ignore[no-untyped-def]
    rep = ingest_paths(ws, [FIXTURES / name], progress=False, **kw)
    assert rep.ok, rep.errors
    return rep.files[0]


def test_io_tweets(ws: Workspace) -> None:
    f = ingest(ws, "io_tweets.csv")
    assert (f.format, f.rows_read, f.rows_stored, f.rows_quarantined) == ("io-tweets", 4, 4, 0)
    got = {r[0]: r[1:] for r in rows(ws, "SELECT action_id, kind, target_id, target_account_id, time_precision,"
                                         " hashtags, urls, mentions, source_line FROM actions")}
    assert got["5001"] == ("post", None, None, "min", ["HK"], ["https://example.com/x"], [], 2)
    assert got["5002"][:4] == ("repost", "5001", "1001", "s")
    assert got["5003"][:2] == ("quote", "5001") and got["5003"][5] == ["https://a.example/1", "https://b.example/2"]
    assert got["5004"][:3] == ("reply", "5001", "1001") and got["5004"][4] == ["HK", "protest"]
    acc = dict(rows(ws, "SELECT account_id, followers FROM accounts"))
    assert acc == {"1001": 10, "vMm2zemFOF7kmXoDyX24Bo+TorqhNutpZlATYyxsE=": 1, "1003": 3}  # hashed id kept


def test_io_users(ws: Workspace) -> None:
    f = ingest(ws, "io_users.csv")
    assert (f.format, f.rows_stored) == ("io-users", 3)
    r = rows(ws, "SELECT handle, followers, created_at, language FROM accounts WHERE account_id = '1001'")
    assert r == [("alice_hk", 170155, datetime(2009, 1, 7), "en")]


def test_coortweet_keeps_every_row_and_is_idempotent(ws: Workspace) -> None:
    f = ingest(ws, "coortweet.csv")
    assert (f.format, f.rows_read, f.rows_stored) == ("coortweet", 5, 5)
    assert rows(ws, "SELECT count(*) FROM actions WHERE action_id LIKE 'c2%'") == [(2,)]
    assert rows(ws, "SELECT min(timestamp) FROM actions") == [(datetime(2021, 6, 16, 22, 4, 51),)]
    again = ingest(ws, "coortweet.csv")
    assert again.rows_stored == 0 and ws.count("actions") == 5


def test_cnt_with_bom_list_and_space_separated_urls(ws: Workspace) -> None:
    f = ingest(ws, "cnt.csv")
    assert (f.format, f.rows_stored) == ("cnt", 4)
    got = {r[0]: r[1:] for r in rows(ws, "SELECT action_id, kind, target_id, urls, time_precision FROM actions")}
    assert got["1"] == ("post", None, ["http://example.com/2"], "us")
    assert got["2"] == ("repost", "1", ["http://example.com/4", "http://example.com/6"], "us")
    assert got["3"] == ("reply", "1", ["http://example.com/7", "http://example.com/8"], "s")
    assert rows(ws, "SELECT handle FROM accounts WHERE account_id = '2'") == [("user_2",)]


@pytest.mark.parametrize("name", ["access_log.csv", "access_log_account_id.csv"])
def test_access_log(ws: Workspace, name: str) -> None:
    f = ingest(ws, name)
    assert f.format == "access-log" and f.rows_stored == f.rows_read and f.rows_quarantined == 0


def test_access_log_networks_and_zones(ws: Workspace) -> None:
    ingest(ws, "access_log.csv")
    got = rows(ws, "SELECT timestamp, network FROM access ORDER BY source_line")
    assert got == [(datetime(2019, 8, 1, 1), "203.0.113.0/24"), (datetime(2019, 8, 1, 1), "203.0.113.0/24"),
                   (datetime(2019, 8, 1, 2), "2001:db8:aa::/48")]


def test_generic_csv_with_mapping(ws: Workspace) -> None:
    f = ingest(ws, "generic.csv", fmt="generic",
               mapping={"user": "account_id", "when": "timestamp", "post": "action_id", "shared": "target_id",
                        "words": "text"})
    assert f.rows_stored == 3
    got = rows(ws, "SELECT action_id, timestamp, target_id FROM actions ORDER BY action_id")
    assert got == [("p1", datetime(2021, 5, 1, 10), None), ("p2", datetime(2021, 5, 1, 10, 0, 5), "p1"),
                   ("p3", datetime(2021, 5, 1, 10, 0, 9), "p1")]


def test_generic_jsonl_and_parquet(ws: Workspace, tmp_path: Path) -> None:
    f = ingest(ws, "generic.jsonl")
    assert (f.format, f.rows_stored) == ("generic", 2)
    assert rows(ws, "SELECT hashtags FROM actions WHERE action_id = 'p1'") == [(["a", "b"],)]
    pq.write_table(pa.table({"who": ["x", "y"], "t": ["2021-01-01T00:00:00Z", "2021-01-01T00:00:01Z"]}),
                   tmp_path / "g.parquet")
    rep = ingest_paths(ws, [tmp_path / "g.parquet"], fmt="generic", mapping={"who": "account_id", "t": "timestamp"},
                       progress=False)
    assert rep.ok and rep.files[0].rows_stored == 2


def test_twarc2_pages_and_flattened(ws: Workspace) -> None:
    f = ingest(ws, "twarc2.jsonl")
    assert f.format == "twarc2" and f.rows_stored == 3
    got = {r[0]: r[1:] for r in rows(ws, "SELECT action_id, kind, target_id, target_account_id, urls, time_precision"
                                         " FROM actions")}
    assert got["1400000000000000002"][:3] == ("repost", "1400000000000000001", "11")
    assert got["1400000000000000003"][:3] == ("reply", "1400000000000000001", "11")
    assert got["1400000000000000001"][3:] == (["https://example.com/story"], "ms")
    assert ws.count("accounts") == 3


def test_jetstream(ws: Workspace) -> None:
    f = ingest(ws, "jetstream.jsonl")
    assert f.format == "jetstream" and f.rows_stored == 5 and f.rows_quarantined == 1  # the delete
    kinds = dict(rows(ws, "SELECT kind, count(*) FROM actions GROUP BY kind"))
    assert kinds == {"post": 1, "repost": 1, "like": 1, "follow": 1, "reply": 1}
    assert rows(ws, "SELECT timestamp, hashtags, urls FROM actions WHERE kind = 'post'") == [
        (datetime(2024, 9, 9, 19, 46, 2, 329308), ["bsky"], ["https://example.com"])]
    assert rows(ws, "SELECT handle FROM accounts") == [("ddd.bsky.social",)]


def test_ira_538(ws: Workspace) -> None:
    f = ingest(ws, "ira538.csv")
    assert (f.format, f.rows_stored) == ("ira-538", 4)
    reposts = rows(ws, "SELECT DISTINCT target_id FROM actions WHERE kind = 'repost'")
    assert len(reposts) == 1 and reposts[0][0].startswith("text-md5:")  # same text -> same target
    assert rows(ws, "SELECT urls, hashtags FROM actions WHERE source_line = 2") == [(["https://t.co/abc"], ["MAGA"])]


def test_snap_higgs(ws: Workspace) -> None:
    f = ingest(ws, "snap_higgs.txt")
    assert (f.format, f.rows_stored) == ("snap-higgs", 4)
    got = rows(ws, "SELECT kind, target_account_id, mentions FROM actions ORDER BY source_line")
    assert got == [("post", None, ["213163"]), ("reply", "213163", []), ("repost", "50329", []),
                   ("post", None, ["168366"])]


def test_twitter_users(ws: Workspace) -> None:
    f = ingest(ws, "twitter_users.csv")
    assert (f.format, f.rows_stored) == ("twitter-users", 2)
    got = rows(ws, "SELECT account_id, created_at, url, default_profile, verified FROM accounts ORDER BY 1")
    assert got == [("1000001", datetime(2013, 6, 11, 11, 20, 35), None, True, None),
                   ("1000002", datetime(2009, 2, 20, 10, 1, 2), None, False, True)]


def test_gzip_is_transparent(ws: Workspace, tmp_path: Path) -> None:
    gz = tmp_path / "tweets.csv.gz"
    with (FIXTURES / "io_tweets.csv").open("rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    rep = ingest_paths(ws, [gz], progress=False)
    assert rep.files[0].format == "io-tweets" and rep.files[0].rows_stored == 4


def test_unknown_format_name_is_a_user_error(ws: Workspace) -> None:
    with pytest.raises(UserError, match="unknown format 'nope'"):
        ingest_paths(ws, [FIXTURES / "coortweet.csv"], fmt="nope", progress=False)


def test_missing_columns_named(ws: Workspace) -> None:
    rep = ingest_paths(ws, [FIXTURES / "coortweet.csv"], fmt="io-tweets", progress=False)
    assert "not a io-tweets file: missing column(s) tweetid, userid, tweet_time" in rep.errors[0]
