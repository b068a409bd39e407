"""The canonical data model: one schema every format is read into.

Glossary (the words mean the same thing everywhere in lockstep):

- **account**: one identity on one platform (a Twitter user, a Bluesky DID, a Facebook
  page acting as poster). Ids are strings, kept exactly as the source gives them
  (hashed ids included).
- **action**: one thing an account did at one time: ``post``, ``repost``, ``reply``,
  ``quote``, ``like``, ``link`` (a link share), ``join`` (joining a group/entity),
  ``follow``.
- **item**: what an action points at: the reposted/replied/quoted/liked post
  (``target_id``), a URL, a hashtag, a text. Signals pair accounts over shared items.
- **entity**: a page, group or channel; **membership**: an account in an entity.
- **access event**: a login or session seen by the platform (ip, network, device).
- **window**: a time distance in seconds; two actions co-occur when
  ``|t_a - t_b| <= window`` (an exact sliding window, never buckets).
- **edge**: a pair of accounts with the evidence that links them (signal, shared items,
  seconds apart). **campaign**: a cluster of accounts in the coordination graph.
- **core**: accounts that originate and coordinate a campaign's activity;
  **amplifier**: accounts that mostly engage with the core; **persona**: an account
  posing as a news outlet or other independent voice.

Timestamps are UTC (``TIMESTAMP`` without zone, always UTC) with their precision kept
in ``time_precision`` (``s``, ``min``, ``ms``, ``us``), because a minute-precision
archive cannot support a "within 10 seconds" claim.
"""

from __future__ import annotations

from typing import Final

import pyarrow as pa

ACTION_KINDS: Final = ("post", "repost", "reply", "quote", "like", "link", "join", "follow")
TIME_PRECISIONS: Final = ("us", "ms", "s", "min", "day")

_str = pa.string()
_strs = pa.list_(pa.string())
_ts = pa.timestamp("us")

ACTIONS: Final = pa.schema(
    [
        ("platform", _str),
        ("action_id", _str),  # the post/event id as given; synthesised when absent
        ("account_id", _str),
        ("kind", _str),  # one of ACTION_KINDS
        ("target_id", _str),  # post reposted/replied/quoted/liked, or entity joined
        ("target_account_id", _str),  # author of the target, when known
        ("timestamp", _ts),  # UTC
        ("time_precision", _str),  # one of TIME_PRECISIONS
        ("text", _str),
        ("urls", _strs),
        ("hashtags", _strs),
        ("mentions", _strs),
        ("client", _str),
        ("language", _str),
        ("entity_id", _str),  # page/group/channel the action happened in
        ("source_file", _str),
        ("source_line", pa.int64()),
    ]
)

ACCOUNTS: Final = pa.schema(
    [
        ("platform", _str),
        ("account_id", _str),
        ("handle", _str),
        ("display_name", _str),
        ("description", _str),
        ("url", _str),
        ("followers", pa.int64()),
        ("following", pa.int64()),
        ("posts_count", pa.int64()),
        ("created_at", _ts),
        ("language", _str),
        ("location", _str),
        ("verified", pa.bool_()),
        ("default_profile", pa.bool_()),
        ("default_profile_image", pa.bool_()),
        ("source_file", _str),
        ("source_line", pa.int64()),
    ]
)

ENTITIES: Final = pa.schema(
    [
        ("platform", _str),
        ("entity_id", _str),
        ("kind", _str),  # page | group | channel
        ("name", _str),
        ("description", _str),
        ("url", _str),
        ("followers", pa.int64()),
        ("created_at", _ts),
        ("source_file", _str),
        ("source_line", pa.int64()),
    ]
)

MEMBERSHIPS: Final = pa.schema(
    [
        ("platform", _str),
        ("entity_id", _str),
        ("account_id", _str),
        ("role", _str),  # member | admin | owner
        ("since", _ts),
        ("source_file", _str),
        ("source_line", pa.int64()),
    ]
)

ACCESS: Final = pa.schema(
    [
        ("platform", _str),
        ("account_id", _str),
        ("timestamp", _ts),
        ("ip", _str),
        ("network", _str),  # e.g. /24 prefix or CIDR
        ("asn", _str),
        ("country", _str),
        ("device", _str),
        ("source_file", _str),
        ("source_line", pa.int64()),
    ]
)

TABLES: Final[dict[str, pa.Schema]] = {
    "actions": ACTIONS,
    "accounts": ACCOUNTS,
    "entities": ENTITIES,
    "memberships": MEMBERSHIPS,
    "access": ACCESS,
}

# Columns whose values make a row unique; re-ingesting a file must not duplicate rows.
NATURAL_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "actions": ("platform", "action_id", "account_id", "kind", "target_id", "timestamp"),
    "accounts": ("platform", "account_id"),
    "entities": ("platform", "entity_id"),
    "memberships": ("platform", "entity_id", "account_id"),
    "access": ("platform", "account_id", "timestamp", "ip", "device"),
}

# Quarantine: every bad row is kept here with where it came from and why.
QUARANTINE: Final = pa.schema(
    [
        ("source_file", _str),
        ("source_line", pa.int64()),
        ("field", _str),
        ("reason", _str),
        ("raw", _str),
    ]
)


def empty_table(name: str) -> pa.Table:
    """An empty Arrow table with the canonical schema of ``name``."""
    return TABLES[name].empty_table()
