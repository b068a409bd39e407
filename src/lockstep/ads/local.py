"""Local additions and overrides, kept apart from the imported registry so a re-import keeps them.

Why a separate file: the imported file is rebuilt whole from the source on every import;
a trust-and-safety team's own knowledge (a mirror domain they found, an outlet the source
lacks, a typology they dispute) must survive that. Every change records who made it, when
and why. An override whose entry disappeared from a new import is reported, not lost.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lockstep.ads.domains import host_of, parse_handle, strip_www
from lockstep.ads.registry import Entry, MediaRegistry
from lockstep.errors import DataError, UserError

FORMAT = "lockstep-state-media-local"
OVERRIDE_FIELDS = ("typology", "add_domains", "add_handles", "drop_domains", "drop_handles", "remove", "note")


def _stamp(reason: str) -> dict[str, str]:
    if not reason.strip():
        raise UserError("--reason is required: every change to the registry says why")
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return {"who": who, "when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "reason": reason}


def norm_domains(values: list[str], where: str) -> list[str]:
    out = []
    for v in values:
        h = host_of(v)
        if h is None:
            raise UserError(f"{where}: {v!r} is not a domain or URL")
        out.append(strip_www(h))
    return out


def norm_handles(values: list[str], where: str) -> list[str]:
    out = []
    for v in values:
        p = parse_handle(v)
        if p is None or p[0] == "*":
            raise UserError(f"{where}: handle {v!r} needs a platform (twitter:@name or a profile URL)")
        out.append(f"{p[0]}:{p[1]}")
    return out


@dataclass
class LocalChanges:
    """The local file's content: added entries and overrides of imported ones."""

    path: Path
    additions: list[dict[str, Any]] = field(default_factory=list)
    overrides: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> LocalChanges:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"{path}: cannot read local registry changes: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise DataError(f"{path}: not a lockstep local registry file (format {FORMAT!r} expected)")
        return cls(path, list(data.get("additions", [])), list(data.get("overrides", [])))

    def digest(self) -> str:
        if not self.additions and not self.overrides:
            return ""
        blob = json.dumps({"a": self.additions, "o": self.overrides}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        data = {"format": FORMAT, "schema": 1, "additions": self.additions, "overrides": self.overrides}
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def add(self, entry: Entry, reason: str) -> None:
        if any(a.get("id") == entry.id for a in self.additions):
            raise UserError(f"{self.path}: a local entry {entry.id!r} already exists")
        self.additions.append({**entry.to_json(), **_stamp(reason)})

    def override(self, entry_id: str, changes: dict[str, Any], reason: str) -> None:
        bad = set(changes) - set(OVERRIDE_FIELDS)
        if bad or not changes:
            raise UserError(f"override of {entry_id}: nothing to change (fields: {', '.join(OVERRIDE_FIELDS)})")
        self.overrides.append({"id": entry_id, **changes, **_stamp(reason)})

    def apply(self, base: MediaRegistry) -> MediaRegistry:
        """``base`` with the additions and the overrides (in the order made) applied."""
        entries = dict(base.entries)
        warnings: list[str] = []
        for a in self.additions:
            fields = {k: v for k, v in a.items() if k not in ("who", "when", "reason")}
            added = Entry.from_json({**fields, "origin": "local"}, str(self.path))
            if added.id in base.entries:
                warnings.append(f"local entry {added.id} now also exists in the import; the local one is used")
            entries[added.id] = added
        for o in self.overrides:
            eid = o.get("id", "")
            e = entries.get(eid)
            if e is None:
                warnings.append(f"override of {eid} ({o.get('when', '?')}, {o.get('reason', '')!r}) "
                                "names no entry of this registry; kept, not applied")
                continue
            if o.get("remove"):
                del entries[eid]
                continue
            entries[eid] = replace(
                e,
                typology=str(o.get("typology", e.typology)),
                domains=tuple(d for d in dict.fromkeys([*e.domains, *o.get("add_domains", [])])
                              if d not in o.get("drop_domains", [])),
                handles=tuple(h for h in dict.fromkeys([*e.handles, *o.get("add_handles", [])])
                              if h not in o.get("drop_handles", [])),
                note="; ".join(x for x in (e.note, str(o.get("note", ""))) if x),
            )
        reg = base.with_entries(entries, {"file": str(self.path), "warnings": warnings}, self.digest())
        return reg


def add_local(workspace: Path, *, name: str, country: str, typology: str, company: str, domains: list[str],
              handles: list[str], reason: str) -> str:
    """Add an outlet the source lacks; its id is ``local/<country>/<name>``."""
    from lockstep.ads.importer import slug
    from lockstep.ads.registry import LOCAL_FILE, ads_dir

    if not name.strip():
        raise UserError("--name must not be empty")
    local = LocalChanges.load(ads_dir(workspace) / LOCAL_FILE)
    e = Entry(id=f"local/{slug(country or 'unknown')}/{slug(name)}", name=name, company=company, country=country,
              typology=typology.strip(), domains=tuple(norm_domains(domains, "--domain")),
              handles=tuple(norm_handles(handles, "--handle")), origin="local")
    local.add(e, reason)
    local.save()
    return e.id


def override_local(workspace: Path, entry_id: str, *, typology: str | None, add_domains: list[str],
                   add_handles: list[str], remove: bool, note: str, reason: str,
                   drop_domains: list[str] | None = None, drop_handles: list[str] | None = None) -> None:
    """Record an override of an entry of the registry in force (checked to exist now)."""
    from lockstep.ads.registry import LOCAL_FILE, ads_dir, load_registry

    if entry_id not in load_registry(workspace).entries:
        raise UserError(f"no registry entry {entry_id!r} (try: lockstep ads registry search NAME)")
    changes: dict[str, Any] = {}
    if typology is not None:
        changes["typology"] = typology.strip()
    if add_domains:
        changes["add_domains"] = norm_domains(add_domains, "--add-domain")
    if add_handles:
        changes["add_handles"] = norm_handles(add_handles, "--add-handle")
    if drop_domains:
        changes["drop_domains"] = norm_domains(drop_domains, "--drop-domain")
    if drop_handles:
        changes["drop_handles"] = norm_handles(drop_handles, "--drop-handle")
    if remove:
        changes["remove"] = True
    if note:
        changes["note"] = note
    local = LocalChanges.load(ads_dir(workspace) / LOCAL_FILE)
    local.override(entry_id, changes, reason)
    local.save()
