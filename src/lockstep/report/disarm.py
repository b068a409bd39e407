"""Behaviours mapped to DISARM techniques: the shared vocabulary (DISARM Red Framework) that
disclosure readers and other platforms' analysts use for influence-operation behaviour.

Why a table of data: each row says which lockstep evidence (a coordination signal, or an
item of the scored evidence) shows which technique, so the report names the technique only
when that evidence is present for the campaign, and a reviewer can audit the mapping here.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Technique(NamedTuple):
    id: str
    name: str


# evidence name (signal or scored-evidence item) -> techniques it shows
MAPPING: dict[str, tuple[Technique, ...]] = {
    "co_repost": (Technique("T0049.003", "Bots Amplify via Automated Forwarding and Reposting"),),
    "fast_repost": (Technique("T0049.003", "Bots Amplify via Automated Forwarding and Reposting"),),
    "co_repost_author": (Technique("T0118", "Amplify Existing Narrative"),),
    "co_text": (Technique("T0049", "Flood Information Space"),),
    "near_duplicates": (Technique("T0049", "Flood Information Space"),),
    "co_hashtag_sequence": (Technique("T0049.002", "Flood Existing Hashtag"),),
    "co_reply": (Technique("T0116", "Comment or Reply on Content"),),
    "co_link": (Technique("T0122", "Direct Users to Alternative Platforms"),),
    "domains": (Technique("T0098", "Establish Inauthentic News Sites"),),
    "persona": (Technique("T0097", "Create Personas"),
                Technique("T0099", "Prepare Assets Impersonating Legitimate Entities")),
    "fake_profiles": (Technique("T0090", "Create Inauthentic Accounts"),),
    "creation_burst": (Technique("T0090", "Create Inauthentic Accounts"),),
    "news_persona": (Technique("T0097", "Create Personas"),
                     Technique("T0099", "Prepare Assets Impersonating Legitimate Entities")),
    "sync_core": (Technique("T0049.003", "Bots Amplify via Automated Forwarding and Reposting"),),
    "shared_domains": (Technique("T0098", "Establish Inauthentic News Sites"),),
    "entities": (Technique("T0007", "Create Inauthentic Social Media Pages and Groups"),),
    "infra": (Technique("T0130", "Conceal Infrastructure"),),
}


def behaviours(signals: dict[str, Any], evidence_items: list[dict[str, Any]], account_items: dict[str, int],
               n_entities: int) -> list[dict[str, Any]]:
    """The DISARM techniques the evidence shows, each with what shows it: the campaign's
    signals and scored evidence, and how many accounts carry each account-level item."""
    seen: dict[str, dict[str, Any]] = {}

    def add(name: str, shown_by: str) -> None:
        for t in MAPPING.get(name, ()):
            row = seen.setdefault(t.id, {"technique_id": t.id, "technique": t.name, "shown_by": []})
            if shown_by not in row["shown_by"]:
                row["shown_by"].append(shown_by)
    for sig, n in sorted(signals.items()):
        if n:
            add(sig, f"{sig} edges ({n})")
    for e in evidence_items:
        if float(e.get("strength") or 0) > 0:
            add(str(e.get("item")), str(e.get("text")))
    for item, n in sorted(account_items.items()):
        add(item, f"{item} evidence on {n} accounts")
    if n_entities:
        add("entities", f"{n_entities} pages or groups used by the accounts")
    return sorted(seen.values(), key=lambda r: r["technique_id"])
