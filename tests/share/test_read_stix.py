"""Other platforms' STIX 2.1 bundles: made with the stix2 library the way a partner might
(a threat-actor instead of a campaign, TLP 1.0 markings, compound patterns, a user-account
indicator, MITRE references, ``agree`` opinions), they read into the same Tip model."""

from __future__ import annotations

from pathlib import Path

import stix2

from lockstep.share.disarm import RETIRED, current, framework
from lockstep.share.read import read_tip
from lockstep.report.disarm import MAPPING


def _bundle(tmp_path: Path, *objs: object) -> Path:
    p = tmp_path / "partner.json"
    p.write_text(stix2.Bundle(*objs, allow_custom=True).serialize(), encoding="utf-8")
    return p


def test_partner_bundle(tmp_path: Path) -> None:
    me = stix2.Identity(name="Other Platform Inc.", identity_class="organization", object_marking_refs=[stix2.TLP_WHITE])
    actor = stix2.ThreatActor(name="Dragonbridge", created_by_ref=me.id, object_marking_refs=[stix2.TLP_WHITE],
                              description="state-linked spam network")
    ind = stix2.Indicator(pattern="[domain-name:value = 'evil-news.example'] OR [url:value = 'http://Bad.Example/x']",
                          pattern_type="stix", valid_from="2023-01-01T00:00:00Z", object_marking_refs=[stix2.TLP_WHITE])
    acct = stix2.Indicator(pattern="[user-account:account_login = '@HKpoliticalnew']", pattern_type="stix",
                           valid_from="2023-01-01T00:00:00Z")
    sco = stix2.UserAccount(account_type="facebook", user_id="100012345", display_name="HK 政治新聞")
    dom = stix2.DomainName(value="www.Other-Site.example")
    ap = stix2.AttackPattern(name="Create Inauthentic Accounts",
                             external_references=[{"source_name": "DISARM", "external_id": "T0090"}])
    op = stix2.Opinion(opinion="agree", object_refs=[actor.id])
    tip = read_tip(_bundle(tmp_path, me, actor, ind, acct, sco, dom, ap, op, stix2.TLP_WHITE))
    assert (tip.name, tip.source, tip.tlp, tip.opinion) == ("Dragonbridge", "Other Platform Inc.", "clear", "confirmed")
    assert {(i.kind, i.value) for i in tip.indicators} == {
        ("domain", "evil-news.example"), ("url", "http://bad.example/x"), ("domain", "other-site.example")}
    assert {(a.platform, a.id, a.handle, a.display_name) for a in tip.assets} == {
        ("", "", "HKpoliticalnew", ""), ("facebook", "100012345", "", "HK 政治新聞")}
    (t,) = tip.techniques
    assert (t.id, t.framework) == ("T0090", "DISARM")  # as the partner wrote it; the matcher may map it


def test_disarm_table_is_current() -> None:
    fw = framework()
    assert len(fw) == 391 and fw["T0049.003"] == "Bots Amplify via Automated Forwarding and Reposting"
    for old, new in RETIRED.items():
        assert old not in fw and new and all(n in fw for n in new), old
    for techniques in MAPPING.values():  # every id the report names leaves as current ids
        for t in techniques:
            assert [c.id for c in current([t.id])] and all(c.id in fw for c in current([t.id])), t.id
    assert [c.id for c in current(["T0090", "T0146", "T0007"])] == ["T0146", "T0150.001", "T0151.002", "T0151.003"]
