"""A workspace: ``DIR/lockstep.duckdb`` with the canonical tables, plus ``DIR/quarantine/``
for bad rows and ``DIR/runs/`` for recorded detection runs.

Writes are idempotent: every canonical row carries ``row_key``, an md5 of its natural key
(``lockstep.model.NATURAL_KEYS``). Rows are appended to a staging table in bulk and merged
once per ingest with an anti-join, which keeps ingest fast (no per-row index upkeep) and
makes re-ingesting a file a no-op.

Ingest is atomic per file, through a journal rather than one long transaction (DuckDB
keeps ~0.3 KB per row appended in an open transaction outside its memory limit: 2.5 GB at
5M rows). :meth:`Workspace.journal_start` notes a file before its rows are written; its
``ingested_files`` record and the end of its journal entry commit together
(:meth:`Workspace.transaction`). Whatever stops the process (an error, Ctrl-C, SIGKILL, a
full disk), a file still in the journal is undone by :meth:`Workspace.recover`, which every
writable open runs: rows written straight into the canonical tables (``direct`` mode: only
for a file none of whose rows were stored before) are deleted, staging tables dropped, and
quarantine files no record names removed. So a file's rows are all there with its record,
or none are once the workspace is next opened.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from lockstep.errors import EngineError, UserError
from lockstep.model import TABLES
from lockstep.store.ddl import key_expr, table_ddl

DEFAULT_WORKSPACE = Path("lockstep-workspace")
DB_NAME = "lockstep.duckdb"


class Workspace:
    """One investigation's data. Open with :func:`open_workspace`."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, read_only: bool) -> None:
        self.path = path
        self.con = con
        self.read_only = read_only
        self.recovered: list[str] = []  # what opening undid (interrupted ingests)
        self.compress = False  # new tables choose their columns' compression (set at a writable open)

    # -- schema -----------------------------------------------------------------
    def _ensure_schema(self) -> None:
        for name, schema in TABLES.items():
            self.create_table(name, schema)
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS ingested_files (path VARCHAR, sha256 VARCHAR, format VARCHAR,"
            " rows_read BIGINT, rows_stored BIGINT, rows_quarantined BIGINT, quarantine_file VARCHAR,"
            " ingested_at TIMESTAMP)"
        )
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS ingest_journal (source_file VARCHAR, mode VARCHAR, started_at TIMESTAMP)")
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS runs (run_id VARCHAR, kind VARCHAR, created_at TIMESTAMP,"
            " out_dir VARCHAR, params JSON)"
        )

    def create_table(self, name: str, schema: pa.Schema, table: str | None = None) -> None:
        """Create canonical table ``name`` (or ``table`` with its columns) unless it exists, each
        column compressed as :mod:`lockstep.store.ddl` says, unless the database file's storage
        version lacks those methods (:attr:`compress`); then DuckDB chooses, as it always did."""
        self.con.execute(table_ddl(name, schema, table, compress=self.compress))

    def _probe_compression(self) -> bool:
        """Whether this database file can store ZSTD and DICT_FSST columns (a file written with
        an older storage version cannot: DuckDB refuses the DDL). Asked once, at open and outside
        any transaction: the refusal, inside one, would abort it. EXPLAIN binds the DDL without
        creating anything."""
        try:
            self.con.execute("EXPLAIN CREATE TABLE _lockstep_compression_probe (a VARCHAR USING COMPRESSION"
                             " 'zstd', b VARCHAR USING COMPRESSION 'dict_fsst')").fetchall()
        except duckdb.BinderException:
            return False
        return True

    # -- atomic writes -------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One DuckDB transaction: committed when the block ends, rolled back on any exception.

        A process killed inside the block leaves nothing: DuckDB writes a transaction to its
        log only at commit. A failed commit or a DuckDB I/O error (full disk) becomes an
        :class:`EngineError` naming the workspace (exit 4), after rolling back.
        """
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        try:
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise engine_error(self.path, exc) from None

    def _rollback(self) -> None:
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error:  # no transaction open (DuckDB aborted it already)
            pass

    def journal_start(self, source_file: str, mode: str = "staging") -> None:
        """Note that ``source_file`` is being ingested (committed before any of its rows)."""
        self.con.execute("DELETE FROM ingest_journal WHERE source_file = ?", [source_file])
        self.con.execute("INSERT INTO ingest_journal VALUES (?, ?, ?)", [source_file, mode, _now()])

    def journal_mode(self, source_file: str, mode: str) -> None:
        """``direct``: rows go straight into the canonical tables (undo deletes them by
        ``source_file``: only valid for a file none of whose rows were stored before)."""
        self.con.execute("UPDATE ingest_journal SET mode = ? WHERE source_file = ?", [mode, source_file])

    def journal_end(self, source_file: str) -> None:
        self.con.execute("DELETE FROM ingest_journal WHERE source_file = ?", [source_file])

    def undo_file(self, source_file: str, mode: str) -> None:
        """Remove what an unfinished ingest of ``source_file`` wrote, and its journal entry."""
        if mode == "direct":
            for name in TABLES:
                self.con.execute(f'DELETE FROM "{name}" WHERE source_file = ?', [source_file])
        for name in TABLES:
            self.con.execute(f'DROP TABLE IF EXISTS "_staging_{name}"')
        self.journal_end(source_file)

    def recover(self) -> list[str]:
        """Undo every unfinished ingest (see the module docstring); returns what was done.

        Also drops persistent ``_staging_*`` tables an older version could leave (it merged
        them into the next ingest) and quarantine files no ``ingested_files`` record names.
        """
        done: list[str] = []
        if self.read_only:
            return done
        for source_file, mode in self.con.execute("SELECT source_file, mode FROM ingest_journal").fetchall():
            self.undo_file(source_file, mode)
            done.append(f"undid the interrupted ingest of {source_file}")
        for (name,) in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '\\_staging\\_%' ESCAPE '\\'"
        ).fetchall():
            self.con.execute(f'DROP TABLE IF EXISTS "{name}"')
            done.append(f"dropped leftover staging table {name}")
        qdir = self.path / "quarantine"
        if qdir.is_dir():
            named = {str(Path(r[0]).resolve()) for r in self.con.execute(
                "SELECT quarantine_file FROM ingested_files WHERE quarantine_file IS NOT NULL").fetchall()}
            for f in sorted(qdir.glob("*.csv")):
                if str(f.resolve()) not in named:
                    f.unlink(missing_ok=True)
                    done.append(f"removed unrecorded quarantine file {f.name}")
        return done

    # -- writes -----------------------------------------------------------------
    def stage(self, name: str, batch: pa.Table | pa.RecordBatch) -> None:
        """Append a batch (canonical schema of ``name``) to the staging table."""
        staging = f"_staging_{name}"
        self.create_table(name, TABLES[name], staging)
        tbl = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
        tbl = tbl.select(TABLES[name].names).cast(TABLES[name])
        self.con.register("_batch", tbl)
        cols = ", ".join(f'"{c}"' for c in TABLES[name].names)
        self.con.execute(f'INSERT INTO "{staging}" SELECT {key_expr(name)}, {cols} FROM _batch')
        self.con.unregister("_batch")

    def stage_sql(self, name: str, select_sql: str) -> None:
        """Stage rows produced by a SQL ``SELECT`` with the canonical columns of ``name``."""
        staging = f"_staging_{name}"
        self.create_table(name, TABLES[name], staging)
        cols = ", ".join(f'"{c}"' for c in TABLES[name].names)
        self.con.execute(
            f'INSERT INTO "{staging}" SELECT {key_expr(name)}, {cols} FROM ({select_sql}) AS q'
        )

    def merge(self) -> dict[str, int]:
        """Move staged rows into the canonical tables, skipping rows already there.

        Returns the number of new rows per table.
        """
        added: dict[str, int] = {}
        for name in TABLES:
            staging = f"_staging_{name}"
            if not self._exists(staging):
                continue
            before = self.count(name)
            cols = ", ".join(f'"{c}"' for c in ["row_key", *TABLES[name].names])
            self.con.execute(
                f'INSERT INTO "{name}" SELECT DISTINCT ON (row_key) {cols} FROM "{staging}"'
                f' ANTI JOIN "{name}" USING (row_key)'
            )
            self.con.execute(f'DROP TABLE "{staging}"')
            added[name] = self.count(name) - before
        return added

    def record_file(self, path: str, sha256: str, fmt: str, read: int, stored: int,
                    quarantined: int, quarantine_file: str | None) -> None:
        self.con.execute(
            "INSERT INTO ingested_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [path, sha256, fmt, read, stored, quarantined, quarantine_file, _now()],
        )

    def record_run(self, kind: str, out_dir: Path, params: dict[str, Any]) -> str:
        """Record a detection (or other) run so later commands can find its outputs."""
        run_id = f"{kind}-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%f')}"
        self.con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?)",
            [run_id, kind, _now(), str(Path(out_dir).resolve()), json.dumps(params, default=str)],
        )
        return run_id

    def latest_run(self, kind: str = "detect") -> dict[str, Any] | None:
        rows = self.con.execute(
            "SELECT run_id, kind, created_at, out_dir, params FROM runs WHERE kind = ?"
            " ORDER BY created_at DESC LIMIT 1",
            [kind],
        ).fetchall()  # fetched to the end: DuckDB 2 blocks con.sql behind an unfinished result
        if not rows:
            return None
        row = rows[0]
        return {"run_id": row[0], "kind": row[1], "created_at": row[2], "out_dir": row[3],
                "params": json.loads(row[4])}

    # -- reads ------------------------------------------------------------------
    def count(self, name: str) -> int:
        return int(self.con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0])

    def _exists(self, name: str) -> bool:
        q = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
        return bool(self.con.execute(q, [name]).fetchall()[0][0])

    def arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """A query's rows as an Arrow table, fetched fully.

        ``execute`` rather than ``con.sql``: DuckDB 2 refuses ``con.sql`` while an earlier
        ``execute`` result is unfinished, and ``execute`` supersedes it. DuckDB warns that
        Arrow output of such a result costs one extra copy; that is accepted here."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return self.con.execute(sql, params or []).to_arrow_table()

    def batches(self, sql: str, size: int = 100_000) -> Iterator[pa.RecordBatch]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            reader: pa.RecordBatchReader = self.con.execute(sql).to_arrow_reader(size)
        yield from reader

    @property
    def quarantine_dir(self) -> Path:
        d = self.path / "quarantine"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def has_ingested_files(path: Path) -> bool:
    """Whether the workspace at ``path`` records any ingested file (False when unreadable)."""
    db = Path(path) / DB_NAME
    if not db.exists():
        return False
    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return bool(con.execute("SELECT count(*) FROM ingested_files").fetchall()[0][0])
        finally:
            con.close()
    except duckdb.Error:
        return True  # cannot tell: keep it


