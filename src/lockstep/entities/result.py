"""What the entities stage returns: per campaign, the pages and groups connected to its
accounts, each with every link that connects it and the evidence for it, the accounts that
administer them, the off-platform domains the campaign pushes, and the reach."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# how an entity (or an admin account) is connected to a campaign
ACTS_AS_ACCOUNT = "acts_as_account"  # a page whose posts are the campaign member's actions
ADMINISTERED = "administered_by_member"  # a campaign account is its admin/owner
POSTS_INTO = "posted_into"  # the campaign's accounts post into it (a large share, or several of them)
DOMAIN = "names_campaign_domain"  # its url/description names a domain the campaign pushes
ADMIN_OF = "admin_of"  # (an account) administers a page or group of the campaign
LINKS = (ACTS_AS_ACCOUNT, ADMINISTERED, POSTS_INTO, DOMAIN, ADMIN_OF)


@dataclass
class Link:
    """One reason an entity belongs to a campaign: the link, the campaign account involved
    (when one is), a sentence with the numbers, and the source row (file:line) it rests on."""

    link: str
    detail: str
    account_id: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, str]:
        out = {"link": self.link, "detail": self.detail}
        if self.account_id:
            out["account_id"] = self.account_id
        if self.source:
            out["source"] = self.source
        return out


@dataclass
class CampaignEntity:
    """A page, group or channel of a campaign (or, kind ``account``, an account that runs one
    of them without being a member), with its size and links."""

    platform: str
    entity_id: str
    kind: str
    name: str = ""
    url: str = ""
    followers: int = 0
    members: int = 0
    links: list[Link] = field(default_factory=list)

    @property
    def evidence(self) -> str:
        return "; ".join(lk.detail for lk in self.links)

    def to_dict(self) -> dict[str, Any]:
        return {"platform": self.platform, "entity_id": self.entity_id, "kind": self.kind, "name": self.name,
                "url": self.url, "followers": self.followers, "members": self.members,
                "links": [lk.to_dict() for lk in self.links], "evidence": self.evidence}


@dataclass
class CampaignEntities:
    """One campaign's pages and groups, the accounts administering them, its domains, reach."""

    campaign_id: str
    entities: list[CampaignEntity] = field(default_factory=list)
    admins: list[CampaignEntity] = field(default_factory=list)  # kind "account"
    domains: list[dict[str, Any]] = field(default_factory=list)
    # followers of its pages and channels, distinct accounts holding a membership of its groups
    reach: dict[str, int] = field(default_factory=lambda: {"followers": 0, "members": 0})

    def ids(self, kind: str) -> list[str]:
        return [e.entity_id for e in (self.admins if kind == "account" else self.entities) if e.kind == kind]


@dataclass
class EntitiesResult:
    """Per campaign id (campaigns with nothing connected are present with empty lists)."""

    campaigns: dict[str, CampaignEntities] = field(default_factory=dict)
    params: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    def get(self, campaign_id: str) -> CampaignEntities:
        return self.campaigns.get(campaign_id) or CampaignEntities(campaign_id)
