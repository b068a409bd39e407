"""SQL macros shared by the format readers: parsing and validating text fields in DuckDB.

Readers hand DuckDB every column as text and convert in SQL, so parsing runs vectorised
and in parallel; these macros name the conversions once so every format parses
timestamps, Python-list strings and counts the same way.
"""

from __future__ import annotations

import duckdb

from lockstep.errors import UserError

# The accepted time range of every stored timestamp (UTC): anything outside is quarantined.
TIME_MIN, TIME_MAX = "1970-01-01", "2100-01-01"
_MIN_US, _MAX_US = 0, 4_102_444_800_000_000

MACROS = [
    # empty / whitespace-only text is missing; a value that starts with a visible ASCII
    # character and does not end with a space is returned as is (trim copies every string,
    # and this runs on most columns of every row)
    """ls_nz(x) AS CASE WHEN ascii(x) BETWEEN 33 AND 126 AND NOT ends_with(x, ' ') THEN x
        ELSE nullif(trim(x), '') END""",
    # ls_nz(x) IS NULL, without trimming the (usual) value that starts with a visible ASCII
    # character: trim copies the string, and id checks run on every row
    "ls_blank(x) AS (x IS NULL OR (NOT (ascii(x) BETWEEN 33 AND 126) AND trim(x) = ''))",
    # also treat the literal NULL (Twitter v1.1 CSV dumps) and None/nan as missing
    "ls_nzn(x) AS CASE WHEN trim(x) IN ('NULL', 'None', 'nan', 'NaN') THEN NULL ELSE nullif(trim(x), '') END",
    # "['a', 'b']" (IO archive), "[a, b]", "a,b" -> list. Fast paths (same results) for the
    # usual IO-archive values: "[]" and one quoted element "['a']" skip trim and the regex.
    r"""ls_list(x) AS CASE WHEN x = '[]' THEN []::VARCHAR[]
        WHEN starts_with(x, '[''') AND ends_with(x, ''']') AND NOT contains(x, '"')
            AND length(x) - length(replace(x, '''', '')) = 2 THEN [x[3:-3]]
        ELSE ls_list_slow(x) END""",
    """ls_list_slow(x) AS CASE
        WHEN ls_nz(x) IS NULL OR trim(x) IN ('[]', 'None', 'nan', 'absent') THEN []::VARCHAR[]
        WHEN contains(x, '''') OR contains(x, '"')
            THEN regexp_extract_all(x, '[''"]([^''"]*)[''"]', 1)
        ELSE list_filter(list_transform(string_split(trim(x, '[] '), ','), lambda s: trim(s)), lambda s: s <> '')
        END""",
    # space-separated words, or a Python-list literal
    """ls_words(x) AS CASE
        WHEN ls_nz(x) IS NULL THEN []::VARCHAR[]
        WHEN starts_with(trim(x), '[') THEN ls_list(x)
        ELSE list_filter(string_split_regex(trim(x), '\\s+'), lambda s: s <> '')
        END""",
    # fast path first: a plain integer casts directly (the slow path is for '12.0', ' NULL ')
    "ls_int(x) AS coalesce(try_cast(x AS BIGINT), try_cast(try_cast(ls_nzn(x) AS DOUBLE) AS BIGINT))",
    "ls_bad_int(x) AS (try_cast(x AS BIGINT) IS NULL AND ls_nzn(x) IS NOT NULL AND ls_int(x) IS NULL)",
    # exact spellings first (CASE evaluates the slow branch only for the other rows)
    """ls_bool(x) AS CASE x WHEN 'True' THEN true WHEN 'False' THEN false WHEN 'true' THEN true
        WHEN 'false' THEN false ELSE ls_bool_slow(x) END""",
    """ls_bool_slow(x) AS CASE WHEN lower(trim(x)) IN ('true', 't', '1', 'yes', 'y') THEN true
        WHEN lower(trim(x)) IN ('false', 'f', '0', 'no', 'n') THEN false ELSE NULL END""",
    "ls_bad_bool(x) AS (ls_nzn(x) IS NOT NULL AND ls_bool(x) IS NULL)",
    # A timestamp inside the accepted range (see TIME_MIN / TIME_MAX), else NULL: 'infinity',
    # year 55970 (milliseconds read as seconds) or year 1 never reach the canonical tables.
    # A macro argument is substituted wherever it is named, and DuckDB shares a repeated
    # subexpression only outside CASE branches: ``CASE WHEN t >= .. AND t < .. THEN t END``
    # parsed every time three times inside ls_anyts (5 s per 1M ISO times, issue 11).
    # ``list_transform([t], lambda ...)[1]`` evaluates the argument once.
    f"""ls_inrange(t) AS list_transform([t], lambda ls_t: CASE WHEN ls_t >= TIMESTAMP '{TIME_MIN}'
        AND ls_t < TIMESTAMP '{TIME_MAX}' THEN ls_t END)[1]""",
    # microseconds since the epoch (DOUBLE) -> timestamp; NaN/inf/out of range -> NULL
    f"""ls_us_ts(us) AS list_transform([us], lambda ls_u: CASE WHEN ls_u >= {_MIN_US} AND ls_u < {_MAX_US}
        THEN make_timestamp(CAST(round(ls_u) AS BIGINT)) END)[1]""",
    # Unix time (integer or fractional; unit per ls_epoch_us, installed for --time-unit) -> UTC
    # (the number is read once: ls_epoch_us names its argument up to seven times)
    "ls_epoch(x) AS list_transform([try_cast(ls_nz(x) AS DOUBLE)], lambda ls_v: ls_us_ts(ls_epoch_us(ls_v)))[1]",
    # a numeric-looking value (digits, fraction, exponent) or a spelled-out infinity / NaN
    # (a value with a colon is neither: a text time skips the regex)
    """ls_numeric(x) AS CASE WHEN contains(x, ':') THEN false
        ELSE (regexp_matches(trim(x), '^[-+]?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?$')
            OR lower(trim(x)) IN ('inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity', 'nan')) END""",
    # 'YYYY-MM-DD HH:MM[:SS]', ISO 8601 with zone, or a date -> UTC timestamp (session zone is UTC)
    # The cast comes first: it reads both precisions and a failing try_strptime is ~10x slower
    # than a succeeding one (the strptime formats only catch what the cast does not take).
    # The untrimmed cast goes before the trimmed one: trim copies every value.
    # First of all, 'YYYY-MM-DD HH:MM' and 'YYYY-MM-DD HH:MM:SS', with a space or a 'T' and
    # optionally 'Z' (no room for another zone), take the plain TIMESTAMP cast, ~2-4x cheaper
    # than TIMESTAMPTZ and the same instant in UTC; what it does not read falls through.
    """ls_ts_raw(x) AS coalesce(
        CASE WHEN (length(x) = 16 OR x[17] = ':' AND (length(x) = 19 OR length(x) = 20 AND x[20] = 'Z'))
            AND x[14] = ':' AND (x[11] = ' ' OR x[11] = 'T') THEN try_cast(x AS TIMESTAMP) END,
        try_cast(try_cast(x AS TIMESTAMPTZ) AS TIMESTAMP),
        try_cast(try_cast(trim(x) AS TIMESTAMPTZ) AS TIMESTAMP),
        try_strptime(trim(x), '%Y-%m-%d %H:%M:%S'), try_strptime(trim(x), '%Y-%m-%d %H:%M'))""",
    "ls_ts(x) AS ls_inrange(ls_ts_raw(x))",
    # Twitter v1.1 'Tue Jun 11 11:20:35 +0000 2013', else ls_ts. A value starting with a digit
    # cannot start with a weekday name: it skips the failing strptime (1.5 s per 1M values).
    """ls_twts_raw(x) AS CASE WHEN ascii(x) BETWEEN 48 AND 57 THEN ls_ts_raw(x)
        ELSE coalesce(try_cast(try_strptime(trim(x), '%a %b %d %H:%M:%S %z %Y') AS TIMESTAMP),
            ls_ts_raw(x)) END""",
    "ls_twts(x) AS ls_inrange(ls_twts_raw(x))",
    # Unix time when numeric, else text timestamp
    "ls_anyts(x) AS CASE WHEN ls_numeric(x) THEN ls_epoch(x) ELSE ls_twts(x) END",
    # true for a value that reads as a time but lies outside the accepted range or is not
    # finite: the quarantine then says so instead of "malformed"
    """ls_time_oor(x) AS CASE WHEN ls_nz(x) IS NULL THEN false
        WHEN ls_numeric(x) THEN ls_epoch(x) IS NULL
        ELSE ls_twts_raw(x) IS NOT NULL AND ls_twts(x) IS NULL END""",
    # /24 of IPv4, /48 of IPv6. An IPv4 address has no colon, so the colon test comes first and
    # one regexp_extract both validates the IPv4 form and takes its first three octets ('' when
    # it does not match; list_transform reads it once).
    """ls_net(ip) AS CASE
        WHEN contains(ip, ':') THEN array_to_string(ls_v6groups(lower(trim(ip)))[1:3], ':') || '::/48'
        ELSE list_transform([regexp_extract(trim(ip), '^([0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3})\\.[0-9]{1,3}$', 1)],
            lambda ls_g: CASE WHEN ls_g <> '' THEN ls_g || '.0/24' END)[1] END""",
    """ls_v6groups(ip) AS CASE WHEN contains(ip, '::') THEN list_concat(
            list_filter(string_split(split_part(ip, '::', 1), ':'), lambda g: g <> ''),
            list_transform(range(greatest(0, 8
                - len(list_filter(string_split(split_part(ip, '::', 1), ':'), lambda g: g <> ''))
                - len(list_filter(string_split(split_part(ip, '::', 2), ':'), lambda g: g <> '')))), lambda i: '0'),
            list_filter(string_split(split_part(ip, '::', 2), ':'), lambda g: g <> ''))
        ELSE string_split(ip, ':') END""",
    # an IPv4 address, or hex digits, dots and colons with at least one colon: one regex
    """ls_bad_ip(ip) AS (ls_nz(ip) IS NOT NULL AND NOT regexp_full_match(trim(ip),
        '[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*'))""",
]

