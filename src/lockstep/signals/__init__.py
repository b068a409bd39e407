"""Coordination signals, registered by name (see :mod:`lockstep.signals.base`)."""

from __future__ import annotations

from lockstep.params import Param
from lockstep.signals import co_repost_author, coaction, fast_repost, slow_repost  # noqa: F401  (registration)
from lockstep.signals.base import REGISTRY, Example, Signal, register, resolve

# co_repost_author only acts on reposts without a post id, and reports nothing when there are none.
DEFAULT_SIGNALS = ("co_repost", "co_link", "co_text", "co_reply", "co_hashtag_sequence", "fast_repost",
                   "co_repost_author", "co_repost_slow")

__all__ = ["DEFAULT_SIGNALS", "REGISTRY", "Example", "Param", "Signal", "register", "resolve"]
