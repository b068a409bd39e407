"""Shared vocabularies of tips: TLP 2.0 markings, the ThreatExchange opinion mapping, and the
names of our custom STIX properties, defined once for the writer and the readers.

Why here: the STIX writer and reader must agree on every id and name, and a reader of other
platforms' bundles needs the same tables to recognise TLP 1.0 and 2.0 markings.
"""

from __future__ import annotations

from lockstep.share.tip import Opinion

# OASIS TLP 2.0 marking definitions (extension-definition--60a3c5c5-...; the same UUIDs as the
# CACAO common data markings): fixed ids, so every producer marks with the same objects.
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_IDS: dict[str, str] = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# TLP 1.0 as stix2 ships it (TLP_WHITE, ...): readers map white -> clear
TLP1_IDS: dict[str, str] = {
    "clear": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}
TLP_LEVELS = ("clear", "green", "amber", "red")
TLP_BY_ID: dict[str, str] = {v: k for k, v in {**TLP1_IDS, **TLP2_IDS}.items()}

# ThreatExchange's vocabulary (python-threatexchange): a descriptor's status is MALICIOUS,
# SUSPICIOUS, NON_MALICIOUS or UNKNOWN, and its opinion category POSITIVE_CLASS (the owner says
# the indicator is in the label set: "true_positive"), NEGATIVE_CLASS (false positive) or
# INVESTIGATION_SEED (worth looking at, not a verdict). Our two opinions map onto them and onto
# the STIX opinion-enum so that both kinds of receivers read the same confidence.
OPINION_TO_STIX: dict[str, tuple[str, str, str]] = {
    # ours: (STIX opinion, ThreatExchange status, ThreatExchange opinion category)
    "confirmed": ("strongly-agree", "MALICIOUS", "POSITIVE_CLASS"),
    "needs_investigation": ("neutral", "SUSPICIOUS", "INVESTIGATION_SEED"),
}


def opinion_from_stix(stix_opinion: str, te_status: str = "") -> Opinion:
    """Our opinion from a STIX opinion value (and a ThreatExchange status when present)."""
    if te_status.upper() == "MALICIOUS" or (not te_status and stix_opinion in ("strongly-agree", "agree")):
        return "confirmed"
    return "needs_investigation"


# Custom STIX names (x_ prefix: STIX 2.1 custom properties, accepted with allow_custom=True)
X_PREFIX = "x_lockstep_"
TEXT_TYPE = "x-lockstep-text"  # pattern object of a text-fingerprint indicator
HASHTAG_TYPE = "x-lockstep-hashtag"
