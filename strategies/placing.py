"""Placing values at indices: index_add, scatter (a tensor or a number), scatter_add.

Valid strategies reach repeated positions (accumulated, or the last write kept), an index smaller
than ``src`` and than the input off ``dim``, int32 indices, empty indices, 0-d inputs and ``alpha``;
invalid ones make one defect at a time (positions out of bounds -- negative ones are not wrapped --,
index dtype and rank, size and dtype mismatches).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import ALL_DTYPES, arrays, dtypes, shapes
from ._case import Case
from ._common import _dim
from ._coverage import record

__all__ = [
    "index_add_args",
    "index_add_invalid",
    "scatter_args",
    "scatter_invalid",
    "scatter_add_args",
    "scatter_add_invalid",
]

#: values small enough that sums of a few stay exact in every dtype (float16 included)
_SMALL = {"b": st.booleans(), "i": st.integers(-8, 8), "u": st.integers(0, 8)}


def _values(draw, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    kind = dtype.kind
    elements = _SMALL.get(kind, st.integers(-8, 8).map(float))
    if kind == "c":
        elements = st.builds(complex, st.integers(-4, 4), st.integers(-4, 4))
    return draw(arrays(dtype, shape, elements_strategy=elements.map(dtype.type)))


def _positions(draw, n: int, shape: tuple[int, ...], op: str) -> np.ndarray:
    dtype = np.dtype(draw(st.sampled_from(["int64", "int64", "int32"])))
    index = draw(arrays(dtype, shape, elements_strategy=st.integers(0, max(n - 1, 0))))
    if dtype == np.int32:
        record(f"{op}: an int32 index")
    if index.size > 1 and len(np.unique(index)) < index.size:
        record(f"{op}: repeated positions")
    if index.size == 0:
        record(f"{op}: an empty index")
    return index


@st.composite
def index_add_args(draw) -> Case:
    """``(input, dim, index, source)`` with ``alpha`` now and then: a 1-d index (repeats accumulate) or
    a 0-d one, ``source`` with one slice per position and ``input``'s dtype."""
    dtype = draw(dtypes(ALL_DTYPES))
    x = _values(draw, dtype, draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    d = _dim(draw, x.ndim)
    k = draw(st.integers(0, 4))
    index = _positions(draw, x.shape[d % x.ndim], (k,), "index_add")
    if k == 1 and draw(st.booleans()):
        index = index.reshape(())
        record("index_add: a 0-d index")
    source_shape = list(x.shape)
    source_shape[d % x.ndim] = k
    source = _values(draw, dtype, tuple(source_shape))
    kwargs = {}
    if dtype.kind != "b" and draw(st.booleans()):
        kwargs["alpha"] = draw(st.sampled_from([2, -1, 0]) if dtype.kind in "iu" else st.sampled_from([2, -1, 0.5]))
        if dtype.kind == "u":
            kwargs["alpha"] = 2
        record("index_add: alpha scales the source")
    return Case((x, d, index, source), kwargs)


@st.composite
def index_add_invalid(draw) -> Case:
    """A position out of bounds (negative too), an index that is not int64/int32 or is 2-d, a count, shape
    or dtype mismatch."""
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=2, max_dims=2, min_side=2, max_side=3)))
    n = x.shape[0]
    source = np.ones((2, x.shape[1]), np.float32)
    index = np.array([0, 1])
    defect = draw(st.sampled_from(["bounds", "index dtype", "index dims", "count", "shape", "dtype"]))
    record(f"index_add invalid: {defect}")
    if defect == "bounds":
        return Case((x, 0, np.array([0, draw(st.sampled_from([n, -1]))]), source), expect="out of bounds", kind="value")
    if defect == "index dtype":
        return Case((x, 0, index.astype(np.int16), source), expect="int32/int64")
    if defect == "index dims":
        return Case((x, 0, index[None], source), expect="vector")
    if defect == "count":
        return Case((x, 0, index[:1], source), expect="Number of indices")
    if defect == "shape":
        return Case((x, 0, index, np.ones((2, x.shape[1] + 1), np.float32)), expect="source tensor shape")
    return Case((x, 0, index, source.astype(np.float64)), expect="same scalar type")


def _scatter_case(draw, op: str, number: bool) -> Case:
    dtype = draw(dtypes(ALL_DTYPES))
    x = _values(draw, dtype, draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    d = _dim(draw, x.ndim)
    # the index: any size along dim, no larger than the input elsewhere; src at least the index's size
    shape = [draw(st.integers(0, 4)) if k == d % x.ndim else draw(st.integers(0, n)) for k, n in enumerate(x.shape)]
    index = _positions(draw, x.shape[d % x.ndim], tuple(shape), op)
    src_shape = tuple(n + draw(st.sampled_from([0, 0, 1])) for n in shape)
    if src_shape != tuple(shape):
        record(f"{op}: src larger than the index (its leading block is read)")
    if any(n < m for k, (n, m) in enumerate(zip(shape, x.shape, strict=True)) if k != d % x.ndim):
        record(f"{op}: an index smaller than the input off dim")
    if number and draw(st.integers(0, 2)) == 0:
        record("scatter: a number written")
        value = draw(_SMALL.get(dtype.kind, st.integers(-8, 8).map(float)) if dtype.kind != "c" else st.just(1 + 1j))
        if draw(st.booleans()):
            return Case((x, d, index), {"value": value})
        return Case((x, d, index, value))
    return Case((x, d, index, _values(draw, dtype, src_shape)))


@st.composite
def scatter_args(draw) -> Case:
    """``(input, dim, index, src)`` or a number (positional or ``value=``): repeated positions (the last
    write wins), an index smaller than ``src`` and than the input off ``dim``, empty and int32 indices."""
    return _scatter_case(draw, "scatter", number=True)


@st.composite
def scatter_add_args(draw) -> Case:
    """``(input, dim, index, src)``: as scatter's, repeated positions accumulating."""
    return _scatter_case(draw, "scatter_add", number=False)


def _scatter_invalid(draw, op: str) -> Case:
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=2, max_dims=2, min_side=2, max_side=3)))
    index = np.zeros(x.shape, np.int64)
    src = np.ones(x.shape, np.float32)
    defect = draw(st.sampled_from(["bounds", "index dtype", "rank", "size", "dtype"]))
    record(f"{op} invalid: {defect}")
    if defect == "bounds":
        bad = index.copy()
        bad[0, 0] = draw(st.sampled_from([x.shape[0], -1]))
        return Case((x, 0, bad, src), expect="out of bounds", kind="value")
    if defect == "index dtype":
        return Case((x, 0, index.astype(np.int16), src), expect="int32/int64")
    if defect == "rank":
        return Case((x, 0, index[0], src), expect="same number of dimensions")
    if defect == "size":
        return Case((x, 0, np.zeros((x.shape[0], x.shape[1] + 1), np.int64), src), expect="no larger")
    return Case((x, 0, index, src.astype(np.float64)), expect="dtype")


@st.composite
def scatter_invalid(draw) -> Case:
    """A position out of bounds (negative too), an index of another dtype or rank, an index larger than
    the input off ``dim`` or than ``src``, a dtype mismatch (RuntimeError)."""
    return _scatter_invalid(draw, "scatter")


@st.composite
def scatter_add_invalid(draw) -> Case:
    """As :func:`scatter_invalid`."""
    return _scatter_invalid(draw, "scatter_add")
