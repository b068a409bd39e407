"""Bluesky Jetstream JSON: commit, identity and account events, one per line.

Commit events for app.bsky.feed.post / repost / like and app.bsky.graph.follow become
actions (``at://`` URIs are the ids); a post that embeds a record is a quote, also when the
embed is ``recordWithMedia`` (a quote with images or video). app.bsky.actor.profile
commits and identity/account events update accounts. Event time is ``time_us``.
Deletes are not actions: they are quarantined with that reason so none disappears unseen,
as are collections lockstep does not read (blocks, lists).
"""

from __future__ import annotations

from typing import Any

from lockstep.ingest.formats.base import Format
from lockstep.ingest.formats.jsonbase import (RowError, Rows, dicts, epoch_time, ident, iso_time, list_at,
                                              obj_at, text)

_BSKY_KINDS = {"app.bsky.feed.post": "post", "app.bsky.feed.repost": "repost",
               "app.bsky.feed.like": "like", "app.bsky.graph.follow": "follow"}
PROFILE = "app.bsky.actor.profile"


def did_of(uri: Any) -> str | None:
    if isinstance(uri, str) and uri.startswith("at://"):
        return uri[5:].split("/", 1)[0]
    return None


def quoted_uri(embed: dict[str, Any]) -> str | None:
    """The quoted post of an embed: ``app.bsky.embed.record`` (``record.uri``) or
    ``app.bsky.embed.recordWithMedia`` (``record.record.uri``)."""
    rec = embed.get("record")
    if not isinstance(rec, dict):
        return None
    inner = rec.get("record")
    if isinstance(inner, dict) and isinstance(inner.get("uri"), str):
        return str(inner["uri"])
    uri = rec.get("uri")
    return uri if isinstance(uri, str) else None


class JetstreamParser:
    expand: tuple[str, ...] = ()

    @staticmethod
    def probe(obj: dict[str, Any]) -> bool:
        return "did" in obj and "time_us" in obj and "kind" in obj

    def rows(self, obj: dict[str, Any], errors: list[RowError], context: dict[str, Any]) -> Rows:
        did = ident(obj.get("did"), "did")
        ts = epoch_time(obj.get("time_us"), "time_us", per_second=1_000_000)
        kind = obj.get("kind")
        if kind in ("identity", "account"):
            info = obj_at(obj, str(kind))
            return {"accounts": [{"platform": "bluesky", "account_id": did, "handle": text(info.get("handle"))}]}
        if kind != "commit":
            raise RowError("kind", f"unknown event kind {kind!r}")
        commit = obj_at(obj, "commit")
        coll = commit.get("collection")
        if commit.get("operation") == "delete":
            raise RowError("commit.operation", "delete event: not an action, not stored")
        rec = obj_at(commit, "record", "commit.record")
        if coll == PROFILE:
            created = rec.get("createdAt")
            return {"accounts": [{
                "platform": "bluesky", "account_id": did, "display_name": text(rec.get("displayName")),
                "description": text(rec.get("description")),
                "created_at": iso_time(created, "commit.record.createdAt") if created else None,
            }]}
        if coll not in _BSKY_KINDS:
            raise RowError("commit.collection", f"collection {coll!r} is not an action lockstep reads")
        rkey = ident(commit.get("rkey"), "commit.rkey")
        row: dict[str, Any] = {
            "platform": "bluesky", "action_id": f"at://{did}/{coll}/{rkey}", "account_id": did,
            "kind": _BSKY_KINDS[str(coll)], "timestamp": ts, "time_precision": "us",
            "urls": [], "hashtags": [], "mentions": [],
        }
        if coll == "app.bsky.feed.post":
            self._post(rec, row)
        elif coll == "app.bsky.graph.follow":
            subj = text(rec.get("subject"))
            row.update(target_id=subj, target_account_id=subj)
        else:
            uri = obj_at(rec, "subject", "commit.record.subject").get("uri")
            if not isinstance(uri, str) or not uri:
                raise RowError("commit.record.subject.uri", "empty id")
            row.update(target_id=uri, target_account_id=did_of(uri))
        return {"actions": [row]}

    @staticmethod
    def _post(rec: dict[str, Any], row: dict[str, Any]) -> None:
        row["text"] = text(rec.get("text"))
        langs = list_at(rec, "langs", "commit.record.langs")
        row["language"] = text(langs[0]) if langs else None
        parent = obj_at(obj_at(rec, "reply", "commit.record.reply"), "parent", "commit.record.reply.parent")
        embed = obj_at(rec, "embed", "commit.record.embed")
        quoted = quoted_uri(embed)
        if isinstance(parent.get("uri"), str):
            row.update(kind="reply", target_id=parent["uri"], target_account_id=did_of(parent["uri"]))
        elif quoted:
            row.update(kind="quote", target_id=quoted, target_account_id=did_of(quoted))
        for ext in (obj_at(embed, "external", "commit.record.embed.external"),
                    obj_at(obj_at(embed, "media", "commit.record.embed.media"), "external")):
            if isinstance(ext.get("uri"), str):
                row["urls"].append(ext["uri"])
        for facet in dicts(list_at(rec, "facets", "commit.record.facets")):
            for feat in dicts(list_at(facet, "features", "commit.record.facets.features")):
                t = str(feat.get("$type", ""))
                if t.endswith("#link") and isinstance(feat.get("uri"), str) and feat["uri"] not in row["urls"]:
                    row["urls"].append(feat["uri"])
                elif t.endswith("#tag") and isinstance(feat.get("tag"), str):
                    row["hashtags"].append(feat["tag"])
                elif t.endswith("#mention") and isinstance(feat.get("did"), str):
                    row["mentions"].append(feat["did"])


JETSTREAM = Format(name="jetstream", kind="jsonl", parser=JetstreamParser(),
                   summary="Bluesky Jetstream JSON (posts, quotes with media, reposts, likes, follows, profiles)")
