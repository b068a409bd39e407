"""Write a Tip as a STIX 2.1 bundle with the OASIS ``stix2`` library, and check it parses back.

The shape (see docs/share.md): the source platform as an ``identity``; a ``campaign``
attributed-to an ``intrusion-set``; the network's accounts, pages and groups as
``user-account`` observables that an ``infrastructure`` (type amplification) consists-of and
the campaign uses; ``indicator`` objects for domains, URLs (based-on their ``domain-name`` /
``url`` observables), text fingerprints and hashtags (patterns on custom ``x-lockstep-text`` /
``x-lockstep-hashtag`` objects, which STIX patterning allows, with the MinHash signature in
``x_lockstep_fingerprint``), each indicating the campaign; one ``sighting`` per activity window;
``attack-pattern`` objects with DISARM external references, used by the campaign; and an
``opinion`` in the ThreatExchange vocabulary. Every object but the marking definition carries
the TLP 2.0 marking. Ids are uuid5 of the subject's key and the object's content, so
exporting the same campaign again gives the same ids.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import stix2

from lockstep.share.fingerprint import METHOD
from lockstep.share.tip import Tip
from lockstep.share.vocab import HASHTAG_TYPE, OPINION_TO_STIX, TEXT_TYPE, TLP2_EXTENSION, TLP2_IDS

_NS = uuid.UUID("8a6f4d1e-6c1b-5b55-9d1e-6c6f636b7374")  # lockstep's uuid5 namespace for tip objects
DISARM_URL = "https://github.com/DISARMFoundation/DISARMframeworks/blob/main/generated_pages/techniques/{}.md"


def tlp_marking(level: str) -> stix2.MarkingDefinition:
    """The OASIS TLP 2.0 marking definition of ``level`` (clear, green, amber, amber+strict, red)."""
    return stix2.MarkingDefinition(id=TLP2_IDS[level], created="2022-10-01T00:00:00.000Z",
                                   name=f"TLP:{level.upper()}",
                                   extensions={TLP2_EXTENSION: {"extension_type": "property-extension",
                                                                "tlp_2_0": level}})


def _quote(v: str) -> str:
    return v.replace("\\", "\\\\").replace("'", "\\'")


def build_bundle(tip: Tip, key: str) -> stix2.Bundle:
    """The bundle of ``tip``; ``key`` names the subject (ids are derived from it)."""
    def sid(kind: str, *parts: str) -> str:
        return f"{kind}--{uuid.uuid5(_NS, '|'.join((key, kind, *parts)))}"

    marking = tlp_marking(tip.tlp)
    created = tip.created or "1970-01-01T00:00:00Z"
    ident = stix2.Identity(id=f"identity--{uuid.uuid5(_NS, 'platform|' + tip.source)}", created=created,
                           modified=created, name=tip.source, identity_class="organization", sectors=["technology"],
                           description=f"The platform that shares this tip ({tip.source}).",
                           object_marking_refs=[marking.id])
    common: dict[str, Any] = {"created_by_ref": ident.id, "object_marking_refs": [marking.id], "created": created,
                              "modified": created, "allow_custom": True}
    objs: list[Any] = [marking, ident]
    camp_kw: dict[str, Any] = {"x_lockstep_counts": dict(tip.counts)} if tip.counts else {}
    if tip.reach:
        camp_kw["x_lockstep_reach"] = dict(tip.reach)
    if tip.first_seen:
        camp_kw["first_seen"] = tip.first_seen
    if tip.last_seen and tip.last_seen >= tip.first_seen:
        camp_kw["last_seen"] = tip.last_seen
    camp = stix2.Campaign(id=sid("campaign"), name=tip.name, description=tip.description or tip.name, **camp_kw,
                          **common)
    actor = stix2.IntrusionSet(id=sid("intrusion-set"), name=f"Actor behind {tip.name}",
                               description="The operator of the campaign; attribution as the source assessed it.",
                               **common)
    objs += [camp, actor]

    def rel(kind: str, src: str, dst: str) -> None:
        objs.append(stix2.Relationship(id=sid("relationship", kind, src, dst), relationship_type=kind,
                                       source_ref=src, target_ref=dst, **common))
    rel("attributed-to", camp.id, actor.id)
    if tip.assets:
        infra = stix2.Infrastructure(id=sid("infrastructure"), name=f"Accounts, pages and groups of {tip.name}",
                                     infrastructure_types=["amplification"], **common)
        objs.append(infra)
        rel("uses", camp.id, infra.id)
        for a in tip.assets:
            extra = {k: v for k, v in {"user_id": a.id, "account_login": a.handle, "display_name": a.display_name,
                                       "x_lockstep_url": a.url, "x_lockstep_role": a.role,
                                       "x_lockstep_note": a.note}.items() if v}
            acc = stix2.UserAccount(account_type=a.platform or "unknown", x_lockstep_asset_kind=a.kind,
                                    object_marking_refs=[marking.id], allow_custom=True, **extra)
            objs.append(acc)
            rel("consists-of", infra.id, acc.id)
    by_item: dict[tuple[str, str], str] = {}
    for ind in tip.indicators:
        kw: dict[str, Any] = {}
        sco: Any = None
        if ind.kind == "domain":
            pattern, sco = f"[domain-name:value = '{_quote(ind.value)}']", stix2.DomainName(
                value=ind.value, object_marking_refs=[marking.id])
        elif ind.kind == "url":
            pattern, sco = f"[url:value = '{_quote(ind.value)}']", stix2.URL(
                value=ind.value, object_marking_refs=[marking.id])
        elif ind.kind == "text":
            digest = uuid.uuid5(_NS, "".join(ind.fingerprint) or ind.value).hex
            pattern = f"[{TEXT_TYPE}:minhash = '{digest}']"
            kw = {"x_lockstep_fingerprint": list(ind.fingerprint), "x_lockstep_fingerprint_method": METHOD,
                  "x_lockstep_sample": ind.value}
        elif ind.kind == "hashtag":
            pattern = f"[{HASHTAG_TYPE}:value = '{_quote(ind.value)}']"
        elif ind.kind == "ip":
            pattern = f"[{'ipv6-addr' if ':' in ind.value else 'ipv4-addr'}:value = '{_quote(ind.value)}']"
        elif ind.kind == "email":
            pattern = f"[email-addr:value = '{_quote(ind.value)}']"
        else:
            continue
        obj = stix2.Indicator(id=sid("indicator", ind.kind, ind.value), name=f"{ind.kind}: {ind.value[:80]}",
                              description=ind.note or None, pattern=pattern, pattern_type="stix",
                              valid_from=created, indicator_types=["attribution"], **kw, **common)
        objs.append(obj)
        by_item[(ind.kind, ind.value)] = obj.id
        rel("indicates", obj.id, camp.id)
        if sco is not None:
            objs.append(sco)
            rel("based-on", obj.id, sco.id)
    for act in tip.activity:
        ref = by_item.get((act.kind, act.value))
        if ref is None or not act.first_seen:
            continue
        skw: dict[str, Any] = {"first_seen": act.first_seen}
        if act.last_seen and act.last_seen >= act.first_seen:
            skw["last_seen"] = act.last_seen
        objs.append(stix2.Sighting(id=sid("sighting", act.kind, act.value), sighting_of_ref=ref,
                                   where_sighted_refs=[ident.id], count=min(max(act.n_assets, 0), 999999999),
                                   summary=False, **skw, **common))
    for t in tip.techniques:
        if t.framework != "DISARM":
            continue
        ap = stix2.AttackPattern(id=sid("attack-pattern", t.id), name=t.name,
                                 external_references=[{"source_name": "DISARM", "external_id": t.id,
                                                       "url": DISARM_URL.format(t.id),
                                                       "description": f"DISARM Red Framework v{t.version}"}],
                                 x_disarm_framework_version=t.version, **common)
        objs.append(ap)
        rel("uses", camp.id, ap.id)
    stix_op, te_status, te_cat = OPINION_TO_STIX[tip.opinion]
    objs.append(stix2.Opinion(id=sid("opinion"), opinion=stix_op, object_refs=[camp.id],
                              explanation=f"{tip.opinion}: ThreatExchange status {te_status}, category {te_cat}",
                              x_threatexchange_status=te_status, x_threatexchange_category=te_cat,
                              x_lockstep_opinion=tip.opinion, **common))
    return stix2.Bundle(objects=objs, id=f"bundle--{uuid.uuid5(_NS, key + '|bundle|' + created)}", allow_custom=True)


def write_stix(tip: Tip, out: Path, key: str) -> int:
    """Write the bundle to ``out`` (after checking it parses back with stix2); returns the object count."""
    bundle = build_bundle(tip, key)
    # stix2's pretty printer orders properties by a search that is quadratic in the bundle's
    # size (minutes for a thousand objects); its plain output, indented by json, reads the same
    text = json.dumps(json.loads(bundle.serialize()), indent=1, ensure_ascii=False)
    parsed = stix2.parse(text, allow_custom=True)  # raises on an invalid bundle: a bug here, never user input
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(out)
    return len(parsed.objects)
