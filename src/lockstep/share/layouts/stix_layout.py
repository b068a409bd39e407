"""Read a STIX 2.1 bundle (ours or another platform's) into a Tip.

Why raw dictionaries and not ``stix2.parse``: a partner's bundle may carry custom objects,
odd properties or an object the library refuses; a reader that stops at the first such
object would lose every other indicator. Each object is checked for the fields we use, and a
wrong type is a ``DataError`` naming the object's index and field. Our own bundles carry
``x_lockstep_*`` properties (role, asset kind, text fingerprints) that make the round trip
exact; other bundles give what their patterns, observables and objects say.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lockstep.errors import DataError
from lockstep.share.normalise import normalise_indicator, platform_name
from lockstep.share.tip import Activity, Asset, AssetKind, Indicator, IndicatorKind, Technique, Tip
from lockstep.share.vocab import HASHTAG_TYPE, TEXT_TYPE, TLP_BY_ID, opinion_from_stix

# `[type:path = 'value']` comparisons inside a STIX pattern (quotes escaped as \')
_COMPARISON = re.compile(r"([a-z0-9-]+):([A-Za-z0-9_.'\[\]*-]+)\s*(?:=|LIKE|MATCHES)\s*'((?:[^'\\]|\\.)*)'")
_PATTERN_KIND: dict[str, IndicatorKind] = {
    "domain-name": "domain", "url": "url", "ipv4-addr": "ip", "ipv6-addr": "ip", "email-addr": "email",
    TEXT_TYPE: "text", HASHTAG_TYPE: "hashtag", "file": "media_hash", "artifact": "media_hash",
}
_SCO_KIND: dict[str, IndicatorKind] = {"domain-name": "domain", "url": "url", "ipv4-addr": "ip",
                                       "ipv6-addr": "ip", "email-addr": "email"}


def _show(v: Any) -> str:
    """A value from the file as one printable line (control characters escaped)."""
    return repr(str(v))[1:-1]


def is_stix(doc: Any) -> bool:
    """A STIX bundle (or a bare list of STIX objects)."""
    if isinstance(doc, dict):
        return doc.get("type") == "bundle" or str(doc.get("id", "")).startswith("bundle--")
    return isinstance(doc, list) and bool(doc) and all(isinstance(o, dict) and "--" in str(o.get("id", ""))
                                                       for o in doc[:5])


def _objects(path: Path, doc: Any) -> list[dict[str, Any]]:
    objs = doc.get("objects", []) if isinstance(doc, dict) else doc
    if not isinstance(objs, list):
        raise DataError(f"{path}: field 'objects' of the bundle is {type(objs).__name__}, not a list")
    for i, o in enumerate(objs):
        if not isinstance(o, dict):
            raise DataError(f"{path}: objects[{i}] is {type(o).__name__}, not a STIX object")
        if not isinstance(o.get("type"), str):
            raise DataError(f"{path}: objects[{i}] has no text 'type'")
    return objs


def _s(path: Path, i: int, o: dict[str, Any], name: str) -> str:
    """Text field ``name`` of object ``i`` ("" when absent; numbers become text)."""
    v = o.get(name, "")
    if v is None:
        return ""
    if isinstance(v, bool) or isinstance(v, (list, dict)):
        raise DataError(f"{path}: objects[{i}] ({_show(o.get('type'))}) field {name!r} is {type(v).__name__}, not text")
    return str(v)


def _list(path: Path, i: int, o: dict[str, Any], name: str) -> list[Any]:
    v = o.get(name, [])
    if v is None:
        return []
    if not isinstance(v, list):
        raise DataError(f"{path}: objects[{i}] ({_show(o.get('type'))}) field {name!r} is {type(v).__name__}, not a list")
    return v


def read(path: Path, doc: Any) -> Tip:
    """The bundle's actor, assets, indicators, activity, techniques, opinion and TLP."""
    objs = _objects(path, doc)
    name = desc = created = first = last = ""
    source = ""
    tlp = ""
    opinion = "needs_investigation"
    assets: list[Asset] = []
    indicators: list[Indicator] = []
    activity: list[Activity] = []
    techniques: list[Technique] = []
    counts: dict[str, int] = {}
    reach: dict[str, int] = {}
    seen_ind: set[tuple[str, str]] = set()
    platforms = {str(o.get("id")): platform_name(_s(path, i, o, "name")) for i, o in enumerate(objs)
                 if o["type"] == "identity"}

    by_indicator: dict[str, tuple[IndicatorKind, str]] = {}  # indicator id -> its first observable
    sightings: list[tuple[int, dict[str, Any]]] = []

    def add_ind(kind: IndicatorKind, value: str, note: str = "", fp: tuple[str, ...] = ()) -> str:
        try:
            v = normalise_indicator(kind, value)
        except ValueError:
            return ""
        if v and (kind, v) not in seen_ind:
            seen_ind.add((kind, v))
            indicators.append(Indicator(kind=kind, value=v, note=note, fingerprint=fp))
        return v

    for i, o in enumerate(objs):
        t = o["type"]
        marks = _list(path, i, o, "object_marking_refs")
        for m in marks:
            level = TLP_BY_ID.get(str(m))
            if level and not tlp:
                tlp = level
        if t == "marking-definition" and not tlp:
            ext = o.get("extensions") or {}
            defn = o.get("definition") or {}
            lvl = ""
            if isinstance(ext, dict):
                for e in ext.values():
                    if isinstance(e, dict) and e.get("tlp_2_0"):
                        lvl = str(e["tlp_2_0"])
            if isinstance(defn, dict) and defn.get("tlp"):
                lvl = str(defn["tlp"])
            tlp = {"white": "clear"}.get(lvl.lower(), lvl.lower())
        elif t in ("campaign", "intrusion-set", "threat-actor"):
            if t == "campaign" or not name:
                name = _s(path, i, o, "name") or name
                desc = _s(path, i, o, "description") or desc
                created = _s(path, i, o, "created") or created
                first = _s(path, i, o, "first_seen") or first
                last = _s(path, i, o, "last_seen") or last
            for prop, into in (("x_lockstep_counts", counts), ("x_lockstep_reach", reach)):
                c = o.get(prop)
                if isinstance(c, dict):
                    into.update({str(k): v for k, v in c.items() if isinstance(v, int) and not isinstance(v, bool)})
            creator = platforms.get(_s(path, i, o, "created_by_ref"), "")
            source = source or creator
        elif t == "user-account":
            kind = _s(path, i, o, "x_lockstep_asset_kind") or "account"
            if kind not in ("account", "page", "group", "channel"):
                kind = "account"
            akind: AssetKind = kind  # type: ignore[assignment]
            plat = platform_name(_s(path, i, o, "account_type"))
            a = Asset(platform="" if plat == "unknown" else plat, kind=akind,
                      id=_s(path, i, o, "user_id"), handle=_s(path, i, o, "account_login").lstrip("@"),
                      display_name=_s(path, i, o, "display_name"), url=_s(path, i, o, "x_lockstep_url"),
                      role=_s(path, i, o, "x_lockstep_role"), note=_s(path, i, o, "x_lockstep_note"))
            if a.id or a.handle or a.display_name or a.url:
                assets.append(a)
        elif t in _SCO_KIND:
            add_ind(_SCO_KIND[t], _s(path, i, o, "value"))
        elif t == "indicator":
            pattern = _s(path, i, o, "pattern")
            note = _s(path, i, o, "name")
            fp = tuple(str(x) for x in _list(path, i, o, "x_lockstep_fingerprint"))
            sample = _s(path, i, o, "x_lockstep_sample")
            if _s(path, i, o, "pattern_type") not in ("", "stix"):
                continue
            for typ, _prop, val in _COMPARISON.findall(pattern):
                val = val.replace("\\'", "'").replace("\\\\", "\\")
                kind2 = _PATTERN_KIND.get(typ)
                v = ""
                if kind2 == "text":
                    v = add_ind("text", sample or val, _s(path, i, o, "description") or note, fp)
                elif kind2 is not None:
                    v = add_ind(kind2, val, _s(path, i, o, "description") or note)
                if kind2 is not None and v:
                    by_indicator.setdefault(_s(path, i, o, "id"), (kind2, v))
                elif typ == "user-account":
                    assets.append(Asset(platform="", kind="account", handle=val.lstrip("@"), note=note))
        elif t == "attack-pattern":
            for ref in _list(path, i, o, "external_references"):
                if not isinstance(ref, dict):
                    raise DataError(f"{path}: objects[{i}] (attack-pattern) has an external reference that is"
                                    f" {type(ref).__name__}, not an object")
                src = str(ref.get("source_name", ""))
                eid = str(ref.get("external_id", ""))
                if eid and src.lower() in ("disarm", "mitre-attack", "meta-killchain"):
                    techniques.append(Technique(id=eid, name=_s(path, i, o, "name"),
                                                framework="DISARM" if src.lower() == "disarm" else src,
                                                version=_s(path, i, o, "x_disarm_framework_version")))
        elif t == "sighting":
            sightings.append((i, o))
        elif t == "opinion":
            mine = _s(path, i, o, "x_lockstep_opinion")
            opinion = mine if mine in ("confirmed", "needs_investigation") else opinion_from_stix(
                _s(path, i, o, "opinion"), _s(path, i, o, "x_threatexchange_status"))
        elif t == "identity" and not source and _s(path, i, o, "identity_class") == "organization":
            source = _s(path, i, o, "name")
    for i, o in sightings:
        item = by_indicator.get(_s(path, i, o, "sighting_of_ref"))
        if item is not None:
            n = o.get("count", 0)
            activity.append(Activity(kind=item[0], value=item[1], first_seen=_s(path, i, o, "first_seen"),
                                     last_seen=_s(path, i, o, "last_seen"),
                                     n_assets=n if isinstance(n, int) and not isinstance(n, bool) else 0))
    return Tip(name=name or path.stem, source=source, source_file=str(path), description=desc,
               opinion=opinion,  # type: ignore[arg-type]
               tlp=tlp or "amber", created=created, first_seen=first, last_seen=last,
               assets=tuple(assets), indicators=tuple(indicators), activity=tuple(activity),
               techniques=tuple(dict.fromkeys(techniques)), counts=counts, reach=reach)
