"""Arrow rows held back while DuckDB streams a result: the connection takes no insert while a
reader is open, so rows made from a stream wait here (in memory up to a budget, then in a
Parquet file in the scratch folder) and are stored once the stream is read."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from lockstep.engine.duckdb.pair_counts import BUDGET_BYTES


class Spool:
    """Arrow tables held in memory up to ``budget`` bytes, then appended to a Parquet file."""

    def __init__(self, tmp_dir: Path, budget: int | None = None) -> None:
        self.tmp_dir, self.budget = tmp_dir, BUDGET_BYTES if budget is None else budget
        self._mem: list[pa.Table] = []
        self._bytes = 0
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._writer: pq.ParquetWriter | None = None
        self._file = ""

    def add(self, rows: pa.Table) -> None:
        if self._writer is None and self._bytes + rows.nbytes <= self.budget:
            self._mem.append(rows)
            self._bytes += rows.nbytes
            return
        if self._writer is None:
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
            self._dir = tempfile.TemporaryDirectory(prefix="spool-", dir=self.tmp_dir)
            self._file = str(Path(self._dir.name) / "rows.parquet")
            self._writer = pq.ParquetWriter(self._file, rows.schema, compression="lz4")
            for t in self._mem:
                self._writer.write_table(t)
            self._mem, self._bytes = [], 0
        self._writer.write_table(rows)

    def parts(self) -> Iterator[pa.Table | str]:
        """The rows: in-memory tables, or the Parquet file's path once spilled."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            yield self._file
        yield from self._mem

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._mem = []
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
