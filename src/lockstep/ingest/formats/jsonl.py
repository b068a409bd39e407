"""The JSON formats' names in one place (kept for imports of ``formats.jsonl``)."""

from __future__ import annotations

from lockstep.ingest.formats.jetstream import JETSTREAM, JetstreamParser
from lockstep.ingest.formats.jsonbase import RowError, Rows
from lockstep.ingest.formats.twarc2 import TWARC2, Twarc2Parser

__all__ = ["JETSTREAM", "TWARC2", "JetstreamParser", "RowError", "Rows", "Twarc2Parser"]
