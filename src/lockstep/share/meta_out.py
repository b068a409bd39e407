"""Write a Tip in the layout of Meta's public threat-research releases (facebook/threat-research):
``Tactic,Technique,Procedure,Indicator,Notes`` with the Online Operations Kill Chain's exact
strings, defanged indicators, and asset counts as "157 accounts" / "19 Pages" rows.

Why this layout: it is what Meta publishes and what researchers' tooling already reads. What
it cannot hold (text fingerprints, activity windows, TLP, opinion) stays in the STIX bundle;
text samples go in as sentences with their MinHash in Notes, which readers treat as evidence
of the step rather than an observable.
"""

from __future__ import annotations

import csv
from pathlib import Path

from lockstep.share.defang import defang
from lockstep.share.killchain import (ACCOUNT_STEP, AMPLIFY_STEP, DISARM_STEPS, DOMAINS, GROUP_POSTS, HASHTAGS,
                                      OTHER_ACCOUNTS, WEBSITE_POSTS, Step, step)
from lockstep.share.tip import Asset, Tip

HEADER = ("Tactic", "Technique", "Procedure", "Indicator", "Notes")
_PROFILE = {"twitter": "https://twitter.com/{}", "facebook": "https://www.facebook.com/{}",
            "instagram": "https://www.instagram.com/{}", "youtube": "https://www.youtube.com/@{}",
            "tiktok": "https://www.tiktok.com/@{}", "telegram": "https://t.me/{}", "threads": "https://www.threads.net/@{}"}
_NOUN = {"account": ("account", "accounts"), "page": ("Page", "Pages"), "group": ("Group", "Groups"),
         "channel": ("channel", "channels")}


def profile_url(a: Asset) -> str:
    """The asset's address: its own URL, else the platform's profile address for its handle (or page id)."""
    if a.url:
        return a.url
    fmt = _PROFILE.get(a.platform)
    name = a.handle or (a.id if a.kind != "account" and a.platform == "facebook" else "")
    return fmt.format(name) if fmt and name else ""


def rows(tip: Tip) -> list[tuple[str, str, str, str, str]]:
    """The file's rows, in kill-chain order (blank rows between tactics, as Meta writes them)."""
    out: list[tuple[Step, str, str]] = []
    platforms = sorted({a.platform for a in tip.assets})
    for plat in platforms:
        st = step(ACCOUNT_STEP.get(plat, OTHER_ACCOUNTS))
        mine = [a for a in tip.assets if a.platform == plat]
        for kind in ("account", "page", "group", "channel"):
            n = sum(a.kind == kind for a in mine)
            if n:
                out.append((st, f"{n} {_NOUN[kind][n != 1]}", plat if st.procedure.startswith(OTHER_ACCOUNTS) else ""))
        for a in mine:
            u = profile_url(a)
            if u:
                note = "; ".join(x for x in (a.display_name, a.role, a.kind if a.kind != "account" else "") if x)
                out.append((st, defang(u), note))
    for ind in tip.indicators:
        if ind.kind == "domain":
            out.append((step(DOMAINS), defang(ind.value), ind.note))
    for ind in tip.indicators:
        if ind.kind == "url":
            out.append((step(WEBSITE_POSTS), defang(ind.value), ind.note))
    amplify = [AMPLIFY_STEP[p] for p in platforms if p in AMPLIFY_STEP]
    for ind in tip.indicators:
        if ind.kind == "text":
            st = step(amplify[0]) if amplify else step("3.5.1")
            out.append((st, ind.value, f"{ind.note}; text fingerprint {':'.join(ind.fingerprint)}".strip("; ")))
        elif ind.kind == "hashtag":
            out.append((step(HASHTAGS), f"#{ind.value}", ind.note))
    for t in tip.techniques:
        for num in DISARM_STEPS.get(t.id, ()):
            if num == GROUP_POSTS and not any(a.kind == "group" for a in tip.assets):
                continue
            for n2 in amplify if num == "amplify" else [num]:
                out.append((step(n2), f"Behaviour shown by the evidence: {t.name}",
                            f"DISARM {t.id} (Red Framework v{t.version})"))
    seen: set[tuple[str, str]] = set()
    result: list[tuple[str, str, str, str, str]] = []
    last_tactic = ""
    for st, ind_text, note in sorted(out, key=lambda r: _order(r[0])):
        if (st.procedure, ind_text) in seen:
            continue
        seen.add((st.procedure, ind_text))
        if last_tactic and st.tactic != last_tactic:
            result.append(("", "", "", "", ""))
        last_tactic = st.tactic
        result.append((st.tactic, st.technique, st.procedure, ind_text, note))
    return result


def _order(s: Step) -> tuple[int, ...]:
    num = s.procedure.strip().split()[0].rstrip(".")
    return tuple(int(x) for x in num.split(".") if x.isdigit())


def write_meta_csv(tip: Tip, out: Path) -> int:
    """Write the CSV (UTF-8, CRLF as Meta's files); returns the number of indicator rows."""
    body = rows(tip)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(HEADER)
        w.writerows(body)
    tmp.replace(out)
    return sum(1 for r in body if r[3])
