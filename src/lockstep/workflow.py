"""The detect command's whole run, as one function the CLI, the demo and every later command
call: settings -> :func:`lockstep.detect.detect` -> :func:`lockstep.roles.refine` ->
:func:`lockstep.entities.connect` -> record the run -> :func:`lockstep.outputs.write_run`.

Why here and not in detect: roles sit above detection (they read its result), and the
outputs module writes both; this module is the only place that knows all three.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lockstep.detect.pipeline import detect
from lockstep.detect.result import DetectResult
from lockstep.detect.settings import DetectSettings, build_settings
from lockstep.outputs.summary import RunSummary
from lockstep.roles.params import from_record
from lockstep.roles.result import RolesResult
from lockstep.store.workspace import Workspace


@dataclass
class RunOutcome:
    """Both stages' results and the summary counted from the files written."""

    settings: DetectSettings
    detect: DetectResult
    roles: RolesResult | None
    summary: RunSummary


def run_detection(ws: Workspace, out_dir: Path | str, *, params: dict[str, Any] | None = None,
                  preset: str | None = None, config: Path | None = None, flags: dict[str, Any] | None = None,
                  progress: bool = True) -> RunOutcome:
    """Detect campaigns in ``ws``, judge their accounts (unless ``roles`` is off), record the
    run in the workspace and write its output folder.

    Settings are built as defaults -> ``preset`` -> TOML ``config`` -> ``params`` -> ``flags``."""
    from lockstep.entities import connect_beside
    from lockstep.outputs.write import write_run  # igraph: only a writing run pays for it
    from lockstep.roles.refine import refine

    st = build_settings(params=params, preset=preset, config=config, flags=flags)
    det = detect(ws, st, progress=progress)
    roles = refine(ws, det, from_record(det.record)) if st.roles else None
    # pages, groups and their admins per campaign: DuckDB queries on a thread of their own, beside
    # the writing of the files that do not need them (the writer waits for them after those)
    entities = connect_beside(ws, det, roles)
    try:
        run_id = ws.record_run("detect", Path(out_dir), det.record)
        summary = write_run(Path(out_dir), det, roles, run_id, entities)
    except BaseException:
        # its cursor must finish before the workspace closes (DuckDB refuses to close a
        # connection one of its cursors is using, which would hide this error)
        with suppress(BaseException):
            entities()
        raise
    return RunOutcome(settings=st, detect=det, roles=roles, summary=summary)
