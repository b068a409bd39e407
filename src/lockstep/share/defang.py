"""Defang indicators for publication and refang them for matching, in one place.

Why: Meta's threat-research files (and most analyst reports) write ``example[.]com`` and
``hxxps://`` so that no reader, mail client or spreadsheet turns an operation's domain into a
live link. Our CSV writer defangs the way Meta does (``[.]`` in the host only, the scheme kept:
``https://twitter[.]com/name``); every reader refangs every form we have seen in the wild:
``[.]``, ``(.)``, ``{.}``, ``[dot]``, ``(dot)``, `` dot ``, ``hxxp``, ``hXXp``, ``[:]``, ``[://]``,
``[@]`` / ``[at]``, and full-width dots.
"""

from __future__ import annotations

import re

_DOT_FORMS = re.compile(r"\s*(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[\s*\.\s*\])\s*", re.IGNORECASE)
_SPACED_DOT = re.compile(r"(?<=\w) dot (?=\w)", re.IGNORECASE)
_AT_FORMS = re.compile(r"\s*(?:\[@\]|\(@\)|\[at\]|\(at\))\s*", re.IGNORECASE)
_SCHEME = re.compile(r"^\s*h(?:xx|XX|Xx|xX|\*\*|tt)p(s?)(?:\[:\]|\(:\)|:)?(?:\[://\]|//|\[/\]\[/\])", re.IGNORECASE)
_COLON_FORMS = re.compile(r"\[:\]|\(:\)|\[://\]")
_FULLWIDTH_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_HOST = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*://)?(?P<host>[^/?#\s]+)(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)


def refang(value: str) -> str:
    """The live form of a defanged domain, URL or e-mail address (unchanged when not defanged)."""
    v = value.strip().translate(_FULLWIDTH_DOTS)
    m = _SCHEME.match(v)
    if m:
        v = f"http{m.group(1).lower()}://" + v[m.end():]
    v = _COLON_FORMS.sub(lambda mm: "://" if "//" in mm.group(0) else ":", v)
    v = _DOT_FORMS.sub(".", v)
    v = _SPACED_DOT.sub(".", v)
    v = _AT_FORMS.sub("@", v)
    return v


def is_defanged(value: str) -> bool:
    """True when ``value`` carries any defanging mark."""
    return refang(value) != value.strip()


def defang(value: str) -> str:
    """Meta's style: every dot of the host becomes ``[.]``; scheme, path and query stay.

    ``example.com`` -> ``example[.]com``; ``https://twitter.com/a.b`` -> ``https://twitter[.]com/a.b``.
    Defanging an already defanged value gives the same text (refang first)."""
    v = refang(value)
    m = _HOST.match(v)
    if not m:
        return v
    return (m.group("scheme") or "") + m.group("host").replace(".", "[.]") + m.group("rest")
