"""Fixtures of the report tests: the shared demo world (see world.py)."""

from __future__ import annotations

import pytest

from .world import World, demo_world


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return demo_world(tmp_path_factory.mktemp("report-world"))
