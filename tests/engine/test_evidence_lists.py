"""Evidence lists at prune (scoring_sql.evidence_sql) against their definition, computed here
in Python: per edge, its items by largest weight, then item, the first ``k``, each with the
closest action pair over the edge's rows on it. Edges with one row per item take a shortcut
(their rows are their items), the others are grouped per item first: both are checked, with
ties in weight, repeated items with other weights and gaps, and edges without co-actions."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from lockstep.engine.duckdb import evidence_lists, spool
from lockstep.engine.duckdb.pair_counts import key_chunks
from lockstep.engine.duckdb.scoring_sql import evidence_sql
from lockstep.engine.duckdb.state import DuckState

Key = tuple[str, str, str]


def _world(seed: int) -> tuple[pa.Table, pa.Table]:
    rnd = random.Random(seed)
    rows: list[dict[str, object]] = []
    edges: list[dict[str, object]] = []
    accounts = [f"a{i}" for i in range(12)]
    for _ in range(40):
        a, b = sorted(rnd.sample(accounts, 2))
        sig = rnd.choice(["s1", "s2"])
        if any(e["account_a"] == a and e["account_b"] == b and e["signal"] == sig for e in edges):
            continue
        items = [f"i{rnd.randrange(30)}" for _ in range(rnd.randrange(0, 16))]
        repeats = rnd.random() < 0.5  # some edges have several rows per item
        seen: set[str] = set()
        for it in items:
            if it in seen and not repeats:
                continue
            seen.add(it)
            w = rnd.choice([0.0, 0.5, 1.0, 1.0, 2.25])  # ties are common
            rows.append({"account_a": a, "account_b": b, "signal": sig, "item": it,
                         "action_a": f"x{rnd.randrange(5)}", "action_b": f"y{rnd.randrange(5)}",
                         "dt": float(rnd.randrange(4)), "w": w})
        edges.append({"account_a": a, "account_b": b, "signal": sig, "weight": 1.0,
                      "n_shared": len(seen)})
    coacts = pa.Table.from_pylist(rows, schema=pa.schema([
        ("account_a", pa.string()), ("account_b", pa.string()), ("signal", pa.string()),
        ("item", pa.string()), ("action_a", pa.string()), ("action_b", pa.string()),
        ("dt", pa.float64()), ("w", pa.float64())]))
    return pa.Table.from_pylist(edges), coacts


def _expected(coacts: pa.Table, k: int) -> dict[Key, tuple[list[str], list[str]]]:
    per: dict[Key, dict[str, tuple[float, tuple[float, str, str]]]] = defaultdict(dict)
    for r in coacts.to_pylist():
        key = (r["account_a"], r["account_b"], r["signal"])
        m = (r["dt"], r["action_a"], r["action_b"])
        old = per[key].get(r["item"])
        per[key][r["item"]] = (r["w"], m) if old is None else (max(old[0], r["w"]), min(old[1], m))
    out = {}
    for key, items in per.items():
        top = sorted(items.items(), key=lambda kv: (-kv[1][0], kv[0]))[:k]
        out[key] = ([it for it, _ in top], [f"{m[1]}~{m[2]}" for _, (_, m) in top])
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("semi", [True, False])
@pytest.mark.parametrize("plan", ["checked", "grouped", "both"])
def test_evidence_lists_follow_the_definition(seed: int, semi: bool, plan: str) -> None:
    """``checked``: counted per edge, shortcut where one row per item; ``grouped``: grouped
    per item at once; ``both``: signal s1's rows one way, s2's the other (prune's mixed runs)."""
    edges, coacts = _world(seed)
    con = duckdb.connect()
    con.register("kept_edges", edges)
    con.register("co", coacts)
    k = 4
    if plan == "both":
        sql = evidence_sql("kept_edges", "(SELECT * FROM co WHERE signal = 's1')", k, semi,
                           grouped="(SELECT * FROM co WHERE signal = 's2')")
    else:
        sql = evidence_sql("kept_edges", "co" if plan == "checked" else None, k, semi,
                           grouped="co" if plan == "grouped" else None)
    got = con.sql(sql).to_arrow_table().to_pylist()
    want = _expected(coacts, k)
    assert len(got) == edges.num_rows
    for r in got:
        key = (r["account_a"], r["account_b"], r["signal"])
        if key in want:
            assert (r["evidence_items"], r["evidence_actions"]) == want[key], key
        else:  # no co-action rows: no list
            assert r["evidence_items"] is None and r["evidence_actions"] is None


def test_both_paths_are_taken() -> None:
    """The worlds above hold edges with one row per item and edges with repeated items."""
    edges, coacts = _world(0)
    con = duckdb.connect()
    con.register("co", coacts)
    con.register("kept_edges", edges)
    nrows = dict(((a, b, s), n) for a, b, s, n in con.execute(
        "SELECT account_a, account_b, signal, count(*) FROM co GROUP BY ALL").fetchall())
    shared = {(e["account_a"], e["account_b"], e["signal"]): e["n_shared"] for e in edges.to_pylist()}
    same = [key for key, n in nrows.items() if shared[key] == n]
    assert same and len(same) < len(nrows)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("chunk", [1, 3, 1_000_000])
def test_arrow_lists_of_one_row_per_item(seed: int, chunk: int, tmp_path: Path) -> None:
    """evidence_lists (the Arrow cut, for surprise scoring's co-actions) gives the definition's
    lists on the edges whose rows are one per item, in chunks of any size (an edge is never
    split across chunks), split over two co-action tables, and no list where an edge has no rows."""
    edges, coacts = _world(seed)
    con = duckdb.connect()
    con.register("co", coacts)
    once = con.sql("SELECT * FROM co QUALIFY count(*) OVER (PARTITION BY account_a, account_b, signal, item) = 1"
                   " AND count(*) OVER (PARTITION BY account_a, account_b, signal)"
                   " = count(DISTINCT item) OVER (PARTITION BY account_a, account_b, signal)").to_arrow_table()
    st = DuckState(con=con, scratch=tmp_path, owner=1)
    con.register("_e", edges)
    con.register("_c", once)
    con.execute("CREATE TEMP TABLE kept_edges AS SELECT * FROM _e")
    con.execute("CREATE TEMP TABLE c1 AS SELECT * FROM _c WHERE signal = 's1'")
    con.execute("CREATE TEMP TABLE c2 AS SELECT * FROM _c WHERE signal = 's2'")
    old = evidence_lists.CHUNK_ROWS, spool.BUDGET_BYTES
    # chunk 1: every edge alone, and the spool spills its lists to a file at once
    evidence_lists.CHUNK_ROWS, spool.BUDGET_BYTES = chunk, (0 if chunk == 1 else old[1])
    try:
        name = evidence_lists.evidence_table(st, "kept_edges", ["c1", "c2"], 4)
    finally:
        evidence_lists.CHUNK_ROWS, spool.BUDGET_BYTES = old
    got = con.sql(f"SELECT * FROM {name}").to_arrow_table().to_pylist()
    want = _expected(once, 4)
    assert len(got) == edges.num_rows and want
    for r in got:
        key = (r["account_a"], r["account_b"], r["signal"])
        if key in want:
            assert (r["evidence_items"], r["evidence_actions"]) == want[key], key
        else:
            assert r["evidence_items"] is None and r["evidence_actions"] is None
    assert not [f for f in tmp_path.rglob("*") if f.is_file()]  # a spilled spool is removed


@pytest.mark.parametrize("rows", [1, 2, 5, 100])
def test_edge_chunks_keep_every_row_and_never_split_an_edge(rows: int) -> None:
    """Batches of any size (larger or smaller than ``rows``, an edge running across batches)
    come back as the same rows in order, each chunk ending where an edge ends."""
    eid = [1, 1, 1, 1, 1, 2, 3, 3, 4, 5, 5, 5, 6]
    batches = [pa.record_batch({"_eid": eid[a:b]}) for a, b in ((0, 3), (3, 4), (4, 9), (9, 9), (9, 13))]
    chunks = [c.column("_eid").to_pylist() for c in key_chunks(batches, rows, "_eid")]
    assert [e for c in chunks for e in c] == eid
    for a, b in zip(chunks, chunks[1:]):
        assert a[-1] != b[0]  # no edge split across two chunks
    assert all(len(c) <= rows or len(set(c)) == 1 for c in chunks)  # only a single big edge exceeds
