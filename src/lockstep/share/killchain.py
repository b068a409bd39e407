"""Meta's Online Operations Kill Chain: the exact Tactic / Technique / Procedure strings of
``Online_Operations_Killchain-TTPs.csv`` (facebook/threat-research, MIT licence; copied verbatim
to ``lockstep/data/meta_killchain_ttps.csv``), looked up by procedure number.

Why verbatim: receivers of a Meta-layout CSV group and filter rows by these strings, trailing
spaces and all; a paraphrase would be a new, unknown step. Also: which step shows each DISARM
technique we share, and which step holds each platform's accounts.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

KILLCHAIN_FILE = "meta_killchain_ttps.csv"


class Step(NamedTuple):
    tactic: str
    technique: str
    procedure: str


@lru_cache(maxsize=1)
def steps() -> dict[str, Step]:
    """Procedure number ("0.6.2") -> its row (first row wins where Meta lists one twice)."""
    text = resources.files("lockstep.data").joinpath(KILLCHAIN_FILE).read_text(encoding="utf-8-sig")
    out: dict[str, Step] = {}
    rows = csv.reader(io.StringIO(text, newline=""))
    next(rows, None)
    for row in rows:
        if len(row) >= 3 and row[2].strip():
            num = row[2].strip().split()[0].rstrip(".")
            out.setdefault(num, Step(row[0], row[1], row[2]))
    return out


def step(num: str) -> Step:
    """The row of procedure ``num``; KeyError names it (a bug in our tables, not user input)."""
    s = steps().get(num)
    if s is None:
        raise KeyError(f"procedure {num} is not in Meta's Online Operations Kill Chain")
    return s


# the platform's own accounts, pages and groups: where Meta counts them
ACCOUNT_STEP = {"facebook": "0.9.1", "instagram": "0.9.2", "threads": "0.9.3", "twitter": "0.9.4",
                "youtube": "0.9.5", "tiktok": "0.9.6", "telegram": "0.9.7"}
OTHER_ACCOUNTS = "0.9.12"
AMPLIFY_STEP = {"facebook": "6.2.1", "instagram": "6.2.2", "threads": "6.2.3", "twitter": "6.2.4",
                "youtube": "6.2.5", "tiktok": "6.2.6", "telegram": "6.2.7"}
DOMAINS = "0.6.2"
WEBSITE_POSTS = "6.1.1"
HASHTAGS = "7.3.1"
GROUP_POSTS = "7.3.2"

# DISARM technique (current ids) -> kill-chain procedures that show the same behaviour;
# "amplify" stands for the platform's 6.2.x step
DISARM_STEPS: dict[str, tuple[str, ...]] = {
    "T0049": ("amplify",),
    "T0049.002": ("6.3.1",),
    "T0049.003": ("3.5.1", "amplify"),
    "T0118": ("amplify",),
    "T0116": ("7.3.3",),
    "T0122": ("9.2.3",),
    "T0098": ("1.3.1",),
    "T0097": ("1.2.8",),
    "T0143.003": ("1.5.1",),
    "T0146": ("amplify",),
    "T0150.001": ("amplify",),
    "T0151.002": ("7.3.2",),
    "T0151.003": ("1.3.1",),
    "T0130": ("5.5.1",),
}
