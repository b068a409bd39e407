"""Read an advertisers file (CSV) defensively: odd encodings, huge fields, missing columns.

Why so careful: the file comes from an ads system export or a spreadsheet. A file-level
problem (unknown encoding, no header, a required column missing) is one DataError naming the
file, the line and the column; a bad row (wrong cell count, bytes that are not text, a domain
that is no domain, a field past the size limit) is set aside with its line and field while the
good rows are decided. Rows are streamed, so a large file costs memory only for its advertisers.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from lockstep.ads.domains import host_of, parse_handle
from lockstep.ads.matching import Advertiser
from lockstep.ads.records import Rejected
from lockstep.errors import DataError, UserError

REQUIRED = ("name", "domain")
OPTIONAL = ("advertiser", "handles", "landing_urls", "redirects")
_SPLIT = re.compile(r"\s*(?:->|=>|[|;\s])\s*")
_BAD = re.compile("[\udc80-\udcff\x00]")


def sniff_encoding(head: bytes, path: Path) -> str:
    """The text encoding from a byte-order mark; UTF-8 when there is none (the export norm)."""
    if head.startswith(codecs.BOM_UTF32_LE) or head.startswith(codecs.BOM_UTF32_BE):
        return "utf-32"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head[:200].count(b"\x00") > len(head[:200]) // 4:
        raise DataError(f"{path}: line 1: looks like UTF-16 or UTF-32 without a byte-order mark; "
                        "save it as UTF-8 (or with a BOM)")
    return "utf-8"


def open_text(path: Path) -> tuple[io.TextIOWrapper, str]:
    """Open ``path`` as text; undecodable bytes become markers that set their row aside."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror or exc}") from None
    enc = sniff_encoding(fh.read(4096), path)
    fh.seek(0)
    return io.TextIOWrapper(fh, encoding=enc, errors="surrogateescape", newline=""), enc


def split(value: str) -> list[str]:
    return [v for v in _SPLIT.split(value.strip()) if v]


def read_header(reader: Iterator[list[str]], path: Path, required: tuple[str, ...], optional: tuple[str, ...]
                ) -> tuple[dict[str, int], int]:
    """Column positions by name (case and spaces ignored) and the header's width; a missing
    required column is a DataError."""
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{path}: empty file: expected a header line naming {', '.join(required)}") from None
    except csv.Error as exc:
        raise DataError(f"{path}: line 1: the header cannot be read: {exc}") from None
    cols = [h.strip().lower() for h in header]
    if cols and cols[0].startswith("\ufeff"):
        cols[0] = cols[0][1:]
    if any(_BAD.search(c) for c in cols):
        raise DataError(f"{path}: line 1: the header is not UTF-8 text")
    dup = sorted({c for c in cols if c and cols.count(c) > 1})
    if dup:
        raise DataError(f"{path}: line 1: column {dup[0]!r} appears twice")
    missing = [c for c in required if c not in cols]
    if missing:
        raise DataError(f"{path}: line 1: missing column(s) {', '.join(repr(m) for m in missing)} "
                        f"(found: {', '.join(cols) or 'nothing'}; expected {', '.join(required + optional)})")
    return {c: i for i, c in enumerate(cols) if c in required + optional}, len(cols)


# longest cell an advertisers file may hold (the csv module's default limit; set here because
# csv.field_size_limit is process-wide and other readers raise it)
FIELD_LIMIT = 131_072


def read_advertisers(path: Path) -> tuple[list[Advertiser], list[Rejected]]:
    """The advertisers in ``path`` and the rows set aside."""
    text, _ = open_text(path)
    good: list[Advertiser] = []
    bad: list[Rejected] = []
    name = path.name
    with text:
        reader = csv.reader(text)
        pos, width = read_header(reader, path, REQUIRED, OPTIONAL)
        end = reader.line_num
        while True:
            start = end + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                end = reader.line_num
                bad.append(Rejected(name, start, "*", f"cannot be parsed: {exc}"))
                continue
            except UnicodeError as exc:
                raise DataError(f"{path}: line {start}: cannot be decoded: {exc}") from None
            end = reader.line_num
            if not row or not any(c.strip() for c in row):
                continue
            if max(len(c) for c in row) > FIELD_LIMIT:  # our own limit: the csv module's is process-wide
                bad.append(Rejected(name, start, "*", f"cannot be parsed: field larger than field limit ({FIELD_LIMIT})"))
                continue
            if len(row) != width:
                bad.append(Rejected(name, start, "*", f"{len(row)} cells, the header has {width}", ",".join(row)))
                continue
            adv, problem = _advertiser(row, pos, start)
            if problem is not None:
                bad.append(Rejected(name, start, problem[0], problem[1], ",".join(row)))
            elif adv is not None:
                good.append(adv)
    return good, bad


def _advertiser(row: list[str], pos: dict[str, int], line: int) -> tuple[Advertiser | None, tuple[str, str] | None]:
    cells = {c: row[i].strip() if i < len(row) else "" for c, i in pos.items()}
    for c, v in cells.items():
        m = _BAD.search(v)
        if m:
            what = "a NUL byte" if m.group() == "\x00" else "bytes that are not text in the file's encoding"
            return None, (c, f"contains {what}")
    a = Advertiser(advertiser=cells.get("advertiser") or cells["name"] or cells["domain"], name=cells["name"],
                   line=line)
    for col, target in (("domain", a.domains), ("landing_urls", a.landing_urls), ("redirects", a.redirects)):
        for v in split(cells.get(col, "")):
            if host_of(v) is None:
                return None, (col, f"{v[:80]!r} is not a domain or URL")
            target.append(v)
    for v in split(cells.get("handles", "")):
        if parse_handle(v) is None:
            return None, ("handles", f"{v[:80]!r} is not a handle (@name, platform:@name or a profile URL)")
        a.handles.append(v)
    if not a.advertiser:
        return None, ("name", "no name, domain, handle or URL to match")
    return a, None
