"""Engines behind the detection seam (see :mod:`lockstep.engine.base`).

Every engine is registered in :data:`ENGINES` and made from a table source
(:mod:`lockstep.store.source`) with :func:`open_engine`.
"""

from __future__ import annotations

from lockstep.engine import duckdb, reference  # noqa: F401  (registration)
from lockstep.engine.base import ENGINES, Engine, ItemSource, PairSpec, Rel, ScoreSpec
from lockstep.store.source import TableSource


def open_engine(name: str, source: TableSource) -> Engine:
    """A new run of the engine called ``name`` on ``source`` (UserError naming the known
    engines when there is none)."""
    return ENGINES.resolve(name)(source)


__all__ = ["ENGINES", "Engine", "ItemSource", "PairSpec", "Rel", "ScoreSpec", "TableSource", "open_engine"]
