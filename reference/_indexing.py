"""gather and Python indexing (``x[...]`` and ``x[...] = v``)."""

from __future__ import annotations

import operator
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import _dtype as D
from ._adjoints import index_add_into_zeros, scatter_add_into_zeros, zero_at
from ._autograd_hooks import record, record_unary
from ._dims import wrap_dim
from ._layout import contiguous_strides, element_strides, iterator_strides, lay_out, restrided, view_strides
from ._out import with_out
from ._tensor import Tensor, tensor_method

__all__ = ["gather", "index_select"]


@tensor_method
@with_out("gather", exact_dtype=True, overlap="refuse", full_overlap_ok=(1,))
def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """Pick values along ``dim`` at the positions given by ``index``.

    For 3-d tensors: ``out[i][j][k] = input[index[i][j][k]][j][k]`` (dim=0),
    ``input[i][index[i][j][k]][k]`` (dim=1), ``input[i][j][index[i][j][k]]`` (dim=2).

    - ``out.shape == index.shape``; ``index`` has as many dims as ``input``
      (a 0-d input or index counts as 1-d) and may be *smaller* than ``input``
      in every dim other than ``dim`` (only the leading part of ``input`` is
      read) and of any length along ``dim`` (values may repeat).
    - index values must lie in ``[0, input.size(dim))``; negatives are errors.
    - index dtype must be int64 or int32 (int32 accepted since torch 2.x).
    - an empty index skips every size check and gives an empty result.
    - the result is a new tensor (never a view).
    """
    if not isinstance(index, Tensor):
        raise TypeError(f"gather(): argument 'index' must be Tensor, not {type(index).__name__}")
    d = wrap_dim(dim, input.ndim)
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    x = input._data.reshape(input._data.shape or (1,))
    idx = index._data.reshape(index._data.shape or (1,))
    in_shape = tuple(input.shape)
    if index.numel() == 0:  # no checks at all for an empty index (torch's rule), but still a graph node
        out = Tensor._wrap(np.empty(index.shape, dtype=input._data.dtype))
        zeros = lambda g: (Tensor._wrap(np.zeros(in_shape, dtype=g._data.dtype)), None)  # noqa: E731
        return record(out, (input, index), "GatherBackward0", zeros, saved=(index,))
    if idx.ndim != x.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(x.ndim):
        if k != d and idx.shape[k] > x.shape[k]:
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {list(index.shape)} to be no larger than "
                f"self {list(input.shape)} apart from dimension {d}"
            )
    n = x.shape[d]
    # one reduction checks both ends: seen as unsigned, a negative index is larger than any size
    if idx.view(np.dtype(f"u{idx.itemsize}")).max() >= n:
        bad = (idx < 0) | (idx >= n)
        raise RuntimeError(f"index {int(idx[bad].flat[0])} is out of bounds for dimension {d} with size {n}")
    window = tuple(slice(None) if k == d else slice(0, idx.shape[k]) for k in range(x.ndim))
    out = Tensor._wrap(_take_along(x[window], idx, d).reshape(index.shape))

    def vjp(g):
        # the adjoint of gather is a scatter-add: repeated indices accumulate
        return scatter_add_into_zeros(in_shape, d, index, g), None

    # torch's gather backward reads ``self`` too: an in-place write to the input breaks backward
    return record(out, (input, index), "GatherBackward0", vjp, saved=(input, index))


