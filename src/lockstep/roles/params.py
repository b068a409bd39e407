"""The roles stage's parameters, declared once (:class:`lockstep.params.Param`).

Each is a detect parameter named ``roles_<name>`` (flag ``--roles-<name>``; in TOML either
``roles_<name>`` in ``[detect]`` or ``<name>`` in a ``[detect.roles]`` table), and is
recorded in params.json with the rest. The account signals' parameters (declared on each
signal, :func:`lockstep.accounts.account_signal_params`) are detect parameters too, named
``account_<signal>_<param>`` (TOML: ``<param>`` in a ``[detect.roles.signals.<signal>]``
table). Why these defaults: docs/roles.md.
"""

from __future__ import annotations

from dataclasses import replace
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
    Param("burst_min_ratio", float, 5.0, "Creation bursts: a bin must hold this many times the usual"
          " number of accounts created per bin within 30 days either side (plus one): a burst, not a steady"
          " stream.", min=0),
    Param("burst_min_action_lift", float, 20.0, "Creation bursts: an account of such a bin joins when"
          " its share of actions on the core is this many times the organic rate.", min=0),
    Param("sync_window_s", int, 120, "Synchrony with the core: seconds after the core acted on an"
          " item.", min=1),
    Param("sync_min_items", int, 3, "Synchrony with the core: items acted on in sync, at least.", min=1),
    Param("infra_min_engaging", int, 10, "Infrastructure entry: accounts engaging the core that an IP,"
          " network or device must be used by.", min=1),
    Param("infra_min_share", float, 0.8, "Infrastructure entry: share of a value's users that engage the"
          " core.", min=0, max=1),
    Param("infra_min_lift", float, 10.0, "Infrastructure entry: how many times the base rate (accounts"
          " elsewhere engaging the core) that share must reach, or how many times fewer than elsewhere its"
          " non-engagers must be (the reachable one when the core is popular).", min=0),
    Param("wave_window_s", int, 3600, "Fast-engagement entry: seconds after a core post within which an"
          " engagement counts as part of a wave.", min=1),
    Param("sync_max_log10_p", float, -6.0, "Synchrony with the core: log10 of the chance probability"
          " an account must stay under to be grown into the core.", max=0),
)

DEFAULTS: dict[str, Any] = {**{p.name: p.default for p in ROLES_PARAMS}, "signals": {}}


def _account_params() -> dict[str, tuple[str, str, Param]]:
    """detect name -> (signal, parameter, declaration) for every account signal parameter."""
    from lockstep.accounts import account_signal_params

    out = {}
    for qualified, p in account_signal_params().items():
        sig, name = qualified.split(".", 1)
        out[account_param_name(sig, name)] = (sig, name, p)
    return out


def account_param_name(signal: str, param: str) -> str:
    return f"{ACCOUNT_PREFIX}{signal}_{param}"


ACCOUNT_PREFIX = "account_"


def detect_params() -> tuple[Param, ...]:
    """The roles parameters (``roles_`` prefix) and the account signals' parameters
    (``account_<signal>_<param>``) as detect parameters."""
    own = [replace(p, name=PREFIX + p.name) for p in ROLES_PARAMS]
    acct = [replace(p, name=name, help=f"Account signal {sig}: {p.help}")
            for name, (sig, _, p) in _account_params().items()]
    return tuple(own + acct)


def from_record(record: dict[str, Any]) -> dict[str, Any]:
    """The roles parameters held in a detect settings record: ``roles_*`` keys, and the
    account signals' values under ``signals`` (signal -> parameter -> value)."""
    out: dict[str, Any] = {p.name: record.get(PREFIX + p.name, p.default) for p in ROLES_PARAMS}
    signals: dict[str, dict[str, Any]] = {}
    for name, (sig, param, p) in _account_params().items():
        signals.setdefault(sig, {})[param] = record.get(name, p.default)
    out["signals"] = signals
    return out
