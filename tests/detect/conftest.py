"""Fixtures for the detection tests (helpers live in detect_fixtures.py)."""

from detect_fixtures import rct_ws  # noqa: F401
from engine_fixtures import engine  # noqa: F401
