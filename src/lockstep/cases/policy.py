"""The platform-manipulation policy: versioned reason codes every decision cites.

Why a file and not constants (after ROOST Coop's versioned policies): the policy changes,
and a decision taken under version N must still be read against version N's text. The
bundled TOML is the default; a user file adds or replaces reasons. Each decision stores the
version string and the sha256 of the policy as loaded, and the ledger keeps that text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from lockstep.errors import UserError
from lockstep.store.ledger import canonical, sha256

from lockstep.cases import sor_rules

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "manipulation_policy.toml"


@dataclass(frozen=True)
class Reason:
    code: str
    title: str
    text: str
    sor_category: str
    sor_keywords: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    url: str
    reasons: dict[str, Reason]

    def reason(self, code: str) -> Reason:
        if code not in self.reasons:
            raise UserError(f"unknown reason code {code!r} in policy {self.version}"
                            f" (known: {', '.join(sorted(self.reasons))})")
        return self.reasons[code]

    def as_record(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "url": self.url,
                "reasons": {c: {"title": r.title, "text": r.text, "sor_category": r.sor_category,
                                "sor_keywords": list(r.sor_keywords)} for c, r in sorted(self.reasons.items())}}

    @cached_property
    def _bytes(self) -> bytes:
        return canonical(self.as_record())

    def canonical(self) -> bytes:
        """The policy as stored in the ledger (and hashed): every reason's text, by code."""
        return self._bytes

    @cached_property
    def hash(self) -> str:
        return sha256(self._bytes)


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{where}: not valid TOML ({exc})") from None


def _reasons(doc: dict[str, Any], where: str) -> dict[str, Reason]:
    out: dict[str, Reason] = {}
    table = doc.get("reasons", {})
    if not isinstance(table, dict):
        raise UserError(f"{where}: [reasons] must be a table of reason codes")
    for code, r in table.items():
        if not isinstance(r, dict):
            raise UserError(f"{where}: reasons.{code} must be a table")
        for key in ("title", "text", "sor_category"):
            if not isinstance(r.get(key), str) or not r[key].strip():
                raise UserError(f"{where}: reasons.{code}.{key} is missing (a non-empty string)")
        kws = r.get("sor_keywords", [])
        if not isinstance(kws, list) or not all(isinstance(k, str) for k in kws):
            raise UserError(f"{where}: reasons.{code}.sor_keywords must be a list of strings")
        if r["sor_category"] not in sor_rules.CATEGORIES:
            raise UserError(f"{where}: reasons.{code}.sor_category={r['sor_category']!r} is not a"
                            " transparency-database category (STATEMENT_CATEGORY_...)")
        bad = [k for k in kws if k not in sor_rules.KEYWORDS]
        if bad:
            raise UserError(f"{where}: reasons.{code}.sor_keywords: {bad[0]!r} is not a transparency-database keyword")
        out[code] = Reason(code, r["title"].strip(), " ".join(r["text"].split()), r["sor_category"], tuple(kws))
    return out


def load_policy(user_file: Path | None = None) -> Policy:
    """The bundled policy, extended by ``user_file`` when given."""
    base = _parse(BUNDLED.read_text("utf-8"), BUNDLED.name)
    reasons = _reasons(base, BUNDLED.name)
    name, version, url = str(base["name"]), str(base["version"]), str(base.get("url", ""))
    if user_file is not None:
        p = Path(user_file)
        if not p.is_file():
            raise UserError(f"--policy {p}: no such file")
        doc = _parse(p.read_text("utf-8"), str(p))
        if not isinstance(doc.get("version"), str) or not doc["version"]:
            raise UserError(f"{p}: version is missing (a string, e.g. version = \"1\")")
        reasons.update(_reasons(doc, str(p)))
        version = f"{version}+{doc.get('name', p.stem)}-{doc['version']}"
        url = str(doc.get("url", url))
    return Policy(name, version, url, reasons)
