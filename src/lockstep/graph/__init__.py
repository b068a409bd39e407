"""The coordination graph: fusion of signals, clustering into campaigns, export.

Names are resolved lazily (module ``__getattr__``; ``fuse`` itself: import it from
:mod:`lockstep.graph.fuse`, whose module name it shares): igraph and leidenalg take about a
second to import, and commands that never cluster (``--help``, ``ingest``) should not pay it.
"""

from __future__ import annotations

from typing import Any

_WHERE = {"AccountGraph": "fuse", "Cluster": "cluster", "cluster_graph": "cluster",
          "write_gexf": "export", "write_graphml": "export"}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"lockstep.graph.{_WHERE[name]}"), name)
    raise AttributeError(name)
