"""Named queries for disclosure reports and transparency releases (``lockstep.report``,
``lockstep.export``): a campaign's accounts, its tweets, its activity over time, its pages and
groups, its most engaged posts, and every account its actions name.

Every function takes the campaign's member ids and registers them as a temporary table
itself, so callers hold no SQL and no connection."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

import pyarrow as pa

from lockstep.store.queries.base import fetch, ids_table, in_list, temp_arrow
from lockstep.store.workspace import Workspace

TWEET_KINDS = ("post", "repost", "reply", "quote")
_MEMBERS = "account_id IN (SELECT account_id FROM _members)"


def member_profiles(ws: Workspace, members: Sequence[str]) -> pa.Table:
    """The accounts table rows of ``members`` (one per account, first platform by name)."""
    with temp_arrow(ws, "_members", ids_table(members)):
        return ws.arrow(f"""SELECT * EXCLUDE (rn) FROM (SELECT *, row_number() OVER
                            (PARTITION BY account_id ORDER BY platform, source_file, source_line) AS rn
                            FROM accounts WHERE {_MEMBERS}) WHERE rn = 1 ORDER BY account_id""")


def member_tweets(ws: Workspace, members: Sequence[str]) -> pa.Table:
    """Posts, reposts, replies and quotes of ``members``, oldest first."""
    with temp_arrow(ws, "_members", ids_table(members)):
        return ws.arrow(f"""SELECT * FROM actions WHERE {_MEMBERS} AND kind IN ({in_list(TWEET_KINDS)})
                            ORDER BY timestamp, action_id, account_id""")


class Identity(NamedTuple):
    account_id: str
    handle: str | None
    display_name: str | None
    followers: int | None  # None: not known to the workspace


def named_identities(ws: Workspace, members: Sequence[str]) -> tuple[list[Identity], list[str], list[str]]:
    """Every account the members' tweets can name: the members, the authors they repost or
    reply to, the ids in their mentions and the ``@handles`` in their text (dotted handles,
    as Bluesky's, included). Returns the
    known accounts, then the named ids and handles the accounts table does not know."""
    with temp_arrow(ws, "_members", ids_table(members)):
        refs = f"""WITH acts AS (SELECT * FROM actions WHERE {_MEMBERS} AND kind IN ({in_list(TWEET_KINDS)})),
            ids AS (SELECT account_id AS id FROM _members
                    UNION SELECT target_account_id FROM acts WHERE target_account_id IS NOT NULL
                    UNION SELECT unnest(mentions) FROM acts),
            handles AS (SELECT DISTINCT lower(h) AS h FROM (
                    SELECT unnest(regexp_extract_all(text, '@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)', 1)) AS h FROM acts
                    UNION ALL SELECT lower(unnest(mentions)) FROM acts)
                    WHERE h NOT IN (SELECT account_id FROM accounts))"""
        known = fetch(ws, f"""{refs}
            SELECT account_id, any_value(handle), any_value(display_name), max(followers) FROM accounts
            WHERE account_id IN (SELECT id FROM ids) OR lower(handle) IN (SELECT h FROM handles)
            GROUP BY account_id ORDER BY account_id""")
        unknown_ids = fetch(ws, f"""{refs} SELECT id FROM ids WHERE id IS NOT NULL AND id <> ''
            AND id NOT IN (SELECT account_id FROM accounts) ORDER BY id""")
        unknown_handles = fetch(ws, f"""{refs} SELECT h FROM handles WHERE h IS NOT NULL AND h <> ''
            AND h NOT IN (SELECT lower(handle) FROM accounts WHERE handle IS NOT NULL) ORDER BY h""")
    ids = [Identity(str(a), h, d, None if f is None else int(f)) for a, h, d, f in known]
    return ids, [str(r[0]) for r in unknown_ids], [str(r[0]) for r in unknown_handles]


def daily_actions(ws: Workspace, members: Sequence[str]) -> list[tuple[date, str, int]]:
    """Actions of ``members`` per UTC day and kind."""
    with temp_arrow(ws, "_members", ids_table(members)):
        rows = fetch(ws, f"""SELECT CAST(timestamp AS DATE) AS d, kind, count(*) FROM actions
                             WHERE {_MEMBERS} AND timestamp IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2""")
    return [(d, str(k), int(n)) for d, k, n in rows]


def time_span(ws: Workspace, members: Sequence[str]) -> tuple[datetime | None, datetime | None, int]:
    """First and last action of ``members`` and how many actions they have."""
    with temp_arrow(ws, "_members", ids_table(members)):
        rows = fetch(ws, f"SELECT min(timestamp), max(timestamp), count(*) FROM actions WHERE {_MEMBERS}")
    first, last, n = rows[0]
    return first, last, int(n)


class EntityReach(NamedTuple):
    entity_id: str
    kind: str  # page | group | channel
    name: str | None
    followers: int | None
    n_members: int  # memberships the workspace holds for the entity (all accounts)
    n_campaign_members: int  # of those, the campaign's


def entity_reach(ws: Workspace, members: Sequence[str]) -> list[EntityReach]:
    """Pages, groups and channels the members belong to or act in, with their reach."""
    with temp_arrow(ws, "_members", ids_table(members)):
        rows = fetch(ws, f"""
            WITH mine AS (SELECT entity_id FROM memberships WHERE {_MEMBERS}
                          UNION SELECT entity_id FROM actions WHERE {_MEMBERS} AND entity_id IS NOT NULL),
            ms AS (SELECT entity_id, count(DISTINCT account_id) AS n,
                          count(DISTINCT account_id) FILTER (WHERE {_MEMBERS}) AS k
                   FROM memberships GROUP BY 1)
            SELECT e.entity_id, any_value(e.kind), any_value(e.name), max(e.followers),
                   coalesce(any_value(ms.n), 0), coalesce(any_value(ms.k), 0)
            FROM entities e JOIN mine USING (entity_id) LEFT JOIN ms USING (entity_id)
            GROUP BY e.entity_id ORDER BY e.entity_id""")
    return [EntityReach(str(e), str(k), n, None if f is None else int(f), int(m), int(c))
            for e, k, n, f, m, c in rows]


class ExamplePost(NamedTuple):
    action_id: str
    account_id: str
    timestamp: datetime
    text: str
    n_engagements: int  # actions of any account that target this post


def example_posts(ws: Workspace, members: Sequence[str], limit: int = 5) -> list[ExamplePost]:
    """The members' original posts with text that drew the most reposts, replies, quotes and likes."""
    with temp_arrow(ws, "_members", ids_table(members)):
        rows = fetch(ws, f"""
            WITH own AS (SELECT action_id, any_value(account_id) AS account_id, min(timestamp) AS ts,
                                any_value(text) AS text FROM actions
                         WHERE {_MEMBERS} AND kind = 'post' AND text IS NOT NULL AND text <> '' GROUP BY 1),
            eng AS (SELECT target_id, count(*) AS n FROM actions
                    WHERE target_id IN (SELECT action_id FROM own) GROUP BY 1)
            SELECT own.action_id, own.account_id, own.ts, own.text, coalesce(eng.n, 0) AS n
            FROM own LEFT JOIN eng ON eng.target_id = own.action_id
            ORDER BY n DESC, own.ts, own.action_id LIMIT {int(limit)}""")
    return [ExamplePost(str(a), str(u), t, str(x), int(n)) for a, u, t, x, n in rows]


def edge_time_ranges(ws: Workspace, action_ids: Sequence[str]) -> dict[str, datetime]:
    """The time of each named action (for the time ranges of graph edges)."""
    with temp_arrow(ws, "_acts", pa.table({"action_id": pa.array(list(set(action_ids)), pa.string())})):
        rows = fetch(ws, """SELECT action_id, min(timestamp) FROM actions
                            WHERE action_id IN (SELECT action_id FROM _acts) GROUP BY 1""")
    return {str(a): t for a, t in rows if t is not None}


def account_time_ranges(ws: Workspace, members: Sequence[str]) -> dict[str, tuple[datetime, datetime]]:
    """First and last action of each member (for the time ranges of graph nodes)."""
    with temp_arrow(ws, "_members", ids_table(members)):
        rows = fetch(ws, f"""SELECT account_id, min(timestamp), max(timestamp) FROM actions
                             WHERE {_MEMBERS} AND timestamp IS NOT NULL GROUP BY 1""")
    return {str(a): (f, t) for a, f, t in rows}
