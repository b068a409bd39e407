"""Declared parameters: one type for every tunable of every stage.

Why declared: the CLI flags, the TOML keys, params.json and the docs are generated from these
declarations, so a parameter cannot exist in one place and be missing from another, and a bad
value is refused with a message that names the parameter, the value and what was expected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lockstep.errors import UserError


@dataclass(frozen=True)
class Param:
    """One declared parameter: its type, default, help and constraints."""

    name: str
    type: type
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    optional: bool = False  # None allowed
    check: Callable[[Any], str | None] | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def coerce(self, value: Any, where: str) -> Any:
        """Convert ``value`` (from TOML, a flag, a preset) to the declared type, or raise
        a UserError that names the parameter, the value and what was expected."""
        if value is None:
            if self.optional:
                return None
            raise UserError(f"{where}: parameter {self.name} needs a value")
        try:
            if self.type is list:
                out: Any = [s.strip() for s in value.split(",") if s.strip()] if isinstance(value, str) \
                    else [str(v) for v in value]
            elif self.type is bool:
                if not isinstance(value, (bool, int, str)):
                    raise ValueError(value)
                if isinstance(value, str):
                    if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
                        raise ValueError(value)
                    out = value.lower() in ("true", "1", "yes")
                else:
                    out = bool(value)
            elif self.type is int and isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            elif self.type is str and not isinstance(value, (str, int, float)):
                raise ValueError(value)
            elif self.type in (int, float) and not isinstance(value, (int, float, str)) \
                    or self.type in (int, float) and isinstance(value, bool):
                raise ValueError(value)
            else:
                out = self.type(value)
        except (TypeError, ValueError):
            raise UserError(f"{where}: {self.name}={value!r} is not a valid {self.type.__name__}") from None
        self.validate(out, where)
        return out

    def validate(self, value: Any, where: str = "settings") -> None:
        if value is None and self.optional:
            return
        if self.choices is not None:
            vals = value if isinstance(value, list) else [value]
            bad = [v for v in vals if v not in self.choices]
            if bad:
                raise UserError(f"{where}: {self.name}={bad[0]!r} is not one of {', '.join(self.choices)}")
        if self.min is not None and value < self.min:
            raise UserError(f"{where}: {self.name}={value!r} must be >= {self.min}")
        if self.max is not None and value > self.max:
            raise UserError(f"{where}: {self.name}={value!r} must be <= {self.max}")
        if self.check is not None:
            msg = self.check(value)
            if msg:
                raise UserError(f"{where}: {self.name}={value!r}: {msg}")
