"""Reading a file of subject ids (``--accounts``, ``--pages``, ``--groups``).

Either one id per line, or a CSV whose header names ``<kind>_id`` (``account_id``,
``page_id``, ``group_id``) or ``id``. Blank lines and ``#`` comments are skipped; a line
whose id is empty, too long or holds spaces or control characters is set aside and named
(file, line, field) so the good ids still count and the user knows what to fix.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from lockstep.errors import DataError, UserError

MAX_ID = 256
_BAD = re.compile(r"[\s\x00-\x1f\x7f]")


@dataclass
class SubjectFile:
    ids: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)  # "file:line: field: why"


def read_subjects(path: Path, kind: str) -> SubjectFile:
    """The ids of one kind listed in ``path`` (UserError when the file has none)."""
    p = Path(path)
    if not p.is_file():
        raise UserError(f"--{kind}s {p}: no such file")
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise DataError(f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    out = SubjectFile()
    col, start, fieldname = None, 0, f"{kind}_id"
    first = next((i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is not None and "," in lines[first]:
        header = next(csv.reader([lines[first]]))
        names = [h.strip() for h in header]
        for want in (f"{kind}_id", "id"):
            if want in names:
                col, fieldname = names.index(want), want
                break
        if col is None:
            raise UserError(f"{p}:{first + 1}: CSV header has no {kind}_id or id column ({', '.join(names)})")
        start = first + 1
    seen: set[str] = set()
    for i in range(start, len(lines)):
        raw = lines[i]
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        value = raw.strip() if col is None else _cell(raw, col)
        where = f"{p}:{i + 1}: field {fieldname}"
        if value is None or not value:
            out.set_aside.append(f"{where}: empty")
        elif len(value) > MAX_ID:
            out.set_aside.append(f"{where}: longer than {MAX_ID} characters")
        elif _BAD.search(value):
            out.set_aside.append(f"{where}: {value[:40]!r} holds spaces or control characters")
        elif value not in seen:
            seen.add(value)
            out.ids.append(value)
    if not out.ids:
        why = f" ({len(out.set_aside)} lines set aside, first: {out.set_aside[0]})" if out.set_aside else ""
        raise UserError(f"{p}: no {kind} ids{why}")
    return out


def _cell(line: str, col: int) -> str | None:
    row = next(csv.reader([line]))
    return row[col].strip() if col < len(row) else None
