"""FiveThirtyEight / Clemson IRA troll tweets (Linvill & Warren), per-author re-cut layout.

Columns: ``author_id`` (handle-based), ``content``, ``region``, ``language``,
``publish_date`` (minute resolution), ``harvested_date``, ``following``, ``followers``,
``updates``, ``post_type`` (blank / R / Q), ``retweet`` (0/1). There are no tweet ids, so
``action_id`` is synthesised from the file's content hash and the record position (the
same bytes always give the same ids, so re-ingest stays idempotent). The retweeted
tweet's id is absent too; as the dataset's documentation suggests, a retweet's target is
the hash of its text (``text-md5:...``), which is the same for every retweet of one tweet.
Urls, hashtags and mentions are extracted from the text.
"""

from __future__ import annotations

from lockstep.ingest.formats.base import Check, Format, bad_int, bad_time, empty_id

_RT = "(ls_bool(retweet) OR upper(trim(post_type)) = 'R')"

IRA_538 = Format(
    name="ira-538",
    summary="FiveThirtyEight IRA tweets CSV (author_id|author, content, publish_date, post_type, retweet)",
    required=("author_id", "content", "publish_date"),
    optional=("region", "language", "harvested_date", "following", "followers", "updates",
              "post_type", "retweet", "account_category", "account_type"),
    aliases={"author_id": ("author",)},
    checks=(
        empty_id("author_id"), bad_time("publish_date"),
        Check("retweet", "not 0/1", "ls_bad_bool(retweet)"),
        bad_int("following"), bad_int("followers"), bad_int("updates"),
    ),
    outputs={
        "actions": {
            "platform": "'twitter'",
            "action_id": "'ira538:' || {sid} || ':' || _line",
            "account_id": "ls_nz(author_id)",
            "kind": f"CASE WHEN {_RT} THEN 'repost' WHEN upper(trim(post_type)) = 'Q' THEN 'quote' ELSE 'post' END",
            "target_id": f"CASE WHEN {_RT} THEN 'text-md5:' || md5(coalesce(content, '')) END",
            "timestamp": "ls_ts(publish_date)",
            "time_precision": "'min'",
            "text": "content",
            "urls": "regexp_extract_all(content, 'https?://[^\\s]+')",
            "hashtags": "regexp_extract_all(content, '#(\\w+)', 1)",
            "mentions": "regexp_extract_all(content, '@(\\w+)', 1)",
            "language": "ls_nz(language)",
        },
        "accounts": {
            "platform": "'twitter'",
            "account_id": "ls_nz(author_id)",
            "handle": "ls_nz(author_id)",
            "followers": "ls_int(followers)",
            "following": "ls_int(following)",
            "posts_count": "ls_int(updates)",
            "location": "ls_nz(region)",
        },
    },
    first_per={"accounts": "author_id"},
    detect=lambda h, _l: 20 if {"content", "publish_date"} <= h and ({"author_id", "author"} & h) else 0,
)
