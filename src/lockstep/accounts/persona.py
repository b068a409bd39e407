"""Posing as a news organisation: the claim in the name and description, weighed against
what the account does.

Two of the Hong Kong accounts (@HKpoliticalnew, @ctcc507) posed as local news outlets;
Facebook's pages did the same. A real outlet is usually old, verified or widely
followed, and is read by many unrelated accounts; a persona is young, small, unverified,
and its audience is the operation itself (that last part is judged in ``lockstep.roles``).
"""

from __future__ import annotations

import re

from lockstep.accounts.base import AccountSignal, Finding, Param, has_rows, register
from lockstep.store.queries.profile import first_actions, news_profiles
from lockstep.store.workspace import Workspace

NEWS_CLAIM = re.compile(
    r"news|daily|times|herald|tribune|gazette|journal|press|media|report|bulletin|headline"
    r"|post\b|observer|broadcast|channel|\btv\b|radio|politic"
    r"|新聞|新闻|日報|日报|時報|时报|媒體|媒体|資訊|资讯|電視|电视|快訊|快讯|報道|报道|週刊|周刊",
    re.IGNORECASE,
)


# A superset of what NEWS_CLAIM finds, for the database's regular expressions (RE2), which pick
# the profiles worth a Python search: the alternatives without word boundaries (a boundary
# only narrows a match), case folded as RE2 folds, and any text with one of the characters that
# Python's case-insensitive search also takes for an ASCII letter (dotted and dotless i, long s,
# Kelvin sign; outside the (?i:...), which would fold them to every s, i and k). On ASCII text
# RE2's (?i) and Python's IGNORECASE agree letter for letter.
NEWS_CLAIM_CANDIDATE = "(?i:" + NEWS_CLAIM.pattern.replace(r"\b", "") + ")|[\u0130\u0131\u017f\u212a]"


def news_claim(*texts: str | None) -> str | None:
    """The first news-outlet claim found in a handle, name or description, if any.

    One search of the texts joined by newlines first: no alternative of the pattern matches
    a newline, and a newline is a word boundary as the ends of a text are, so the joined text
    has a match exactly when one of the texts has; most profiles claim nothing (one search
    instead of three over 400,000 profiles)."""
    if not NEWS_CLAIM.search("\n".join(t for t in texts if t)):
        return None
    for t in texts:
        if t:
            m = NEWS_CLAIM.search(t)
            if m:
                return m.group(0)
    return None


@register
class NewsPersona(AccountSignal):
    name = "news_persona"
    explanation = ("Name or description claims to be a news outlet, but the account behaves"
                   " unlike one: unverified, young when it started posting, few followers.")
    parameters = (Param("max_followers", int, 5000, "Fewer followers than this count against a news claim.",
                        min=0),
                  Param("young_days", int, 730, "Younger than this many days at its first action counts"
                        " against a news claim.", min=0))

    def compute(self, ws: Workspace) -> list[Finding]:
        p = self.params
        # the claims first, then the first actions of the claimants only (most profiles claim nothing)
        # the profiles that may claim it chosen in SQL (a superset), then searched here exactly
        claims = [(r, claim) for r in news_profiles(ws, with_first_action=False,
                                                    unverified_matching=NEWS_CLAIM_CANDIDATE)
                  if not r.verified and (claim := news_claim(r.handle, r.display_name, r.description)) is not None]
        first = first_actions(ws, [r.account_id for r, _ in claims]) if has_rows(ws, "actions") else {}
        out: list[Finding] = []
        for (acc, handle, name, desc, verified, followers, created, _), claim in claims:
            # a verified outlet is what it says it is, as far as profiles go (left out above)
            first_action = first.get(acc)
            against = ["unverified"]
            if followers is not None and followers < p["max_followers"]:
                against.append(f"{followers} followers")
            if created is not None and first_action is not None:
                age = (first_action - created).days
                if age < p["young_days"]:
                    against.append(f"{age} days old at its first action")
            strength = min(0.9, 0.2 + 0.25 * (len(against) - 1) + 0.2)
            out.append(Finding(acc, self.name, strength,
                               f"claims to be news ('{claim}' in {handle or acc}'s profile) but is"
                               f" {', '.join(against)}",
                               {"claim": claim, "against": against}))
        return out
