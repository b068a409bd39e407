"""The files of a detection run's output folder, and their columns: a contract with users
and with tools outside this repository (docs/detection.md describes every column)."""

from __future__ import annotations

ACCOUNTS = "accounts.csv"
EDGES = "edges.csv"
CAMPAIGNS = "campaigns.json"
PARAMS = "params.json"
EVIDENCE = "account_evidence.json"
GRAPHML = "graph.graphml"
GEXF = "graph.gexf"
ENTITIES = "entities.csv"

EDGE_COLUMNS = ("account_a", "account_b", "signal", "weight", "n_shared", "mean_dt_seconds",
                "evidence_items", "evidence_actions")
# the first five are the columns of earlier versions, in their order; new ones are appended
ACCOUNT_COLUMNS = ("account_id", "campaign_id", "role", "score", "evidence", "flagged", "coordinated",
                   "coordination_evidence")

# how edges.csv writes each column (see lockstep.store.csv_export)
EDGE_FORMATS = {"weight": "number6", "mean_dt_seconds": "number3", "evidence_items": "json_list",
                "evidence_actions": "json_list"}
EDGE_ORDER = [("weight", "round6"), ("account_a", "plain"), ("account_b", "plain"), ("signal", "plain")]
# entities.csv: one row per link between a campaign and a page, group or admin account
# (lockstep.entities); an entity with several links has several rows
ENTITY_COLUMNS = ("campaign_id", "platform", "entity_id", "kind", "name", "followers", "members", "link",
                  "evidence")
