"""SNAP Higgs Twitter activity: ``userA userB timestamp interaction``, space-separated, no header.

RT: userA retweeted userB; RE: userA replied to userB; MT: userA mentioned userB. The
tweet ids are not given, so ``action_id`` is synthesised from the file hash and position
and the target is known only as an account (``target_account_id``); a mention is a
``post`` whose ``mentions`` hold userB.
"""

from __future__ import annotations

import re

from lockstep.ingest.formats.base import Check, Format, empty_id, time_check

_LINE = re.compile(r"^\S+ \S+ \d+ (RT|MT|RE)\s*$")

SNAP_HIGGS = Format(
    name="snap-higgs",
    summary="SNAP Higgs activity (userA userB unix_time RT|MT|RE, space-separated, no header)",
    header=False,
    delim=" ",
    names=("user_a", "user_b", "timestamp", "interaction"),
    required=("user_a", "user_b", "timestamp", "interaction"),
    checks=(
        empty_id("user_a"), empty_id("user_b"),
        time_check("timestamp", "ls_epoch(timestamp) IS NULL", "not a Unix timestamp (missing or malformed)"),
        Check("interaction", "not RT, MT or RE", "coalesce(trim(interaction), '') NOT IN ('RT', 'MT', 'RE')"),
    ),
    outputs={"actions": {
        "platform": "'twitter'",
        "action_id": "'higgs:' || {sid} || ':' || _line",
        "account_id": "ls_nz(user_a)",
        "kind": "CASE trim(interaction) WHEN 'RT' THEN 'repost' WHEN 'RE' THEN 'reply' ELSE 'post' END",
        "target_account_id": "CASE WHEN trim(interaction) IN ('RT', 'RE') THEN ls_nz(user_b) END",
        "timestamp": "ls_epoch(timestamp)",
        "time_precision": "'s'",
        "mentions": "CASE WHEN trim(interaction) = 'MT' THEN [ls_nz(user_b)] ELSE []::VARCHAR[] END",
    }},
    detect=lambda _h, lines: 15 if lines and all(_LINE.match(x) for x in lines[:3] if x) else 0,
)
