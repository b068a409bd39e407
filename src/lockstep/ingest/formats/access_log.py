"""Access-log CSV: logins/sessions with ip, network, country, device.

The account column may be called ``userid`` or ``account_id``; ``time`` is ISO 8601 (UTC
when no zone is given) or Unix seconds. ``network`` defaults to the /24 of an IPv4 address
and the /48 of an IPv6 one, so shared infrastructure can be compared even when addresses
rotate inside a block. ``platform`` defaults to ``twitter`` (the IO-archive world the
simulator mirrors) unless the file has a ``platform`` column.
"""

from __future__ import annotations

from lockstep.ingest.formats.base import Check, Format, empty_id, time_check

ACCESS_LOG = Format(
    name="access-log",
    summary="access-log CSV (userid|account_id, time, ip, country, optional asn, device, network)",
    primary="access",
    required=("account_id", "time"),
    optional=("ip", "country", "asn", "device", "network", "platform"),
    aliases={"account_id": ("userid", "user_id", "account")},
    checks=(
        empty_id("account_id"),
        time_check("time", "ls_anyts(time) IS NULL"),
        Check("ip", "not an IP address", "ls_bad_ip(ip)"),
    ),
    outputs={"access": {
        "platform": "coalesce(ls_nz(platform), 'twitter')",
        "account_id": "ls_nz(account_id)",
        "timestamp": "ls_anyts(time)",
        "ip": "ls_nz(ip)",
        "network": "coalesce(ls_nz(network), ls_net(ip))",
        "asn": "ls_nz(asn)",
        "country": "ls_nz(country)",
        "device": "ls_nz(device)",
    }},
    detect=lambda h, _l: 12 if "time" in h and "ip" in h and ({"userid", "account_id"} & h) else 0,
)
