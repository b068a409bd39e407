"""Pausing Python's cycle collector around stages that make millions of short-lived objects.

Why: the roles stage and the output writer each build millions of dicts, lists and tuples while
hundreds of thousands of others stay alive (the detection result, the records being written);
every full collection walks all of them again. On the 10M-action world that was 18 of 97 CPU-s
of the roles stage and 7.7 of 8.9 s of building the account evidence records. Reference
counting still frees everything that is not in a cycle; cycles wait for the collector's next
pass once the stage is over.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The collector off inside, back as it was on the way out (errors included)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