_ORDER = ["ls_nz", "ls_blank", "ls_nzn", "ls_list_slow", "ls_list", "ls_words", "ls_int", "ls_bad_int",
          "ls_bool_slow", "ls_bool", "ls_bad_bool", "ls_inrange", "ls_us_ts", "ls_epoch_us", "ls_epoch",
          "ls_numeric", "ls_epoch_precision", "ls_ts_raw", "ls_ts", "ls_twts_raw", "ls_twts", "ls_anyts",
          "ls_time_oor", "ls_v6groups", "ls_net", "ls_bad_ip"]

TIME_UNITS = ("auto", "s", "ms", "us", "ns")
# Unix time in microseconds for each unit; ``auto`` picks the unit per value by magnitude:
# below 1e11 seconds (up to year 5138), below 1e14 milliseconds, below 1e17 microseconds,
# else nanoseconds - unambiguous for every time from 1973 to 2099.
_TO_US = {
    "auto": """CASE WHEN abs(v) < 1e11 THEN v * 1e6 WHEN abs(v) < 1e14 THEN v * 1e3
        WHEN abs(v) < 1e17 THEN v ELSE v / 1e3 END""",
    "s": "v * 1e6", "ms": "v * 1e3", "us": "v", "ns": "v / 1e3",
}
_PRECISION = {
    "auto": """CASE WHEN abs(try_cast(x AS DOUBLE)) >= 1e14 THEN 'us'
        WHEN abs(try_cast(x AS DOUBLE)) >= 1e11 THEN 'ms' ELSE ls_epoch_precision_s(x) END""",
    "s": "ls_epoch_precision_s(x)", "ms": "'ms'", "us": "'us'", "ns": "'us'",
}


