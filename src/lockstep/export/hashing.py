"""The hashing rule of a transparency release: which accounts are hashed, how, and where.

Twitter hashed the ids of accounts with fewer than 5,000 followers in its Information
Operations releases; the 2019 release left ``user_mentions`` unhashed, and people recovered
hashed accounts from it. So here one :class:`Pseudonymizer` replaces every identifier of a
small account (id, handle, display name) wherever it stands: in id columns, in lists, and
inside free text (tweet text, profile fields, urls). The same :class:`Needles` drive the
release check (:mod:`lockstep.export.check`), which looks for them in the written bytes.

Hash: HMAC-SHA256 over the account id with a key the user keeps, as 64 hex characters
(Twitter used base64; hex has no ``+``/``/`` that would split a hash into words a short
handle could equal). The same key gives the same hashes in every release.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lockstep.errors import UserError
from lockstep.store.queries.report import Identity

WORD = re.compile(r"[A-Za-z0-9_]+")
NOT_WORD_BEFORE = r"(?<![A-Za-z0-9_])"
NOT_WORD_AFTER = r"(?![A-Za-z0-9_])"
MIN_FREE_TEXT = 3  # shorter names are hashed in their own columns only (see the datasheet)


def read_key(path: Path) -> bytes:
    """The HMAC key in ``path`` (its bytes, one trailing newline dropped); at least 16 bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"--key-file {path}: cannot read ({exc.strerror})") from None
    key = data[:-1] if data.endswith(b"\n") else data
    if len(key) < 16:
        raise UserError(f"--key-file {path}: the key has {len(key)} bytes; use at least 16 random bytes")
    return key


def workspace_key(ws_path: Path) -> tuple[bytes, Path, bool]:
    """The workspace's own key (made on first use under ``WS/keys/``, never inside a release);
    returns the key, its file and whether it was just created."""
    path = Path(ws_path) / "keys" / "transparency.key"
    if path.exists():
        return read_key(path), path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    path.chmod(0o600)
    return read_key(path), path, True


