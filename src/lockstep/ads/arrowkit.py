"""Arrow arrays built straight from numpy buffers.

Why: ``pa.array`` and ``pa.scalar`` look for pandas objects first, which imports pandas
(about a second) wherever it is installed; the scan builds its index and mask arrays from
buffers instead, so its speed does not depend on what else the environment holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa


def indices(values: np.ndarray[Any, Any]) -> pa.Array:
    """An int64 Arrow array of ``values`` (row positions for ``take``)."""
    v = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(v), [None, pa.py_buffer(v)])


def mask(values: np.ndarray[Any, Any]) -> pa.Array:
    """A boolean Arrow array of a numpy bool array (for ``filter``)."""
    v = np.asarray(values, dtype=bool)
    bits = np.packbits(v, bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(v), [None, pa.py_buffer(bits)])


def strings(values: Sequence[str]) -> pa.Array:
    """A utf8 Arrow array of Python strings."""
    data = [s.encode("utf-8") for s in values]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in data], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(data), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])


def to_numpy(arr: pa.Array) -> np.ndarray[Any, Any]:
    """A numpy view of a primitive Arrow array without nulls (``Array.to_numpy`` imports pandas)."""
    if arr.null_count:
        raise ValueError("to_numpy: array has nulls")
    dtype = np.dtype(str(arr.type))
    buf = arr.buffers()[1]
    if buf is None:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(buf, dtype=dtype, count=len(arr), offset=arr.offset * dtype.itemsize)
