"""Access logs: logins with ip, country, asn and device.

Organic users log in from a home ISP network (a /24 shared with a few neighbours), mobile
carrier NAT ranges shared by thousands, and sometimes commercial VPNs (protesters and
mainland loyalists often). The operation logs in through a few dedicated "unblocked" PRC
networks; ``infra_spread`` sends a share of its logins through the same VPNs and ISPs as
everybody else. One login per account and active day, shortly before its first action.
"""

from __future__ import annotations

import numpy as np

from lockstep.simulate import actions as A
from lockstep.simulate import vocab
from lockstep.simulate.context import Ctx
from lockstep.simulate.names import pick

# country: (first octets, ISP asns, mobile asn)
COUNTRIES = {
    "US": ((73, 98, 24), ("AS7922", "AS7018", "AS701"), "AS21928"),
    "GB": ((86, 81), ("AS2856", "AS5089"), "AS25135"),
    "HK": ((113, 219), ("AS9269", "AS4760"), "AS9381"),
    "TW": ((114, 1), ("AS3462",), "AS24158"),
    "CN": ((222, 123), ("AS4134", "AS4837"), "AS9808"),
    "DE": ((91,), ("AS3320",), "AS3209"),
    "AU": ((101,), ("AS1221",), "AS4804"),
    "JP": ((126,), ("AS2516",), "AS2527"),
    "BR": ((177,), ("AS28573",), "AS26599"),
    "IN": ((49,), ("AS9829",), "AS45609"),
}
_TZ_COUNTRY = {-5.0: "US", -8.0: "US", 0.0: "GB", 8.0: "HK", 1.0: "DE", 10.0: "AU", 9.0: "JP", -3.0: "BR", 5.0: "IN"}
_VPN = [(f"45.{80 + i}.{(i * 37) % 250}", c, "AS9009") for i, c in enumerate(["US", "JP", "SG", "NL"] * 8)]
_OP_NETS = [("222.73.45", "CN", "AS4134"), ("123.58.161", "CN", "AS4837"), ("211.95.72", "CN", "AS4812")]
_AMP_NETS = [("58.220.31", "CN", "AS4134"), ("103.79.100", "CN", "AS134763"), ("155.94.137", "US", "AS8100")]
_CLOUD_NETS = [("159.65.12", "US", "AS14061"), ("52.74.33", "SG", "AS16509"), ("88.99.41", "DE", "AS24940")]


