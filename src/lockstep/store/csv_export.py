"""Arrow tables to CSV through DuckDB's CSV writer (a million edge rows in about a second,
where a Python csv loop took a minute).

Why in the store: only the store, the engine and ingest talk to DuckDB. The layout of the
files (which columns, how numbers are written) is decided by :mod:`lockstep.outputs`, which
calls this function with its column spec.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

# how each kind of column is written (DuckDB expressions over the column named {c})
_FORMATS = {
    "number6": "CASE WHEN {c} = trunc({c}) THEN CAST(CAST({c} AS BIGINT) AS VARCHAR)"
               " ELSE CAST(round({c}, 6) AS VARCHAR) END",
    "number3": "CAST(round({c}, 3) AS VARCHAR)",
    "json_list": "coalesce(to_json({c}), '[]')",
    "plain": "{c}",
}


def write_csv(table: pa.Table, path: Path, formats: dict[str, str], order_by: list[tuple[str, str]]) -> int:
    """Write ``table`` to ``path`` (header, comma-separated), each column written as
    ``formats[column]`` (``number6``: integers when whole, else 6 places; ``number3``: 3
    places; ``json_list``: a JSON array; default ``plain``), rows ordered by ``order_by``
    (column, ``plain`` or ``round6`` for a number compared as written). Returns the rows."""
    select = ", ".join(f'{_FORMATS[formats.get(c, "plain")].format(c=_q(c))} AS {_q(c)}'
                       for c in table.column_names)
    order = ", ".join((f"round(_t.{_q(c)}, 6) DESC" if how == "round6" else f"_t.{_q(c)}")
                      for c, how in order_by)
    target = str(path).replace("'", "''")
    con = duckdb.connect()
    try:
        con.register("_t", table)
        con.execute(f"COPY (SELECT {select} FROM _t{' ORDER BY ' + order if order else ''})"
                    f" TO '{target}' (FORMAT csv, HEADER true)").fetchall()
    finally:
        con.close()
    return int(table.num_rows)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
