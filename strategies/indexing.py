"""Indexing and selection: gather.

Each op has a strategy of valid arguments that steers towards the cases where its semantics break
(recording a coverage event for each hard case it produced) and one of invalid arguments (each case
naming the word the error message must contain).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import arrays, dtypes, shapes
from ._case import Case
from ._common import DATA_DTYPES, _dim, _out_of_range_dim
from ._coverage import record

__all__ = ["index_select_args", "index_select_invalid", "gather_args", "gather_invalid"]


@st.composite
def gather_args(draw, dtype_names=DATA_DTYPES) -> Case:
    """``(input, dim, index)``: index smaller than input in other dims, any length along ``dim``,
    duplicate indices, empty index, 0-d input/index, int32 or int64 index, non-contiguous operands."""
    x = draw(arrays(dtypes(dtype_names), shapes(max_dims=4, max_side=4)))
    dim = _dim(draw, x.ndim)
    n = max(x.ndim, 1)
    xs = x.shape if x.ndim else (1,)
    d = dim % n
    idx_shape = []
    for k in range(n):
        if k == d:
            idx_shape.append(draw(st.integers(0, xs[k] + 3)))
        else:
            idx_shape.append(draw(st.integers(0, xs[k])))
    if xs[d] == 0:
        idx_shape[draw(st.integers(0, n - 1))] = 0  # every index would be out of bounds: only empty is valid
    zero_d_index = x.ndim <= 1 and idx_shape == [1] and draw(st.booleans())
    if zero_d_index:
        idx_shape = []
    idx_dtype = draw(st.sampled_from([np.int64, np.int64, np.int32]))
    hi = max(xs[d] - 1, 0)
    index = draw(arrays(np.dtype(idx_dtype), tuple(idx_shape), elements_strategy=st.integers(0, hi)))
    # coverage
    if x.ndim == 0:
        record("gather: 0-d input")
    if index.ndim == 0:
        record("gather: 0-d index")
    if index.size == 0:
        record("gather: empty index")
    if any(idx_shape[k] < xs[k] for k in range(len(idx_shape)) if k != d):
        record("gather: index smaller than input")
    if idx_shape and idx_shape[d] > xs[d]:
        record("gather: index longer along dim")
    if index.size and _has_duplicates_along(index, d):
        record("gather: duplicate indices")
    if idx_dtype == np.int32:
        record("gather: int32 index")
    return Case((x, dim, index))


def _has_duplicates_along(index: np.ndarray, d: int) -> bool:
    if index.ndim == 0:
        return False
    moved = np.moveaxis(index, d, -1).reshape(-1, index.shape[d])
    return any(len(set(row.tolist())) < len(row) for row in moved)


@st.composite
def gather_invalid(draw) -> Case:
    """One defect each: dim out of range, index out of bounds (incl. negative), rank mismatch,
    index too large in another dim, wrong index dtype, index not a tensor."""
    x = draw(arrays(dtypes(("float32", "int64")), shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    defect = draw(st.sampled_from(["dim", "bounds", "rank", "size", "dtype", "type"]))
    d = _dim(draw, x.ndim) % x.ndim
    index_shape = [1] * x.ndim
    index = np.zeros(index_shape, dtype=np.int64)
    dim = d
    expect = "index"
    if defect == "dim":
        dim = _out_of_range_dim(draw, x.ndim)
        expect = "dimension"
    elif defect == "bounds":
        v = draw(st.one_of(st.integers(x.shape[d], x.shape[d] + 5), st.integers(-5, -1)))
        index = np.full(index_shape, v, dtype=np.int64)
        expect = "out of bounds"
    elif defect == "rank":
        extra = draw(st.sampled_from([-1, 1])) if x.ndim > 1 else 1
        index = np.zeros([1] * (x.ndim + extra), dtype=np.int64)
        expect = "dimensions"
    elif defect == "size":
        others = [k for k in range(x.ndim) if k != d]
        if not others:
            dim = _out_of_range_dim(draw, x.ndim)
            expect = "dimension"
        else:
            k = draw(st.sampled_from(others))
            index_shape[k] = x.shape[k] + draw(st.integers(1, 3))
            index = np.zeros(index_shape, dtype=np.int64)
            expect = "size"
    elif defect == "dtype":
        index = index.astype(draw(st.sampled_from([np.float32, np.int16, np.uint8, np.bool_])))
        expect = "dtype"
    else:
        return Case((x, dim, [0]), expect="index")
    record(f"gather invalid: {defect}")
    return Case((x, dim, index), expect=expect)


# -- index_select -----------------------------------------------------------------------


@st.composite
def index_select_args(draw, dtype_names=DATA_DTYPES) -> Case:
    """``(input, dim, index)``: a vector (or 0-d) int64/int32 index of any length, with repeats and
    any order, possibly empty or longer than ``input`` along ``dim``; 0-d and empty inputs."""
    x = draw(arrays(dtypes(dtype_names), shapes(max_dims=3)))
    dim = _dim(draw, x.ndim)
    n = x.shape[dim] if x.ndim else 1
    length = 1 if x.ndim == 0 else (draw(st.integers(0, n + 3)) if n else 0)
    idx_dtype = np.dtype(draw(st.sampled_from(["int64", "int64", "int32"])))
    index = draw(arrays(idx_dtype, (length,), elements_strategy=st.integers(0, max(n - 1, 0))))
    if length == 1 and draw(st.booleans()):
        index = index.reshape(())
        record("index_select: 0-d index")
    if x.ndim == 0:
        record("index_select: 0-d input")
    if index.size == 0:
        record("index_select: empty index")
    if index.size > len(set(index.reshape(-1).tolist())):
        record("index_select: repeated positions")
    if index.size > 1 and np.any(np.diff(index.reshape(-1)) < 0):
        record("index_select: positions out of order")
    if x.ndim and index.size > n:
        record("index_select: longer than input along dim")
    if idx_dtype == np.int32:
        record("index_select: int32 index")
    return Case((x, dim, index))


@st.composite
def index_select_invalid(draw) -> Case:
    """One defect each: dim out of range, a position out of range along dim 0 (where torch's error
    class is fixed), an index with 2 dims, a non-integer index, several positions for a 0-d input,
    an index that is not a tensor."""
    defect = draw(st.sampled_from(["dim", "bounds", "matrix", "dtype", "scalar", "type"]))
    record(f"index_select invalid: {defect}")
    x = draw(arrays(dtypes(("float32", "int64")), shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    index = np.zeros(1, dtype=np.int64)
    if defect == "dim":
        return Case((x, _out_of_range_dim(draw, x.ndim), index), expect="dimension")
    if defect == "bounds":
        v = draw(st.one_of(st.integers(x.shape[0], x.shape[0] + 5), st.integers(-5, -1)))
        return Case((x, 0, np.full(draw(st.integers(1, 3)), v, dtype=np.int64)), expect="out of range")
    if defect == "matrix":
        return Case((x, 0, np.zeros((1, 1), dtype=np.int64)), expect="vector")
    if defect == "dtype":
        bad = draw(st.sampled_from([np.float32, np.int16, np.uint8, np.bool_]))
        return Case((x, 0, index.astype(bad)), expect="dtype")
    if defect == "scalar":
        return Case((np.asarray(1.5, dtype=np.float32), 0, np.zeros(2, dtype=np.int64)), expect="scalar")
    return Case((x, 0, [0]), expect="index")
