"""CSV writers in the Twitter Information Operations archive layout (tweets, users) plus
access.csv and labels.csv, streamed batch by batch with ``pyarrow.csv.CSVWriter``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from lockstep.ingest.formats.twitter_io import IO_TWEET_COLUMNS, IO_USER_COLUMNS
from lockstep.simulate import actions as A
from lockstep.simulate.population import Population

TWEET_COLUMNS = IO_TWEET_COLUMNS
USER_COLUMNS = IO_USER_COLUMNS
ACCESS_COLUMNS = ("userid", "time", "ip", "country", "asn", "device")
LABEL_COLUMNS = ("userid", "role", "campaign", "group")
_PROFILE = {"userid": "userid", "user_display_name": "display_name", "user_screen_name": "handle",
            "user_reported_location": "location", "user_profile_description": "description",
            "user_profile_url": "url", "follower_count": "followers", "following_count": "following",
            "account_language": "account_language"}


def _fmt_time(t: np.ndarray, fmt: str = "%Y-%m-%d %H:%M:%S") -> pa.Array:
    return pc.strftime(pa.array(t.astype("datetime64[s]")), format=fmt)


class Writer:
    """A CSV file written in chunks; the header is written once."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = path
        self.columns = columns
        self._w: pacsv.CSVWriter | None = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        table = table.select(list(self.columns))
        if self._w is None:
            self._w = pacsv.CSVWriter(str(self.path), table.schema)
        self._w.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self._w is None:  # still write a header for an empty file
            self.path.write_text(",".join(f'"{c}"' for c in self.columns) + "\n", encoding="utf-8")
        else:
            self._w.close()


class ProfileColumns:
    """Per-account profile columns as Arrow arrays, taken by account index for every tweet row."""

    def __init__(self, pop: Population) -> None:
        c = pop.cols
        self.arrays: dict[str, pa.Array] = {}
        for out, src in _PROFILE.items():
            v = c[src]
            self.arrays[out] = pa.array(v, type=pa.int64() if v.dtype.kind == "i" else pa.string())
        self.arrays["account_creation_date"] = _fmt_time(c["created"], "%Y-%m-%d")

    def take(self, acct: np.ndarray) -> dict[str, pa.Array]:
        idx = pa.array(acct)
        return {k: v.take(idx) for k, v in self.arrays.items()}


def tweets_table(b: A.Batch, prof: ProfileColumns, rng: np.random.Generator) -> pa.Table:
    n = len(b["t"])
    kind = b["kind"]
    cols: dict[str, pa.Array | np.ndarray] = dict(prof.take(b["acct"]))
    userid = prof.arrays["userid"]
    tgt_uid = userid.take(pa.array(np.where(b["tgt_acct"] >= 0, b["tgt_acct"], 0)))
    tgt_tid = pa.array(b["tgt_tid"].astype(str).astype(object))

    def only(k: int, arr: pa.Array) -> pa.Array:
        return pc.if_else(pa.array(kind == k), arr, pa.scalar(None, pa.string()))

    rt = kind == A.KIND_REPOST
    followers: Any = cols["follower_count"]
    fol = followers.to_numpy(zero_copy_only=False)
    base = np.where(rt, 0, rng.poisson(np.sqrt(fol + 1) * 0.3))
    cols.update({
        "tweetid": pa.array(b["tid"].astype(str).astype(object)),
        "tweet_language": pa.array(b["lang"], pa.string()),
        "tweet_text": pa.array(b["text"], pa.string()),
        "tweet_time": _fmt_time(b["t"]),
        "tweet_client_name": pa.array(b["client"], pa.string()),
        "in_reply_to_userid": only(A.KIND_REPLY, tgt_uid),
        "in_reply_to_tweetid": only(A.KIND_REPLY, tgt_tid),
        "quoted_tweet_tweetid": only(A.KIND_QUOTE, tgt_tid),
        "is_retweet": pa.array(np.where(rt, "True", "False").astype(object), pa.string()),
        "retweet_userid": only(A.KIND_REPOST, tgt_uid),
        "retweet_tweetid": only(A.KIND_REPOST, tgt_tid),
        "latitude": pa.array(np.full(n, "absent", dtype=object), pa.string()),
        "longitude": pa.array(np.full(n, "absent", dtype=object), pa.string()),
        "quote_count": pa.array(np.where(rt, 0, base // 20)),
        "reply_count": pa.array(np.where(rt, 0, base // 6)),
        "like_count": pa.array(base * 3),
        "retweet_count": pa.array(base),
        "hashtags": pa.array(b["hashtags"], pa.string()),
        "urls": pa.array(b["urls"], pa.string()),
        "user_mentions": pa.array(np.where(kind == A.KIND_POST, "[]", b["mentions"]).astype(object), pa.string()),
    })
    return pa.table({k: cols[k] for k in TWEET_COLUMNS})


def access_table(log: dict[str, np.ndarray], pop: Population) -> pa.Table:
    return pa.table({
        "userid": pa.array(pop.cols["userid"][log["acct"].astype(np.int64)], pa.string()),
        "time": _fmt_time(log["t"].astype(np.int64), "%Y-%m-%dT%H:%M:%SZ"),
        "ip": pa.array(log["ip"], pa.string()), "country": pa.array(log["country"], pa.string()),
        "asn": pa.array(log["asn"], pa.string()), "device": pa.array(log["device"], pa.string()),
    })


def write_users(path: Path, pop: Population, order: np.ndarray) -> int:
    prof = ProfileColumns(pop)
    w = Writer(path, USER_COLUMNS)
    w.write(pa.table({k: prof.arrays[k].take(pa.array(order)) for k in USER_COLUMNS}))
    w.close()
    return w.rows


def write_labels(path: Path, pop: Population, order: np.ndarray, campaign: str) -> int:
    c = pop.cols
    role = c["role"][order]
    w = Writer(path, LABEL_COLUMNS)
    w.write(pa.table({"userid": pa.array(c["userid"][order], pa.string()), "role": pa.array(role, pa.string()),
                      "campaign": pa.array(np.where(role == "organic", "", campaign).astype(object), pa.string()),
                      "group": pa.array(c["group"][order], pa.string())}))
    w.close()
    return w.rows
