"""What ``ads check`` and ``ads scan`` write besides their main output: rows set aside and the decision log.

Why a log: each decision must be replayable and appealable, so each one is appended to
``WS/ads/decisions.jsonl`` with when, by what, on which input line, and the policy and
registry versions that produced it. When the ledger (issue 13) lands, these records are
what it imports; the DSA statement of reasons (``decision_monetary``) is built from them there.
"""

from __future__ import annotations

import csv
import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lockstep.ads.decide import Decision
from lockstep.ads.policy import Policy
from lockstep.errors import UserError

LOG_FILE = "decisions.jsonl"
REJECTED_COLUMNS = ("file", "line", "field", "problem", "raw")


@dataclass(frozen=True)
class Rejected:
    """A row set aside: where it is, which field, what is wrong, and the start of its text."""

    file: str
    line: int
    field: str
    problem: str
    raw: str = ""

    def message(self) -> str:
        return f"{self.file}: line {self.line}: field {self.field}: {self.problem}"


def printable(text: str) -> str:
    """Undecodable bytes (kept as surrogates when read) and NULs shown as escapes, so the
    rejects file is itself valid UTF-8."""
    raw = text.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace").replace("\x00", "\\x00")


def write_rejected(path: Path, rows: Iterable[Rejected]) -> None:
    with open_output(path) as fh:
        w = csv.writer(fh)
        w.writerow(REJECTED_COLUMNS)
        for r in rows:
            w.writerow((r.file, r.line, r.field, printable(r.problem), printable(r.raw[:200])))


class open_output:
    """Write a text file atomically: to ``NAME.tmp``, renamed over ``NAME`` only when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")

    def __enter__(self) -> Any:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.tmp, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise UserError(f"{self.path}: cannot write: {exc.strerror or exc}") from None
        return self.fh

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.fh.close()
        if kind is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def append_log(log: Path, command: str, source: Path, items: Iterable[tuple[Decision, dict[str, Any]]],
               policy: Policy, registry_version: str) -> int:
    """Append one JSON line per (decision, extra fields); returns how many were written."""
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    run = uuid.uuid4().hex[:12]
    n = 0
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as fh:
        for d, extra in items:
            rec: dict[str, Any] = {
                "decision_id": f"{run}-{n}", "at": at, "by": f"lockstep ads {command}", "input": str(source),
                "line": d.line, "advertiser": d.advertiser, "decision": d.decision, "rule": d.rule,
                "matched_entry": d.matched_entry, "evidence": d.evidence, "policy": policy.record(),
                "registry": registry_version, "appealable": d.decision != "eligible",
            }
            rec.update(extra)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n
