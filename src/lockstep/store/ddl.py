"""The canonical tables' DDL: column types, each column's compression, the ``row_key`` expression.

Why a module of its own: the workspace opens and writes; what a table looks like on disk
(and why) is read apart from that.
"""

from __future__ import annotations

import pyarrow as pa

from lockstep.model import NATURAL_KEYS

DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.bool_(): "BOOLEAN",
    pa.timestamp("us"): "TIMESTAMP",
    pa.list_(pa.string()): "VARCHAR[]",
    pa.float64(): "DOUBLE",
}


# How each stored column is compressed, chosen once instead of by DuckDB's analysis of every
# row group. Why: DuckDB tries every method on each column while a bulk insert writes its row
# groups, and (on the 10M-action world) compressing strings was about half of the insert's
# cost. Free text (``actions.text``, ~40% of the rows' bytes, mostly unique) takes ZSTD:
# cheaper to write than DICT_FSST and smaller (1M simulator tweets: 84 -> 70 MB); every
# other text column is DICT_FSST, which the analysis chose for all of them anyway (ids,
# platform, kind: repeated values), without analysing ZSTD and the uncompressed layout too;
# ``row_key`` (md5) stays uncompressed as the analysis left it. Lists, times and numbers
# keep the analysis. The stored values are the same; only the file's layout differs.
_TEXT_COMPRESSION = {("actions", "text"): "zstd"}
_VARCHAR_COMPRESSION = "dict_fsst"


def table_ddl(name: str, schema: pa.Schema, table: str | None = None, compress: bool = True) -> str:
    """``CREATE TABLE IF NOT EXISTS`` for a canonical table (``table``: another name, e.g.
    staging); ``compress=False`` leaves every column to DuckDB's analysis (a database file
    whose storage version predates ZSTD and DICT_FSST)."""
    def col(f: pa.Field) -> str:
        duck = DUCK_TYPES[f.type]
        method = _TEXT_COMPRESSION.get((name, f.name), _VARCHAR_COMPRESSION) if duck == "VARCHAR" else None
        return f'"{f.name}" {duck}' + (f" USING COMPRESSION '{method}'" if compress and method else "")

    key = " USING COMPRESSION 'uncompressed'" if compress else ""
    return (f'CREATE TABLE IF NOT EXISTS "{table or name}" (row_key UHUGEINT{key},'
            f' {", ".join(col(f) for f in schema)})')


def key_expr(name: str) -> str:
    parts = ", ".join(f"coalesce(CAST(\"{k}\" AS VARCHAR), '')" for k in NATURAL_KEYS[name])
    return f"md5_number(concat_ws(chr(31), {parts}))"
