"""Roles: which coordinated accounts (and which accounts around them) are inauthentic, and in
what role: core operators, personas posing as outlets, amplifiers. See :mod:`lockstep.roles.refine`.
"""

from __future__ import annotations

from lockstep.roles.params import DEFAULTS, ROLES_PARAMS
from lockstep.roles.refine import refine
from lockstep.roles.result import AccountVerdict, CampaignVerdict, RolesResult

__all__ = ["DEFAULTS", "ROLES_PARAMS", "AccountVerdict", "CampaignVerdict", "RolesResult", "refine"]
