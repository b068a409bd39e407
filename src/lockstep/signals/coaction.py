"""Co-action signals: two accounts did the same thing to the same item within the window.

Each class only says which actions count and what the shared item is; pairing, surprise
weighting and the peer-tool definitions live behind the engine seam.
"""

from __future__ import annotations

from typing import ClassVar

from lockstep.engine.base import Engine, ItemSource, PairSpec, Rel, ScoreSpec
from lockstep.signals.base import Param, Signal, register
from lockstep.signals.near_duplicates import near_duplicate_groups


class CoActionSignal(Signal):
    """Shared machinery: items -> window pairs -> scored edges."""

    def source(self) -> ItemSource:
        raise NotImplementedError

    def _peer(self) -> bool:
        return self.settings.scoring != "surprise"

    def pair_spec(self) -> PairSpec:
        s = self.settings
        return PairSpec(window_s=s.window, max_neighbours=s.max_neighbours,
                        hot_item_actions=s.hot_item_actions)

    def score_spec(self) -> ScoreSpec:
        s = self.settings
        return ScoreSpec(scoring=s.scoring, signal=self.name, min_participation=s.min_participation,
                         min_edge_weight=s.min_edge_weight, remove_loops=s.remove_loops,
                         evidence_limit=s.evidence_limit,
                         extras={"edge_weight": s.edge_weight, "min_synchrony": s.min_synchrony})

    def prepare(self, engine: Engine, items: Rel) -> Rel:
        return items

    def run(self, engine: Engine) -> Rel | None:
        items = self.prepare(engine, engine.items(self.source()))
        pairs = engine.window_pairs(items, self.pair_spec())
        return engine.score(pairs, items, self.score_spec(), self.settings.window)


@register
class CoRepost(CoActionSignal):
    name = "co_repost"
    aliases = ("co_retweet", "co_share")
    help = "Accounts resharing the same post (repost target_id) within the window."

    def source(self) -> ItemSource:
        return ItemSource(key="target_id", kinds=("repost",), dedupe_action_ids=self.settings.scoring == "cnt",
                          drop_self_targets=not self._peer())


@register
class CoReply(CoActionSignal):
    name = "co_reply"
    help = "Accounts replying to the same post within the window."

    def source(self) -> ItemSource:
        return ItemSource(key="target_id", kinds=("reply",), dedupe_action_ids=self.settings.scoring == "cnt",
                          drop_self_targets=not self._peer())


@register
class CoLink(CoActionSignal):
    name = "co_link"
    help = "Accounts sharing the same normalised URL (or domain) within the window."
    params: ClassVar[tuple[Param, ...]] = (
        Param("link_level", str, "url", "What counts as the same link: url (normalised: host"
              " lower-cased, www./tracking parameters/fragment/trailing slash dropped), domain,"
              " or raw (the string as given, as coordination-network-toolkit).",
              choices=("url", "domain", "raw")),
    )

    def source(self) -> ItemSource:
        key = {"url": "url", "domain": "domain", "raw": "url_raw"}[self.settings.link_level]
        return ItemSource(key=key, exclude_kinds=("repost",),  # type: ignore[arg-type]
                          dedupe_action_ids=self.settings.scoring == "cnt", drop_self_targets=False)


@register
class CoText(CoActionSignal):
    name = "co_text"
    aliases = ("co_tweet",)
    help = ("Accounts posting the same text (after normalisation) or a near duplicate of it"
            " (MinHash/LSH on character shingles, any script) within the window.")
    params: ClassVar[tuple[Param, ...]] = (
        Param("text_mode", str, "lockstep", "Text normalisation: lockstep (lower case; URLs, mentions,"
              " RT prefix, punctuation dropped) or cnt (the toolkit's: lower case, @mentions dropped,"
              " whitespace collapsed).", choices=("lockstep", "cnt")),
        Param("min_text_chars", int, 16, "Texts shorter than this after normalisation are ignored"
              " (\"thanks!\" is not evidence).", min=0),
        Param("near_duplicates", bool, True, "Also pair near-duplicate texts (MinHash/LSH)."),
        Param("text_similarity", float, 0.8, "Jaccard similarity of character shingles at which two"
              " texts are near duplicates.", min=0.05, max=1.0),
        Param("shingle_size", int, 3, "Characters per shingle for near duplicates.", min=1, max=20),
        Param("near_duplicate_max_texts", int, 200_000, "Skip near-duplicate grouping when there are"
              " more distinct texts than this (it runs in Python; the exact-text pairing still runs).",
              min=0),
    )

    def source(self) -> ItemSource:
        s = self.settings
        return ItemSource(key="text" if s.text_mode == "lockstep" else "text_cnt",
                          exclude_kinds=("repost",), min_text_chars=s.min_text_chars,
                          dedupe_action_ids=s.scoring == "cnt", drop_self_targets=False)

    def prepare(self, engine: Engine, items: Rel) -> Rel:
        s = self.settings
        if not s.near_duplicates:
            return items
        texts = engine.distinct_items(items).column("item").to_pylist()
        if len(texts) > s.near_duplicate_max_texts:
            s.notes.append(f"co_text: {len(texts)} distinct texts > near_duplicate_max_texts;"
                           " near duplicates skipped, exact duplicates still paired")
            return items
        groups = near_duplicate_groups(texts, s.text_similarity, k=s.shingle_size, seed=s.seed + 1)
        return engine.remap_items(items, groups) if groups.num_rows else items


@register
class CoHashtagSequence(CoActionSignal):
    name = "co_hashtag_sequence"
    help = "Accounts posting the same ordered sequence of hashtags within the window."
    params: ClassVar[tuple[Param, ...]] = (
        Param("min_hashtags", int, 2, "Only posts with at least this many hashtags count"
              " (one popular hashtag is not a fingerprint).", min=1),
    )

    def source(self) -> ItemSource:
        return ItemSource(key="hashtag_sequence", exclude_kinds=("repost",),
                          min_hashtags=self.settings.min_hashtags,
                          dedupe_action_ids=self.settings.scoring == "cnt", drop_self_targets=False)
