"""What makes two URLs, domains, texts or hashtag lists "the same item": one table of rules.

Why rules as data: every engine must normalise exactly alike, or the same data gives
different edges on different engines. Each normaliser below is a short list of steps
(lower-case, trim spaces, regex replace, regex extract) written once, with RE2 patterns (the
dialect of DuckDB and of Spark's ``regexp_replace`` via Java is close; RE2 is the stricter).
:func:`to_sql` renders the steps as nested SQL calls for a DuckDB-like dialect, and
:func:`apply` runs them in Python for the reference engine, translating the few RE2 constructs
whose Python meaning differs (``\\s``/``\\S`` are ASCII in RE2, ``$`` is end of text,
``\\p{P}``/``\\p{S}`` and ``\\x{..}`` do not exist in :mod:`re`). The translation is tested
against DuckDB on generated strings (tests/engine/test_normalise.py).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Lower:
    """Lower-case, character by character (SQL ``lower``: no final-sigma rule)."""


@dataclass(frozen=True)
class Trim:
    """Strip space separators (Unicode category Zs, as DuckDB's ``trim``; not tabs or
    newlines) at both ends."""


@dataclass(frozen=True)
class Replace:
    """Regex replace: the first match, or every match (``everywhere``)."""

    pattern: str
    repl: str
    everywhere: bool = False
    ignore_case: bool = False
    #: literals of which a match always contains one: SQL runs the regex only on values that
    #: hold one (most texts have no URL or mention; a regexp_replace copies every value). The
    #: Python rendering ignores it, so the agreement tests check that it is right.
    needs: tuple[str, ...] = ()
    #: the same for a pattern anchored at the start (``^``) or end (``$``): a match needs the
    #: value to start (``starts``) or end (``ends``) with one of these. Cheaper than ``needs``
    #: where the literal is common anywhere (every URL holds a '/', few end with one).
    starts: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extract:
    """Regex extract: capture group ``group`` of the first match, '' when none."""

    pattern: str
    group: int = 1


@dataclass(frozen=True)
class LtrimChars:
    """Strip these characters at the start (SQL ``ltrim(x, chars)``)."""

    chars: str


Step = Union[Lower, Trim, Replace, Extract, LtrimChars]

# Python's str.split() whitespace, which the toolkit's text normalisation relies on.
_WS_NOT_SPACE = (r"\t\n\f\r\x{0b}\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
                 r"\x{202f}\x{205f}\x{3000}")
WHITESPACE = r"[ " + _WS_NOT_SPACE + r"]+"


def _runs(chars: str) -> str:
    """A pattern for the runs of ``chars`` (a class body holding the space) that are not a
    single space: replacing them by one space gives what replacing every run does, with one
    match per change instead of one per word gap (every match restarts the regex; the
    whitespace step was the costliest of the text key at 10M texts)."""
    return f" [{chars}]+|[{chars.replace(' ', '', 1)}][{chars}]*"

# Tracking parameters that never change what a link points at.
TRACKING = r"(utm_[a-z0-9_]*|fbclid|gclid|igshid|mc_cid|mc_eid|ref_src|ref_url|si|s|t|feature)"
_SCHEME = Replace(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", needs=("://",))

#: lower-cased host without scheme, credentials, port or ``www.``/``m.``
URL_HOST: tuple[Step, ...] = (
    Trim(), _SCHEME, Extract(r"^([^/?#]*)"), Lower(), Replace(r"^.*@", "", needs=("@",)),
    Replace(r":(80|443)$", "", ends=(":80", ":443")),
    Replace(r"^(www[0-9]*|m|mobile)\.", "", starts=("www", "m.", "mobile.")))
#: path + query of a URL without tracking parameters, fragment or trailing slash; the path keeps
#: its case (short-link codes such as bit.ly/AbC are case-sensitive). A URL's key is host + tail.
URL_TAIL: tuple[Step, ...] = (
    Trim(), _SCHEME, Extract(r"^[^/?#]*(.*)$"), Replace(r"#.*$", "", needs=("#",)),
    Replace(r"([?&])" + TRACKING + r"=[^&]*", r"\1", everywhere=True, ignore_case=True, needs=("=",)),
    Replace(r"[?&]+$", "", ends=("?", "&")), Replace(r"\?&+", "?", needs=("?&",)),
    Replace(r"&&+", "&", everywhere=True, needs=("&&",)), Replace(r"/+$", "", ends=("/",)))
#: lockstep's text key: lower case, no URLs, mentions, RT prefix, punctuation or repeated
#: whitespace; any script (CJK text keeps its characters)
TEXT: tuple[Step, ...] = (
    Lower(), Replace(r"(https?://|www\.)\S+", " ", everywhere=True, needs=("http", "www.")),
    Replace(r"^rt\s+@\S+:?", " ", needs=("@",), starts=("rt",)),
    Replace(r"@\S+", " ", everywhere=True, needs=("@",)),
    # Punctuation/symbol runs to a space, then whitespace runs to one space, as one pass: a
    # run of either becomes one space (the classes are disjoint; tests/engine/test_normalise.py)
    Replace(_runs(r" \p{P}\p{S}" + _WS_NOT_SPACE), " ", everywhere=True), Trim())
#: coordination-network-toolkit's co_tweet key: lower case, ``@\S*`` removed, whitespace runs
#: collapsed to one space (Python ``" ".join(s.split())``)
TEXT_CNT: tuple[Step, ...] = (
    Lower(), Replace(r"@\S*", "", everywhere=True, needs=("@",)),
    Replace(_runs(" " + _WS_NOT_SPACE), " ", everywhere=True), Trim())
#: one hashtag of a sequence: lower case without leading '#'; a sequence joins them with ' '
HASHTAG: tuple[Step, ...] = (LtrimChars("#"), Lower())


# -- SQL ----------------------------------------------------------------------------------
def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def step_sql(st: Step, col: str) -> str:
    """One step as SQL on ``col`` (a column or a bound name: a conditional step reads it twice)."""
    if isinstance(st, Lower):
        return f"lower({col})"
    if isinstance(st, Trim):
        return f"trim({col})"
    if isinstance(st, LtrimChars):
        return f"ltrim({col}, {_lit(st.chars)})"
    if isinstance(st, Extract):
        return f"regexp_extract({col}, {_lit(st.pattern)}, {st.group})"
    opts = ("g" if st.everywhere else "") + ("i" if st.ignore_case else "")
    call = f"regexp_replace({col}, {_lit(st.pattern)}, {_lit(st.repl)}{f', {_lit(opts)}' if opts else ''})"
    tests = [" OR ".join(f"{fn}({col}, {_lit(n)})" for n in lits) for fn, lits in
             (("contains", st.needs), ("starts_with", st.starts), ("ends_with", st.ends)) if lits]
    return f"CASE WHEN {' AND '.join(f'({t})' for t in tests)} THEN {call} ELSE {col} END" if tests else call


def _conditional(st: Step) -> bool:
    return isinstance(st, Replace) and bool(st.needs or st.starts or st.ends)


def to_sql(steps: tuple[Step, ...], expr: str) -> str:
    """The steps as nested SQL calls on ``expr`` (DuckDB's regexp_replace/extract)."""
    for st in steps:
        if _conditional(st):  # a lambda binds the value once (DuckDB repeats a subexpression inside CASE)
            expr = f"list_transform([{expr}], lambda _nz: {step_sql(st, '_nz')})[1]"
        else:
            expr = step_sql(st, expr)
    return expr


def layers_sql(steps: tuple[Step, ...], col: str, rows: str) -> str:
    """``rows`` (a FROM item) with column ``col`` run through the steps, one projection per
    conditional step: the same values as :func:`to_sql`, without its one-element lists (a
    list and a lambda per row and step were a third of the URL key's time)."""
    expr = col
    for st in steps:
        if _conditional(st) and expr != col:  # its test and its value read the value: bind it
            rows, expr = f"(SELECT * REPLACE ({expr} AS {col}) FROM {rows})", col
        expr = step_sql(st, expr)
    return rows if expr == col else f"(SELECT * REPLACE ({expr} AS {col}) FROM {rows})"


# -- Python -------------------------------------------------------------------------------
_SPACES = " \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"


@functools.lru_cache(maxsize=None)
def _category_class(prefixes: str) -> str:
    """A regex character class body of every code point whose Unicode category starts with
    one of ``prefixes`` (Python's :mod:`re` has no ``\\p{..}``)."""
    out: list[str] = []
    start = prev = -2
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp))[0] in prefixes:
            if cp != prev + 1:
                if start >= 0:
                    out.append(_range(start, prev))
                start = cp
            prev = cp
    if start >= 0:
        out.append(_range(start, prev))
    return "".join(out)


