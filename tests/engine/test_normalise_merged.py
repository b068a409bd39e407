"""The text keys' faster rendering (punctuation and whitespace runs in one pass that skips
single spaces, regexes guarded by a literal they need) gives the items the step-by-step rules
gave: the rules as they were written before are kept here and run in DuckDB on the same
strings as the current ones."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lockstep.engine import normalise as nz

_WS = (r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
       r"\x{202f}\x{205f}\x{3000}]+")
STEPWISE = {
    "text": (nz.Lower(), nz.Replace(r"(https?://|www\.)\S+", " ", everywhere=True),
             nz.Replace(r"^rt\s+@\S+:?", " "), nz.Replace(r"@\S+", " ", everywhere=True),
             nz.Replace(r"[\p{P}\p{S}]+", " ", everywhere=True), nz.Replace(_WS, " ", everywhere=True),
             nz.Trim()),
    "text_cnt": (nz.Lower(), nz.Replace(r"@\S*", "", everywhere=True), nz.Replace(_WS, " ", everywhere=True),
                 nz.Trim()),
}
CURRENT = {"text": nz.TEXT, "text_cnt": nz.TEXT_CNT}
CON = duckdb.connect()
HARD = ["RT @op: Rioters in Hong Kong!! https://t.co/x @someone", "a  b", " a ", "a\t b", "a !b", "a! b",
        "a ! b", "!!", "  ", " ", "", "x\u3000\u3000y", "香港，暴徒。 破坏", "ü ← → x", "@", "@@a b@",
        "rt @x", "rt  @x: y", "www.x.com a", "HTTPS://X.com a", "a\u000b\u00a0b", "😀 😀"]
ALPHABET = st.sampled_from(list("aZ0 .!,?:@#\t\n\u000b\u00a0\u2003\u3000。，香😀$+rtRT") +
                           ["https://", "http://", "www.", "rt @", "  "])


def _both(rule: str, value: str) -> tuple[object, object]:
    q = f"SELECT {nz.to_sql(STEPWISE[rule], '$v')}, {nz.to_sql(CURRENT[rule], '$v')}"
    row = CON.execute(q, {"v": value}).fetchall()[0]
    return row[0], row[1]


@pytest.mark.parametrize("rule", sorted(STEPWISE))
@pytest.mark.parametrize("value", HARD)
def test_merged_rules_give_the_stepwise_items_on_hard_cases(rule: str, value: str) -> None:
    old, new = _both(rule, value)
    assert old == new


@settings(max_examples=400, deadline=None)
@given(value=st.lists(ALPHABET, max_size=14).map("".join), rule=st.sampled_from(sorted(STEPWISE)))
def test_merged_rules_give_the_stepwise_items_on_generated_strings(value: str, rule: str) -> None:
    old, new = _both(rule, value)
    assert old == new


def test_a_null_text_stays_null() -> None:
    assert _both("text", None) == (None, None)  # type: ignore[arg-type]
