"""The embedded store: a workspace folder holding one DuckDB database and side files."""

from lockstep.store.workspace import DEFAULT_WORKSPACE, Workspace, open_workspace

__all__ = ["DEFAULT_WORKSPACE", "Workspace", "open_workspace"]
