"""``news_claim`` searches the joined texts first: it must find exactly what a search of each
text finds, at the edges of the texts too (word boundaries, a word split across two texts)."""

from __future__ import annotations

import itertools
import random

from lockstep.accounts.persona import NEWS_CLAIM, news_claim


def _each(*texts: str | None) -> str | None:
    for t in texts:
        if t:
            m = NEWS_CLAIM.search(t)
            if m:
                return m.group(0)
    return None


PARTS = ["", None, "pos", "t", "post", "xpost", "tv", "TV", "atv", "tvb", "daily", "Dai", "ly", "新聞", "新",
         "聞", "radio_", "_politics", "hk post", "Post-", "news\n", "\nnews", "ré", "sumé", "x"]


def test_joined_search_finds_what_each_search_finds() -> None:
    for texts in itertools.product(PARTS, repeat=3):
        assert news_claim(*texts) == _each(*texts), texts
    rng = random.Random(0)
    for _ in range(3000):
        texts = ["".join(rng.choice(PARTS[2:]) for _ in range(rng.randint(0, 3))) or rng.choice(["", None])
                 for _ in range(3)]
        assert news_claim(*texts) == _each(*texts), texts
