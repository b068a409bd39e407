"""Typed errors, mapped to exit codes in one place.

A user never sees a traceback for their own mistake: the CLI catches
``LockstepError`` and prints its one-line message; anything else is a bug.
"""

from __future__ import annotations


class LockstepError(Exception):
    """Base class of every error lockstep expects and explains."""

    exit_code = 1


class UserError(LockstepError):
    """The user asked for something impossible (bad flag, missing workspace, unknown id)."""

    exit_code = 2


class DataError(LockstepError):
    """An input file cannot be read at all (unknown format, unreadable, wrong layout)."""

    exit_code = 3


class EngineError(LockstepError):
    """The query engine failed (out of disk, corrupt workspace)."""

    exit_code = 4

