"""The disclosure report as data: every number, table and picture series the renderers show.

Why one object: the HTML page, its Markdown and JSON twins and the PDF must say the same
thing, so they all render one :class:`Report`, built once from the subject (the campaign
or case and its recorded evidence) and the workspace's named queries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from lockstep.report.disarm import behaviours
from lockstep.report.subject import Subject
from lockstep.store.queries.activity import hour_of_week_counts
from lockstep.store.queries.report import daily_actions, entity_reach, example_posts, member_profiles, time_span
from lockstep.store.workspace import Workspace

ROLE_ORDER = ("persona", "core", "amplifier", "candidate", "unflagged", "unjudged")
EVIDENCE_ROWS = 200


@dataclass
class Report:
    """What a disclosure says (see docs/report.md for each part)."""

    title: str
    subject: dict[str, str]
    generated_at: str
    summary: dict[str, Any]
    how_found: dict[str, Any]
    attribution: list[dict[str, Any]]
    time_zone: dict[str, Any]
    behaviours: list[dict[str, Any]]
    examples: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    series: dict[str, Any] = field(default_factory=dict)  # the data behind each picture

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _iso(t: Any) -> str | None:
    return t.strftime("%Y-%m-%d %H:%M:%S") if isinstance(t, datetime) else None


def _offset(subject: Subject) -> dict[str, Any]:
    """The time zone the accounts work in, from the campaign's office-hours evidence, else
    the commonest offset of its accounts' working-hours evidence, else UTC."""
    for e in subject.assessment.get("evidence", []):
        off = (e.get("value") or {}).get("utc_offset")
        if e.get("item") == "office_hours" and off is not None:
            return {"utc_offset": int(off), "source": str(e.get("text"))}
    offs = Counter(int(e["value"]["utc_offset"]) for v in subject.account_evidence.values()
                   for e in v.get("evidence", []) if e.get("item") == "working_hours"
                   and (e.get("value") or {}).get("utc_offset") is not None)
    if offs:
        off, n = offs.most_common(1)[0]
        return {"utc_offset": off, "source": f"working-hours evidence of {n} accounts points to UTC{off:+d}"}
    return {"utc_offset": 0, "source": "no working-hours pattern found: shown in UTC"}


def _plain_summary(summary: Any) -> str | None:
    """The campaign's summary record as one line of its numbers."""
    if isinstance(summary, dict):
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in summary.items() if isinstance(v, (int, float, str)))
    return str(summary) if summary else None


def _how_found(subject: Subject) -> dict[str, Any]:
    p = subject.campaign.get("parameters") or subject.params.get("parameters") or {}
    keys = ("preset", "signals", "window", "scoring", "min_weight", "min_shared", "clustering", "resolution")
    return {"signals": dict(subject.campaign.get("signals") or {}),
            "parameters": {k: p[k] for k in keys if k in p},
            "data_window": subject.campaign.get("data_window") or subject.params.get("data_window"),
            "summary": _plain_summary(subject.campaign.get("summary")), "run_id": subject.run_id,
            "n_coordinated": subject.campaign.get("n_coordinated", len(subject.members)),
            "n_expanded": len(subject.campaign.get("expanded_amplifiers") or [])}


def build_report(ws: Workspace, subject: Subject, title: str | None = None) -> Report:
    """Everything the report shows about ``subject``."""
    roles = subject.roles()
    by_role = Counter(roles.values())
    profiles = {str(p["account_id"]): p for p in member_profiles(ws, subject.members).to_pylist()}
    ents = entity_reach(ws, subject.members)
    first, last, n_actions = time_span(ws, subject.members)
    pages = [e for e in ents if e.kind == "page"]
    groups = [e for e in ents if e.kind == "group"]
    followers = sum(int(p.get("followers") or 0) for p in profiles.values())
    tz = _offset(subject)
    summary = {
        "n_accounts": len(subject.members),
        "by_role": {r: by_role[r] for r in (*ROLE_ORDER, *sorted(set(by_role) - set(ROLE_ORDER))) if by_role[r]},
        "n_pages": len(pages), "n_groups": len(groups),
        "account_followers": followers, "page_followers": sum(e.followers or 0 for e in pages),
        "followers_reached": followers + sum(e.followers or 0 for e in pages),
        "group_members": sum(e.n_members for e in groups),
        "n_actions": n_actions, "first_action": _iso(first), "last_action": _iso(last),
        "days": (last - first).days + 1 if first and last else 0,
        "score": subject.assessment.get("score", subject.campaign.get("score")),
        "flagged": subject.assessment.get("flagged", subject.campaign.get("flagged")),
    }
    account_items = Counter(str(e.get("item")) for v in subject.account_evidence.values()
                            for e in v.get("evidence", []) if float(e.get("strength") or 0) > 0)
    attribution = [{"item": e.get("item"), "strength": e.get("strength"), "points": e.get("points"),
                    "text": e.get("text"), "content": bool(e.get("content"))}
                   for e in subject.assessment.get("evidence", [])]
    rows = {str(r.get("account_id")): r for r in subject.accounts}
    evidence = sorted(({"account_id": m, "handle": (profiles.get(m) or {}).get("handle") or "", "role": roles[m],
                        "score": float((rows.get(m) or {}).get("score") or 0.0),
                        "coordinated": (rows.get(m) or {}).get("coordinated") == "true",
                        "evidence": str((rows.get(m) or {}).get("evidence") or "")} for m in subject.members),
                      key=lambda r: (-float(r["score"]), str(r["account_id"])))
    examples = [{"action_id": x.action_id, "account_id": x.account_id,
                 "handle": (profiles.get(x.account_id) or {}).get("handle") or "", "time": _iso(x.timestamp),
                 "text": x.text, "engagements": x.n_engagements} for x in example_posts(ws, subject.members)]
    created = Counter(p["created_at"].strftime("%Y-%m") for p in profiles.values()
                      if isinstance(p.get("created_at"), datetime))
    off = tz["utc_offset"]
    how = [[0] * 24 for _ in range(7)]
    for _account, hour_of_week, n in hour_of_week_counts(ws, subject.members):
        local = (hour_of_week + off) % 168
        how[local // 24][local % 24] += n
    daily: dict[str, dict[str, int]] = {}
    for d, kind, n in daily_actions(ws, subject.members):
        daily.setdefault(d.isoformat(), {})[kind] = n
    series = {"daily_actions": daily, "hour_of_week_local": how, "created_by_month": dict(sorted(created.items())),
              "network": {"nodes": len(subject.members), "edges": len({(e["account_a"], e["account_b"])
                                                                      for e in subject.edges})}}
    return Report(
        title=title or f"Coordinated inauthentic behaviour: {subject.label}",
        subject={"kind": subject.kind, "id": subject.id, "run_id": subject.run_id},
        generated_at=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        summary=summary, how_found=_how_found(subject), attribution=attribution, time_zone=tz,
        behaviours=behaviours(dict(subject.campaign.get("signals") or {}), subject.assessment.get("evidence", []),
                              dict(account_items), len(ents)),
        examples=examples,
        entities=[e._asdict() for e in ents], evidence=evidence[:EVIDENCE_ROWS], series=series)
