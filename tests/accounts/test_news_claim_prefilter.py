"""The news-persona signal picks the profiles worth a Python search in SQL
(``NEWS_CLAIM_CANDIDATE``, RE2): that choice must keep every profile the Python search
itself would find a claim in (a superset), in the table's order, verified ones left out."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from roles.helpers import make_ws

from lockstep.accounts.persona import NEWS_CLAIM_CANDIDATE, news_claim
from lockstep.store.queries.profile import news_profiles

PARTS: list[str | None] = ["", None, "pos", "t", "post", "xpost", "POST", "tv", "TV", "atv", "tvb", "daily", "Dai", "ly", "新聞",
         "新", "聞", "radio_", "_politics", "hk post", "Post-", "news\n", "ré", "sumé", "x", "new\u017f", "pol\u0131tic", "med\u0130a",
         "NEW\u0130", "ne\u0131ws", "\u212aeep", "ra\u0130dio", "PRE\u017f\u017f", "Ｎews", "tv\u00e9", "éPOST"]


def test_prefilter_keeps_every_claim(tmp_path: Path) -> None:
    rng = random.Random(1)
    combos = list(itertools.product(PARTS[:14], repeat=3))
    words = [p for p in PARTS if p]
    combos += [tuple(rng.choice(words) + rng.choice(words) for _ in range(3)) for _ in range(3000)]
    rows = [{"account_id": f"a{i:05d}", "handle": h, "display_name": n, "description": d,
             "verified": [None, False, True][i % 3]} for i, (h, n, d) in enumerate(combos)]
    rows.append({"account_id": "plain", "handle": "kiss_is", "description": "Skiing, kites and sushi"})
    with make_ws(tmp_path / "ws", accounts=rows) as ws:
        every = news_profiles(ws, with_first_action=False)
        chosen = news_profiles(ws, with_first_action=False, unverified_matching=NEWS_CLAIM_CANDIDATE)
    want = [r for r in every if not r.verified and news_claim(r.handle, r.display_name, r.description)]
    got = [r for r in chosen if news_claim(r.handle, r.display_name, r.description)]
    assert got == want and len(want) > 1000
    assert not any(r.verified for r in chosen)
    assert "plain" not in {r.account_id for r in chosen}  # it does choose: no s, i, k taken for a claim
