"""``lockstep ingest FOLDER``: a folder stands for the data files directly inside it.

Why: a platform export (the simulator's ``platform2/``, a takedown archive) is a folder of
tables (entities, accounts, memberships, actions) that belong together; naming each file is
busywork and easy to get half wrong. Only the folder's own files are taken (no recursion, so
a nested export is never swallowed by accident), in name order; hidden files are ignored.
Files that are not data are skipped with a note the command prints: ``labels.csv`` holds
ground truth (the simulator's labels; ingesting it would mix the answer into the evidence)
and ``world.json`` the simulator's manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lockstep.errors import UserError

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".parquet")
NOT_DATA = {"labels.csv": "ground truth, not data", "world.json": "the simulator's manifest, not data"}


@dataclass
class Expanded:
    """The files to read, and a note for everything in a folder that is not read."""

    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _is_data(p: Path) -> bool:
    name = p.name.lower()
    if name.endswith((".gz", ".bz2", ".xz", ".zst")):
        name = name.rsplit(".", 1)[0]
    return name.endswith(DATA_SUFFIXES)


def expand_paths(paths: list[Path]) -> Expanded:
    """Files stay as given; each folder becomes its data files (UserError when it has none)."""
    out = Expanded()
    for p in paths:
        path = Path(p)
        if not path.is_dir():
            out.files.append(path)
            continue
        found = 0
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue
            if child.is_dir():
                out.notes.append(f"{child}: a folder inside {path}, not read (name it to ingest it)")
            elif child.name.lower() in NOT_DATA:
                out.notes.append(f"{child}: skipped ({NOT_DATA[child.name.lower()]})")
            elif _is_data(child):
                out.files.append(child)
                found += 1
            else:
                out.notes.append(f"{child}: skipped (not a data file: expected {', '.join(DATA_SUFFIXES)})")
        if not found:
            raise UserError(f"{path}: folder holds no data file ({', '.join(DATA_SUFFIXES)}, optionally gzipped)")
    return out
