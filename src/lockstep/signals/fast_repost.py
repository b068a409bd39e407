"""Fast repost: an account reshared a post within N seconds of the post itself.

Why a pair signal: an account that reshares an author's posts within seconds, again and
again, is tied to that author (automation or a shared operator). The original's own
timestamp is used when the original is in the data; reshares of posts that are not in the
data cannot be timed and are not paired. Weighted by the post's inverse popularity, so
fans of a famous account resharing quickly do not look like a network.

Every edge carries ``p_chance`` (:mod:`lockstep.engine.chance`, at ``fast_window``), measured
on the reshares *and* the originals as rows (the author acts on its post when it posts it),
so the null asks how often the author and this resharer would land within ``fast_window`` of
each other on posts this popular, given how the post's own reshares spread in time.
"""

from __future__ import annotations

from typing import ClassVar

from lockstep.engine.base import Engine, ItemSource, Rel, ScoreSpec
from lockstep.params import Param
from lockstep.signals.base import Example, Signal, act, register


@register
class FastRepost(Signal):
    name = "fast_repost"
    help = "Reshares (reposts, quotes) made within fast_window seconds of the original post."
    params: ClassVar[tuple[Param, ...]] = (
        Param("fast_window", float, 30.0, "Seconds after the original within which a reshare is"
              " fast.", min=0),
    )
    example = Example((act("p1", "author", "post", 0), act("r1", "fast", "repost", 4, target_id="p1"),
                       act("r2", "slow", "repost", 400, target_id="p1"),
                       act("r3", "unknown", "repost", 1, target_id="not-in-data")),
                      frozenset({("author", "fast")}), {"fast_window": 10.0})

    def run(self, engine: Engine) -> Rel | None:
        s = self.settings
        pairs = engine.origin_pairs(s.fast_window, ("repost", "quote"))
        every = engine.origin_pairs(None, ("repost", "quote"))  # synchrony base: all reshares
        items = engine.items(ItemSource(key="target_id", kinds=("repost", "quote")))
        tested = s.scoring == "surprise" and engine.count(pairs) > 0  # no pairs: no edge to test
        spec = ScoreSpec(scoring=s.scoring, signal=self.name, min_participation=1,
                         min_edge_weight=s.min_edge_weight, remove_loops=True,
                         evidence_limit=s.evidence_limit,
                         extras={"edge_weight": s.edge_weight, "min_synchrony": s.min_synchrony},
                         common=every,
                         chance_window_s=s.fast_window if s.scoring == "surprise" else None,
                         chance_items=engine.items(ItemSource(key="target_id", kinds=("repost", "quote"),
                                                              with_originals=True)) if tested else None)
        return engine.score(pairs, items, spec, s.fast_window)
