"""The advertising policy: explicit, versioned rules read from a TOML file.

Why a file and not code: the line between "state editorial control" and "independent public
media" is a policy decision a trust-and-safety team owns and changes; every decision then
names the rule that made it and the policy's name, version and file hash, so it can be
replayed and appealed. The bundled default is ``lockstep/data/ads_policy.toml``.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from lockstep.errors import UserError
from lockstep.params import Param

DECISIONS = ("eligible", "ineligible", "review")
SPECIAL = ("uncertain-typology", "no-match", "weak-match", "conflicting-matches")
SEVERITY = {"eligible": 0, "review": 1, "ineligible": 2}
BUNDLED = "ads_policy.toml"

MATCHING_PARAMS = (
    Param("name_weak", float, 80.0, "fuzzy name score (0-100) from which a name is a weak match", min=50, max=100),
    Param("name_strong", float, 97.0, "fuzzy name score from which a name match decides on its own", min=50, max=100),
    Param("fuzzy_min_length", int, 5, "names shorter than this (letters) only match exactly", min=1, max=50),
)
SCAN_PARAMS = (
    Param("running_statuses", list, ["running", "active", "live", "enabled", "delivering", "approved"],
          "ad status values that mean the ad is running (when the ads file has a status column)"),
)


@dataclass(frozen=True)
class Rule:
    """A named rule: the decision it gives and why."""

    name: str
    decision: str
    reason: str
    typologies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Policy:
    """A loaded policy: rules by name, typology codes to rules, matching and scan parameters."""

    name: str
    version: str
    sha256: str
    rules: dict[str, Rule]
    by_typology: dict[str, str]
    matching: dict[str, Any]
    scan: dict[str, Any]
    where: str

    @property
    def label(self) -> str:
        return f"{self.name} {self.version} ({self.sha256[:8]})"

    def rule_for(self, typology: str) -> Rule:
        """The rule for an entry's typology code; missing, uncertain or unknown codes -> review."""
        name = self.by_typology.get(typology.strip())
        return self.rules[name if name is not None else "uncertain-typology"]

    def record(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "sha256": self.sha256, "file": self.where}


def _params(section: Any, params: tuple[Param, ...], where: str) -> dict[str, Any]:
    if section is None:
        section = {}
    if not isinstance(section, dict):
        raise UserError(f"{where}: expected a table")
    known = {p.name: p for p in params}
    unknown = sorted(set(section) - set(known))
    if unknown:
        raise UserError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(known)})")
    return {p.name: p.coerce(section.get(p.name, p.default), where) for p in params}


def parse_policy(text: str, where: str) -> Policy:
    """Parse and check a policy; every mistake is a UserError naming the file and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{where}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"policy", "version", "description", "rules", "matching", "scan"})
    if unknown:
        raise UserError(f"{where}: unknown top-level key {unknown[0]!r} "
                        "(known: policy, version, description, rules, matching, scan)")
    for key in ("policy", "version"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise UserError(f"{where}: top-level key {key!r} (a string) is required")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, dict) or not raw_rules:
        raise UserError(f"{where}: no [rules.NAME] tables")
    rules: dict[str, Rule] = {}
    by_typ: dict[str, str] = {}
    for name, r in raw_rules.items():
        at = f"{where}: [rules.{name}]"
        if not isinstance(r, dict):
            raise UserError(f"{at}: expected a table")
        extra = sorted(set(r) - {"decision", "typologies", "reason"})
        if extra:
            raise UserError(f"{at}: unknown key {extra[0]!r} (known: decision, typologies, reason)")
        if r.get("decision") not in DECISIONS:
            raise UserError(f"{at}: decision={r.get('decision')!r} is not one of {', '.join(DECISIONS)}")
        typs = r.get("typologies", [])
        if not isinstance(typs, list) or not all(isinstance(t, str) and t.strip() for t in typs):
            raise UserError(f"{at}: typologies must be a list of codes")
        for t in typs:
            if t in by_typ:
                raise UserError(f"{at}: typology {t!r} is already decided by rule {by_typ[t]!r}")
            by_typ[t] = name
        rules[name] = Rule(name, r["decision"], str(r.get("reason", "")), tuple(typs))
    missing = [s for s in SPECIAL if s not in rules]
    if missing:
        raise UserError(f"{where}: rule(s) {', '.join(missing)} must be defined")
    matching = _params(data.get("matching"), MATCHING_PARAMS, f"{where}: [matching]")
    if matching["name_strong"] < matching["name_weak"]:
        raise UserError(f"{where}: [matching] name_strong must be >= name_weak")
    scan = _params(data.get("scan"), SCAN_PARAMS, f"{where}: [scan]")
    scan["running_statuses"] = [s.lower() for s in scan["running_statuses"]]
    return Policy(name=data["policy"], version=data["version"],
                  sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), rules=rules, by_typology=by_typ,
                  matching=matching, scan=scan, where=where)


def load_policy(path: Path | None = None) -> Policy:
    """The policy in ``path``, or the bundled default."""
    if path is None:
        text = (resources.files("lockstep") / "data" / BUNDLED).read_text(encoding="utf-8")
        return parse_policy(text, f"bundled:{BUNDLED}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such policy file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the policy: {exc}") from None
    return parse_policy(text, str(path))
