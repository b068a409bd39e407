"""What the entities stage asks of the workspace about a campaign's accounts: which of them
are pages or groups acting as accounts, which pages and groups they administer, where they
post and how much of that place's traffic they are, which off-platform domains they push,
and how many followers and members those pages and groups hold.

Why per campaign member list and not per campaign: the caller registers all campaigns'
members once (``account_id``, ``campaign_id``) and each query answers for every campaign in
one pass over the actions table, so a run with many campaigns reads the big table a fixed
number of times.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import pyarrow as pa

from lockstep.store.queries.base import fetch, group_table, temp_arrow
from lockstep.store.workspace import Workspace

# posting kinds (joins and follows are not posts)
_POSTS = "('post', 'link', 'repost', 'quote', 'reply')"
# a URL's host: what follows the scheme up to the path, query or fragment (then, in the
# query, without credentials, port and a leading www.); a URL without a scheme has none
_HOST0 = "lower(split_part(split_part(split_part(split_part(u, '://', 2), '/', 1), '?', 1), '#', 1))"
_AT = "(CASE WHEN contains(h0, '@') THEN regexp_extract(h0, '@([^@]*)$', 1) ELSE h0 END)"


class EntityRow(NamedTuple):
    """A page, group or channel as the entities table holds it, with where it came from."""

    platform: str
    entity_id: str
    kind: str
    name: str
    url: str
    description: str
    followers: int
    source: str  # file:line


class AdminLink(NamedTuple):
    """An account administering (admin/owner) an entity, from memberships."""

    platform: str
    entity_id: str
    account_id: str
    role: str
    source: str


class PostsInto(NamedTuple):
    """A campaign's posts into one entity, against all posts there."""

    campaign_id: str
    platform: str
    entity_id: str
    campaign_posts: int
    campaign_posters: int
    all_posts: int
    all_posters: int


class DomainShare(NamedTuple):
    """An off-platform domain a campaign's accounts link to, against everyone who does."""

    campaign_id: str
    domain: str
    campaign_posts: int
    campaign_posters: int
    all_posts: int


def entities_by_id(ws: Workspace, ids: Sequence[str]) -> dict[str, EntityRow]:
    """The entities among ``ids`` (one row per id: the first stored)."""
    if not ids:
        return {}
    with temp_arrow(ws, "_ent_ids", pa.table({"entity_id": pa.array(sorted(set(ids)), pa.string())})):
        rows = fetch(ws, """
            SELECT platform, entity_id, coalesce(kind, ''), coalesce(name, ''), coalesce(url, ''),
                   coalesce(description, ''), coalesce(followers, 0),
                   coalesce(source_file, '') || ':' || coalesce(CAST(source_line AS VARCHAR), '')
            FROM entities SEMI JOIN _ent_ids USING (entity_id)
            QUALIFY row_number() OVER (PARTITION BY entity_id ORDER BY source_file, source_line) = 1""")
    return {str(r[1]): EntityRow(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), int(r[6]),
                                 str(r[7])) for r in rows}


def admin_links(ws: Workspace, *, accounts: Sequence[str] = (), entities: Sequence[str] = ()) -> list[AdminLink]:
    """Admin/owner memberships held by ``accounts`` or over ``entities``."""
    if not accounts and not entities:
        return []
    tbl = pa.table({"id": pa.array([*accounts, *entities], pa.string()),
                    "is_account": pa.array([True] * len(accounts) + [False] * len(entities), pa.bool_())})
    with temp_arrow(ws, "_adm_ids", tbl):
        rows = fetch(ws, """
            SELECT DISTINCT m.platform, m.entity_id, m.account_id, lower(m.role),
                   coalesce(m.source_file, '') || ':' || coalesce(CAST(m.source_line AS VARCHAR), '')
            FROM memberships m JOIN _adm_ids i
              ON (i.is_account AND m.account_id = i.id) OR (NOT i.is_account AND m.entity_id = i.id)
            WHERE lower(m.role) IN ('admin', 'owner')
            ORDER BY 2, 3""")
    return [AdminLink(*(str(x) for x in r)) for r in rows]


