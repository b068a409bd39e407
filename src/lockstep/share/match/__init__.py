"""``share match``: search this platform's data for the actor another platform tipped us about.

A tip (:class:`lockstep.share.tip.Tip`, read by :func:`lockstep.share.read.read_tip` from a
STIX 2.1 bundle or Meta's indicator files) names accounts, domains, URLs, texts, hashtags and
activity windows on *its* platform. Each collector turns one kind of evidence into reasons
on our ids: ``by_name`` (ids, handles, vanity names, display names across scripts and
homoglyphs), ``by_link`` (domains and URLs: normalised, subdomains, mirrors, redirects),
``by_text`` (near-duplicate texts; behaviour inside the tip's activity windows), and
``connect`` (admins, administered pages and groups, groups posted into). ``score`` combines
a match's reasons into one confidence (the formula is in its docstring and in
docs/share.md); ``run.match_tip`` runs them all, ``report`` writes the CSV and HTML, and
``service.run_match`` is the command: report, then a case seeded with the matches. Data
comes only through ``lockstep.store.queries.share_match``.
"""

from lockstep.share.match.run import MatchResult, match_tip
from lockstep.share.match.score import DEFAULT_MIN_CONFIDENCE, Match, Reason

__all__ = ["DEFAULT_MIN_CONFIDENCE", "Match", "MatchResult", "Reason", "match_tip"]
