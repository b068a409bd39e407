"""Vectorised text, hashtag and link composition for every community.

Returns ``(text, hashtags, urls)`` object arrays where hashtags/urls are already in the
archive's Python-list-string layout. Organic text is composed from independent pools so
chance duplicates are rare; the operation's text comes from a few templates with small
variations, or a paraphrase with probability ``paraphrase_rate``.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from lockstep.simulate import vocab
from lockstep.simulate.names import pick

O = object
Texts = tuple[np.ndarray, np.ndarray, np.ndarray]


def _tag_pool(tags: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    combos = [()] + [(t,) for t in tags] + list(combinations(tags, 2))
    suffix = np.array([("" if not c else " " + " ".join(c)) for c in combos], dtype=O)
    lists = np.array(["[" + ", ".join(f"'{t.lstrip('#')}'" for t in c) + "]" for c in combos], dtype=O)
    return suffix, lists


_POOLS = {name: _tag_pool(t) for name, t in {
    "protest": vocab.PROTEST_TAGS, "loyal": vocab.LOYAL_TAGS, "op": vocab.OP_TAGS,
    "organic": ("#music", "#nba", "#foodie", "#photography", "#tbt", "#travel", "#HongKong"),
}.items()}


def tags(rng: np.random.Generator, n: int, pool: str, p: float) -> tuple[np.ndarray, np.ndarray]:
    suffix, lists = _POOLS[pool]
    k = len(suffix)
    i = np.where(rng.random(n) < p, rng.integers(1, k, n), 0)
    return suffix[i], lists[i]


def links(rng: np.random.Generator, n: int, domains: tuple[str, ...], p: float,
          path_space: int = 100_000) -> tuple[np.ndarray, np.ndarray]:
    """(text suffix, url list string) with a link to one of ``domains`` with probability ``p``."""
    has = rng.random(n) < p
    url = "https://" + pick(rng, domains, n) + "/" + rng.integers(1, path_space, n).astype(str).astype(O)
    suffix = np.where(has, " " + url, "").astype(O)
    lists = np.where(has, "['" + url + "']", "[]").astype(O)
    return suffix, lists


def _compose(rng: np.random.Generator, n: int, *pools: tuple[str, ...], sep: str = " ") -> np.ndarray:
    out = pick(rng, pools[0], n)
    for p in pools[1:]:
        out = out + sep + pick(rng, p, n)
    return out


def organic(rng: np.random.Generator, lang: np.ndarray) -> Texts:
    n = len(lang)
    en = _compose(rng, n, vocab.TOPIC_OPEN_EN, vocab.TOPIC_BODY_EN) + pick(rng, vocab.TOPIC_CLOSE_EN, n)
    zh = _compose(rng, n, vocab.TOPIC_OPEN_ZH, vocab.TOPIC_BODY_ZH, sep="") + pick(rng, vocab.TOPIC_CLOSE_ZH, n)
    ja = _compose(rng, n, vocab.TOPIC_OTHER["ja"], vocab.TOPIC_OTHER["ja"], sep="")
    es = _compose(rng, n, vocab.TOPIC_OTHER["es"], vocab.TOPIC_OTHER["es"], vocab.TOPIC_BODY_EN)
    text = np.where(lang == "zh", zh, np.where(lang == "ja", ja, np.where(lang == "es", es, en)))
    ts, tl = tags(rng, n, "organic", 0.15)
    ls, ll = links(rng, n, vocab.ORGANIC_DOMAINS, 0.15, 10**7)
    return (text + ts + ls).astype(O), tl, ll


def news(rng: np.random.Generator, lang: np.ndarray, domain: np.ndarray) -> Texts:
    n = len(lang)
    en = pick(rng, vocab.NEWS_HEAD_EN, n) + " " + pick(rng, vocab.NEWS_BODY_EN, n)
    zh = "【" + pick(rng, ("快訊", "即時", "港聞", "最新"), n) + "】" + pick(rng, vocab.NEWS_BODY_ZH, n)
    ts, tl = tags(rng, n, "organic", 0.1)
    url = "https://" + domain + "/news/" + rng.integers(10**5, 10**7, n).astype(str).astype(O)
    text = np.where(lang == "zh", zh, en) + ts + " " + url
    return text.astype(O), tl, ("['" + url + "']").astype(O)


def protest(rng: np.random.Generator, lang: np.ndarray, slogan_rate: float = 0.1) -> Texts:
    n = len(lang)
    en = pick(rng, vocab.PROTEST_BODY_EN, n)
    zh = pick(rng, vocab.PROTEST_BODY_ZH, n) + pick(rng, ("", "！", "！！", "🙏", "💪"), n)
    text = np.where(lang == "zh", zh, en)
    text = np.where(rng.random(n) < slogan_rate, pick(rng, vocab.PROTEST_SLOGANS, n), text)
    ts, tl = tags(rng, n, "protest", 0.7)
    ls, ll = links(rng, n, vocab.PROTEST_DOMAINS, 0.25, 300)  # few shared links: petitions, threads
    return (text + ts + ls).astype(O), tl, ll


def loyal(rng: np.random.Generator, lang: np.ndarray) -> Texts:
    n = len(lang)
    text = np.where(lang == "zh", pick(rng, vocab.LOYAL_BODY_ZH, n), pick(rng, vocab.LOYAL_BODY_EN, n))
    text = text + pick(rng, ("", "", ".", "!", "。", " 🙏", " 🇨🇳"), n)
    ts, tl = tags(rng, n, "loyal", 0.55)
    ls, ll = links(rng, n, vocab.STATE_MEDIA_DOMAINS, 0.3, 10**6)
    return (text + ts + ls).astype(O), tl, ll


def operation(rng: np.random.Generator, lang: np.ndarray, template: np.ndarray, paraphrase_rate: float,
              link: np.ndarray | None = None) -> Texts:
    """Templated operation text: template ``template`` (index) in ``lang``, small variations."""
    n = len(lang)
    para = (rng.random(n) < paraphrase_rate).astype(int)
    zh_t = np.array(vocab.OP_TEMPLATES_ZH, dtype=O)
    en_t = np.array(vocab.OP_TEMPLATES_EN, dtype=O)
    zh = zh_t[template % len(zh_t), para]
    en = en_t[template % len(en_t), para]
    text = np.where(lang == "zh", zh, en) + pick(rng, vocab.OP_VARIATION, n)
    ts, tl = tags(rng, n, "op", 0.6)
    if link is None:
        ls, ll = links(rng, n, vocab.OP_DOMAINS, 0.4, 5_000)
    else:
        has = link != ""
        ls = np.where(has, " " + link, "").astype(O)
        ll = np.where(has, "['" + link + "']", "[]").astype(O)
    return (text + ts + ls).astype(O), tl, ll


def spam(rng: np.random.Generator, lang: np.ndarray) -> Texts:
    n = len(lang)
    text = np.empty(n, dtype=O)
    for lg, pool in vocab.SPAM.items():
        m = lang == lg
        text[m] = pick(rng, pool, int(m.sum()))
    text[text == None] = pick(rng, vocab.SPAM["en"], int((text == None).sum()))  # noqa: E711
    ls, ll = links(rng, n, vocab.SPAM_DOMAINS, 0.7, 10**6)
    return (text + pick(rng, ("", "!", "!!", " 🔥", " 👉"), n) + ls).astype(O), np.full(n, "[]", dtype=O), ll
