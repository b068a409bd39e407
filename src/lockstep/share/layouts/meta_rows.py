"""Turn one indicator of Meta's threat-research files into tip parts, for both layouts.

Why a module of its own: the CSV, TSV and JSON readers share it, so a value reads the same
whichever file it came in. Old layout (2020-2023): ``indicator_type, indicator_value,
comment, ds``. Kill-chain layout (2023-): ``Tactic, Technique, Procedure, Indicator[, Notes]``
where Indicator is a defanged domain or URL, an asset count ("154 Accounts", "23 Pages"), a
hash, a name, or a sentence describing the behaviour (which then only evidences the step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lockstep.share.defang import refang
from lockstep.share.normalise import domain, url
from lockstep.share.tip import Asset, AssetKind, Indicator, IndicatorKind, Technique

_COUNT = re.compile(r"^\s*([\d,]+)\s+(?:(facebook|instagram|twitter|x|youtube|tiktok|telegram)\s+)?"
                    r"(accounts?|acounts?|pages?|groups?|channels?)\s*\.?\s*$", re.IGNORECASE)
_HASH = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$", re.IGNORECASE)
_HASHTAG = re.compile(r"^#[^\s#]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# profile URLs: platform host -> (platform, how the handle is found)
_PROFILE_HOSTS = {"twitter.com": "twitter", "x.com": "twitter", "youtube.com": "youtube", "tiktok.com": "tiktok",
                  "facebook.com": "facebook", "instagram.com": "instagram", "t.me": "telegram",
                  "telegram.me": "telegram", "vk.com": "vk", "ok.ru": "ok", "threads.net": "threads",
                  "m.facebook.com": "facebook", "mobile.twitter.com": "twitter", "m.youtube.com": "youtube"}
_NOT_HANDLES = {"watch", "status", "statuses", "share", "hashtag", "search", "intent", "i", "p", "reel", "reels",
                "playlist", "embed", "shorts", "video", "videos", "posts", "photo", "photos", "events", "groups",
                "pages", "story.php", "permalink.php", "profile.php", "s", "joinchat", "c", "channel", "user"}
_OLD_KINDS: dict[str, IndicatorKind] = {
    "domain_name": "domain", "domain": "domain", "url": "url", "cib_url": "url", "phishing_url": "url",
    "telegram_url": "url", "ip": "ip", "ip_address": "ip", "md5": "media_hash", "sha1": "media_hash",
    "sha256": "media_hash", "email": "email", "email_address": "email", "android_package_name": "other",
    "ios_app_id": "other", "hashtag": "hashtag",
}
_PLATFORM_WORDS = (("instagram", "instagram"), ("x / twitter", "twitter"), ("x/twitter", "twitter"),
                   ("twitter", "twitter"), ("youtube", "youtube"), ("tiktok", "tiktok"), ("telegram", "telegram"),
                   ("facebook", "facebook"), ("threads", "threads"), ("vk", "vk"), ("reddit", "reddit"))


@dataclass
class Parts:
    """What a file's rows add up to."""

    assets: list[Asset] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    techniques: list[Technique] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    dates: list[str] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def indicator(self, kind: IndicatorKind, value: str, note: str = "") -> None:
        if (kind, value) not in self._seen:
            self._seen.add((kind, value))
            self.indicators.append(Indicator(kind=kind, value=value, note=note))

    def asset(self, a: Asset) -> None:
        key = (a.platform + ":" + a.kind, a.handle.lower() or a.url)
        if key not in self._seen:
            self._seen.add(key)
            self.assets.append(a)

    def technique(self, t: Technique) -> None:
        if t not in self.techniques:
            self.techniques.append(t)


def platform_of(text: str) -> str:
    """The platform a kill-chain procedure names ("0.9.4 Acquiring X / Twitter accounts" -> twitter)."""
    low = text.lower()
    for word, name in _PLATFORM_WORDS:
        if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", low):
            return name
    return ""


