"""``lockstep ads scan``: the ads it flags, and why; hostile ads files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockstep.ads.check import check_file
from lockstep.ads.scan import scan_file
from lockstep.cli.main import run
from ads_helpers import write_csv

HEADER = ["ad_id", "advertiser", "advertiser_domain", "landing_url", "text", "status"]
ADS = [
    ["1", "Xinhua News Agency", "xinhuanet.com", "http://www.xinhuanet.com/x", "Rioters in Hong Kong", "running"],
    ["2", "Acme", "acme.example", "https://acme.example/buy", "Buy widgets", "running"],
    ["3", "Shop", "shop.example", "https://rtde.tech/a", "news", "RUNNING "],
    ["4", "BBC", "bbc.co.uk", "https://www.bbc.co.uk/news", "Hong Kong protests explained", "active"],
    ["5", "Acme", "acme.example", "https://www.facebook.com/RTnews?ref=ad", "x", "running"],
    ["6", "Xinhua News Agency", "xinhuanet.com", "http://www.xinhuanet.com/x", "old ad", "paused"],
    ["7", "CBC", "cbc.ca", "https://www.cbc.ca/", "Hong Kong", "running"],
    ["8", "Acme", "acme.example", "https://acme.example/?next=https://rt.com/", "x", "running"],
]


def _flags(res_rows: list[dict[str, str]]) -> dict[str, str]:
    return {r["ad_id"]: r["reason"] for r in res_rows}


def test_scan_flags_what_the_policy_forbids(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "ads.csv", HEADER, ADS)
    res = scan_file(src, topics=("hong kong",), out=tmp_path / "f.csv")
    assert _flags(res.flagged) == {
        "1": "ineligible-advertiser;ineligible-landing-page;state-media-topic",
        "3": "ineligible-landing-page",
        "4": "state-media-topic",            # BBC is eligible, but state-funded media on a watched topic is reviewed
        "5": "ineligible-landing-page",      # RT's Facebook page, by handle
        "7": "state-media-topic",
    }
    assert res.counts["ads"] == 8 and res.counts["running"] == 7
    by_id = {r["ad_id"]: r for r in res.flagged}
    assert by_id["3"]["matched_entry"] == "russia/rt-deutsch" and by_id["3"]["rule"] == "state-editorial-control"
    assert "'hong kong'" in by_id["4"]["evidence"] and by_id["4"]["decision"] == "eligible"
    with (tmp_path / "f.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["ad_id", "advertiser", "landing_url", "reason", "decision", "rule",
                                        "matched_entry", "evidence"]


def test_scan_agrees_with_check_on_every_advertiser(tmp_path: Path) -> None:
    """The scan's column-wise path decides advertisers exactly as ``ads check`` does."""
    src = write_csv(tmp_path / "ads.csv", HEADER, ADS)
    adv = write_csv(tmp_path / "adv.csv", ["name", "domain"], [list(p) for p in sorted({(a[1], a[2]) for a in ADS})])
    decided = {r.advertiser: r.decision for r in check_file(adv, out=tmp_path / "d.csv").decisions}
    res = scan_file(src, out=tmp_path / "f.csv")
    flagged = {r["advertiser"] for r in res.flagged if "ineligible-advertiser" in r["reason"]}
    running = {a[1] for a in ADS if a[5].strip().lower() in ("running", "active")}
    assert flagged == {a for a, d in decided.items() if d == "ineligible" and a in running}


@pytest.mark.parametrize("url,flag", [
    ("HTTPS://WWW.RT.COM/news", True),
    ("rt.com/news", True),
    ("//rt.com/x", True),
    ("https://user@rt.com:8443/x", True),
    ("https://news.rt.com?x=1", True),
    ("ftp://rt.com", True),
    ("https://example.com//rt.com/", False),
    ("example.com/a//rt.com", False),
    ("https://rt.com.example.org/", False),
    ("", False),
])
def test_landing_hosts_cut_column_wise_match_host_of(tmp_path: Path, url: str, flag: bool) -> None:
    rows = [["1", "Acme", "acme.example", url, "t", "running"], ["2", "Acme", "acme.example", "https://acme.example/", "t", "running"]]
    res = scan_file(write_csv(tmp_path / "ads.csv", HEADER, rows), out=tmp_path / "f.csv")
    assert ("1" in _flags(res.flagged)) is flag


def test_parquet_input(tmp_path: Path) -> None:
    table = pa.table({h: [a[i] for a in ADS] for i, h in enumerate(HEADER)})
    pq.write_table(table, tmp_path / "ads.parquet")
    res = scan_file(tmp_path / "ads.parquet", topics=("hong kong",), out=tmp_path / "f.csv")
    assert set(_flags(res.flagged)) == {"1", "3", "4", "5", "7"}


