"""Mastodon API JSON: statuses (timelines, a status, search results) and accounts
(followers, following, directory), as arrays, documents or one per line.

Ids are those of the instance the data was fetched from (status, account and reply ids
are all local to it, so they are consistent within one export). A reblog is a ``repost``
of the reblogged status, which is stored too; ``in_reply_to_id`` makes a ``reply``; a
Mastodon 4.4 quote (``quote.quoted_status``) a ``quote``. Text is the HTML ``content``
without its tags; links come from the content (mention and hashtag links left out).
"""

from __future__ import annotations

import html
import re
from typing import Any

from lockstep.ingest.formats.base import Format
from lockstep.ingest.formats.jsonbase import (RowError, Rows, dicts, ident, iso_time, list_at, obj_at, opt_int,
                                              text)

_TAG = re.compile(r"<[^>]+>")
_HREF = re.compile(r'<a\s[^>]*href="([^"]+)"[^>]*>')
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p>")


def plain(content: str | None) -> str | None:
    """HTML -> text (paragraphs and line breaks become newlines)."""
    if content is None:
        return None
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", content))).strip()


class MastodonParser:
    expand: tuple[str, ...] = ()

    @staticmethod
    def probe(obj: dict[str, Any]) -> bool:
        acc = obj.get("account")
        if isinstance(acc, dict) and "acct" in acc and "content" in obj:
            return True
        return "acct" in obj and "username" in obj and "followers_count" in obj

    def rows(self, obj: dict[str, Any], errors: list[RowError], context: dict[str, Any]) -> Rows:
        out: Rows = {"actions": [], "accounts": []}
        if "acct" in obj and "content" not in obj:
            out["accounts"].append(self._account(obj))
        else:
            self._status(obj, out)
        return out

    def _status(self, st: dict[str, Any], out: Rows) -> None:
        acc = obj_at(st, "account")
        kind, target, target_acc = "post", None, None
        reblog = obj_at(st, "reblog")
        quoted = obj_at(obj_at(st, "quote"), "quoted_status", "quote.quoted_status")
        if reblog:
            kind, target = "repost", ident(reblog.get("id"), "reblog.id")
            target_acc = text(obj_at(reblog, "account", "reblog.account").get("id"))
            self._status(reblog, out)
        elif quoted:
            kind, target = "quote", text(quoted.get("id"))
            target_acc = text(obj_at(quoted, "account", "quote.quoted_status.account").get("id"))
        elif st.get("in_reply_to_id"):
            kind, target = "reply", text(st.get("in_reply_to_id"))
            target_acc = text(st.get("in_reply_to_account_id"))
        content = text(st.get("content"))
        mentions = dicts(list_at(st, "mentions"))
        skip = {m.get("url") for m in mentions}
        urls = [u for u in _HREF.findall(content or "") if u not in skip and "/tags/" not in u]
        out["actions"].append({
            "platform": "mastodon", "action_id": ident(st.get("id"), "id"),
            "account_id": ident(acc.get("id"), "account.id"), "kind": kind,
            "target_id": target, "target_account_id": target_acc,
            "timestamp": iso_time(st.get("created_at"), "created_at"), "time_precision": "ms",
            "text": plain(content), "urls": [html.unescape(u) for u in urls],
            "hashtags": [t.get("name") for t in dicts(list_at(st, "tags"))],
            "mentions": [m.get("acct") for m in mentions],
            "client": text(obj_at(st, "application").get("name")), "language": text(st.get("language")),
        })
        out["accounts"].append(self._account(acc))

    @staticmethod
    def _account(a: dict[str, Any]) -> dict[str, Any]:
        if not a:
            raise RowError("account", "empty id")
        created = a.get("created_at")
        return {
            "platform": "mastodon", "account_id": ident(a.get("id"), "account.id"),
            "handle": text(a.get("acct")), "display_name": text(a.get("display_name")),
            "description": plain(text(a.get("note"))), "url": text(a.get("url")),
            "followers": opt_int(a.get("followers_count"), "followers_count"),
            "following": opt_int(a.get("following_count"), "following_count"),
            "posts_count": opt_int(a.get("statuses_count"), "statuses_count"),
            "created_at": iso_time(created, "created_at") if created else None,
        }


MASTODON = Format(name="mastodon", kind="jsonl", parser=MastodonParser(),
                  summary="Mastodon API JSON (statuses with reblogs, replies, quotes; accounts)")
