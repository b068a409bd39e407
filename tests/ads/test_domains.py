"""Domains, handles and names are normalised one way, offline."""

from __future__ import annotations

import importlib
import socket
import sys

import pytest

from lockstep.ads.domains import handle_from_url, host_of, parse_handle, parents, registrable, strip_www
from lockstep.ads.names import normalise


def test_public_suffix_list_works_with_the_network_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*a: object, **k: object) -> None:
        raise AssertionError("the public suffix list tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    for mod in [m for m in sys.modules if m.startswith("publicsuffixlist") or m == "lockstep.ads.domains"]:
        monkeypatch.delitem(sys.modules, mod)
    domains = importlib.import_module("lockstep.ads.domains")
    assert domains.registrable("news.bbc.co.uk") == "bbc.co.uk"
    assert domains.registrable("www3.nhk.or.jp") == "nhk.or.jp"
    assert domains.registrable("someone.blogspot.com") == "someone.blogspot.com"   # private section


@pytest.mark.parametrize("value,host", [
    ("https://WWW.Example.COM:443/a?b#c", "www.example.com"),
    ("example.com.", "example.com"),
    ("//cdn.example.org/x", "cdn.example.org"),
    ("user:pw@example.net/path", "example.net"),
    ("http://例子.中国/", "xn--fsqu00a.xn--fiqs8s"),
    ("not a domain", None),
    ("localhost", None),
    ("192.168.0.1", None),
    ("", None),
])
def test_host_of(value: str, host: str | None) -> None:
    assert host_of(value) == host


def test_www_variants_and_parents() -> None:
    assert strip_www("www.x.org") == strip_www("www3.x.org") == "x.org"
    assert strip_www("www.org") == "www.org"
    assert parents("a.b.news.bbc.co.uk") == ["b.news.bbc.co.uk", "news.bbc.co.uk", "bbc.co.uk"]
    assert registrable("a.b.example.com") == "example.com"


def test_handles() -> None:
    assert handle_from_url("https://www.twitter.com/CGTN") == ("twitter", "cgtn")
    assert handle_from_url("https://x.com/rt_com/status/1") == ("twitter", "rt_com")
    assert handle_from_url("https://www.youtube.com/channel/UCpwvZwUam-URkxB7g4USKpg") == \
        ("youtube", "channel/UCpwvZwUam-URkxB7g4USKpg")
    assert handle_from_url("https://www.tiktok.com/@cgtnafrica") == ("tiktok", "cgtnafrica")
    assert handle_from_url("https://example.com/cgtn") is None
    assert parse_handle("@CGTN") == ("*", "cgtn")
    assert parse_handle("twitter:@CGTN") == ("twitter", "cgtn")
    assert parse_handle("x:@CGTN") == ("twitter", "cgtn")
    assert parse_handle("https://t.me/rtnews") == ("telegram", "rtnews")
    assert parse_handle("two words") is None


def test_names_normalise_across_scripts() -> None:
    assert normalise("Россия Сегодня") == "rossiya segodnya"
    assert normalise("中国青年报") == "zhong guo qing nian bao"
    assert normalise("News agency: Xinhua") == "xinhua"
    assert normalise("The Straits Times Ltd.") == "straits times"


def test_length_pruned_fuzzy_names_equal_a_full_comparison() -> None:
    """NameIndex only scores choices whose length can reach the cutoff; the hits must be the same
    as scoring every choice."""
    import random

    from rapidfuzz import fuzz

    from lockstep.ads.names import NameIndex, variants
    from lockstep.ads.registry import bundled_registry

    reg = bundled_registry()
    names = [(e.id, variants(e.name, e.company)) for e in reg.entries.values()]
    rnd = random.Random(5)
    forms = [v for _, vs in names for v in vs]
    queries = []
    for v in rnd.sample(forms, 300):
        i = rnd.randrange(len(v))
        queries += [v[:i] + v[i + 1:], v[:i] + "x" + v[i:], v + " tv", "zz" + v[::-1]]
    for weak in (80.0, 97.0):
        idx = NameIndex(names, weak=weak, fuzzy_min_length=5)
        got = idx.lookup_many(queries)
        for q, hits in zip(queries, got):
            if hits and hits[0].exact:
                continue
            n = normalise(q).replace(" ", "")
            if len(n) < 5:
                continue
            full: dict[str, float] = {}
            for key, vs in names:
                for v in vs:
                    sc = fuzz.ratio(n, v.lstrip("~").replace(" ", ""), score_cutoff=weak)
                    if sc:
                        full[key] = max(full.get(key, 0.0), sc)
            assert {h.key for h in hits} <= set(full), q
            assert len(hits) == min(5, len(full)), (q, hits, sorted(full.items(), key=lambda kv: -kv[1])[:6])
