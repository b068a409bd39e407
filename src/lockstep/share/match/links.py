"""Domains and URLs in one comparable form: refanged, scheme-less, no ``www.``, no trailing
slash, no tracking parameters, redirect wrappers unwrapped, and the registrable domain.

Why the registrable domain (publicsuffixlist): an operation's site moves between
subdomains (``news.hk-truthnews.com``, ``m.hk-truthnews.com``) and keeps its owner; the
public suffix list says where the owner's part ends (``example.co.uk``, not ``co.uk``).
Why mirrors: the same name under another suffix (``hk-truthnews.net`` for
``hk-truthnews.com``) is how takedowns are dodged; it is weaker evidence and reported as a
mirror. Why unwrap redirects: links on a platform are often wrapped by its own redirector
(``l.facebook.com/l.php?u=...``, ``google.com/url?q=...``): the target is in the data.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from lockstep.ads import domains
from lockstep.share.defang import refang

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
_TRACKING = {"fbclid", "gclid", "dclid", "igshid", "ref", "ref_src", "ref_url", "s", "si", "feature", "spm",
             "mibextid", "_ga", "yclid", "msclkid", "cmpid", "share", "source"}
_REDIRECT_PARAMS = ("u", "url", "q", "target", "dest", "destination", "redirect", "redirect_uri", "to", "link")
# Sites everyone links to: a tip naming them says nothing about an actor's own infrastructure.
PLATFORM_DOMAINS = frozenset({
    "facebook.com", "fb.com", "fb.me", "twitter.com", "x.com", "t.co", "instagram.com", "youtube.com", "youtu.be",
    "t.me", "telegram.me", "tiktok.com", "google.com", "goo.gl", "bit.ly", "wikipedia.org", "linkedin.com",
    "reddit.com", "medium.com", "weibo.com", "vk.com", "whatsapp.com", "threads.net", "apple.com", "tinyurl.com",
    "github.com", "gitlab.com", "pinterest.com", "tumblr.com", "vimeo.com", "dailymotion.com", "soundcloud.com",
    "flickr.com", "quora.com", "bilibili.com", "douyin.com", "zhihu.com", "blogspot.com", "wordpress.com",
    "substack.com", "patreon.com", "discord.gg", "discord.com", "linktr.ee", "ok.ru", "rumble.com", "gettr.com",
})


def registrable(host: str) -> str:
    """``news.example.co.uk`` -> ``example.co.uk`` (the host itself when the list has no answer),
    by the public suffix list the ads registry matches domains with (:mod:`lockstep.ads.domains`)."""
    h = host.lower().strip(".")
    if h.startswith("www."):
        h = h[4:]
    return domains.registrable(h) if h else h


def mirror_key(host: str) -> str:
    """The owner's label without its suffix (``hk-truthnews`` for ``hk-truthnews.com``):
    two registrable domains with the same key under other suffixes are mirrors."""
    reg = registrable(host)
    suffix = domains.public_suffix(reg) if reg else ""
    label = reg[: -len(suffix) - 1] if suffix and reg.endswith("." + suffix) else reg.split(".")[0]
    return label if len(label) >= 6 else ""  # short labels (news, hk) coincide by chance


def _unwrap(url: str, depth: int = 0) -> str:
    """The target of a redirector link whose query holds a full URL."""
    if depth > 3:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    for k, v in parse_qsl(parts.query, keep_blank_values=False):
        if k.lower() in _REDIRECT_PARAMS:
            t = unquote(v)
            if t.lower().startswith(("http://", "https://")):
                return _unwrap(t, depth + 1)
    return url


def norm_url(raw: str) -> tuple[str, str]:
    """(comparable URL ``host/path?query`` without scheme, www, trailing slash or tracking
    parameters; its host). ``("", "")`` when ``raw`` is not a URL."""
    v = refang(raw).strip()
    if not v:
        return "", ""
    if "://" not in v:
        v = "https://" + v
    v = _unwrap(v)
    try:
        parts = urlsplit(v)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return "", ""
    if "." not in host:
        return "", ""
    if host.startswith("www."):
        host = host[4:]
    query = [(k, val) for k, val in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in _TRACKING and not k.lower().startswith(_TRACKING_PREFIXES)]
    path = parts.path.rstrip("/")
    out = host + path + ("?" + urlencode(sorted(query)) if query else "")
    return out, host


def norm_domain(raw: str) -> str:
    """A domain indicator (or a URL's host) lower-case, refanged, without ``www.``."""
    v = refang(raw).strip().lower()
    if "://" in v:
        return norm_url(v)[1]
    v = v.split("/", 1)[0].split(":", 1)[0].rstrip(".")
    return v[4:] if v.startswith("www.") else v
