"""Access logs and off-platform links: values (IP, /24 network, device) shared by unusually
many accounts, a campaign's own infrastructure, and little-known linked domains."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from lockstep.store.queries import access_passes as ap
from lockstep.store.queries import shared as sh
from lockstep.store.queries.base import fetch, group_table, in_list, temp_arrow
from lockstep.store.workspace import Workspace

ACCESS_KINDS = ("ip", "network", "device")

# Domains every kind of account links to; sharing them says nothing.
COMMON_DOMAINS = ("twitter.com", "t.co", "x.com", "youtube.com", "youtu.be", "facebook.com",
                  "instagram.com", "bit.ly", "google.com", "wikipedia.org", "tinyurl.com",
                  "ow.ly", "goo.gl", "fb.me", "buff.ly", "dlvr.it", "ift.tt", "tiktok.com")

# The host of URL ``u``, lower case, without a leading www./m./mobile.
DOMAIN_SQL = ("regexp_replace(lower(regexp_extract(u, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?([^/:?#]+)', 1)),"
              " '^(www|m|mobile)\\.', '')")


def _kind(kind: str) -> str:
    if kind not in ACCESS_KINDS:
        raise ValueError(f"access kind must be one of {ACCESS_KINDS}, not {kind!r}")
    return kind


class SharedAccess(NamedTuple):
    kind: str  # ip, network or device
    account_id: str
    n_other: int  # other accounts using its most shared value
    n_values: int  # how many of its values are widely shared
    example: str  # its most shared value (the smallest of equally shared ones, so runs agree)


def widely_shared_access(ws: Workspace, kinds: Sequence[str], factor: float,
                         min_accounts: int) -> list[SharedAccess]:
    """Per account and access kind: its most shared value and how many other accounts use it,
    for values shared by unusually many accounts: more than ``factor`` times the 99th
    percentile of accounts per value on this platform, and at least ``min_accounts``.

    On the run's (account, value) pairs and percentiles (``queries.shared``; the roles stage
    needs them again for the campaigns' infrastructure), unless an access row has no account:
    the pairs hold no such row, and the statement below reports it as an account of its own."""
    if not fetch(ws, "SELECT 1 FROM access WHERE account_id IS NULL LIMIT 1"):
        return _widely_shared_on_pairs(ws, kinds, factor, min_accounts)
    return _widely_shared_sql(ws, kinds, factor, min_accounts)


def _widely_shared_sql(ws: Workspace, kinds: Sequence[str], factor: float, min_accounts: int) -> list[SharedAccess]:
    """:func:`widely_shared_access` as one statement over the whole access log."""
    parts = []
    for i, kind in enumerate(map(_kind, kinds)):
        parts.append(f"""
            SELECT {i} AS ord, '{kind}' AS kind, a.account_id, max(v.n_acc) - 1 AS n_other,
                   count(*) AS n_values, arg_min(a.{kind}, (-v.n_acc, a.{kind})) AS example
            FROM (SELECT DISTINCT account_id, {kind} FROM access WHERE {kind} IS NOT NULL AND {kind} <> '') a
            JOIN (WITH per AS (SELECT {kind}, count(DISTINCT account_id) AS n_acc FROM access
                               WHERE {kind} IS NOT NULL GROUP BY 1)
                  SELECT * FROM per WHERE n_acc >= greatest({int(min_accounts)},
                        {float(factor)} * (SELECT quantile_cont(n_acc, 0.99) FROM per))) v USING ({kind})
            GROUP BY a.account_id""")
    # by account, then kind in the order given, so that runs agree
    rows = fetch(ws, "SELECT kind, account_id, n_other, n_values, example FROM (" + " UNION ALL ".join(parts)
                 + ") ORDER BY account_id, ord")
    return [SharedAccess(str(k), str(a), int(n), int(v), str(e)) for k, a, n, v, e in rows]


def _widely_shared_on_pairs(ws: Workspace, kinds: Sequence[str], factor: float,
                            min_accounts: int) -> list[SharedAccess]:
    """:func:`widely_shared_access` on the shared pairs: the same rows in the same order (by
    account id, then kind as given; the example is the most used value, the smallest of
    equally used ones, as the statement's ``arg_min`` on (-accounts, value) picks it)."""
    p = sh.passes(ws)
    per: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], int]] = []
    values_of = []  # per kind: its values in sorted order (position = value number)
    for i, kind in enumerate(map(_kind, kinds)):
        acc, val, values = ap.access_pairs(p, kind)
        values_of.append(values)
        n_acc = np.bincount(val, minlength=len(values))  # accounts per value (none without one)
        q = ap.access_users_quantile(p, kind)
        floor = float(int(min_accounts)) if q is None else max(float(int(min_accounts)), float(factor) * q)
        sel = (n_acc >= floor)[val]
        a, v = acc[sel].astype(np.int64), val[sel].astype(np.int64)
        n = n_acc[v]
        order = np.lexsort((v, -n, a))  # per account: the most used value first, then the smallest
        a, v, n = a[order], v[order], n[order]
        first = np.flatnonzero(np.r_[True, a[1:] != a[:-1]]) if len(a) else np.zeros(0, dtype=np.int64)
        count = np.diff(np.r_[first, len(a)])
        per.append((a[first], n[first], count, v[first], i))
    if not per:
        return []
    # by account, then kind as given; each row's example taken from its kind's values at once
    # (an Arrow scalar per row took seconds on a 10M-action workspace)
    a, n, c = (np.concatenate([row[j] for row in per]) for j in range(3))
    k = np.concatenate([np.full(len(row[0]), row[4], dtype=np.int64) for row in per])
    examples = [ex for row in per for ex in values_of[row[4]].take(row[3]).to_pylist()]
    order = np.lexsort((k, a)).tolist()
    ids = p.ids
    al, nl, cl, kl = a.tolist(), n.tolist(), c.tolist(), k.tolist()
    return [SharedAccess(kinds[kl[j]], ids[al[j]], nl[j] - 1, cl[j], str(examples[j])) for j in order]


