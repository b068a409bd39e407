"""Format auto-detection: by the CSV header, or by the keys of the first JSON line.

Every format scores the header; the highest score wins, so a file with the IO-archive
tweet columns is ``io-tweets`` even though it also has what ``generic`` needs.
"""

from __future__ import annotations

import csv
import json

from lockstep.errors import DataError, UserError
from lockstep.ingest.formats import FORMATS, Format
from lockstep.ingest.source import SourceFile, head_lines


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UserError(f"unknown format {name!r}; known: {', '.join(sorted(FORMATS))}") from None


def detect_format(src: SourceFile) -> Format:
    """The best-scoring format for ``src``; DataError naming the file when none fits."""
    lines = head_lines(src, 5)
    if not lines or not any(x.strip() for x in lines):
        raise DataError(f"{src.path}: empty file")
    first = lines[0].strip()
    if src.path.suffix.lower() == ".parquet" or src.path.name.lower().endswith(".parquet"):
        return FORMATS["generic"]
    if first.startswith("{"):
        try:
            obj = json.loads(first)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            for fmt in FORMATS.values():
                probe = getattr(fmt.parser, "probe", None)
                if probe is not None and probe(obj):
                    return fmt
            return FORMATS["generic"] if {"account_id", "timestamp"} <= set(obj) else _unknown(src, first)
    header = {c.strip().lstrip("\ufeff").lower() for c in next(csv.reader([lines[0]]), [])}
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
