"""The one writer of a detection run's output folder.

Why one writer: the files must agree with each other and with what the command prints. Every
file is built here from the result objects (:class:`~lockstep.detect.result.DetectResult`,
:class:`~lockstep.roles.result.RolesResult`), written into a hidden folder beside the outputs
and moved into place only when all are complete, and the printed summary is counted from the
rows just written.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from lockstep.detect.result import DetectResult
from lockstep.entities.result import EntitiesResult
from lockstep.gcpause import no_cycle_collection
from lockstep.graph.export import write_gexf, write_graphml
from lockstep.outputs import files as F
from lockstep.outputs.jsonfile import LazyObject, write_json
from lockstep.outputs.summary import RunSummary, summarise_rows
from lockstep.roles.result import RolesResult
from lockstep.store.csv_export import write_csv


def account_rows(det: DetectResult, roles: RolesResult | None) -> list[dict[str, str]]:
    """accounts.csv rows: every vertex of the pruned graph (campaign members first), then the
    accounts roles expanded into campaigns. ``coordinated``: a member of a detected campaign;
    ``flagged``: judged inauthentic by the roles stage ("" when roles did not run)."""
    rows: dict[str, dict[str, str]] = {}
    for a in det.accounts:
        rows[a.account_id] = {"account_id": a.account_id, "campaign_id": a.campaign_id or "",
                              "role": "core" if a.coordinated else "candidate", "score": str(a.score),
                              "evidence": a.evidence, "flagged": "",
                              "coordinated": "true" if a.coordinated else "false",
                              "coordination_evidence": a.evidence}
    if roles is not None:
        for v in roles.accounts.values():
            row = rows.setdefault(v.account_id, {"account_id": v.account_id, "campaign_id": "",
                                                 "coordinated": "false", "coordination_evidence": ""})
            row.update({"campaign_id": v.campaign_id if v.campaign_id is not None else row["campaign_id"],
                        "role": v.role, "score": f"{v.score:.4f}", "flagged": "true" if v.flagged else "false",
                        "evidence": v.summary})
    return list(rows.values())


def campaign_records(det: DetectResult, roles: RolesResult | None, run_id: str,
                     entities: EntitiesResult | None = None) -> list[dict[str, Any]]:
    """campaigns.json: detect's campaigns; with roles, their members grown by expansion, the
    campaign's operation score and the members counted by role; with the entities stage, the
    pages and groups connected to it, the accounts running them, its domains and its reach."""
    out = []
    for c in det.campaigns:
        rec: dict[str, Any] = {"id": c.id, "run_id": run_id, "members": list(c.members),
                               "n_members": len(c.members), "signals": c.signals, "parameters": det.record,
                               "data_window": det.data_window, "summary": c.summary()}
        if roles is not None:
            verdict = roles.campaigns.get(c.id)
            added = list(verdict.expanded_amplifiers) if verdict else []
            known = set(c.members)
            rec["members"] = list(c.members) + [a for a in added if a not in known]
            rec["n_members"] = len(rec["members"])
            rec["n_coordinated"] = len(c.members)
            rec["expanded_amplifiers"] = added
            counts: dict[str, int] = {}
            for m in rec["members"]:
                v = roles.accounts.get(m)
                key = (v.role if v is not None else "") or "unflagged"
                counts[key] = counts.get(key, 0) + 1
            rec["roles"] = counts
            if verdict is not None:
                rec["score"] = round(verdict.score, 4)
                rec["flagged"] = verdict.flagged
                rec["score_evidence"] = [e.to_dict() for e in verdict.evidence]
        if entities is not None:
            ce = entities.get(c.id)
            rec["entities"] = [e.to_dict() for e in ce.entities]
            rec["admins"] = [e.to_dict() for e in ce.admins]
            rec["domains"] = ce.domains
            rec["reach"] = dict(ce.reach)
        out.append(rec)
    return out


# account_evidence.json is laid out two levels deep: one campaign, one account per line. Why:
# on a 10M-action world it holds 65k accounts (280 MB indented); a line per record is what
# grep and less handle well, and it is written by the C encoder (see outputs.jsonfile)
EVIDENCE_DEPTH = 2


def evidence_record(roles: RolesResult) -> dict[str, Any]:
    """account_evidence.json: every campaign's and account's scored evidence (``explain``).
    The accounts are a :class:`LazyObject`: each record is built as it is written."""
    return {"campaigns": {cid: {"score": round(v.score, 4), "flagged": v.flagged,
                                "evidence": [e.to_dict() for e in v.evidence]}
                          for cid, v in roles.campaigns.items()},
            "accounts": LazyObject((a, v.to_dict()) for a, v in roles.accounts.items() if v.detailed),
            "params": roles.params}


def entity_rows(entities: EntitiesResult) -> list[dict[str, str]]:
    """entities.csv rows: one per link between a campaign and a page, group or admin account."""
    rows = []
    for cid, ce in entities.campaigns.items():
        for e in [*ce.entities, *ce.admins]:
            for lk in e.links:
                rows.append({"campaign_id": cid, "platform": e.platform, "entity_id": e.entity_id, "kind": e.kind,
                             "name": e.name, "followers": str(e.followers), "members": str(e.members),
                             "link": lk.link, "evidence": lk.detail + (f" [{lk.source}]" if lk.source else "")})
    return rows


def write_run(out_dir: Path, det: DetectResult, roles: RolesResult | None, run_id: str,
              entities: EntitiesResult | Callable[[], EntitiesResult] | None = None) -> RunSummary:
    """Write every output file of one run into ``out_dir``; returns the summary counted from
    what was written. Files of an earlier run that this run does not produce are removed.

    ``entities`` may be a function that waits for them (``entities.connect_beside``): it is
    called only once accounts.csv, edges.csv and account_evidence.json are written, so the
    entities stage's queries run beside the writing of those."""
    with no_cycle_collection():
        return _write_run(out_dir, det, roles, run_id, entities)


