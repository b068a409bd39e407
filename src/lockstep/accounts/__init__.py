"""Account signals: per-account evidence that an account is fake, automated or operated.

Each signal is a small class registered by name on ``REGISTRY`` (a
``lockstep.registry.Registry("account signal")``) with a plain-words explanation and declared
parameters (``lockstep.params.Param``); :func:`compute_findings` runs them over a workspace
and groups the findings by account. Import this package to get every built-in signal
registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from typing import Any

from lockstep.accounts import activity, infrastructure, persona, profile  # noqa: F401 - registers
from lockstep.accounts.base import CONTENT_SIGNALS, REGISTRY, AccountSignal, Finding, register
from lockstep.params import Param
from lockstep.store.queries.parallel import run_parallel
from lockstep.store.workspace import Workspace

__all__ = ["CONTENT_SIGNALS", "REGISTRY", "AccountSignal", "Finding", "account_signal_params",
           "compute_findings", "explain_signals", "group_findings", "register", "signal_tasks"]


def compute_findings(ws: Workspace, names: list[str] | None = None,
                     params: dict[str, dict[str, Any]] | None = None) -> dict[str, list[Finding]]:
    """Run the named signals (all by default) and return findings grouped by account id.

    ``params`` maps a signal name to its parameter overrides. Signals whose tables are empty
    (no access log, no actions) are skipped rather than reporting nothing as evidence. The
    signals run side by side (``queries.parallel``), each on a cursor of its own; findings are
    grouped in signal order, as one after another would give them."""
    return group_findings(run_parallel(ws, signal_tasks(names, params)))


def signal_tasks(names: list[str] | None = None, params: dict[str, dict[str, Any]] | None = None
                 ) -> list[Callable[[Workspace], list[Finding]]]:
    """One task per named signal (all by default), in registry order: the signal's findings on
    the workspace given, or none when its tables are empty. Signals are made (and their
    parameters checked) here, before any runs."""
    params = params or {}
    sigs = [REGISTRY.resolve(name)(**params.get(name, {})) for name in names or REGISTRY.names()]
    return [partial(_run_signal, sig) for sig in sigs]


def _run_signal(sig: AccountSignal, ws: Workspace) -> list[Finding]:
    return sig.compute(ws) if sig.applicable(ws) else []


def group_findings(per_signal: Iterable[list[Finding]]) -> dict[str, list[Finding]]:
    """Findings grouped by account id, each account's in the order of the signals given."""
    out: dict[str, list[Finding]] = {}
    for found in per_signal:
        for f in found:
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
