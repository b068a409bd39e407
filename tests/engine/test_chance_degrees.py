"""The accounts' distinct items (``d`` of the chance bound) three ways: counted in SQL, taken
in the curve's own pass over the rows (``measure(degrees=True)``), and carried on the edges by
integer scoring (``d_a``, ``d_b``): the same ``p_chance`` on every edge."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from lockstep.engine.duckdb.chance_sql import add_chance, curve, measure
from lockstep.engine.duckdb.state import DuckState, accounts


def _state(tmp: Path, seed: int) -> tuple[DuckState, dict[str, int]]:
    rnd = random.Random(seed)
    names = [f"a{i}" for i in range(12)] + ["Émile", "b b"]
    rows = [{"account_id": rnd.choice(names), "item": f"i{rnd.randrange(15)}", "t_us": rnd.randrange(50) * 1_000_000}
            for _ in range(rnd.randrange(40, 160))]
    con = duckdb.connect()
    con.register("_rows", pa.Table.from_pylist(rows))
    con.execute("CREATE TABLE actions AS SELECT account_id FROM _rows UNION ALL SELECT 'never' AS account_id")
    con.execute("CREATE TABLE items AS SELECT account_id, item, t_us::BIGINT AS t_us FROM _rows")
    seen: dict[str, set[str]] = {}
    for r in rows:
        seen.setdefault(str(r["account_id"]), set()).add(str(r["item"]))
    edges = [{"account_a": a, "account_b": b, "signal": "s", "weight": rnd.uniform(0.1, 6.0)}
             for a in names + ["never"] for b in names + ["never"] if a < b and rnd.random() < 0.4]
    con.register("_edges", pa.Table.from_pylist(edges))
    con.execute("CREATE TABLE edges AS SELECT * FROM _edges")
    con.execute("CREATE TABLE carried AS SELECT *, 0::BIGINT AS d_a, 0::BIGINT AS d_b FROM edges")
    deg = {a: len(s) for a, s in seen.items()}
    con.register("_deg", pa.Table.from_pylist([{"account_id": a, "d": d} for a, d in deg.items()]))
    con.execute("UPDATE carried SET d_a = coalesce((SELECT d FROM _deg WHERE _deg.account_id = carried.account_a), 0),"
                " d_b = coalesce((SELECT d FROM _deg WHERE _deg.account_id = carried.account_b), 0)")
    return DuckState(con=con, scratch=tmp, owner=1, close_con=True), deg


@pytest.mark.parametrize("seed", range(8))
def test_degrees_three_ways_give_the_same_p_chance(tmp_path: Path, seed: int) -> None:
    st, deg = _state(tmp_path, seed)
    timing = measure(st, "items", 7.0, None, degrees=True)
    assert timing.degrees is not None
    numbers = dict(st.con.execute(f"SELECT account_id, aid FROM {accounts(st)}").fetchall())
    got = {a: int(timing.degrees[n]) for a, n in numbers.items() if n < len(timing.degrees) and timing.degrees[n]}
    assert got == deg
    measured = curve(st, "items", 7.0)
    by: dict[str, list[tuple[str, str, float]]] = {}
    for way, (edges, m) in {"sql": ("edges", measured), "pass": ("edges", None),
                            "carried": ("carried", measured)}.items():
        name = add_chance(st, edges, "items", 7.0, m).name
        assert "d_a" not in st.con.table(name).columns
        by[way] = sorted(st.con.execute(f"SELECT account_a, account_b, p_chance FROM {name}").fetchall())
    assert len(by["sql"]) > 0
    for way in ("pass", "carried"):
        assert [r[:2] for r in by[way]] == [r[:2] for r in by["sql"]]
        assert all(abs(x[2] - y[2]) <= 1e-12 * max(abs(y[2]), 1e-300) for x, y in zip(by[way], by["sql"]))
    assert any(r[2] < 1.0 for r in by["sql"])  # some edge is tested at all


def test_item_strings_numbered_across_batches() -> None:
    """An item whose rows go on into the next batch keeps its number; a new one gets the next."""
    from lockstep.engine.duckdb.chance_sql import _numbered

    parts = [["a", "a", "b"], ["b", "c"], ["d"], ["d", "d", "e"], ["f"]]
    batches = [pa.record_batch([pa.array(p), pa.array([0] * len(p)), pa.array([1] * len(p))],
                               names=["item", "t_us", "aid"]) for p in parts]
    got = [b.column(0).to_pylist() for b in _numbered(iter(batches))]
    assert got == [[0, 0, 1], [1, 2], [3], [3, 3, 4], [5]]
