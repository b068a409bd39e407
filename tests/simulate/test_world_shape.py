"""The documented shape of a simulated world (docs/simulator.md)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd

from lockstep.simulate.config import WorldConfig
from lockstep.simulate.writers import ACCESS_COLUMNS, TWEET_COLUMNS, USER_COLUMNS


def _by_group(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    t = frames["tweets"].merge(frames["labels"], on="userid", how="left")
    t["ts"] = pd.to_datetime(t["tweet_time"], format="%Y-%m-%d %H:%M:%S")
    return t


def test_io_layout_and_lists(frames: dict[str, pd.DataFrame]) -> None:
    t = frames["tweets"]
    assert tuple(t.columns) == TWEET_COLUMNS
    assert tuple(frames["users"].columns) == USER_COLUMNS
    assert tuple(frames["access"].columns) == ACCESS_COLUMNS
    assert t["tweetid"].is_unique and frames["users"]["userid"].is_unique
    assert set(t["userid"]) <= set(frames["users"]["userid"])
    sample = t.sample(2000, random_state=0)
    for col in ("hashtags", "urls", "user_mentions"):
        assert all(isinstance(ast.literal_eval(v), list) for v in sample[col])
    pd.to_datetime(t["tweet_time"], format="%Y-%m-%d %H:%M:%S")  # raises if any row is malformed
    rt = t[t["is_retweet"] == "True"]
    assert (rt["retweet_tweetid"] != "").all() and rt["retweet_tweetid"].isin(t["tweetid"]).mean() > 0.99
    assert set(t["is_retweet"]) == {"True", "False"}


def test_role_counts(world: Path, frames: dict[str, pd.DataFrame]) -> None:
    cfg = WorldConfig(scale=0.1)
    lab = frames["labels"]
    counts = lab["group"].value_counts()
    assert counts["persona"] == cfg.n_personas and counts["operator"] == cfg.n_operators
    assert counts["amplifier"] == cfg.n_amplifiers
    assert (lab.loc[lab["role"] == "core", "group"].isin(["persona", "operator"])).all()
    assert set(lab["role"]) == {"organic", "core", "amplifier"}
    assert set(lab.loc[lab["role"] != "organic", "campaign"]) == {"hk2019"}
    m = json.loads((world / "world.json").read_text())
    assert m["config"]["seed"] == 7 and m["counts"]["actions"] == len(frames["tweets"])


def test_amplifiers_created_in_bursts_with_empty_profiles(frames: dict[str, pd.DataFrame]) -> None:
    u = frames["users"].merge(frames["labels"], on="userid")
    amp = u[u["group"] == "amplifier"]
    days = pd.to_datetime(amp["account_creation_date"])
    assert days.min() >= pd.Timestamp("2019-07-22")
    # bursts: most amplifiers were created on a handful of days
    assert days.value_counts().head(8).sum() / len(amp) > 0.8
    assert (amp["user_profile_description"] == "").all()
    assert (amp["follower_count"].astype(int) <= 5).all()
    assert amp["user_screen_name"].str.contains(r"^[a-z]+\d{3,8}$").mean() > 0.95


def test_amplifiers_mostly_engage_once(frames: dict[str, pd.DataFrame]) -> None:
    t = _by_group(frames)
    amp_ids = frames["labels"].query("group == 'amplifier'")["userid"]
    n = t[t["group"] == "amplifier"].groupby("userid").size().reindex(amp_ids, fill_value=0)
    assert (n >= 1).mean() > 0.95
    assert 0.55 < (n == 1).mean() < 0.85
    core = set(frames["labels"].query("role == 'core'")["userid"])
    eng = t[(t["group"] == "amplifier") & (t["is_retweet"] == "True")]
    assert eng["retweet_userid"].isin(core).mean() > 0.95


def test_operators_work_office_hours_in_utc8(frames: dict[str, pd.DataFrame]) -> None:
    t = _by_group(frames)
    op = t[(t["group"] == "operator") & (t["ts"] >= "2019-06-11")]
    local = op["ts"] + pd.Timedelta(hours=8)
    office = local.dt.hour.between(8, 17) & (local.dt.day_of_week < 5)
    assert office.mean() > 0.9
    organic = t[t["group"] == "general"]
    assert (organic["ts"] + pd.Timedelta(hours=8)).dt.hour.between(8, 17).mean() < 0.7


def test_repurposed_operators_switch_language(frames: dict[str, pd.DataFrame]) -> None:
    t = _by_group(frames)
    op = t[t["group"] == "operator"]
    before = op[op["ts"] < "2019-06-11"]
    after = op[op["ts"] >= "2019-07-01"]
    assert len(before) > 0 and set(before["tweet_language"]) - {"zh"}
    assert set(after.loc[after["is_retweet"] == "False", "tweet_language"]) <= {"zh", "en"}


def test_operators_repost_personas_within_seconds(frames: dict[str, pd.DataFrame]) -> None:
    t = _by_group(frames)
    personas = set(frames["labels"].query("group == 'persona'")["userid"])
    posts = t.set_index("tweetid")["ts"]
    rt = t[(t["group"] == "operator") & t["retweet_userid"].isin(personas)]
    delay = (rt["ts"].values - posts.reindex(rt["retweet_tweetid"]).values) / pd.Timedelta(seconds=1)
    assert len(rt) > 50 and pd.Series(delay).median() < 60


def test_hard_negatives_present_and_active(frames: dict[str, pd.DataFrame]) -> None:
    t = _by_group(frames)
    for g in ("protest", "protest_leader", "loyalist", "news"):
        assert (t["group"] == g).sum() > 100, g
    leaders = set(frames["labels"].query("group == 'protest_leader'")["userid"])
    rs = t[(t["group"] == "protest") & t["retweet_userid"].isin(leaders)]
    posts = t.set_index("tweetid")["ts"]
    delay = (rs["ts"].values - posts.reindex(rs["retweet_tweetid"]).values) / pd.Timedelta(minutes=1)
    assert pd.Series(delay).median() < 10  # protesters reshare their leaders within minutes
    loyal = t[(t["group"] == "loyalist") & (t["is_retweet"] == "False")]
    assert loyal["hashtags"].str.contains("HongKong|香港|StopViolence").mean() > 0.2
    op_hours = (loyal["ts"] + pd.Timedelta(hours=8)).dt.hour.between(8, 17).mean()
    assert op_hours < 0.75  # their own hours, not office hours


def test_viral_posts_reshared_thousands_within_an_hour(tmp_path: Path) -> None:
    from lockstep.simulate import simulate

    simulate(tmp_path, scale=0.4, seed=3)
    t = pd.read_csv(tmp_path / "tweets.csv", usecols=["retweet_tweetid", "tweet_time"], dtype=str)
    t = t.dropna()
    top = t["retweet_tweetid"].value_counts()
    assert top.iloc[0] >= 500
    assert (top >= 300).sum() >= 3


def test_access_log_shape(frames: dict[str, pd.DataFrame]) -> None:
    a = frames["access"].merge(frames["labels"], on="userid")
    core = a[a["role"] == "core"]
    assert (core["country"] == "CN").mean() > 0.5
    assert (a[a["group"] == "general"]["country"] == "CN").mean() < 0.05
    assert a["ip"].str.count(r"\.").eq(3).all()
