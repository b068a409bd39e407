"""The output folder of a detection run: the one writer (:func:`write_run`) and the one reader
(:func:`read_run`, :func:`latest_run`) of accounts.csv, edges.csv, campaigns.json,
params.json, account_evidence.json and the graph files."""

from __future__ import annotations

from lockstep.outputs.read import RunFiles, latest_run, read_run, run_dir
from lockstep.outputs.summary import RunSummary

__all__ = ["RunFiles", "RunSummary", "latest_run", "read_run", "run_dir", "write_run"]


def __getattr__(name: str) -> object:
    if name == "write_run":  # pulls in igraph: only the commands that write pay for it
        from lockstep.outputs.write import write_run

        return write_run
    raise AttributeError(name)
