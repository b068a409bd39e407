"""Twitter API v1.1 JSON: one tweet per line (stream/filter, search ``statuses``, twarc 1
output) or a JSON array of tweets (timelines), pretty-printed or not.

``retweeted_status`` -> repost of that tweet (which is stored too, as the original the
co-retweet signal pairs on), ``quoted_status_id_str`` -> quote, ``in_reply_to_status_id_str``
-> reply. The full text comes from ``full_text`` or ``extended_tweet``. Stream notices
(``delete``, ``limit``) are not tweets and are quarantined with that reason. A search
response (``{"statuses": [...]}``) is read tweet by tweet.
"""

from __future__ import annotations

import re
from typing import Any

from lockstep.ingest.formats.base import Format
from lockstep.ingest.formats.jsonbase import (RowError, Rows, dicts, ident, list_at, obj_at, opt_int, text,
                                              v1_time)

_TAG = re.compile(r"<[^>]+>")


class TwitterV1Parser:
    expand: tuple[str, ...] = ()

    @staticmethod
    def probe(obj: dict[str, Any]) -> bool:
        if isinstance(obj.get("statuses"), list):
            return True
        return "id_str" in obj and isinstance(obj.get("user"), dict) and "created_at" in obj

    def rows(self, obj: dict[str, Any], errors: list[RowError], context: dict[str, Any]) -> Rows:
        out: Rows = {"actions": [], "accounts": []}
        if isinstance(obj.get("statuses"), list):  # a search response page
            for i, tw in enumerate(obj["statuses"]):
                try:
                    self._status(tw, out)
                except RowError as exc:
                    errors.append(exc.within(f"statuses[{i}]", tw))
            return out
        for notice in ("delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "warning"):
            if notice in obj and "id_str" not in obj:
                raise RowError(notice, f"stream notice ({notice}): not a tweet, not stored")
        self._status(obj, out)
        return out

    def _status(self, tw: Any, out: Rows) -> None:
        if not isinstance(tw, dict):
            raise RowError(None, f"expected a tweet object, got {type(tw).__name__}")
        user = obj_at(tw, "user")
        kind, target, target_acc = "post", None, None
        rt = obj_at(tw, "retweeted_status")
        if rt:
            kind, target = "repost", ident(rt.get("id_str") or rt.get("id"), "retweeted_status.id_str")
            target_acc = text(obj_at(rt, "user", "retweeted_status.user").get("id_str"))
            self._status(rt, out)
        elif tw.get("quoted_status_id_str"):
            kind, target = "quote", text(tw.get("quoted_status_id_str"))
            target_acc = text(obj_at(obj_at(tw, "quoted_status"), "user").get("id_str"))
        elif tw.get("in_reply_to_status_id_str"):
            kind, target = "reply", text(tw.get("in_reply_to_status_id_str"))
            target_acc = text(tw.get("in_reply_to_user_id_str"))
        ext = obj_at(tw, "extended_tweet")
        ent = obj_at(ext, "entities") or obj_at(tw, "entities")
        out["actions"].append({
            "platform": "twitter", "action_id": ident(tw.get("id_str") or tw.get("id"), "id_str"),
            "account_id": ident(user.get("id_str") or user.get("id"), "user.id_str"), "kind": kind,
            "target_id": target, "target_account_id": target_acc,
            "timestamp": v1_time(tw.get("created_at"), "created_at"), "time_precision": "s",
            "text": text(ext.get("full_text") or tw.get("full_text") or tw.get("text")),
            "urls": [u.get("expanded_url") or u.get("url") for u in dicts(list_at(ent, "urls", "entities.urls"))],
            "hashtags": [h.get("text") for h in dicts(list_at(ent, "hashtags", "entities.hashtags"))],
            "mentions": [m.get("screen_name") for m in dicts(list_at(ent, "user_mentions", "entities.user_mentions"))],
            "client": _TAG.sub("", text(tw.get("source")) or "") or None, "language": text(tw.get("lang")),
        })
        out["accounts"].append(self._user(user))

    @staticmethod
    def _user(u: dict[str, Any]) -> dict[str, Any]:
        created = u.get("created_at")

        def flag(k: str) -> bool | None:
            v = u.get(k)
            return v if isinstance(v, bool) else None

        return {
            "platform": "twitter", "account_id": ident(u.get("id_str") or u.get("id"), "user.id_str"),
            "handle": text(u.get("screen_name")), "display_name": text(u.get("name")),
            "description": text(u.get("description")), "url": text(u.get("url")),
            "followers": opt_int(u.get("followers_count"), "user.followers_count"),
            "following": opt_int(u.get("friends_count"), "user.friends_count"),
            "posts_count": opt_int(u.get("statuses_count"), "user.statuses_count"),
            "created_at": v1_time(created, "user.created_at") if created else None,
            "language": text(u.get("lang")), "location": text(u.get("location")),
            "verified": flag("verified"), "default_profile": flag("default_profile"),
            "default_profile_image": flag("default_profile_image"),
        }


TWITTER_V1 = Format(name="twitter-v1", kind="jsonl", parser=TwitterV1Parser(),
                    summary="Twitter API v1.1 JSON (stream/search lines, timeline arrays; retweets, quotes, replies)")
