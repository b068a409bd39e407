"""Named queries for exporting a tip (``lockstep.share.build``): what a campaign's members
shared (URLs and their domains, texts, hashtags) with when, and how widely the whole workspace
shares the same things.

Why the workspace-wide counts: a tip must carry the operation's own domains and hashtags, not
the popular sites and tags everyone uses; rarity is only measurable against all accounts.
Every function registers the member ids as a temporary table itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from lockstep.store.queries.base import fetch, ids_table, temp_arrow
from lockstep.store.queries.infrastructure import DOMAIN_SQL
from lockstep.store.workspace import Workspace

_MEMBERS = "account_id IN (SELECT account_id FROM _members)"


class SharedItem(NamedTuple):
    """A URL, domain or hashtag the members shared."""

    value: str
    n_members: int  # member accounts that shared it
    n_shares: int  # member actions carrying it
    n_accounts_all: int  # accounts of the whole workspace that shared it (members included)
    first_seen: datetime
    last_seen: datetime


def _items(ws: Workspace, members: Sequence[str], column: str, value_sql: str) -> list[SharedItem]:
    with temp_arrow(ws, "_members", ids_table(members)):
        rows = fetch(ws, f"""
            WITH all_items AS (SELECT account_id, timestamp, {value_sql} AS v
                               FROM (SELECT account_id, timestamp, unnest({column}) AS u FROM actions
                                     WHERE len({column}) > 0)),
            mine AS (SELECT v, count(DISTINCT account_id) AS k, count(*) AS n, min(timestamp) AS f,
                            max(timestamp) AS l
                     FROM all_items WHERE {_MEMBERS} AND v IS NOT NULL AND v <> '' GROUP BY v),
            everyone AS (SELECT v, count(DISTINCT account_id) AS a FROM all_items
                         WHERE v IN (SELECT v FROM mine) GROUP BY v)
            SELECT mine.v, mine.k, mine.n, everyone.a, mine.f, mine.l
            FROM mine JOIN everyone USING (v) ORDER BY mine.k DESC, mine.n DESC, mine.v""")
    return [SharedItem(str(v), int(k), int(n), int(a), f, l) for v, k, n, a, f, l in rows]


def shared_urls(ws: Workspace, members: Sequence[str]) -> list[SharedItem]:
    """Every URL the members' actions carry (as stored), most widely shared first."""
    return _items(ws, members, "urls", "u")


def shared_domains(ws: Workspace, members: Sequence[str]) -> list[SharedItem]:
    """Every host the members linked (lower case, without www./m./mobile.)."""
    return _items(ws, members, "urls", DOMAIN_SQL)


def shared_hashtags(ws: Workspace, members: Sequence[str]) -> list[SharedItem]:
    """Every hashtag the members used (lower case, without '#')."""
    return _items(ws, members, "hashtags", "ltrim(lower(u), '#')")


class RepeatedText(NamedTuple):
    text: str  # one of the texts as posted (the earliest)
    n_posts: int  # member actions with this text (after folding case and spaces)
    n_members: int
    first_seen: datetime
    last_seen: datetime


def repeated_texts(ws: Workspace, members: Sequence[str], limit: int, min_posts: int = 2) -> list[RepeatedText]:
    """The members' most repeated texts, at least ``min_posts`` times, those repeated by the most
    accounts first. A repost counts as its author's text repeated (its ``RT @name:`` prefix
    removed), so a persona's narrative that the amplifiers push ranks by how many pushed it;
    case and white space are folded."""
    with temp_arrow(ws, "_members", ids_table(members)):
        rows = fetch(ws, f"""
            WITH s AS (SELECT account_id, timestamp,
                              trim(regexp_replace(text, '^RT @[^:\\s]+:\\s*', '')) AS text
                       FROM actions WHERE {_MEMBERS} AND text IS NOT NULL),
            t AS (SELECT *, lower(regexp_replace(text, '\\s+', ' ', 'g')) AS k FROM s WHERE length(text) > 0)
            SELECT arg_min(text, timestamp), count(*), count(DISTINCT account_id), min(timestamp), max(timestamp)
            FROM t GROUP BY k HAVING count(*) >= ?
            ORDER BY count(DISTINCT account_id) DESC, count(*) DESC, min(timestamp), k LIMIT ?""",
                     [int(min_posts), int(limit)])
    return [RepeatedText(str(x), int(n), int(k), f, l) for x, n, k, f, l in rows]
