"""Fixtures for the engine tests: ``engine`` runs a test once per registered engine."""

from engine_fixtures import engine  # noqa: F401
