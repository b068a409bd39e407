"""The account-signal interface: small classes registered by name, each with a plain-words
explanation, each turning the workspace tables into per-account findings.

Why findings and not a single bot score: an investigator (and a platform's appeal team)
must be able to read *why* an account was flagged, number by number. Each finding has a
``strength`` in [0, 1] (how strongly it points to a fake, automated or operated account)
and a sentence that says what was seen. Scoring (``lockstep.roles``) weighs findings;
signals never decide anything on their own.

Signals reach the data only through the named queries of ``lockstep.store.queries``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

from lockstep.errors import UserError
from lockstep.params import Param
from lockstep.registry import Registry
from lockstep.store.queries.base import has_rows
from lockstep.store.workspace import Workspace

# Signals whose evidence is the content of posts (text, themes). Content is context:
# scoring never flags an account on these alone.
CONTENT_SIGNALS: frozenset[str] = frozenset({"shared_domains", "news_persona"})


@dataclass(frozen=True)
class Finding:
    """One thing a signal saw about one account."""

    account_id: str
    signal: str
    strength: float  # 0 = nothing unusual, 1 = as strong as this signal gets
    text: str  # plain words, with the numbers
    value: dict[str, Any] = field(default_factory=dict)  # the numbers behind ``text``

    def to_dict(self) -> dict[str, Any]:
        return {"signal": self.signal, "strength": round(self.strength, 3), "text": self.text,
                "value": self.value}


class AccountSignal:
    """Base class. Subclasses set ``name``, ``explanation``, ``parameters`` (declared
    :class:`~lockstep.params.Param`) and implement :meth:`compute`. Parameters are data: the
    constructor only checks and stores them."""

    name: ClassVar[str] = ""
    explanation: ClassVar[str] = ""
    parameters: ClassVar[tuple[Param, ...]] = ()
    # tables the signal needs; a signal is skipped when they are empty
    needs: ClassVar[tuple[str, ...]] = ("accounts",)

    def __init__(self, **params: Any) -> None:
        declared = {p.name: p for p in self.parameters}
        unknown = set(params) - set(declared)
        if unknown:
            raise UserError(f"signal {self.name}: unknown parameter(s) {sorted(unknown)};"
                            f" expected some of {sorted(declared)}")
        where = f"account signal {self.name}"
        self.params: dict[str, Any] = {
            n: (p.coerce(params[n], where) if n in params else p.default) for n, p in declared.items()}

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Parameter name -> default value."""
        return {p.name: p.default for p in cls.parameters}

    def compute(self, ws: Workspace) -> list[Finding]:  # pragma: no cover - interface
        raise NotImplementedError

    def applicable(self, ws: Workspace) -> bool:
        return all(has_rows(ws, t) for t in self.needs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({json.dumps(self.params, default=str)})"


REGISTRY: Registry[type[AccountSignal]] = Registry("account signal")


def register(cls: type[AccountSignal]) -> type[AccountSignal]:
    """Class decorator: make a signal available by its name (CLI, storage keys, docs)."""
    if not cls.name or not cls.explanation:
        raise TypeError(f"{cls.__name__} needs a name and an explanation")
    return REGISTRY.add(cls)


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


__all__ = ["CONTENT_SIGNALS", "REGISTRY", "AccountSignal", "Finding", "Param", "has_rows", "pct", "register"]