def profile(u: str) -> Asset | None:
    """An account, page or channel when ``u`` (normalised URL) is a profile address."""
    m = re.match(r"^[a-z]+://([^/?#]+)/([^?#]*)", u)
    if not m:
        return None
    host, path = m.group(1), m.group(2).strip("/")
    plat = _PROFILE_HOSTS.get(host)
    if not plat or not path:
        return None
    first = path.split("/")[0]
    if first.lower() in _NOT_HANDLES and not (plat == "youtube" and first.lower() in ("c", "channel", "user")):
        return None
    if plat == "youtube" and first.lower() in ("c", "channel", "user"):
        first = path.split("/")[1] if "/" in path else ""
    handle = first.lstrip("@")
    if not handle or "." in handle and plat != "facebook":
        return None
    kind: AssetKind = "channel" if plat in ("youtube", "telegram") else "account"
    return Asset(platform=plat, kind=kind, handle=handle, url=u)


def add_value(parts: Parts, raw: str, kind_hint: IndicatorKind | None, note: str, where: str,
              procedure: str = "") -> None:
    """Classify and add one Indicator cell. A typed value that is not of its type is kept as
    kind "other" with a note (published files hold a few typos, and a tip must not lose the
    rest of its rows over one); ``where`` names the cell for errors."""
    v = raw.strip()
    if not v:
        return
    m = _COUNT.match(v)
    if kind_hint is None and m:
        n = int(m.group(1).replace(",", ""))
        noun = m.group(3).lower().rstrip("s").replace("acount", "account")
        plat = (m.group(2) or "").lower() or platform_of(procedure)
        plat = "twitter" if plat == "x" else plat
        key = f"{plat} {noun}".strip()
        parts.counts[key] = parts.counts.get(key, 0) + n
        return
    live = refang(v)
    if kind_hint is not None and kind_hint not in ("url", "domain"):
        if kind_hint == "media_hash" and not _HASH.match(live):
            parts.indicator("other", live, _malformed("hash", note))  # Meta's own typos: kept, not lost
            return
        parts.indicator(kind_hint, live.lower() if kind_hint in ("ip", "email", "media_hash") else live, note)
        return
    if kind_hint is None:
        if " " in live.strip():
            return  # a sentence: evidence of the step, not an observable
        if _HASH.match(live):
            parts.indicator("media_hash", live.lower(), note)
            return
        if _HASHTAG.match(live):
            parts.indicator("hashtag", live[1:].lower(), note)
            return
        if "/" not in live and _EMAIL.match(live):
            parts.indicator("email", live.lower(), note)
            return
    looks_url = "://" in live or "/" in live or kind_hint == "url"
    try:
        if looks_url:
            u = url(live)
            a = profile(u)
            if a is not None:
                parts.asset(Asset(platform=a.platform, kind=a.kind, handle=a.handle, url=a.url, note=note))
            else:
                parts.indicator("url", u, note)
        else:
            parts.indicator("domain", domain(live), note)
    except ValueError:
        if kind_hint is not None:  # a typed value that is not of its type (Meta's files hold a few)
            parts.indicator("other", live, _malformed(kind_hint, note))
            return
        if any(ord(ch) > 127 for ch in live):
            parts.indicator("text", live, note)  # a title or slogan in a non-Latin script (no spaces)
        else:
            parts.indicator("other", live, note)  # a name or handle without its platform


def _malformed(kind: str, note: str) -> str:
    return f"declared {kind} but malformed" + (f"; {note}" if note else "")


def old_kind(value: str, where: str) -> IndicatorKind:
    """The tip kind of an old-layout ``indicator_type`` (ValueError when unknown)."""
    k = value.strip().lower()
    if k not in _OLD_KINDS:
        raise ValueError(f"{where}: unknown indicator_type {value!r} (known: {', '.join(sorted(_OLD_KINDS))})")
    return _OLD_KINDS[k]


def killchain_technique(tactic: str, technique: str, procedure: str) -> Technique | None:
    """The most specific kill-chain step a row names (procedure, else technique, else tactic)."""
    for cell in (procedure, technique, tactic):
        c = " ".join(cell.split())
        m = re.match(r"^(\d+(?:\.\d+)*)\.?\s+(.+)$", c)
        if m:
            return Technique(id=m.group(1), name=m.group(2).strip(), framework="meta-killchain")
    return None
