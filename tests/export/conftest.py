"""Fixtures of the export tests: the demo world the report tests use (built once per run)."""

from __future__ import annotations

import pytest

from report.world import World, demo_world


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return demo_world(tmp_path_factory.mktemp("export-world"))
