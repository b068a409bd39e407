"""Acceptance of issue 15's share match: a tip exported from the simulator's Twitter-like view
finds the operation on its Facebook-like view.

simulate (scale 0.05, seed 0) -> ingest tweets/users/access into WS1 -> detect -> the largest
flagged campaign -> ``share export --format stix`` -> ingest platform2/ into WS2 ->
``share match`` (the STIX bundle, and the same campaign in Meta's CSV layout): precision and
recall of the matched ids (confidence >= the default) against
platform2/labels.csv role core (operation pages, operation groups, fake admin accounts) are
each >= 0.9, the page under the Twitter persona's moniker is matched, and no authentic
look-alike page (group ``lookalike_page``) is.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from lockstep.cli.main import run
from lockstep.share.match import DEFAULT_MIN_CONFIDENCE
from lockstep.share.match.names import skeleton, vanity
from lockstep.simulate.vocab import PERSONA_NAMES


@pytest.fixture(scope="module")
def matched(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    d = tmp_path_factory.mktemp("e2e")
    w, ws1, ws2 = d / "world", d / "ws1", d / "ws2"
    assert run(["simulate", "--out", str(w), "--scale", "0.05", "--seed", "0"]) == 0
    assert run(["ingest", str(w / "tweets.csv"), str(w / "users.csv"), str(w / "access.csv"),
                "--workspace", str(ws1)]) == 0
    assert run(["detect", "--workspace", str(ws1), "--out", str(d / "run")]) == 0
    camps = json.loads((d / "run" / "campaigns.json").read_text())
    camps = camps["campaigns"] if isinstance(camps, dict) else camps
    op = max((c for c in camps if c.get("flagged")), key=lambda c: int(c.get("n_members") or len(c["members"])))
    tip = d / "tip.json"
    assert run(["share", "export", str(op["id"]), "--format", "stix", "--out", str(tip), "--workspace", str(ws1)]) == 0
    assert run(["ingest", str(w / "platform2"), "--workspace", str(ws2)]) == 0
    out = d / "matches.csv"
    assert run(["share", "match", str(tip), "--workspace", str(ws2), "--out", str(out), "--by", "e2e"]) == 0
    # the same campaign in Meta's indicator CSV layout: no activity windows, one text, profile URLs
    meta = d / "tip.csv"
    assert run(["share", "export", str(op["id"]), "--format", "csv", "--out", str(meta), "--workspace", str(ws1)]) == 0
    out_meta = d / "matches_meta.csv"
    assert run(["share", "match", str(meta), "--workspace", str(ws2), "--out", str(out_meta), "--no-case"]) == 0
    labels = list(csv.DictReader((w / "platform2" / "labels.csv").open(encoding="utf-8")))
    entities = list(csv.DictReader((w / "platform2" / "entities.csv").open(encoding="utf-8")))
    return {"rows": list(csv.DictReader(out.open(encoding="utf-8"))), "labels": labels, "entities": entities,
            "rows_meta": list(csv.DictReader(out_meta.open(encoding="utf-8")))}


@pytest.mark.parametrize("layout", ["rows", "rows_meta"])
def test_precision_and_recall_of_the_core(matched: dict[str, object], layout: str) -> None:
    rows, labels = matched[layout], matched["labels"]
    assert isinstance(rows, list) and isinstance(labels, list)
    core = {r["id"] for r in labels if r["role"] == "core"}
    got = {r["id"] for r in rows if float(r["confidence"]) >= DEFAULT_MIN_CONFIDENCE}
    precision = len(got & core) / max(len(got), 1)
    recall = len(got & core) / len(core)
    print(f"share match e2e ({layout}): {len(got)} matched, {len(core)} core,"
          f" precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.9 and recall >= 0.9, (sorted(got - core), sorted(core - got))
    kinds = {r["kind"] for r in rows if r["id"] in got}
    assert kinds >= {"page", "group", "account"}


@pytest.mark.parametrize("layout", ["rows", "rows_meta"])
def test_same_moniker_page_matched_and_no_look_alike(matched: dict[str, object], layout: str) -> None:
    rows, labels, entities = matched[layout], matched["labels"], matched["entities"]
    assert isinstance(rows, list) and isinstance(labels, list) and isinstance(entities, list)
    got = {r["id"]: r for r in rows if float(r["confidence"]) >= DEFAULT_MIN_CONFIDENCE}
    monikers = {skeleton(p[1]) for p in PERSONA_NAMES}
    same = [e["entity_id"] for e in entities if skeleton(vanity(e["url"])) in monikers]
    assert same, "the world has no page under a persona's moniker"
    for eid in same:
        assert eid in got and "identical moniker" in got[eid]["reasons"]
    look = {r["id"] for r in labels if r["group"] == "lookalike_page"}
    assert look, "the world has no look-alike pages"
    assert not look & set(got), sorted(look & set(got))