@tensor_method
@with_out("index_select", exact_dtype=True, overlap="refuse")
def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices of ``input`` along ``dim`` at the positions in ``index``, in that order.

    ``out.select(dim, j) == input.select(dim, index[j])``; the result is a new tensor (never a
    view) with ``input``'s dtype and ``len(index)`` along ``dim``, the other sizes unchanged.

    - ``index`` is a vector (1-d) or a 0-d tensor (one position); more dims are an IndexError;
      its dtype must be int64 or int32; positions may repeat and appear in any order.
    - a 0-d ``input`` takes ``dim`` 0 or -1 and exactly one position, which must be 0.
    - positions must lie in ``[0, input.size(dim))`` (negatives are errors; torch's error class
      depends on its kernel, see known_differences); an empty index gives an empty result.
    - backward adds the output's gradient into zeros at the selected slices (repeats accumulate).
    """
    if not isinstance(index, Tensor):
        raise TypeError(f"index_select(): argument 'index' (position 3) must be Tensor, not {type(index).__name__}")
    d = wrap_dim(dim, input.ndim)
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    idx = index._data.reshape(-1).astype(np.intp)
    in_shape = tuple(input.shape)
    if input.ndim == 0:
        if idx.size != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)")
        if idx[0] != 0:
            raise IndexError("index out of range in self")
        out = Tensor._wrap(input._data.copy())
        return record(out, (input, index), "IndexSelectBackward0", lambda g: (g, None), saved=(index,))
    n = in_shape[d]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError("index out of range in self")
    out = Tensor._wrap(np.take(input._data, idx, axis=d))
    key = (slice(None),) * d + (idx,)

    def vjp(g):
        # the adjoint of selecting slices: add them back at their positions (index_add into zeros)
        return index_add_into_zeros(in_shape, key, g), None

    return record(out, (input, index), "IndexSelectBackward0", vjp, saved=(index,))


def _take_along(x: np.ndarray, idx: np.ndarray, d: int) -> np.ndarray:
    """``out[p] = x[p with p[d] replaced by idx[p]]`` for in-range ``idx`` of x's shape off ``d``.

    One flat ``take``: the element offset of ``x[p]`` is ``sum_k p[k] * stride[k]``, so
    ``offset = idx * stride[d] + base`` where ``base`` holds the other dims' terms (size 1
    along ``d``, broadcast).  The offsets are in range by construction, so ``mode="wrap"``
    never wraps; it only skips the buffered bounds check of the default mode.
    """
    item = x.itemsize
    if min(x.strides, default=0) < 0 or any(s % item for s in x.strides):
        return np.take_along_axis(x, idx.astype(np.intp, copy=False), axis=d)
    st = [s // item for s in x.strides]
    base = np.zeros([1] * x.ndim, dtype=np.intp)
    for k in range(x.ndim):
        if k != d:
            along_k = [-1 if j == k else 1 for j in range(x.ndim)]
            base = base + (np.arange(idx.shape[k], dtype=np.intp) * st[k]).reshape(along_k)
    extent = 1 + sum((size - 1) * s for size, s in zip(x.shape, st, strict=True))
    flat = np.lib.stride_tricks.as_strided(x, shape=(extent,), strides=(item,))
    offsets = np.add(idx if st[d] == 1 else idx * st[d], base, dtype=np.intp)
    return flat.take(offsets, mode="wrap")


# -- Python indexing ------------------------------------------------------------------
#
# torch reads ``x[key]`` in two stages (``applySlicing`` then ``index``):
#
# 1. the basic part, item by item from the left, each a view of the previous result: an int
#    selects (the dim goes away), a slice slices, None and a bool insert a size-1 dim, ``...``
#    skips the dims nobody names.  An int is therefore never an "advanced" index, unlike NumPy
#    (``x[0, :, [1, 2]]`` keeps the list's dim in place: (3, 2) for a (2, 3, 4) x, not (2, 3)).
#    A 0-d integer tensor is an int too (a view); a 0-d bool or uint8 tensor is a bool.
# 2. what remains are index tensors (lists become int64 tensors, or bool ones when all bools),
#    one per dim they index; a bool or uint8 mask stands for its nonzero coordinates, one index
#    per mask dim.  They broadcast together, and their shape replaces the indexed dims: in place
#    when those dims are adjacent, else at the front.  The result is a new tensor.


@dataclass
class _Plan:
    """What ``x[key]`` means for one shape: the basic view steps, then the index tensors."""

    steps: list = field(
        default_factory=list
    )  # ("select", dim, i) | ("slice", dim, start, stop, step) | ("unsqueeze", dim)
    tensors: list = field(default_factory=list)  # (dim, array of positions or bool mask, strides, itemsize)
    shape: tuple = ()  # after the steps
    single: bool = False  # the key was one int/slice/None/... (not a tuple): torch's fast paths


_TYPES_MESSAGE = (
    "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got {})"
)
_DTYPE_MESSAGE = "tensors used as indices must be long, int, byte or bool tensors"


def _is_int(k) -> bool:
    return isinstance(k, int | np.integer) and not isinstance(k, bool | np.bool_)


def _key_items(key) -> tuple[tuple, bool]:
    """torch's reading of ``key`` as a list of indices, and whether it was a single index.

    A tuple is a list of indices; so is a short (< 32) non-tuple sequence holding a tensor, a
    sequence, a slice, None or ``...`` (NumPy's old heuristic: ``x[[[0, 1], [1, 2]]]`` is
    ``x[[0, 1], [1, 2]]``); any other list is one index tensor."""
    if isinstance(key, tuple):
        return key, False
    if isinstance(key, list) and len(key) < 32:
        for k in key:
            if isinstance(k, Tensor | list | tuple | np.ndarray | slice) or k is None or k is Ellipsis:
                return tuple(key), False
    return (key,), True


def _as_index_array(k) -> np.ndarray:
    """A list as torch converts it for indexing: a bool tensor when every entry is a bool, else
    int64 (floats are truncated, an empty list is an empty int64 index)."""
    arr = np.asarray(k)
    if arr.dtype == np.bool_:
        return arr
    if arr.dtype.kind not in "iuf" and arr.size:
        raise IndexError(_DTYPE_MESSAGE)
    return arr.astype(np.int64)


def _specified_dims(items) -> int:
    """torch's count of the dims a key names: everything but None, ``...`` and Python bools; a
    mask tensor names as many dims as it has."""
    count = 0
    for k in items:
        if isinstance(k, Tensor):
            count += k.ndim if k.dtype in (D.bool, D.uint8) else 1
        elif not (k is None or k is Ellipsis or isinstance(k, bool)):
            count += 1
    return count


def _plan(shape: tuple, key, write: bool = False) -> _Plan:
    """Parse ``key`` against ``shape`` as torch's ``applySlicing`` does (errors included).

    A slice that keeps a whole dim records nothing, except when it is the whole key of a read
    (``x[:]`` is a SliceBackward0 view; ``x[:] = v`` writes into ``x`` itself)."""
    items, single = _key_items(key)
    plan = _Plan(shape=tuple(shape), single=single)
    ndim = len(shape)
    specified = _specified_dims(items)
    if not single and specified > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    dim = 0  # the dim of the current (partially indexed) view the next item applies to
    real_dim = 0  # the dim of the original tensor, for messages
    for k in items:
        if isinstance(k, Tensor) and k.ndim == 0 and k.dtype in (D.bool, D.uint8):
            if k.dtype is D.uint8:
                _warn_uint8()
            k = bool(k.item())  # a 0-d mask: a size-1 dim, kept or emptied
        elif isinstance(k, Tensor) and k.ndim == 0 and k.dtype.category == D.dtype.INT:
            k = int(k.item())  # a 0-d integer tensor selects, as an int does (a view)
        elif isinstance(k, str):
            raise TypeError(f"new(): invalid data type '{type(k).__name__}'")
        if _is_int(k):
            _select(plan, dim, int(k), real_dim)
            real_dim += 1
        elif isinstance(k, slice):
            _slice(plan, dim, k, single and not write)
            dim += 1
            real_dim += 1
        elif k is None:
            _unsqueeze(plan, dim)
            dim += 1
        elif k is Ellipsis:
            dim += ndim - specified
            real_dim += ndim - specified
        elif isinstance(k, bool | np.bool_):
            # a size-1 dim, indexed by [0] (True) or by nothing (False): a copy, not a view
            _unsqueeze(plan, dim)
            positions = np.zeros(1 if k else 0, dtype=np.int64)
            plan.tensors.append((dim, positions, (1,), 8))
            dim += 1
        elif isinstance(k, Tensor):
            if k.dtype in (D.bool, D.uint8):
                if k.dtype is D.uint8:
                    _warn_uint8()
                plan.tensors.append((dim, k._data.astype(np.bool_, copy=False), None, 8))
                dim += k.ndim
                real_dim += k.ndim
            elif k.dtype in (D.int64, D.int32):
                strides = tuple(s // k._data.itemsize for s in k._data.strides)
                plan.tensors.append((dim, k._data, strides, k._data.itemsize))
                dim += 1
                real_dim += 1
            else:
                raise IndexError(_DTYPE_MESSAGE)
        elif isinstance(k, list | tuple | np.ndarray):
            arr = _as_index_array(k)
            plan.tensors.append((dim, arr, None if arr.dtype == np.bool_ else contiguous_strides(arr.shape), 8))
            dim += arr.ndim if arr.dtype == np.bool_ else 1
            real_dim += arr.ndim if arr.dtype == np.bool_ else 1
        else:
            raise IndexError(_TYPES_MESSAGE.format(type(k).__name__))
    return plan


def _warn_uint8() -> None:
    warnings.warn(
        "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.",
        UserWarning,
        stacklevel=4,
    )


def _select(plan: _Plan, dim: int, i: int, real_dim: int) -> None:
    shape = plan.shape
    if not shape:
        raise IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
            "convert a 0-dim tensor to a number"
        )
    d = wrap_dim(dim, len(shape))
    n = shape[d]
    if not -n <= i < n:
        raise IndexError(f"index {i} is out of bounds for dimension {real_dim} with size {n}")
    plan.steps.append(("select", d, i))
    plan.shape = shape[:d] + shape[d + 1 :]


def _slice(plan: _Plan, dim: int, k: slice, keep_full: bool) -> None:
    step = 1 if k.step is None else operator.index(k.step)
    if step == 0:
        raise ValueError("slice step cannot be zero")
    if step < 0:
        raise ValueError("step must be greater than zero")
    shape = plan.shape
    d = wrap_dim(dim, len(shape))
    start = 0 if k.start is None else operator.index(k.start)
    stop = None if k.stop is None else operator.index(k.stop)
    n = shape[d]
    # inside a tuple torch skips a slice that keeps the whole dim (x[0, :] records only a select)
    if not keep_full and start == 0 and (stop is None or stop >= n) and step == 1:
        return
    length = len(range(*slice(start, stop, step).indices(n)))
    plan.steps.append(("slice", d, start, stop, step))
    plan.shape = shape[:d] + (length,) + shape[d + 1 :]


def _unsqueeze(plan: _Plan, dim: int) -> None:
    shape = plan.shape
    d = wrap_dim(dim, len(shape) + 1)
    plan.steps.append(("unsqueeze", d))
    plan.shape = shape[:d] + (1,) + shape[d:]


def _apply_steps(arr: np.ndarray, steps: list) -> np.ndarray:
    """The basic part of an index as NumPy views of ``arr``, with torch's strides."""
    for step in steps:
        kind, d = step[0], step[1]
        if kind == "select":
            i = step[2] % arr.shape[d] if arr.shape[d] else 0
            arr = _at(arr[(slice(None),) * d + (step[2], Ellipsis)], arr, i * element_strides(arr)[d])
        elif kind == "slice":
            start, stop, st = step[2:]
            strides = element_strides(arr)
            first = slice(start, stop, st).indices(arr.shape[d])[0]
            arr = _at(arr[(slice(None),) * d + (slice(start, stop, st),)], arr, first * strides[d])
            arr = restrided(arr, strides[:d] + (strides[d] * st,) + strides[d + 1 :])
        else:
            from ._shape import unsqueezed

            arr = unsqueezed(arr, d)
    return arr


