"""What an ingest did, file by file: the counts that must reconcile, and what the exit code says.

Every file's records are accounted for: ``read = stored + duplicate + quarantined``, where
``read`` counts the records of the file's main table (tweets, posts, users...) plus every
quarantine entry, ``stored`` the new rows, ``duplicate`` the good rows already stored (an
earlier ingest, or a repeat inside the file) and ``quarantined`` the rows set aside with a
reason. Rows of other tables (the users of a tweet file) are reported beside, not in the sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileReport:
    """What happened to one input file."""

    path: str
    format: str | None = None
    rows_read: int = 0
    rows_stored: int = 0  # new rows in the file's main table
    rows_quarantined: int = 0
    quarantine_file: str | None = None
    stored_by_table: dict[str, int] = field(default_factory=dict)
    primary: str = "actions"  # the main table these counts are about
    error: str | None = None

    @property
    def rows_good(self) -> int:
        """Records that passed every check (stored now or already stored)."""
        return self.rows_read - self.rows_quarantined

    @property
    def rows_duplicate(self) -> int:
        """Good rows already stored (earlier ingest, or repeated inside the file)."""
        return max(self.rows_good - self.rows_stored, 0)

    @property
    def reconciled(self) -> bool:
        return self.rows_read == self.rows_stored + self.rows_duplicate + self.rows_quarantined

    @property
    def nothing_usable(self) -> bool:
        """The file was read but not one record in it could be stored or was already stored."""
        return (self.error is None and self.rows_read > 0 and self.rows_good <= 0
                and not any(self.stored_by_table.values()))

    def summary(self) -> str:
        """One line: the reconciliation, spelled out."""
        return (f"{self.path}: read {self.rows_read:,} = stored {self.rows_stored:,} + duplicate "
                f"{self.rows_duplicate:,} + quarantined {self.rows_quarantined:,} ({self.primary})")


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)  # what an interrupted earlier ingest left

    @property
    def errors(self) -> list[str]:
        """One line per file that was rejected or of which nothing could be used."""
        out = [f.error for f in self.files if f.error]
        for f in self.files:
            if f.nothing_usable:
                where = f" (see {f.quarantine_file})" if f.quarantine_file else ""
                out.append(f"{f.path}: nothing stored: all {f.rows_read:,} record(s) quarantined{where}")
        return out

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def stored_any(self) -> bool:
        return any(f.error is None for f in self.files)