def engine_error(path: Path, exc: BaseException) -> EngineError:
    """A DuckDB failure as one line naming the workspace (a full disk says so)."""
    msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "No space left" in str(exc) or getattr(exc, "errno", None) == 28:
        return EngineError(f"workspace {path}: disk full ({msg}); free space and run again")
    return EngineError(f"workspace {path}: {msg}")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def memory_limit_sql() -> str:
    """The statement that gives a workspace connection its memory limit: LOCKSTEP_MEMORY_LIMIT,
    else DuckDB's default (also used to set it back after freeing memory, see
    ``engine.duckdb.memory``)."""
    mem = os.environ.get("LOCKSTEP_MEMORY_LIMIT")
    return f"SET memory_limit = '{mem}'" if mem else "RESET memory_limit"


def open_workspace(path: Path | str | None = None, *, create: bool = True,
                   read_only: bool = False) -> Workspace:
    """Open (and by default create) the workspace at ``path``.

    Commands that only read a workspace pass ``create=False`` so a typo in
    ``--workspace`` gives a clear error instead of an empty new workspace.
    """
    p = Path(path) if path is not None else DEFAULT_WORKSPACE
    if p.exists() and not p.is_dir():
        raise UserError(f"--workspace {p}: is a file, not a workspace folder")
    db = p / DB_NAME
    if not db.exists():
        if not create:
            raise UserError(f"no lockstep workspace at {p} (run `lockstep ingest ... --workspace {p}` first)")
        try:
            p.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"--workspace {p}: cannot create the folder ({exc.strerror})") from None
    try:
        con = duckdb.connect(str(db), read_only=read_only and db.exists())
        threads = os.environ.get("LOCKSTEP_THREADS")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        con.execute(memory_limit_sql())
        con.execute("SET preserve_insertion_order = false")
        tmp = p / "tmp"
        con.execute(f"SET temp_directory = '{tmp}'")
    except duckdb.Error as exc:  # locked by another process, corrupt file
        raise EngineError(f"cannot open workspace database {db}: {exc}") from None
    ws = Workspace(p, con, read_only)
    if not ws.read_only:
        try:
            ws.compress = ws._probe_compression()
            ws._ensure_schema()
            ws.recovered = ws.recover()
        except duckdb.Error as exc:
            con.close()
            raise engine_error(p, exc) from None
    return ws
