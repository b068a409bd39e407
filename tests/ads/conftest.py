"""Fixtures for the ads tests: the real State Media Matrix (required: these tests fail, never
skip, when it is missing) and a registry imported from it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lockstep.ads.importer import import_registry
from lockstep.ads.registry import MediaRegistry

ROOT = Path(__file__).resolve().parents[2]
SMM = ROOT.parent / "shared" / "data" / "real" / "state_media_profiles" / "State_Media_Matrix.csv"


@pytest.fixture(scope="session")
def smm_path() -> Path:
    assert SMM.is_file(), f"the real data is missing: {SMM} (shared/data/real/state_media_profiles)"
    return SMM


@pytest.fixture(scope="session")
def smm_rows(smm_path: Path) -> list[dict[str, str]]:
    """The raw rows, read independently of lockstep's importer (with their line numbers)."""
    with smm_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return [{**r, "_line": str(reader.line_num)} for r in reader]


@pytest.fixture(scope="session")
def real_registry(smm_path: Path) -> MediaRegistry:
    return import_registry(smm_path, "2024-02").registry
