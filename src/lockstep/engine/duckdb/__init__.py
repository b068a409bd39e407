"""The DuckDB backend: plain functions over a declared state (:class:`state.DuckState`),
one module per step (items, pairs, score, deferred, cnt, prune), behind a thin
:class:`engine.DuckDBEngine`."""

from __future__ import annotations

from lockstep.engine.duckdb.engine import DuckDBEngine

__all__ = ["DuckDBEngine"]
