"""One input file: how to open it (gzip is transparent), its fingerprint and its lines.

Why a pre-pass: one cheap sequential read gives the sha256 that makes synthesised ids
content-addressed (the same bytes under another name get the same ids, so re-ingest stays
idempotent), the line count that sizes the progress bar, and the positions of blank lines,
which CSV readers skip silently and would otherwise shift every later ``source_line``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

from lockstep.errors import DataError, UserError
from lockstep.ingest.quickscan import QuickScan

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 8 << 20
MAX_BLANK_LINES_TRACKED = 100_000


@dataclass
class SourceFile:
    """An input file and what the pre-pass learned about it.

    The pre-pass may run in a background thread (:func:`prepass_async`) while the file is
    parsed; reading ``sha256``, ``n_lines`` or ``blank_lines`` waits for it.
    """

    path: Path
    gzip: bool
    # a UTF-8 copy of a file in another encoding (--encoding): what the readers read
    transcoded: Path | None = None
    _sha256: str = ""
    _n_lines: int = 0  # physical lines (a last line without newline counts)
    _blank_lines: list[int] = field(default_factory=list)  # 1-based numbers of empty lines
    # empty lines after an odd number of double quotes: inside a quoted CSV field, not holes
    _quoted_blank_lines: set[int] = field(default_factory=set)
    _longest_line: int = 0  # bytes
    _has_nul: bool = True  # until the pre-pass has looked
    _pending: threading.Thread | None = None
    _error: BaseException | None = None

    def ready(self) -> "SourceFile":
        """Wait for a background pre-pass; re-raise its error here."""
        if self._pending is not None and self._pending is not threading.current_thread():
            self._pending.join()
            self._pending = None
        if self._error is not None:
            raise self._error
        return self

    @property
    def sha256(self) -> str:
        return self.ready()._sha256

    @property
    def n_lines(self) -> int:
        return self.ready()._n_lines

    @property
    def blank_lines(self) -> list[int]:
        return self.ready()._blank_lines

    @property
    def quoted_blank_lines(self) -> set[int]:
        return self.ready()._quoted_blank_lines

    def maybe_nul(self) -> bool:
        """False once a finished pre-pass found no NUL byte (readers then skip their NUL
        scan); True while it runs or when it found one. Never waits."""
        if self._pending is not None and self._pending.is_alive():
            return True
        return self._has_nul or self._error is not None

    @property
    def longest_line(self) -> int:
        return self.ready()._longest_line

    @property
    def data_path(self) -> Path:
        """The file the readers open: the UTF-8 copy when the input was transcoded."""
        return self.transcoded or self.path

    @property
    def compressed(self) -> bool:
        """Whether :attr:`data_path` is gzip (a transcoded copy never is)."""
        return self.gzip and self.transcoded is None

    @property
    def name(self) -> str:
        return str(self.path.resolve())

    @property
    def short_id(self) -> str:
        """A short content id used to synthesise action ids for formats without ids."""
        return self.sha256[:12]


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def open_source(path: Path, encoding: str | None = None, scratch: Path | None = None) -> SourceFile:
    """Check that ``path`` is a readable file and note whether it is gzip-compressed.

    With ``encoding`` (any Python codec; UTF-16 is also recognised by its byte-order mark)
    the file is first copied to UTF-8 under ``scratch``; line breaks are kept, so every
    line number still names the original file, and undecodable bytes stay invalid UTF-8
    so the record that holds them is quarantined, not silently altered.
    """
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if path.is_dir():
        raise DataError(f"{path}: is a directory, not a data file")
    try:
        with path.open("rb") as fh:
            magic = fh.read(2)
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None
    src = SourceFile(path=path, gzip=magic == GZIP_MAGIC)
    if encoding is None and not src.gzip and magic in UTF16_BOMS:
        encoding = "utf-16"
    if encoding is not None and codecs_name(encoding) != "utf-8":
        src.transcoded = _transcode(src, encoding, scratch or path.parent)
    return src


def codecs_name(encoding: str) -> str:
    """The codec's canonical name; a UserError for an unknown one."""
    import codecs

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UserError(f"--encoding {encoding!r}: unknown encoding (e.g. utf-8, latin-1, cp1252, utf-16)") from None


