"""Generic CSV / Parquet / JSONL: any table whose columns are mapped onto action fields.

``--map column=field`` renames a file column to a canonical ``actions`` field
(``account_id`` and ``timestamp`` are required; ``action_id`` is synthesised from the file
hash and position when absent; ``kind`` defaults to ``post``; ``timestamp`` may be Unix
seconds or ISO 8601; list fields accept Python-list strings or space-separated words).
Columns already named like canonical fields need no mapping.
"""

from __future__ import annotations

from lockstep.ingest.formats.base import Check, Format, empty_id, time_check
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
