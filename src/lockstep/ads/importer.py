"""Build a registry from a source file: the State Media Monitor matrix (``state-media-matrix``).

Rows are grouped into outlets by (country, media company, main asset): the matrix repeats an
outlet once per site (RT Deutsch appears under eight domains), and those sites are one
outlet's mirrors. Each outlet's id is ``country/asset`` in ASCII, stable across re-imports
so local overrides keep pointing at it. Rows that cannot make an outlet are set aside with
their line and the reason; bad cells (a URL that is no URL) are reported and left out.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from anyascii import anyascii

from lockstep.ads.domains import handle_from_url, host_of, platform_of, strip_www
from lockstep.ads.registry import Entry, MediaRegistry
from lockstep.errors import DataError, UserError
from lockstep.registry import Registry

DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


@dataclass
class ImportReport:
    """What an import made of its source: outlets, rows read, rows and cells set aside."""

    registry: MediaRegistry
    rows: int = 0
    set_aside: list[str] = field(default_factory=list)   # "line N: why"
    cell_problems: list[str] = field(default_factory=list)


Importer = Callable[[Path, str], ImportReport]
SOURCE_FORMATS: Registry[Importer] = Registry("registry source format")

SMM_REQUIRED = ("Country", "Media company", "Main assets", "URL", "Typology")
SOCIAL = ("Instagram Link", "Twitter Link", "Facebook Link", "Youtube Link", "Telegram Link", "VK Link",
          "Linkedin link", "Ok.ru link", "Tiktok Link", "Rutube Link")


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    return s[:60].strip("-") or "x"


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DataError(f"{path}: line {line}: not UTF-8 text (byte {exc.start}); "
                        "save the file as UTF-8 and import again") from None


@SOURCE_FORMATS.named("state-media-matrix", aliases=("smm",))
def import_state_media_matrix(path: Path, source_date: str) -> ImportReport:
    """Read ``State_Media_Matrix.csv`` (ASD at GMF, seeded from the State Media Monitor)."""
    text = _read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in SMM_REQUIRED if c not in header]
    if missing:
        raise DataError(f"{path}: line 1: missing column(s) {', '.join(missing)} "
                        f"(a State Media Matrix file has {', '.join(SMM_REQUIRED)}, ...)")
    reader.fieldnames = header
    groups: dict[tuple[str, str, str], list[tuple[int, dict[str, str]]]] = {}
    rep = ImportReport(registry=MediaRegistry.build({}, {}))
    line = 1
    for row in reader:
        line, rep.rows = reader.line_num, rep.rows + 1
        cells = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        if None in row:
            rep.set_aside.append(f"line {line}: more cells than the header has columns")
            continue
        if not any(cells.values()):
            rep.set_aside.append(f"line {line}: empty row")
            continue
        if not cells["Main assets"] and not cells["Media company"]:
            rep.set_aside.append(f"line {line}: field Main assets: no outlet name")
            continue
        key = (cells["Country"], cells["Media company"], cells["Main assets"] or cells["Media company"])
        groups.setdefault(key, []).append((line, cells))
    entries: dict[str, Entry] = {}
    for key in sorted(groups, key=lambda k: groups[k][0][0]):
        e = _outlet(key, groups[key], rep.cell_problems)
        eid = e.id if e.id not in entries else f"{e.id}--{slug(key[1])}"
        n = 2
        while eid in entries:
            eid, n = f"{e.id}--{n}", n + 1
        entries[eid] = replace(e, id=eid)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = {"file": path.name, "format": "state-media-matrix", "sha256": digest, "date": source_date,
              "rows": rep.rows, "outlets": len(entries),
              "imported_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    rep.registry = MediaRegistry.build(entries, source)
    return rep


def _outlet(key: tuple[str, str, str], rows: list[tuple[int, dict[str, str]]], problems: list[str]) -> Entry:
    country, company, asset = key
    domains: list[str] = []
    handles: list[str] = []
    for line, cells in rows:
        for col in ("URL", "streaming media URL"):
            v = cells.get(col, "")
            if not v:
                continue
            host = host_of(v)
            if host is None:
                problems.append(f"line {line}: field {col}: {v[:80]!r} is not a URL; left out")
            elif platform_of(host) is not None:
                h = handle_from_url(v)
                if h is not None:
                    handles.append(f"{h[0]}:{h[1]}")
            elif col == "URL":
                domains.append(strip_www(host))
        for col in SOCIAL:
            v = cells.get(col, "")
            if not v:
                continue
            h = handle_from_url(v)
            if h is None:
                problems.append(f"line {line}: field {col}: {v[:80]!r} is not a profile link; left out")
            else:
                handles.append(f"{h[0]}:{h[1]}")
    first = rows[0][1]
    codes = dict.fromkeys(c["Typology"] for _, c in rows)
    if len(codes) > 1:
        problems.append(f"lines {rows[0][0]}..{rows[-1][0]}: field Typology: one outlet, codes {', '.join(codes)};"
                        f" the first ({first['Typology']!r}) is used")
    return Entry(
        id=f"{slug(country or 'unknown')}/{slug(asset)}", name=asset, company=company, country=country,
        typology=first["Typology"], domains=tuple(dict.fromkeys(domains)), handles=tuple(dict.fromkeys(handles)),
        region=first.get("Region", ""), status="; ".join(dict.fromkeys(c.get("Status", "") for _, c in rows if c.get("Status"))),
        lines=tuple(line for line, _ in rows),
    )


def import_registry(path: Path, source_date: str | None, fmt: str = "state-media-matrix") -> ImportReport:
    """Import ``path`` with the named source format; ``source_date`` defaults to the file's date."""
    importer = SOURCE_FORMATS.resolve(fmt)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    if source_date is None:
        source_date = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d")
    elif not DATE.match(source_date):
        raise UserError(f"--source-date {source_date!r}: expected YYYY-MM or YYYY-MM-DD")
    return importer(path, source_date)
