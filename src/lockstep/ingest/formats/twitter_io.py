"""Twitter/X Information Operations archive: tweets and users CSV files.

Columns are read by header name (their order varies between releases). List columns are
Python-list strings (``['a', 'b']``), coordinates may be ``absent``, ``tweet_time`` has
minute or second precision (kept in ``time_precision``), and hashed ids are kept as given.
"""

from __future__ import annotations

from lockstep.ingest.formats.base import Check, Format, bad_int, bad_time, empty_id, has_all, time_check

USER_COLUMNS = (
    "user_display_name", "user_screen_name", "user_reported_location", "user_profile_description",
    "user_profile_url", "follower_count", "following_count", "account_creation_date",
    "account_language",
)
# the archive's files, columns in release order: what the simulator and the transparency
# export write, and what these readers take
IO_USER_COLUMNS = ("userid", *USER_COLUMNS)
IO_TWEET_COLUMNS = (
    "tweetid", *IO_USER_COLUMNS, "tweet_language", "tweet_text", "tweet_time", "tweet_client_name",
    "in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid", "is_retweet", "retweet_userid",
    "retweet_tweetid", "latitude", "longitude", "quote_count", "reply_count", "like_count", "retweet_count",
    "hashtags", "urls", "user_mentions",
)

_ACCOUNT = {
    "platform": "'twitter'",
    "account_id": "ls_nz(userid)",
    "handle": "ls_nz(user_screen_name)",
    "display_name": "ls_nz(user_display_name)",
    "description": "ls_nz(user_profile_description)",
    "url": "ls_nz(user_profile_url)",
    "followers": "ls_int(follower_count)",
    "following": "ls_int(following_count)",
    "created_at": "ls_ts(account_creation_date)",
    "language": "ls_nz(account_language)",
    "location": "ls_nz(user_reported_location)",
}

_RT = "coalesce(ls_bool(is_retweet), false) OR ls_nz(retweet_tweetid) IS NOT NULL"

IO_TWEETS = Format(
    name="io-tweets",
    summary="Twitter Information Operations archive tweets CSV (tweetid, userid, tweet_time, ...)",
    required=("tweetid", "userid", "tweet_time"),
    optional=(*USER_COLUMNS, "tweet_language", "tweet_text", "tweet_client_name",
              "in_reply_to_userid", "in_reply_to_tweetid", "quoted_tweet_tweetid", "is_retweet",
              "retweet_userid", "retweet_tweetid", "latitude", "longitude", "quote_count",
              "reply_count", "like_count", "retweet_count", "hashtags", "urls", "user_mentions"),
    checks=(
        empty_id("tweetid"), empty_id("userid"), bad_time("tweet_time"),
        Check("is_retweet", "not a boolean", "ls_bad_bool(is_retweet)"),
        bad_int("follower_count"), bad_int("following_count"), bad_int("quote_count"),
        bad_int("reply_count"), bad_int("like_count"), bad_int("retweet_count"),
    ),
    outputs={
        "actions": {
            "platform": "'twitter'",
            "action_id": "ls_nz(tweetid)",
            "account_id": "ls_nz(userid)",
            "kind": f"""CASE WHEN {_RT} THEN 'repost'
                WHEN ls_nz(quoted_tweet_tweetid) IS NOT NULL THEN 'quote'
                WHEN ls_nz(in_reply_to_tweetid) IS NOT NULL THEN 'reply' ELSE 'post' END""",
            "target_id": f"""CASE WHEN {_RT} THEN ls_nz(retweet_tweetid)
                WHEN ls_nz(quoted_tweet_tweetid) IS NOT NULL THEN ls_nz(quoted_tweet_tweetid)
                ELSE ls_nz(in_reply_to_tweetid) END""",
            "target_account_id": f"""CASE WHEN {_RT} THEN ls_nz(retweet_userid)
                WHEN ls_nz(quoted_tweet_tweetid) IS NOT NULL THEN NULL
                ELSE ls_nz(in_reply_to_userid) END""",
            "timestamp": "ls_ts(tweet_time)",
            "time_precision": "CASE WHEN length(trim(tweet_time)) <= 16 THEN 'min' ELSE 's' END",
            "text": "tweet_text",
            "urls": "ls_list(urls)",
            "hashtags": "ls_list(hashtags)",
            "mentions": "ls_list(user_mentions)",
            "client": "ls_nz(tweet_client_name)",
            "language": "ls_nz(tweet_language)",
        },
        "accounts": _ACCOUNT,
    },
    first_per={"accounts": "userid"},
    detect=has_all("tweetid", "userid", "tweet_time"),
)

IO_USERS = Format(
    name="io-users",
    summary="Twitter Information Operations archive users CSV (userid, user_screen_name, ...)",
    primary="accounts",
    required=("userid",),
    optional=USER_COLUMNS,
    checks=(
        empty_id("userid"), bad_int("follower_count"), bad_int("following_count"),
        time_check("account_creation_date",
                   "ls_nz(account_creation_date) IS NOT NULL AND ls_ts(account_creation_date) IS NULL",
                   "unparseable date"),
    ),
    outputs={"accounts": _ACCOUNT},
    detect=lambda h, _l: 9 if {"userid", "user_screen_name"} <= h and "tweetid" not in h else 0,
)