def key_fingerprint(key: bytes) -> str:
    """A short name for the key (tells two releases apart without revealing it)."""
    return hmac.new(key, b"lockstep key fingerprint", hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Needles:
    """The raw strings that must not appear in a release, each with its replacement:
    ``tokens`` (ids and handles, lower case, matched as whole words) and ``names`` (display
    names of at least :data:`MIN_FREE_TEXT` characters, matched case-insensitively where
    no word character touches them). ``short``: names not searched in free text, being
    shorter than :data:`MIN_FREE_TEXT` or part of a kept (large) account's own name."""

    tokens: dict[str, str]
    names: dict[str, str]
    short: int
    kept: tuple[str, ...] = ()

    def names_pattern(self) -> re.Pattern[str] | None:
        return _phrases(self.names)

    def kept_pattern(self) -> re.Pattern[str] | None:
        return _phrases(self.kept)

    def find(self, text: str) -> list[tuple[int, str]]:
        """Every (offset, raw string) of a needle in ``text``, outside the kept (large)
        accounts' own ids and names, which may contain a small account's name as a word."""
        kept = self.kept_pattern()
        if kept is not None:
            text = kept.sub(lambda m: " " * len(m.group(0)), text)
        hits = [(m.start(), m.group(0)) for m in WORD.finditer(text) if m.group(0).lower() in self.tokens]
        pat = self.names_pattern()
        if pat is not None:
            hits += [(m.start(), m.group(0)) for m in pat.finditer(text)]
        return sorted(hits)


def _phrases(strings: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for ``strings`` where no word character touches them."""
    alts = "|".join(re.escape(n) for n in sorted(strings, key=len, reverse=True))
    return re.compile(f"{NOT_WORD_BEFORE}(?:{alts}){NOT_WORD_AFTER}", re.IGNORECASE) if alts else None


class Pseudonymizer:
    """Hashes small accounts' identifiers with ``key``; accounts with at least ``threshold``
    followers keep theirs. Accounts whose follower count is unknown, and named ids or
    handles the workspace does not know at all, are hashed (only what is known to be large
    is kept)."""

    def __init__(self, key: bytes, threshold: int, identities: list[Identity],
                 unknown_ids: Sequence[str] = (), unknown_handles: Sequence[str] = ()) -> None:
        self.key, self.threshold = key, threshold
        self.kept = {i.account_id for i in identities if i.followers is not None and i.followers >= threshold}
        self.hashed_accounts = sorted({i.account_id for i in identities} - self.kept)
        kept_strings = {s.strip().lower() for i in identities if i.account_id in self.kept
                        for s in (i.account_id, i.handle, i.display_name) if s and s.strip()}
        tokens: dict[str, str] = {}
        names: dict[str, str] = {}
        short = 0

        def add(value: str | None, h: str, min_len: int = 1) -> None:
            nonlocal short
            low = (value or "").strip().lower()
            if not low or low in kept_strings:
                return
            if len(low) < min_len:
                short += 1
            elif WORD.fullmatch(low):
                tokens.setdefault(low, h)
            else:
                names.setdefault(low, h)
        for i in identities:
            if i.account_id not in self.kept:
                h = self.hash_id(i.account_id)
                add(i.account_id, h)
                add(i.handle, h)
                add(i.display_name, h, MIN_FREE_TEXT)
        for a in unknown_ids:
            add(a, self.hash_id(a))
        for handle in unknown_handles:
            add(handle, self.hash_id("@" + handle.lower()))
        self.by_id = {i.account_id: i for i in identities}
        self.needles = Needles(tokens=tokens, names=names, short=short,
                               kept=tuple(sorted(k for k in kept_strings if len(k) >= MIN_FREE_TEXT)))
        self._names = self.needles.names_pattern()
        self._kept = self.needles.kept_pattern()

    @property
    def n_hashed(self) -> int:
        """How many accounts (known or only named) the release hashes."""
        return len(set(self.needles.tokens.values()) | set(self.needles.names.values()))

    def hash_id(self, account_id: str) -> str:
        return hmac.new(self.key, account_id.encode("utf-8"), hashlib.sha256).hexdigest()

    def account(self, account_id: str | None) -> str:
        """The id as released: kept for a large account, hashed otherwise."""
        if not account_id:
            return ""
        return account_id if account_id in self.kept else self.tokens_get(account_id)

    def tokens_get(self, value: str) -> str:
        return self.needles.tokens.get(value.lower()) or self.hash_id(value)

    def handle(self, account_id: str, handle: str | None) -> str:
        return (handle or "") if account_id in self.kept else self.hash_id(account_id)

    def display_name(self, account_id: str, name: str | None) -> str:
        return (name or "") if account_id in self.kept else self.hash_id(account_id)

    def mention(self, value: str) -> str:
        """A mention (an id or a handle) as released."""
        if value in self.kept:
            return value
        return self.needles.tokens.get(value.lower().lstrip("@")) or self.hash_id(value)

    def text(self, value: str | None) -> str:
        """Free text with every small account's display name, handle and id replaced; the
        kept (large) accounts' own ids and names are left as they are."""
        if not value:
            return ""
        if self._kept is None:
            return self._scrub(value)
        out, at = [], 0
        for m in self._kept.finditer(value):
            out += [self._scrub(value[at:m.start()]), m.group(0)]
            at = m.end()
        return "".join(out) + self._scrub(value[at:])

    def _scrub(self, value: str) -> str:
        out = self._names.sub(
            lambda m: self.needles.names.get(m.group(0).lower()) or self.hash_id(m.group(0)), value) \
            if self._names else value
        return WORD.sub(lambda m: self.needles.tokens.get(m.group(0).lower(), m.group(0)), out)
