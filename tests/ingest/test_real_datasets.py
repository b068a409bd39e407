"""Every real dataset with actions or accounts ingests with the counts its PROVENANCE gives."""

from __future__ import annotations

import pytest

from lockstep.ingest import ingest_paths
from lockstep.store import Workspace

from ingest_helpers import real, rows


def test_coortweet_russian_coord_tweets(ws: Workspace) -> None:
    path = real("coortweet_russian_coord_tweets/russian_coord_tweets.csv.gz")
    f = ingest_paths(ws, [path], progress=False).files[0]
    assert (f.format, f.rows_read, f.rows_stored, f.rows_quarantined) == ("coortweet", 35_125, 35_125, 0)
    assert rows(ws, "SELECT count(DISTINCT account_id), count(DISTINCT target_id), count(DISTINCT action_id)"
                    " FILTER (WHERE action_id NOT LIKE '%~dup%'), min(timestamp)::VARCHAR, max(timestamp)::VARCHAR"
                    " FROM actions") == [(9_509, 7_285, 35_085, "2021-01-17 07:56:33", "2021-08-30 10:21:00")]
    again = ingest_paths(ws, [path], progress=False).files[0]
    assert again.rows_stored == 0 and ws.count("actions") == 35_125


def test_ira_2016_english_tweets(ws: Workspace) -> None:
    path = real("ira_538_by_author_2016_english/tweets_2016_english_categories.csv.gz")
    f = ingest_paths(ws, [path], progress=False).files[0]
    assert (f.format, f.rows_read, f.rows_stored, f.rows_quarantined) == ("ira-538", 709_112, 709_112, 0)
    assert rows(ws, "SELECT count(DISTINCT account_id) FROM actions") == [(640,)]
    assert ws.count("accounts") == 640
    # every line numbered: header is line 1, the last tweet is line 709,113
    assert rows(ws, "SELECT min(source_line), max(source_line) FROM actions") == [(2, 709_113)]


def test_snap_higgs_activity(ws: Workspace) -> None:
    path = real("snap_higgs_twitter/higgs-activity_time.txt.gz")
    f = ingest_paths(ws, [path], progress=False).files[0]
    assert (f.format, f.rows_read, f.rows_stored, f.rows_quarantined) == ("snap-higgs", 563_069, 563_069, 0)
    kinds = dict(rows(ws, "SELECT kind, count(*) FROM actions GROUP BY kind"))
    assert kinds == {"repost": 354_930, "post": 171_237, "reply": 36_902}  # RT, MT, RE
    users = rows(ws, "SELECT count(DISTINCT u) FROM (SELECT account_id AS u FROM actions UNION ALL"
                     " SELECT coalesce(target_account_id, mentions[1]) FROM actions)")
    assert users == [(304_691,)]


def test_china_2019_users(ws: Workspace) -> None:
    path = real("twitter_io_china_082019_1_users/china_082019_1_users_csv_hashed.csv")
    f = ingest_paths(ws, [path], progress=False).files[0]
    assert (f.format, f.rows_read, f.rows_stored, f.rows_quarantined) == ("io-users", 744, 744, 0)
    assert rows(ws, "SELECT count(*) FILTER (WHERE NOT regexp_full_match(account_id, '[0-9]+')), max(followers),"
                    " count(*) FILTER (WHERE year(created_at) = 2017) FROM accounts") == [(254, 170_155, 416)]


@pytest.mark.parametrize(("name", "n"), [("genuine_accounts_users.csv", 3_474),
                                         ("social_spambots_1_users.csv", 991)])
def test_cresci_2017_profiles(ws: Workspace, name: str, n: int) -> None:
    path = real(f"cresci2017_profiles_genuine_vs_socialspambots1/{name}")
    f = ingest_paths(ws, [path], progress=False).files[0]
    assert (f.format, f.rows_read, f.rows_stored, f.rows_quarantined) == ("twitter-users", n, n, 0)


def test_nbc_ira_users_without_id_are_quarantined(ws: Workspace) -> None:
    path = real("nbc_ira_users/users.csv")
    f = ingest_paths(ws, [path], progress=False).files[0]
    assert (f.format, f.rows_read, f.rows_stored, f.rows_quarantined) == ("twitter-users", 454, 393, 61)
