"""Format auto-detection: by the CSV header, or by the keys of the first JSON record.

Every format scores the header; the highest score wins, so a file with the IO-archive
tweet columns is ``io-tweets`` even though it also has what ``generic`` needs. JSON input
(JSONL, a pretty-printed document, an array) is recognised by its first character and
its first record is offered to each JSON format's ``probe``. Leading blank lines and a
byte-order mark are skipped, so they never make a file "unknown".
"""

from __future__ import annotations

import csv

from lockstep.errors import DataError, UserError
from lockstep.ingest.formats import FORMATS, Format
from lockstep.ingest.source import SourceFile, head_lines

DELIMITERS = (",", "\t", ";", "|")


def get_format(name: str) -> Format:
    """The format registered as ``name`` (a UserError naming the known ones otherwise)."""
    try:
        return FORMATS.resolve(name)
    except UserError:
        raise UserError(f"unknown format {name!r}; known: {', '.join(sorted(FORMATS))}") from None


def _first_lines(src: SourceFile, n: int) -> list[str]:
    return [x for x in head_lines(src, n + 50) if x.strip()][:n]


def looks_nonempty(src: SourceFile) -> bool:
    """Whether the file holds anything but whitespace (and a byte-order mark)."""
    return bool(_first_lines(src, 1))


def looks_json(src: SourceFile) -> bool:
    """Whether the file's first visible character opens a JSON object or array."""
    lines = _first_lines(src, 1)
    return bool(lines) and lines[0].lstrip().startswith(("{", "["))


def sniff_delimiter(src: SourceFile) -> str:
    """The header line's delimiter: a comma unless the header holds none and one of tab,
    semicolon or pipe splits it into more columns."""
    lines = _first_lines(src, 1)
    if not lines:
        return ","
    header = lines[0]
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def detect_format(src: SourceFile) -> Format:
    """The best-scoring format for ``src``; DataError naming the file when none fits."""
    lines = _first_lines(src, 5)
    if not lines:
        raise DataError(f"{src.path}: empty file")
    first = lines[0].strip()
    if src.path.name.lower().endswith(".parquet"):
        return FORMATS["generic"]
    if first.startswith(("{", "[")):
        from lockstep.ingest.jsonrecords import first_record

        obj = first_record(src)
        if obj is None:
            return _unknown(src, first)
        for fmt in FORMATS.values():
            probe = getattr(fmt.parser, "probe", None)
            if probe is not None and probe(obj):
                return fmt
        return FORMATS["generic"] if {"account_id", "timestamp"} <= set(obj) else _unknown(src, first)
    delim = sniff_delimiter(src)
    try:
        names = next(csv.reader([lines[0]], delimiter=delim), [])
    except csv.Error:
        names = lines[0].split(delim)
    header = {c.strip().lstrip("\ufeff").lower() for c in names}
    best, score = None, 0
    for fmt in FORMATS.values():
        if fmt.detect is None:
            continue
        s = fmt.detect(header, lines)
        if s > score:
            best, score = fmt, s
    if best is None:
        return _unknown(src, first)
    return best


def _unknown(src: SourceFile, first: str) -> Format:
    shown = first if len(first) <= 80 else first[:77] + "..."
    raise DataError(f"{src.path}: unknown format (first line: {shown!r}); use --format NAME")

