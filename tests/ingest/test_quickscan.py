"""The pre-pass's quick line scan agrees with the full scan wherever it does not give up."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lockstep.ingest import source
from lockstep.ingest.quickscan import QuickScan


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in zip(points, points[1:])]


@settings(max_examples=3000, deadline=None)
@given(data=st.lists(st.sampled_from([b"a", b"bb", b'"', b"\n", b"\r", b"\0", b"xyzxyzxyz"]), max_size=60).map(b"".join),
       cuts=st.lists(st.integers(min_value=0, max_value=1000), max_size=8))
def test_quick_scan_matches_full_scan(data: bytes, cuts: list[int]) -> None:
    chunks = _chunks(data, cuts)
    quick, full = QuickScan(), source._LineScan()
    for chunk in chunks:
        quick.feed(chunk)
        full.feed(chunk)
    # it gives up exactly when the file has a blank line or a CR (the full scan then runs)
    assert quick.gave_up == (bool(full.blanks) or b"\r" in data)
    if quick.gave_up:
        return
    assert quick.total() == full.total()
    assert quick.has_nul == full.has_nul
    assert quick.longest == full.longest


def test_prepass_same_with_and_without_blank_lines(tmp_path: Path) -> None:
    """The pre-pass gives the full scan's results whether the quick scan gave up or not."""
    cases = {"plain": b'a,b\n1,"x"\n2,y', "blank": b'a,b\n1,"x\n\ny"\n\n2,y\n', "crlf": b"a,b\r\n1,x\r\n\r\n",
             "nul": b"a,b\n1,\0\n", "empty": b""}
    for name, data in cases.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data)
        full = source._LineScan()
        full.feed(data)
        src = source.prepass(source.open_source(path))
        assert (src.n_lines, src.blank_lines, src.quoted_blank_lines, src.longest_line, src.maybe_nul()) == (
            full.total(), full.blanks, full.quoted, full.longest, full.has_nul), name