def posts_into(ws: Workspace, group: Mapping[str, str]) -> list[PostsInto]:
    """Per campaign, every entity its accounts post into (not a page posting on itself), with
    the campaign's posts and posters there and everyone's."""
    if not group:
        return []
    with temp_arrow(ws, "_camp", group_table(group)):
        rows = fetch(ws, f"""
            WITH mine AS (
                SELECT c.campaign_id, a.platform, a.entity_id, count(*) AS n, count(DISTINCT a.account_id) AS k
                FROM actions a JOIN _camp c USING (account_id)
                WHERE a.entity_id IS NOT NULL AND a.entity_id <> a.account_id AND a.kind IN {_POSTS}
                GROUP BY ALL),
            total AS (
                SELECT platform, entity_id, count(*) AS n, count(DISTINCT account_id) AS k FROM actions
                WHERE entity_id IN (SELECT entity_id FROM mine) AND entity_id <> account_id AND kind IN {_POSTS}
                GROUP BY ALL)
            SELECT m.campaign_id, m.platform, m.entity_id, m.n, m.k, t.n, t.k
            FROM mine m JOIN total t USING (platform, entity_id)
            ORDER BY m.campaign_id, m.n DESC, m.entity_id""")
    return [PostsInto(str(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4]), int(r[5]), int(r[6])) for r in rows]


def domain_shares(ws: Workspace, group: Mapping[str, str], min_posters: int = 2) -> list[DomainShare]:
    """Per campaign, the domains at least ``min_posters`` of its accounts link to, with the
    campaign's posts and everyone's posts linking there. One pass over the URLs (string
    splits, not a regular expression: 0.6 s instead of 4.5 s on 570k URLs)."""
    if not group:
        return []
    with temp_arrow(ws, "_camp", group_table(group)):
        rows = fetch(ws, f"""
            WITH raw AS MATERIALIZED (
                SELECT account_id, split_part({_AT}, ':', 1) AS d
                FROM (SELECT account_id, {_HOST0} AS h0 FROM actions, unnest(urls) AS t(u)
                      WHERE kind IN {_POSTS} AND len(urls) > 0)),
            hosts AS MATERIALIZED (
                SELECT account_id, CASE WHEN starts_with(d, 'www.') THEN d[5:] ELSE d END AS domain
                FROM raw WHERE d <> ''),
            mine AS (
                SELECT c.campaign_id, h.domain, count(*) AS n, count(DISTINCT h.account_id) AS k
                FROM hosts h JOIN _camp c USING (account_id) GROUP BY ALL
                HAVING count(DISTINCT h.account_id) >= {int(min_posters)}),
            total AS (SELECT domain, count(*) AS n FROM hosts SEMI JOIN mine USING (domain) GROUP BY domain)
            SELECT m.campaign_id, m.domain, m.n, m.k, t.n FROM mine m JOIN total t USING (domain)
            ORDER BY m.campaign_id, m.n DESC, m.domain""")
    return [DomainShare(str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows]


def campaign_platforms(ws: Workspace, group: Mapping[str, str]) -> dict[str, set[str]]:
    """The platforms each campaign's accounts act on."""
    if not group:
        return {}
    with temp_arrow(ws, "_camp", group_table(group)):
        rows = fetch(ws, "SELECT DISTINCT c.campaign_id, a.platform FROM actions a JOIN _camp c USING (account_id)")
    out: dict[str, set[str]] = {}
    for cid, platform in rows:
        out.setdefault(str(cid), set()).add(str(platform))
    return out


def entities_naming(ws: Workspace, domains: Sequence[str]) -> list[tuple[str, str, str]]:
    """(platform, entity_id, domain) for entities whose url or description names one of ``domains``."""
    if not domains:
        return []
    with temp_arrow(ws, "_doms", pa.table({"domain": pa.array(sorted(set(domains)), pa.string())})):
        rows = fetch(ws, """
            SELECT DISTINCT e.platform, e.entity_id, d.domain FROM entities e, _doms d
            WHERE contains(lower(coalesce(e.url, '') || ' ' || coalesce(e.description, '')), d.domain)
            ORDER BY 1, 2, 3""")
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def member_counts(ws: Workspace, entity_ids: Sequence[str]) -> dict[str, int]:
    """Accounts holding any membership of each entity (admins included)."""
    if not entity_ids:
        return {}
    with temp_arrow(ws, "_mem_ids", pa.table({"entity_id": pa.array(sorted(set(entity_ids)), pa.string())})):
        rows = fetch(ws, """SELECT entity_id, count(DISTINCT account_id) FROM memberships
                            SEMI JOIN _mem_ids USING (entity_id) GROUP BY entity_id""")
    return {str(r[0]): int(r[1]) for r in rows}


def distinct_members(ws: Workspace, entity_ids: Sequence[str]) -> int:
    """Distinct accounts holding a membership of any of ``entity_ids`` (reach, no double count)."""
    if not entity_ids:
        return 0
    with temp_arrow(ws, "_mem_ids", pa.table({"entity_id": pa.array(sorted(set(entity_ids)), pa.string())})):
        rows = fetch(ws, "SELECT count(DISTINCT account_id) FROM memberships SEMI JOIN _mem_ids USING (entity_id)")
    return int(rows[0][0]) if rows else 0
