"""Weights of the account and campaign scores, in log-odds points.

A score is ``sigmoid(bias + sum(weight * strength))`` over the evidence items, so every
item's share of the decision can be printed next to it. The values are set by hand from
what each signal means (see docs/roles.md) and checked against the labelled simulator
worlds (several seeds, evasion knobs up) and real data; ``lockstep.roles.calibrate`` can
refit them on a labelled world and report how far the hand-set values are off.
"""

from __future__ import annotations

ACCOUNT_BIAS = -5.0
ACCOUNT_WEIGHTS: dict[str, float] = {
    # behaviour relative to a campaign
    "coordination": 3.0,       # in a detected campaign; strength grows with coordination partners
    "audience": 3.0,           # outside detected campaigns, but a campaign is most of its audience
    "engagement": 1.5,         # share of the account's actions that engage the campaign's core
    "campaign": 3.0,           # the campaign's own score, mapped to [-1, 1]
    "infra_campaign": 2.0,     # shares IPs / devices / networks with the campaign's accounts
    "burst_campaign": 1.5,     # created on the same day as other accounts of the campaign
    "engaging_burst": 2.0,     # created in a bin whose accounts engage the core far above base rate
    "sync_core": 2.5,          # acts on the core's items within seconds of the core, far above others
    "engaging_infra": 2.0,     # uses an IP/network/device whose users engage the core far above base rate
    "fast_engagement": 1.0,    # engaged core posts within minutes (an engagement wave), not hours
    "declared_automation": -2.0,  # its profile says it is a bot (a labelled feed, not a fake person)
    # account signals (lockstep.accounts)
    "creation_burst": 1.0,
    "handle_pattern": 1.0,
    "empty_profile": 1.0,
    "follower_shape": 1.0,
    "client_mix": 1.0,
    "working_hours": 1.5,
    "repurposed": 1.5,
    "shared_infrastructure": 0.5,
    # content: context only, never enough alone (see CONTENT_SIGNALS)
    "shared_domains": 0.5,
    "news_persona": 0.5,
}

CAMPAIGN_BIAS = -3.0
# No weight reaches the bias: no one kind of evidence flags a campaign alone (and
# roles.campaign also asks for two kinds with real points).
CAMPAIGN_WEIGHTS: dict[str, float] = {
    "coordination": 1.5,   # how densely members co-act (authentic communities coordinate too)
    "working_time": 2.5,   # office hours of one zone's working week, or a shift rota tiling the clock
    "infra": 2.5,          # share of members sharing IPs/devices/networks with each other
    "fake_profiles": 2.0,  # mean strength of handle/empty/follower signals over members
    "creation_burst": 2.0,  # share of members created in bursts
    "repurposed": 2.5,     # share of members that are repurposed accounts
    "client": 1.0,         # share of members posting through a rare client
    "persona": 1.0,        # a member poses as a news outlet (content)
    "domains": 0.5,        # share of members linking little-known domains (content)
    "declared_automation": -4.0,  # share of members whose profile says they are bots (counter-evidence)
    "established_sources": -2.5,  # share of the amplified members that are established outlets (counter-evidence)
}

# An account outside a detected campaign is only expanded into it when its own account
# signals (not counting engagement and campaign context) add up to at least this many points.
MIN_OWN_POINTS_TO_EXPAND = 1.0
FLAG_THRESHOLD = 0.5