def campaign_shared_access(ws: Workspace, group: Mapping[str, str], kind: str, min_others: int,
                           min_concentration: float) -> list[tuple[str, int]]:
    """(account, other accounts of its campaign sharing a ``kind`` value with it), by account,
    counting only values used by at least ``min_others + 1`` of the campaign's accounts (and by
    more of them than use 99% of the platform's values), of whose users at least
    ``min_concentration`` belong to the group. See ``roles.features.shared_access_with_group``.
    On the run's (account, value) pairs (``queries.shared``): asked of members and of the
    grown group, per kind."""
    kind = _kind(kind)
    if not group:
        return []
    p = sh.passes(ws)
    camp_of, camps = sh.campaign_ids(p, group)
    acc, val, values = ap.access_pairs(p, kind)
    n_all = np.bincount(val, minlength=len(values))  # accounts using each value
    c_of = camp_of[acc]
    sel = c_of >= 0
    a, c, v = acc[sel].astype(np.int64), c_of[sel], val[sel].astype(np.int64)
    n_grp = np.bincount(v, minlength=len(values))  # accounts of the group using each value
    keys, n = np.unique(c * len(values) + v, return_counts=True)  # (campaign, value) -> its accounts
    q = ap.access_users_quantile(p, kind)
    floor = max(float(int(min_others) + 1), q) if q is not None else float(int(min_others) + 1)
    kv = keys % len(values) if len(values) else keys
    ok = (n >= floor) & _at_least(n_grp[kv], float(min_concentration), n_all[kv])
    keys, n = keys[ok], n[ok]
    pos = np.searchsorted(keys, c * len(values) + v)
    hit = pos < len(keys)
    hit[hit] = keys[pos[hit]] == (c * len(values) + v)[hit]
    best = np.full(len(p.ids), -1, dtype=np.int64)
    np.maximum.at(best, a[hit], n[pos[hit]])
    ids = p.ids
    return [(ids[i], int(best[i]) - 1) for i in np.flatnonzero(best >= 0).tolist()]


def _at_least(a: NDArray[np.int64], share: float, b: NDArray[np.int64]) -> NDArray[np.bool_]:
    """``a >= share * b`` as SQL judged it with ``share`` written as a literal: a decimal
    (exact) unless Python writes it in exponent form (then a double)."""
    text = repr(share)
    if "e" in text or "inf" in text or "nan" in text:
        return np.asarray(a >= share * b)
    frac = Fraction(text)
    return np.asarray(a * frac.denominator >= frac.numerator * b)


def campaign_access_values(ws: Workspace, owner: Mapping[str, str], kind: str) -> list[tuple[str, str]]:
    """Distinct (campaign, value) of one access kind used by the accounts in ``owner``
    (account -> campaign)."""
    kind = _kind(kind)
    with temp_arrow(ws, "_owner", group_table(owner)):
        rows = fetch(ws, f"SELECT DISTINCT o.campaign_id, x.{kind} FROM access x JOIN _owner o USING (account_id)"
                         f" WHERE x.{kind} IS NOT NULL AND x.{kind} <> ''")
    return [(str(c), str(v)) for c, v in rows]


def access_of(ws: Workspace, account_ids: Sequence[str]) -> list[tuple[str, str | None, str | None, str | None]]:
    """Every access row (account, ip, network, device) of the given accounts."""
    rows = fetch(ws, "SELECT account_id, ip, network, device FROM access WHERE account_id IN (SELECT unnest(?))",
                 [list(account_ids)])
    return [(str(a), i, n, d) for a, i, n, d in rows]


def account_domains_sql() -> str:
    """SQL: one row per (account_id, domain, n links) for off-platform domains.

    The domain is tested after the grouping, on ``min(domain)`` (the group's own domain): a
    test on the grouped column itself is pushed below the grouping by DuckDB's optimizer,
    which then ran the regular expressions three times per link (10M-action world: 9.0 ->
    4.4 CPU-s, same rows). A NULL domain fails both tests either way."""
    common = in_list(COMMON_DOMAINS)
    return f"""
        SELECT account_id, domain, count(*) AS n
        FROM (SELECT account_id, {DOMAIN_SQL} AS domain
              FROM (SELECT account_id, unnest(urls) AS u FROM actions WHERE len(urls) > 0))
        GROUP BY 1, 2 HAVING min(domain) <> '' AND min(domain) NOT IN ({common})"""


class LittleKnownDomains(NamedTuple):
    account_id: str
    domains: list[str]  # most linked first (then by name, so that runs agree)
    n_accounts: list[int]  # accounts linking each domain
    n_links: int  # the account's links to these domains


def little_known_domains(ws: Workspace, min_accounts: int, max_accounts: int) -> list[LittleKnownDomains]:
    """Per account: the off-platform domains it links that between ``min_accounts`` and
    ``max_accounts`` accounts link to."""
    rows = fetch(ws, f"""
        WITH ad AS ({account_domains_sql()}),
        d AS (SELECT domain, count(*) AS n_acc FROM ad GROUP BY 1
              HAVING count(*) BETWEEN {int(min_accounts)} AND {int(max_accounts)})
        SELECT ad.account_id, list(ad.domain ORDER BY ad.n DESC, ad.domain), list(d.n_acc ORDER BY ad.n DESC, ad.domain),
               sum(ad.n)
        FROM ad JOIN d USING (domain) GROUP BY 1""")
    return [LittleKnownDomains(str(a), list(d), [int(x) for x in n], int(s)) for a, d, n, s in rows]
