"""The entities stage: pages, groups and the accounts running them, per campaign (issue 15).

``connect(ws, detect_result, roles_result) -> EntitiesResult`` runs after detection and
roles; :mod:`lockstep.outputs.write` puts its result in campaigns.json (``entities``,
``admins``, ``domains``, ``reach``) and entities.csv. ``connect_beside`` runs it on a thread
while the writer starts on the files that do not need it."""

from lockstep.entities.connect import connect, connect_beside
from lockstep.entities.result import CampaignEntities, CampaignEntity, EntitiesResult, Link

__all__ = ["CampaignEntities", "CampaignEntity", "EntitiesResult", "Link", "connect", "connect_beside"]
