"""Handles and display names compared across scripts, transliterations and homoglyphs.

Why a skeleton and not plain lower-casing: an operation that moves platforms keeps its
moniker but not always its spelling: ``HKpoliticsnews`` may come back as ``НКpoliticsnews``
(Cyrillic Н and К), ``hk_politics_news``, ``HKp0liticsnews`` or, for a Chinese name, in
simplified instead of traditional characters. The skeleton is NFKC (full-width forms), a
confusables table (letters of other scripts that look like Latin ones, as UTS #39 lists
them, applied before transliteration so Cyrillic Н reads H and not N), anyascii
(transliteration: 香港政治新聞 and 香港政治新闻 both read XiangGangZhengZhiXinWen), case-folding,
look-alike digits (0 -> o, 1 -> l) and no separators (``_ . - `` and spaces).

Equal skeletons of handles are an *identical moniker*; names are also compared fuzzily
(rapidfuzz ratio on the skeletons), which is what look-alike outlets
score on too, so the scorer caps every name reason (see ``score``).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from anyascii import anyascii

# Letters that render like Latin letters (UTS #39 confusables, the common Cyrillic, Greek and
# Latin-extension cases); mapped before transliteration, which would read them phonetically.
_CONFUSABLE = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "һ": "h",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ı": "i", "ȷ": "j", "ℓ": "l", "ɡ": "g", "ɑ": "a", "ǀ": "l",
})
_DIGITS = str.maketrans({"0": "o", "1": "l", "|": "l", "!": "l"})
_SEPARATORS = re.compile(r"[\s_.\-·•・'’\"]+")
_KEEP = re.compile(r"[^0-9a-z]")
# Hosts whose first path segment is a profile's moniker (vanity name)
_PROFILE_HOSTS = ("facebook.com", "fb.com", "m.facebook.com", "twitter.com", "x.com", "instagram.com",
                  "t.me", "telegram.me", "youtube.com", "tiktok.com", "threads.net", "vk.com", "weibo.com")
_NOT_VANITY = {"pages", "groups", "profile.php", "people", "watch", "share", "sharer", "intent", "i", "home",
               "hashtag", "search", "events", "channel", "c", "user", "s", "l.php", "permalink.php", "story.php"}


def skeleton(value: str) -> str:
    """The comparable form of a handle or name (see the module docstring)."""
    v = unicodedata.normalize("NFKC", value).translate(_CONFUSABLE)
    v = anyascii(v).casefold()
    v = _SEPARATORS.sub("", v).lstrip("@")
    v = v.translate(_DIGITS)
    return _KEEP.sub("", v)


def is_moniker(sk: str) -> bool:
    """Long enough to identify someone (a 3-letter handle equal to another is chance)."""
    return len(sk) >= 5


def _split(url: str) -> SplitResult | None:
    """A profile address split into its parts (``https://`` assumed when missing; None when
    empty or unparsable)."""
    u = url.strip()
    if not u:
        return None
    try:
        return urlsplit(u if "://" in u else "https://" + u)
    except ValueError:
        return None


def vanity(url: str) -> str:
    """The moniker in a profile address: ``https://www.facebook.com/HKpoliticsnews/`` ->
    ``HKpoliticsnews``; ``https://www.facebook.com/pages/Name/123`` -> ``Name``; "" otherwise."""
    parts = _split(url)
    if parts is None:
        return ""
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if not any(host == h or host.endswith("." + h) for h in _PROFILE_HOSTS):
        return ""
    segs = [unquote(s) for s in parts.path.split("/") if s]
    while segs and segs[0].lower() in ("pages", "groups", "c", "user", "s") and len(segs) > 1:
        segs = segs[1:]
    if not segs or segs[0].lower() in _NOT_VANITY or segs[0].isdigit():
        return ""
    return segs[0].lstrip("@")


def profile_id(url: str) -> str:
    """The numeric id in a profile address that has no vanity name:
    ``facebook.com/profile.php?id=100`` , ``/groups/123``, ``/pages/Name/123`` -> the digits; "" otherwise."""
    parts = _split(url)
    if parts is None:
        return ""
    for k, v in parse_qsl(parts.query):
        if k == "id" and v.isdigit():
            return v
    segs = [s for s in parts.path.split("/") if s]
    if len(segs) >= 2 and segs[0].lower() in ("groups", "pages", "people") and segs[-1].isdigit():
        return segs[-1]
    return ""


def similarity(a: str, b: str) -> float:
    """0-1 similarity of two skeletons (rapidfuzz's normalised Indel ratio)."""
    from rapidfuzz import fuzz
    if not a or not b:
        return 0.0
    return float(fuzz.ratio(a, b)) / 100.0
