"""Read any tip file into the one :class:`~lockstep.share.tip.Tip` model.

Why one entry point: ``share match`` takes whatever a partner sent (our own STIX bundles,
other platforms' STIX 2.1 bundles, Meta's published indicator CSV/TSV/JSON files) and must
never crash on it. This module checks the file (exists, not too big, text), sniffs the layout
and hands it to one reader module per layout; every reader raises ``DataError`` naming the
file and the line or field, never a bare Python exception.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lockstep.errors import DataError, UserError
from lockstep.share.tip import Tip

# A tip is a list of indicators, not a dataset: Meta's largest published file is ~2 MB.
MAX_TIP_BYTES = 50 * 1024 * 1024


def read_text(path: Path, limit: int = MAX_TIP_BYTES) -> str:
    """The file's text (UTF-8, BOM stripped), refusing missing, huge or binary files."""
    if not path.exists():
        raise UserError(f"{path}: no such tip file")
    if not path.is_file():
        raise UserError(f"{path}: not a file")
    size = path.stat().st_size
    if size > limit:
        raise DataError(f"{path}: {size:,} bytes is over the {limit:,}-byte limit for a tip file"
                        " (a tip lists indicators; split it or raise LOCKSTEP_TIP_MAX_BYTES)")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise DataError(f"{path}: binary file, not a tip (STIX JSON, CSV, TSV or JSON expected)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"{path}:{line}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def read_tip(path: Path) -> Tip:
    """Read ``path`` (STIX 2.1 bundle, Meta CSV/TSV in either layout, Meta JSON) into a Tip."""
    path = Path(path)
    text = read_text(path, _limit())
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            doc: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise DataError(f"{path}: JSON nested too deeply to be a tip") from None
        from lockstep.share.layouts import stix_layout, meta_json
        if stix_layout.is_stix(doc):
            return stix_layout.read(path, doc)
        return meta_json.read(path, doc)
    from lockstep.share.layouts import meta_csv
    return meta_csv.read(path, text)


def _limit() -> int:
    import os
    raw = os.environ.get("LOCKSTEP_TIP_MAX_BYTES", "")
    try:
        return int(raw) if raw else MAX_TIP_BYTES
    except ValueError:
        raise UserError(f"LOCKSTEP_TIP_MAX_BYTES={raw!r} is not a whole number of bytes") from None
