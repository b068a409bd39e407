"""Never-repeated operation text: every post a fresh paraphrase of one of the campaign's claims.

Why: an operation that has learnt that copy-paste gets caught rewrites each message (by hand
or with a paraphrasing tool) so that no two of its posts are identical, while the claims,
hashtags and off-platform links stay the campaign's. With ``unique_text`` = R, a share R of
the operation's own posts (persona posts, templated bursts, replies, amplifier slogans and
replies) are composed as opener + one of several rewordings of the template's claim + closer
(+ the emoji variation), in the post's language, and the run remembers every text it used, so
a composition that was already used is drawn again; with R = 1 no two operation posts (or
replies) have the same text. Reshares ("RT @...") still copy their original, as on the platform.

With R = 0 :func:`operation_text` is exactly :func:`lockstep.simulate.text.operation`.
"""

from __future__ import annotations

import numpy as np

from lockstep.simulate import text as T
from lockstep.simulate import vocab
from lockstep.simulate.context import Ctx
from lockstep.simulate.names import pick

O = object
OPEN_EN = ("", "", "Honestly,", "Let's be clear:", "Fact:", "Again:", "Say it loud:", "The truth is", "Everyone can see",
           "No doubt", "Time to say it:", "Think about it:", "Wake up:", "Plain and simple:", "Look at the facts:",
           "Reminder:", "Nobody reports it, but", "Once more:")
CLOSE_EN = ("", ".", "!", " - enough.", ". Share this.", ". Hong Kong deserves better.", ". The world should know.",
            "!!", ". Think about it.", ". Shameful.", ". Period.", ". Spread the word.")
CLAIMS_EN = (
    ("rioters are destroying Hong Kong", "Hong Kong is being wrecked by rioters", "the rioters are ruining our city",
     "these thugs are tearing Hong Kong apart"),
    ("foreign forces are behind the chaos in Hong Kong", "outside hands are stirring up Hong Kong",
     "the unrest is funded from abroad", "foreign meddling is fuelling the riots"),
    ("we stand with the Hong Kong police", "the HK police deserve our support",
     "the police are upholding the law in Hong Kong", "support the officers keeping Hong Kong safe"),
    ("Hong Kong is and always will be part of China", "no one can split Hong Kong from China",
     "separatism has no future in Hong Kong", "Hong Kong belongs to China, full stop"),
    ("these 'peaceful' protests are violent riots", "there is nothing peaceful about these protests",
     "calling this peaceful protest is a lie", "the so-called peaceful marches are riots"),
    ("the violence must stop and order return", "Hong Kong needs order restored now", "end the violence, restore order",
     "stopping the violence is what Hong Kong needs most"),
)
OPEN_ZH = ("", "", "說白了，", "事實就是：", "大家要看清楚，", "不得不說，", "再說一次：", "請記住：", "明眼人都知道，", "講真，",
           "醒醒吧，", "必須指出，", "看看事實：", "毫無疑問，", "轉發告訴更多人：", "沒有媒體報道，但")
CLOSE_ZH = ("", "。", "！", "！！", "，夠了！", "，請轉發。", "，香港人要清醒。", "，天理何在？", "，可恥！", "…", "，支持！",
            "，全世界都應該知道。")
