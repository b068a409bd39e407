"""`lockstep share export --format stix` on a hand-made workspace: the bundle validates with
stix2, carries what the issue lists (campaign, intrusion-set, platform identity, accounts,
domains/URLs, indicators with text fingerprints, DISARM attack-patterns with the framework
version, relationships, sightings, TLP 2.0 marking on every object, ThreatExchange opinion),
keeps only the campaign's own domains and hashtags, and reads back through read_tip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import stix2

from lockstep.cli.main import run
from lockstep.share.disarm import DISARM_VERSION, framework
from lockstep.share.fingerprint import fingerprint
from lockstep.share.read import read_tip
from lockstep.share.vocab import TLP2_IDS
from share.share_world import (HANDLES, MEMBERS, NAMES, OWN_DOMAIN, OWN_TAG, OWN_URLS, ROLES, TEXT,
                               share_workspace)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return share_workspace(tmp_path_factory.mktemp("share-stix"))


def _export(ws: Path, out: Path, *extra: str) -> dict[str, Any]:
    assert run(["share", "export", "C1", "--format", "stix", "--out", str(out), "--workspace", str(ws), *extra]) == 0
    doc: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return doc


def test_bundle_validates_and_holds_every_part(ws: Path, tmp_path: Path) -> None:
    doc = _export(ws, tmp_path / "tip.json", "--tlp", "green")
    bundle = stix2.parse(json.dumps(doc), allow_custom=True)
    objs = list(bundle.objects)
    by_type: dict[str, list[Any]] = {}
    for o in objs:
        by_type.setdefault(o.type, []).append(o)
    assert {"campaign", "intrusion-set", "identity", "user-account", "domain-name", "url", "indicator",
            "attack-pattern", "relationship", "sighting", "opinion", "marking-definition",
            "infrastructure"} <= set(by_type)
    (mark,) = by_type["marking-definition"]
    assert mark.id == TLP2_IDS["green"] and mark.name == "TLP:GREEN"
    for o in objs:
        if o.type != "marking-definition":
            assert o.get("object_marking_refs") == [mark.id], o.id
    accounts = {a.user_id: a for a in by_type["user-account"] if a.get("x_lockstep_asset_kind") == "account"}
    assert set(accounts) == set(MEMBERS)
    for m in MEMBERS:
        assert accounts[m].account_login == HANDLES[m] and accounts[m].display_name == NAMES[m]
        assert accounts[m].account_type == "twitter" and accounts[m]["x_lockstep_role"] == ROLES[m]
    # the page the network runs (its only member is the network's admin), not the busy group
    pages = [a for a in by_type["user-account"] if a.get("x_lockstep_asset_kind") != "account"]
    assert [(p.user_id, p.x_lockstep_asset_kind) for p in pages] == [("page-77", "page")]
    assert [d.value for d in by_type["domain-name"]] == [OWN_DOMAIN]
    assert sorted(u.value for u in by_type["url"]) == sorted(u.replace("www.", "") for u in OWN_URLS)
    patterns = sorted(i.pattern for i in by_type["indicator"])
    assert f"[domain-name:value = '{OWN_DOMAIN}']" in patterns
    assert f"[x-lockstep-hashtag:value = '{OWN_TAG}']" in patterns
    assert not any("popular-news" in p or "youtube" in p or "'hongkong'" in p for p in patterns)
    (text,) = [i for i in by_type["indicator"] if i.pattern.startswith("[x-lockstep-text")]
    assert text.x_lockstep_sample == TEXT and tuple(text.x_lockstep_fingerprint) == fingerprint(TEXT)
    assert "posted 10 times by 5" in text.description
    rels = {(r.relationship_type, r.source_ref.split("--")[0], r.target_ref.split("--")[0])
            for r in by_type["relationship"]}
    assert {("indicates", "indicator", "campaign"), ("uses", "campaign", "attack-pattern"),
            ("attributed-to", "campaign", "intrusion-set"), ("uses", "campaign", "infrastructure"),
            ("consists-of", "infrastructure", "user-account"), ("based-on", "indicator", "domain-name")} <= rels
    fw = framework()
    for ap in by_type["attack-pattern"]:
        (ref,) = ap.external_references
        assert ref.source_name == "DISARM" and ref.external_id in fw and ap.name == fw[ref.external_id]
        assert ap.x_disarm_framework_version == DISARM_VERSION
    ids = {ap.external_references[0].external_id for ap in by_type["attack-pattern"]}
    assert {"T0049", "T0049.003", "T0151.003"} <= ids and "T0151.002" not in ids  # a page, no group
    sights = {s.sighting_of_ref: s for s in by_type["sighting"]}
    dom_ind = next(i for i in by_type["indicator"] if i.pattern.startswith("[domain-name"))
    assert sights[dom_ind.id].count == 5 and sights[dom_ind.id].first_seen.isoformat().startswith("2019-08-01T09:00")
    (op,) = by_type["opinion"]
    assert (op.opinion, op.x_threatexchange_status) == ("neutral", "SUSPICIOUS")  # a campaign nobody decided on


def test_ids_are_stable_for_the_same_campaign(ws: Path, tmp_path: Path) -> None:
    def ids(doc: dict[str, Any]) -> set[str]:
        return {o["id"] for o in doc["objects"]}
    a, b = _export(ws, tmp_path / "a.json"), _export(ws, tmp_path / "b.json")
    assert ids(a) == ids(b)


def test_round_trip_through_read_tip(ws: Path, tmp_path: Path) -> None:
    _export(ws, tmp_path / "tip.json", "--tlp", "red", "--opinion", "confirmed")
    tip = read_tip(tmp_path / "tip.json")
    assert tip.tlp == "red" and tip.opinion == "confirmed"
    accounts = {a.id: a for a in tip.assets if a.kind == "account"}
    assert {(a.id, a.handle, a.display_name, a.role, a.platform) for a in accounts.values()} == {
        (m, HANDLES[m], NAMES[m], ROLES[m], "twitter") for m in MEMBERS}
    assert {i.value for i in tip.indicators if i.kind == "domain"} == {OWN_DOMAIN}
    assert {i.value for i in tip.indicators if i.kind == "hashtag"} == {OWN_TAG}
    (text,) = [i for i in tip.indicators if i.kind == "text"]
    assert text.value == TEXT and text.fingerprint == fingerprint(TEXT)
    assert {t.id for t in tip.techniques} >= {"T0049", "T0049.003"}
    assert all(t.version == DISARM_VERSION for t in tip.techniques)
    assert {(a.kind, a.value, a.n_assets) for a in tip.activity} >= {("domain", OWN_DOMAIN, 5), ("text", TEXT, 5)}
    assert tip.counts == {"twitter account": 5, "twitter page": 1}