def _at(view: np.ndarray, base: np.ndarray, elements: int) -> np.ndarray:
    """``view`` (cut from ``base``, ``elements`` in): NumPy gives an empty view its base's address,
    torch keeps counting its storage offset, so an empty one is put back where torch's starts."""
    if view.size or not elements:
        return view
    from ._shape import _offset_view

    return np.lib.stride_tricks.as_strided(
        _offset_view(base, elements * base.itemsize), shape=view.shape, strides=view.strides
    )


def _step_node_name(plan: _Plan) -> str:
    """torch records one node per step; the last names the result (a key with no step is an alias)."""
    if not plan.steps:
        return "AliasBackward0"
    return {"select": "SelectBackward0", "slice": "SliceBackward0", "unsqueeze": "UnsqueezeBackward0"}[
        plan.steps[-1][0]
    ]


def _positions(shape: tuple, steps: list) -> np.ndarray:
    """The flat (row-major) position in a tensor of ``shape`` of each element of the basic view."""
    return _apply_steps(np.arange(int(np.prod(shape, dtype=np.int64))).reshape(shape), steps)


def _expanded_indices(view_shape: tuple, tensors: list) -> list[tuple[int, np.ndarray, tuple, int]]:
    """Masks replaced by their nonzero coordinates (one int64 index per mask dim), each index with
    the dim it indexes and its strides; checks mask shapes as torch does."""
    out = []
    for dim, arr, strides, itemsize in tensors:
        if arr.dtype != np.bool_:
            out.append((dim, arr, strides, itemsize))
            continue
        for j in range(arr.ndim):
            if dim + j >= len(view_shape) or arr.shape[j] != view_shape[dim + j]:
                raise IndexError(
                    f"The shape of the mask {list(arr.shape)} at index {j} does not match the shape of the indexed "
                    f"tensor {list(view_shape)} at index {dim + j}"
                )
        coords = np.nonzero(arr)  # torch's nonzero: an (n, k) contiguous int64 tensor, one column per dim
        for j, c in enumerate(coords):
            out.append((dim + j, c.astype(np.int64), (max(arr.ndim, 1),), 8))
    return out


