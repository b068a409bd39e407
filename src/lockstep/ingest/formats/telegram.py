"""Telegram Desktop JSON export (``result.json`` of one chat or channel: ``name``, ``type``,
``id``, ``messages``). Each message is one record with its own line.

A message becomes an action of its sender (``from_id``) in the chat (``entity_id``): a
``post``, a ``reply`` (``reply_to_message_id``) or, when ``forwarded_from`` is set, a
``repost`` of that source (the export names the source, not the original message, so
``target_id`` stays empty and ``target_account_id`` is the source's id or name). Time is
``date_unixtime`` (UTC; ``date`` is the exporting computer's local time). Links, hashtags
and mentions come from ``text_entities``; exports written before Telegram Desktop added it
(2021 and earlier, which also lack ``date_unixtime`` and may give ``from_id`` as a bare
number) keep them only as the object parts of a list ``text``, so those are read instead.
The chat itself is stored as an entity. Service messages (joins, pins) are quarantined as
"not a message".
"""

from __future__ import annotations

from typing import Any

from lockstep.ingest.formats.base import Format
from lockstep.ingest.formats.jsonbase import RowError, Rows, dicts, epoch_time, ident, iso_time, list_at, text

_ENTITY_KINDS = {"public_channel": "channel", "private_channel": "channel"}


def flat_text(value: Any) -> str | None:
    """``text`` is a string or a list of strings and ``{"type", "text"}`` parts."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in value
                       if isinstance(p, (str, dict)))
    return None


class TelegramParser:
    expand: tuple[str, ...] = ("messages",)

    @staticmethod
    def probe(obj: dict[str, Any]) -> bool:
        return "date" in obj and "type" in obj and ("date_unixtime" in obj or "from_id" in obj
                                                   or "actor_id" in obj)

    def rows(self, obj: dict[str, Any], errors: list[RowError], context: dict[str, Any]) -> Rows:
        if obj.get("type") != "message":
            raise RowError("type", f"{obj.get('type')!r} message ({obj.get('action', 'no action')}): not a message,"
                                   " not stored")
        chat = ident(context.get("id"), "id (chat)") if context else None
        sender = ident(obj.get("from_id"), "from_id")
        ts = (epoch_time(obj["date_unixtime"], "date_unixtime") if obj.get("date_unixtime") is not None
              else iso_time(obj.get("date"), "date"))
        kind, target_acc = "post", None
        reply_to = obj.get("reply_to_message_id")
        if obj.get("forwarded_from") or obj.get("forwarded_from_id"):
            kind, target_acc = "repost", text(obj.get("forwarded_from_id") or obj.get("forwarded_from"))
        elif reply_to is not None:
            kind = "reply"
        entities = dicts(list_at(obj, "text_entities") if obj.get("text_entities") is not None
                         else obj["text"] if isinstance(obj.get("text"), list) else [])
        urls = [str(e.get("href") or e.get("text")) for e in entities if e.get("type") in ("link", "text_link")]
        out: Rows = {"actions": [{
            "platform": "telegram", "action_id": f"{chat}/{ident(obj.get('id'), 'id')}" if chat else
            ident(obj.get("id"), "id"), "account_id": sender, "kind": kind,
            "target_id": f"{chat}/{reply_to}" if kind == "reply" and chat else text(reply_to) if kind == "reply"
            else None, "target_account_id": target_acc, "timestamp": ts, "time_precision": "s",
            "text": flat_text(obj.get("text")), "urls": urls,
            "hashtags": [str(e.get("text", "")).lstrip("#") for e in entities if e.get("type") == "hashtag"],
            "mentions": [str(e.get("text", "")).lstrip("@") for e in entities if e.get("type") == "mention"]
            + [str(e.get("user_id")) for e in entities if e.get("type") == "mention_name"],
            "entity_id": chat,
        }], "accounts": [{"platform": "telegram", "account_id": sender, "display_name": text(obj.get("from"))}]}
        if chat:
            out["entities"] = [{"platform": "telegram", "entity_id": chat, "name": text(context.get("name")),
                                "kind": _ENTITY_KINDS.get(str(context.get("type")), "group")}]
        return out


TELEGRAM = Format(name="telegram", kind="jsonl", parser=TelegramParser(),
                  summary="Telegram Desktop JSON export of a chat or channel (result.json)")
