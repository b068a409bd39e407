"""The simulator's second platform: pages addressed by vanity name, one page under the
Twitter persona's moniker with another display name, authentic look-alike news pages, and a
world that is the same for the same seed."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

from lockstep.simulate import vocab
from lockstep.simulate.config import WorldConfig
from lockstep.simulate.platform2 import write_platform2
from lockstep.simulate.population import build_population

Run = tuple[Path, dict[str, Any]]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_pages_vanity_moniker_and_lookalikes(p2run: Run) -> None:
    work, _res = p2run
    p2 = work / "world" / "platform2"
    ents = {r["entity_id"]: r for r in _csv(p2 / "entities.csv")}
    labels = {r["id"]: r for r in _csv(p2 / "labels.csv")}
    pages = [e for e in ents.values() if e["kind"] == "page"]
    assert all(e["url"].startswith("https://www.facebook.com/") for e in pages)
    op = [e for e in pages if labels[e["entity_id"]]["group"] == "persona_page"]
    name, handle = vocab.PERSONA_NAMES[0][0], vocab.PERSONA_NAMES[0][1]
    same = [e for e in op if e["url"].rsplit("/", 1)[1] == handle]
    assert len(same) == 1 and same[0]["name"] != name  # same moniker, another display name
    assert all(any(d in e["description"] for d in vocab.OP_DOMAINS) for e in op)  # website in the description
    look = [e for e in pages if labels[e["entity_id"]]["group"] == "lookalike_page"]
    assert len(look) == len(vocab.LOOKALIKE_PAGES)
    assert all(labels[e["entity_id"]]["role"] == "organic" for e in look)
    assert not any(d in e["description"] for e in look for d in vocab.OP_DOMAINS)
    acts = _csv(p2 / "actions.csv")
    look_ids = {e["entity_id"] for e in look}
    posts = [a for a in acts if a["account_id"] in look_ids]
    assert len(posts) > 100 and all(a["entity_id"] == a["account_id"] for a in posts)  # their own news
    assert not any(d in a["urls"] for a in posts for d in vocab.OP_DOMAINS)


def test_platform2_same_seed_same_files(tmp_path: Path) -> None:
    names = ("entities.csv", "accounts.csv", "memberships.csv", "actions.csv", "labels.csv")

    def digest(d: Path) -> dict[str, str]:
        return {n: hashlib.sha256((d / "platform2" / n).read_bytes()).hexdigest() for n in names}

    for name, seed in (("a", 3), ("b", 3), ("c", 4)):  # (the platform2 writer draws nothing from the population)
        cfg = WorldConfig(scale=0.02, seed=seed)
        write_platform2(tmp_path / name / "platform2", cfg, build_population(cfg))
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a")["actions.csv"] != digest(tmp_path / "c")["actions.csv"]
