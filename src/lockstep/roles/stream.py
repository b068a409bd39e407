"""Reading new records from a growing file or stdin, and turning them into canonical rows.

The records are stored through ``lockstep.ingest.ingest_paths`` (so every ingest format
works) by writing each batch of new complete lines to a chunk file; a small built-in
reader for canonical and IO-archive field names is used when ingest is not installed or
the format is ``canonical``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa

from lockstep.errors import DataError
from lockstep.model import TABLES
from lockstep.store.queries.watch import actions_from_file
from lockstep.store.workspace import Workspace

IO_NAMES = {"tweetid": "action_id", "userid": "account_id", "tweet_time": "timestamp", "tweet_text": "text",
            "tweet_client_name": "client", "tweet_language": "language", "user_screen_name": "handle",
            "user_display_name": "display_name", "user_profile_description": "description",
            "user_profile_url": "url", "follower_count": "followers", "following_count": "following",
            "account_creation_date": "created_at", "user_reported_location": "location"}


def read_new(path: Path, offset: int, max_bytes: int = 8 << 20) -> tuple[list[str], int]:
    """Complete new lines from ``offset`` (a record that is still being written, or a CSV
    field with a newline inside quotes, waits for the next read)."""
    with path.open("rb") as fh:
        fh.seek(offset)
        buf = fh.read(max_bytes)
    cut, quotes = -1, 0
    for i, b in enumerate(buf):
        if b == 0x22:
            quotes ^= 1
        elif b == 0x0A and not quotes:
            cut = i
    if cut < 0:
        return [], offset
    text = buf[: cut + 1].decode("utf-8", errors="replace")
    return [ln for ln in _records(text) if ln.strip()], offset + cut + 1


def _records(text: str) -> list[str]:
    out, cur, quotes = [], [], 0
    for line in text.splitlines(keepends=True):
        cur.append(line)
        quotes ^= line.count('"') % 2
        if not quotes:
            out.append("".join(cur).rstrip("\r\n"))
            cur = []
    return out


def _ts(v: Any) -> datetime | None:
    if v in (None, ""):
        return None
    if isinstance(v, (int, float)) or (isinstance(v, str) and v.replace(".", "", 1).isdigit()):
        return datetime.fromtimestamp(float(v), timezone.utc).replace(tzinfo=None)
    s = str(v).replace("Z", "+00:00")
    try:
        d = datetime.fromisoformat(s)
    except ValueError:
        raise DataError(f"bad timestamp {v!r}") from None
    return d.astimezone(timezone.utc).replace(tzinfo=None) if d.tzinfo else d


def _kind(d: dict[str, Any]) -> tuple[str, str | None, str | None]:
    if str(d.get("is_retweet", "")).lower() in ("true", "1"):
        return "repost", d.get("retweet_tweetid"), d.get("retweet_userid")
    if d.get("quoted_tweet_tweetid"):
        return "quote", d.get("quoted_tweet_tweetid"), None
    if d.get("in_reply_to_tweetid"):
        return "reply", d.get("in_reply_to_tweetid"), d.get("in_reply_to_userid")
    return d.get("kind") or "post", d.get("target_id"), d.get("target_account_id")


def parse_records(lines: list[str], header: list[str] | None, source: str,
                  first_line: int) -> tuple[pa.Table, pa.Table]:
    """Built-in reader: JSON objects or CSV rows with canonical or IO-archive field names."""
    acts: dict[str, list[Any]] = {f: [] for f in TABLES["actions"].names}
    accs: dict[str, list[Any]] = {f: [] for f in TABLES["accounts"].names}
    rows: list[dict[str, Any]]
    if lines and lines[0].lstrip().startswith("{"):
        rows = []
        for i, ln in enumerate(lines):
            try:
                rows.append(json.loads(ln))
            except json.JSONDecodeError as exc:
                raise DataError(f"{source}: line {first_line + i}: not JSON ({exc.msg})") from None
    else:
        rows = list(csv.DictReader(io.StringIO("\n".join(lines)), fieldnames=header))
    for i, raw in enumerate(rows):
        d = {IO_NAMES.get(k, k): (v if v not in ("", "absent") else None) for k, v in raw.items()}
        if not d.get("account_id"):
            raise DataError(f"{source}: line {first_line + i}: field account_id (or userid) missing")
        kind, target, target_acc = _kind({**raw, **d})
        row = {**d, "platform": d.get("platform") or "twitter", "kind": kind, "target_id": target,
               "target_account_id": target_acc, "timestamp": _ts(d.get("timestamp")),
               "time_precision": "s", "source_file": source, "source_line": first_line + i}
        row["action_id"] = row.get("action_id") or f"{source}:{first_line + i}"
        for f in acts:
            v = row.get(f)
            acts[f].append(v if not (f in ("urls", "hashtags", "mentions") and isinstance(v, str)) else [v])
        if d.get("handle") or d.get("created_at") or d.get("followers") is not None:
            prof = {**row, "created_at": _ts(d.get("created_at")),
                    "followers": _int(d.get("followers")), "following": _int(d.get("following"))}
            for f in accs:
                accs[f].append(prof.get(f) if f not in ("verified", "default_profile", "default_profile_image",
                                                        "posts_count") else None)
    return (pa.Table.from_pydict(acts, schema=TABLES["actions"]),
            pa.Table.from_pydict(accs, schema=TABLES["accounts"]))


def _int(v: Any) -> int | None:
    try:
        return None if v in (None, "") else int(float(v))
    except ValueError:
        return None


def store_chunk(ws: Workspace, lines: list[str], header: list[str] | None, fmt: str | None,
                chunk: Path, first_line: int) -> pa.Table:
    """Store new records in the workspace; return the new canonical action rows."""
    use_ingest = fmt != "canonical"
    if use_ingest:
        try:
            from lockstep.ingest import ingest_paths
        except ImportError:
            use_ingest = False
    if use_ingest:
        chunk.parent.mkdir(parents=True, exist_ok=True)
        body = ([",".join(_csv_quote(h) for h in header)] if header else []) + lines
        chunk.write_text("\n".join(body) + "\n", encoding="utf-8")
        try:
            ingest_paths(ws, [chunk], fmt, progress=False)
        finally:
            chunk.unlink(missing_ok=True)
        return actions_from_file(ws, chunk)
    actions, accounts = parse_records(lines, header, str(chunk.name), first_line)
    ws.stage("actions", actions)
    if accounts.num_rows:
        ws.stage("accounts", accounts)
    ws.merge()
    return actions


def _csv_quote(h: str) -> str:
    return f'"{h}"' if ("," in h or '"' in h) else h
