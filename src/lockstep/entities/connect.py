"""Pages and groups as first-class parts of a campaign (issue 15).

Why after detection and roles, not inside them: coordination is measured between actors
(accounts, and pages posting as accounts); what a campaign *runs* (the pages its accounts
administer, the groups it floods, the websites it pushes) and how many people that reaches is
what a takedown removes and what a partner platform needs, and it follows from the members.
Every link carries the numbers and the source row it rests on.

Rules (``PARAMS``; each link is kept separately, an entity may hold several):

- ``acts_as_account``: a campaign member whose id is a page's entity id (its posts are the
  member's actions);
- ``administered_by_member``: a campaign account holds an admin/owner membership;
- ``posted_into``: the campaign's accounts post into the entity and either make at least
  ``share_alone`` of its posts, or at least ``min_posters`` of them post there and make at
  least ``share_several`` of its posts (one stray cross-post into a big group is not a link);
- ``names_campaign_domain``: an entity on a platform the campaign acts on whose url or
  description names a domain that at least two campaign accounts link to and that the
  campaign makes at least ``domain_share`` of all posts linking to (the campaign's own
  website, not youtube.com). Pages on another platform naming it are left to ``share
  match``, which weighs such cross-platform evidence with the rest;
- accounts that administer any of those pages or groups without being members are listed
  as the campaign's ``admins`` (link ``admin_of``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from lockstep.detect.result import DetectResult
from lockstep.entities.result import (ACTS_AS_ACCOUNT, ADMIN_OF, ADMINISTERED, DOMAIN, POSTS_INTO, CampaignEntities,
                                      CampaignEntity, EntitiesResult, Link)
from lockstep.roles.result import RolesResult
from lockstep.store.queries import entities as Q
from lockstep.store.queries.parallel import run_beside
from lockstep.store.workspace import Workspace

PARAMS = {"share_alone": 0.5, "share_several": 0.2, "min_posters": 3, "domain_share": 0.5}
_GROUPISH = ("group",)


def campaign_members(det: DetectResult, roles: RolesResult | None) -> dict[str, list[str]]:
    """Each campaign's accounts: detected members, then those roles expanded into it."""
    out: dict[str, list[str]] = {}
    for c in det.campaigns:
        members = list(c.members)
        verdict = roles.campaigns.get(c.id) if roles is not None else None
        if verdict is not None:
            known = set(members)
            members += [a for a in verdict.expanded_amplifiers if a not in known]
        out[c.id] = members
    return out


