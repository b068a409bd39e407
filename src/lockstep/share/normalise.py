"""Normal forms of tip values, so a domain or URL reads the same from every layout.

Why: one Tip model, refanged and normalised (see ``tip.py``): ``WWW.Example.COM.`` and
``example[.]com`` are the same domain, and a URL keeps its path and query (case included)
but loses its defanging and its host's case and ``www.``. Raises ValueError for a value
that is not of its kind; readers turn that into a DataError with the file and line.
"""

from __future__ import annotations

import re

from lockstep.share.defang import refang

# labels of letters/digits/-/_ (any script); the top-level label is letters only or punycode
# (so "clip.mp4" or "1.2" is not a domain)
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:(?!-)[a-z0-9\u00a1-\uffff_-]{1,63}\.)+"
                     r"(?:[a-z\u00a1-\uffff]{2,63}|xn--[a-z0-9-]{1,59})$")
_URL = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<host>[^/?#\s]+)(?P<rest>[^\s]*)$", re.IGNORECASE)
_PLATFORMS = {"x": "twitter", "x / twitter": "twitter", "x/twitter": "twitter", "fb": "facebook", "ig": "instagram",
              "meta": "facebook"}


def domain(value: str) -> str:
    """``www.Example.COM.`` -> ``example.com``; ValueError when it is not a host name."""
    v = refang(value).strip().lower().rstrip(".")
    if "://" in v:
        v = url_host(v)
    v = v.split("/", 1)[0].split(":", 1)[0]
    if v.startswith("www."):
        v = v[4:]
    if not _DOMAIN.match(v):
        raise ValueError(f"not a domain name: {value!r}")
    return v


def url_host(value: str) -> str:
    m = _URL.match(value.strip())
    if not m:
        raise ValueError(f"not a URL: {value!r}")
    host = m.group("host").rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return host[4:] if host.startswith("www.") else host


def url(value: str) -> str:
    """A URL with a scheme (``https://`` added when missing), lower-case host without ``www.``."""
    v = refang(value).strip()
    if "://" not in v:
        v = "https://" + v
    m = _URL.match(v)
    if not m:
        raise ValueError(f"not a URL: {value!r}")
    host = m.group("host").lower()
    if host.startswith("www."):
        host = host[4:]
    if not _DOMAIN.match(host.rsplit("@", 1)[-1].split(":", 1)[0]):
        raise ValueError(f"not a URL (host {host!r}): {value!r}")
    return f"{m.group('scheme').lower()}://{host}{m.group('rest')}"


def normalise_indicator(kind: str, value: str) -> str:
    """The normal form of an indicator value of ``kind`` (ValueError when malformed)."""
    if kind == "domain":
        return domain(value)
    if kind == "url":
        return url(value)
    if kind == "hashtag":
        return value.strip().lstrip("#").lower()
    if kind in ("ip", "email"):
        return refang(value).strip().lower()
    if kind == "text":
        return " ".join(value.split())
    return value.strip()


def platform_name(value: str) -> str:
    """Lower-case platform name: ``Facebook`` -> ``facebook``, ``X`` -> ``twitter``."""
    v = value.strip().lower()
    return _PLATFORMS.get(v, v)
