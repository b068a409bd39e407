"""A batch's checked insert parses each time once (lockstep.ingest.parse_once) and keeps the
rows and values of the statement that parsed it twice (test_probe_checks compares the whole
ingest with the separate ``_bad`` pass, which does not use it)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from lockstep.ingest import parse_once, sqlkit
from lockstep.ingest.csvpipe import bad_case
from lockstep.ingest.detect import get_format


def _sqls(name: str, table: str) -> tuple[str, str]:
    fmt = get_format(name)
    return bad_case(fmt), fmt.select_list(table, "'f.csv'", "NULL")


def test_the_shared_parses_of_the_big_formats() -> None:
    assert parse_once.shared_parses(*_sqls("io-tweets", "actions")) == ["ls_ts(tweet_time)"]
    assert parse_once.shared_parses(*_sqls("access-log", "access")) == ["ls_anyts(time)"]
    assert parse_once.shared_parses("ls_ts(a) IS NULL", "ls_ts(b), xls_ts(a)") == []


def test_each_shared_parse_is_left_in_the_source_only() -> None:
    checks, select = _sqls("io-tweets", "actions")
    src, checks2, select2 = parse_once.once("_b", checks, select)
    assert "ls_ts(tweet_time)" not in checks2 + select2
    assert src.count("ls_ts(tweet_time) AS _ls_once0") == 1 and "OFFSET 0" in src
    assert "_ls_once0 IS NULL" in checks2 and '(_ls_once0) AS "timestamp"' in select2
    assert parse_once.once("_b", "x IS NULL", "x") == ("_b", "x IS NULL", "x")


_TIMES = st.one_of(
    st.sampled_from(["2019-04-02T00:59:21Z", "2019-04-02 00:59", "2019-04-02 00:59:21", "1554166761",
                     "1554166761123", "2150-01-01T00:00:00Z", "1969-12-31 23:59:59", "nan", "inf", "",
                     "  ", "Tue Jun 11 11:20:35 +0000 2013", "2019-04-02T00:59:21+02:00", "yesterday"]),
    st.text(max_size=24), st.none())


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["a1", "", None, " "]), _TIMES), min_size=1, max_size=40))
def test_same_rows_and_values_as_parsing_twice(rows: list[tuple[str | None, str | None]]) -> None:
    con = duckdb.connect()
    sqlkit.install(con)
    cols: dict[str, list[object]] = {c: [None] * len(rows) for c in ("ip", "country", "asn", "device", "network",
                                                                     "platform")}
    cols.update({"account_id": [r[0] for r in rows], "time": [r[1] for r in rows], "_line": list(range(len(rows)))})
    con.register("_b", pa.table(cols))
    checks, select = _sqls("access-log", "access")
    src, checks2, select2 = parse_once.once("_b", checks, select)
    twice = con.execute(f"SELECT {select} FROM _b WHERE ({checks}) IS NULL").fetchall()
    once = con.execute(f"SELECT {select2} FROM (SELECT * FROM {src} AS _p WHERE ({checks2}) IS NULL) AS _g").fetchall()
    assert sorted(once, key=repr) == sorted(twice, key=repr)
    con.close()
