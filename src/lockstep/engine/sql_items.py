"""SQL for turning canonical ``actions`` rows into the items a signal pairs over.

Kept apart from the engine so the normalisation rules (what makes two URLs or two texts
"the same item") are in one readable place and can be checked in isolation.
"""

from __future__ import annotations

from lockstep.engine.base import ItemSource

# Python's str.split() whitespace, which the toolkit's text normalisation relies on.
_WS = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+"

# Tracking parameters that never change what a link points at.
_TRACKING = r"(utm_[a-z0-9_]*|fbclid|gclid|igshid|mc_cid|mc_eid|ref_src|ref_url|si|s|t|feature)"


def url_host_sql(u: str) -> str:
    """Lower-cased host without scheme, credentials, port or ``www.``."""
    rest = f"regexp_replace(trim({u}), '^[A-Za-z][A-Za-z0-9+.-]*://', '')"
    host = f"lower(regexp_extract({rest}, '^([^/?#]*)', 1))"
    host = f"regexp_replace(regexp_replace({host}, '^.*@', ''), ':(80|443)$', '')"
    return f"regexp_replace({host}, '^(www[0-9]*|m|mobile)\\.', '')"


def url_norm_sql(u: str) -> str:
    """host + path + query without tracking parameters, fragment or trailing slash.

    The path keeps its case: short-link codes (bit.ly/AbC) are case-sensitive.
    """
    rest = f"regexp_replace(trim({u}), '^[A-Za-z][A-Za-z0-9+.-]*://', '')"
    tail = f"regexp_replace(regexp_extract({rest}, '^[^/?#]*(.*)$', 1), '#.*$', '')"
    tail = f"regexp_replace({tail}, '([?&]){_TRACKING}=[^&]*', '\\1', 'gi')"
    tail = f"regexp_replace(regexp_replace({tail}, '[?&]+$', ''), '\\?&+', '?')"
    tail = f"regexp_replace(regexp_replace({tail}, '&&+', '&', 'g'), '/+$', '')"
    return f"({url_host_sql(u)} || {tail})"


def text_norm_sql(t: str) -> str:
    """lockstep's text key: lower case, no URLs, mentions, RT prefix, punctuation or
    repeated whitespace. Works on any script (CJK text keeps its characters)."""
    x = f"lower({t})"
    x = f"regexp_replace({x}, '(https?://|www\\.)\\S+', ' ', 'g')"
    x = f"regexp_replace({x}, '^rt\\s+@\\S+:?', ' ')"
    x = f"regexp_replace({x}, '@\\S+', ' ', 'g')"
    x = f"regexp_replace({x}, '[\\p{{P}}\\p{{S}}]+', ' ', 'g')"
    return f"trim(regexp_replace({x}, '{_WS}', ' ', 'g'))"


def text_cnt_sql(t: str) -> str:
    """coordination-network-toolkit's co_tweet key: lower case, ``@\\S*`` removed,
    whitespace runs collapsed to one space (Python ``" ".join(s.split())``)."""
    x = f"regexp_replace(lower({t}), '@\\S*', '', 'g')"
    return f"trim(regexp_replace({x}, '{_WS}', ' ', 'g'))"


def hashtag_seq_sql(h: str) -> str:
    """The ordered, lower-cased hashtag list as one string (None when too short)."""
    seq = f"list_transform({h}, lambda x: lower(ltrim(x, '#')))"
    return f"array_to_string({seq}, ' ')"


def items_select(src: ItemSource) -> str:
    """A SELECT of (platform, account_id, action_id, item, t_us) for ``src``."""
    where = ["timestamp IS NOT NULL", "account_id IS NOT NULL"]
    if src.kinds is not None:
        where.append("kind IN (" + ", ".join(f"'{k}'" for k in src.kinds) + ")")
    if src.exclude_kinds:
        where.append("kind NOT IN (" + ", ".join(f"'{k}'" for k in src.exclude_kinds) + ")")
    base = "actions"
    if src.dedupe_action_ids:
        base = ("(SELECT * FROM actions QUALIFY row_number() OVER (PARTITION BY platform, action_id"
                " ORDER BY source_file, source_line) = 1)")
    distinct = ""
    if src.key == "target_id":
        item = "target_id"
    elif src.key == "target_author":
        # Reshares that name only the reshared author (SNAP Higgs): the item is the author,
        # labelled so evidence reads 'author:<id>'. Rows with a post id are co_repost's.
        item = "'author:' || target_account_id"
        where.append("(target_id IS NULL OR target_id = '') AND target_account_id IS NOT NULL"
                     " AND target_account_id <> ''")
        if src.drop_self_targets:
            where.append("target_account_id <> account_id")  # resharing oneself is no tie
    elif src.key in ("url", "url_raw", "domain"):
        base = f"(SELECT *, unnest(urls) AS _u FROM {base} WHERE len(urls) > 0)"
        item = {"url": url_norm_sql("_u"), "url_raw": "_u", "domain": url_host_sql("_u")}[src.key]
        distinct = "DISTINCT"  # one row per (action, item), as a (message, url) key does
    elif src.key in ("text", "text_cnt"):
        item = text_norm_sql("text") if src.key == "text" else text_cnt_sql("text")
        where.append("text IS NOT NULL")
    elif src.key == "hashtag_sequence":
        item = hashtag_seq_sql("hashtags")
        where.append(f"len(hashtags) >= {int(src.min_hashtags)}")
    else:  # pragma: no cover - ItemKey is closed
        raise ValueError(src.key)
    cond = " AND ".join(where)
    inner = (f"SELECT {distinct} platform, account_id, action_id, {item} AS item,"
             f" epoch_us(timestamp) AS t_us FROM {base} WHERE {cond}")
    outer = ["item IS NOT NULL", "item <> ''"]
    if src.min_text_chars and src.key in ("text", "text_cnt"):
        outer.append(f"length(item) >= {int(src.min_text_chars)}")
    if src.drop_self_targets:
        outer.append("item <> action_id")
    # MATERIALIZED: otherwise the optimiser pushes these filters into the scan and evaluates
    # the (regex) normalisation once per condition, which made co_text items 5x slower.
    return f"WITH _i AS MATERIALIZED ({inner}) SELECT * FROM _i WHERE " + " AND ".join(outer)
