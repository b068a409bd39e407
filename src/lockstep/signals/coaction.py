"""Co-action signals: two accounts did the same thing to the same item within the window.

Each class only says which actions count and what the shared item is; pairing, surprise
weighting and the peer-tool definitions live behind the engine seam.

Every edge of these signals carries ``p_chance`` under surprise scoring: the chance of
co-acting that much within the window under the null model of :mod:`lockstep.engine.chance`
(item popularity and account activity preserved, each item's own timing), measured on the
signal's own item rows. For text (``co_text``, near duplicates included) the item is the text
or its near-duplicate group, so the same null weighs the rarity of the shared texts: many
accounts posting one slogan within a minute is expected, a rare sentence repeated is not.
The peer presets (coortweet, cnt) reproduce their tools and carry none.
"""

from __future__ import annotations

from typing import ClassVar

from lockstep.engine.base import Engine, ItemKey, ItemSource, PairSpec, Rel, ScoreSpec
from lockstep.params import Param
from lockstep.signals.base import Example, Signal, act, register
from lockstep.signals.near_duplicates import near_duplicate_groups


class CoActionSignal(Signal):
    """Shared machinery: items -> window pairs -> scored edges."""

    def source(self) -> ItemSource:
        raise NotImplementedError

    def _peer(self) -> bool:
        return bool(self.settings.scoring != "surprise")

    def pair_spec(self) -> PairSpec:
        s = self.settings
        return PairSpec(window_s=s.window, max_neighbours=s.max_neighbours,
                        hot_item_actions=s.hot_item_actions)

    def score_spec(self) -> ScoreSpec:
        s = self.settings
        return ScoreSpec(scoring=s.scoring, signal=self.name, min_participation=s.min_participation,
                         min_edge_weight=s.min_edge_weight, remove_loops=s.remove_loops,
                         evidence_limit=s.evidence_limit,
                         extras={"edge_weight": s.edge_weight, "min_synchrony": s.min_synchrony},
                         chance_window_s=s.window if s.scoring == "surprise" else None)

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
    example = Example((act("p1", "author", "post", 0), act("p2", "author", "post", 500),
                       act("1", "a", "repost", 10, target_id="p1"), act("2", "b", "repost", 15, target_id="p1"),
                       act("3", "a", "repost", 510, target_id="p2"), act("4", "b", "repost", 530, target_id="p2"),
                       act("5", "c", "repost", 200, target_id="p1"), act("6", "d", "reply", 12, target_id="p1")),
                      frozenset({("a", "b")}), {"min_synchrony": 0.0})

    def source(self) -> ItemSource:
        return ItemSource(key="target_id", kinds=("repost",), dedupe_action_ids=self.settings.scoring == "cnt",
                          drop_self_targets=not self._peer())


@register
class CoReply(CoActionSignal):
    name = "co_reply"
    help = "Accounts replying to the same post within the window."
    example = Example((act("p1", "author", "post", 0), act("1", "a", "reply", 10, target_id="p1"),
                       act("2", "b", "reply", 40, target_id="p1"), act("3", "c", "reply", 300, target_id="p1"),
                       act("4", "d", "repost", 20, target_id="p1")),
                      frozenset({("a", "b")}))

    def source(self) -> ItemSource:
        return ItemSource(key="target_id", kinds=("reply",), dedupe_action_ids=self.settings.scoring == "cnt",
                          drop_self_targets=not self._peer())


@register
class CoLink(CoActionSignal):
    name = "co_link"
    help = "Accounts sharing the same normalised URL (or domain) within the window."
    example = Example((act("1", "a", "post", 0, urls=["https://www.Example.com/news/1/?utm_source=tw#top"]),
                       act("2", "b", "post", 5, urls=["http://example.com/news/1"]),
                       act("3", "c", "post", 9, urls=["https://example.com/news/2"]),
                       act("4", "d", "repost", 9, target_id="1", urls=["http://example.com/news/1"])),
                      frozenset({("a", "b")}))
    params: ClassVar[tuple[Param, ...]] = (
        Param("link_level", str, "url", "What counts as the same link: url (normalised: host"
              " lower-cased, www./tracking parameters/fragment/trailing slash dropped), domain,"
              " or raw (the string as given, as coordination-network-toolkit).",
              choices=("url", "domain", "raw")),
    )

    def source(self) -> ItemSource:
        keys: dict[str, ItemKey] = {"url": "url", "domain": "domain", "raw": "url_raw"}
        return ItemSource(key=keys[self.settings.link_level], exclude_kinds=("repost",),
                          dedupe_action_ids=self.settings.scoring == "cnt", drop_self_targets=False)


@register
class CoText(CoActionSignal):
    name = "co_text"
    aliases = ("co_tweet",)
    help = ("Accounts posting the same text (after normalisation) or a near duplicate of it"
            " (MinHash/LSH on character shingles, any script) within the window.")
    example = Example((act("1", "a", "post", 0, text="Rioters in Hong Kong are destroying public order!!"),
                       act("2", "b", "post", 25, text="@someone RIOTERS in Hong Kong are destroying public order"),
                       act("3", "c", "post", 30, text="Lovely weather in Kowloon today, off to the harbour"),
                       act("4", "d", "post", 31, text="thanks!"), act("5", "e", "post", 32, text="thanks!")),
                      frozenset({("a", "b")}))
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
        # one more than the cap tells there are too many, without reading millions of texts
        texts = engine.distinct_items(items, s.near_duplicate_max_texts + 1).column("item").to_pylist()
        if len(texts) > s.near_duplicate_max_texts:
            s.notes.append(f"co_text: more than {s.near_duplicate_max_texts:,} distinct texts"
                           " (near_duplicate_max_texts); near duplicates skipped, exact duplicates still paired")
            return items
        groups = near_duplicate_groups(texts, s.text_similarity, k=s.shingle_size, seed=s.seed + 1)
        return engine.remap_items(items, groups) if groups.num_rows else items


@register
class CoHashtagSequence(CoActionSignal):
    name = "co_hashtag_sequence"
    help = "Accounts posting the same ordered sequence of hashtags within the window."
    example = Example((act("1", "a", "post", 0, hashtags=["HK", "Riots", "Police"]),
                       act("2", "b", "post", 3, hashtags=["#hk", "riots", "police"]),
                       act("3", "c", "post", 4, hashtags=["riots", "hk", "police"]),
                       act("4", "d", "post", 4, hashtags=["hk"]), act("5", "e", "post", 5, hashtags=["hk"])),
                      frozenset({("a", "b")}))
    params: ClassVar[tuple[Param, ...]] = (
        Param("min_hashtags", int, 2, "Only posts with at least this many hashtags count"
              " (one popular hashtag is not a fingerprint).", min=1),
    )

    def source(self) -> ItemSource:
        return ItemSource(key="hashtag_sequence", exclude_kinds=("repost",),
                          min_hashtags=self.settings.min_hashtags,
                          dedupe_action_ids=self.settings.scoring == "cnt", drop_self_targets=False)
