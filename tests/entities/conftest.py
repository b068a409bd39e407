"""One second-platform world per session: simulate (scale 0.05, seed 0), ingest its
platform2/ folder, detect, score (bench/bench_entities.py). About 10 s."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_entities.py"


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_entities", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def p2run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """(work folder with world/, ws/ and run/, the scores)."""
    work = tmp_path_factory.mktemp("p2")
    return work, bench().run(0.05, 0, work)
