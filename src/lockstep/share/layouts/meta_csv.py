"""Read Meta's threat-research indicator files (CSV or TSV, either layout) into a Tip.

Why lenient on headers and strict on values: Meta's headers vary by release ("Tactic " with a
trailing space, Notes / Note / Comments / "Commernts", blank trailing columns, CRLF), and every
published file must import; but a column we do not know, or a typed value that is not of its
type, is a DataError naming the file, line and column, never a silently dropped indicator.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lockstep.errors import DataError
from lockstep.share.layouts.meta_rows import Parts, add_value, killchain_technique, old_kind
from lockstep.share.tip import Tip

OLD = ("indicator_type", "indicator_value", "comment", "ds")
KILLCHAIN = ("tactic", "technique", "procedure", "indicator")
NOTE_ALIASES = ("notes", "note", "comments", "comment", "commernts")


def _header(path: Path, row: list[str]) -> tuple[str, dict[str, int]]:
    names = [c.strip().lower() for c in row]
    while names and not names[-1]:
        names.pop()
    cols = {n: i for i, n in enumerate(names) if n}
    if all(c in cols for c in OLD[:2]):
        known: tuple[str, ...] = OLD
        layout = "old"
    elif all(c in cols for c in KILLCHAIN):
        known = KILLCHAIN + NOTE_ALIASES
        layout = "killchain"
    else:
        raise DataError(f"{path}:1: header {', '.join(repr(c) for c in row[:8])} is neither Meta layout"
                        f" ({','.join(OLD)} or Tactic,Technique,Procedure,Indicator[,Notes])")
    unknown = [n for n in cols if n not in known]
    if unknown:
        raise DataError(f"{path}:1: unknown column(s) {', '.join(repr(u) for u in unknown)}"
                        f" in a {layout}-layout file (known: {', '.join(known)})")
    blank = [i + 1 for i, n in enumerate(names) if not n]
    if blank:
        raise DataError(f"{path}:1: column {blank[0]} has no name")
    return layout, cols


def read(path: Path, text: str) -> Tip:
    """Every row of the file; DataError naming the line for a malformed one."""
    first = text.split("\n", 1)[0]
    delim = "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        head = next(reader, None)
        if head is None or not any(c.strip() for c in head):
            raise DataError(f"{path}: empty file, no header (a Meta indicator file starts with its header)")
        layout, cols = _header(path, head)
        parts = Parts()
        note_col = next((cols[n] for n in NOTE_ALIASES if n in cols), None)
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            extra = [c for c in row[len(cols):] if c.strip()]
            if len(row) > len(head) and extra:
                raise DataError(f"{path}:{line}: {len(row)} fields, the header has {len(head)}")

            def cell(name: str) -> str:
                i = cols.get(name)
                return row[i] if i is not None and i < len(row) else ""
            try:
                if layout == "old":
                    where = f"{path}:{line}: column indicator_value"
                    kind = old_kind(cell("indicator_type"), f"{path}:{line}: column indicator_type")
                    add_value(parts, cell("indicator_value"), kind, cell("comment").strip(), where)
                    if cell("ds").strip():
                        parts.dates.append(cell("ds").strip())
                else:
                    tech = killchain_technique(cell("tactic"), cell("technique"), cell("procedure"))
                    if tech is not None:
                        parts.technique(tech)
                    note = row[note_col].strip() if note_col is not None and note_col < len(row) else ""
                    add_value(parts, cell("indicator"), None, note, f"{path}:{line}: column Indicator",
                              cell("procedure"))
            except ValueError as exc:
                raise DataError(str(exc)) from None
    except csv.Error as exc:
        raise DataError(f"{path}:{reader.line_num}: unreadable {'TSV' if delim == chr(9) else 'CSV'}: {exc}") from None
    return to_tip(path, parts)


def to_tip(path: Path, parts: Parts) -> Tip:
    """A Meta file's parts as a Tip: Meta's releases are its own confirmed takedowns."""
    dates = sorted(parts.dates)
    return Tip(name=path.stem.strip(), source="meta", source_file=str(path), opinion="confirmed", tlp="clear",
               created=dates[-1] if dates else "", first_seen=dates[0] if dates else "",
               last_seen=dates[-1] if dates else "", assets=tuple(parts.assets), indicators=tuple(parts.indicators),
               techniques=tuple(parts.techniques), counts=dict(parts.counts))
