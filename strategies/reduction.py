"""Reductions: sum, mean.

Each op has a strategy of valid arguments that steers towards the cases where its semantics break
(recording a coverage event for each hard case it produced) and one of invalid arguments (each case
naming the word the error message must contain).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, arrays, dtypes, elements, shapes
from ._case import Case
from ._coverage import record

__all__ = ["reduction_args", "reduction_invalid"]


@st.composite
def reduction_args(draw, op: str = "sum") -> Case:
    """dim None, an int, or a tuple (negatives mixed in, empty tuple = all dims); keepdim either way."""
    names = ALL_DTYPES if op == "sum" else FLOAT_DTYPES + ("complex64",)
    dt = draw(dtypes(names))
    elems = elements(dt, specials=True, small=True)
    if draw(st.integers(0, 5)) == 0:  # a permuted 3-d input, so the kept dims' order is not the result's
        x = draw(arrays(dt, shapes(3, 3, 2, 3), elements_strategy=elems, layouts=("transposed",)))
    else:
        x = draw(arrays(dt, shapes(max_dims=3), elements_strategy=elems))
    n = max(x.ndim, 1)
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    keepdim = draw(st.booleans())
    if kind == "none":
        return Case((x,))
    if kind == "int":
        dim = draw(st.integers(-n, n - 1))
    else:
        picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
        dim = tuple(d - n if draw(st.booleans()) else d for d in picked)
        if not dim:
            record(f"{op}: empty dim tuple (all dims)")
    if keepdim:
        record(f"{op}: keepdim")
    return Case((x, dim), {"keepdim": keepdim})


@st.composite
def reduction_invalid(draw, op: str = "sum") -> Case:
    """A dim out of range, a repeated dim; for mean, an integer input."""
    defects = ["range", "duplicate", "keepdim"] + (["int"] if op == "mean" else [])
    defect = draw(st.sampled_from(defects))
    record(f"{op} invalid: {defect}")
    if defect == "keepdim":  # keepdim must be a bool (and needs dim)
        x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3)))
        return Case((x, 0), {"keepdim": draw(st.sampled_from([None, 0, "yes"]))}, expect="keepdim")
    if defect == "int":
        x = draw(arrays(dtypes(INT_DTYPES + ("bool",)), shapes(max_dims=2)))
        return Case((x,), expect="dtype")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3)))
    n = x.ndim
    if defect == "range":
        return Case((x, draw(st.sampled_from([n, -n - 1, n + 2]))), expect="dimension")
    d = draw(st.integers(0, n - 1))
    return Case((x, (d, d - n)), expect="dim")