def install(con: duckdb.DuckDBPyConnection, time_unit: str = "auto") -> None:
    """Create the macros (temporary, so the workspace file stays clean) and set UTC.

    ``time_unit`` is how numeric times are read (``--time-unit``; see ``_TO_US``).
    """
    if time_unit not in TIME_UNITS:
        raise UserError(f"--time-unit {time_unit!r}: expected one of {', '.join(TIME_UNITS)}")
    con.execute("SET TimeZone = 'UTC'")
    by_name = {m.split("(", 1)[0]: m for m in MACROS}
    by_name["ls_epoch_us"] = f"ls_epoch_us(v) AS {_TO_US[time_unit]}"
    by_name["ls_epoch_precision"] = f"ls_epoch_precision(x) AS {_PRECISION[time_unit]}"
    con.execute("CREATE OR REPLACE TEMP MACRO ls_epoch_precision_s(x) AS CASE WHEN contains(x, '.')"
                " AND NOT regexp_matches(x, '\\.0*$') THEN 'us' ELSE 's' END")
    for name in _ORDER:
        con.execute(f"CREATE OR REPLACE TEMP MACRO {by_name[name]}")


def check_interrupt(exc: BaseException) -> None:
    """Re-raise a DuckDB error caused by Ctrl-C as KeyboardInterrupt (exit 130, file rolled
    back), so it is never reported as an unreadable file."""
    if isinstance(exc, duckdb.InterruptException) or (  # (Arrow readers say RuntimeError)
            isinstance(exc, (duckdb.Error, RuntimeError)) and "interrupted" in str(exc).lower()):
        raise KeyboardInterrupt from None


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
