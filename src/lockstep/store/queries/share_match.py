"""What ``share match`` asks of the workspace: who is here (accounts, pages, groups and their
names and addresses), which actions carry given URLs, texts or hashtags and when, who
administers what, and who posts into which page or group.

Why these questions and no more: matching a tip is Python logic (name skeletons, URL and
registrable-domain normal forms, MinHash over texts) that runs on small answers; the store
hands over distinct values with counts first, then only the actions on the values that
matched, so the big table is read twice at most, never copied into Python whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import pyarrow as pa

from lockstep.store.queries.base import fetch, scalar, temp_arrow
from lockstep.store.workspace import Workspace

# what a poster does in a page or group (joins and follows are not posts)
_POST_KINDS = "('post', 'link', 'repost', 'quote', 'reply')"


class Profile(NamedTuple):
    """One account, page, group or channel as this platform knows it."""

    platform: str
    id: str
    kind: str  # account | page | group | channel
    handle: str
    name: str  # display name (accounts) or name (entities)
    url: str
    description: str


class ItemAct(NamedTuple):
    """One action on a matched item: who (account or page id), where (entity), what, when."""

    platform: str
    account_id: str
    entity_id: str
    item: str
    timestamp: datetime | None


def counts(ws: Workspace) -> dict[str, int]:
    """Rows of the tables a match reads (an empty workspace has nothing to match)."""
    return {t: int(scalar(ws, f'SELECT count(*) FROM "{t}"') or 0)
            for t in ("actions", "accounts", "entities", "memberships")}


def profiles(ws: Workspace) -> list[Profile]:
    """Every account and every page/group/channel, with handle, name, URL and description.
    Accounts that only appear in actions (no profile row) are listed with empty fields, so
    behaviour can still name them."""
    rows = fetch(ws, """
        SELECT platform, account_id, 'account', coalesce(handle, ''), coalesce(display_name, ''),
               coalesce(url, ''), coalesce(description, '') FROM accounts
        UNION ALL
        SELECT platform, entity_id, coalesce(nullif(kind, ''), 'page'), '', coalesce(name, ''),
               coalesce(url, ''), coalesce(description, '') FROM entities
    """)
    return [Profile(*(str(v) for v in r)) for r in rows]


def entity_kinds(ws: Workspace) -> dict[tuple[str, str], str]:
    """(platform, entity id) -> kind, so a page posting as an account is reported as a page."""
    rows = fetch(ws, "SELECT platform, entity_id, kind FROM entities")
    return {(str(p), str(e)): str(k or "page") for p, e, k in rows}


def distinct_urls(ws: Workspace) -> list[tuple[str, int]]:
    """Every URL shared in an action, with the number of distinct accounts that shared it."""
    rows = fetch(ws, """
        SELECT u, count(DISTINCT account_id) FROM (SELECT account_id, unnest(urls) AS u FROM actions
                                                   WHERE urls IS NOT NULL AND len(urls) > 0)
        WHERE u IS NOT NULL AND u <> '' GROUP BY u
    """)
    return [(str(u), int(n)) for u, n in rows]


def distinct_texts(ws: Workspace, min_chars: int = 12) -> list[tuple[str, int]]:
    """Every distinct text of at least ``min_chars`` characters, with its number of actions."""
    rows = fetch(ws, f"""
        SELECT text, count(*) FROM actions
        WHERE text IS NOT NULL AND length(text) >= {int(min_chars)} GROUP BY text
    """)
    return [(str(t), int(n)) for t, n in rows]


def distinct_hashtags(ws: Workspace) -> list[tuple[str, int]]:
    """Every hashtag (lower-cased, without '#') with the number of distinct accounts using it."""
    rows = fetch(ws, """
        SELECT h, count(DISTINCT account_id) FROM (
            SELECT account_id, lower(ltrim(unnest(hashtags), '#')) AS h FROM actions
            WHERE hashtags IS NOT NULL AND len(hashtags) > 0)
        WHERE h <> '' GROUP BY h
    """)
    return [(str(h), int(n)) for h, n in rows]


def _acts(ws: Workspace, values: Sequence[str], where: str) -> list[ItemAct]:
    if not values:
        return []
    with temp_arrow(ws, "_share_vals", pa.table({"v": pa.array(sorted(set(values)), pa.string())})):
        rows = fetch(ws, f"""
            SELECT platform, account_id, coalesce(entity_id, ''), item, timestamp FROM ({where})
            WHERE item IN (SELECT v FROM _share_vals)
        """)
    return [ItemAct(str(p), str(a), str(e), str(i), t) for p, a, e, i, t in rows]


def actions_with_urls(ws: Workspace, urls: Sequence[str]) -> list[ItemAct]:
    """Every action sharing one of ``urls`` (exact stored strings)."""
    return _acts(ws, urls, "SELECT platform, account_id, entity_id, unnest(urls) AS item, timestamp FROM actions"
                           " WHERE urls IS NOT NULL AND len(urls) > 0")


def actions_with_texts(ws: Workspace, texts: Sequence[str]) -> list[ItemAct]:
    """Every action whose text is one of ``texts`` (exact stored strings)."""
    return _acts(ws, texts, "SELECT platform, account_id, entity_id, text AS item, timestamp FROM actions"
                            " WHERE text IS NOT NULL")


def actions_with_hashtags(ws: Workspace, tags: Sequence[str]) -> list[ItemAct]:
    """Every action using one of ``tags`` (lower-case, without '#')."""
    return _acts(ws, tags, "SELECT platform, account_id, entity_id, lower(ltrim(unnest(hashtags), '#')) AS item,"
                           " timestamp FROM actions WHERE hashtags IS NOT NULL AND len(hashtags) > 0")


class Admin(NamedTuple):
    platform: str
    entity_id: str
    account_id: str
    role: str  # admin | owner | moderator ...


def admins(ws: Workspace) -> list[Admin]:
    """Every membership with more than a member's role (admins, owners, editors, moderators)."""
    rows = fetch(ws, """
        SELECT platform, entity_id, account_id, lower(role) FROM memberships
        WHERE role IS NOT NULL AND lower(role) NOT IN ('', 'member', 'follower', 'fan')
    """)
    return [Admin(*(str(v) for v in r)) for r in rows]


class Poster(NamedTuple):
    platform: str
    entity_id: str
    account_id: str
    n: int  # posts by this account (or page) into the entity


def entity_posters(ws: Workspace) -> list[Poster]:
    """Who posts into which page or group, and how often (posts only; joins are not posts)."""
    rows = fetch(ws, f"""
        SELECT platform, entity_id, account_id, count(*) FROM actions
        WHERE entity_id IS NOT NULL AND entity_id <> '' AND kind IN {_POST_KINDS}
        GROUP BY 1, 2, 3
    """)
    return [Poster(str(p), str(e), str(a), int(n)) for p, e, a, n in rows]