def connect(ws: Workspace, det: DetectResult, roles: RolesResult | None = None,
            params: dict[str, float] | None = None) -> EntitiesResult:
    """The pages, groups and admin accounts connected to each campaign of ``det``."""
    t0 = time.perf_counter()
    p = {**PARAMS, **(params or {})}
    members = campaign_members(det, roles)
    group = {a: cid for cid, ms in members.items() for a in ms}
    result = EntitiesResult(campaigns={cid: CampaignEntities(cid) for cid in members}, params=p)
    if not group:
        return result
    found: dict[str, dict[str, CampaignEntity]] = {cid: {} for cid in members}

    def add(cid: str, platform: str, eid: str, link: Link) -> None:
        ent = found[cid].setdefault(eid, CampaignEntity(platform=platform, entity_id=eid, kind=""))
        ent.links.append(link)

    acting = Q.entities_by_id(ws, list(group))
    for eid, row in acting.items():
        add(group[eid], row.platform, eid, Link(ACTS_AS_ACCOUNT, f"{row.kind} {row.name!r} posts as campaign member",
                                                eid, row.source))
    for adm in Q.admin_links(ws, accounts=list(group)):
        add(group[adm.account_id], adm.platform, adm.entity_id,
            Link(ADMINISTERED, f"campaign account {adm.account_id} is its {adm.role}", adm.account_id, adm.source))
    for pi in Q.posts_into(ws, group):
        share = pi.campaign_posts / pi.all_posts if pi.all_posts else 0.0
        if share >= p["share_alone"] or (pi.campaign_posters >= p["min_posters"] and share >= p["share_several"]):
            add(pi.campaign_id, pi.platform, pi.entity_id, Link(POSTS_INTO, (
                f"{pi.campaign_posters} campaign account(s) made {pi.campaign_posts:,} of its {pi.all_posts:,} posts"
                f" ({share:.0%}; {pi.all_posters:,} posters in all)")))
    by_domain: dict[str, list[str]] = {}
    for ds in Q.domain_shares(ws, group):
        share = ds.campaign_posts / ds.all_posts if ds.all_posts else 0.0
        result.campaigns[ds.campaign_id].domains.append(
            {"domain": ds.domain, "campaign_posts": ds.campaign_posts, "campaign_accounts": ds.campaign_posters,
             "all_posts": ds.all_posts, "share": round(share, 4), "characteristic": share >= p["domain_share"]})
        if share >= p["domain_share"]:
            by_domain.setdefault(ds.domain, []).append(ds.campaign_id)
    platforms = Q.campaign_platforms(ws, group) if by_domain else {}
    for platform, eid, dom in Q.entities_naming(ws, list(by_domain)):
        for cid in by_domain[dom]:
            if platform in platforms.get(cid, set()):  # (across platforms: share match's job)
                add(cid, platform, eid, Link(DOMAIN, f"names {dom}, a domain the campaign's accounts push"))
    _describe(ws, result, found, group)
    result.seconds = round(time.perf_counter() - t0, 3)
    return result


def connect_beside(ws: Workspace, det: DetectResult, roles: RolesResult | None = None,
                   params: dict[str, float] | None = None) -> Callable[[], EntitiesResult]:
    """:func:`connect` started on a thread and a cursor of its own (``queries.parallel``);
    returns the function that waits for its result (and raises its error). Why: the stage is
    DuckDB queries (which release the GIL) and the output writer is Python, so the writer can
    write account_evidence.json beside it and ask for the entities when it reaches
    campaigns.json: on the 10M-action world the stage took 2-4 s after roles, a core idle."""
    return run_beside(ws, lambda view: connect(view, det, roles, params))


def _describe(ws: Workspace, result: EntitiesResult, found: dict[str, dict[str, CampaignEntity]],
              group: dict[str, str]) -> None:
    """Fill in names, kinds, sizes and admins; drop ids that are not entities; count reach."""
    all_ids = sorted({eid for ents in found.values() for eid in ents})
    rows = Q.entities_by_id(ws, all_ids)
    counts = Q.member_counts(ws, all_ids)
    admins = Q.admin_links(ws, entities=all_ids)
    for cid, ents in found.items():
        camp = result.campaigns[cid]
        for eid, ent in sorted(ents.items()):
            row = rows.get(eid)
            if row is None:  # memberships or actions name an entity the entities table lacks
                ent.kind = "group" if any(lk.link == POSTS_INTO for lk in ent.links) else "page"
            else:
                ent.platform, ent.kind, ent.name, ent.url, ent.followers = (row.platform, row.kind, row.name,
                                                                             row.url, row.followers)
            ent.members = counts.get(eid, 0)
            camp.entities.append(ent)
        mine = {e.entity_id: e for e in camp.entities}
        runners: dict[str, CampaignEntity] = {}
        for adm in admins:
            if adm.entity_id in mine and group.get(adm.account_id) != cid:
                acc = runners.setdefault(adm.account_id, CampaignEntity(adm.platform, adm.account_id, "account"))
                acc.links.append(Link(ADMIN_OF, f"{adm.role} of {mine[adm.entity_id].kind} {adm.entity_id}",
                                      adm.account_id, adm.source))
        camp.admins = [runners[a] for a in sorted(runners)]
        camp.reach = {"followers": sum(e.followers for e in camp.entities if e.kind != "group"),
                      "members": Q.distinct_members(ws, [e.entity_id for e in camp.entities if e.kind in _GROUPISH])}
