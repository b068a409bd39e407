"""Infrastructure signals: what an account shares with other accounts off the timeline.

Twitter said the Hong Kong network came from within the PRC, some of it through
"specific unblocked IP addresses"; Facebook's pages drove people to a handful of
off-platform news sites. Sharing an IP, a /24 network, a device or a little-known domain
with other accounts is evidence that one operator stands behind them.
"""

from __future__ import annotations

from lockstep.accounts.base import AccountSignal, Finding, Param, register
from lockstep.store.queries.infrastructure import ACCESS_KINDS, little_known_domains, widely_shared_access
from lockstep.store.workspace import Workspace

_KINDS = {"ip": "IP address", "network": "network", "device": "device", "asn": "ASN"}


@register
class SharedInfrastructure(AccountSignal):
    name = "shared_infrastructure"
    explanation = ("Logs in from an IP address, /24 network or device that far more accounts"
                   " share than is usual on the platform (more than twice the 99th percentile).")
    parameters = (Param("factor", float, 2.0, "How many times the 99th percentile of accounts per value"
                        " a value must reach.", min=0),
                  Param("min_accounts", int, 5, "Fewest accounts sharing a value.", min=2))
    needs = ("access",)
    _weights = {"ip": 0.7, "device": 0.7, "network": 0.4}

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        rows = widely_shared_access(ws, ACCESS_KINDS, p["factor"], p["min_accounts"])
        per: dict[str, dict[str, tuple[int, int, str]]] = {}
        for kind, acc, n_other, n_values, example in rows:
            per.setdefault(acc, {})[kind] = (int(n_other), int(n_values), str(example))
        out: list[Finding] = []
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


@register
class SharedDomains(AccountSignal):
    name = "shared_domains"
    explanation = ("Links to little-known off-platform sites that only a small group of accounts"
                   " link to (an operation driving traffic to its own 'news' sites).")
    parameters = (Param("max_accounts", int, 100, "Most accounts linking a domain for it to be little known.",
                        min=1),
                  Param("min_accounts", int, 2, "Fewest accounts linking a domain (shared, not personal).", min=1))
    needs = ("actions",)

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        rows = little_known_domains(ws, p["min_accounts"], p["max_accounts"])
        out: list[Finding] = []
        for acc, domains, n_accs, n_links in rows:
            shown = ", ".join(f"{d} (linked by {n} accounts)" for d, n in zip(domains[:3], n_accs[:3]))
            out.append(Finding(acc, self.name, 0.3, f"{n_links} links to little-known sites: {shown}",
                               {"domains": domains[:10], "n_links": int(n_links)}))
        return out

