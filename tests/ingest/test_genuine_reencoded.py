"""Other encodings and delimiters, on genuine content: a genuine file re-encoded and
re-delimited must give exactly the rows of the original, at the same lines.

No genuine public CSV of posts or accounts in UTF-16, cp1252 or with a ';'/tab delimiter was
found (searches listed in tests/fixtures/genuine/PROVENANCE.md), so these tests derive them
from genuine files: the bytes differ, the records are real ones (with their emoji, CJK text,
embedded quotes, delimiters inside fields and multi-line values), and the original's ingest
is the expected answer.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from lockstep.ingest import ingest_paths
from lockstep.ingest.api import IngestOptions
from lockstep.store import open_workspace

from ingest_helpers import FIXTURES, real, rows

TABLES = ("actions", "accounts")


def _redelimit(src: Path, dst: Path, delimiter: str, encoding: str) -> None:
    """The same records (csv module round trip: quoting as needed) with another delimiter
    and encoding; line structure kept, so source lines are comparable."""
    text = src.read_text(encoding="utf-8")
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    for rec in csv.reader(io.StringIO(text, newline="")):
        writer.writerow(rec)
    dst.write_bytes(out.getvalue().encode(encoding))


def _stored(ws_dir: Path, path: Path, opts: IngestOptions) -> tuple[Any, dict[str, list[tuple[Any, ...]]]]:
    with open_workspace(ws_dir) as ws:
        rep = ingest_paths(ws, [path], progress=False, options=opts)
        got = {}
        for t in TABLES:
            cols = [c for c in (r[0] for r in rows(ws, f"DESCRIBE {t}")) if c != "source_file"]
            got[t] = sorted(rows(ws, f"SELECT {', '.join(cols)} FROM {t}"), key=repr)
    return rep.files[0], got


CASES = [
    # genuine file, format, delimiter, encoding
    (FIXTURES / "genuine" / "twarc2csv_flat.csv", "twarc2-csv", ";", "cp1252"),
    (FIXTURES / "genuine" / "twarc2csv_stream.csv", "twarc2-csv", "\t", "utf-16"),
    ("nbc_ira_users/users.csv", None, ";", "utf-8-sig"),
    ("twitter_io_china_082019_1_users/china_082019_1_users_csv_hashed.csv", None, "\t", "utf-16"),
]


@pytest.mark.parametrize("src,fmt,delimiter,encoding", CASES, ids=lambda v: str(v).rsplit("/", 1)[-1])
def test_reencoded_genuine_file_stores_the_same_rows(tmp_path: Path, src: Path | str, fmt: str | None,
                                                      delimiter: str, encoding: str) -> None:
    original = src if isinstance(src, Path) else real(src)
    derived = tmp_path / f"derived{original.suffix}"
    _redelimit(original, derived, delimiter, encoding)
    assert derived.read_bytes() != original.read_bytes()
    want_rep, want = _stored(tmp_path / "a", original, IngestOptions(fmt=fmt))
    assert want_rep.error is None and sum(len(v) for v in want.values()) > 0
    got_rep, got = _stored(tmp_path / "b", derived, IngestOptions(fmt=fmt, encoding=encoding, delimiter=delimiter))
    assert got_rep.error is None, got_rep.error
    assert (got_rep.rows_read, got_rep.rows_stored, got_rep.rows_quarantined, got_rep.stored_by_table) == \
        (want_rep.rows_read, want_rep.rows_stored, want_rep.rows_quarantined, want_rep.stored_by_table)
    for t in TABLES:
        assert got[t] == want[t], t
