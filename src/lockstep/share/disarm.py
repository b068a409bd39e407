"""DISARM techniques for a tip: the report's evidence mapping, checked against the current
DISARM Red Framework, with retired ids mapped to their successors.

Why a check: ``lockstep.report.disarm`` names techniques as the report has always shown them,
and DISARM renumbers between versions (by V1.6, November 2024, T0007, T0090 and T0099 were retired in
favour of asset techniques T0146-T0151 and persona techniques T0143). A receiver's tooling
looks ids up in the current framework, so a shared id must exist there; the names come from
the framework too. The framework's ids and names are shipped as data
(``lockstep/data/disarm_red_framework_v1.6.tsv``, from DISARMFoundation/DISARMframeworks).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from lockstep.report.disarm import behaviours
from lockstep.share.tip import Technique

DISARM_VERSION = "1.6"
FRAMEWORK_FILE = "disarm_red_framework_v1.6.tsv"

# retired id -> current ids (DISARM V1.6): one table, applied to every id we share
RETIRED: dict[str, tuple[str, ...]] = {
    "T0007": ("T0151.002", "T0151.003"),  # Create Inauthentic Social Media Pages and Groups -> Online Community Group / Page
    "T0090": ("T0146", "T0150.001"),  # Create Inauthentic Accounts -> Account Asset, Newly Created Asset
    "T0090.001": ("T0146", "T0150.001"),  # Create Anonymous Accounts
    "T0090.002": ("T0146", "T0150.001"),  # Create Cyborg Accounts
    "T0090.003": ("T0146.007", "T0150.001"),  # Create Bot Accounts -> Automated Account Asset
    "T0090.004": ("T0146", "T0150.001"),  # Create Sockpuppet Accounts
    "T0099": ("T0143.003",),  # Impersonate Existing Entity (earlier: Prepare Assets Impersonating Legitimate
    #                           Entities) -> Impersonated Persona
    "T0099.002": ("T0143.003",),  # Spoof/Parody Account/Site
    "T0099.003": ("T0143.003", "T0097.200"),  # Impersonate Existing Organisation -> Institutional Persona
}


@lru_cache(maxsize=1)
def framework() -> dict[str, str]:
    """Every current technique id -> its name."""
    text = resources.files("lockstep.data").joinpath(FRAMEWORK_FILE).read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            tid, _, name = line.partition("\t")
            out[tid.strip()] = name.strip()
    return out


def current(ids: list[str]) -> list[Technique]:
    """The current techniques for ``ids`` (retired ids replaced, unknown ids dropped), in order, once each."""
    fw = framework()
    out: dict[str, Technique] = {}
    for tid in ids:
        for cur in RETIRED.get(tid, (tid,)):
            if cur in fw and cur not in out:
                out[cur] = Technique(id=cur, name=fw[cur], framework="DISARM", version=DISARM_VERSION)
    return list(out.values())


def campaign_techniques(signals: dict[str, Any], evidence_items: list[dict[str, Any]], account_items: dict[str, int],
                        n_entities: int) -> list[Technique]:
    """The techniques the campaign's evidence shows (as the report derives them), current ids."""
    rows = behaviours(signals, evidence_items, account_items, n_entities)
    return current([str(r["technique_id"]) for r in rows])
