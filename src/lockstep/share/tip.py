"""What a cross-platform tip says, whatever file it came in: the shared model of ``share``.

Why one model: a tip is written (``share export``: STIX 2.1 bundle or Meta's indicator CSV)
and read back (``share match``: our own bundles, other platforms' bundles, Meta's published
CSV/JSON files) in several layouts. Readers turn every layout into a :class:`Tip`, writers
start from one, and the matcher only ever sees this model, so a new layout is one reader and
one writer, never a change to matching.

Values here are refanged and normalised (``hxxps://a[.]com`` -> ``https://a.com``,
domains lower-case without ``www.``); writers defang again where a format expects it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AssetKind = Literal["account", "page", "group", "channel"]
IndicatorKind = Literal["domain", "url", "text", "hashtag", "media_hash", "ip", "email", "other"]
Opinion = Literal["confirmed", "needs_investigation"]


@dataclass(frozen=True)
class Asset:
    """An account, page, group or channel the tip attributes to the actor.

    ``platform``: lower-case platform name ("twitter", "facebook", ...; "" when unknown).
    ``id``: the platform's own id where known; ``handle``: screen name / vanity name (no
    "@"); ``url``: profile address (refanged). Any of id, handle, display_name, url may be
    "" but not all of them."""

    platform: str
    kind: AssetKind
    id: str = ""
    handle: str = ""
    display_name: str = ""
    url: str = ""
    role: str = ""  # core / amplifier / persona / fake_admin ... as the source judged it
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    """A domain, URL, text fingerprint, hashtag, media hash, IP or other observable."""

    kind: IndicatorKind
    value: str
    note: str = ""
    # for kind == "text": the MinHash signature (as hex words) of the text's shingles, so a
    # receiver can match near-duplicates without the sender sharing more than one sample
    fingerprint: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    """When the tip's network acted on one item (a URL, a text fingerprint, a hashtag):
    behaviour a receiver can look for on its own data at the same times."""

    kind: IndicatorKind
    value: str
    first_seen: str  # ISO 8601 UTC
    last_seen: str
    n_assets: int = 0


@dataclass(frozen=True)
class Technique:
    """A DISARM technique (``id`` such as T0049.003, current framework ids) or a step of
    Meta's Online Operations Kill Chain (``framework`` = "meta-killchain")."""

    id: str
    name: str
    framework: str = "DISARM"
    version: str = ""


@dataclass(frozen=True)
class Tip:
    """One actor's indicators from one source, and how sure the source is."""

    name: str
    source: str  # who shared it (platform or organisation)
    source_file: str = ""
    description: str = ""
    opinion: Opinion = "needs_investigation"
    tlp: str = "amber"  # clear / green / amber / red
    created: str = ""  # ISO 8601 UTC
    first_seen: str = ""
    last_seen: str = ""
    assets: tuple[Asset, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    activity: tuple[Activity, ...] = ()
    techniques: tuple[Technique, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)  # e.g. {"facebook page": 19} from Meta's "19 Pages"
    # audience the network reached, as the source counted it: {"account_followers": ..,
    # "page_followers": .., "group_members": ..} (empty when unknown)
    reach: dict[str, int] = field(default_factory=dict)
