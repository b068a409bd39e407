"""The roles stage's parameters, declared once (:class:`lockstep.params.Param`).

Each is a detect parameter named ``roles_<name>`` (flag ``--roles-<name>``; in TOML either
``roles_<name>`` in ``[detect]`` or ``<name>`` in a ``[detect.roles]`` table), and is
recorded in params.json with the rest. Why these defaults: docs/roles.md.
"""

from __future__ import annotations

from typing import Any

from lockstep.params import Param

PREFIX = "roles_"

ROLES_PARAMS: tuple[Param, ...] = (
    Param("expand_min_share", float, 0.5, "Expansion: an account joins a campaign when at least"
          " this share of its actions engage the campaign's core.", min=0, max=1),
    Param("expand_rounds", int, 6, "Expansion: rounds of growing campaigns to a fixed point.", min=0),
    Param("burst_min_engaging", int, 5, "Creation bursts: accounts of one creation bin that engage"
          " the core before the bin counts as the operation's.", min=1),
    Param("burst_min_share", float, 0.25, "Creation bursts: share of a bin's accounts that engage"
          " the core.", min=0, max=1),
    Param("burst_min_lift", float, 5.0, "Creation bursts: how many times the base rate of engaging"
          " the core a bin must reach.", min=0),
    Param("burst_min_action_lift", float, 20.0, "Creation bursts: an account of such a bin joins when"
          " its share of actions on the core is this many times the organic rate.", min=0),
    Param("sync_window_s", int, 120, "Synchrony with the core: seconds after the core acted on an"
          " item.", min=1),
    Param("sync_min_items", int, 3, "Synchrony with the core: items acted on in sync, at least.", min=1),
    Param("sync_max_log10_p", float, -6.0, "Synchrony with the core: log10 of the chance probability"
          " an account must stay under to be grown into the core.", max=0),
)

DEFAULTS: dict[str, Any] = {**{p.name: p.default for p in ROLES_PARAMS}, "signals": {}}


def detect_params() -> tuple[Param, ...]:
    """The roles parameters as detect parameters (``roles_`` prefix)."""
    return tuple(Param(PREFIX + p.name, p.type, p.default, p.help, p.choices, p.min, p.max, p.optional,
                       p.check) for p in ROLES_PARAMS)


def from_record(record: dict[str, Any], signals: dict[str, Any] | None = None) -> dict[str, Any]:
    """The roles parameters held in a detect settings record (``roles_*`` keys)."""
    out = {p.name: record.get(PREFIX + p.name, p.default) for p in ROLES_PARAMS}
    out["signals"] = dict(signals or {})
    return out
