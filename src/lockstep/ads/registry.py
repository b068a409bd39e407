"""The registry of state-affiliated media: entries, its version, and where it is read from.

How it is built (docs/ads.md): ``lockstep ads registry import PATH`` turns a source file
(the State Media Monitor matrix) into a registry file whose version is the hash of its
content plus the source's date, e.g. ``3f9c0a1b2c4d@2024-02``. A build of the real data is
bundled in package data, so a fresh install decides without any import; an import into a
workspace (``WS/ads/registry.json``) replaces it there. Local additions and overrides live
in ``WS/ads/registry-local.json``, apart from the imported file, so a re-import keeps them;
the effective version then carries their hash too (``...+local.1a2b3c4d``).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from lockstep.errors import DataError

FORMAT = "lockstep-state-media-registry"
SCHEMA = 1
BUNDLED = "state_media_registry.json"
REGISTRY_FILE = "registry.json"
LOCAL_FILE = "registry-local.json"

# State Media Monitor typology (PROVENANCE.md of the source data).
TYPOLOGY = {
    "SC": "state-controlled",
    "CaPu": "captured public/state-managed",
    "CaPr": "captured private",
    "ISFM": "independent state-funded and state-managed",
    "ISF": "independent state-funded",
    "ISM": "independent state-managed",
    "IP": "independent public media",
}


def describe_typology(code: str) -> str:
    """``SC`` -> ``SC (state-controlled)``; uncertain and empty codes say so."""
    if not code:
        return "no typology"
    base = TYPOLOGY.get(code.rstrip("?"))
    if base is None:
        return f"{code} (unknown code)"
    return f"{code} ({base}{', uncertain' if code.endswith('?') else ''})"


@dataclass(frozen=True)
class Entry:
    """One outlet: who it is, how the state relates to it, and where it appears online."""

    id: str
    name: str
    company: str
    country: str
    typology: str
    domains: tuple[str, ...] = ()     # hosts without www: the outlet's sites and mirrors
    handles: tuple[str, ...] = ()     # "platform:handle"
    region: str = ""
    status: str = ""
    lines: tuple[int, ...] = ()       # lines of the source file it was built from
    origin: str = "import"            # "import" or "local"
    note: str = ""

    def label(self) -> str:
        who = self.name if not self.company or self.company == self.name else f"{self.name}, {self.company}"
        return f"{self.id} ({who}; {self.country or 'no country'}; {describe_typology(self.typology)})"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    @classmethod
    def from_json(cls, d: dict[str, Any], where: str) -> Entry:
        try:
            return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})  # type: ignore[arg-type]
        except TypeError as exc:
            raise DataError(f"{where}: bad registry entry {d.get('id', '?')!r}: {exc}") from None


def content_hash(entries: dict[str, Entry]) -> str:
    """Hash of the entries alone (not the file's bytes, dates or order): same content, same version."""
    blob = json.dumps([entries[k].to_json() for k in sorted(entries)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class MediaRegistry:
    """Entries by id plus where they came from; ``version`` names this exact content."""

    entries: dict[str, Entry]
    source: dict[str, Any]
    version: str
    where: str = "(in memory)"
    local: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: dict[str, Entry], source: dict[str, Any]) -> MediaRegistry:
        date = str(source.get("date") or "undated")
        return cls(entries=entries, source=source, version=f"{content_hash(entries)[:12]}@{date}")

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "schema": SCHEMA, "version": self.version, "source": self.source,
                "entries": [self.entries[k].to_json() for k in sorted(self.entries)]}

    def save(self, path: Path) -> None:
        """Write atomically (a crash leaves the old file, never half a registry)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def from_json(cls, data: Any, where: str) -> MediaRegistry:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise DataError(f"{where}: not a lockstep state-media registry (format {FORMAT!r} expected)")
        if data.get("schema") != SCHEMA:
            raise DataError(f"{where}: registry schema {data.get('schema')!r}, this lockstep reads {SCHEMA}")
        entries = {}
        for d in data.get("entries", []):
            e = Entry.from_json(d, where)
            entries[e.id] = e
        reg = cls.build(entries, dict(data.get("source", {})))
        if reg.version != data.get("version"):
            raise DataError(f"{where}: content does not match its version {data.get('version')!r} "
                            f"(edited by hand? put local changes in {LOCAL_FILE})")
        reg.where = where
        return reg

    def with_entries(self, entries: dict[str, Entry], local: dict[str, Any], local_hash: str) -> MediaRegistry:
        version = self.version + (f"+local.{local_hash[:8]}" if local_hash else "")
        return replace(self, entries=entries, version=version, local=local)


def read_registry_file(path: Path) -> MediaRegistry:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read the registry: {exc}") from None
    return MediaRegistry.from_json(data, str(path))


def bundled_registry() -> MediaRegistry:
    """The build of the real data shipped with lockstep (package data)."""
    ref = resources.files("lockstep") / "data" / BUNDLED
    try:
        data = json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"bundled registry {BUNDLED} is missing or damaged: {exc}") from None
    reg = MediaRegistry.from_json(data, f"bundled:{BUNDLED}")
    return reg


def ads_dir(workspace: Path) -> Path:
    return workspace / "ads"


def load_registry(workspace: Path | None) -> MediaRegistry:
    """The registry in force: the workspace's import (else the bundled build) plus local changes."""
    from lockstep.ads.local import LocalChanges

    base = None
    if workspace is not None and (ads_dir(workspace) / REGISTRY_FILE).exists():
        base = read_registry_file(ads_dir(workspace) / REGISTRY_FILE)
    if base is None:
        base = bundled_registry()
    if workspace is None:
        return base
    local = LocalChanges.load(ads_dir(workspace) / LOCAL_FILE)
    return local.apply(base)
