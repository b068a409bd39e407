"""Table sources: where an engine reads the canonical tables from.

Why a source and not the workspace: an engine needs the canonical tables
(:data:`lockstep.model.TABLES`: actions, accounts, ...) and somewhere to spill, nothing else.
A workspace is one kind of source (its DuckDB connection, so the DuckDB engine reads the
tables in place: the fast path); plain Arrow tables are another (tests, other engines' inputs;
later a Spark engine's DataFrames). The stages above the engine only ever pass a source.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from lockstep.errors import UserError
from lockstep.model import TABLES

if TYPE_CHECKING:
    from lockstep.store.workspace import Workspace


@dataclass(frozen=True)
class TableSource:
    """The canonical tables of one run: in a DuckDB connection (by their canonical names) or
    as Arrow tables (a missing table is empty). ``scratch`` is a folder for spill files."""

    label: str
    scratch: Path
    connection: duckdb.DuckDBPyConnection | None = None
    arrow: Mapping[str, pa.Table] = field(default_factory=dict)

    def table(self, name: str) -> pa.Table:
        """Table ``name`` as Arrow, with exactly its canonical columns and types."""
        if name not in TABLES:
            raise UserError(f"{self.label}: unknown table {name!r} (known: {', '.join(TABLES)})")
        schema = TABLES[name]
        if self.connection is not None:
            cols = ", ".join(f'"{c}"' for c in schema.names)
            return self.connection.sql(f'SELECT {cols} FROM "{name}"').to_arrow_table().cast(schema)
        tbl = self.arrow.get(name)
        if tbl is None:
            return schema.empty_table()
        missing = [c for c in schema.names if c not in tbl.column_names]
        for c in missing:
            tbl = tbl.append_column(c, pa.nulls(tbl.num_rows, schema.field(c).type))
        return tbl.select(schema.names).cast(schema)


def workspace_source(ws: Workspace) -> TableSource:
    """The workspace's tables, read in place through its connection; spills go to ``WS/tmp``."""
    return TableSource(label=f"workspace {ws.path}", scratch=Path(ws.path) / "tmp", connection=ws.con)


def arrow_source(tables: Mapping[str, pa.Table], scratch: Path | None = None) -> TableSource:
    """Arrow tables by canonical name (missing columns are null, missing tables empty)."""
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise UserError(f"arrow tables: unknown table {unknown[0]!r} (known: {', '.join(TABLES)})")
    return TableSource(label="arrow tables", scratch=scratch or Path(tempfile.gettempdir()) / "lockstep",
                       arrow=dict(tables))
