"""share match, piece by piece: skeletons, URL forms, the confidence formula, and one hand-built
tip matched against a hand-built workspace (homoglyph handles, subdomains, templated text,
admins and groups, a look-alike outlet and a namesake that must stay below the threshold)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lockstep.share.match import DEFAULT_MIN_CONFIDENCE, match_tip
from lockstep.share.match.links import mirror_key, norm_url, registrable
from lockstep.share.match.names import profile_id, skeleton, vanity
from lockstep.share.match.score import combine
from lockstep.store.workspace import open_workspace

from match_world import build, tip


@pytest.mark.parametrize("variant", [
    "\u041d\u041apoliticsnews",  # Cyrillic capital En and Ka
    "HKp\u043eliticsn\u0435ws",  # Cyrillic small o and ie
    "HK_politics.news", "hkp0liticsnews", "@HKpoliticsnews", "\uff28\uff2bpoliticsnews",  # full-width H K
])
def test_homoglyph_and_separator_variants_share_the_skeleton(variant: str) -> None:
    assert skeleton(variant) == skeleton("HKpoliticsnews")


def test_skeleton_keeps_different_names_apart_and_reads_both_chinese_scripts() -> None:
    assert skeleton("HKpoliticsnews") != skeleton("HKpoliticsweekly")
    assert skeleton("香港政治新聞") == skeleton("香港政治新闻")  # traditional and simplified
    assert skeleton("Ivy Chan") == skeleton("ivy_chan")


def test_vanity_names_from_profile_addresses() -> None:
    assert vanity("https://www.facebook.com/HKpoliticsnews/") == "HKpoliticsnews"
    assert vanity("facebook.com/pages/HKpoliticsnews/12345") == "HKpoliticsnews"
    assert vanity("https://twitter.com/@hk_currentnews?lang=en") == "hk_currentnews"
    assert vanity("https://www.facebook.com/profile.php?id=100") == ""
    assert vanity("https://hk-truthnews.com/about") == ""
    assert profile_id("https://www.facebook.com/profile.php?id=100012") == "100012"
    assert profile_id("facebook.com/groups/4471") == profile_id("https://facebook.com/pages/Name/4471") == "4471"
    assert profile_id("https://www.facebook.com/HKpoliticsnews") == ""


def test_url_forms_subdomains_mirrors_and_redirects() -> None:
    assert norm_url("hxxps://WWW.hk-truthnews[.]com/a/1/?utm_source=x&fbclid=y&id=3") == \
        ("hk-truthnews.com/a/1?id=3", "hk-truthnews.com")
    wrapped = "https://l.facebook.com/l.php?u=https%3A%2F%2Fhk-truthnews.com%2Fa%2F1&h=AT0"
    assert norm_url(wrapped)[0] == "hk-truthnews.com/a/1"
    assert registrable("news.m.hk-truthnews.com") == "hk-truthnews.com"
    assert registrable("www.example.co.uk") == "example.co.uk"
    assert mirror_key("hk-truthnews.net") == mirror_key("hk-truthnews.com") != ""


def test_a_name_alone_never_reaches_the_threshold_but_a_moniker_with_evidence_does() -> None:
    assert combine({"name": 1.0}) < DEFAULT_MIN_CONFIDENCE  # capped at 0.6
    assert combine({"name": 0.6, "behaviour": 0.15}) < DEFAULT_MIN_CONFIDENCE  # a hashtag by chance
    assert combine({"name": 0.6, "connection": 0.25}) >= DEFAULT_MIN_CONFIDENCE
    assert combine({"domain": 0.45, "text": 0.5}) >= DEFAULT_MIN_CONFIDENCE  # operation domains + templated text
    assert combine({"name": 0.49, "behaviour": 0.2}) < DEFAULT_MIN_CONFIDENCE


def test_hand_built_tip_finds_the_operation_and_not_the_look_alikes(tmp_path: Path) -> None:
    with open_workspace(build(tmp_path / "ws"), create=False, read_only=True) as ws:
        res = match_tip(ws, tip())
    conf = {m.id: m.confidence for m in res.candidates}
    matched = {m.id for m in res.matches}
    assert matched == {"fb_op", "fb_admin", "fb_grp"}, conf
    op = next(m for m in res.matches if m.id == "fb_op")
    texts = " ".join(r.text for r in op.reasons)
    assert "identical moniker" in texts and "HKpoliticsnews" in texts  # the Cyrillic vanity name
    assert "subdomain" in texts and {r.family for r in op.reasons} >= {"name", "domain", "text"}
    assert op.kind == "page" and next(m for m in res.matches if m.id == "fb_grp").kind == "group"
    assert conf.get("fb_look", 0.0) < DEFAULT_MIN_CONFIDENCE  # similar name, its own site
    assert conf.get("fb_ivy", 0.0) < DEFAULT_MIN_CONFIDENCE  # same display name as a tip account
    assert "fb_u3" not in conf and "fb_hobby" not in conf  # members and bystanders are not candidates
    assert res.matches == sorted(res.matches, key=lambda m: -m.confidence)


def test_html_report_escapes_hostile_tip_text(tmp_path: Path) -> None:
    from lockstep.share.match.report import write
    from lockstep.share.tip import Asset, Tip

    hostile = Tip(name="<script>alert(1)</script>", source="x", assets=(
        Asset("twitter", "account", handle="HKpoliticsnews", display_name="<img src=x onerror=alert(1)>"),))
    with open_workspace(build(tmp_path / "ws"), create=False, read_only=True) as ws:
        res = match_tip(ws, hostile)
    csv_path, html_path = write(res, tmp_path / "m.csv", "ws")
    html = html_path.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<img src=x" not in html
    assert any(m.id == "fb_op" for m in res.candidates)  # the moniker still found the page
    assert csv_path.read_text(encoding="utf-8").startswith("platform,id,kind,confidence,reasons")


def test_normal_forms_never_raise_on_arbitrary_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from lockstep.share.match.links import mirror_key, norm_domain
    from lockstep.share.match.texts import normal_text

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=80))
    def check(s: str) -> None:
        skeleton(s), vanity(s), normal_text(s), norm_domain(s)
        nu, host = norm_url(s)
        assert (nu == "") == (host == "")
        if host:
            registrable(host), mirror_key(host)
        vanity("https://facebook.com/" + s), norm_url("https://" + s + ".com/x?u=" + s)

    check()