def _transcode(src: SourceFile, encoding: str, scratch: Path) -> Path:
    scratch.mkdir(parents=True, exist_ok=True)
    out = scratch / f"transcoded-{os.getpid()}-{src.path.name}"
    if src.gzip:
        raw: IO[bytes] = gzip.open(src.path, "rb")  # type: ignore[assignment]
    else:
        raw = src.path.open("rb")
    try:
        with raw, io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="") as fin, \
                out.open("w", encoding="utf-8", errors="surrogateescape", newline="") as fout:
            for chunk in iter(lambda: fin.read(1 << 20), ""):
                fout.write(chunk.lstrip("\ufeff") if fout.tell() == 0 else chunk)
    except (UnicodeError, OSError, EOFError, gzip.BadGzipFile) as exc:
        out.unlink(missing_ok=True)
        raise DataError(f"{src.path}: cannot read as {encoding} ({exc})") from None
    return out


def cleanup_transcoded(scratch: Path, path: Path) -> None:
    """Remove the UTF-8 copy made for ``path`` (if any)."""
    (scratch / f"transcoded-{os.getpid()}-{path.name}").unlink(missing_ok=True)


def open_binary(src: SourceFile) -> IO[bytes]:
    """The decompressed (and, with --encoding, UTF-8) bytes of the file."""
    if src.compressed:
        return gzip.open(src.path, "rb")  # type: ignore[return-value]
    return src.data_path.open("rb")


def head_lines(src: SourceFile, n: int = 5, max_bytes: int = 1 << 20) -> list[str]:
    """The first ``n`` lines, decoded leniently (used for format detection only)."""
    try:
        with open_binary(src) as fh:
            data = fh.read(max_bytes)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise DataError(f"{src.path}: cannot read ({exc})") from None
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    return text.splitlines()[:n]


def prepass(src: SourceFile) -> SourceFile:
    """Hash the stored bytes and count the decompressed lines, noting blank ones.

    A plain file is read once (hash and line scan share each chunk); gzip (or a transcoded
    file) is read twice (hash of the stored bytes, lines of the bytes the readers see). The
    line scan is first the quick one (:mod:`lockstep.ingest.quickscan`); a file with a blank
    line or a CR is then scanned again in full (the quick scan cannot place those).
    """
    digest = hashlib.sha256()
    quick = QuickScan()
    separate = src.compressed or src.transcoded is not None
    try:
        with src.path.open("rb") as raw:
            for chunk in iter(lambda: raw.read(_CHUNK), b""):
                digest.update(chunk)
                if not separate:
                    quick.feed(chunk)
        if separate:
            with open_binary(src) as fh:
                for chunk in iter(lambda: fh.read(_CHUNK), b""):
                    quick.feed(chunk)
                    if quick.gave_up:
                        break
        if quick.gave_up:
            scan = _LineScan()
            with open_binary(src) as fh:
                for chunk in iter(lambda: fh.read(_CHUNK), b""):
                    scan.feed(chunk)
    except (OSError, EOFError, gzip.BadGzipFile, zlib_error()) as exc:
        raise DataError(f"{src.path}: cannot read ({exc})") from None
    src._sha256 = digest.hexdigest()
    if quick.gave_up:
        src._n_lines, src._blank_lines, src._quoted_blank_lines = scan.total(), scan.blanks, scan.quoted
        src._longest_line, src._has_nul = scan.longest, scan.has_nul
    else:  # no blank line: none to list
        src._n_lines, src._blank_lines, src._quoted_blank_lines = quick.total(), [], set()
        src._longest_line, src._has_nul = quick.longest, quick.has_nul
    return src


