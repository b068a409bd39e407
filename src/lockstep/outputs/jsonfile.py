"""JSON files of the output folder, written at C speed and still readable.

Why not ``json.dumps(obj, indent=2)``: with an indent, Python's json module falls back to its
pure-Python encoder, about ten times slower than the C one; on a 10M-action world the 280 MB
account_evidence.json took 7-8 s of a detect run that way. Here the top ``depth`` levels of
containers are laid out exactly as ``indent=2`` lays them out (a key per line), and every
value below them is written on one line by the C encoder (``", "`` and ``": "`` separators).
With ``depth=None`` the output is byte-identical to ``json.dumps(obj, indent=2)``. Either way
the file parses to the same data: only whitespace differs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


class LazyObject:
    """A JSON object whose values are made only as they are written: ``pairs`` yields (key,
    value) in order, and each value can be dropped once written. Why: account_evidence.json's
    65k records (1.6M dicts on a 10M-action world) need not all be alive at once. Written
    once: the pairs are consumed."""

    def __init__(self, pairs: Iterable[tuple[str, Any]]) -> None:
        self.pairs = pairs


def _default(obj: Any) -> Any:
    """Dates, paths and other values the result objects carry are written as their text (as
    the writer always did); a :class:`LazyObject` below the indented levels as its dict."""
    return dict(obj.pairs) if isinstance(obj, LazyObject) else str(obj)


# ensure_ascii=False: names and texts stay readable
_ONE_LINE = json.JSONEncoder(ensure_ascii=False, default=_default)
_INDENTED = json.JSONEncoder(ensure_ascii=False, default=_default, indent=2)


def json_chunks(obj: Any, depth: int | None) -> Iterator[str]:
    """``obj`` as JSON text, in pieces: containers at levels below ``depth`` (the root is
    level 0) broken into indented lines, everything deeper one value per line."""
    if depth is None:
        yield from _INDENTED.iterencode(obj)
        return
    yield from _chunks(obj, 0, depth)


def _chunks(obj: Any, level: int, depth: int) -> Iterator[str]:
    if isinstance(obj, LazyObject):
        yield from _lazy_chunks(obj, level, depth)
        return
    if level >= depth or not obj or not isinstance(obj, (dict, list, tuple)):
        yield _ONE_LINE.encode(obj)
        return
    pad = "\n" + "  " * (level + 1)
    if isinstance(obj, dict):
        if not all(isinstance(k, str) for k in obj):  # json's own key conversion, on one line
            yield _ONE_LINE.encode(obj)
            return
        sep = "{" + pad
        for k, v in obj.items():
            yield sep + _ONE_LINE.encode(k) + ": "
            yield from _chunks(v, level + 1, depth)
            sep = "," + pad
        yield "\n" + "  " * level + "}"
    else:
        sep = "[" + pad
        for v in obj:
            yield sep
            yield from _chunks(v, level + 1, depth)
            sep = "," + pad
        yield "\n" + "  " * level + "]"


def _lazy_chunks(obj: LazyObject, level: int, depth: int) -> Iterator[str]:
    if level >= depth:
        yield _ONE_LINE.encode(obj)
        return
    pad = "\n" + "  " * (level + 1)
    sep = "{" + pad
    for k, v in obj.pairs:
        yield sep + _ONE_LINE.encode(k) + ": "
        yield from _chunks(v, level + 1, depth)
        sep = "," + pad
    yield "{}" if sep.startswith("{") else "\n" + "  " * level + "}"


def write_json(obj: Any, path: Path, depth: int | None = None) -> None:
    """Write ``obj`` to ``path`` (UTF-8, newline at the end); ``depth`` as in :func:`json_chunks`.

    Pieces are joined in batches so a 280 MB file is never one string in memory twice."""
    with path.open("w", encoding="utf-8") as fh:
        batch: list[str] = []
        size = 0
        for piece in json_chunks(obj, depth):
            batch.append(piece)
            size += len(piece)
            if size > 1 << 22:
                fh.write("".join(batch))
                batch, size = [], 0
        batch.append("\n")
        fh.write("".join(batch))
