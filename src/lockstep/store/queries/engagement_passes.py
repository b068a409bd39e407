"""The run's engagement passes (``queries.shared``): every engagement edge between two
accounts, and every engagement with its target account and the authors of its target action,
on integer account ids.

Why once per run: the roles stage asks who engaged whom once per expansion round and per
entry, each time for another group of accounts; each of these passes joins all engagements
against all actions, which on a 10M-action workspace took seconds a time. The group's
question is then one vectorised pass over these arrays (``queries.engagement``).
"""

from __future__ import annotations

import numpy as np

from lockstep.distinct import distinct
from lockstep.store.queries.base import in_list
from lockstep.store.queries.shared import ENGAGE_KINDS, I32, I64, ORIGINAL_KINDS, Passes, cached


def received_edges(p: Passes) -> tuple[I32, I32]:
    """(src, dst) ids of every engagement edge between two different accounts: dst is the
    engagement's target account, else the author of the original post (``ORIGINAL_KINDS``)
    it targets (one edge per such author)."""
    return _passes(p)[1]


def received_totals(p: Passes) -> I64:
    """Per account id: engagement edges it receives from other accounts."""
    def build(p: Passes) -> I64:
        return np.bincount(received_edges(p)[1], minlength=len(p.ids)).astype(np.int64)
    out: I64 = cached(p, "received_totals", build)
    return out


def engagement_targets(p: Passes) -> tuple[I32, I32, I32, I32]:
    """(engagement number, src, target account, target action's author) ids of every
    engagement that has a target account or a target action (any kind) in the store: one row
    per author of the target action id (-1: none)."""
    return _passes(p)[0]


def _passes(p: Passes) -> tuple[tuple[I32, I32, I32, I32], tuple[I32, I32]]:
    """Both passes from one join of the engagements with the actions they target: on a
    10M-action workspace each join took seconds, and each pass made its own."""
    def build(p: Passes) -> tuple[tuple[I32, I32, I32, I32], tuple[I32, I32]]:
        cols = p.id_column(f"""
            -- rowid numbers the engagements (unique; a row_number() over every action took longer)
            WITH eng AS (SELECT rowid AS n, account_id, target_id, target_account_id FROM actions
                         WHERE kind IN ({in_list(ENGAGE_KINDS)}) AND account_id IS NOT NULL)
            -- one row per action stored under the target id (a target id with two rows gives
            -- two), or one without when there is none
            SELECT eng.n AS n, s.aid AS src, t.aid AS ta, a.aid AS author,
                   (au.kind IN ({in_list(ORIGINAL_KINDS)}))::INT AS orig
            FROM eng JOIN _ls_ids s ON eng.account_id = s.account_id
            LEFT JOIN _ls_ids t ON eng.target_account_id = t.account_id
            LEFT JOIN actions au ON eng.target_id = au.action_id
            LEFT JOIN _ls_ids a ON au.account_id = a.account_id""", ("n", "src", "ta", "author", "orig"))
        n, src, ta, author, orig = cols["n"], cols["src"], cols["ta"], cols["author"], cols["orig"] == 1
        # every target account and every author is an id (``_IDS_SQL``), so -1 is NULL
        hit = (ta >= 0) | (author >= 0)
        targets = (n[hit], src[hit], ta[hit], author[hit])
        # received: per engagement, one edge per distinct author of an original post under its
        # target id (the author NULL included), to its target account else that author; an
        # engagement with no such post, one edge to its target account
        has_orig = np.zeros(int(n.max()) + 1 if len(n) else 1, dtype=bool)
        has_orig[n[orig]] = True
        size = np.int64(len(p.ids) + 1)
        o_keys = distinct(n[orig].astype(np.int64) * size + (author[orig].astype(np.int64) + 1))
        o_n, o_author = o_keys // size, (o_keys % size - 1)
        first = np.flatnonzero(~has_orig[n])
        _, once = np.unique(n[first], return_index=True)  # one row per engagement without one
        rest = first[once]
        e_src = np.concatenate([engagement_src(n, src, has_orig.size)[o_n], src[rest]])
        o_ta = engagement_src(n, ta, has_orig.size)[o_n]
        e_dst = np.concatenate([np.where(o_ta >= 0, o_ta, o_author).astype(np.int32), ta[rest]])
        keep = (e_dst >= 0) & (e_src != e_dst)
        return targets, (e_src[keep], e_dst[keep])
    out: tuple[tuple[I32, I32, I32, I32], tuple[I32, I32]] = cached(p, "engagement_passes", build)
    return out


def engagement_src(n: I32, col: I32, size: int) -> I32:
    """``col`` per engagement number (one value per engagement: its account, its target account)."""
    out = np.full(size, -1, dtype=np.int32)
    out[n] = col
    return out


def engagement_sources(p: Passes) -> I32:
    """Per engagement number of :func:`engagement_targets`: its account id (-1: no such number)."""
    def build(p: Passes) -> I32:
        n, src, _, _ = engagement_targets(p)
        return engagement_src(n, src, int(n.max()) + 1 if len(n) else 1)
    got: I32 = cached(p, "engagement_sources", build)
    return got
