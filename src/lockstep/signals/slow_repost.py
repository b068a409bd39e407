"""Slow co-resharing of rarely shared posts: co-action at a longer time scale, tested
against chance.

Why a second time scale: an operation that reshares its own posts 2-60 minutes late instead
of within seconds never co-acts inside ``co_repost``'s 60 s window, and nothing else is
looked at. Widening that window for every post does not work: every popular post is reshared
by hundreds of ordinary users within its first hour, and they would all be linked. So this
signal pairs reshares within ``--slow-window`` (an hour by default; up to a day or more) but
only of posts reshared by at most ``--slow-max-accounts`` accounts (viral posts are the
seconds scale's business), counts the post's author as acting on it (a persona that only
posts is tied to the accounts that reshare it), and gives every edge ``p_chance``: the
chance of co-acting that much under a null model of the same data, with each post's own
reshare-time distribution (:mod:`lockstep.engine.chance`). Detection then keeps only the
edges that pass the false discovery rate ``--fdr`` (Benjamini-Hochberg over the account
pairs tested), not a fixed count of shared posts.

Why a band and not the whole hour: two reshares of a post within ``--window`` seconds are
``co_repost``'s co-action; counted here too, every pair that co-reshares within seconds would
weigh twice in the fused graph (and pass ``--min-weight`` on half the evidence). So this
signal pairs only rows more than ``--window`` and at most ``--slow-window`` apart, and its
null counts, per post, the share of the post's pairs of rows in that same band. An author's
post and a reshare within ``--window`` are not paired here either (``fast_repost`` ties an
author to fast resharers).
"""

from __future__ import annotations

from typing import ClassVar

from lockstep.engine.base import Engine, ItemSource, PairSpec, Rel, ScoreSpec
from lockstep.params import Param
from lockstep.signals.base import Example, Signal, act, register

H = 3600.0


@register
class SlowRepost(Signal):
    name = "co_repost_slow"
    help = ("Accounts resharing (or authoring) the same rarely shared post more than --window and"
            " at most --slow-window apart (minutes to a day; within --window is co_repost's), each"
            " edge with its chance probability (p_chance) under a null model of the same data.")
    params: ClassVar[tuple[Param, ...]] = (
        Param("slow_window", float, H, "co_repost_slow: seconds within which two reshares of a"
              " post co-occur (the long time scale; pairs within co_repost's --window are left"
              " to it).",
              min=1.0),
        Param("slow_max_accounts", int, 50, "co_repost_slow: only posts acted on by at most this"
              " many accounts (author included) are paired (popular posts are reshared by many"
              " within the hour by chance).", min=2),
    )
    example = Example((act("p1", "P", "post", 0), act("p2", "P", "post", 10 * H),
                       act("r1", "a", "repost", 900, target_id="p1"),
                       act("r2", "b", "repost", 2000, target_id="p1"),
                       act("r3", "a", "repost", 10 * H + 1200, target_id="p2"),
                       act("r4", "b", "repost", 10 * H + 2500, target_id="p2"),
                       act("r5", "c", "repost", 3 * H, target_id="p1"),  # hours later: not paired
                       # within --window (60 s) of each other: co_repost's, not paired here
                       act("q1", "Q", "post", 30 * H), act("q2", "Q", "post", 40 * H),
                       act("d1", "d", "repost", 30 * H + 100, target_id="q1"),
                       act("e1", "e", "repost", 30 * H + 110, target_id="q1"),
                       act("d2", "d", "repost", 40 * H + 200, target_id="q2"),
                       act("e2", "e", "repost", 40 * H + 230, target_id="q2"),
                       act("v0", "V", "post", 20 * H),  # a popular post: left to co_repost
                       *(act(f"v{k}", f"fan{k}", "repost", 20 * H + 60 * k, target_id="v0")
                         for k in range(1, 5))),
                      frozenset({("P", "a"), ("P", "b"), ("a", "b"), ("Q", "d"), ("Q", "e")}),
                      {"min_synchrony": 0.0, "slow_max_accounts": 4})

    def run(self, engine: Engine) -> Rel | None:
        s = self.settings
        items = engine.items(ItemSource(key="target_id", kinds=("repost",), with_originals=True,
                                        max_item_accounts=s.slow_max_accounts))
        after = s.window  # the band above co_repost's scale (see the module doc)
        pairs = engine.window_pairs(items, PairSpec(window_s=s.slow_window, max_neighbours=s.max_neighbours,
                                                    hot_item_actions=s.hot_item_actions, after_s=after))
        surprise = s.scoring == "surprise"
        spec = ScoreSpec(scoring=s.scoring, signal=self.name, min_participation=s.min_participation,
                         min_edge_weight=s.min_edge_weight, remove_loops=s.remove_loops,
                         evidence_limit=s.evidence_limit,
                         extras={"edge_weight": s.edge_weight, "min_synchrony": s.min_synchrony},
                         chance_window_s=s.slow_window if surprise else None,
                         chance_after_s=after if surprise else None)
        return engine.score(pairs, items, spec, s.slow_window)
