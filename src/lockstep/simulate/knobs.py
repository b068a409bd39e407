"""The simulator's knobs: how hard the operation tries to look organic, and which authentic
look-alike communities share the platform with it.

Why declared with :class:`lockstep.params.Param`: the CLI flags, the manifest (``world.json``)
and the docs name the same knobs, and a bad value is refused with one line that names the flag,
the value and what was expected. Every new knob defaults to "off", so a world without knobs is
byte-identical to the world before the knob existed (tests/simulate/test_determinism.py).

``TACTICS`` names the settings the evaluation bench uses for each tactic (``--tactics NAME,...``
on ``lockstep simulate``), so "slowed resharing" means the same world in the bench, the tests
and a user's shell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from lockstep.errors import UserError
from lockstep.params import Param


def _shifts(v: Any) -> str | None:
    return None if v == 0 or 2 <= v <= 4 else "0 (office hours) or 2-4 shift groups"


KNOB_PARAMS: tuple[Param, ...] = (
    Param("jitter", float, 20.0, "Mean seconds of random delay on the operation's synchronised actions.",
          min=0.0, max=86_400.0),
    Param("paraphrase_rate", float, 0.3, "Share of templated operation posts reworded instead of copied.",
          min=0.0, max=1.0),
    Param("client_mix", float, 0.15, "Share of operation actions from the organic mix of clients/devices.",
          min=0.0, max=1.0),
    Param("infra_spread", float, 0.25, "Share of operation logins via VPNs/ISPs shared with organic users.",
          min=0.0, max=1.0),
    Param("camouflage", float, 0.3, "Share of operator reposts spent on popular organic posts.", min=0.0, max=1.0),
    Param("slow_reshare", float, 0.0, "Share of the operation's reshares of its own core posted 2-60 minutes"
          " after the post instead of seconds (templated bursts spread over an hour too).", min=0.0, max=1.0),
    Param("shifts", int, 0, "0: office hours in Beijing; N (2-4): N disjoint operator groups in rotating"
          " 24/N-hour shifts, 24/7, the rota moving on every week.", check=_shifts),
    Param("camouflage_offhours", float, 0.0, "Operators also reshare popular organic posts outside their"
          " working hours, every day; 1 = as many off-hours as on-duty reposts.", min=0.0, max=1.0),
    Param("residential_proxy", float, 0.0, "Share of operation logins through residential proxies: home"
          " IPs of ordinary users, who log in from them too.", min=0.0, max=1.0),
    Param("steady_amplifiers", float, 0.0, "Share of amplifiers created steadily over months with aged-looking"
          " profiles (bios, followers, warm-up posts) instead of in creation bursts.", min=0.0, max=1.0),
    Param("unique_text", float, 0.0, "Share of operation posts written as fresh paraphrases; 1 = no exact"
          " duplicate text anywhere in the operation.", min=0.0, max=1.0),
    Param("fans", float, 0.0, "Size of an authentic fan community (1 = 600 fans of one idol at scale 1)"
          " running reshare storms within seconds.", min=0.0, max=10.0),
    Param("newsbots", float, 0.0, "Size of a population of authentic news aggregator bots (1 = 30 at"
          " scale 1) reposting outlets within seconds from one client.", min=0.0, max=10.0),
)
PARAMS = {p.name: p for p in KNOB_PARAMS}

TACTICS: dict[str, dict[str, float]] = {
    "slow": {"slow_reshare": 1.0},
    "shifts": {"shifts": 3},
    "camouflage": {"camouflage": 0.7, "camouflage_offhours": 0.6},
    "proxies": {"residential_proxy": 0.9, "infra_spread": 0.1},
    "steady": {"steady_amplifiers": 1.0},
    "unique": {"unique_text": 1.0},
    "fans": {"fans": 1.0},
    "newsbots": {"newsbots": 1.0},
}


def tactics_knobs(spec: str) -> dict[str, float]:
    """Knob settings for ``--tactics a,b`` (``all`` = every tactic and both look-alikes)."""
    names = [s.strip() for s in spec.split(",") if s.strip()]
    if names == ["all"]:
        names = list(TACTICS)
    out: dict[str, float] = {}
    for n in names:
        if n not in TACTICS:
            raise UserError(f"--tactics: unknown tactic {n!r} (known: all, {', '.join(TACTICS)})")
        out.update(TACTICS[n])
    return out


@dataclass(frozen=True)
class Knobs:
    """Evasion knobs and look-alike populations (see ``KNOB_PARAMS`` for each one's meaning)."""

    jitter: float = 20.0
    paraphrase_rate: float = 0.3
    client_mix: float = 0.15
    infra_spread: float = 0.25
    camouflage: float = 0.3
    slow_reshare: float = 0.0
    shifts: int = 0
    camouflage_offhours: float = 0.0
    residential_proxy: float = 0.0
    steady_amplifiers: float = 0.0
    unique_text: float = 0.0
    fans: float = 0.0
    newsbots: float = 0.0

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> "Knobs":
        """Knobs from loose values (flags, a manifest): unknown names and bad values are a UserError."""
        known = {f.name for f in fields(cls)}
        bad = sorted(set(values) - known)
        if bad:
            raise UserError(f"unknown simulator knob {bad[0]!r} (known: {', '.join(sorted(known))})")
        return cls(**{k: PARAMS[k].coerce(v, PARAMS[k].flag) for k, v in values.items() if v is not None})

    def validate(self) -> None:
        for p in KNOB_PARAMS:
            v = getattr(self, p.name)
            if isinstance(v, float) and math.isnan(v):
                raise UserError(f"{p.flag}: {p.name}=nan is not a number")
            p.validate(v, p.flag)
