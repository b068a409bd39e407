"""Co-repost by author: two accounts reshared the same *author* within the window.

Why a separate signal: some data sets record a reshare only by the author it reshared, with
no post id (SNAP Higgs: "A RT B at t"). ``co_repost`` keys on the post id and so finds
nothing there. This signal keys on ``target_account_id`` instead, but only for reposts whose
``target_id`` is empty, so a reshare is never counted by both signals. Pairing (exact
sliding window, neighbours-only on hot authors), surprise weighting (a celebrity everyone
reshares adds almost nothing) and synchrony pruning are exactly co_repost's; evidence items
read ``author:<id>``.

It is in the default signal list but does nothing (and reports nothing) on data where no
such rows exist, so runs on data with post ids are unchanged. The presets never include it.
"""

from __future__ import annotations

from lockstep.engine.base import Engine, ItemSource, Rel
from lockstep.signals.base import Example, act, register
from lockstep.signals.coaction import CoActionSignal


@register
class CoRepostAuthor(CoActionSignal):
    name = "co_repost_author"
    help = ("Accounts resharing the same author within the window, for reposts that carry no"
            " post id (target_id empty), only the reshared author (target_account_id).")
    example = Example((act("1", "a", "repost", 0, target_account_id="X"),
                       act("2", "b", "repost", 60, target_account_id="X"),
                       act("3", "c", "repost", 200, target_account_id="X"),
                       act("4", "d", "repost", 5, target_account_id="Y", target_id="p9"),
                       act("5", "f", "repost", 400, target_account_id="f"),
                       act("6", "g", "repost", 401, target_account_id="f")),
                      frozenset({("a", "b")}), {"min_synchrony": 0.0})

    def source(self) -> ItemSource:
        return ItemSource(key="target_author", kinds=("repost",),
                          dedupe_action_ids=self.settings.scoring == "cnt",
                          drop_self_targets=not self._peer())

    def run(self, engine: Engine) -> Rel | None:
        items = engine.items(self.source())
        if engine.count(items) == 0:  # every reshare has a post id (or none exist): co_repost's
            return None
        pairs = engine.window_pairs(items, self.pair_spec())
        return engine.score(pairs, items, self.score_spec(), self.settings.window)
