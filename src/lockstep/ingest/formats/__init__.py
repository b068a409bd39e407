"""Registry of input formats, by name (the names are the ``--format`` values).

Formats register through :class:`lockstep.registry.Registry` ("format"): a name is
derived once from ``Format.name``, a duplicate fails at import, an unknown ``--format``
is a UserError naming the known ones. Registration order is detection order for the
JSON formats' probes (the most specific first).
"""

from __future__ import annotations

from lockstep.ingest.formats.access_log import ACCESS_LOG
from lockstep.ingest.formats.base import Check, Format
from lockstep.ingest.formats.coortweet import CNT, COORTWEET
from lockstep.ingest.formats.generic import GENERIC, GENERIC_ACCOUNTS, GENERIC_ENTITIES, GENERIC_MEMBERSHIPS
from lockstep.ingest.formats.ira538 import IRA_538
from lockstep.ingest.formats.jsonl import JETSTREAM, TWARC2
from lockstep.ingest.formats.mastodon import MASTODON
from lockstep.ingest.formats.snap_higgs import SNAP_HIGGS
from lockstep.ingest.formats.telegram import TELEGRAM
from lockstep.ingest.formats.twitter_io import IO_TWEETS, IO_USERS
from lockstep.ingest.formats.twitter_users import TWITTER_USERS
from lockstep.ingest.formats.twarc2_csv import TWARC2_CSV
from lockstep.ingest.formats.twitter_v1 import TWITTER_V1
from lockstep.registry import Registry

FORMATS: Registry[Format] = Registry("format")

for _fmt in (IO_TWEETS, IO_USERS, COORTWEET, CNT, ACCESS_LOG, GENERIC, IRA_538, SNAP_HIGGS,
             TWITTER_USERS, TWARC2, JETSTREAM, TWITTER_V1, MASTODON, TELEGRAM, TWARC2_CSV,
             GENERIC_ENTITIES, GENERIC_MEMBERSHIPS, GENERIC_ACCOUNTS):
    FORMATS.add(_fmt)


def register(fmt: Format) -> Format:
    """Add a format (a duplicate name raises RegistryError)."""
    return FORMATS.add(fmt)


__all__ = ["FORMATS", "Check", "Format", "register"]
