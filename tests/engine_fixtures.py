"""The ``engine`` fixture: engine-level tests run once per registered engine."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lockstep.engine import ENGINES, Engine, open_engine
from lockstep.store import Workspace
from lockstep.store.source import TableSource, workspace_source

EngineFactory = Callable[[Workspace | TableSource], Engine]


@pytest.fixture(params=sorted(ENGINES.names()))
def engine(request: pytest.FixtureRequest) -> EngineFactory:
    """A factory of runs of one registered engine (the test runs once per engine) on a
    workspace or a table source. Tests close the runs they open."""
    def make(src: Workspace | TableSource) -> Engine:
        return open_engine(request.param, src if isinstance(src, TableSource) else workspace_source(src))

    return make
