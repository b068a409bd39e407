"""The coordination graph: fusion of signals, clustering into campaigns, export."""

from lockstep.graph.cluster import Cluster, cluster_graph
from lockstep.graph.export import write_gexf, write_graphml
from lockstep.graph.fuse import AccountGraph, fuse

__all__ = ["AccountGraph", "Cluster", "cluster_graph", "fuse", "write_gexf", "write_graphml"]
