"""The Twitter Information Operations archive layout: the tweets and users CSV columns, and
how each value is written, exactly as lockstep's own ``io-tweets`` and ``io-users`` formats
read them (lockstep/ingest/formats/twitter_io.py): list columns as Python-list strings,
``True``/``False``, ``absent`` coordinates, minute or second times as the action's precision
allows.

Why no values are invented: counts the workspace does not hold (likes, quotes) are left
empty, which the ingest formats read as unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from lockstep.export.hashing import Pseudonymizer
from lockstep.ingest.formats.twitter_io import IO_TWEET_COLUMNS, IO_USER_COLUMNS

TWEET_COLUMNS = IO_TWEET_COLUMNS
USER_COLUMNS = IO_USER_COLUMNS


def py_list(values: list[str] | None) -> str:
    """``['a', 'b']`` as the archive writes lists (quotes in values escaped Python-style)."""
    return "[" + ", ".join(repr(str(v)) for v in (values or [])) + "]"


def tweet_time(ts: datetime | None, precision: str | None) -> str:
    if ts is None:
        return ""
    return ts.strftime("%Y-%m-%d %H:%M" if precision in ("min", "day") else "%Y-%m-%d %H:%M:%S")


def _num(v: Any) -> str:
    return "" if v is None else str(int(v))


def user_row(p: dict[str, Any], ps: Pseudonymizer) -> dict[str, str]:
    """One account's profile columns, its identifiers hashed unless it is large."""
    a = str(p["account_id"])
    created = p.get("created_at")
    return {
        "userid": ps.account(a),
        "user_display_name": ps.display_name(a, p.get("display_name")),
        "user_screen_name": ps.handle(a, p.get("handle")),
        "user_reported_location": ps.text(p.get("location")),
        "user_profile_description": ps.text(p.get("description")),
        "user_profile_url": ps.text(p.get("url")),
        "follower_count": _num(p.get("followers")),
        "following_count": _num(p.get("following")),
        "account_creation_date": created.strftime("%Y-%m-%d") if isinstance(created, datetime) else "",
        "account_language": p.get("language") or "",
    }


def tweet_row(t: dict[str, Any], user: dict[str, str], ps: Pseudonymizer) -> dict[str, str]:
    """One post, repost, reply or quote; the author's profile columns come from ``user``."""
    kind, target = t["kind"], t.get("target_id") or ""
    target_user = ps.account(t.get("target_account_id")) if t.get("target_account_id") else ""
    row = {c: user.get(c, "") for c in USER_COLUMNS}
    row.update({
        "tweetid": str(t["action_id"]),
        "tweet_language": t.get("language") or "",
        "tweet_text": ps.text(t.get("text")),
        "tweet_time": tweet_time(t.get("timestamp"), t.get("time_precision")),
        "tweet_client_name": t.get("client") or "",
        "in_reply_to_userid": target_user if kind == "reply" else "",
        "in_reply_to_tweetid": target if kind == "reply" else "",
        "quoted_tweet_tweetid": target if kind == "quote" else "",
        "is_retweet": "True" if kind == "repost" else "False",
        "retweet_userid": target_user if kind == "repost" else "",
        "retweet_tweetid": target if kind == "repost" else "",
        "latitude": "absent", "longitude": "absent",
        "quote_count": "", "reply_count": "", "like_count": "", "retweet_count": "",
        "hashtags": py_list([ps.text(h) for h in t.get("hashtags") or []]),
        "urls": py_list([ps.text(u) for u in t.get("urls") or []]),
        "user_mentions": py_list([ps.mention(m) for m in t.get("mentions") or []]),
    })
    return {c: row[c] for c in TWEET_COLUMNS}


def tweet_rows(tweets: list[dict[str, Any]], users: dict[str, dict[str, str]],
               ps: Pseudonymizer) -> Iterator[dict[str, str]]:
    """Every tweet row; an author without a profile row gets only its (hashed) id."""
    for t in tweets:
        a = str(t["account_id"])
        user = users.get(a) or {"userid": ps.account(a), "user_display_name": ps.display_name(a, None),
                                "user_screen_name": ps.handle(a, None)}
        yield tweet_row(t, user, ps)
