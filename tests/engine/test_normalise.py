"""The normalisation rules mean the same in Python (reference engine) and in DuckDB SQL.

Both are generated from the one rule table in lockstep/engine/normalise.py; these tests run
the two renderings on the same strings, hand-picked hard cases and generated ones."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lockstep.engine import normalise as nz
from lockstep.engine.duckdb.items import hashtag_seq_sql, url_key_rows, url_norm_sql

RULES = {"url_host": nz.URL_HOST, "url_tail": nz.URL_TAIL, "text": nz.TEXT, "text_cnt": nz.TEXT_CNT,
         "hashtag": nz.HASHTAG}
CON = duckdb.connect()

HARD = [
    "https://www.Example.com:443/News/1/?utm_source=tw&id=3&fbclid=x#top",
    "HTTP://user:pw@M.example.org:80/a//?&&b=1&&s=2&", "bit.ly/AbC", "www2.x.com/", "  https://x.com/?t=1  ",
    "RT @op: Rioters in Hong Kong!! https://t.co/x @someone", "香港暴徒破坏社会秩序，我们坚决支持警察依法处置",
    "a\u000bb\u00a0c\u2003d\u3000e\tf\ng  ", "ΑΣ İstanbul ΣΑΣ", "@@x @ y", "#HK", "##Riots", "x\n#y",
    "tab\there\u0085next", "", " ", "emoji 😀 and ✓ signs $100 + 5%",
]
ALPHABET = st.sampled_from(list("aZ09 ./:?&#=@_-%\t\n\u000b\u00a0\u3000!,。，香😀ΣİrtRTwhsup") +
                           ["utm_", "www.", "https://", "rt @", "fbclid=", "http://", "&s=", "?t=", ":443", ":80"])


def _sql(steps: tuple[nz.Step, ...], value: str) -> str | None:
    return CON.execute(f"SELECT {nz.to_sql(steps, '$v')}", {"v": value}).fetchall()[0][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("value", HARD)
def test_python_and_sql_agree_on_hard_cases(rule: str, value: str) -> None:
    assert nz.apply(RULES[rule], value) == _sql(RULES[rule], value)


@settings(max_examples=300, deadline=None)
@given(value=st.lists(ALPHABET, max_size=12).map("".join), rule=st.sampled_from(sorted(RULES)))
def test_python_and_sql_agree_on_generated_strings(value: str, rule: str) -> None:
    assert nz.apply(RULES[rule], value) == _sql(RULES[rule], value)


def test_url_key_and_hashtag_sequence_as_the_sql() -> None:
    for u in HARD:
        assert nz.url_key(u) == CON.execute(f"SELECT {url_norm_sql('$u')}", {"u": u}).fetchall()[0][0]
    tags = ["#HK", "Riots", "##Police", "ΣΑΣ"]
    sql = CON.execute(f"SELECT {hashtag_seq_sql('$h')}", {"h": tags}).fetchall()[0][0]
    assert nz.hashtag_sequence(tags) == sql == "hk riots police σασ"


def test_known_normal_forms() -> None:
    assert nz.url_key("https://www.Example.com/news/1/?utm_source=tw#top") == "example.com/news/1"
    assert nz.url_key("http://m.example.com/a?id=3&utm_medium=x") == "example.com/a?id=3"
    assert nz.apply(nz.URL_HOST, "https://user@WWW.Example.com:443/x") == "example.com"
    assert nz.apply(nz.TEXT, "RT @op: Rioters in Hong Kong!! https://t.co/x") == "rioters in hong kong"
    assert nz.apply(nz.TEXT_CNT, "Hello @op  World\u3000!") == "hello world !"


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.lists(ALPHABET, max_size=12).map("".join), min_size=1, max_size=8),
       rule=st.sampled_from(sorted(RULES)))
def test_the_projection_chain_gives_the_same_values(values: list[str], rule: str) -> None:
    """``layers_sql`` (one projection per conditional step, as the item rows use it) agrees
    with Python on whole columns, NULL included."""
    column: list[str | None] = [*values, None]
    tbl = pa.table({"i": list(range(len(column))), "v": pa.array(column, pa.string())})
    CON.register("_vals", tbl)
    try:
        got = CON.execute(f"SELECT v FROM {nz.layers_sql(RULES[rule], 'v', '_vals')} ORDER BY i").fetchall()
    finally:
        CON.unregister("_vals")
    assert [g[0] for g in got] == [nz.apply(RULES[rule], v) for v in column]


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.lists(ALPHABET, max_size=12).map("".join), min_size=1, max_size=8))
def test_the_url_key_rows_give_the_url_key(values: list[str]) -> None:
    """The item rows' URL key (host and tail chains, their shared first steps run once)."""
    tbl = pa.table({"i": list(range(len(values))), "item": values})
    CON.register("_urls", tbl)
    try:
        got = CON.execute(f"SELECT item FROM {url_key_rows('_urls')} ORDER BY i").fetchall()
    finally:
        CON.unregister("_urls")
    assert [g[0] for g in got] == [nz.url_key(v) for v in values]
