"""Direct insert: converted batches go straight into the canonical tables, no staging copy.

Why: staging every row and merging it once per file wrote each row twice and read it back
once; on a 1M-row IO-archive file that was about half of the ingest time. Here each batch
is inserted with an anti-join on ``row_key`` against the canonical table itself (which,
inside the file's transaction, already holds the earlier batches); repeats inside one
batch are deleted once at the end of the file, keeping the first row per key by source
line. So re-ingest adds nothing and duplicates inside a file collapse to their first
occurrence, as with staging.

Provisional line numbers are only final when the CSV reader rejected no record and the
file has no blank lines; otherwise the caller removes what this attempt stored and takes
the staging path, whose line fix-up runs before rows reach the canonical tables. Removal is
by ``source_file``, so the fast path only runs for a file with no rows stored yet. Why not
one transaction per file: DuckDB 2.0 keeps memory outside its buffer manager for every row
appended in an open transaction (about 0.5 KB a row here: 2 GB at 3M rows).
"""

from __future__ import annotations

from lockstep.model import TABLES
from lockstep.store import Workspace
from lockstep.store.ddl import key_expr


def insert_new_sql(ws: Workspace, name: str, select_sql: str, anti_join: bool = True) -> int:
    """Insert the rows of ``select_sql`` (canonical columns of ``name``) whose key is not stored.

    Returns how many rows were added. Two rows with one key inside the same batch are both
    inserted here (deduplicating per batch with a window costs ~40% of the insert, as the
    window carries every column); :func:`drop_repeats` removes the later copies once per file.
    ``anti_join=False`` inserts every row: for a table that was empty when the file started
    (see :func:`empty_tables`), where any repeat comes from this file and :func:`drop_repeats`
    removes it; the anti-join would scan the whole growing table once per batch.
    """
    cols = ", ".join(f'"{c}"' for c in TABLES[name].names)
    sql = (
        f'INSERT INTO "{name}" SELECT row_key, {cols} FROM ('
        f"SELECT {key_expr(name)} AS row_key, {cols} FROM ({select_sql}) AS q) AS n"
    )
    if anti_join:
        sql += f' ANTI JOIN "{name}" AS t USING (row_key)'

    row = ws.con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def drop_repeats(ws: Workspace, name: str, source_file: str) -> int:
    """Delete all but the first row (by source line) of every repeated ``row_key``.

    Only rows of the current file (``source_file``) can repeat: each batch was anti-joined
    against every row stored before it. The check is one hash aggregate over the file's
    ``row_key`` values (not the whole table's: 10M stored actions made a 600k-row file's
    check cost 2-4 s); returns rows deleted.
    """
    row = ws.con.execute(
        f'DELETE FROM "{name}" WHERE rowid IN (SELECT rowid FROM "{name}" SEMI JOIN'
        f' (SELECT row_key FROM "{name}" WHERE source_file = $1 GROUP BY row_key HAVING count(*) > 1) AS d'
        " USING (row_key) WHERE source_file = $1"
        " QUALIFY row_number() OVER (PARTITION BY row_key ORDER BY source_line, rowid) > 1)", [source_file]
    ).fetchone()
    return int(row[0]) if row else 0


def rename_repeats(ws: Workspace, table: str, source_file: str, keys_of: str = "actions") -> int:
    """Give the 2nd, 3rd... row of a repeated ``row_key`` of ``source_file`` its own key
    (``action_id`` + ``~dupN``, by source line): how formats that keep exact duplicates
    (CooRTweet counts every row) stay idempotent. ``table`` is the staging table or, on the
    direct path, the canonical one when it held no row before this file; ``keys_of`` names
    the canonical table whose natural key recomputes ``row_key``. Returns rows renamed."""
    row = ws.con.execute(
        f'UPDATE "{table}" AS s SET action_id = s.action_id || \'~dup\' || d.k, row_key = NULL'
        f' FROM (SELECT rowid AS rid, row_number() OVER (PARTITION BY row_key ORDER BY source_line, rowid) AS k'
        f' FROM "{table}" WHERE source_file = $1 AND row_key IN (SELECT row_key FROM "{table}"'
        f" WHERE source_file = $1 GROUP BY row_key HAVING count(*) > 1)) AS d"
        f" WHERE s.rowid = d.rid AND d.k > 1", [source_file]
    ).fetchone()
    n = int(row[0]) if row else 0
    if n:
        ws.con.execute(f'UPDATE "{table}" SET row_key = {key_expr(keys_of)} WHERE row_key IS NULL')
    return n


def empty_tables(ws: Workspace, tables: list[str]) -> frozenset[str]:
    """The tables that hold no row at all (inserts into them may skip the anti-join)."""
    return frozenset(t for t in tables if not ws.con.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchall())


def is_new_file(ws: Workspace, tables: list[str], source_file: str) -> bool:
    """True when no stored row comes from ``source_file`` (so :func:`undo` can remove ours)."""
    return not any(
        ws.con.execute(f'SELECT 1 FROM "{t}" WHERE source_file = ? LIMIT 1', [source_file]).fetchone()
        for t in tables
    )


def undo(ws: Workspace, tables: list[str], source_file: str) -> None:
    """Remove every row this attempt stored (valid only after :func:`is_new_file` was True)."""
    for t in tables:
        ws.con.execute(f'DELETE FROM "{t}" WHERE source_file = ?', [source_file])
