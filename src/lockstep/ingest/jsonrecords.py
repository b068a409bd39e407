"""JSON records with their exact source lines, whatever the layout: JSONL, a pretty-printed
document (or several, one after another, as ``jq .`` writes them), or an array of records.

Why one iterator for every layout: the formats (twarc2, Jetstream, Twitter v1.1, Mastodon,
Telegram) only see ``(line, object)``, and every layout problem becomes a quarantine row
naming the line and the reason instead of a traceback or a lost record: invalid UTF-8 or
JSON, nesting too deep for the parser, a record over :data:`MAX_RECORD_BYTES`, a value that
is not an object. A byte-order mark and blank lines are skipped. Containers named by a
format (Telegram's ``messages``) are opened so each element is one record with its own line;
the members read before it are passed along as context.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from lockstep.errors import DataError
from lockstep.ingest.quarantine import Quarantine
from lockstep.ingest.source import SourceFile, open_binary

MAX_RECORD_BYTES = 64 << 20  # one JSON line or element; larger ones are quarantined
MAX_DOCUMENT_BYTES = 2 << 30  # a pretty-printed document is parsed in memory
_DECODER = json.JSONDecoder()
_WS = " \t\r\n"
Gen = Generator["Record | None", None, int]  # records; returns the position after them (-1: gave up)


@dataclass
class Record:
    """One JSON object and where it starts; ``context``: members of the enclosing document."""

    line: int
    obj: dict[str, Any]
    raw: str
    context: dict[str, Any] = field(default_factory=dict)


def layout(src: SourceFile) -> str:
    """``jsonl`` when the first non-blank line is one whole JSON value, else ``document``."""
    with open_binary(src) as fh:
        for raw in fh:
            text = raw.decode("utf-8", "replace").lstrip("\ufeff").strip()
            if not text:
                continue
            if text.startswith("["):
                return "document"
            try:
                json.loads(text)
            except (ValueError, RecursionError):
                return "document" if text in ("{", "[") or not text.endswith("}") else "jsonl"
            return "jsonl"
    return "jsonl"


def first_record(src: SourceFile) -> dict[str, Any] | None:
    """The first JSON object of the file (for format detection), or None."""
    sink = _NullQuarantine()
    for rec in iter_records(src, sink, expand=("messages",)):  # type: ignore[arg-type]
        if rec is not None:
            return {**rec.context, **rec.obj} if rec.context else rec.obj
        if sink.n > 3:
            return None
    return None


def iter_records(src: SourceFile, quarantine: Quarantine,
                 expand: tuple[str, ...] = ()) -> Iterator[Record | None]:
    """Each record (None for one that was quarantined), in file order."""
    if layout(src) == "jsonl":
        yield from _jsonl(src, quarantine)
    else:
        yield from _document(src, quarantine, expand)


def _jsonl(src: SourceFile, quarantine: Quarantine) -> Iterator[Record | None]:
    with open_binary(src) as fh:
        for n, raw in enumerate(fh, start=1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            if len(raw) > MAX_RECORD_BYTES:
                quarantine.add(n, None, f"huge record: {len(raw):,} bytes > {MAX_RECORD_BYTES:,}",
                               raw[:4096].decode("utf-8", "replace"))
                yield None
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                quarantine.add(n, None, f"invalid UTF-8 at byte {exc.start}", raw.decode("utf-8", "replace"))
                yield None
                continue
            yield _one(n, text.rstrip("\r\n"), quarantine)


def _one(n: int, text: str, quarantine: Quarantine) -> Record | None:
    try:
        obj = json.loads(text)
    except ValueError as exc:
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        col = f" (column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        quarantine.add(n, None, f"invalid JSON: {msg}{col}", text)
        return None
    except RecursionError:
        quarantine.add(n, None, "JSON nested too deeply to read", text)
        return None
    if not isinstance(obj, dict):
        quarantine.add(n, None, f"not a JSON object (a {type(obj).__name__})", text)
        return None
    return Record(n, obj, text)


class _Doc:
    """A whole document in memory with a line index for offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._nl = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self._nl, pos) + 1

    def skip(self, pos: int) -> int:
        t = self.text
        while pos < len(t) and t[pos] in _WS:
            pos += 1
        return pos


