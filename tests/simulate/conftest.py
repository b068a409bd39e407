"""One small world per test session (scale 0.1, ~100k actions, a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lockstep.simulate import simulate


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    simulate(out, scale=0.1, seed=7)
    return out


@pytest.fixture(scope="session")
def frames(world: Path) -> dict[str, pd.DataFrame]:
    return {
        "tweets": pd.read_csv(world / "tweets.csv", dtype=str, keep_default_na=False),
        "users": pd.read_csv(world / "users.csv", dtype=str, keep_default_na=False),
        "labels": pd.read_csv(world / "labels.csv", dtype=str, keep_default_na=False),
        "access": pd.read_csv(world / "access.csv", dtype=str, keep_default_na=False),
    }
