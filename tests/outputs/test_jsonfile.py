"""The output folder's JSON and CSV writers: same data as json.dumps / csv.DictWriter wrote
before, laid out for speed (lockstep.outputs.jsonfile, lockstep.outputs.write)."""

from __future__ import annotations

import csv
import datetime
import gc
import io
import json
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest

from lockstep.outputs.jsonfile import LazyObject, json_chunks, write_json
from lockstep.gcpause import no_cycle_collection
from lockstep.outputs.write import EVIDENCE_DEPTH, _write_rows

SAMPLE: dict[str, Any] = {
    "campaigns": {"C1": {"score": 0.25, "evidence": [{"item": "x", "value": {}, "content": False}]}, "C2": {}},
    "accounts": {"a\u00e9\"\n": {"evidence": [], "activity": {"to_campaign": {"C1": 3}}, "note": None},
                 "b": {"tuple": (1, 2.5, -0.0), "date": datetime.date(2024, 1, 2), "nested": [[1, [2, [3]]], []]}},
    "int_keys": {1: "one", 2.5: "two and a half", None: "none", True: "yes"},
    "params": {"inf": float("inf"), "big": 10**30, "tiny": 1e-300, "empty_list": [], "empty_dict": {}},
    "top_list": [{"a": 1}, [], "s", 3],
}
REFERENCE = json.dumps(SAMPLE, indent=2, ensure_ascii=False, default=str)


def test_no_depth_is_byte_identical_to_indent_2() -> None:
    assert "".join(json_chunks(SAMPLE, None)) == REFERENCE


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 4, 5, 50])
def test_every_depth_parses_to_the_same_data(depth: int) -> None:
    text = "".join(json_chunks(SAMPLE, depth))
    assert json.loads(text) == json.loads(REFERENCE)


def test_deep_enough_layout_equals_indent_2_without_non_string_keys() -> None:
    obj = {k: v for k, v in SAMPLE.items() if k != "int_keys"}
    assert "".join(json_chunks(obj, 50)) == json.dumps(obj, indent=2, ensure_ascii=False, default=str)


def test_evidence_layout_one_record_per_line(tmp_path: Path) -> None:
    path = tmp_path / "ev.json"
    write_json(SAMPLE, path, EVIDENCE_DEPTH)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(REFERENCE)
    # each account's record is one line, found by its key
    assert [ln for ln in lines if ln.startswith('    "b": {')] == [
        '    "b": ' + json.dumps(SAMPLE["accounts"]["b"], ensure_ascii=False, default=str)]  # last: no comma
    assert lines[0] == "{" and lines[-1] == "}" and path.read_text(encoding="utf-8").endswith("}\n")


def test_large_file_written_in_batches_is_complete(tmp_path: Path) -> None:
    obj = {"accounts": {str(i): {"text": "x" * 500, "i": i} for i in range(20_000)}}  # > one 4 MB batch
    path = tmp_path / "big.json"
    write_json(obj, path, EVIDENCE_DEPTH)
    assert json.loads(path.read_text(encoding="utf-8")) == obj


def test_rows_as_dictwriter_wrote_them(tmp_path: Path) -> None:
    cols = ("a", "b", "c")
    rows = [{"a": "1", "b": 'quote " and, comma', "c": "line\nbreak"}, {"a": "only a"}, {"c": "é", "a": ""}]
    _write_rows(rows, cols, tmp_path / "r.csv")
    ref = io.StringIO(newline="")
    w = csv.DictWriter(ref, fieldnames=list(cols))
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in cols})
    assert (tmp_path / "r.csv").read_bytes() == ref.getvalue().encode("utf-8")


def test_cycle_collection_held_and_restored() -> None:
    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with no_cycle_collection():
            raise RuntimeError("a writer failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()  # a caller that held it keeps holding it
    finally:
        gc.enable()


@pytest.mark.parametrize("depth", [0, 1, 2, 3, None])
def test_lazy_object_writes_as_the_dict_it_yields(depth: int | None) -> None:
    made: list[str] = []

    def pairs(keys: list[str]) -> Iterator[tuple[str, Any]]:
        for k in keys:
            made.append(k)
            yield k, {"k": k, "n": [1, {"x": k}]}

    want = {"accounts": {k: {"k": k, "n": [1, {"x": k}]} for k in "abc"}, "none": {}}
    obj = {"accounts": LazyObject(pairs(list("abc"))), "none": LazyObject(pairs([]))}
    text = "".join(json_chunks(obj, depth if depth is not None else 50))
    assert json.loads(text) == want and made == list("abc")
    if depth is None:  # deep enough: exactly json.dumps(indent=2) of the dict
        assert text == json.dumps(want, indent=2)
