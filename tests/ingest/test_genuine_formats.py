"""Telegram Desktop exports and Bluesky Jetstream captures that are genuine (copied unchanged
from public repositories; provenance in tests/fixtures/genuine/PROVENANCE.md), ingested
with exact counts, and every record found again at its own line.

The per-record checks derive what each record must become from the raw JSON itself, so a
reader that drops links, misreads a kind or loses a line fails here, not only when a count
happens to move.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from lockstep.ingest import ingest_paths
from lockstep.ingest.report import FileReport
from lockstep.store import Workspace, open_workspace

from ingest_helpers import FIXTURES, rows

GENUINE = FIXTURES / "genuine"

# file -> (format, read, stored, duplicate, quarantined, {kind: actions}, {other table: rows stored})
EXPECTED: dict[str, tuple[str, int, int, int, int, dict[str, int], dict[str, int]]] = {
    "telegram_tg2md_2020.json": ("telegram", 13, 12, 0, 1, {"post": 12}, {"accounts": 1, "entities": 1}),
    "telegram_tg2md_2021.json": ("telegram", 19, 18, 0, 1, {"post": 18}, {"accounts": 1, "entities": 1}),
    "jetstream_golden_v1.jsonl": ("jetstream", 7, 4, 0, 3, {"follow": 1, "like": 1, "reply": 1, "repost": 1},
                                  {"accounts": 2}),
    "jetstream_corpus_v1.jsonl": ("jetstream", 150, 143, 0, 7,
                                  {"follow": 6, "like": 105, "post": 9, "reply": 8, "repost": 15}, {"accounts": 1}),
}
TELEGRAM = sorted(n for n in EXPECTED if n.startswith("telegram"))
JETSTREAM = sorted(n for n in EXPECTED if n.startswith("jetstream"))
BSKY = {"app.bsky.feed.post": "post", "app.bsky.feed.repost": "repost", "app.bsky.feed.like": "like",
        "app.bsky.graph.follow": "follow"}


def ingest(ws: Workspace, name: str) -> FileReport:
    rep = ingest_paths(ws, [GENUINE / name], progress=False)  # detected, not forced
    assert rep.ok, rep.errors
    return rep.files[0]


def quarantined(f: FileReport) -> dict[int, tuple[str, str]]:
    """Quarantine entries by source line: (field, reason)."""
    if f.quarantine_file is None:
        return {}
    with open(f.quarantine_file, newline="", encoding="utf-8") as fh:
        return {int(r["source_line"]): (r["field"], r["reason"]) for r in csv.DictReader(fh)}


def test_every_new_sample_has_provenance() -> None:
    text = (GENUINE / "PROVENANCE.md").read_text()
    for name in EXPECTED:
        assert f"`{name}`" in text and (GENUINE / name).stat().st_size < 200_000


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_counts(name: str, tmp_path: Path) -> None:
    fmt, read, stored, dup, bad, kinds, others = EXPECTED[name]
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest(ws, name)
        got_kinds = dict(rows(ws, "SELECT kind, count(*) FROM actions GROUP BY 1"))
        counts = {t: ws.count(t) for t in others}
    assert (f.format, f.primary, f.error) == (fmt, "actions", None)
    assert (f.rows_read, f.rows_stored, f.rows_duplicate, f.rows_quarantined) == (read, stored, dup, bad)
    assert f.reconciled and got_kinds == kinds and counts == others
    assert {t: n for t, n in f.stored_by_table.items() if t != "actions"} == others


def test_a_second_ingest_stores_nothing_new(tmp_path: Path) -> None:
    name = "jetstream_corpus_v1.jsonl"
    with open_workspace(tmp_path / "ws") as ws:
        ingest(ws, name)
        f = ingest(ws, name)
        n = ws.count("actions")
    assert (f.rows_read, f.rows_stored, f.rows_duplicate, f.rows_quarantined) == (150, 0, 143, 7) and n == 143


# --- Telegram: old exports (no text_entities, no date_unixtime, numeric or "channel..." ids)

def _flat(text: Any) -> str:
    return text if isinstance(text, str) else "".join(p if isinstance(p, str) else p["text"] for p in text)


@pytest.mark.parametrize("name", TELEGRAM)
def test_telegram_every_message_at_its_line(name: str, tmp_path: Path) -> None:
    path = GENUINE / name
    doc = json.loads(path.read_text())
    starts = [i for i, ln in enumerate(path.read_text().splitlines(), start=1) if ln == "  {"]
    assert len(starts) == len(doc["messages"])  # one opening line per message
    chat = str(doc["id"])
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest(ws, name)
        got = {r[0]: r[1:] for r in rows(ws, "SELECT source_line, action_id, account_id, kind, timestamp, text,"
                                             " urls, entity_id FROM actions")}
        ent = rows(ws, "SELECT entity_id, kind, name FROM entities")
    bad = quarantined(f)
    for line, m in zip(starts, doc["messages"]):
        if m["type"] != "message":
            assert bad.pop(line)[0] == "type" and line not in got
            continue
        links = [p.get("href") or p["text"] for p in m["text"] if isinstance(p, dict)
                 and p["type"] in ("link", "text_link")] if isinstance(m["text"], list) else []
        assert got.pop(line) == (f"{chat}/{m['id']}", str(m["from_id"]), "post", datetime.fromisoformat(m["date"]),
                                 _flat(m["text"]), links, chat)
    assert got == {} and bad == {}
    assert ent == [(chat, "channel", doc["name"])]


def test_telegram_links_inside_text_parts_are_kept(tmp_path: Path) -> None:
    """Before text_entities existed, a link was only an object part of ``text``."""
    with open_workspace(tmp_path / "ws") as ws:
        ingest(ws, "telegram_tg2md_2021.json")
        linked = rows(ws, "SELECT action_id, urls FROM actions WHERE len(urls) > 0")
    assert linked == [("1292077344/14", ["http://example.com/", "example.com"])]


# --- Jetstream: production captures, every event accounted for

def _expected_action(e: dict[str, Any]) -> tuple[Any, ...]:
    c, did = e["commit"], e["did"]
    rec, kind = c["record"], BSKY[c["collection"]]
    target: str | None = None
    if kind == "follow":
        target, account = rec["subject"], rec["subject"]
    elif kind in ("like", "repost"):
        target = rec["subject"]["uri"]
    elif "reply" in rec:
        kind, target = "reply", rec["reply"]["parent"]["uri"]
    elif (rec.get("embed") or {}).get("$type", "").startswith("app.bsky.embed.record"):
        emb = rec["embed"]["record"]
        kind, target = "quote", emb["record"]["uri"] if "record" in emb else emb["uri"]
    if kind != "follow":
        account = target[5:].split("/")[0] if target else None
    when = datetime(1970, 1, 1) + timedelta(microseconds=e["time_us"])
    return (f"at://{did}/{c['collection']}/{c['rkey']}", did, kind, target, account, when)


@pytest.mark.parametrize("name", JETSTREAM)
def test_jetstream_every_event_at_its_line(name: str, tmp_path: Path) -> None:
    events = [json.loads(x) for x in (GENUINE / name).read_text().splitlines()]
    with open_workspace(tmp_path / "ws") as ws:
        f = ingest(ws, name)
        got = {r[0]: r[1:] for r in rows(ws, "SELECT source_line, action_id, account_id, kind, target_id,"
                                             " target_account_id, timestamp FROM actions")}
        accounts = {r[0] for r in rows(ws, "SELECT account_id FROM accounts")}
    bad = quarantined(f)
    profiles = set()
    for line, e in enumerate(events, start=1):
        c = e.get("commit") or {}
        if e["kind"] in ("identity", "account") or c.get("collection") == "app.bsky.actor.profile":
            profiles.add(e["did"])
            assert line not in got and line not in bad
        elif c["operation"] == "delete":
            assert bad.pop(line)[0] == "commit.operation"
        elif c["collection"] not in BSKY:
            assert bad.pop(line) == ("commit.collection",
                                     f"collection {c['collection']!r} is not an action lockstep reads")
        else:
            assert got.pop(line) == _expected_action(e)
    assert got == {} and bad == {} and accounts == profiles


def test_jetstream_profile_update_names_the_account(tmp_path: Path) -> None:
    events = [json.loads(x) for x in (GENUINE / "jetstream_golden_v1.jsonl").read_text().splitlines()]
    prof = next(e for e in events if (e.get("commit") or {}).get("collection") == "app.bsky.actor.profile")
    rec = prof["commit"]["record"]
    with open_workspace(tmp_path / "ws") as ws:
        ingest(ws, "jetstream_golden_v1.jsonl")
        got = ws.con.execute("SELECT display_name, description, created_at FROM accounts WHERE account_id = ?",
                             [prof["did"]]).fetchall()
    created = datetime.fromisoformat(rec["createdAt"].replace("Z", "+00:00")).replace(tzinfo=None)
    assert got == [(rec["displayName"], rec["description"], created)]


def test_jetstream_links_and_tags_of_posts(tmp_path: Path) -> None:
    """External embeds and link/tag facets of the production posts reach urls and hashtags."""
    events = [json.loads(x) for x in (GENUINE / "jetstream_corpus_v1.jsonl").read_text().splitlines()]
    want: dict[int, tuple[list[str], list[str]]] = {}
    for line, e in enumerate(events, start=1):
        c = e.get("commit") or {}
        if c.get("collection") != "app.bsky.feed.post" or c.get("operation") != "create":
            continue
        rec, urls, tags = c["record"], [], []
        ext = (rec.get("embed") or {}).get("external")
        if ext:
            urls.append(ext["uri"])
        for feat in (x for fc in rec.get("facets", []) for x in fc["features"]):
            if feat["$type"].endswith("#link") and feat["uri"] not in urls:
                urls.append(feat["uri"])
            elif feat["$type"].endswith("#tag"):
                tags.append(feat["tag"])
        want[line] = (urls, tags)
    with open_workspace(tmp_path / "ws") as ws:
        ingest(ws, "jetstream_corpus_v1.jsonl")
        got = {r[0]: (r[1], r[2]) for r in rows(ws, "SELECT source_line, urls, hashtags FROM actions"
                                                    " WHERE kind IN ('post', 'reply')")}
    assert got == want and any(u for u, _ in want.values()) and any(t for _, t in want.values())
