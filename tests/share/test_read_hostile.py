"""Malformed and hostile tip files: bad JSON, wrong types, huge or binary files, unknown
columns, defanged and undefanged forms. Every one is a Tip or a one-line DataError/UserError
naming the file (and the line or field), never another exception."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lockstep.errors import DataError, LockstepError, UserError
from lockstep.share.defang import defang, refang
from lockstep.share.read import read_tip

KILLCHAIN_HEAD = "Tactic ,Technique,Procedure,Indicator,Notes\n"
ROW = "0. Acquiring assets,0.6 Acquiring domains,0.6.2 Acquiring domains to support influence operations,{},\n"


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


@pytest.mark.parametrize("name, data, message", [
    ("bad.json", '{"type": "bundle", "objects": [', "bad.json:1:"),
    ("list.json", '{"type": "bundle", "id": "bundle--1", "objects": {"a": 1}}', "field 'objects' of the bundle is dict"),
    ("nums.json", '{"type": "bundle", "id": "bundle--1", "objects": [1, 2]}', "objects[0] is int"),
    ("acct.json", '{"type": "bundle", "id": "bundle--1", "objects": [{"type": "user-account", "id": "user-account--1",'
                  ' "account_login": ["a"]}]}', "objects[0] (user-account) field 'account_login' is list"),
    ("refs.json", '{"type": "bundle", "id": "bundle--1", "objects": [{"type": "attack-pattern", "id": "attack-pattern--1",'
                  ' "external_references": "T0049"}]}', "field 'external_references' is str, not a list"),
    ("meta.json", '[{"indicator_type": "domain_name", "indicator_value": 5}]', "[0].indicator_value is int"),
    ("meta2.json", '["example.com"]', "[0] is str, not an object"),
    ("meta3.json", '{"rows": []}', "neither a STIX bundle nor Meta's indicator list"),
    ("meta4.json", '[{"indicator_type": "domain_name", "indicator_value": "a.com", "colour": "red"}]',
     "unknown field(s) 'colour'"),
    ("deep.json", "[" * 100000 + "]" * 100000, "deep.json"),
    ("cols.csv", "Tactic,Technique,Procedure,Indicator,Colour\n", "cols.csv:1: unknown column(s) 'colour'"),
    ("head.csv", "a,b,c\n1,2,3\n", "head.csv:1: header 'a', 'b', 'c' is neither Meta layout"),
    ("empty.csv", "", "empty file"),
    ("type.csv", "indicator_type,indicator_value,comment,ds\nwebsite,a.com,,\n", "type.csv:2: column indicator_type:"
                                                                                    " unknown indicator_type 'website'"),
    ("wide.csv", KILLCHAIN_HEAD + "a,b,c,d,e,f\n", "wide.csv:2: 6 fields, the header has 5"),
    ("bin.csv", b"\x00\x01\x02PK\x03\x04", "binary file"),
    ("latin.csv", "indicator_type,indicator_value,comment,ds\ndomain_name,caf\xe9.com,,\n".encode("latin-1"),
     "latin.csv:2: not UTF-8"),
])
def test_clear_errors(tmp_path: Path, name: str, data: str | bytes, message: str) -> None:
    p = _write(tmp_path, name, data)
    with pytest.raises(DataError) as exc:
        read_tip(p)
    assert message in str(exc.value) and str(p) in str(exc.value) and "\n" not in str(exc.value)


def test_missing_and_huge_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UserError, match="no such tip file"):
        read_tip(tmp_path / "nope.json")
    p = _write(tmp_path, "big.csv", KILLCHAIN_HEAD + ROW.format("a[.]com") * 1000)
    monkeypatch.setenv("LOCKSTEP_TIP_MAX_BYTES", "10000")
    with pytest.raises(DataError, match=r"big.csv: 1\d\d,\d\d\d bytes is over the 10,000-byte limit"):
        read_tip(p)
    monkeypatch.setenv("LOCKSTEP_TIP_MAX_BYTES", "lots")
    with pytest.raises(UserError, match="LOCKSTEP_TIP_MAX_BYTES='lots'"):
        read_tip(p)


@pytest.mark.parametrize("written", [
    "example.com", "example[.]com", "example(.)com", "example{.}com", "example[dot]com", "example(dot)com",
    "example dot com", "EXAMPLE[.]COM", "www.example[.]com", "example\u3002com", "example[ . ]com",
])
def test_defanged_domains_read_the_same(tmp_path: Path, written: str) -> None:
    p = _write(tmp_path, "d.csv", KILLCHAIN_HEAD + ROW.format(written))
    assert [(i.kind, i.value) for i in read_tip(p).indicators] == [("domain", "example.com")]


@pytest.mark.parametrize("written", [
    "https://twitter.com/SomeName", "hxxps://twitter[.]com/SomeName", "hXXps[:]//twitter[.]com/SomeName",
    "https[:]//twitter[.]com/SomeName", "twitter[.]com/SomeName", "https://www.twitter.com/@SomeName",
])
def test_defanged_profile_urls_read_the_same(tmp_path: Path, written: str) -> None:
    p = _write(tmp_path, "u.csv", KILLCHAIN_HEAD + ROW.format(written))
    tip = read_tip(p)
    assert [(a.platform, a.kind, a.handle) for a in tip.assets] == [("twitter", "account", "SomeName")]


_label = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12)
_domains = st.builds(lambda a, b, tld: f"{a}.{b}.{tld}", _label, _label, st.sampled_from(["com", "org", "hk", "cn"]))


@given(_domains, st.text(alphabet=string.ascii_letters + string.digits + "/-_", max_size=20))
def test_defang_refang_round_trip(dom: str, path: str) -> None:
    url = f"https://{dom}/{path}"
    assert refang(defang(url)) == url and "[.]" in defang(url) and "." not in defang(url).split("/")[2].replace(
        "[.]", "")
    assert defang(defang(dom)) == defang(dom)


def _never_crashes(p: Path) -> None:
    try:
        read_tip(p)
    except LockstepError as exc:
        assert "\n" not in str(exc) and str(p) in str(exc)


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                     lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
                     max_leaves=30)
_stix_fields = st.dictionaries(
    st.sampled_from(["type", "id", "name", "pattern", "pattern_type", "account_login", "user_id", "account_type",
                     "external_references", "object_marking_refs", "extensions", "definition", "sighting_of_ref",
                     "count", "opinion", "x_lockstep_fingerprint", "x_lockstep_counts", "value", "first_seen"]),
    _json | st.sampled_from(["indicator", "user-account", "attack-pattern", "sighting", "campaign", "domain-name",
                             "[domain-name:value = 'a.com']", "marking-definition", "opinion"]), max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_stix_fields, max_size=6))
def test_random_stix_objects(tmp_path: Path, objs: list[dict[str, Any]]) -> None:
    _never_crashes(_write(tmp_path, "r.json", json.dumps({"type": "bundle", "id": "bundle--x", "objects": objs})))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_json)
def test_random_json(tmp_path: Path, doc: Any) -> None:
    _never_crashes(_write(tmp_path, "r.json", json.dumps(doc)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([KILLCHAIN_HEAD, "indicator_type,indicator_value,comment,ds\n",
                        "Tactic\tTechnique\tProcedure\tIndicator\n", ""]),
       st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300))
def test_random_csv(tmp_path: Path, head: str, body: str) -> None:
    _never_crashes(_write(tmp_path, "r.csv", head + body))
