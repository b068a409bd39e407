"""Signals: small classes, registered by name, each declaring the parameters it reads.

Why declared parameters: the CLI flags, the TOML keys, the docs and the replay record are
all generated from these declarations, so a parameter cannot exist in one place and be
missing from another. A signal only *describes* its work to an engine (which actions,
which item, which window) and never touches a database itself.
"""

from __future__ import annotations

from typing import Any, ClassVar

from lockstep.engine.base import Engine, Rel
from lockstep.errors import UserError
from lockstep.params import Param


class Signal:
    """Base class: subclasses set ``name``, ``help``, ``params`` and implement ``run``."""

    name: ClassVar[str] = ""
    help: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    params: ClassVar[tuple[Param, ...]] = ()

    def __init__(self, settings: Any) -> None:
        self.settings = settings  # a DetectSettings; only read, never changed

    def run(self, engine: Engine) -> Rel | None:
        """Account edges for this signal (see :mod:`lockstep.engine.base`), or None."""
        raise NotImplementedError


REGISTRY: dict[str, type[Signal]] = {}
ALIASES: dict[str, str] = {}


def register(cls: type[Signal]) -> type[Signal]:
    """Class decorator: make a signal known by its name (and aliases)."""
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"signal name {cls.name!r} empty or taken")
    REGISTRY[cls.name] = cls
    for alias in cls.aliases:
        ALIASES[alias] = cls.name
    return cls


def resolve(name: str) -> type[Signal]:
    """The signal class for a name or alias (UserError when unknown)."""
    key = ALIASES.get(name, name)
    if key not in REGISTRY:
        known = ", ".join(sorted([*REGISTRY, *ALIASES]))
        raise UserError(f"unknown signal {name!r} (known: {known})")
    return REGISTRY[key]
