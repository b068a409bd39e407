"""``twarc2 csv`` output (twarc-csv's default columns): one tweet per row, dotted column
names (``referenced_tweets.retweeted.id``, ``author.username``, ``entities.hashtags``).

The kind comes from the referenced-tweet columns (retweeted -> repost, quoted -> quote,
replied_to -> reply); the ``entities.*`` columns hold JSON lists (``["@user"]``, hashtag
objects, expanded URLs); the ``author.*`` columns fill the accounts table.
"""

from __future__ import annotations

from lockstep.ingest.formats.base import Format, bad_int, bad_time, empty_id, has_all


def _c(name: str) -> str:
    return '"' + name + '"'


RT, QT, RP = (_c(f"referenced_tweets.{k}.id") for k in ("retweeted", "quoted", "replied_to"))


def _json_strings(col: str, key: str | None = None) -> str:
    """The strings of a JSON list column (``key``: a field of its objects)."""
    pattern = f'"{key}": "([^"]*)"' if key else '"([^"]*)"'
    return f"CASE WHEN ls_nz({_c(col)}) IS NULL THEN []::VARCHAR[] ELSE regexp_extract_all({_c(col)}, '{pattern}', 1) END"


TWARC2_CSV = Format(
    name="twarc2-csv",
    summary="twarc2 csv output (twarc-csv default columns, one tweet per row)",
    required=("id", "author_id", "created_at"),
    optional=("referenced_tweets.retweeted.id", "referenced_tweets.quoted.id", "referenced_tweets.replied_to.id",
              "in_reply_to_user_id", "retweeted_user_id", "quoted_user_id", "text", "lang", "source",
              "entities.hashtags", "entities.urls", "entities.mentions", "author.id", "author.username",
              "author.name", "author.description", "author.url", "author.location", "author.created_at",
              "author.verified", "author.public_metrics.followers_count", "author.public_metrics.following_count",
              "author.public_metrics.tweet_count"),
    checks=(empty_id("id"), empty_id("author_id"), bad_time("created_at"),
            bad_int(_c("author.public_metrics.followers_count"))),
    outputs={
        "actions": {
            "platform": "'twitter'", "action_id": "ls_nz(id)", "account_id": "ls_nz(author_id)",
            "kind": f"""CASE WHEN ls_nz({RT}) IS NOT NULL THEN 'repost' WHEN ls_nz({QT}) IS NOT NULL THEN 'quote'
                WHEN ls_nz({RP}) IS NOT NULL THEN 'reply' ELSE 'post' END""",
            "target_id": f"coalesce(ls_nz({RT}), ls_nz({QT}), ls_nz({RP}))",
            "target_account_id": f"""CASE WHEN ls_nz({RT}) IS NOT NULL THEN ls_nz(retweeted_user_id)
                WHEN ls_nz({QT}) IS NOT NULL THEN ls_nz(quoted_user_id)
                WHEN ls_nz({RP}) IS NOT NULL THEN ls_nz(in_reply_to_user_id) END""",
            "timestamp": "ls_ts(created_at)", "time_precision": "'ms'", "text": "text",
            "urls": _json_strings("entities.urls"),
            "hashtags": f"list_transform({_json_strings('entities.hashtags')}, lambda t: ltrim(t, '#'))",
            "mentions": f"list_transform({_json_strings('entities.mentions')}, lambda m: ltrim(m, '@'))",
            "client": "ls_nz(source)", "language": "ls_nz(lang)",
        },
        "accounts": {
            "platform": "'twitter'", "account_id": "ls_nz(author_id)", "handle": f"ls_nz({_c('author.username')})",
            "display_name": f"ls_nz({_c('author.name')})", "description": f"ls_nz({_c('author.description')})",
            "url": f"ls_nz({_c('author.url')})", "location": f"ls_nz({_c('author.location')})",
            "created_at": f"ls_ts({_c('author.created_at')})", "verified": f"ls_bool({_c('author.verified')})",
            "followers": f"ls_int({_c('author.public_metrics.followers_count')})",
            "following": f"ls_int({_c('author.public_metrics.following_count')})",
            "posts_count": f"ls_int({_c('author.public_metrics.tweet_count')})",
        },
    },
    first_per={"accounts": "author_id"},
    detect=has_all("id", "author_id", "created_at", "referenced_tweets.retweeted.id", score=20),
)
