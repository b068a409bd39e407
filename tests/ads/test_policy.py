"""The policy file: checked when loaded, and its rules and versions are what decide."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from lockstep.ads.check import check_file
from lockstep.ads.policy import load_policy, parse_policy
from lockstep.errors import UserError
from ads_helpers import write_csv

DEFAULT = (resources.files("lockstep") / "data" / "ads_policy.toml").read_text(encoding="utf-8")


def test_bundled_policy_draws_the_editorial_control_line() -> None:
    p = load_policy()
    assert {c: p.rule_for(c).decision for c in ("SC", "CaPu", "CaPr", "ISFM", "ISF", "ISM", "IP")} == {
        "SC": "ineligible", "CaPu": "ineligible", "CaPr": "ineligible",
        "ISFM": "eligible", "ISF": "eligible", "ISM": "eligible", "IP": "eligible"}
    for uncertain in ("ISFM?", "", "XYZ"):
        assert p.rule_for(uncertain).name == "uncertain-typology" and p.rule_for(uncertain).decision == "review"
    assert p.version and len(p.sha256) == 64


@pytest.mark.parametrize("edit,message", [
    (lambda t: t.replace('decision = "ineligible"', 'decision = "banned"', 1), "is not one of eligible"),
    (lambda t: t.replace("[rules.no-match]", "[rules.nomatch]"), "no-match must be defined"),
    (lambda t: t.replace('typologies = ["IP"]', 'typologies = ["IP", "SC"]'), "'SC' is already decided"),
    (lambda t: t.replace("name_weak = 80", "name_weak = 80\nname_wek = 3"), "unknown key 'name_wek'"),
    (lambda t: t.replace("name_strong = 97", "name_strong = 60"), "name_strong must be >= name_weak"),
    (lambda t: t.replace("name_weak = 80", "name_weak = 180"), "name_weak=180.0 must be <= 100"),
    (lambda t: t.replace('version = "2026.12.1"', ''), "'version' (a string) is required"),
    (lambda t: t.replace('version = "', 'versio = "'), "unknown top-level key 'versio'"),
    (lambda t: t + "\n[[[", "not valid TOML"),
    (lambda t: t.replace('typologies = ["IP"]', 'typology = ["IP"]'), "unknown key 'typology'"),
    (lambda t: t.replace("[matching]", "[matchng]"), "unknown top-level key 'matchng'"),
])
def test_bad_policies_are_refused_naming_file_and_key(edit: object, message: str) -> None:
    with pytest.raises(UserError, match="my.toml") as exc:
        parse_policy(edit(DEFAULT), "my.toml")  # type: ignore[operator]
    assert message in str(exc.value)


def test_a_changed_policy_changes_decisions_and_is_recorded(tmp_path: Path) -> None:
    """A team that allows captured private media (CaPr) writes its own policy; Phoenix TV (CaPr) flips."""
    text = DEFAULT.replace('typologies = ["SC", "CaPu", "CaPr"]', 'typologies = ["SC", "CaPu"]') \
                  .replace('typologies = ["ISFM", "ISF", "ISM"]', 'typologies = ["ISFM", "ISF", "ISM", "CaPr"]') \
                  .replace('version = "2026.12.1"', 'version = "team-7"')
    (tmp_path / "p.toml").write_text(text)
    src = write_csv(tmp_path / "adv.csv", ["name", "domain"], [["Phoenix TV", "ifeng.com"], ["CGTN", "cgtn.com"]])
    default = check_file(src, out=tmp_path / "a.csv").decisions
    custom = check_file(src, out=tmp_path / "b.csv", policy=load_policy(tmp_path / "p.toml")).decisions
    assert [d.decision for d in default] == ["ineligible", "ineligible"]
    assert [d.decision for d in custom] == ["eligible", "ineligible"]
    assert "policy state-media-ads team-7" in custom[0].evidence
