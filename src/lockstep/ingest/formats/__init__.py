"""Registry of input formats, by name (the names are the ``--format`` values)."""

from __future__ import annotations

from lockstep.ingest.formats.access_log import ACCESS_LOG
from lockstep.ingest.formats.base import Check, Format
from lockstep.ingest.formats.coortweet import CNT, COORTWEET
from lockstep.ingest.formats.generic import GENERIC
from lockstep.ingest.formats.ira538 import IRA_538
from lockstep.ingest.formats.snap_higgs import SNAP_HIGGS
from lockstep.ingest.formats.twitter_io import IO_TWEETS, IO_USERS
from lockstep.ingest.formats.twitter_users import TWITTER_USERS

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (IO_TWEETS, IO_USERS, COORTWEET, CNT, ACCESS_LOG, GENERIC, IRA_538, SNAP_HIGGS,
              TWITTER_USERS)
}


def register(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt


try:  # JSON formats live in their own modules
    from lockstep.ingest.formats.jsonl import JETSTREAM, TWARC2

    register(TWARC2)
    register(JETSTREAM)
except ImportError:  # pragma: no cover - during development only
    pass

__all__ = ["FORMATS", "Check", "Format", "register"]
