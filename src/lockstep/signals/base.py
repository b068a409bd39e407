"""Signals: small classes, registered by name, each declaring the parameters it reads and
carrying a small example world that shows what it links.

Why declared parameters: the CLI flags, the TOML keys, the docs and the replay record are
all generated from these declarations, so a parameter cannot exist in one place and be
missing from another. A signal only *describes* its work to an engine (which actions,
which item, which window) and never touches a database itself.

Why an example on every signal: the conformance tests (tests/engine/test_signal_conformance.py) run
each registered signal on its own example, on empty input and twice, on every engine, so a
new signal is tested the moment it is registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from lockstep.engine.base import Engine, Rel
from lockstep.model import ACTIONS
from lockstep.params import Param
from lockstep.registry import Registry

if TYPE_CHECKING:
    from lockstep.detect.settings import DetectSettings

T0 = datetime(2019, 8, 1, 12, 0, 0)


def act(action_id: str, account: str, kind: str, seconds: float, **fields: Any) -> dict[str, Any]:
    """One canonical action row for an example: ``seconds`` after a fixed start."""
    row: dict[str, Any] = {n: None for n in ACTIONS.names}
    row.update(platform="twitter", action_id=action_id, account_id=account, kind=kind,
               timestamp=T0 + timedelta(seconds=seconds), time_precision="s", urls=[], hashtags=[],
               mentions=[], source_file="example", source_line=0)
    row.update(fields)
    return row


@dataclass(frozen=True)
class Example:
    """A small world on which a signal, run with ``params`` and nothing pruned, links exactly
    the account pairs ``linked`` (unordered, as sorted tuples)."""

    actions: tuple[dict[str, Any], ...]
    linked: frozenset[tuple[str, str]]
    params: Mapping[str, Any] = field(default_factory=dict)


class Signal:
    """Base class: subclasses set ``name``, ``help``, ``params``, ``example`` and implement ``run``."""

    name: ClassVar[str] = ""
    help: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    params: ClassVar[tuple[Param, ...]] = ()
    example: ClassVar[Example]

    def __init__(self, settings: DetectSettings) -> None:
        self.settings = settings  # only read, never changed

    def run(self, engine: Engine) -> Rel | None:
        """Account edges for this signal (see :mod:`lockstep.engine.base`), or None."""
        raise NotImplementedError


#: every signal, by name and alias
REGISTRY: Registry[type[Signal]] = Registry("signal")
register = REGISTRY.register
resolve = REGISTRY.resolve
