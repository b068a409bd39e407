"""Rows ``lockstep watch`` needs besides a campaign's fingerprint (``queries.engagement``,
``queries.profile``, ``queries.infrastructure``): the canonical actions a streamed chunk
file just stored."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from lockstep.store.workspace import Workspace


def actions_from_file(ws: Workspace, path: Path) -> pa.Table:
    """The stored actions (canonical columns) whose source file is ``path`` (as given, or any
    path ending in its name)."""
    return ws.arrow("SELECT * EXCLUDE (row_key) FROM actions WHERE source_file = ? OR source_file LIKE ?",
                    [str(path), f"%{path.name}"])