def test_hostile_ads_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = ("ad_id,advertiser,landing_url,text\n"
            "1,Acme,https://rt.com/a,x\n"                       # line 2: flagged
            "2,\"multi\nline\",https://cgtn.com/,x\n"           # lines 3-4: flagged
            "3,Acme,https://acme.example/,x,extra\n"            # line 5: wrong cell count
            ",Acme,https://rt.com/,x\n").encode() + \
           b"5,Caf\xe9,https://rt.com/,x\n" \
           b"6,Acme,https://rt.com/b,x\n"                      # line 8: flagged
    src = tmp_path / "ads.csv"
    src.write_bytes(body)
    out, ws = tmp_path / "f.csv", tmp_path / "ws"
    ws.mkdir()
    assert run(["ads", "scan", str(src), "--out", str(out), "--workspace", str(ws)]) == 0
    with out.open(encoding="utf-8") as fh:
        assert [r["ad_id"] for r in csv.DictReader(fh)] == ["1", "2", "6"]
    with (tmp_path / "f.rejected.csv").open(encoding="utf-8") as fh:
        assert [(r["line"], r["field"]) for r in csv.DictReader(fh)] == [("5", "*"), ("6", "ad_id"), ("7", "advertiser")]
    err = capsys.readouterr().err
    assert "3 rows set aside" in err and "Traceback" not in err
    log = [json.loads(ln) for ln in (ws / "ads" / "decisions.jsonl").read_text().splitlines()]
    assert [r["ad_id"] for r in log] == ["1", "2", "6"] and all(r["by"] == "lockstep ads scan" for r in log)


def test_missing_columns_and_topic_without_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_csv(tmp_path / "ads.csv", ["id", "advertiser"], [["1", "x"]])
    assert run(["ads", "scan", str(src)]) == 3
    assert "missing column(s) 'ad_id', 'landing_url'" in capsys.readouterr().err
    src = write_csv(tmp_path / "ads.csv", ["ad_id", "advertiser", "landing_url"], [["1", "x", "rt.com"]])
    assert run(["ads", "scan", str(src), "--topic", "hong kong"]) == 2
    assert "--topic needs a column 'text'" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b'ad_id,advertiser,landing_url\n1,"unclosed,rt.com\n2,\xff,x\n')
    assert run(["ads", "scan", str(bad)]) == 3
    err = capsys.readouterr().err
    assert "cannot be parsed as CSV" in err and "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.parametrize("bom,encoding", [(b"\xff\xfe", "utf-16-le"), (b"\xef\xbb\xbf", "utf-8"), (b"", "utf-8")])
def test_encodings_with_a_byte_order_mark(tmp_path: Path, bom: bytes, encoding: str) -> None:
    text = "ad_id,advertiser,landing_url\n1,Acme,https://rt.com/\n2,Россия,https://acme.example/\n"
    src = tmp_path / "ads.csv"
    src.write_bytes(bom + text.encode(encoding))
    res = scan_file(src, out=tmp_path / "f.csv")
    assert [r["ad_id"] for r in res.flagged] == ["1"] and res.counts["ads"] == 2 and not res.rejected


_PIECES = ["https:", "http:", "HTTP:", "ftp:", "a/b:", " ", "//", "/", "?", "#", "@", ":8080", "user",
           "www.", "news.", "rt.com", "RT.COM", "cgtn.com", "acme.example", "bbc.co.uk", "é", "x", ".", "\\\\"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=7).map("".join), min_size=1, max_size=25))
def test_column_wise_landing_pages_decide_like_one_by_one(tmp_path: Path, urls: list[str]) -> None:
    """The scan cuts hosts out of URLs with Arrow kernels; its flags must equal deciding each
    URL alone with the matcher (domains.host_of), whatever the URL looks like."""
    from lockstep.ads.check import make_matcher
    from lockstep.ads.decide import decide
    from lockstep.ads.matching import Advertiser
    from lockstep.ads.policy import load_policy
    from lockstep.ads.registry import bundled_registry

    urls = [u.replace(",", "").replace("\n", "") for u in urls]
    rows = [[str(i), "Acme", "acme.example", u, "t", "running"] for i, u in enumerate(urls)]
    res = scan_file(write_csv(tmp_path / "ads.csv", HEADER, rows), out=tmp_path / "f.csv")
    policy = load_policy()
    m = make_matcher(bundled_registry(), policy)
    advs = [Advertiser(u, landing_urls=[u.strip()] if u.strip() else []) for u in urls]
    expected = {str(i) for i, (a, h) in enumerate(zip(advs, m.match(advs)))
                if decide(a, h, policy, m).decision == "ineligible"}
    assert set(_flags(res.flagged)) == expected, [urls[int(i)] for i in set(_flags(res.flagged)) ^ expected]
