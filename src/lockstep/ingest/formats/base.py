"""What a format reader declares: columns, row checks and the SQL into canonical tables.

A CSV-like format is data, not code: required and optional columns, a list of row checks
(each a SQL condition that is true for a bad row, with the field and reason it reports),
and for each canonical table a mapping field -> SQL expression over the file's columns.
The generic machinery (``lockstep.ingest.csvpipe``) turns that into two statements per
batch, one that stages the good rows and one that quarantines the bad ones, so every
format validates the same way and no row can fall between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lockstep.model import TABLES

# ``{file}`` is the source file literal, ``{sid}`` a literal with the file's content id.
LINE = "_line"


@dataclass(frozen=True)
class Check:
    """A row is bad when ``bad_sql`` is true; it is quarantined with ``field`` and ``reason``."""

    field: str
    reason: str
    bad_sql: str
    # optional SQL giving a more precise reason for a bad row (NULL: use ``reason``)
    why_sql: str | None = None


OUT_OF_RANGE = "time out of range or not finite (accepted: 1970-01-01 to 2099-12-31 UTC)"


def time_check(col: str, bad_sql: str, reason: str = "unparseable timestamp (missing or malformed)") -> Check:
    """A time check whose quarantine reason says "out of range" when the value reads as a
    time (or a number) outside the accepted range, rather than "malformed"."""
    return Check(col, reason, bad_sql, f"CASE WHEN ls_time_oor({col}) THEN '{OUT_OF_RANGE}' END")


def empty_id(col: str) -> Check:
    return Check(col, "empty id", f"ls_blank({col})")


def bad_int(col: str) -> Check:
    return Check(col, "not an integer", f"ls_bad_int({col})")


def bad_time(col: str, parse: str = "ls_ts", what: str = "unparseable timestamp") -> Check:
    return time_check(col, f"{parse}({col}) IS NULL", f"{what} (missing or malformed)")


@dataclass(frozen=True)
class Format:
    """A named input format."""

    name: str
    summary: str
    kind: str = "csv"  # csv | jsonl
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # expected -> other names
    checks: tuple[Check, ...] = ()
    outputs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # table -> field -> SQL
    first_per: Mapping[str, str] = field(default_factory=dict)  # table -> key SQL: keep first row per key
    primary: str = "actions"
    # keep exact duplicate records of one file as distinct actions (CooRTweet counts every row)
    keep_duplicates: bool = False
    header: bool = True
    delim: str = ","
    names: tuple[str, ...] = ()  # column names when the file has no header
    # detection: score from (header names lower-cased, first lines); 0 = not this format
    detect: Callable[[set[str], list[str]], int] | None = None
    # JSON formats: a parser object (see ``lockstep.ingest.jsonpipe``)
    parser: object | None = None

    def select_list(self, table: str, file_lit: str, sid_lit: str) -> str:
        """The SELECT list producing canonical ``table`` columns, in schema order."""
        exprs = dict(self.outputs[table])
        exprs.setdefault("source_file", file_lit)
        exprs.setdefault("source_line", LINE)
        parts = []
        for f in TABLES[table]:
            expr = exprs.get(f.name)
            if expr is None:
                expr = "NULL"
            expr = expr.replace("{file}", file_lit).replace("{sid}", sid_lit)
            parts.append(f'({expr}) AS "{f.name}"')
        return ", ".join(parts)


def has_all(*cols: str, score: int = 10) -> Callable[[set[str], list[str]], int]:
    """Detect by header: every listed column present (more columns listed -> higher score)."""
    need = {c.lower() for c in cols}

    def _detect(header: set[str], _lines: list[str]) -> int:
        return score + len(need) if need <= header else 0

    return _detect
