"""Argument helpers shared by the domain strategies (dims, dtype groups).

Each op has a strategy of valid arguments that steers towards the cases where its semantics break
(recording a coverage event for each hard case it produced) and one of invalid arguments (each case
naming the word the error message must contain).
"""

from __future__ import annotations

from hypothesis import strategies as st

from ._arrays import FLOAT_DTYPES, INT_DTYPES
from ._coverage import record

DATA_DTYPES = ("bool",) + INT_DTYPES + FLOAT_DTYPES + ("complex64",)


def _dim(draw, ndim: int) -> int:
    """A valid dim in ``[-n, n)`` (n = max(ndim, 1)), negative half the time."""
    n = max(ndim, 1)
    d = draw(st.integers(-n, n - 1))
    if d < 0:
        record("dim: negative")
    return d


def _out_of_range_dim(draw, n: int) -> int:
    n = max(n, 1)
    return draw(st.one_of(st.integers(n, n + 3), st.integers(-n - 3, -n - 1)))


NUMERIC = INT_DTYPES + FLOAT_DTYPES + ("complex64",)