def _document(src: SourceFile, quarantine: Quarantine, expand: tuple[str, ...]) -> Iterator[Record | None]:
    with open_binary(src) as fh:
        data = fh.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DataError(f"{src.path}: a JSON document over {MAX_DOCUMENT_BYTES >> 30} GiB;"
                        " convert it to JSONL (one record per line), e.g. with `jq -c '.[]'`")
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"{src.path}: line {line}: invalid UTF-8 at byte {exc.start}"
                        " (use --encoding NAME for another encoding)") from None
    del data
    doc = _Doc(text)
    pos = doc.skip(0)
    while pos < len(text):
        if text[pos] == "[":
            pos = yield from _array(doc, pos, quarantine, {})
        elif text[pos] == "{" and expand:
            pos = yield from _object(doc, pos, quarantine, expand)
        else:
            pos = yield from _value(doc, pos, quarantine, {})
        if pos < 0:
            return
        pos = doc.skip(pos)


def _fail(doc: _Doc, pos: int, quarantine: Quarantine, reason: str) -> int:
    """Quarantine the rest of a document that cannot be parsed from ``pos``; returns -1."""
    rest = doc.text[pos:pos + 4096]
    quarantine.add(doc.line(pos), None, f"{reason}; the rest of the document from here could not be read",
                   rest)
    return -1


def _decode(doc: _Doc, pos: int, quarantine: Quarantine) -> tuple[Any, int] | None:
    try:
        return _DECODER.raw_decode(doc.text, pos)
    except json.JSONDecodeError as exc:
        _fail(doc, exc.pos, quarantine, f"invalid JSON: {exc.msg}")
    except RecursionError:
        _fail(doc, pos, quarantine, "JSON nested too deeply to read")
    return None


def _value(doc: _Doc, pos: int, quarantine: Quarantine, ctx: dict[str, Any]) -> Gen:
    """One element; returns (via StopIteration) the position after it, or -1."""
    got = _decode(doc, pos, quarantine)
    if got is None:
        yield None
        return -1
    obj, end = got
    raw = doc.text[pos:end]
    if end - pos > MAX_RECORD_BYTES:
        quarantine.add(doc.line(pos), None, f"huge record: {end - pos:,} characters > {MAX_RECORD_BYTES:,}",
                       raw[:4096])
        yield None
    elif not isinstance(obj, dict):
        quarantine.add(doc.line(pos), None, f"not a JSON object (a {type(obj).__name__})", raw)
        yield None
    else:
        yield Record(doc.line(pos), obj, raw, ctx)
    return end


def _array(doc: _Doc, pos: int, quarantine: Quarantine, ctx: dict[str, Any]) -> Gen:
    t = doc.text
    pos = doc.skip(pos + 1)
    if pos < len(t) and t[pos] == "]":
        return pos + 1
    while pos < len(t):
        pos = yield from _value(doc, pos, quarantine, ctx)
        if pos < 0:
            return -1
        pos = doc.skip(pos)
        if pos < len(t) and t[pos] == ",":
            pos = doc.skip(pos + 1)
            continue
        if pos < len(t) and t[pos] == "]":
            return pos + 1
        return _fail(doc, pos, quarantine, "invalid JSON: expected ',' or ']' in an array")
    return _fail(doc, pos, quarantine, "invalid JSON: the array is not closed")


def _object(doc: _Doc, pos: int, quarantine: Quarantine, expand: tuple[str, ...]) -> Gen:
    """A document whose ``expand`` members are arrays of records (Telegram's ``messages``);
    a document without them is one record."""
    got = _decode(doc, pos, quarantine)
    if got is None:
        yield None
        return -1
    obj, end = got
    if not isinstance(obj, dict) or not any(isinstance(obj.get(k), list) for k in expand):
        yield Record(doc.line(pos), obj, doc.text[pos:end])
        return end
    ctx = {k: v for k, v in obj.items() if k not in expand}
    t = doc.text
    p = doc.skip(pos + 1)
    while p < end and t[p] != "}":  # walk the members again to find each array's offset
        key, p = _DECODER.raw_decode(t, p)
        p = doc.skip(doc.skip(p) + 1)  # past ':'
        if key in expand and t[p] == "[":
            p = yield from _array(doc, p, quarantine, ctx)
        else:
            _, p = _DECODER.raw_decode(t, p)
        p = doc.skip(p)
        if p < end and t[p] == ",":
            p = doc.skip(p + 1)
    return end


class _NullQuarantine:
    """Counts what detection would quarantine (detection stores nothing)."""

    def __init__(self) -> None:
        self.n = 0

    def add(self, *_args: object) -> None:
        self.n += 1
