"""The layering rules of docs/architecture.md, checked on the source: only store/, engine/ and
ingest/ talk to a database, and the stages below roles never import the stages above them."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "lockstep"
DB_LAYERS = ("store", "engine", "ingest")
DB_MODULES = ("duckdb", "sqlalchemy", "alembic", "psycopg", "sqlite3")


def _modules() -> list[tuple[str, ast.Module]]:
    return [(str(p.relative_to(PKG)), ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PKG.rglob("*.py"))]


def _imports(tree: ast.Module) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_only_store_engine_and_ingest_talk_to_a_database() -> None:
    bad = []
    for rel, tree in _modules():
        if rel.split("/")[0] in DB_LAYERS:
            continue
        for name in _imports(tree):
            if name.split(".")[0] in DB_MODULES:
                bad.append(f"{rel} imports {name}")
        for node in ast.walk(tree):  # a workspace's connection, reached from outside the store
            if isinstance(node, ast.Attribute) and node.attr in ("con", "arrow", "batches", "stage_sql") \
                    and isinstance(node.value, ast.Name) and node.value.id in ("ws", "workspace", "self.ws"):
                bad.append(f"{rel}:{node.lineno} uses ws.{node.attr}")
    assert not bad, "\n".join(bad)


def test_lower_stages_do_not_import_higher_ones() -> None:
    order = ["model", "store", "engine", "graph", "signals", "detect", "accounts", "roles", "outputs"]
    rank = {name: i for i, name in enumerate(order)}
    # what later commands read a run through sits with the store: it needs no stage above it
    readers = ("lockstep.outputs.read", "lockstep.outputs.files", "lockstep.outputs.summary")
    allowed = {("detect", "lockstep.roles.params"),  # roles' parameters, gathered by detect's settings
               ("signals", "lockstep.detect.settings")}  # the settings type a signal is built with
    bad = []
    for rel, tree in _modules():
        top = rel.split("/")[0].removesuffix(".py")
        if top not in rank:
            continue
        for name in _imports(tree):
            parts = name.split(".")
            if parts[0] != "lockstep" or len(parts) < 2 or parts[1] not in rank or name in readers:
                continue
            if rank[parts[1]] > rank[top] and (top, name) not in allowed:
                bad.append(f"{rel} imports {name}")
    assert not bad, "\n".join(bad)
