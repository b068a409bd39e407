"""Infrastructure signals: what an account shares with other accounts off the timeline.

Twitter said the Hong Kong network came from within the PRC, some of it through
"specific unblocked IP addresses"; Facebook's pages drove people to a handful of
off-platform news sites. Sharing an IP, a /24 network, a device or a little-known domain
with other accounts is evidence that one operator stands behind them.
"""

from __future__ import annotations

from lockstep.accounts.base import AccountSignal, Finding, register
from lockstep.store.workspace import Workspace

# Domains every kind of account links to; sharing them says nothing.
COMMON_DOMAINS = ("twitter.com", "t.co", "x.com", "youtube.com", "youtu.be", "facebook.com",
                  "instagram.com", "bit.ly", "google.com", "wikipedia.org", "tinyurl.com",
                  "ow.ly", "goo.gl", "fb.me", "buff.ly", "dlvr.it", "ift.tt", "tiktok.com")

DOMAIN_SQL = ("regexp_replace(lower(regexp_extract(u, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?([^/:?#]+)', 1)),"
              " '^(www|m|mobile)\\.', '')")

_KINDS = {"ip": "IP address", "network": "network", "device": "device", "asn": "ASN"}


def shared_access(ws: Workspace, kinds: tuple[str, ...], factor: float, min_accounts: int) -> list[tuple]:
    """Per account and access kind: its most shared value and how many other accounts use it,
    for values shared by unusually many accounts: more than ``factor`` times the 99th
    percentile of accounts per value on this platform (so ordinary NAT and dynamic-IP reuse,
    and generic device strings, stay quiet), and at least ``min_accounts``."""
    parts = []
    for kind in kinds:
        parts.append(f"""
            SELECT '{kind}' AS kind, a.account_id, max(v.n_acc) - 1 AS n_other,
                   count(*) AS n_values, arg_max(a.{kind}, v.n_acc) AS example
            FROM (SELECT DISTINCT account_id, {kind} FROM access WHERE {kind} IS NOT NULL AND {kind} <> '') a
            JOIN (WITH per AS (SELECT {kind}, count(DISTINCT account_id) AS n_acc FROM access
                               WHERE {kind} IS NOT NULL GROUP BY 1)
                  SELECT * FROM per WHERE n_acc >= greatest({int(min_accounts)},
                        {float(factor)} * (SELECT quantile_cont(n_acc, 0.99) FROM per))) v USING ({kind})
            GROUP BY a.account_id""")
    return ws.con.execute(" UNION ALL ".join(parts)).fetchall()


@register
class SharedInfrastructure(AccountSignal):
    name = "shared_infrastructure"
    explanation = ("Logs in from an IP address, /24 network or device that far more accounts"
                   " share than is usual on the platform (more than twice the 99th percentile).")
    defaults = {"factor": 2.0, "min_accounts": 5}
    needs = ("access",)
    _weights = {"ip": 0.7, "device": 0.7, "network": 0.4}

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        rows = shared_access(ws, ("ip", "network", "device"), p["factor"], p["min_accounts"])
        per: dict[str, dict[str, tuple[int, int, str]]] = {}
        for kind, acc, n_other, n_values, example in rows:
            per.setdefault(acc, {})[kind] = (int(n_other), int(n_values), str(example))
        out = []
        for acc, kinds in per.items():
            strength = max(self._weights[k] for k in kinds)
            if len(kinds) > 1:
                strength = min(1.0, strength + 0.15)
            words = [f"{_KINDS[k]} {ex!r} shared with {n} other accounts"
                     f"{f' ({nv} shared {k} values in all)' if nv > 1 else ''}" for k, (n, nv, ex) in sorted(kinds.items())]
            out.append(Finding(acc, self.name, strength, "; ".join(words),
                               {k: {"other_accounts": n, "shared_values": nv, "example": ex}
                                for k, (n, nv, ex) in kinds.items()}))
        return out


def account_domains_sql() -> str:
    """SQL: one row per (account_id, domain, n links) for off-platform domains."""
    common = ", ".join(f"'{d}'" for d in COMMON_DOMAINS)
    return f"""
        SELECT account_id, {DOMAIN_SQL} AS domain, count(*) AS n
        FROM (SELECT account_id, unnest(urls) AS u FROM actions WHERE len(urls) > 0)
        GROUP BY 1, 2 HAVING domain <> '' AND domain NOT IN ({common})"""


@register
class SharedDomains(AccountSignal):
    name = "shared_domains"
    explanation = ("Links to little-known off-platform sites that only a small group of accounts"
                   " link to (an operation driving traffic to its own 'news' sites).")
    defaults = {"max_accounts": 100, "min_accounts": 2}
    needs = ("actions",)

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        rows = ws.con.execute(f"""
            WITH ad AS ({account_domains_sql()}),
            d AS (SELECT domain, count(*) AS n_acc FROM ad GROUP BY 1
                  HAVING count(*) BETWEEN {int(p['min_accounts'])} AND {int(p['max_accounts'])})
            SELECT ad.account_id, list(ad.domain ORDER BY ad.n DESC), list(d.n_acc ORDER BY ad.n DESC),
                   sum(ad.n)
            FROM ad JOIN d USING (domain) GROUP BY 1""").fetchall()
        out = []
        for acc, domains, n_accs, n_links in rows:
            shown = ", ".join(f"{d} (linked by {n} accounts)" for d, n in zip(domains[:3], n_accs[:3]))
            out.append(Finding(acc, self.name, 0.3, f"{n_links} links to little-known sites: {shown}",
                               {"domains": domains[:10], "n_links": int(n_links)}))
        return out
