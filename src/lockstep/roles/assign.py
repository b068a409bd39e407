"""Who does what inside a campaign: core, amplifier or persona.

- **persona**: claims to be a news outlet (name/description) while its audience is the
  campaign itself: it originates posts and the campaign's accounts engage with them.
- **core**: originates and coordinates: posts its own content, or is engaged with by
  other accounts of the campaign.
- **amplifier**: mostly engages with the core and does little else; many act only once or
  twice, which is why they are found by engagement, not by coordination edges.
"""

from __future__ import annotations

from lockstep.accounts import Finding
from lockstep.roles.features import Activity

CORE_MIN_ACTIONS = 3
CORE_MIN_RECEIVED = 2


def assign_role(acc: str, is_member: bool, act: Activity | None, findings: list[Finding]) -> tuple[str, str]:
    """(role, reason in words) for an account of a campaign."""
    act = act or Activity()
    persona = next((f for f in findings if f.signal == "news_persona"), None)
    originates = act.n_original >= 1
    if persona is not None and originates:
        return "persona", (f"{persona.text}; it originates {act.n_original} posts and is engaged"
                           f" {act.received_from_campaign} times by its campaign")
    if not is_member:
        n_core = sum(act.to_campaign.values())
        return "amplifier", (f"outside the coordination graph; {n_core} of its {act.n_actions} actions"
                             f" engage the operation's core ({act.n_engage} engagements in all)")
    if act.received_from_campaign >= CORE_MIN_RECEIVED:
        return "core", f"engaged {act.received_from_campaign} times by other accounts of its campaign"
    if originates and act.n_actions >= CORE_MIN_ACTIONS:
        return "core", (f"originates {act.n_original} of its {act.n_actions} actions and coordinates"
                        " with the campaign")
    return "amplifier", (f"{act.n_engage} of its {act.n_actions} actions engage other accounts;"
                         f" {act.n_original} originals")
