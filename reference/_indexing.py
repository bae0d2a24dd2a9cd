"""gather and Python indexing (``x[...]`` and ``x[...] = v``)."""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from ._adjoints import index_add_into_zeros, scatter_add_into_zeros, zero_at
from ._autograd_hooks import record, record_unary
from ._dims import wrap_dim
from ._out import with_out
from ._tensor import Tensor, tensor_method

__all__ = ["gather", "index_select"]


@tensor_method
@with_out("gather", exact_dtype=True)
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
@with_out("index_select", exact_dtype=True)
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


def _convert_index(key):
    """Map a torch index to a NumPy one; returns (numpy_key, is_basic)."""
    items = key if isinstance(key, tuple) else (key,)
    out = []
    basic = True
    for k in items:
        if isinstance(k, Tensor):
            if k.dtype is D.bool or k.dtype.category == D.dtype.INT:
                out.append(k._data)
                basic = False
            else:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        elif isinstance(k, slice):
            if k.step is not None and k.step <= 0:
                raise ValueError("step must be greater than zero")
            out.append(k)
        elif k is None or k is Ellipsis or isinstance(k, int | np.integer) and not isinstance(k, bool):
            out.append(k)
        elif isinstance(k, bool):
            out.append(k)
            basic = False
        elif isinstance(k, list | np.ndarray):
            out.append(np.asarray(k))
            basic = False
        else:
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                f"(got {type(k).__name__})"
            )
    return tuple(out), basic


def _translate_index_error(e: IndexError, x: Tensor) -> IndexError:
    msg = str(e)
    if x.ndim == 0 and "too many indices" in msg:
        return IndexError(
            "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
            "convert a 0-dim tensor to a number"
        )
    if "too many indices" in msg:
        return IndexError(f"too many indices for tensor of dimension {x.ndim}")
    return IndexError(msg.replace("axis", "dimension"))


def getitem(self: Tensor, key) -> Tensor:
    """Basic indexing (ints, slices with positive step, None, ...) gives a view; tensor/list indices copy."""
    npkey, basic = _convert_index(key)
    if basic and Ellipsis not in npkey:
        npkey = npkey + (Ellipsis,)  # so that all-int keys give a 0-d view, not a NumPy scalar
    try:
        res = self._data[npkey]
    except IndexError as e:
        raise _translate_index_error(e, self) from None
    in_shape = tuple(self.shape)
    if basic:
        out = self._view(res)
        name = _basic_index_node_name(npkey)
    else:
        out = Tensor._wrap(np.array(res))
        name = "IndexBackward0"
    return record_unary(out, self, name, lambda g: index_add_into_zeros(in_shape, npkey, g))


def _basic_index_node_name(npkey) -> str:
    """torch applies a basic index one step at a time; the last step names the node."""
    last = None
    for k in npkey:
        if k is Ellipsis:
            continue
        if isinstance(k, int | np.integer):
            last = "SelectBackward0"
        elif isinstance(k, slice):
            if k != slice(None):
                last = "SliceBackward0"
        elif k is None:
            last = "UnsqueezeBackward0"
    return last or "AliasBackward0"


def _take(g: Tensor, key) -> Tensor:
    """``g[key]`` for an already-converted NumPy key (used by adjoints)."""
    res = g._data[key]
    out = Tensor._wrap(np.array(res))
    shape = tuple(g.shape)
    return record_unary(out, g, "IndexBackward0", lambda h: index_add_into_zeros(shape, key, h))


def setitem(self: Tensor, key, value) -> None:
    """Write ``value`` (broadcast, cast to ``self.dtype``) into the indexed positions, in place."""
    from ._inplace import inplace

    npkey, _ = _convert_index(key)
    inplace(self, _index_put, npkey, value, check_cast=False)


def _index_put(old: Tensor, npkey, value) -> Tensor:
    """Out of place: ``old`` with ``value`` written at ``npkey`` (the graph of ``x[key] = value``)."""
    new = old._data.copy()
    v = value._data if isinstance(value, Tensor) else value
    try:
        new[npkey] = v
    except IndexError as e:
        raise _translate_index_error(e, old) from None
    out = Tensor._wrap(new)
    v_shape = tuple(value.shape) if isinstance(value, Tensor) else ()

    def vjp(g):
        from ._elementwise import sum_to

        gv = sum_to(_take(g, npkey), v_shape) if isinstance(value, Tensor) else None
        return zero_at(g, npkey), gv

    return record(out, (old, value), "CopySlices", vjp)


tensor_method(getitem, name="__getitem__")
tensor_method(setitem, name="__setitem__")