def _write_run(out_dir: Path, det: DetectResult, roles: RolesResult | None, run_id: str,
               later: EntitiesResult | Callable[[], EntitiesResult] | None) -> RunSummary:
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    part = out_dir / f".partial-{run_id}"
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir()
    try:
        rows = account_rows(det, roles)
        _write_accounts(rows, part / F.ACCOUNTS)
        _write_edges(det.edges, part / F.EDGES)
        if roles is not None:
            write_json(evidence_record(roles), part / F.EVIDENCE, EVIDENCE_DEPTH)
        entities = later() if callable(later) else later  # the files above do not need them
        write_json(campaign_records(det, roles, run_id, entities), part / F.CAMPAIGNS)
        if entities is not None:
            _write_rows(entity_rows(entities), F.ENTITY_COLUMNS, part / F.ENTITIES)
        if det.graph_selection is not False:
            by_id = {r["account_id"]: r for r in rows}
            vrows = [by_id[n] for n in det.graph.names]
            vattrs: dict[str, list[Any]] = {"campaign_id": [r["campaign_id"] for r in vrows], "role": [r["role"] for r in vrows],
                      "score": [float(r["score"]) for r in vrows],
                      "coordinated": [r["coordinated"] for r in vrows], "flagged": [r["flagged"] for r in vrows]}
            sel = None if det.graph_selection is None or det.graph_selection is True else det.graph_selection
            write_graphml(det.graph, vattrs, part / F.GRAPHML, sel)
            write_gexf(det.graph, vattrs, part / F.GEXF, sel)
        summary = summarise_rows(rows, n_campaigns=len(det.campaigns), n_edges=det.edges.num_rows,
                                 n_graph_accounts=det.graph.n_vertices, out_dir=out_dir, run_id=run_id,
                                 roles=roles is not None)
        steps = {**det.steps, **({"entities": {"seconds": entities.seconds}} if entities is not None else {}),
                 "write": {"seconds": round(time.perf_counter() - t0, 3)}}
        write_json({"run_id": run_id, "parameters": det.record, "sources": det.sources,
                     "data_window": det.data_window, "signals": det.signals, "steps": steps,
                     "notes": det.notes, "summary": summary.to_dict(),
                     "seconds": round(det.seconds + time.perf_counter() - t0, 3)}, part / F.PARAMS)
        produced = {p.name for p in part.iterdir()}
        for name in (F.ACCOUNTS, F.EDGES, F.CAMPAIGNS, F.EVIDENCE, F.ENTITIES, F.GRAPHML, F.GEXF, F.PARAMS):
            if name in produced:
                os.replace(part / name, out_dir / name)  # params.json last: a complete run
            elif (out_dir / name).exists():
                (out_dir / name).unlink()
    finally:
        shutil.rmtree(part, ignore_errors=True)
    return summary


def _write_accounts(rows: list[dict[str, str]], path: Path) -> None:
    _write_rows(rows, F.ACCOUNT_COLUMNS, path)


def _write_rows(rows: list[dict[str, str]], columns: tuple[str, ...], path: Path) -> None:
    """CSV with a header; a column a row lacks is written empty. csv.writer on lists, not
    DictWriter: the same bytes (excel dialect), without a key check per row (200k rows on a
    10M-action world)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        w.writerows([r.get(k, "") for k in columns] for r in rows)


def _write_edges(edges: pa.Table, path: Path) -> int:
    """Per-signal edge rows, heaviest first (ties by account pair and signal, so sums that
    differ only in the last bit keep one order); evidence lists as JSON arrays."""
    extra = [c for c in edges.column_names if c not in F.EDGE_COLUMNS]
    for c in ("evidence_items", "evidence_actions"):
        if c not in edges.column_names:
            edges = edges.append_column(c, pa.nulls(edges.num_rows, pa.list_(pa.string())))
    return write_csv(edges.select([*F.EDGE_COLUMNS, *extra]), path, F.EDGE_FORMATS, F.EDGE_ORDER)