def _advanced(view_shape: tuple, indices: list) -> tuple[tuple, tuple]:
    """Check the index tensors against the viewed shape; returns NumPy's key and the result shape."""
    try:
        bshape = np.broadcast_shapes(*(a.shape for _, a, _, _ in indices))
    except ValueError:
        shapes = ", ".join(str(list(a.shape)) for _, a, _, _ in indices)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}"
        ) from None
    sizes = [view_shape[d] for d, _, _, _ in indices]
    if 0 in sizes and 0 not in bshape:
        raise IndexError("index is out of bounds for dimension with size 0")
    indexed = {d for d, _, _, _ in indices}
    rest = [n for d, n in enumerate(view_shape) if d not in indexed]
    reads = 0 not in bshape and 0 not in rest  # the kernel checks positions as it reads: an empty result reads none
    key = [slice(None)] * (max(d for d, _, _, _ in indices) + 1)
    for d, a, _, _ in indices:
        key[d] = a if reads else np.zeros(a.shape, dtype=np.int64)  # nothing is read: any in-range position
    return tuple(key), bshape


def _check_positions(view_shape: tuple, indices: list, npkey: tuple) -> None:
    """The index kernel's bounds check (after every shape and dtype check): each position read
    must lie in ``[-size, size)`` of the dim it indexes; the message counts the index tensors."""
    for i, (d, a, _, _) in enumerate(indices):
        n = view_shape[d]
        if npkey[d] is a and a.size and (a.min() < -n or a.max() >= n):
            bad = a[(a < -n) | (a >= n)].flat[0]
            raise IndexError(f"index {int(bad)} is out of bounds for dimension {i} with size {n}")


