"""The report's pictures, drawn with matplotlib as PNG: activity timeline, hour-of-week
heatmap in the accounts' inferred time zone, account-creation histogram and network map.

Why PNG bytes and not files: the HTML inlines them (base64) so the page opens without a
network or a folder beside it; the Markdown twin links the same bytes written as files.
Pictures must read on paper: large type, grey-safe palettes, roles told apart by shape as
well as colour.
"""

from __future__ import annotations

import io
import random
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from lockstep.graph.igraph_import import igraph  # noqa: E402
from lockstep.report.model import Report  # noqa: E402
from lockstep.report.subject import Subject  # noqa: E402

ROLE_STYLE = {"persona": ("#6a3d9a", "s"), "core": ("#b2182b", "o"), "amplifier": ("#f4a582", "^"),
              "candidate": ("#4d4d4d", "D"), "unflagged": ("#bababa", "v"), "unjudged": ("#bababa", "v")}
KIND_COLOURS = {"post": "#1b1b1b", "repost": "#7f7f7f", "reply": "#c7c7c7", "quote": "#b2182b"}
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def timeline(daily: dict[str, dict[str, int]]) -> bytes:
    fig, ax = plt.subplots(figsize=(9, 3.2))
    days: Any = [date.fromisoformat(d) for d in daily]  # matplotlib's stubs take numbers; dates plot as days
    bottom = [0] * len(days)
    kinds = sorted({k for v in daily.values() for k in v}, key=lambda k: (k not in KIND_COLOURS, k))
    for k in kinds:
        vals = [daily[d].get(k, 0) for d in daily]
        ax.bar(days, vals, bottom=bottom, width=1.0, label=k, color=KIND_COLOURS.get(k, "#999999"))
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_ylabel("actions per day (UTC)")
    ax.set_title("Activity timeline")
    if kinds:
        ax.legend(loc="upper left", fontsize=8, frameon=False)
    fig.autofmt_xdate()
    return _png(fig)


def heatmap(how: list[list[int]], utc_offset: int) -> bytes:
    fig, ax = plt.subplots(figsize=(9, 3.0))
    im = ax.imshow(how, aspect="auto", cmap="Greys", interpolation="nearest")
    ax.set_yticks(range(7), DAYS)
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel(f"hour of day, UTC{utc_offset:+d}")
    ax.set_title(f"Hour-of-week activity in the inferred time zone (UTC{utc_offset:+d})")
    fig.colorbar(im, ax=ax, label="actions")
    return _png(fig)


def creation(by_month: dict[str, int]) -> bytes:
    fig, ax = plt.subplots(figsize=(9, 3.0))
    months = list(by_month)
    ax.bar(range(len(months)), list(by_month.values()), color="#4d4d4d")
    step = max(1, len(months) // 12)
    ax.set_xticks(range(0, len(months), step), months[::step], rotation=45, ha="right")
    ax.set_ylabel("accounts created")
    ax.set_title("Account creation by month")
    return _png(fig)


def network(subject: Subject) -> bytes:
    """Members placed by a seeded Fruchterman-Reingold layout, coloured and shaped by role."""
    ig = igraph()
    names = list(subject.members)
    index = {m: i for i, m in enumerate(names)}
    pairs: dict[tuple[int, int], float] = {}
    for e in subject.edges:
        a, b = index.get(str(e["account_a"])), index.get(str(e["account_b"]))
        if a is not None and b is not None and a != b:
            key = (min(a, b), max(a, b))
            pairs[key] = pairs.get(key, 0.0) + float(e.get("weight") or 0.0)
    engages = set()
    for m, v in subject.account_evidence.items():
        for e in v.get("evidence", []):
            for post in (e.get("value") or {}).get("core_posts", []) if e.get("item") == "engagement" else []:
                a, b = index.get(m), index.get(str(post.get("author")))
                if a is not None and b is not None and a != b and (min(a, b), max(a, b)) not in pairs:
                    engages.add((a, b))
    g = ig.Graph(n=len(names), edges=[*pairs, *engages])
    state = random.getstate()
    random.seed(0)
    ig.set_random_number_generator(random)
    try:
        xy = g.layout_fruchterman_reingold(weights=None, niter=500).coords if names else []
    finally:
        random.setstate(state)
    fig, ax = plt.subplots(figsize=(7, 7))
    top = max(pairs.values(), default=1.0) or 1.0
    for (a, b), w in pairs.items():
        ax.plot([xy[a][0], xy[b][0]], [xy[a][1], xy[b][1]], color="#9e9e9e", lw=0.4 + 2.0 * w / top, zorder=1)
    for a, b in engages:
        ax.plot([xy[a][0], xy[b][0]], [xy[a][1], xy[b][1]], color="#bdbdbd", lw=0.5, ls="--", zorder=0)
    roles = subject.roles()
    for role in sorted(set(roles.values()), key=lambda r: list(ROLE_STYLE).index(r) if r in ROLE_STYLE else 99):
        idx = [index[m] for m in names if roles[m] == role]
        colour, marker = ROLE_STYLE.get(role, ("#000000", "x"))
        ax.scatter([xy[i][0] for i in idx], [xy[i][1] for i in idx], c=colour, marker=marker, s=60,
                   edgecolors="black", linewidths=0.5, label=f"{role} ({len(idx)})", zorder=2)
    ax.set_axis_off()
    ax.set_title(f"Network map: {len(names)} accounts, {len(pairs)} coordination links (solid),"
                 f" {len(engages)} engagements of the core (dashed)", fontsize=10)
    ax.legend(loc="lower left", fontsize=9, frameon=True)
    return _png(fig)


def draw_all(report: Report, subject: Subject) -> dict[str, dict[str, Any]]:
    """Every picture of the report: name -> title, caption and PNG bytes."""
    s, tz = report.series, report.time_zone
    return {
        "timeline": {"title": "Activity timeline", "png": timeline(s["daily_actions"]),
                     "caption": "Actions of the accounts per day, by kind (UTC)."},
        "heatmap": {"title": "Hour-of-week pattern", "png": heatmap(s["hour_of_week_local"], tz["utc_offset"]),
                    "caption": f"Actions by weekday and hour in UTC{tz['utc_offset']:+d}: {tz['source']}."},
        "creation": {"title": "Account creation", "png": creation(s["created_by_month"]),
                     "caption": "When the accounts were created (bursts of new accounts are a sign of mass creation)."},
        "network": {"title": "Network map", "png": network(subject),
                    "caption": "Accounts linked by coordination evidence (solid, width: weight) and by"
                                " amplifiers' engagement of core posts (dashed); colour and shape: role."},
    }