class Infra:
    """Per-account home country and network, fixed for the whole run."""

    def __init__(self, ctx: Ctx) -> None:
        rng = np.random.default_rng([ctx.cfg.seed, 120])
        c = ctx.pop.cols
        n = len(ctx.pop)
        self.ctx = ctx
        country = np.array([_TZ_COUNTRY.get(float(z), "US") for z in c["tz"]], dtype=object)
        tw = (c["lang"] == "zh") & (c["location"] != "Hong Kong") & (c["group"] == "general") & (rng.random(n) < 0.4)
        country[tw] = "TW"
        cn = (c["group"] == "loyalist") & (c["tz"] == 8.0) & (rng.random(n) < 0.3)
        country[cn] = "CN"
        self.country = country
        # ~8 accounts share a home /24 (ISP pools), numbered per country
        self.home = rng.integers(0, max(50, n // 8), n)
        self.host = rng.integers(2, 254, n)
        g = c["group"]
        self.vpn_share = np.select([g == "protest", g == "protest_leader", cn, g == "loyalist"],
                                   [0.35, 0.5, 0.85, 0.1], 0.03)
        self.device = pick(rng, vocab.DEVICES, n)
        self.op_device = pick(rng, vocab.OP_DEVICES, n)
        self._tactics(ctx)

    def _tactics(self, ctx: Ctx) -> None:
        """Residential-proxy exits (home connections of 3% of ordinary users, who keep using them)
        and the cloud servers news feeds run on; generators of their own (default worlds unchanged)."""
        if ctx.cfg.knobs.residential_proxy > 0:
            g = ctx.pop.idx("general")
            exits = g[np.random.default_rng([ctx.cfg.seed, 122]).random(len(g)) < 0.03]
            self.proxy = self._home(exits)
        if "newsbot" in ctx.pop.blocks:
            bots = ctx.pop.idx("newsbot")
            rng = np.random.default_rng([ctx.cfg.seed, 123])
            server = rng.integers(0, max(2, len(bots) // 4), len(bots))  # a few feeds per server
            net = [_CLOUD_NETS[k % len(_CLOUD_NETS)] for k in server]
            self.bot = {int(b): (f"{x[0]}.{10 + k}", x[1], x[2]) for b, k, x in zip(bots, server, net)}

    def _home(self, acct: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each account's home (fixed-line ISP) connection: ip, country, asn."""
        ip, asn = np.empty(len(acct), dtype=object), np.empty(len(acct), dtype=object)
        country = self.country[acct]
        for cc, (octets, isps, _mob) in COUNTRIES.items():
            m = country == cc
            h = self.home[acct[m]]
            first = np.array(octets)[h % len(octets)]
            ip[m] = [f"{a}.{(x // 250) % 250}.{x % 250}.{y}" for a, x, y in zip(first, h, self.host[acct[m]])]
            asn[m] = np.array(isps, dtype=object)[h % len(isps)]
        return ip, country.copy(), asn

    def _isp(self, rng: np.random.Generator, acct: np.ndarray) -> tuple[np.ndarray, ...]:
        n = len(acct)
        country = self.country[acct]
        mobile = rng.random(n) < 0.4
        ip, asn = np.empty(n, dtype=object), np.empty(n, dtype=object)
        for cc, (octets, isps, mob) in COUNTRIES.items():
            m = country == cc
            if not m.any():
                continue
            h = self.home[acct[m]]
            first = np.array(octets)[h % len(octets)]
            home_ip = [f"{a}.{(x // 250) % 250}.{x % 250}.{y}" for a, x, y in zip(first, h, self.host[acct[m]])]
            mob_ip = [f"{octets[0]}.{200 + x % 8}.{x % 3}.{y}" for x, y in zip(h, rng.integers(2, 254, int(m.sum())))]
            ip[m] = np.where(mobile[m], mob_ip, home_ip)
            asn[m] = np.where(mobile[m], mob, np.array(isps)[h % len(isps)])
        return ip, country, asn

    def _pool(self, rng: np.random.Generator, n: int, nets: list[tuple[str, str, str]], hosts: int) -> tuple[np.ndarray, ...]:
        k = rng.integers(0, len(nets), n)
        ip = np.array([f"{nets[i][0]}.{h}" for i, h in zip(k, rng.integers(10, 10 + hosts, n))], dtype=object)
        return ip, np.array([nets[i][1] for i in k], dtype=object), np.array([nets[i][2] for i in k], dtype=object)

    def logins(self, rng: np.random.Generator, day: A.Batch) -> dict[str, np.ndarray]:
        """One login per account active in ``day`` (a sorted batch), before its first action."""
        if len(day["acct"]) == 0:
            return {k: np.zeros(0, dtype=object) for k in ("acct", "t", "ip", "country", "asn", "device")}
        acct, first = np.unique(day["acct"], return_index=True)
        t = day["t"][first] - rng.integers(5, 1800, len(acct))
        t = np.maximum(t, self.ctx.pop.cols["created"][acct])
        ip, country, asn = self._isp(rng, acct)
        vpn = rng.random(len(acct)) < self.vpn_share[acct]
        vip, vcc, vasn = self._pool(rng, len(acct), _VPN, 200)
        g = self.ctx.pop.cols["group"][acct]
        spread = rng.random(len(acct)) < self.ctx.cfg.knobs.infra_spread
        oip, occ, oasn = self._pool(rng, len(acct), _OP_NETS, 6)
        aip, acc, aasn = self._pool(rng, len(acct), _AMP_NETS, 40)
        core = np.isin(g, ["persona", "operator"]) & ~spread
        amp = (g == "amplifier") & ~spread
        vpn = vpn | (np.isin(g, ["persona", "operator", "amplifier"]) & spread & (rng.random(len(acct)) < 0.6))
        ip = np.select([core, amp, vpn], [oip, aip, vip], ip)
        country = np.select([core, amp, vpn], [occ, acc, vcc], country)
        asn = np.select([core, amp, vpn], [oasn, aasn, vasn], asn)
        is_op = self.ctx.is_op[acct]
        op_dev = np.where(rng.random(len(acct)) < self.ctx.cfg.knobs.client_mix, self.device[acct], self.op_device[acct])
        device = np.where(is_op, op_dev, self.device[acct])
        if self.ctx.cfg.knobs.residential_proxy > 0:  # the operation rents ordinary users' home lines
            px = np.flatnonzero(is_op & (rng.random(len(acct)) < self.ctx.cfg.knobs.residential_proxy))
            j = rng.integers(0, len(self.proxy[0]), len(px))
            ip[px], country[px], asn[px] = self.proxy[0][j], self.proxy[1][j], self.proxy[2][j]
        if "newsbot" in self.ctx.pop.blocks:
            for i in np.flatnonzero(g == "newsbot"):
                ip[i], country[i], asn[i] = self.bot[int(acct[i])]
            device = np.where(g == "newsbot", "Linux x86_64 (server)", device)
        return {"acct": acct, "t": t, "ip": ip, "country": country, "asn": asn, "device": device}
