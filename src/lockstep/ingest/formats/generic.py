"""Generic CSV / Parquet / JSONL: any table whose columns are mapped onto action fields.

``--map column=field`` renames a file column to a canonical ``actions`` field
(``account_id`` and ``timestamp`` are required; ``action_id`` is synthesised from the file
hash and position when absent; ``kind`` defaults to ``post``; ``timestamp`` may be Unix
seconds or ISO 8601; list fields accept Python-list strings or space-separated words).
Columns already named like canonical fields need no mapping.

The other canonical tables have their own formats, recognised by their canonical headers:
``generic-entities`` (entity_id, kind, name, ...: pages, groups, channels),
``generic-memberships`` (entity_id, account_id, role, since) and ``generic-accounts``
(account_id with handle or display_name and no timestamp: profiles). A platform export
such as the simulator's ``platform2/`` folder ingests with no flags.
"""

from __future__ import annotations

from lockstep.ingest.formats.base import Check, Format, bad_int, empty_id, time_check
from lockstep.model import ACTION_KINDS

_KINDS = ", ".join(f"'{k}'" for k in ACTION_KINDS)

GENERIC = Format(
    name="generic",
    summary="any CSV/Parquet/JSONL with columns mapped to action fields (--map column=field)",
    required=("account_id", "timestamp"),
    optional=("platform", "action_id", "kind", "target_id", "target_account_id", "time_precision",
              "text", "urls", "hashtags", "mentions", "client", "language", "entity_id"),
    checks=(
        empty_id("account_id"),
        time_check("timestamp", "ls_anyts(timestamp) IS NULL"),
        Check("kind", f"not one of {', '.join(ACTION_KINDS)}",
              f"ls_nz(kind) IS NOT NULL AND lower(trim(kind)) NOT IN ({_KINDS})"),
    ),
    outputs={"actions": {
        "platform": "coalesce(ls_nz(platform), 'generic')",
        "action_id": "coalesce(ls_nz(action_id), 'row:' || {sid} || ':' || _line)",
        "account_id": "ls_nz(account_id)",
        "kind": "coalesce(lower(trim(kind)), 'post')",
        "target_id": "ls_nz(target_id)",
        "target_account_id": "ls_nz(target_account_id)",
        "timestamp": "ls_anyts(timestamp)",
        "time_precision": """coalesce(ls_nz(time_precision), CASE
            WHEN regexp_matches(trim(timestamp), '^-?[0-9]+(\\.[0-9]*)?$') THEN ls_epoch_precision(timestamp)
            WHEN regexp_matches(trim(timestamp), '[0-9]:[0-9]{2}:[0-9]{2}\\.[0-9]') THEN 'us'
            WHEN regexp_matches(trim(timestamp), '[0-9]:[0-9]{2}:[0-9]{2}') THEN 's'
            WHEN regexp_matches(trim(timestamp), '[0-9]:[0-9]{2}') THEN 'min' ELSE 'day' END)""",
        "text": "text",
        "urls": "ls_words(urls)",
        "hashtags": "ls_words(hashtags)",
        "mentions": "ls_words(mentions)",
        "client": "ls_nz(client)",
        "language": "ls_nz(language)",
        "entity_id": "ls_nz(entity_id)",
    }},
    detect=lambda h, _l: 1 if {"account_id", "timestamp"} <= h else 0,
)


# --- The other canonical tables, recognised by their canonical headers (issue 15: a platform
# export such as the simulator's platform2/ folder carries pages/groups, memberships and
# account profiles beside its actions; each goes into its own table, bad rows quarantined).

_ROLES = ("member", "admin", "owner", "moderator", "editor")
_ENTITY_KINDS = ("page", "group", "channel")


def _opt_time(col: str) -> Check:
    """An optional time column: empty is fine, anything else must read as a time."""
    return time_check(col, f"ls_nz({col}) IS NOT NULL AND ls_anyts({col}) IS NULL")


GENERIC_ENTITIES = Format(
    name="generic-entities",
    summary="pages/groups/channels with canonical columns (entity_id, kind, name, url, followers, ...)",
    primary="entities",
    required=("entity_id", "kind"),
    optional=("platform", "name", "description", "url", "followers", "created_at"),
    checks=(
        empty_id("entity_id"),
        Check("kind", f"not one of {', '.join(_ENTITY_KINDS)}",
              f"ls_nz(kind) IS NULL OR lower(trim(kind)) NOT IN ({', '.join(repr(k) for k in _ENTITY_KINDS)})"),
        bad_int("followers"),
        _opt_time("created_at"),
    ),
    outputs={"entities": {
        "platform": "coalesce(ls_nz(platform), 'generic')",
        "entity_id": "ls_nz(entity_id)",
        "kind": "lower(trim(kind))",
        "name": "ls_nz(name)",
        "description": "ls_nz(description)",
        "url": "ls_nz(url)",
        "followers": "ls_int(followers)",
        "created_at": "ls_anyts(ls_nz(created_at))",
    }},
    detect=lambda h, _l: 13 if {"entity_id", "kind", "name"} <= h and "account_id" not in h else 0,
)

GENERIC_MEMBERSHIPS = Format(
    name="generic-memberships",
    summary="who belongs to or runs which page/group (entity_id, account_id, role, since)",
    primary="memberships",
    required=("entity_id", "account_id"),
    optional=("platform", "role", "since"),
    checks=(
        empty_id("entity_id"),
        empty_id("account_id"),
        Check("role", f"not one of {', '.join(_ROLES)}",
              f"ls_nz(role) IS NOT NULL AND lower(trim(role)) NOT IN ({', '.join(repr(r) for r in _ROLES)})"),
        _opt_time("since"),
    ),
    outputs={"memberships": {
        "platform": "coalesce(ls_nz(platform), 'generic')",
        "entity_id": "ls_nz(entity_id)",
        "account_id": "ls_nz(account_id)",
        "role": "coalesce(lower(trim(ls_nz(role))), 'member')",
        "since": "ls_anyts(ls_nz(since))",
    }},
    detect=lambda h, _l: 13 if {"entity_id", "account_id", "role"} <= h and "timestamp" not in h else 0,
)

GENERIC_ACCOUNTS = Format(
    name="generic-accounts",
    summary="account profiles with canonical columns (account_id, handle, display_name, followers, ...)",
    primary="accounts",
    required=("account_id",),
    optional=("platform", "handle", "display_name", "description", "url", "followers", "following",
              "posts_count", "created_at", "language", "location", "verified"),
    checks=(
        empty_id("account_id"),
        bad_int("followers"), bad_int("following"), bad_int("posts_count"),
        _opt_time("created_at"),
        Check("verified", "not true/false", "ls_bad_bool(ls_nz(verified))"),
    ),
    outputs={"accounts": {
        "platform": "coalesce(ls_nz(platform), 'generic')",
        "account_id": "ls_nz(account_id)",
        "handle": "ls_nz(handle)",
        "display_name": "ls_nz(display_name)",
        "description": "ls_nz(description)",
        "url": "ls_nz(url)",
        "followers": "ls_int(followers)",
        "following": "ls_int(following)",
        "posts_count": "ls_int(posts_count)",
        "created_at": "ls_anyts(ls_nz(created_at))",
        "language": "ls_nz(language)",
        "location": "ls_nz(location)",
        "verified": "ls_bool(ls_nz(verified))",
    }},
    first_per={"accounts": "account_id"},
    detect=lambda h, _l: 12 if "account_id" in h and ({"handle", "display_name"} & h)
    and not ({"timestamp", "entity_id"} & h) else 0,
)