class _LineScan:
    """Newline count, blank lines and the blank lines that sit inside a quoted CSV field
    (an odd number of double quotes before them), fed chunk by chunk."""

    def __init__(self) -> None:
        self.lines = 0
        self.blanks: list[int] = []
        self.quoted: set[int] = set()
        self.quotes = 0  # double quotes seen so far
        self.longest = 0  # bytes of the longest physical line
        self.line_open = 0  # bytes of the line still open at the end of the last chunk
        self.has_nul = False
        self.tail = b"\0\n"  # a newline "before" the file: line 1 may be blank

    def feed(self, chunk: bytes) -> None:
        n_before = len(self.blanks)
        arr = np.frombuffer(chunk, dtype=np.uint8)
        nl = np.flatnonzero(arr == 10)
        gaps = np.diff(nl)  # (shared by the longest line and the blank lines)
        if len(nl):  # the longest physical line (DuckDB's CSV buffer must hold it)
            first = int(nl[0]) + self.line_open
            self.longest = max(self.longest, first, int(gaps.max()) if len(nl) > 1 else 0)
            self.line_open = len(chunk) - int(nl[-1]) - 1
        else:
            self.line_open += len(chunk)
        self.longest = max(self.longest, self.line_open)
        self.lines += _scan_lines(chunk, self.tail, self.lines, self.blanks, nl, gaps)
        if len(self.blanks) > n_before and b'"' in chunk:
            self._mark_quoted(chunk, self.blanks[n_before:])
        # (numpy, not bytes.count: a CSV has a quote every few bytes, where bytes.count is ~4x slower)
        self.quotes += int(np.count_nonzero(arr == 34))
        self.has_nul = self.has_nul or b"\0" in chunk
        self.tail = (self.tail + chunk[-2:])[-2:]

    def _mark_quoted(self, chunk: bytes, new_blanks: list[int]) -> None:
        arr = np.frombuffer(chunk, dtype=np.uint8)
        nl = np.flatnonzero(arr == 10)
        first_line = self.lines - len(nl)  # lines before this chunk
        qcum = np.cumsum(arr == 34)
        for b in new_blanks:
            k = b - first_line - 1  # index (in nl) of the newline that ends blank line b
            if 0 <= k < len(nl) and (self.quotes + int(qcum[nl[k]])) % 2 == 1:
                self.quoted.add(b)

    def total(self) -> int:
        return self.lines + (1 if self.tail[-1:] != b"\n" else 0)  # a last line without newline


def prepass_async(src: SourceFile, then: Callable[[SourceFile], None] | None = None) -> SourceFile:
    """Run :func:`prepass` in a thread (hashing releases the GIL, so it overlaps the parse).

    ``then`` runs in that thread once the pre-pass is done (e.g. to size a progress bar).
    """

    def work() -> None:
        try:
            prepass(src)
            if then is not None:
                then(src)
        except BaseException as exc:  # noqa: BLE001 - re-raised by SourceFile.ready()
            src._error = exc

    src._pending = threading.Thread(target=work, name="lockstep-prepass", daemon=True)
    src._pending.start()
    return src


def _scan_lines(chunk: bytes, tail: bytes, lines_before: int, out: list[int],
                nl: np.ndarray | None = None, gaps: np.ndarray | None = None) -> int:
    """Count the newlines of ``chunk`` and record the line numbers of its empty lines.

    An empty line is a newline right after a newline, or after ``\\n\\r``; ``tail`` (the
    two bytes before the chunk; ``b"\\0\\n"`` at the start of the file) catches one split
    across chunks. Vectorised with numpy: searching bytes for ``\\n\\n`` cost ~1.5x the hash.
    Without a CR the newline positions alone tell (a newline one byte after the previous
    one), so no copy of the chunk is made; ``gaps`` is ``np.diff(nl)`` when the caller has it.
    """
    arr = np.frombuffer(chunk, dtype=np.uint8)
    if nl is None:
        nl = np.flatnonzero(arr == 10)
    if len(out) >= MAX_BLANK_LINES_TRACKED or not len(nl):
        return len(nl)
    if b"\r" in chunk or b"\r" in tail:  # memchr: the CR check only runs for CRLF files
        prev = np.concatenate((np.frombuffer(tail, dtype=np.uint8), arr))  # prev[i + 2] = chunk[i]
        blank = prev[nl + 1] == 10  # the byte before the newline is a newline
        blank |= (prev[nl + 1] == 13) & (prev[nl] == 10)
    else:  # the byte before a newline is a newline: the previous newline, or the tail's last
        blank = np.empty(len(nl), dtype=bool)
        blank[0] = nl[0] == 0 and tail[-1:] == b"\n"
        blank[1:] = (np.diff(nl) if gaps is None else gaps) == 1
    out.extend((lines_before + np.flatnonzero(blank) + 1).tolist())
    return len(nl)


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def text_stream(src: SourceFile) -> IO[str]:
    """Decoded text lines with invalid UTF-8 kept visible (surrogateescape) for quarantine."""
    return io.TextIOWrapper(open_binary(src), encoding="utf-8", errors="surrogateescape", newline="")