def _indexed(arr: np.ndarray, npkey: tuple, shape_only: bool = False) -> np.ndarray:
    """``arr[npkey]``; where the result is empty its positions are never read, so an indexed dim
    of size 0 gives an empty result of the right shape instead of NumPy's IndexError.  With
    ``shape_only`` only the result's shape is meaningful (nothing is read)."""
    if arr.size == 0 or shape_only:
        dummy = np.lib.stride_tricks.as_strided(
            np.zeros(1, dtype=arr.dtype),
            shape=tuple(1 if isinstance(k, np.ndarray) else n for k, n in zip(npkey, arr.shape, strict=False))
            + arr.shape[len(npkey) :],
            strides=(0,) * arr.ndim,
        )
        zeros = tuple(np.zeros(k.shape, dtype=np.int64) if isinstance(k, np.ndarray) else k for k in npkey)
        return np.array(dummy[zeros])
    return arr[npkey]


def _index_strides(view: np.ndarray, indices: list, bshape: tuple) -> tuple[int, ...]:
    """The strides of torch's ``index`` result: TensorIterator over the source restrided so that
    the indexed dims become the index shape (stride 0) and over each index reshaped to match
    (``make_info``); non-adjacent indexed dims are first moved to the front."""
    from ._shape import expand_strides

    by_dim = {d: (a, st, item) for d, a, st, item in indices}
    shape, strides = list(view.shape), list(element_strides(view))
    dims = sorted(by_dim)
    if dims != list(range(dims[0], dims[0] + len(dims))):  # not adjacent: indexed dims to the front
        order = dims + [d for d in range(len(shape)) if d not in by_dim]
        shape, strides = [shape[d] for d in order], [strides[d] for d in order]
        by_dim = {i: by_dim[d] for i, d in enumerate(dims)}
        dims = list(range(len(dims)))
    before, after = dims[0], len(shape) - dims[-1] - 1
    src_shape = tuple(shape[:before]) + tuple(bshape) + tuple(shape[dims[-1] + 1 :])
    src_strides = tuple(strides[:before]) + (0,) * len(bshape) + tuple(strides[dims[-1] + 1 :])
    operands = [(src_shape, src_strides, view.itemsize)]
    for d in dims:
        a, st, item = by_dim[d]
        if a.shape != tuple(bshape):
            st = expand_strides(a.shape, st, bshape)
        reshaped = (1,) * before + tuple(bshape) + (1,) * after
        operands.append((reshaped, view_strides(tuple(bshape), st, reshaped), item))
    return iterator_strides(src_shape, operands)


