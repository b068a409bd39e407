"""Build the Tip of a campaign or case: what another platform needs to find the same actor.

Why these parts: a receiver searches its own data for the accounts (handles and display
names travel across platforms), the pages and groups, the off-platform domains and URLs the
network pushed, its repeated texts (as fingerprints) and hashtags, and the times it acted on
each; DISARM techniques say how it behaved. Domains, URLs and hashtags are kept only when they
are the network's own, measured against the whole workspace: a site most of whose sharers are
outside the campaign (a news site, a video platform) identifies nobody.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from lockstep.report.subject import Subject
from lockstep.share.disarm import campaign_techniques
from lockstep.share.fingerprint import fingerprint
from lockstep.share.normalise import domain as norm_domain, normalise_indicator, platform_name
from lockstep.share.tip import Activity, Asset, AssetKind, Indicator, Opinion, Tip
from lockstep.store.queries.infrastructure import COMMON_DOMAINS
from lockstep.store.queries.report import entity_reach, member_profiles, time_span
from lockstep.store.queries.share_export import repeated_texts, shared_domains, shared_hashtags, shared_urls
from lockstep.store.workspace import Workspace


@dataclass(frozen=True)
class BuildSettings:
    """How much of the network's output a tip carries."""

    min_share: float = 0.5  # a domain/hashtag is the network's own when its members are >= this share of its sharers
    max_urls: int = 200
    max_hashtags: int = 50
    max_texts: int = 10
    min_text_posts: int = 2
    min_entity_share: float = 0.5  # an entity is the network's when its members are >= this share of its members


