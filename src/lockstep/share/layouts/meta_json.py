"""Read Meta's threat-research JSON files (a list of ``{indicator_type, indicator_value,
comment, ds}`` objects, the old layout's rows) into a Tip.

Why strict about shapes: JSON from elsewhere can hold anything; a row that is not an object,
or a field that is a list or a number where text belongs, is a DataError naming the row's
index and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lockstep.errors import DataError
from lockstep.share.layouts.meta_csv import to_tip
from lockstep.share.layouts.meta_rows import Parts, add_value, old_kind
from lockstep.share.tip import Tip

FIELDS = ("indicator_type", "indicator_value", "comment", "ds")


def read(path: Path, doc: Any) -> Tip:
    rows = doc
    if isinstance(doc, dict):
        rows = doc.get("indicators", doc.get("data"))
        if rows is None:
            raise DataError(f"{path}: a JSON object that is neither a STIX bundle nor Meta's indicator list"
                            f" (keys: {', '.join(repr(k) for k in list(doc)[:8]) or 'none'})")
    if not isinstance(rows, list):
        raise DataError(f"{path}: expected a list of indicator objects, found {type(rows).__name__}")
    parts = Parts()
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise DataError(f"{path}: [{i}] is {type(row).__name__}, not an object with {', '.join(FIELDS)}")
        unknown = [k for k in row if k not in FIELDS]
        if unknown:
            raise DataError(f"{path}: [{i}] unknown field(s) {', '.join(map(repr, unknown))} (known: {', '.join(FIELDS)})")
        for f in FIELDS:
            v = row.get(f, "")
            if v is not None and not isinstance(v, str):
                raise DataError(f"{path}: [{i}].{f} is {type(v).__name__}, not text")
        if not row.get("indicator_type") or not row.get("indicator_value"):
            raise DataError(f"{path}: [{i}] lacks indicator_type or indicator_value")
        try:
            kind = old_kind(str(row["indicator_type"]), f"{path}: [{i}].indicator_type")
            add_value(parts, str(row["indicator_value"]), kind, str(row.get("comment") or "").strip(),
                      f"{path}: [{i}].indicator_value")
        except ValueError as exc:
            raise DataError(str(exc)) from None
        if row.get("ds"):
            parts.dates.append(str(row["ds"]).strip())
    return to_tip(path, parts)
