"""The bundled platform-manipulation policy, a user file extending it, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from lockstep.cases import load_policy
from lockstep.errors import UserError


def test_bundled_policy_has_the_five_codes() -> None:
    p = load_policy()
    assert sorted(p.reasons) == ["ban-evasion", "coordinated-activity", "fake-accounts", "impersonation", "spam"]
    assert p.version == "2026.1" and len(p.hash) == 64


def test_user_file_extends_and_versions(tmp_path: Path) -> None:
    f = tmp_path / "house.toml"
    f.write_text('name = "house"\nversion = "3"\n[reasons.state-media-laundering]\ntitle = "Laundering"\n'
                 'text = "Passing state media off as independent."\n'
                 'sor_category = "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"\n'
                 'sor_keywords = ["KEYWORD_MISINFORMATION_DISINFORMATION"]\n')
    p = load_policy(f)
    assert "state-media-laundering" in p.reasons and "spam" in p.reasons
    assert p.version == "2026.1+house-3" and p.hash != load_policy().hash


@pytest.mark.parametrize("text,message", [
    ('version = "1"\n[reasons.x]\ntitle = "t"\ntext = "t"\nsor_category = "SPAM"\n', "reasons.x.sor_category='SPAM'"),
    ('version = "1"\n[reasons.x]\ntitle = "t"\nsor_category = "STATEMENT_CATEGORY_VIOLENCE"\n', "reasons.x.text is missing"),
    ('[reasons.x]\n', "version is missing"),
    ('version = \n', "not valid TOML"),
])
def test_bad_user_file(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "p.toml"
    f.write_text(text)
    with pytest.raises(UserError, match=message.replace("[", r"\[").replace(".", r"\.")):
        load_policy(f)