CLAIMS_ZH = (
    ("暴徒正在破壞香港", "香港被暴徒搞到一團糟", "這些暴徒把香港毀了", "暴徒令香港市民忍無可忍"),
    ("外國勢力在背後插手香港", "香港亂局背後有外國黑手", "境外勢力煽動香港動亂", "有人收了外國的錢搞亂香港"),
    ("堅決支持香港警察依法執法", "香港警察辛苦了，我們支持你們", "警方嚴正執法，守護香港", "撐香港警察維護法治"),
    ("香港是中國不可分割的一部分", "誰也別想把香港從中國分裂出去", "港獨沒有出路", "香港永遠是中國的香港"),
    ("所謂和平示威根本就是暴力衝擊", "這哪裡是和平遊行，分明是暴亂", "和平示威只是暴徒的幌子", "他們的和平集會其實是暴力"),
    ("止暴制亂是當務之急", "香港現在最需要止暴制亂", "必須盡快止暴制亂，恢復秩序", "停止暴力，香港才有希望"),
    ("蒙面暴徒襲擊無辜市民", "無辜市民被蒙面暴徒打傷", "蒙面暴徒對市民下毒手", "暴徒蒙面行兇，天理難容"),
    ("香港的繁榮穩定不容破壞", "不能讓少數人毀掉香港的繁榮", "香港的穩定得來不易", "守護香港的繁榮穩定"),
)
AGREE_EN = ("Support", "Well said", "Agree", "So true", "Exactly", "100% agree", "Totally right", "True", "Yes")
AGREE_ZH = ("說得好", "支持", "太對了", "頂", "同意", "講得好", "正確", "沒錯")
_TRIES = 6


def _claim(rng: np.random.Generator, lang: str, template: int, short: bool) -> str:
    zh = lang == "zh"
    claims = CLAIMS_ZH if zh else CLAIMS_EN
    claim = claims[template % len(claims)][int(rng.integers(4))]
    if short:
        agree = (AGREE_ZH if zh else AGREE_EN)[int(rng.integers(len(AGREE_ZH if zh else AGREE_EN)))]
        return agree + ("，" if zh else ", ") + claim + str(pick(rng, vocab.OP_VARIATION, 1)[0])
    opener = (OPEN_ZH if zh else OPEN_EN)[int(rng.integers(len(OPEN_ZH if zh else OPEN_EN)))]
    closer = (CLOSE_ZH if zh else CLOSE_EN)[int(rng.integers(len(CLOSE_ZH if zh else CLOSE_EN)))]
    if not zh:
        claim = (claim[0].upper() + claim[1:]) if not opener or opener.endswith(":") else claim
        opener = opener + " " if opener else ""
    return opener + claim + closer + str(pick(rng, vocab.OP_VARIATION, 1)[0])


def _suffix(tags: str, urls: str) -> str:
    """The text suffix (" #tag ... https://...") matching archive list strings."""
    out = ""
    for lst, mark in ((tags, "#"), (urls, "")):
        inner = lst.strip()[1:-1].strip()
        if inner:
            out += "".join(" " + mark + v.strip().strip("'") for v in inner.split(","))
    return out


def fresh(ctx: Ctx, rng: np.random.Generator, lang: str, template: int, tags: str, urls: str,
          short: bool = False) -> str:
    """One paraphrase never used before in this run (drawn again on a repeat)."""
    tail = _suffix(tags, urls)
    txt, tries = _claim(rng, lang, template, short) + tail, 0
    while txt in ctx.seen_text:
        tries += 1  # after a few repeats the poster adds words of its own (names, as in "@x @y")
        extra = "" if tries < _TRIES else " " + " ".join(pick(rng, vocab.FIRST, 1 + (tries - _TRIES) // 10))
        txt = _claim(rng, lang, template, short) + extra + tail
    ctx.seen_text.add(txt)
    return txt


def operation_text(ctx: Ctx, rng: np.random.Generator, lang: np.ndarray, template: np.ndarray, rate: float,
                   link: np.ndarray | None = None, short: bool = False) -> T.Texts:
    """Templated operation text (:func:`text.operation`), a share ``unique_text`` rewritten fresh.

    ``short``: amplifier-style replies ("Support, <claim>"), without hashtags or links.
    """
    n = len(lang)
    if short:
        base = (pick(rng, vocab.AMP_REPLIES, n), np.full(n, "[]", dtype=O), np.full(n, "[]", dtype=O))
    else:
        base = T.operation(rng, lang, template, rate, link)
    share = ctx.cfg.knobs.unique_text
    if share <= 0 or n == 0:
        return base
    text = base[0].copy()
    for i in np.flatnonzero(rng.random(n) < share):
        text[i] = fresh(ctx, rng, str(lang[i]), int(template[i]), str(base[1][i]), str(base[2][i]), short)
    return text, base[1], base[2]
