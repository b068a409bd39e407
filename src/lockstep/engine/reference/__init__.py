"""The reference engine: the engine-neutral definition every engine is tested against."""

from __future__ import annotations

from lockstep.engine.reference.engine import ReferenceEngine

__all__ = ["ReferenceEngine"]
