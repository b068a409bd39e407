"""twarc2 (Twitter API v2) JSON in all its outputs, one record per line or per document.

- ``search``/``timeline`` pages: ``data`` is a list of tweets, ``includes`` holds the users
  and the referenced tweets (``includes.tweets``: the originals of retweets, quotes and
  replies, stored as actions too, since they are what co-retweet signals pair on).
- ``stream``/``sample``: ``data`` is one tweet, with ``includes`` and ``matching_rules``.
- ``flatten``: one tweet per line with ``author`` (and referenced tweets) embedded.
- ``users`` (and ``followers``/``following``) pages: ``data`` is a list of users.
- A line holding only ``errors`` (tweets the API could not return) is quarantined with the
  API's own message, so it is counted, not lost.

``referenced_tweets`` gives the kind: retweeted -> repost, quoted -> quote, replied_to ->
reply; ``created_at`` has ms precision. One malformed tweet of a page is quarantined as
``data[i].<field>`` and its neighbours are stored.
"""

from __future__ import annotations

from typing import Any

from lockstep.ingest.formats.base import Format
from lockstep.ingest.formats.jsonbase import (RowError, Rows, dicts, ident, iso_time, list_at, obj_at,
                                              opt_int, text)


class Twarc2Parser:
    expand: tuple[str, ...] = ()

    @staticmethod
    def probe(obj: dict[str, Any]) -> bool:
        data = obj.get("data")
        if isinstance(data, list):
            first = next((d for d in data if isinstance(d, dict)), None)
            if first is None:
                return "meta" in obj or "includes" in obj
            return "author_id" in first or ("username" in first and "id" in first)
        if isinstance(data, dict):
            return "author_id" in data or ("username" in data and "id" in data)
        return "author_id" in obj and "id" in obj and ("text" in obj or "created_at" in obj)

    def rows(self, obj: dict[str, Any], errors: list[RowError], context: dict[str, Any]) -> Rows:
        out: Rows = {"actions": [], "accounts": []}
        data = obj.get("data")
        if data is None and "errors" in obj and "id" not in obj:
            msgs = [str(e.get("detail") or e.get("title") or e) for e in dicts(list_at(obj, "errors"))]
            raise RowError("errors", "API error response, no tweet: " + "; ".join(msgs)[:500])
        if isinstance(data, (list, dict)):
            includes = obj_at(obj, "includes")
            inc_tweets = dicts(list_at(includes, "tweets", "includes.tweets"))
            authors = {t.get("id"): t.get("author_id") for t in inc_tweets}
            items = data if isinstance(data, list) else [data]
            prefix = "data" if isinstance(data, dict) else None
            for i, item in enumerate(items):
                where = prefix or f"data[{i}]"
                self._item(item, where, authors, out, errors)
            for i, tw in enumerate(inc_tweets):
                self._item(tw, f"includes.tweets[{i}]", authors, out, errors)
            for i, user in enumerate(list_at(includes, "users", "includes.users")):
                self._guard(lambda u=user: out["accounts"].append(self._user(u)),
                            f"includes.users[{i}]", user, errors)
        else:
            out["actions"].append(self._tweet(obj, {}))
            author = obj_at(obj, "author")
            if author:
                out["accounts"].append(self._user(author))
            for i, ref in enumerate(dicts(list_at(obj, "referenced_tweets"))):
                if "author_id" in ref and "created_at" in ref:  # flatten embeds the full tweet
                    self._item(ref, f"referenced_tweets[{i}]", {}, out, errors)
        return out

    def _item(self, item: Any, where: str, authors: dict[Any, Any], out: Rows, errors: list[RowError]) -> None:
        if not isinstance(item, dict):
            errors.append(RowError(where, f"expected an object, got {type(item).__name__}", repr(item)))
        elif "author_id" not in item and "username" in item:  # a users page
            self._guard(lambda: out["accounts"].append(self._user(item)), where, item, errors)
        else:
            self._guard(lambda: out["actions"].append(self._tweet(item, authors)), where, item, errors)

    @staticmethod
    def _guard(fn: Any, where: str, item: Any, errors: list[RowError]) -> None:
        try:
            fn()
        except RowError as exc:
            errors.append(exc.within(where, item))

    def _tweet(self, tw: dict[str, Any], authors: dict[Any, Any]) -> dict[str, Any]:
        kind, target, target_acc = "post", None, None
        for ref in dicts(list_at(tw, "referenced_tweets")):
            rtype = ref.get("type")
            if rtype == "retweeted":
                kind, target = "repost", ref.get("id")
                target_acc = (ref.get("author_id") or authors.get(target)
                              or obj_at(ref, "author", "referenced_tweets.author").get("id"))
                break
            if rtype == "quoted" and kind == "post":
                kind, target = "quote", ref.get("id")
                target_acc = ref.get("author_id") or authors.get(target)
            if rtype == "replied_to":
                kind, target, target_acc = "reply", ref.get("id"), tw.get("in_reply_to_user_id")
        ent = obj_at(tw, "entities")
        return {
            "platform": "twitter", "action_id": ident(tw.get("id"), "id"),
            "account_id": ident(tw.get("author_id"), "author_id"), "kind": kind,
            "target_id": text(target), "target_account_id": text(target_acc),
            "timestamp": iso_time(tw.get("created_at"), "created_at"), "time_precision": "ms",
            "text": text(tw.get("text")),
            "urls": [u.get("expanded_url") or u.get("url") for u in dicts(list_at(ent, "urls", "entities.urls"))],
            "hashtags": [h.get("tag") for h in dicts(list_at(ent, "hashtags", "entities.hashtags"))],
            "mentions": [m.get("username") or m.get("id")
                         for m in dicts(list_at(ent, "mentions", "entities.mentions"))],
            "client": text(tw.get("source")), "language": text(tw.get("lang")),
        }

    def _user(self, u: Any) -> dict[str, Any]:
        if not isinstance(u, dict):
            raise RowError(None, f"expected a user object, got {type(u).__name__}")
        pm = obj_at(u, "public_metrics")
        created = u.get("created_at")
        return {
            "platform": "twitter", "account_id": ident(u.get("id"), "id"),
            "handle": text(u.get("username")), "display_name": text(u.get("name")),
            "description": text(u.get("description")), "url": text(u.get("url")),
            "followers": opt_int(pm.get("followers_count"), "public_metrics.followers_count"),
            "following": opt_int(pm.get("following_count"), "public_metrics.following_count"),
            "posts_count": opt_int(pm.get("tweet_count"), "public_metrics.tweet_count"),
            "created_at": iso_time(created, "created_at") if created else None,
            "location": text(u.get("location")),
            "verified": u.get("verified") if isinstance(u.get("verified"), bool) else None,
        }


TWARC2 = Format(name="twarc2", kind="jsonl", parser=Twarc2Parser(),
                summary="twarc2 JSON (search/timeline pages, stream/sample, flatten, users; JSONL or documents)")
