"""Quarantine: every row that cannot be stored is kept, with where it came from and why.

Rows are collected in a temporary DuckDB table while a file streams (so a file full of
bad rows still uses bounded memory) and written once, at the end, to
``WORKSPACE/quarantine/<file>.<n>.csv`` with the columns of ``lockstep.model.QUARANTINE``;
``n`` counts the ingests of that file name so an earlier quarantine is never overwritten.
"""

from __future__ import annotations

from pathlib import Path

from lockstep.store import Workspace

MAX_RAW_CHARS = 65_536
_TABLE = "_ingest_quarantine"


def sql_literal(value: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


class Quarantine:
    """Bad rows of one input file."""

    def __init__(self, ws: Workspace, source_file: str) -> None:
        self.ws = ws
        self.source_file = source_file
        ws.con.execute(f"DROP TABLE IF EXISTS {_TABLE}")
        ws.con.execute(
            f"CREATE TEMP TABLE {_TABLE} (source_file VARCHAR, source_line BIGINT, field VARCHAR,"
            " reason VARCHAR, raw VARCHAR)"
        )

    def add_sql(self, select_sql: str) -> None:
        """Add rows from a ``SELECT source_line, field, reason, raw``."""
        self.ws.con.execute(
            f"INSERT INTO {_TABLE} SELECT {sql_literal(self.source_file)}, source_line, field, reason,"
            f" CASE WHEN length(raw) > {MAX_RAW_CHARS} THEN raw[:{MAX_RAW_CHARS}] || ' ...(truncated)'"
            f" ELSE raw END FROM ({select_sql}) AS q"
        )

    def add(self, line: int | None, field: str | None, reason: str, raw: str | None) -> None:
        if raw is not None:
            raw = raw.encode("utf-8", errors="replace").decode("utf-8")  # lone surrogates -> U+FFFD
            if len(raw) > MAX_RAW_CHARS:
                raw = raw[:MAX_RAW_CHARS] + " ...(truncated)"
        self.ws.con.execute(
            f"INSERT INTO {_TABLE} VALUES (?, ?, ?, ?, ?)", [self.source_file, line, field, reason, raw]
        )

    def shift_lines(self, correction_sql: str) -> None:
        """Apply a line-number correction expression (in terms of ``source_line``)."""
        self.ws.con.execute(f"UPDATE {_TABLE} SET source_line = {correction_sql}")

    def count(self) -> int:
        return int(self.ws.con.execute(f"SELECT count(*) FROM {_TABLE}").fetchone()[0])  # type: ignore[index]

    def write(self, input_path: Path) -> Path | None:
        """Write the CSV if there were bad rows; return its path (or None)."""
        if self.count() == 0:
            self.ws.con.execute(f"DROP TABLE IF EXISTS {_TABLE}")
            return None
        qdir = self.ws.quarantine_dir
        n = 1
        while (qdir / f"{input_path.name}.{n}.csv").exists():
            n += 1
        out = qdir / f"{input_path.name}.{n}.csv"
        self.ws.con.execute(
            f"COPY (SELECT * FROM {_TABLE} ORDER BY source_line NULLS LAST) TO {sql_literal(str(out))}"
            " (HEADER, DELIMITER ',', QUOTE '\"', FORCE_QUOTE (raw))"
        )
        self.ws.con.execute(f"DROP TABLE IF EXISTS {_TABLE}")
        return out
