"""The run's passes over the access log (``queries.shared``): each kind's distinct (account,
value) pairs on integer ids, the 99th percentile of accounts per value read off them, and the
empty value's users.

Why on their own: the account signal for widely shared infrastructure, the campaigns' shared
infrastructure and the infrastructure entry all ask of the same pairs, per kind; each pass is
made once per run (inside ``shared.shared_passes``) and kept on integer ids, as the engagement
passes are.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lockstep.store.queries.base import own_arrow
from lockstep.store.queries.shared import I32, Passes, cached, sorted_codes

_ACCESS_KINDS = ("ip", "network", "device")


def access_pairs(p: Passes, kind: str) -> tuple[I32, I32, Any]:
    """(account id, value number) of every distinct account and non-empty value of access
    ``kind`` (ip, network, device), and the values in sorted order (an Arrow string array:
    position = number)."""
    if kind not in _ACCESS_KINDS:
        raise ValueError(f"access kind must be one of {_ACCESS_KINDS}, not {kind!r}")

    def build(p: Passes) -> tuple[I32, I32, Any]:
        import pyarrow.compute as pc

        # distinct pairs first, account ids looked up in Arrow after: a join of every access
        # row on the id strings took a third longer on a 10M-action workspace
        tbl = own_arrow(p.ws, f"""SELECT DISTINCT account_id, {kind} AS val FROM access
                                  WHERE account_id IS NOT NULL AND {kind} IS NOT NULL AND {kind} <> ''""")
        aid = pc.index_in(tbl.column("account_id"), value_set=p.ids_arrow)  # every access account has an id
        values, codes = sorted_codes(tbl.column("val"))
        return (np.asarray(aid.to_numpy(zero_copy_only=False), dtype=np.int32), codes.astype(np.int32), values)
    out: tuple[I32, I32, Any] = cached(p, ("access_pairs", kind), build)
    return out


def access_users_quantile(p: Passes, kind: str) -> float | None:
    """The 99th percentile (``quantile_cont``) of accounts per value of access ``kind``, the
    empty value included, as the infrastructure queries define it.

    Read off the run's (account, value) pairs (:func:`access_pairs`, which the roles stage
    makes anyway) and the empty value's accounts (:func:`access_blanks`), with DuckDB's own
    ``quantile_cont`` over those counts: a count of distinct accounts per value over the
    whole access log, per kind, took seconds on a 10M-action workspace. When an access row
    has no account, a value may have none: then the log itself is counted, as before."""
    if kind not in _ACCESS_KINDS:
        raise ValueError(f"access kind must be one of {_ACCESS_KINDS}, not {kind!r}")

    def build(p: Passes) -> float | None:
        import pyarrow as pa

        blanks = access_blanks(p)
        con = p.ws.con.cursor()
        try:
            if blanks is None:
                row = con.execute(f"""SELECT quantile_cont(n_acc, 0.99) FROM (
                    SELECT {kind}, count(DISTINCT account_id) AS n_acc FROM access WHERE {kind} IS NOT NULL
                    GROUP BY 1)""").fetchall()
            else:
                _, val, values = access_pairs(p, kind)
                n_acc = np.bincount(val, minlength=len(values)).astype(np.int64)  # each value has an account
                if kind in blanks:
                    n_acc = np.append(n_acc, np.int64(blanks[kind]))
                con.register("_ls_n_acc", pa.table({"n_acc": n_acc}))
                row = con.execute("SELECT quantile_cont(n_acc, 0.99) FROM _ls_n_acc").fetchall()
        finally:
            con.close()
        return None if not row or row[0][0] is None else float(row[0][0])
    out: float | None = cached(p, ("access_quantile", kind), build)
    return out


def access_blanks(p: Passes) -> dict[str, int] | None:
    """Per access kind with an empty value ('') in the log: the accounts using it; ``None``
    when some access row has no account (one scan of the log, once per run)."""
    def build(p: Passes) -> dict[str, int] | None:
        cols = ", ".join(f"bool_or({k} = ''), count(DISTINCT account_id) FILTER (WHERE {k} = '')"
                         for k in _ACCESS_KINDS)
        con = p.ws.con.cursor()
        try:
            row = con.execute(f"SELECT bool_or(account_id IS NULL), {cols} FROM access").fetchall()[0]
        finally:
            con.close()
        if row[0]:
            return None
        return {k: int(row[2 + 2 * i]) for i, k in enumerate(_ACCESS_KINDS) if row[1 + 2 * i]}
    out: dict[str, int] | None = cached(p, "access_blanks", build)
    return out
