"""Engines behind the detection seam (see :mod:`lockstep.engine.base`)."""

from __future__ import annotations

from lockstep.engine.base import Engine, ItemSource, PairSpec, Rel, ScoreSpec
from lockstep.errors import UserError
from lockstep.store.workspace import Workspace

ENGINES = ("duckdb",)


def get_engine(name: str, ws: Workspace) -> Engine:
    """The engine called ``name`` working on ``ws``."""
    if name == "duckdb":
        from lockstep.engine.duckdb_engine import DuckDBEngine

        return DuckDBEngine(ws)
    raise UserError(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")


__all__ = ["ENGINES", "Engine", "ItemSource", "PairSpec", "Rel", "ScoreSpec", "get_engine"]
