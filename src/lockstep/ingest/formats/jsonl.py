"""twarc2 JSONL (Twitter API v2) and Bluesky Jetstream JSONL: one JSON object per line.

A parser turns one object into canonical rows (``{table: [row, ...]}``) or raises
:class:`RowError` naming the field and reason, which sends the line to quarantine.

- twarc2: a line is an API response page (``data`` + ``includes``) or one flattened tweet
  (``author`` embedded, as ``twarc2 flatten`` writes). ``referenced_tweets`` gives the kind:
  retweeted -> repost, quoted -> quote, replied_to -> reply; ``created_at`` has ms precision.
- Jetstream: commit events for app.bsky.feed.post / repost / like and app.bsky.graph.follow
  become actions (``at://`` URIs are the ids); identity/account events update accounts;
  event time is ``time_us``. Deletes are not actions: they are quarantined with that reason
  so none disappears unseen.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from lockstep.ingest.formats.base import Format


class RowError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


Rows = dict[str, list[dict[str, Any]]]


def _iso(value: Any, field: str) -> datetime:
    if not isinstance(value, str) or not value:
        raise RowError(field, "unparseable timestamp (missing or malformed)")
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RowError(field, "unparseable timestamp (missing or malformed)") from None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


def _id(value: Any, field: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()) or isinstance(value, (dict, list)):
        raise RowError(field, "empty id")
    return str(value)


def _int(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RowError(field, "not an integer") from None


class Twarc2Parser:
    @staticmethod
    def probe(obj: dict[str, Any]) -> bool:
        data = obj.get("data")
        if isinstance(data, list) and (not data or isinstance(data[0], dict) and "author_id" in data[0]):
            return True
        return "author_id" in obj and "id" in obj and ("text" in obj or "created_at" in obj)

    def rows(self, obj: dict[str, Any]) -> Rows:
        out: Rows = {"actions": [], "accounts": []}
        if isinstance(obj.get("data"), list):
            includes = obj.get("includes") or {}
            authors = {t.get("id"): t.get("author_id") for t in includes.get("tweets") or []}
            for tw in obj["data"]:
                out["actions"].append(self._tweet(tw, authors))
            for user in includes.get("users") or []:
                out["accounts"].append(self._user(user))
        else:
            out["actions"].append(self._tweet(obj, {}))
            if isinstance(obj.get("author"), dict):
                out["accounts"].append(self._user(obj["author"]))
        return out

    def _tweet(self, tw: dict[str, Any], authors: dict[Any, Any]) -> dict[str, Any]:
        kind, target, target_acc = "post", None, None
        for ref in tw.get("referenced_tweets") or []:
            rtype = ref.get("type")
            if rtype == "retweeted":
                kind, target = "repost", ref.get("id")
                target_acc = (ref.get("author_id") or authors.get(target)
                              or (ref.get("author") or {}).get("id"))
                break
            if rtype == "quoted" and kind == "post":
                kind, target = "quote", ref.get("id")
                target_acc = ref.get("author_id") or authors.get(target)
            if rtype == "replied_to":
                kind, target, target_acc = "reply", ref.get("id"), tw.get("in_reply_to_user_id")
        ent = tw.get("entities") or {}
        return {
            "platform": "twitter", "action_id": _id(tw.get("id"), "id"),
            "account_id": _id(tw.get("author_id"), "author_id"), "kind": kind,
            "target_id": None if target is None else str(target),
            "target_account_id": None if target_acc is None else str(target_acc),
            "timestamp": _iso(tw.get("created_at"), "created_at"), "time_precision": "ms",
            "text": tw.get("text"),
            "urls": [u.get("expanded_url") or u.get("url") for u in ent.get("urls") or []],
            "hashtags": [h.get("tag") for h in ent.get("hashtags") or []],
            "mentions": [m.get("username") or m.get("id") for m in ent.get("mentions") or []],
            "client": tw.get("source"), "language": tw.get("lang"),
        }

    def _user(self, u: dict[str, Any]) -> dict[str, Any]:
        pm = u.get("public_metrics") or {}
        created = u.get("created_at")
        return {
            "platform": "twitter", "account_id": _id(u.get("id"), "includes.users.id"),
            "handle": u.get("username"), "display_name": u.get("name"),
            "description": u.get("description"), "url": u.get("url"),
            "followers": _int(pm.get("followers_count"), "followers_count"),
            "following": _int(pm.get("following_count"), "following_count"),
            "posts_count": _int(pm.get("tweet_count"), "tweet_count"),
            "created_at": _iso(created, "created_at") if created else None,
            "location": u.get("location"), "verified": u.get("verified"),
        }


_BSKY_KINDS = {"app.bsky.feed.post": "post", "app.bsky.feed.repost": "repost",
               "app.bsky.feed.like": "like", "app.bsky.graph.follow": "follow"}


def _did_of(uri: Any) -> str | None:
    if isinstance(uri, str) and uri.startswith("at://"):
        return uri[5:].split("/", 1)[0]
    return None


class JetstreamParser:
    @staticmethod
    def probe(obj: dict[str, Any]) -> bool:
        return "did" in obj and "time_us" in obj and "kind" in obj

    def rows(self, obj: dict[str, Any]) -> Rows:
        did = _id(obj.get("did"), "did")
        tus = obj.get("time_us")
        if not isinstance(tus, int) or isinstance(tus, bool):
            raise RowError("time_us", "not a microsecond timestamp (missing or malformed)")
        ts = datetime(1970, 1, 1) + timedelta(microseconds=tus)
        kind = obj.get("kind")
        if kind in ("identity", "account"):
            info = obj.get(kind) or {}
            return {"accounts": [{"platform": "bluesky", "account_id": did, "handle": info.get("handle")}]}
        if kind != "commit":
            raise RowError("kind", f"unknown event kind {kind!r}")
        commit = obj.get("commit") or {}
        coll = commit.get("collection")
        if commit.get("operation") == "delete":
            raise RowError("commit.operation", "delete event: not an action, not stored")
        if coll not in _BSKY_KINDS:
            raise RowError("commit.collection", f"collection {coll!r} is not an action lockstep reads")
        rec = commit.get("record") or {}
        rkey = _id(commit.get("rkey"), "commit.rkey")
        row: dict[str, Any] = {
            "platform": "bluesky", "action_id": f"at://{did}/{coll}/{rkey}", "account_id": did,
            "kind": _BSKY_KINDS[coll], "timestamp": ts, "time_precision": "us",
            "urls": [], "hashtags": [], "mentions": [],
        }
        if coll == "app.bsky.feed.post":
            row["text"] = rec.get("text")
            langs = rec.get("langs") or []
            row["language"] = langs[0] if langs else None
            reply = (rec.get("reply") or {}).get("parent") or {}
            embed = rec.get("embed") or {}
            quoted = (embed.get("record") or {}).get("uri") if isinstance(embed.get("record"), dict) else None
            if reply.get("uri"):
                row.update(kind="reply", target_id=reply["uri"], target_account_id=_did_of(reply["uri"]))
            elif quoted:
                row.update(kind="quote", target_id=quoted, target_account_id=_did_of(quoted))
            ext = embed.get("external") or {}
            if ext.get("uri"):
                row["urls"].append(ext["uri"])
            for facet in rec.get("facets") or []:
                for feat in facet.get("features") or []:
                    t = feat.get("$type", "")
                    if t.endswith("#link") and feat.get("uri") not in row["urls"]:
                        row["urls"].append(feat.get("uri"))
                    elif t.endswith("#tag"):
                        row["hashtags"].append(feat.get("tag"))
                    elif t.endswith("#mention"):
                        row["mentions"].append(feat.get("did"))
        elif coll == "app.bsky.graph.follow":
            subj = rec.get("subject")
            row.update(target_id=subj, target_account_id=subj)
        else:
            uri = (rec.get("subject") or {}).get("uri")
            if not uri:
                raise RowError("commit.record.subject.uri", "empty id")
            row.update(target_id=uri, target_account_id=_did_of(uri))
        return {"actions": [row]}


TWARC2 = Format(name="twarc2", kind="jsonl", parser=Twarc2Parser(),
                summary="twarc2 JSONL (API v2 response pages, or one flattened tweet per line)")
JETSTREAM = Format(name="jetstream", kind="jsonl", parser=JetstreamParser(),
                   summary="Bluesky Jetstream JSONL (commit, identity and account events)")
