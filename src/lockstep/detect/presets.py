"""Presets that reproduce peer tools' definitions, so their users can switch with confidence.

- ``coortweet``: CooRTweet 2.x (Righetti & Balluff) ``detect_groups`` +
  ``generate_coordinated_network`` with its defaults (time_window 10, min_participation 2,
  edge_weight 0.5): edges.csv is its full graph, ``weight_threshold`` marks edges above the
  weight percentile, campaigns are connected components of the thresholded graph.
- ``cnt``: coordination-network-toolkit (QUT) ``compute_networks`` with its defaults
  (time_window 1, min_edge_weight 2): directed edges (one row per direction, as its
  network table), messages de-duplicated by id, URLs as given, its text normalisation.
"""

from __future__ import annotations

from typing import Any

from lockstep.registry import Registry

PRESETS: Registry[dict[str, Any]] = Registry("preset")

PRESETS.add(name="coortweet", obj={
        "scoring": "coortweet", "signals": ["co_repost"], "window": 10.0, "min_participation": 2,
        "edge_weight": 0.5, "min_weight": 0.0, "min_shared": 1, "max_neighbours": 0,
        "remove_loops": True, "clustering": "components", "min_campaign_size": 2, "min_density": 0.0,
        "near_duplicates": False, "roles": False,
})
PRESETS.add(name="cnt", obj={
        "scoring": "cnt", "signals": ["co_repost"], "window": 1.0, "min_edge_weight": 2.0,
        "min_participation": 0, "edge_weight": None, "min_weight": 0.0, "min_shared": 1,
        "max_neighbours": 0, "remove_loops": True, "clustering": "components",
        "min_campaign_size": 2, "min_density": 0.0, "link_level": "raw", "text_mode": "cnt",
        "near_duplicates": False, "min_text_chars": 0, "roles": False,
})