def _iso(t: Any) -> str:
    if isinstance(t, datetime):
        t = t if t.tzinfo else t.replace(tzinfo=timezone.utc)
        return str(t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return str(t or "")


def _assets(ws: Workspace, subject: Subject, s: BuildSettings) -> tuple[list[Asset], str]:
    """Accounts (role from the run, handle and name from the accounts table), then pages and
    groups (campaigns.json ``entities`` when the run has them, else the workspace's)."""
    profiles = {str(p["account_id"]): p for p in member_profiles(ws, subject.members).to_pylist()}
    roles = subject.roles()
    plats = Counter(platform_name(str(p.get("platform") or "")) for p in profiles.values())
    main = plats.most_common(1)[0][0] if plats else ""
    out: list[Asset] = []
    for m in subject.members:
        p = profiles.get(m, {})
        out.append(Asset(platform=platform_name(str(p.get("platform") or main)), kind="account", id=m,
                         handle=str(p.get("handle") or "").lstrip("@"), display_name=str(p.get("display_name") or ""),
                         url=str(p.get("url") or ""), role=roles.get(m, "")))
    ents = subject.campaign.get("entities")
    admins = [a for a in subject.campaign.get("admins") or [] if isinstance(a, dict) and a.get("entity_id")]
    if admins:  # accounts that run the campaign's pages without being members (the entities stage)
        aprof = {str(p["account_id"]): p for p in member_profiles(ws, [str(a["entity_id"]) for a in admins]).to_pylist()}
        for a in admins:
            aid = str(a["entity_id"])
            if aid in subject.members:
                continue
            p = aprof.get(aid, {})
            out.append(Asset(platform=platform_name(str(a.get("platform") or p.get("platform") or main)),
                             kind="account", id=aid, handle=str(p.get("handle") or "").lstrip("@"),
                             display_name=str(p.get("display_name") or a.get("name") or ""),
                             url=str(p.get("url") or a.get("url") or ""), role="admin",
                             note=str(a.get("evidence") or "")[:300]))
    if isinstance(ents, list) and ents:
        for e in ents:
            if isinstance(e, dict) and str(e.get("kind")) in ("page", "group", "channel"):
                kind: AssetKind = str(e["kind"])  # type: ignore[assignment]
                out.append(Asset(platform=platform_name(str(e.get("platform") or main)), kind=kind,
                                 id=str(e.get("entity_id") or ""), display_name=str(e.get("name") or ""),
                                 url=str(e.get("url") or ""), role=str(e.get("role") or ""),
                                 note=str(e.get("evidence") or "")[:300]))
    else:
        for r in entity_reach(ws, subject.members):
            own = r.n_members == 0 or r.n_campaign_members / max(r.n_members, 1) >= s.min_entity_share
            if own and r.kind in ("page", "group", "channel"):
                ekind: AssetKind = r.kind  # type: ignore[assignment]
                out.append(Asset(platform=main, kind=ekind, id=r.entity_id, display_name=r.name or "",
                                 note=f"{r.n_campaign_members} of its {r.n_members} members are the network's"))
    return out, main


def _reach(subject: Subject, assets: list[Asset]) -> dict[str, int]:
    reach = subject.campaign.get("reach")
    if isinstance(reach, dict):
        return {str(k): int(v) for k, v in reach.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return {}


def build_tip(ws: Workspace, subject: Subject, *, opinion: Opinion, tlp: str,
              settings: BuildSettings | None = None) -> Tip:
    """The tip of ``subject``: assets, rare domains and URLs, text fingerprints, hashtags,
    activity windows and DISARM techniques, from the workspace and the run's evidence."""
    s = settings or BuildSettings()
    members = subject.members
    assets, main = _assets(ws, subject, s)
    indicators: list[Indicator] = []
    activity: list[Activity] = []
    own_domains: set[str] = set()
    shared_domains_rows = shared_domains(ws, members)
    for d in shared_domains_rows:
        if d.value in COMMON_DOMAINS or d.n_members / max(d.n_accounts_all, 1) < s.min_share:
            continue
        try:
            v = norm_domain(d.value)
        except ValueError:
            continue
        own_domains.add(d.value)
        indicators.append(Indicator("domain", v, f"linked {d.n_shares} times by {d.n_members} of the network's"
                                                 f" accounts; {d.n_accounts_all} accounts in all link it"))
        activity.append(Activity("domain", v, _iso(d.first_seen), _iso(d.last_seen), d.n_members))
    by_value = {d.value: d for d in shared_domains_rows}
    for rec in subject.campaign.get("domains") or []:  # the entities stage's characteristic domains
        if not (isinstance(rec, dict) and rec.get("characteristic") and rec.get("domain")):
            continue
        try:
            v = norm_domain(str(rec["domain"]))
        except ValueError:
            continue
        if v in {i.value for i in indicators if i.kind == "domain"} or v in COMMON_DOMAINS:
            continue
        own_domains.add(v)
        indicators.append(Indicator("domain", v, f"{rec.get('campaign_posts')} of its {rec.get('all_posts')} posts"
                                                 " are the network's"))
        d2 = by_value.get(str(rec["domain"]))
        if d2 is not None:
            activity.append(Activity("domain", v, _iso(d2.first_seen), _iso(d2.last_seen), d2.n_members))
    n_urls = 0
    for u in shared_urls(ws, members):
        if n_urls >= s.max_urls:
            break
        try:
            v = normalise_indicator("url", u.value)
            if norm_domain(v) not in {norm_domain(x) for x in own_domains}:
                continue
        except ValueError:
            continue
        n_urls += 1
        indicators.append(Indicator("url", v, f"shared {u.n_shares} times by {u.n_members} of the network's accounts"))
        activity.append(Activity("url", v, _iso(u.first_seen), _iso(u.last_seen), u.n_members))
    for t in repeated_texts(ws, members, s.max_texts, s.min_text_posts):
        v = normalise_indicator("text", t.text)
        indicators.append(Indicator("text", v, f"posted {t.n_posts} times by {t.n_members} of the network's accounts",
                                    fingerprint=fingerprint(t.text)))
        activity.append(Activity("text", v, _iso(t.first_seen), _iso(t.last_seen), t.n_members))
    n_tags = 0
    for h in shared_hashtags(ws, members):
        if n_tags >= s.max_hashtags:
            break
        if h.n_members < 2 or h.n_members / max(h.n_accounts_all, 1) < s.min_share:
            continue
        n_tags += 1
        indicators.append(Indicator("hashtag", h.value, f"used by {h.n_members} of the network's accounts"
                                                        f" ({h.n_accounts_all} in all)"))
        activity.append(Activity("hashtag", h.value, _iso(h.first_seen), _iso(h.last_seen), h.n_members))
    account_items = Counter(str(e.get("item")) for v in subject.account_evidence.values()
                            for e in v.get("evidence", []) if float(e.get("strength") or 0) > 0)
    n_entities = sum(a.kind != "account" for a in assets)
    techniques = campaign_techniques(dict(subject.campaign.get("signals") or {}),
                                     list(subject.assessment.get("evidence", [])), dict(account_items), n_entities)
    kinds = {a.kind for a in assets}
    # the entity techniques name what the tip holds: no "Online Community Group" without a group
    techniques = [t for t in techniques if not (t.id == "T0151.002" and "group" not in kinds)
                  and not (t.id == "T0151.003" and "page" not in kinds)]
    first, last, _n = time_span(ws, members)
    counts = Counter(f"{a.platform} {a.kind}".strip() for a in assets)
    roles = Counter(a.role or "unjudged" for a in assets if a.kind == "account")
    desc = (f"{subject.label} of detection run {subject.run_id}: {len(members)} accounts"
            f" ({', '.join(f'{n} {r}' for r, n in sorted(roles.items()))}), {n_entities} pages/groups/channels.")
    return Tip(name=f"lockstep {subject.label}", source=main or "lockstep", description=desc, opinion=opinion,
               tlp=tlp, created=_iso(datetime.now(timezone.utc)), first_seen=_iso(first), last_seen=_iso(last),
               assets=tuple(assets), indicators=tuple(indicators), activity=tuple(activity),
               techniques=tuple(techniques), counts=dict(counts), reach=_reach(subject, assets))
