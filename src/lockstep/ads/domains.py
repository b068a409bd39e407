"""Hosts, registrable domains and social-media handles, normalised the same way everywhere.

Why one module: the registry import, ``ads check`` and ``ads scan`` must agree on what
"the same domain" and "the same handle" mean, or a match found in one place is missed in
another. The registrable domain comes from the public suffix list bundled in the
``publicsuffixlist`` package (its own copy of the list, read from the installed file; the
package fetches nothing unless its ``update`` module is run, which lockstep never does),
so ``news.bbc.co.uk`` and ``www.bbc.co.uk`` share ``bbc.co.uk`` with no network at run time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from publicsuffixlist import PublicSuffixList

_PSL = PublicSuffixList()

# Social platforms: a link on one of these names a handle, never the outlet's own domain.
PLATFORMS: dict[str, str] = {
    "twitter.com": "twitter", "x.com": "twitter", "instagram.com": "instagram",
    "facebook.com": "facebook", "fb.com": "facebook", "youtube.com": "youtube",
    "youtu.be": "youtube", "t.me": "telegram", "telegram.me": "telegram", "vk.com": "vk",
    "linkedin.com": "linkedin", "ok.ru": "ok", "tiktok.com": "tiktok", "rutube.ru": "rutube",
}
PLATFORM_NAMES = tuple(sorted(set(PLATFORMS.values())))
# Path prefixes that are part of a handle (``youtube.com/channel/ID``, ``ok.ru/group/ID``).
_TWO_PART = {"channel", "c", "user", "company", "group", "profile", "school", "showcase"}
_HOST_OK = re.compile(r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)+$")
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_WWW = re.compile(r"^www\d*\.")


@lru_cache(maxsize=200_000)
def host_of(value: str) -> str | None:
    """The lower-case host of a URL or bare domain (``None`` when it is not one).

    ``HTTPS://WWW.Example.COM:443/x`` -> ``www.example.com``; international names become
    their punycode form so both spellings meet.
    """
    v = value.strip()
    if not v:
        return None
    v = _URL.sub("", v)
    v = re.split(r"[/?#\\]", v, maxsplit=1)[0]
    v = v.rsplit("@", 1)[-1]
    if v.startswith("["):
        return None  # IP literal: not a domain
    v = v.split(":", 1)[0].rstrip(".").lower()
    if not v:
        return None
    if not v.isascii():
        try:
            v = v.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return v if _HOST_OK.match(v) and not v.replace(".", "").isdigit() else None


def strip_www(host: str) -> str:
    """``www.x.org``, ``www3.x.org`` -> ``x.org`` (the www-variants of one site)."""
    out = _WWW.sub("", host)
    return out if "." in out else host


@lru_cache(maxsize=200_000)
def registrable(host: str) -> str:
    """The registrable domain of ``host`` by the public suffix list (``a.b.bbc.co.uk`` -> ``bbc.co.uk``)."""
    return _PSL.privatesuffix(host) or host


def public_suffix(host: str) -> str:
    """The public suffix of ``host`` by the same list (``bbc.co.uk`` -> ``co.uk``; "" when none)."""
    return str(_PSL.publicsuffix(host) or "")


def parents(host: str) -> list[str]:
    """``a.b.x.org`` -> ``[b.x.org, x.org]``: the hosts a subdomain sits under, down to its registrable domain."""
    reg = registrable(host)
    out = []
    h = host
    while h != reg and "." in h:
        h = h.split(".", 1)[1]
        out.append(h)
    return out


def platform_of(host: str) -> str | None:
    """The social platform ``host`` belongs to, if any (``m.facebook.com`` -> ``facebook``)."""
    return PLATFORMS.get(registrable(host))


def handle_from_url(value: str) -> tuple[str, str] | None:
    """``https://www.twitter.com/CGTN`` -> ``("twitter", "cgtn")``; ``None`` when not a profile link."""
    host = host_of(value)
    if host is None:
        return None
    platform = platform_of(host)
    if platform is None:
        return None
    path = _URL.sub("", value.strip()).split("/", 1)[1] if "/" in _URL.sub("", value.strip()) else ""
    parts = [unquote(p) for p in re.split(r"[?#]", path, maxsplit=1)[0].split("/") if p]
    if not parts:
        return None
    if parts[0] in _TWO_PART and len(parts) > 1:
        handle = f"{parts[0]}/{parts[1]}"
    else:
        handle = parts[0]
    return platform, norm_handle(platform, handle)


def norm_handle(platform: str, handle: str) -> str:
    """Case-fold a handle (ids of YouTube channels keep their case: they are case-sensitive)."""
    h = handle.strip().lstrip("@").strip()
    if platform == "youtube" and h.startswith("channel/"):
        return h
    return h.casefold()


def parse_handle(value: str) -> tuple[str, str] | None:
    """An advertiser's handle as written: a profile URL, ``twitter:@cgtn``, or ``@cgtn`` (any platform: ``*``)."""
    v = value.strip()
    if not v:
        return None
    if _URL.match(v) or ("/" in v and "." in v.split("/", 1)[0]):
        return handle_from_url(v)
    platform = "*"
    if ":" in v:
        p, _, rest = v.partition(":")
        p = p.strip().lower()
        if p in ("x",):
            p = "twitter"
        if p in PLATFORM_NAMES:
            platform, v = p, rest
    h = norm_handle(platform, v)
    return (platform, h) if h and not re.search(r"\s", h) else None
