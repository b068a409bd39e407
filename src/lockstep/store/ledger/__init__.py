"""The tamper-evident ledger of cases and decisions (the only module that talks to its database)."""

from lockstep.store.ledger.chain import Event, NewEvent, canonical, sha256
from lockstep.store.ledger.connect import resolve_url, safe_url
from lockstep.store.ledger.db import Appended, Ledger, Txn, open_ledger
from lockstep.store.ledger.verify import VerifyReport, verify

__all__ = ["Appended", "Event", "Ledger", "NewEvent", "Txn", "VerifyReport", "canonical",
           "open_ledger", "resolve_url", "safe_url", "sha256", "verify"]