def getitem(self: Tensor, key) -> Tensor:
    """``x[key]`` with torch's rules (see the comment above): ints, slices (positive steps), None,
    ``...`` and bools give a view; index tensors, lists and masks then give a new tensor.

    Errors: IndexError for too many indices, an int or index out of range, a mask whose shape
    does not match, index tensors that do not broadcast, and index tensors that are not int64,
    int32, uint8 or bool; ValueError for a slice step that is zero or negative."""
    plan = _plan(tuple(self.shape), key)
    in_shape = tuple(self.shape)
    sliced = self
    if plan.steps or not plan.tensors:
        steps = plan.steps
        arr = _apply_steps(self._data, steps)

        def vjp(g):
            from ._shape import reshape

            key = (_positions(in_shape, steps),)
            return reshape(index_add_into_zeros((int(np.prod(in_shape, dtype=np.int64)),), key, g), in_shape)

        sliced = record_unary(self._view(arr), self, _step_node_name(plan), vjp)
    if not plan.tensors:
        return sliced
    indices = _expanded_indices(plan.shape, plan.tensors)
    npkey, bshape = _advanced(plan.shape, indices)
    _check_positions(plan.shape, indices, npkey)
    view = sliced._data
    values = _indexed(view, npkey)
    out = Tensor._wrap(lay_out(np.array(values), _index_strides(view, indices, bshape)), laid_out=True)
    view_shape = tuple(sliced.shape)
    return record_unary(out, sliced, "IndexBackward0", lambda g: index_add_into_zeros(view_shape, npkey, g))


