"""CooRTweet's 4-column CSV and coordination-network-toolkit's 8-column CSV, unchanged.

CooRTweet (R): ``object_id, account_id, content_id, timestamp_share`` - one share of an
object (for retweets, the retweeted tweet) per row, Unix seconds. The natural key keeps
account, target and time, so a content id that repeats with different rows stays distinct;
CooRTweet counts every row, so an exact duplicate row is kept too, its ``action_id``
suffixed ``~dup2``, ``~dup3``... (deterministic, so re-ingest still adds nothing).

coordination-network-toolkit (Python): ``message_id, user_id, username, repost_id,
reply_id, message, timestamp, urls`` with float Unix seconds and space-separated urls
(a Python-list literal is accepted too).
"""

from __future__ import annotations

from lockstep.ingest.formats.base import Check, Format, empty_id, has_all, time_check

COORTWEET = Format(
    name="coortweet",
    summary="CooRTweet 4-column CSV (object_id, account_id, content_id, timestamp_share)",
    required=("object_id", "account_id", "content_id", "timestamp_share"),
    keep_duplicates=True,
    checks=(
        empty_id("content_id"), empty_id("account_id"), empty_id("object_id"),
        time_check("timestamp_share", "ls_epoch(timestamp_share) IS NULL",
                   "not a Unix timestamp (missing or malformed)"),
    ),
    outputs={"actions": {
        "platform": "'twitter'",
        "action_id": "ls_nz(content_id)",
        "account_id": "ls_nz(account_id)",
        "kind": "'repost'",
        "target_id": "ls_nz(object_id)",
        "timestamp": "ls_epoch(timestamp_share)",
        "time_precision": "ls_epoch_precision(timestamp_share)",
    }},
    detect=has_all("object_id", "account_id", "content_id", "timestamp_share"),
)

CNT = Format(
    name="cnt",
    summary="coordination-network-toolkit 8-column CSV (message_id, user_id, username, repost_id, ...)",
    required=("message_id", "user_id", "timestamp"),
    optional=("username", "repost_id", "reply_id", "message", "urls"),
    checks=(
        empty_id("message_id"), empty_id("user_id"),
        time_check("timestamp", "ls_epoch(timestamp) IS NULL", "not a Unix timestamp (missing or malformed)"),
    ),
    outputs={
        "actions": {
            "platform": "'twitter'",
            "action_id": "ls_nz(message_id)",
            "account_id": "ls_nz(user_id)",
            "kind": """CASE WHEN ls_nz(repost_id) IS NOT NULL THEN 'repost'
                WHEN ls_nz(reply_id) IS NOT NULL THEN 'reply' ELSE 'post' END""",
            "target_id": "coalesce(ls_nz(repost_id), ls_nz(reply_id))",
            "timestamp": "ls_epoch(timestamp)",
            "time_precision": "ls_epoch_precision(timestamp)",
            "text": "message",
            "urls": "ls_words(urls)",
        },
        "accounts": {"platform": "'twitter'", "account_id": "ls_nz(user_id)", "handle": "ls_nz(username)"},
    },
    first_per={"accounts": "user_id"},
    detect=has_all("message_id", "user_id", "username", "repost_id", "reply_id", "timestamp"),
)
