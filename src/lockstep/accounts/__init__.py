"""Account signals: per-account evidence that an account is fake, automated or operated.

Each signal is a small class registered by name on ``REGISTRY`` (a
``lockstep.registry.Registry("account signal")``) with a plain-words explanation and declared
parameters (``lockstep.params.Param``); :func:`compute_findings` runs them over a workspace
and groups the findings by account. Import this package to get every built-in signal
registered.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lockstep.accounts import activity, infrastructure, persona, profile  # noqa: F401 - registers
from lockstep.accounts.base import CONTENT_SIGNALS, REGISTRY, AccountSignal, Finding, register
from lockstep.params import Param
from lockstep.store.workspace import Workspace

__all__ = ["CONTENT_SIGNALS", "REGISTRY", "AccountSignal", "Finding", "account_signal_params",
           "compute_findings", "explain_signals", "register"]


def compute_findings(ws: Workspace, names: list[str] | None = None,
                     params: dict[str, dict[str, Any]] | None = None) -> dict[str, list[Finding]]:
    """Run the named signals (all by default) and return findings grouped by account id.

    ``params`` maps a signal name to its parameter overrides. Signals whose tables are empty
    (no access log, no actions) are skipped rather than reporting nothing as evidence."""
    params = params or {}
    out: dict[str, list[Finding]] = {}
    for name in names or REGISTRY.names():
        sig = REGISTRY.resolve(name)(**params.get(name, {}))
        if not sig.applicable(ws):
            continue
        for f in sig.compute(ws):
            out.setdefault(f.account_id, []).append(f)
    return out


def account_signal_params() -> dict[str, Param]:
    """Every account signal's declared parameters, keyed ``<signal>.<param>`` (for example
    ``working_hours.min_share``); each Param carries that qualified name, so a TOML table
    ``[detect.roles.signals.working_hours]`` or a flag can be validated with a message that
    names it."""
    return {f"{sig}.{p.name}": replace(p, name=f"{sig}.{p.name}")
            for sig, cls in REGISTRY.items() for p in cls.parameters}


def explain_signals() -> dict[str, str]:
    """Name -> plain-words explanation of every registered signal (for docs and the CLI)."""
    return {name: cls.explanation for name, cls in REGISTRY.items()}
