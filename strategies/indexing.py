"""Indexing and selection: gather, index_select, and Python indexing (``x[key]``, ``x[key] = v``).

Each op has a strategy of valid arguments that steers towards the cases where its semantics break
(recording a coverage event for each hard case it produced) and one of invalid arguments (each case
naming the word the error message must contain).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from ._arrays import arrays, dtypes, elements, shapes
from ._case import Case
from ._common import DATA_DTYPES, _dim, _out_of_range_dim
from ._coverage import record

__all__ = [
    "index_select_args",
    "index_select_invalid",
    "gather_args",
    "gather_invalid",
    "IndexTensor",
    "materialize_key",
    "index_keys",
    "index_values",
    "INDEX_EVENTS",
]

#: the hard cases of Python indexing that a complete run must reach (``--check-coverage``)
INDEX_EVENTS = (
    "index: int",
    "index: negative int",
    "index: slice with a step",
    "index: None",
    "index: Ellipsis",
    "index: Python bool",
    "index: list",
    "index: nested list",
    "index: list of bools (a mask)",
    "index: int64 tensor",
    "index: int32 tensor",
    "index: 0-d int tensor (a select)",
    "index: bool mask",
    "index: uint8 mask",
    "index: 2-d mask",
    "index: an int between advanced indices (torch selects it first)",
    "index: advanced indices not adjacent (their dims go first)",
    "index: error",
    "index write: a Python number",
    "index write: broadcast value",
    "index write: value with extra leading size-1 dims",
    "index write: value of another dtype",
    "index write: value that does not broadcast",
    "index write: duplicate positions (the last write wins)",
    "index write: error",
)


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
    # an index out of bounds is a defect in the values: only a target holding data can see it
    return Case((x, dim, index), expect=expect, kind="value" if defect == "bounds" else None)


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
        return Case((x, 0, np.full(draw(st.integers(1, 3)), v, dtype=np.int64)), expect="out of range", kind="value")
    if defect == "matrix":
        return Case((x, 0, np.zeros((1, 1), dtype=np.int64)), expect="vector")
    if defect == "dtype":
        bad = draw(st.sampled_from([np.float32, np.int16, np.uint8, np.bool_]))
        return Case((x, 0, index.astype(bad)), expect="dtype")
    if defect == "scalar":
        return Case((np.asarray(1.5, dtype=np.float32), 0, np.zeros(2, dtype=np.int64)), expect="scalar")
    return Case((x, 0, [0]), expect="index")


# -- indexing expressions: x[key] and x[key] = value ---------------------------------------------


@dataclass(frozen=True)
class IndexTensor:
    """A tensor inside an index key, kept as an array so that the key can be built for any backend
    (:func:`materialize_key`)."""

    array: np.ndarray

    def __repr__(self) -> str:
        return f"IndexTensor(np.array({self.array.tolist()!r}, dtype=np.{self.array.dtype.name}))"


def materialize_key(key, ns):
    """``key`` with every :class:`IndexTensor` made a tensor of ``ns`` (torch or the reference)."""
    if isinstance(key, IndexTensor):
        return ns.from_numpy(np.array(key.array))
    if isinstance(key, tuple):
        return tuple(materialize_key(k, ns) for k in key)
    return key


def _int_positions(draw, n: int, shape: tuple, valid: bool) -> np.ndarray:
    """Positions along a dim of size ``n`` (negatives too); one out of range unless ``valid``."""
    size = int(np.prod(shape))
    values = [draw(st.integers(-n, n - 1) if n else st.integers(-2, 2)) for _ in range(size)]
    if not valid and size:
        values[draw(st.integers(0, size - 1))] = draw(st.sampled_from([n, n + 1, -n - 1]))
    return np.array(values, dtype=np.int64).reshape(shape)


@st.composite
def _consuming_item(draw, sizes: tuple, valid: bool):
    """One index that names the leading dims of ``sizes`` (a mask may name two); returns
    ``(item, dims named)``."""
    n = sizes[0]
    kinds = ["int", "int", "slice", "slice", "list", "tensor", "mask", "mask", "0-d int", "bool list"]
    kind = draw(st.sampled_from(kinds))
    if kind == "int":
        if n and valid:
            i = draw(st.integers(-n, n - 1))
        else:
            i = draw(st.sampled_from([n, n + 1, -n - 1]))
        record("index: negative int" if i < 0 else "index: int")
        return i, 1
    if kind == "slice":
        start = draw(st.one_of(st.none(), st.integers(-n - 2, n + 2)))
        stop = draw(st.one_of(st.none(), st.integers(-n - 2, n + 2)))
        step = draw(st.one_of(st.none(), st.integers(1, 3))) if valid else draw(st.sampled_from([0, -1]))
        if step not in (None, 1):
            record("index: slice with a step")
        return slice(start, stop, step), 1
    if kind in ("list", "tensor"):
        ishape = draw(st.sampled_from([(0,), (1,), (2,), (3,), (2, 2), (1, 3)]))
        positions = _int_positions(draw, n, ishape, valid or draw(st.booleans()))
        if kind == "list":
            record("index: nested list" if len(ishape) > 1 else "index: list")
            return positions.tolist(), 1
        dtype = draw(st.sampled_from(["int64", "int64", "int32"] + ([] if valid else ["int16", "int8", "float32"])))
        record(f"index: {dtype} tensor")
        return IndexTensor(positions.astype(dtype)), 1
    if kind == "0-d int":
        i = draw(st.integers(-n, n - 1)) if n and valid else n
        record("index: 0-d int tensor (a select)")
        return IndexTensor(np.array(i, dtype=np.int64)), 1
    if kind == "bool list":
        mask = draw(st.lists(st.booleans(), min_size=n, max_size=n)) if valid else [True] * (n + 1)
        record("index: list of bools (a mask)")
        return mask, 1
    # a mask over one or two dims, bool or uint8
    ndims = 2 if len(sizes) > 1 and draw(st.integers(0, 2)) else 1
    mshape = tuple(sizes[:ndims]) if valid else tuple(s + 1 for s in sizes[:ndims])
    mask = np.array(draw(st.lists(st.booleans(), min_size=int(np.prod(mshape)), max_size=int(np.prod(mshape)))))
    dtype = draw(st.sampled_from([np.bool_, np.bool_, np.uint8]))
    record("index: uint8 mask" if dtype is np.uint8 else "index: bool mask")
    if ndims == 2:
        record("index: 2-d mask")
    return IndexTensor(mask.reshape(mshape).astype(dtype)), ndims


def _is_advanced(item) -> bool:
    if isinstance(item, IndexTensor):
        return item.array.ndim > 0 or item.array.dtype in (np.bool_, np.uint8)
    return isinstance(item, list | bool)


@st.composite
def index_keys(draw, shape: tuple, valid: bool = True):
    """An index for a tensor of ``shape``, in any combination torch accepts: ints (negative too),
    slices with steps, None, ``...``, Python bools, lists (nested, of bools), int64/int32 index
    tensors, 0-d int tensors (a select, not an advanced index), bool and uint8 masks over one or
    two dims; a tuple, or a bare single index.

    With ``valid=False`` one item is made invalid (out of range, zero or negative step, a mask of
    the wrong shape, an int16/int8/float index tensor, one index too many) and the key may be
    wrong in other ways too; the test compares torch's and the reference's errors."""
    ndim = len(shape)
    if valid and ndim >= 3 and all(shape[:3]) and draw(st.integers(0, 9)) == 0:
        # rare in the general draw below, so made directly: two lists with an int between them
        def positions(n: int) -> list[int]:
            return draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=3))

        count = draw(st.integers(1, 3))
        record("index: list")
        record("index: an int between advanced indices (torch selects it first)")
        first = positions(shape[0])[:count]
        last = positions(shape[2])[:count]
        if len(first) != len(last):  # lists broadcast against each other: give both the same length
            first, last = first[:1], last[:1]
        return (first, draw(st.integers(-shape[1], shape[1] - 1)), last)
    named_count = draw(st.integers(0, ndim))
    too_many = not valid and draw(st.booleans())
    split = draw(st.integers(0, named_count))
    use_ellipsis = named_count < ndim and draw(st.booleans())
    if use_ellipsis:
        dims = list(range(split)) + list(range(ndim - (named_count - split), ndim))
    else:
        dims, split = list(range(named_count)), named_count
    bad = draw(st.integers(0, max(len(dims) - 1, 0))) if not valid and dims and not too_many else -1
    items, i = [], 0
    while i < len(dims):
        d = dims[i]
        adjacent = i + 1 < len(dims) and dims[i + 1] == d + 1 and i + 1 != split
        sizes = (shape[d], shape[d + 1]) if adjacent else (shape[d],)  # a mask may name both
        item, used = draw(_consuming_item(sizes, valid=i != bad))
        items.append(item)
        i += used
        if i == split and use_ellipsis:
            items.append(Ellipsis)
            record("index: Ellipsis")
    if use_ellipsis and Ellipsis not in items:
        items.insert(0, Ellipsis)
        record("index: Ellipsis")
    if too_many:
        items += [0] * draw(st.integers(1, 2))
    for _ in range(draw(st.integers(0, 2))):
        extra = draw(st.sampled_from([None, None, True, False]))
        items.insert(draw(st.integers(0, len(items))), extra)
        record("index: None" if extra is None else "index: Python bool")
    advanced = [k for k, item in enumerate(items) if _is_advanced(item)]
    if len(advanced) > 1:
        between = items[advanced[0] : advanced[-1] + 1]
        if any(isinstance(b, int) and not isinstance(b, bool) for b in between):
            record("index: an int between advanced indices (torch selects it first)")
        if any(isinstance(b, slice) or b is None or b is Ellipsis for b in between):
            record("index: advanced indices not adjacent (their dims go first)")
    if len(items) == 1 and draw(st.booleans()):
        return items[0]
    return tuple(items)


@st.composite
def index_values(draw, target_shape: tuple, dtype: np.dtype):
    """A value for ``x[key] = value`` where ``x[key]`` has ``target_shape``: a Python number, or an
    array that broadcasts to it (size-1 dims, missing and extra leading dims), sometimes of another
    dtype or of a shape that does not broadcast."""
    if draw(st.integers(0, 3)) == 0:
        record("index write: a Python number")
        if dtype.kind == "b":
            return draw(st.booleans())
        if dtype.kind in "iu":
            return draw(st.integers(-3, 300) if dtype.kind == "u" else st.integers(-1000, 1000))
        return draw(st.floats(-10, 10, width=32))
    shape = list(target_shape[draw(st.integers(0, len(target_shape))) :])
    shape = [1 if s > 1 and draw(st.booleans()) else s for s in shape]
    if draw(st.integers(0, 4)) == 0:
        shape = [1] * draw(st.integers(1, 2)) + shape
        record("index write: value with extra leading size-1 dims")
    if shape and draw(st.integers(0, 6)) == 0:
        shape[draw(st.integers(0, len(shape) - 1))] += 1
        record("index write: value that does not broadcast")
    if tuple(shape) != tuple(target_shape):
        record("index write: broadcast value")
    vdtype = dtype
    if draw(st.integers(0, 4)) == 0:
        vdtype = np.dtype(draw(st.sampled_from(["float64", "int64", "float32"])))
        if vdtype != dtype:
            record("index write: value of another dtype")
    return draw(arrays(vdtype, tuple(shape), elements_strategy=elements(vdtype, specials=False, small=True)))
