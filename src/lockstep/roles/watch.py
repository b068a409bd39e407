"""``lockstep watch``: score accounts as their actions arrive, against the fingerprints of
the campaigns a detect run found, and raise an alert (with its evidence) the moment an
account matches: engagement with core posts, a creation burst of the operation, its
infrastructure. State (file offsets, seen accounts, alerts) lives in WORKSPACE/watch/ and
survives a restart; alerts.jsonl is the source of truth for what was already alerted.

"Engages a campaign's core" is the one definition batch scoring uses
(``lockstep.store.queries.engagement.engaged_campaigns``): an engagement of any action of
the campaign's accounts, or of one of those accounts.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
import zlib
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from lockstep.accounts.base import Finding
from lockstep.accounts.profile import EmptyProfile, FollowerShape, HandlePattern
from lockstep.errors import UserError
from lockstep.roles import weights as W
from lockstep.roles.fingerprint import Fingerprint, core_index, load_fingerprints
from lockstep.roles.score import Evidence, combine, finding_evidence, own_points
from lockstep.roles.stream import read_new, store_chunk
from lockstep.store.queries.base import has_rows
from lockstep.store.queries.engagement import engaged_campaigns
from lockstep.store.queries.infrastructure import access_of
from lockstep.store.queries.profile import creation_dates
from lockstep.store.workspace import Workspace


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Watcher:
    def __init__(self, ws: Workspace, source: str, fmt: str | None = None, run_id: str | None = None,
                 emit: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.ws, self.source, self.fmt = ws, source, fmt
        self.emit = emit or (lambda a: print(json.dumps(a, ensure_ascii=False), flush=True))
        self.dir = ws.path / "watch"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.alerts_path = ws.path / "alerts.jsonl"
        self.state_path = self.dir / "state.json"
        self.run_id, self.fps = load_fingerprints(ws, run_id)
        self.state = self._load_state()
        self.key = "stdin" if source == "-" else str(Path(source).resolve())
        self.src = self.state["sources"].setdefault(self.key, {"offset": 0, "header": None, "lines": 0})
        self.delays: list[float] = []
        self.n_actions = 0

    # -- state ----------------------------------------------------------------------
    def _load_state(self) -> dict[str, Any]:
        st: dict[str, Any] = {"sources": {}, "accounts": {}, "alerted": {}}
        if self.state_path.exists():
            st.update(json.loads(self.state_path.read_text(encoding="utf-8")))
        if self.alerts_path.exists():  # an alert written just before a crash still counts
            for ln in self.alerts_path.read_text(encoding="utf-8").splitlines():
                if ln.strip():
                    a = json.loads(ln)
                    st["alerted"].setdefault(a["account_id"], a["alert_id"])
        return st

    def _save_state(self) -> None:
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, default=str), encoding="utf-8")
        tmp.replace(self.state_path)

    # -- main loops -------------------------------------------------------------------
    def run(self, follow: bool = True, poll: float = 0.5, max_idle: float | None = None,
            stop: threading.Event | None = None) -> dict[str, Any]:
        stop = stop or threading.Event()
        lines_q: queue.Queue[str | None] | None = None
        if self.source == "-":
            lines_q = queue.Queue()
            threading.Thread(target=_pump_stdin, args=(lines_q,), daemon=True).start()
        elif not Path(self.source).exists():
            raise UserError(f"{self.source}: no such file")
        idle_since = time.monotonic()
        eof = False
        while not stop.is_set():
            lines = self._read_stdin(lines_q) if lines_q else self._read_file()
            if lines_q and lines and lines[-1] is None:
                lines, eof = lines[:-1], True
            if lines:
                self.process([ln for ln in lines if ln is not None], _now())
                idle_since = time.monotonic()
            elif eof or not follow:
                break
            elif max_idle is not None and time.monotonic() - idle_since > max_idle:
                break
            else:
                time.sleep(poll)
            if eof:
                break
        return self.summary()

    def _read_file(self) -> list[str]:
        lines, new_off = read_new(Path(self.source), self.src["offset"])
        if lines and self.src["offset"] == 0 and not lines[0].lstrip().startswith("{"):
            self.src["header"] = next(iter(__import__("csv").reader([lines[0]])))
            lines = lines[1:]
            self.src["lines"] = 1
        self.src["new_offset"] = new_off
        if not lines:
            self.src["offset"] = new_off
        return lines

    def _read_stdin(self, q: queue.Queue[str | None]) -> list[str]:
        out: list[Any] = []
        try:
            while len(out) < 50_000:
                item = q.get(timeout=0.2 if not out else 0.0)
                out.append(item)
                if item is None:
                    break
        except queue.Empty:
            pass
        if out and self.src["header"] is None and out[0] is not None and not out[0].lstrip().startswith("{"):
            self.src["header"] = next(iter(__import__("csv").reader([out[0]])))
            out = out[1:]
        return out

    # -- scoring ----------------------------------------------------------------------
    def process(self, lines: list[str], read_at: datetime) -> list[dict[str, Any]]:
        first = self.src.get("lines", 0) + 1
        chunk = self.dir / "chunks" / f"watch-{zlib.crc32(self.key.encode())}-{first}.{'csv' if self.src['header'] else 'jsonl'}"
        actions = store_chunk(self.ws, lines, self.src["header"], self.fmt, chunk, first)
        self.src["lines"] = first - 1 + len(lines)
        touched: dict[str, tuple[str, datetime | None]] = {}
        accs = self.state["accounts"]
        core = core_index(self.fps)
        for r in actions.select(["account_id", "action_id", "kind", "target_id", "target_account_id",
                                 "timestamp"]).to_pylist():
            self.n_actions += 1
            acc = r["account_id"]
            member_of = core.accounts.get(acc)
            if member_of is not None:  # a known campaign account: its new actions become core items
                self.fps[member_of].posts.add(r["action_id"])
                core.add_item(r["action_id"], member_of)
                continue
            st = accs.setdefault(acc, {"n": 0, "to": {}, "first_seen": read_at.isoformat()})
            st["n"] += 1
            hit = engaged_campaigns(acc, r["kind"], r["target_id"], r["target_account_id"], core)
            for cid in self.fps:
                if cid in hit:
                    st["to"][cid] = st["to"].get(cid, 0) + 1
            if acc not in self.state["alerted"]:
                touched[acc] = (r["action_id"], r["timestamp"])
        alerts = self._score(touched, read_at) if touched else []
        if "new_offset" in self.src:
            self.src["offset"] = self.src.pop("new_offset")
        self._save_state()
        return alerts

    def _score(self, touched: dict[str, tuple[str, datetime | None]], read_at: datetime) -> list[dict[str, Any]]:
        ids = list(touched)
        profile = _profile_findings(self.ws, ids)
        created = creation_dates(self.ws, ids)
        access: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        if has_rows(self.ws, "access"):
            for acc, ip, net, dev in access_of(self.ws, ids):
                for k, v in (("ip", ip), ("network", net), ("device", dev)):
                    if v:
                        access[acc][k].add(v)
        out = []
        for acc in ids:
            st = self.state["accounts"][acc]
            best = None
            for cid, fp in self.fps.items():
                items = finding_evidence(profile.get(acc, [])) + _fp_items(fp, st, created.get(acc), access.get(acc))
                s = combine(W.ACCOUNT_BIAS, items)
                if best is None or s.logit > best[1].logit:
                    best = (cid, s, items)
            if best is None:
                continue
            cid, s, items = best
            if not s.flagged or own_points(items) < W.MIN_OWN_POINTS_TO_EXPAND:
                continue
            action_id, action_time = touched[acc]
            now = _now()
            alert = {"alert_id": f"{self.run_id}:{acc}", "account_id": acc, "campaign_id": cid,
                     "score": round(s.score, 4), "action_id": action_id,
                     "action_time": action_time.isoformat() if action_time else None,
                     "read_at": read_at.isoformat(), "alerted_at": now.isoformat(),
                     "delay_seconds": round((now - read_at).total_seconds(), 3),
                     "action_to_alert_seconds": round((now - action_time).total_seconds(), 3) if action_time else None,
                     "run_id": self.run_id, "evidence": [e.to_dict() for e in s.evidence if e.points]}
            with self.alerts_path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(alert, ensure_ascii=False) + "\n")
            self.state["alerted"][acc] = alert["alert_id"]
            self.delays.append(round((now - read_at).total_seconds(), 3))
            self.emit(alert)
            out.append(alert)
        return out

    def summary(self) -> dict[str, Any]:
        d = sorted(self.delays)
        return {"actions": self.n_actions, "alerts": len(d), "alerted_total": len(self.state["alerted"]),
                "median_delay_seconds": d[len(d) // 2] if d else None, "max_delay_seconds": d[-1] if d else None,
                "run_id": self.run_id}


def _fp_items(fp: Fingerprint, st: dict[str, Any], created: Any, access: dict[str, set[str]] | None) -> list[Evidence]:
    w = W.ACCOUNT_WEIGHTS
    items = []
    n_to, n = st["to"].get(fp.campaign_id, 0), max(st["n"], 1)
    share = n_to / n
    if n_to:
        items.append(Evidence("engagement", share, w["engagement"] * share,
                              f"{n_to} of its {st['n']} actions engage campaign {fp.campaign_id}'s core"))
        cs = (2 * fp.score - 1) * share
        items.append(Evidence("campaign", cs, w["campaign"] * cs,
                              f"campaign {fp.campaign_id} scores {fp.score:.2f} as an operation"))
    if created is not None and created in fp.burst_days:
        s = min(1.0, fp.burst_days[created] / 10)
        items.append(Evidence("burst_campaign", s, w["burst_campaign"] * s,
                              f"created {created} like {fp.burst_days[created]} accounts of campaign {fp.campaign_id}"))
    if access:
        shared = {k: sorted(v & fp.infra.get(k, set())) for k, v in access.items()}
        shared = {k: v for k, v in shared.items() if v}
        if shared:
            s = 1.0 if ("ip" in shared or "device" in shared) else 0.6
            words = "; ".join(f"{k} {', '.join(v[:2])}" for k, v in shared.items())
            items.append(Evidence("infra_campaign", s, w["infra_campaign"] * s,
                                  f"logs in from campaign {fp.campaign_id}'s infrastructure ({words})"))
    return items


def _profile_findings(ws: Workspace, ids: list[str]) -> dict[str, list[Finding]]:
    """Handle, empty-profile and follower signals for just these accounts."""
    out: dict[str, list[Finding]] = defaultdict(list)
    for sig in (HandlePattern(), EmptyProfile(), FollowerShape()):
        for f in sig.compute(ws, ids):
            out[f.account_id].append(f)
    return out


def _pump_stdin(q: queue.Queue[str | None]) -> None:
    for line in sys.stdin:
        if line.strip():
            q.put(line.rstrip("\r\n"))
    q.put(None)


__all__ = ["Watcher"]
