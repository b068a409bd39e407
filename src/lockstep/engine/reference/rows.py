"""The reference definitions of items, window pairs and origin pairs, on plain Python rows.

Written to be read next to the glossary, not to be fast: every rule is a line of Python. The
DuckDB engine's SQL must give exactly these rows (tests/engine/test_signal_conformance.py).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lockstep.engine import normalise as nz
from lockstep.engine.base import ItemSource, PairSpec

Row = dict[str, Any]

ITEMS = pa.schema([("uid", pa.int64()), ("platform", pa.string()), ("account_id", pa.string()),
                   ("action_id", pa.string()), ("item", pa.string()), ("t_us", pa.int64())])
PAIRS = pa.schema([("item", pa.string()), ("uid_a", pa.int64()), ("action_a", pa.string()),
                   ("account_a", pa.string()), ("t_a", pa.int64()), ("uid_b", pa.int64()),
                   ("action_b", pa.string()), ("account_b", pa.string()), ("t_b", pa.int64())])


def action_rows(actions: pa.Table) -> list[Row]:
    """Canonical action rows with ``t_us``: the timestamp in epoch microseconds."""
    t_us = pc.cast(actions.column("timestamp"), pa.int64())
    return actions.append_column("t_us", t_us).to_pylist()  # type: ignore[no-any-return]


def _first_per_action_id(rows: list[Row]) -> list[Row]:
    """One row per (platform, action_id): the first by (source_file, source_line), nulls last."""
    def order(r: Row) -> tuple[bool, str, bool, int]:
        return (r["source_file"] is None, r["source_file"] or "", r["source_line"] is None,
                r["source_line"] or 0)
    seen: set[tuple[Any, Any]] = set()
    keep: list[int] = []
    for i in sorted(range(len(rows)), key=lambda i: order(rows[i])):
        key = (rows[i]["platform"], rows[i]["action_id"])
        if key not in seen:
            seen.add(key)
            keep.append(i)
    return [rows[i] for i in sorted(keep)]


def _keys_of(r: Row, src: ItemSource) -> list[str | None]:
    """The item(s) one action points at, for ``src.key``."""
    if src.key == "target_id":
        return [r["target_id"]]
    if src.key == "target_author":  # reshares naming only the author, never oneself
        tai = r["target_account_id"]
        if r["target_id"] not in (None, "") or tai in (None, ""):
            return []
        if src.drop_self_targets and tai == r["account_id"]:
            return []
        return ["author:" + tai]
    if src.key in ("url", "url_raw", "domain"):
        urls = r["urls"] or []
        if src.key == "url_raw":
            return list(urls)
        return [nz.url_key(u) if src.key == "url" else nz.apply(nz.URL_HOST, u) for u in urls]
    if src.key in ("text", "text_cnt"):
        return [] if r["text"] is None else [nz.apply(nz.TEXT if src.key == "text" else nz.TEXT_CNT, r["text"])]
    if src.key == "hashtag_sequence":
        tags = r["hashtags"]
        return [nz.hashtag_sequence(tags)] if tags is not None and len(tags) >= src.min_hashtags else []
    raise ValueError(src.key)  # pragma: no cover - ItemKey is closed


def item_rows(actions: list[Row], src: ItemSource) -> pa.Table:
    """Rows (uid, platform, account_id, action_id, item, t_us) of the actions ``src`` selects."""
    rows = _first_per_action_id(actions) if src.dedupe_action_ids else actions
    out: list[Row] = []
    seen: set[tuple[Any, ...]] = set()
    for r in rows:
        if r["t_us"] is None or r["account_id"] is None:
            continue
        if src.kinds is not None and r["kind"] not in src.kinds:
            continue
        if src.exclude_kinds and (r["kind"] is None or r["kind"] in src.exclude_kinds):
            continue
        for item in _keys_of(r, src):
            if item is None or item == "":
                continue
            if src.key in ("text", "text_cnt") and src.min_text_chars and len(item) < src.min_text_chars:
                continue
            if src.drop_self_targets and (r["action_id"] is None or item == r["action_id"]):
                continue
            key = (r["platform"], r["account_id"], r["action_id"], item, r["t_us"])
            if src.key in ("url", "url_raw", "domain"):  # one row per (action, item)
                if key in seen:
                    continue
                seen.add(key)
            out.append({"uid": len(out) + 1, "platform": r["platform"], "account_id": r["account_id"],
                        "action_id": r["action_id"], "item": item, "t_us": r["t_us"]})
    if src.with_originals:  # authoring a post is acting on it
        for r in rows:
            if r["t_us"] is None or r["account_id"] is None or r["action_id"] in (None, ""):
                continue
            if r["kind"] is None or r["kind"] in ("repost", "like"):
                continue
            out.append({"uid": len(out) + 1, "platform": r["platform"], "account_id": r["account_id"],
                        "action_id": r["action_id"], "item": r["action_id"], "t_us": r["t_us"]})
    if src.max_item_accounts > 0:  # rarely shared items only
        accs: dict[str, set[str]] = defaultdict(set)
        for x in out:
            accs[x["item"]].add(x["account_id"])
        out = [x for x in out if 2 <= len(accs[x["item"]]) <= src.max_item_accounts]
    return pa.Table.from_pylist(out, schema=ITEMS)


def window_pairs(items: pa.Table, spec: PairSpec) -> pa.Table:
    """Every unordered pair of rows on one item with ``0 <= t_b - t_a <= window``; on an item
    with more than ``hot_item_actions`` rows (when ``max_neighbours`` > 0) each row pairs only
    with its next ``max_neighbours`` rows in (time, account, action) order. Row ``a`` of a pair
    comes first in that order (time, then uid on items that are not hot). With
    ``spec.after_s`` only pairs with ``t_b - t_a > after_s`` are kept (on a hot item, among
    the same next ``max_neighbours`` rows)."""
    w = int(round(spec.window_s * 1_000_000))
    lo = None if spec.after_s is None else int(round(spec.after_s * 1_000_000))
    rows = items.to_pylist()
    by_item: dict[str, list[int]] = defaultdict(list)
    for n, r in enumerate(rows):
        by_item[r["item"]].append(n)
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    for idx in by_item.values():
        hot = spec.max_neighbours > 0 and len(idx) > spec.hot_item_actions
        if hot:
            idx.sort(key=lambda n: (rows[n]["t_us"], rows[n]["account_id"], rows[n]["action_id"], rows[n]["uid"]))
        else:
            idx.sort(key=lambda n: (rows[n]["t_us"], rows[n]["uid"]))
        order = np.array(idx, dtype=np.int64)
        t = np.array([rows[n]["t_us"] for n in idx], dtype=np.int64)
        ends = np.searchsorted(t, t + w, side="right")  # first row more than w later
        begins = (np.arange(len(idx)) + 1 if lo is None
                  else np.maximum(np.searchsorted(t, t + lo, side="right"), np.arange(len(idx)) + 1))
        for i, (begin, end) in enumerate(zip(begins.tolist(), ends.tolist())):
            if hot:
                end = min(end, i + 1 + spec.max_neighbours)
            if end > begin:
                firsts.append(np.full(end - begin, order[i]))
                seconds.append(order[begin:end])
    a = items.take(pa.array(np.concatenate(firsts) if firsts else np.empty(0, np.int64)))
    b = items.take(pa.array(np.concatenate(seconds) if seconds else np.empty(0, np.int64)))
    return pa.table([a.column("item"), a.column("uid"), a.column("action_id"), a.column("account_id"),
                     a.column("t_us"), b.column("uid"), b.column("action_id"), b.column("account_id"),
                     b.column("t_us")], schema=PAIRS)


def _pair(item: str, a: Row, b: Row) -> Row:
    return {"item": item, "uid_a": a["uid"], "action_a": a["action_id"], "account_a": a["account_id"],
            "t_a": a["t_us"], "uid_b": b["uid"], "action_b": b["action_id"], "account_b": b["account_id"],
            "t_b": b["t_us"]}


def origin_pairs(actions: list[Row], window_s: float | None, kinds: tuple[str, ...]) -> pa.Table:
    """(original, reshare) pairs: a reshare of one of ``kinds`` made 0..window seconds after
    the original's own (earliest) timestamp; originals are actions other than reposts and likes."""
    w = int(round(window_s * 1_000_000)) if window_s is not None else 2**62
    orig: dict[tuple[str, str], Row] = {}
    for r in actions:
        if r["kind"] is None or r["kind"] in ("repost", "like") or r["t_us"] is None:
            continue
        if r["platform"] is None or r["action_id"] is None:
            continue  # a join on a missing key matches nothing
        o = orig.setdefault((r["platform"], r["action_id"]),
                            {"uid": 0, "action_id": r["action_id"], "account_id": None, "t_us": r["t_us"]})
        o["t_us"] = min(o["t_us"], r["t_us"])
        if o["account_id"] is None:
            o["account_id"] = r["account_id"]
    out: list[Row] = []
    for r in actions:
        if r["kind"] not in kinds or r["t_us"] is None:
            continue
        src = orig.get((r["platform"], r["target_id"]))
        if src is not None and 0 <= r["t_us"] - src["t_us"] <= w:
            out.append(_pair(r["target_id"], src, {"uid": 0, "action_id": r["action_id"],
                                                 "account_id": r["account_id"], "t_us": r["t_us"]}))
    return pa.Table.from_pylist(out, schema=PAIRS)
