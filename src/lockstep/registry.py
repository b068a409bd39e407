"""One registry for every pluggable kind: signals, account signals, formats, engines, presets.

Why one class: a name is derived once (the ``name`` attribute of what is registered, or the
name given), aliases resolve the same way everywhere, a duplicate is refused the moment the
second module is imported (so a clash fails at start-up, not on the one run that hits it),
and an unknown name is the same clear ``UserError`` naming the kind and what is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from lockstep.errors import UserError

T = TypeVar("T")


class RegistryError(TypeError):
    """A programming error found at import time: empty or duplicate name."""


class Registry(Generic[T]):
    """Named objects of one kind (classes or instances), in registration order."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._aliases: dict[str, str] = {}

    def add(self, obj: T, name: str | None = None, aliases: tuple[str, ...] = ()) -> T:
        """Register ``obj`` under ``name`` (default: ``obj.name``) and its aliases."""
        key = name if name is not None else getattr(obj, "name", "")
        if not isinstance(key, str) or not key:
            raise RegistryError(f"{self.kind} {obj!r} has no name")
        aliases = tuple(aliases) or tuple(getattr(obj, "aliases", ()) or ())
        for k in (key, *aliases):
            if k in self._items or k in self._aliases:
                raise RegistryError(f"{self.kind} name {k!r} registered twice")
        self._items[key] = obj
        for a in aliases:
            self._aliases[a] = key
        return obj

    def register(self, obj: T) -> T:
        """Decorator form of :meth:`add` for objects that carry their own ``name``."""
        return self.add(obj)

    def named(self, name: str, aliases: tuple[str, ...] = ()) -> Callable[[T], T]:
        """Decorator registering under an explicit name."""
        def deco(obj: T) -> T:
            return self.add(obj, name, aliases)
        return deco

    def canonical(self, name: str) -> str:
        """The registered name for ``name`` or one of its aliases (UserError when unknown)."""
        key = self._aliases.get(name, name)
        if key not in self._items:
            known = ", ".join(sorted([*self._items, *self._aliases]))
            raise UserError(f"unknown {self.kind} {name!r} (known: {known})")
        return key

    def resolve(self, name: str) -> T:
        """The object registered as ``name`` (or an alias of it)."""
        return self._items[self.canonical(name)]

    def get(self, name: str) -> T | None:
        key = self._aliases.get(name, name)
        return self._items.get(key)

    def names(self) -> list[str]:
        return list(self._items)

    def aliases(self) -> dict[str, str]:
        return dict(self._aliases)

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    def values(self) -> list[T]:
        return list(self._items.values())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._items or name in self._aliases)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, name: str) -> T:
        return self.resolve(name)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {self.names()})"
