"""Twitter API v1.1 user objects flattened to CSV (Cresci-2017, NBC IRA users, botometer dumps).

``NULL`` and empty mean missing; ``created_at`` is Twitter's ``Tue Jun 11 11:20:35 +0000
2013`` (ISO accepted too); booleans are 1/0/true/false. A row without ``id`` cannot be an
account (every table is keyed by id) and is quarantined, never keyed by a handle.
"""

from __future__ import annotations

from lockstep.ingest.formats.base import Check, Format, bad_int, time_check

TWITTER_USERS = Format(
    name="twitter-users",
    summary="Twitter v1.1 user CSV (id, screen_name, followers_count, friends_count, created_at, ...)",
    primary="accounts",
    required=("id", "screen_name"),
    optional=("name", "description", "url", "followers_count", "friends_count", "statuses_count",
              "created_at", "lang", "location", "verified", "default_profile", "default_profile_image"),
    checks=(
        Check("id", "empty id", "ls_nzn(id) IS NULL"),
        bad_int("followers_count"), bad_int("friends_count"), bad_int("statuses_count"),
        time_check("created_at", "ls_nzn(created_at) IS NOT NULL AND ls_twts(created_at) IS NULL",
                   "unparseable timestamp"),
    ),
    outputs={"accounts": {
        "platform": "'twitter'",
        "account_id": "ls_nzn(id)",
        "handle": "ls_nzn(screen_name)",
        "display_name": "ls_nzn(name)",
        "description": "ls_nzn(description)",
        "url": "ls_nzn(url)",
        "followers": "ls_int(followers_count)",
        "following": "ls_int(friends_count)",
        "posts_count": "ls_int(statuses_count)",
        "created_at": "ls_twts(ls_nzn(created_at))",
        "language": "ls_nzn(lang)",
        "location": "ls_nzn(location)",
        "verified": "ls_bool(ls_nzn(verified))",
        "default_profile": "coalesce(ls_bool(ls_nzn(default_profile)), false)",
        "default_profile_image": "coalesce(ls_bool(ls_nzn(default_profile_image)), false)",
    }},
    detect=lambda h, _l: 11 if {"id", "screen_name"} <= h and ({"followers_count", "friends_count"} & h) else 0,
)
