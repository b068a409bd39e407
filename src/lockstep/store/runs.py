"""Named queries on the ``runs`` table: where each recorded run wrote its outputs."""

from __future__ import annotations

from typing import Any

from lockstep.store.workspace import Workspace


def find_run(ws: Workspace, run_id: str) -> dict[str, Any] | None:
    """The run ``run_id`` (run_id, kind, out_dir), or None."""
    rows = ws.con.execute("SELECT run_id, kind, out_dir FROM runs WHERE run_id = ?", [run_id]).fetchall()
    return {"run_id": rows[0][0], "kind": rows[0][1], "out_dir": rows[0][2]} if rows else None


def recent_runs(ws: Workspace, kind: str = "detect", limit: int = 5) -> list[str]:
    """Ids of the latest runs of ``kind``, newest first."""
    rows = ws.con.execute("SELECT run_id FROM runs WHERE kind = ? ORDER BY created_at DESC LIMIT ?",
                          [kind, limit]).fetchall()
    return [str(r[0]) for r in rows]
