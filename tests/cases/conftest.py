"""Fixtures for the case and ledger tests: every ledger test runs on SQLite and on a real
PostgreSQL server.

PostgreSQL: ``LOCKSTEP_TEST_POSTGRES`` (a server URL; .ci/run sets it) is used as given,
and a server that cannot be reached there FAILS the tests. When it is unset (a developer's
machine), a throwaway cluster is started from the installed server binaries; only when
there are none are the PostgreSQL cases skipped, with that reason. Each test gets a fresh
database, dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from glob import glob
from pathlib import Path

import psycopg
import pytest

from .world import build

ENV = "LOCKSTEP_TEST_POSTGRES"


def _as_pg(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server URL (any database on it)."""
    url = os.environ.get(ENV)
    if url:
        try:
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            pytest.fail(f"{ENV}={url} is set but the server cannot be reached: {exc}")
        yield url
        return
    bins = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip(f"PostgreSQL tests not run: set {ENV} or install the PostgreSQL server")
    bindir = Path(bins[-1]).parent
    tmp = Path(tempfile.mkdtemp(prefix="lockstep-test-pg-"))
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
    port = 56000 + os.getpid() % 1000
    subprocess.run(_as_pg([str(bindir / "initdb"), "-D", str(tmp / "data"), "-U", "postgres", "--auth=trust"]),
                   check=True, capture_output=True)
    subprocess.run(_as_pg([str(bindir / "pg_ctl"), "-D", str(tmp / "data"), "-l", str(tmp / "log"), "-w", "-o",
                           f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c synchronous_commit=off", "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_pg([str(bindir / "pg_ctl"), "-D", str(tmp / "data"), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture()
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server."""
    name = f"lockstep_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    base = pg_server.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture()
def world(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(workspace, run1 folder, run2 folder)."""
    return build(tmp_path)


@pytest.fixture()
def ledger_args(backend: str, request: pytest.FixtureRequest) -> list[str]:
    """The CLI flags that select the ledger of this backend."""
    if backend == "sqlite":
        return []
    return ["--ledger", str(request.getfixturevalue("pg_url"))]
