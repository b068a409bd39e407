"""The coordination graph: fusion of signals (:mod:`.fuse`), clustering into campaigns
(:mod:`.cluster`) and the graph files (:mod:`.export`). Import from the modules: igraph and
leidenalg take about a second to import, and only the modules that cluster or write load them.
"""
