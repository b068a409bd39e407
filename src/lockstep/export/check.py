"""The release check: before a transparency release reaches ``--out``, read back every byte of
every file written for it and look for every raw id, handle and display name of a small
account. One hit stops the release, naming file, row and column.

Why read the written bytes and not trust the writer: the 2019 leak came from a column the
hashing step did not know carried ids. The check does not know the columns either; it
scans whole files, then places each hit in its CSV row and column for the message.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from lockstep.errors import UserError
from lockstep.export.hashing import Needles


@dataclass(frozen=True)
class Leak:
    file: str
    row: int  # CSV data row (1 = first row after the header), or text line for other files
    column: str  # CSV column name ("" for other files)
    value: str  # the raw string found

    def where(self) -> str:
        at = f"row {self.row}, column {self.column}" if self.column else f"line {self.row}"
        return f"{self.file}: {at}: raw identifier {self.value!r} of a small account"


def _place(text: str, offset: int, is_csv: bool) -> tuple[int, str]:
    """The CSV data row and column (or the text line) holding character ``offset``."""
    if not is_csv:
        return text.count("\n", 0, offset) + 1, ""
    end = _record_end(text, 0)
    header = next(csv.reader(io.StringIO(text[:end], newline="")), [])
    row, start = 0, 0
    while end <= offset and end < len(text):
        row, start, end = row + 1, end, _record_end(text, end)
    return row, _column_at(text[start:end], offset - start, header) if row else "(header)"


def _record_end(text: str, start: int) -> int:
    """Where the CSV record starting at ``start`` ends (after its newline), quotes respected."""
    quoted = False
    for i in range(start, len(text)):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            return i + 1
    return len(text)


def _column_at(record: str, offset: int, header: list[str]) -> str:
    quoted, col = False, 0
    for ch in record[:offset]:
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            col += 1
    return header[col] if col < len(header) else f"#{col + 1}"


def scan(folder: Path, needles: Needles, limit: int = 20) -> list[Leak]:
    """Every file under ``folder``, every byte: the first ``limit`` needles found."""
    leaks: list[Leak] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")  # still every byte, one character each
        for offset, value in needles.find(text):
            row, column = _place(text, offset, path.suffix == ".csv")
            leaks.append(Leak(str(path.relative_to(folder)), row, column, value))
            if len(leaks) >= limit:
                return leaks
    return leaks


def require_clean(folder: Path, needles: Needles) -> None:
    """Refuse the release (UserError naming where) when any needle is found."""
    leaks = scan(folder, needles)
    if leaks:
        more = " (and maybe more)" if len(leaks) >= 20 else ""
        raise UserError(f"release check failed, nothing written: {leaks[0].where()}; {len(leaks)} hit(s){more}")