def _range(a: int, b: int) -> str:
    return re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"


def _python_pattern(pattern: str) -> str:
    """RE2 -> Python :mod:`re`, for the constructs the rules use."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            n = pattern[i + 1]
            if n == "x" and pattern[i + 2:i + 3] == "{":
                end = pattern.index("}", i)
                out.append(f"\\U{int(pattern[i + 3:end], 16):08x}")
                i = end + 1
                continue
            if n == "p" and pattern[i + 2:i + 3] == "{":
                end = pattern.index("}", i)
                out.append(_category_class(pattern[i + 3:end]))
                i = end + 1
                continue
            # RE2's Perl classes are ASCII: \s is [\t\n\f\r ], without \v
            out.append({"s": r"\t\n\f\r ", "S": r"^\t\n\f\r "}.get(n, c + n))
            if n in "sS" and not _inside_class(pattern, i):
                out[-1] = "[" + out[-1] + "]"
            i += 2
            continue
        out.append(r"\Z" if c == "$" and not _inside_class(pattern, i) else c)
        i += 1
    return "".join(out)


def _inside_class(pattern: str, pos: int) -> bool:
    """Whether ``pos`` is inside a ``[...]`` of ``pattern`` (no nested classes in the rules)."""
    depth, i = False, 0
    while i < pos:
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "[" and not depth:
            depth = True
        elif pattern[i] == "]" and depth:
            depth = False
        i += 1
    return depth


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(_python_pattern(pattern), re.IGNORECASE if ignore_case else 0)


def _lower(s: str) -> str:
    return "".join(c.lower()[0] if c.lower() else c for c in s)


def apply(steps: tuple[Step, ...], value: str | None) -> str | None:
    """The steps run on one value in Python (None stays None), as :func:`to_sql` does in SQL."""
    if value is None:
        return None
    s = value
    for st in steps:
        if isinstance(st, Lower):
            s = _lower(s)
        elif isinstance(st, Trim):
            s = s.strip(_SPACES)
        elif isinstance(st, LtrimChars):
            s = s.lstrip(st.chars)
        elif isinstance(st, Extract):
            m = _compiled(st.pattern, False).search(s)
            s = (m.group(st.group) or "") if m else ""
        else:
            s = _compiled(st.pattern, st.ignore_case).sub(st.repl, s, count=0 if st.everywhere else 1)
    return s


def url_key(u: str | None) -> str | None:
    """A URL's item key: host + tail."""
    host, tail = apply(URL_HOST, u), apply(URL_TAIL, u)
    return None if host is None or tail is None else host + tail


def hashtag_sequence(tags: Sequence[str | None] | None) -> str | None:
    """The ordered, normalised hashtags as one string (missing entries skipped)."""
    if tags is None:
        return None
    return " ".join(x for x in (apply(HASHTAG, t) for t in tags) if x is not None)