def _take(g: Tensor, key) -> Tensor:
    """``g[key]`` for an already-converted NumPy key (used by adjoints)."""
    res = g._data[key]
    out = Tensor._wrap(np.array(res))
    shape = tuple(g.shape)
    return record_unary(out, g, "IndexBackward0", lambda h: index_add_into_zeros(shape, key, h))


def setitem(self: Tensor, key, value) -> None:
    """``x[key] = value``: write ``value`` into the elements ``x[key]`` reads, in place.

    torch's rules: a Python number is converted to ``x``'s dtype first (RuntimeError when it
    overflows; unsigned dtypes wrap negatives down to -max).  Without index tensors the value is
    copied like ``copy_`` (cast to ``x``'s dtype; leading size-1 dims dropped, then broadcast, or
    RuntimeError).  With index tensors it is ``index_put_``: a tensor value must have ``x``'s
    dtype, and must broadcast to the indexing result (RuntimeError otherwise); where an index
    repeats, the last write wins on the CPU.  ``x[False] = v`` does nothing at all; ``x[True] = v``
    is ``x[None] = v``."""
    from ._inplace import inplace

    if not isinstance(value, Tensor):
        value = _value_tensor(value, self.dtype)  # converted before the key is even looked at
    if key is False:
        return
    # a bare True writes through a size-1 view (torch's fast path), not an index tensor
    plan = _plan(tuple(self.shape), None if key is True else key, write=True)
    positions = _positions(tuple(self.shape), plan.steps)
    if plan.tensors:
        indices = _expanded_indices(plan.shape, plan.tensors)
        npkey, bshape = _advanced(plan.shape, indices)
        target = _indexed(positions, npkey, shape_only=True).shape
        vshape = _strip_leading_ones(tuple(value.shape))
        try:
            fits = np.broadcast_shapes(vshape, target) == target
        except ValueError:
            fits = False
        if not fits:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(vshape)} cannot be broadcast to indexing result of "
                f"shape {list(target)}"
            )
        masks = [a for _, a, _, _ in plan.tensors if a.dtype == np.bool_]
        if value.numel() == 1 and len(plan.tensors) == 1 and masks:
            # torch's index_put_ turns one mask and a one-element value into masked_fill_: any value
            # dtype is fine, but a uint8 mask is refused there
            if _uint8_mask(key):
                raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")
        elif value.dtype is not self.dtype:
            raise RuntimeError(
                "Index put requires the source and destination dtypes match, got "
                f"{self.dtype._torch_name} for the destination and {value.dtype._torch_name} for the source."
            )
        _check_positions(plan.shape, indices, npkey)
        positions = _indexed(positions, npkey)
        name = "CopySlices" if plan.steps else "IndexPutBackward0"
    else:
        _check_copy_shape(tuple(value.shape), positions.shape)
        if plan.steps:
            name = "CopySlices"
        elif value.ndim == 0 and self.ndim != 0:
            name = "FillBackward3"  # fill_(Tensor)
        else:
            name = "CopyBackwards"
    # torch copies the value (copy_), except a 0-d value into a sliced tensor with dims (fill_) and
    # writes with index tensors (index_put_): those two hand a complex gradient to a real value
    copied = not plan.tensors and not (value.ndim == 0 and positions.ndim > 0)
    inplace(self, _index_put, positions, value, name, copied, check_cast=False, elementwise=False)


