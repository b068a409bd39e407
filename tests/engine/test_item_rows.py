"""The DuckDB engine's item rows are the reference engine's, row for row, for every kind of
item source: the normalised keys (built as a chain of projections, engine/duckdb/items.py)
and the rarely shared items with originals, whose distinct-account count leaves out the
originals that cannot reach two accounts. The worlds reuse ids on purpose: two originals of
different accounts with one id (on two platforms, or on one), reshares of ids that no
original has, so the originals-only items with two accounts are exercised too; and reshares
with an empty or no target (and authors resharing themselves), which the plain-key rows filter
in the scan."""

from __future__ import annotations

from collections import Counter
from typing import Any

from engine_runs import source_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockstep.engine import open_engine
from lockstep.engine.base import ItemSource
from lockstep.signals.base import act

TEXTS = ["RT @op: Rioters destroy order!!  https://t.co/x", "rioters destroy order", "@a  Lovely\u3000weather…",
         "香港暴徒，支持警察", "www.x.org/a tail", "rt  @b: x,y", "  ", "ΑΣ İstanbul ΣΑΣ", "eleven char", "ten  chars",
         None]
URLS = ["https://www.X.org/a/?utm_source=1&id=2#f", "HTTP://u@m.x.org:443/a//", "y.com/b?&&s=1&", " https://y.com/b ",
        "ftp://mobile.z.net?", "www2.q.io/", ""]
SOURCES = [
    ItemSource(key="text", exclude_kinds=("repost",), min_text_chars=4, drop_self_targets=False),
    ItemSource(key="text_cnt", exclude_kinds=("repost",), drop_self_targets=False),
    ItemSource(key="text", min_text_chars=11, drop_self_targets=False),
    ItemSource(key="text_cnt", min_text_chars=10, drop_self_targets=False),
    ItemSource(key="url", exclude_kinds=("repost",), drop_self_targets=False),
    ItemSource(key="domain", drop_self_targets=False),
    ItemSource(key="url_raw", kinds=("post", "reply")),
    ItemSource(key="hashtag_sequence", min_hashtags=1, drop_self_targets=False),
    ItemSource(key="target_id", kinds=("repost", "quote")),
    ItemSource(key="target_id", kinds=("repost",), with_originals=True),
    ItemSource(key="target_id", kinds=("repost",), with_originals=True, max_item_accounts=2),
    ItemSource(key="target_id", kinds=("repost",), with_originals=True, max_item_accounts=3),
    ItemSource(key="target_id", kinds=("repost",), max_item_accounts=2),
    ItemSource(key="target_author", kinds=("repost",)),
    ItemSource(key="target_author", kinds=("repost", "quote"), drop_self_targets=False),
]
KINDS = ["post", "post", "repost", "repost", "reply", "quote"]

# target numbers past the ids: 7 a reshare naming no post ('' for target_author's rows), 8 none
TARGETS = {7: "", 8: None}

# (account, kind, id number, target number, platform, text, urls, seconds)
ROW = st.tuples(st.integers(0, 4), st.integers(0, len(KINDS) - 1), st.integers(0, 6), st.integers(0, 8),
                st.booleans(), st.integers(0, len(TEXTS) - 1), st.lists(st.integers(0, len(URLS) - 1), max_size=2),
                st.integers(0, 500))


def _world(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [act(f"m{num}", f"u{acc}", KINDS[kind], sec, platform="reddit" if other else "twitter",
                target_id=TARGETS.get(tgt, f"m{tgt}") if KINDS[kind] != "post" else None,
                target_account_id=f"u{tgt % 5}" if tgt != 8 else None, text=TEXTS[text],
                urls=[URLS[u] for u in urls], hashtags=["#HK", "Riots"][: 1 + acc % 2], source_line=n)
            for n, (acc, kind, num, tgt, other, text, urls, sec) in enumerate(rows)]


def _rows(engine: Any, src: ItemSource) -> Counter[tuple[Any, ...]]:
    tbl = engine.fetch(engine.items(src))
    if "uid" in tbl.column_names:  # the DuckDB rows: one uid a row (it breaks ties, names pair rows)
        assert len(set(tbl.column("uid").to_pylist())) == tbl.num_rows, src
    cols = ["platform", "account_id", "action_id", "item", "t_us"]
    return Counter(zip(*(tbl.column(c).to_pylist() for c in cols)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=40))
def test_item_rows_match_the_reference(rows: list[tuple[Any, ...]]) -> None:
    src = source_of(_world(rows))
    got, want = open_engine("duckdb", src), open_engine("reference", src)
    try:
        for s in SOURCES:
            assert _rows(got, s) == _rows(want, s), s
    finally:
        got.close()
        want.close()


def test_originals_sharing_an_id_are_a_rare_item_of_their_own() -> None:
    """Two accounts' originals with one id and no reshare: an item of two accounts, kept;
    a third original id, reshared by two, also kept; an unshared original left out."""
    rows = [act("p1", "a", "post", 0), act("p1", "b", "post", 5, platform="reddit"),
            act("p2", "c", "post", 10), act("r1", "d", "repost", 20, target_id="p2"),
            act("p3", "e", "post", 30)]
    src = ItemSource(key="target_id", kinds=("repost",), with_originals=True, max_item_accounts=5)
    eng = open_engine("duckdb", source_of(rows))
    try:
        got = sorted((r[1], r[3]) for r in _rows(eng, src))
    finally:
        eng.close()
    assert got == [("a", "p1"), ("b", "p1"), ("c", "p2"), ("d", "p2")]
