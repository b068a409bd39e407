"""Importing igraph without its matplotlib drawing layer.

Why: ``import igraph`` looks for matplotlib to offer ``igraph.plot`` and, because lockstep
depends on matplotlib for its report figures, imports it: 0.3 s of every detect run (about a
tenth of a 1M-action detect) for plotting that lockstep never does through igraph (figures are
drawn with matplotlib directly). When matplotlib is not loaded yet, igraph is imported with
matplotlib hidden, so it finds none; matplotlib itself stays importable afterwards.
"""

from __future__ import annotations

import sys
from types import ModuleType


def igraph() -> ModuleType:
    """The ``igraph`` module, imported without matplotlib if neither is loaded yet."""
    if "igraph" in sys.modules or "matplotlib" in sys.modules:
        import igraph as ig

        return ig  # type: ignore[no-any-return]  # igraph ships no type information
    sys.modules["matplotlib"] = None  # type: ignore[assignment]  # makes `import matplotlib` fail
    try:
        import igraph as ig
    finally:
        del sys.modules["matplotlib"]
    return ig  # type: ignore[no-any-return]
