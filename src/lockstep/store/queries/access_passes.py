"""The run's passes over the access log (``queries.shared``): each kind's distinct (account,
value) pairs on integer ids, the 99th percentile of accounts per value read off them, and the
empty value's users.

Why on their own: the account signal for widely shared infrastructure, the campaigns' shared
infrastructure and the infrastructure entry all ask of the same pairs, per kind; each pass is
made once per run (inside ``shared.shared_passes``) and kept on integer ids, as the engagement
passes are.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from lockstep.store.queries.base import own_arrow
from lockstep.store.queries.shared import I32, Passes, cached, sorted_codes

_ACCESS_KINDS = ("ip", "network", "device")


class AccessPass(NamedTuple):
    """One access kind's pass: its distinct (account, non-empty value) pairs on integer ids,
    the values in sorted order, and what the same scan says besides."""

    acc: I32  # account id per pair
    val: I32  # value number per pair (position in ``values``)
    values: Any  # Arrow string array, sorted
    blanks: int | None  # accounts using the empty value '' (None: no row has it)
    accounts: I32  # every account id with an access row (any value, NULL and '' included)


def access_pairs(p: Passes, kind: str) -> tuple[I32, I32, Any]:
    """(account id, value number) of every distinct account and non-empty value of access
    ``kind`` (ip, network, device), and the values in sorted order (an Arrow string array:
    position = number)."""
    got = access_pass(p, kind)
    return got.acc, got.val, got.values


def access_pass(p: Passes, kind: str) -> AccessPass:
    """:func:`access_pairs` with the empty value's accounts and every account of the log, from
    the same scan: the distinct (account, value) pairs with the empty and NULL values kept and
    split off in Arrow. Why: a scan of its own for the empty values' accounts and a join of
    every access row with the ids for the log's accounts took 1-2 s each on a 10M-action
    workspace, and each reads what this pass already holds."""
    if kind not in _ACCESS_KINDS:
        raise ValueError(f"access kind must be one of {_ACCESS_KINDS}, not {kind!r}")

    def build(p: Passes) -> AccessPass:
        import pyarrow as pa
        import pyarrow.compute as pc

        # distinct pairs first, account ids looked up in Arrow after: a join of every access
        # row on the id strings took a third longer on a 10M-action workspace
        tbl = own_arrow(p.ws, f"SELECT DISTINCT account_id, {kind} AS val FROM access WHERE account_id IS NOT NULL")
        aid = pc.index_in(tbl.column("account_id"), value_set=p.ids_arrow)  # every access account has an id
        every = np.asarray(aid.to_numpy(zero_copy_only=False), dtype=np.int32)
        val = tbl.column("val").combine_chunks()
        n_blank = int(pc.sum(pc.equal(val, ""), min_count=0).as_py() or 0)  # NULL values: neither
        keep = pc.fill_null(pc.not_equal(val, ""), False)
        values, codes = sorted_codes(pa.chunked_array([val.filter(keep)], pa.string()))
        return AccessPass(every[np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)], codes.astype(np.int32),
                          values, n_blank if n_blank else None, np.unique(every))
    out: AccessPass = cached(p, ("access_pass", kind), build)
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

        con = p.ws.con.cursor()
        try:
            if access_null_account(p):
                row = con.execute(f"""SELECT quantile_cont(n_acc, 0.99) FROM (
                    SELECT {kind}, count(DISTINCT account_id) AS n_acc FROM access WHERE {kind} IS NOT NULL
                    GROUP BY 1)""").fetchall()
            else:
                got = access_pass(p, kind)
                n_acc = np.bincount(got.val, minlength=len(got.values)).astype(np.int64)  # each value has an account
                if got.blanks is not None:
                    n_acc = np.append(n_acc, np.int64(got.blanks))
                con.register("_ls_n_acc", pa.table({"n_acc": n_acc}))
                row = con.execute("SELECT quantile_cont(n_acc, 0.99) FROM _ls_n_acc").fetchall()
        finally:
            con.close()
        return None if not row or row[0][0] is None else float(row[0][0])
    out: float | None = cached(p, ("access_quantile", kind), build)
    return out


def access_null_account(p: Passes) -> bool:
    """Whether some access row has no account (then a value may have no account, and the
    percentile is counted off the log itself); once per run."""
    def build(p: Passes) -> bool:
        return bool(own_arrow(p.ws, "SELECT 1 FROM access WHERE account_id IS NULL LIMIT 1").num_rows)
    out: bool = cached(p, "access_null_account", build)
    return out


def access_blanks(p: Passes) -> dict[str, int] | None:
    """Per access kind with an empty value ('') in the log: the accounts using it; ``None``
    when some access row has no account. Off each kind's pass (:func:`access_pass`)."""
    if access_null_account(p):
        return None
    got = {k: access_pass(p, k).blanks for k in _ACCESS_KINDS}
    return {k: n for k, n in got.items() if n is not None}