def _uint8_mask(key) -> bool:
    items = key if isinstance(key, tuple) else (key,)
    return any(isinstance(k, Tensor) and k.dtype is D.uint8 and k.ndim > 0 for k in items)


def _value_tensor(value, dtype: D.dtype) -> Tensor:
    """A Python number as torch converts an assigned value: a 0-d tensor of the target's dtype."""
    if isinstance(value, complex) and not dtype.is_complex and value.imag != 0:
        raise RuntimeError(f"value cannot be converted to type {D._c_name(dtype)} without overflow")
    if not isinstance(value, bool | int | float | complex | np.number):
        raise TypeError(f"can't assign a {type(value).__name__} to a {_LEGACY_NAME.get(dtype.name, 'Tensor')}")
    value = D.check_scalar_fits(value.real if isinstance(value, complex) and not dtype.is_complex else value, dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        return Tensor._wrap(np.array(value).astype(dtype.np))


_LEGACY_NAME = {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor", "int64": "torch.LongTensor"}


def _strip_leading_ones(shape: tuple) -> tuple:
    i = 0
    while i < len(shape) and shape[i] == 1:
        i += 1
    return shape[i:]


def _check_copy_shape(value_shape: tuple, target: tuple) -> None:
    """torch's ``copy_to``: drop the value's leading size-1 dims, then expand it to the target."""
    vshape = _strip_leading_ones(value_shape)
    if vshape == target:
        return
    if len(vshape) > len(target):
        raise RuntimeError(
            f"expand(torch.FloatTensor{{{list(vshape)}}}, size={list(target)}): the number of sizes provided "
            f"({len(target)}) must be greater or equal to the number of dimensions in the tensor ({len(vshape)})"
        )
    lead = len(target) - len(vshape)
    for i in range(len(vshape) - 1, -1, -1):  # torch reports the last mismatching dim
        n = vshape[i]
        if n != 1 and n != target[lead + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[lead + i]}) must match the existing size ({n}) at "
                f"non-singleton dimension {lead + i}.  Target sizes: {list(target)}.  Tensor sizes: {list(vshape)}"
            )


def _index_put(old: Tensor, positions: np.ndarray, value: Tensor, name: str, copied: bool) -> Tensor:
    """Out of place: ``old`` with ``value`` written at the flat ``positions`` (the graph of
    ``x[key] = value``).  Repeated positions: the last write wins.  A real value written into a
    complex tensor gets the real part of the gradient when it was copied; otherwise torch's engine
    refuses the complex gradient (RuntimeError in backward)."""
    from ._elementwise import sum_to
    from ._shape import reshape

    flat = old._data.reshape(-1).copy()
    data = value._data.reshape(_strip_leading_ones(tuple(value.shape)))
    if value.dtype.is_complex and not old.dtype.is_complex:
        data = data.real
    flat[positions] = np.broadcast_to(data.astype(flat.dtype, copy=False), positions.shape)
    out = Tensor._wrap(flat.reshape(old.shape))
    shape, v_shape, v_dtype = tuple(old.shape), tuple(value.shape), value.dtype
    key = (positions,)

    def vjp(g):
        from ._casting import cast

        if not copied and g.dtype.is_complex and not v_dtype.is_complex and value.requires_grad:
            raise RuntimeError(
                "Expected isFloatingType(grad.scalar_type()) || (input_is_complex == grad_is_complex) to be true, "
                "but got false.  (Could this error message be improved?  If so, please report an enhancement "
                "request to PyTorch.)"
            )
        gold = reshape(zero_at(reshape(g, (-1,)), key), shape)
        gv = sum_to(reshape(_take(reshape(g, (-1,)), key), positions.shape), _strip_leading_ones(v_shape))
        gv = reshape(gv, v_shape)
        return gold, (cast(gv, v_dtype) if gv.dtype is not v_dtype else gv)

    return record(out, (old, value), name, vjp)


tensor_method(getitem, name="__getitem__")
tensor_method(setitem, name="__setitem__")
