"""Placing values at indices: index_add, scatter, scatter_add (the inverses of index_select and gather).

Each returns a new contiguous tensor of ``input``'s shape and dtype (no promotion: ``src`` and
``source`` must have ``input``'s dtype); the in-place variants write into ``input``.  Indices are
int64 or int32, never wrapped (a negative one is out of bounds), and read in row-major order.
"""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record
from ._dims import wrap_dim
from ._tensor import Tensor, tensor_method

__all__ = ["index_add", "scatter", "scatter_add"]


def _check_bounds(positions: np.ndarray, n: int, d: int) -> None:
    bad = (positions < 0) | (positions >= n)
    if bad.any():
        raise RuntimeError(
            f"index {int(positions[bad].reshape(-1)[0])} is out of bounds for dimension {d} with size {n}"
        )


def _scaled(value, dtype: D.dtype):
    """alpha (or a scatter value) as torch converts it to ``dtype``: checked for overflow, a fraction
    truncated into an integer dtype, a complex with an imaginary part refused for a real dtype."""
    from ._selecting import _fill_value

    return _fill_value(value, dtype)


# -- index_add --------------------------------------------------------------------------------------


def _index_add(input: Tensor, dim, index: Tensor, source: Tensor, alpha=1) -> Tensor:
    if not isinstance(index, Tensor) or not isinstance(source, Tensor):
        raise TypeError("index_add(): argument 'index' and 'source' must be Tensors")
    d = wrap_dim(dim, input.ndim)
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: {index.dtype._torch_name}")
    if index.ndim > 1:
        raise IndexError(
            f"index_add_(): Index is supposed to be a vector, but got dim: {index.ndim} with type: "
            f"{index.dtype._torch_name} and size: {list(index.shape)}"
        )
    if source.dtype is not input.dtype:
        raise RuntimeError(
            f"index_add_(): self ({input.dtype._torch_name}) and source ({source.dtype._torch_name}) "
            "must have the same scalar type"
        )
    self_shape = tuple(input.shape) or (1,)
    src_shape = tuple(source.shape) or (1,)
    if len(self_shape) != len(src_shape) or any(
        a != b for k, (a, b) in enumerate(zip(self_shape, src_shape, strict=True)) if k != d
    ):
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = "
            f"{list(input.shape)} source.shape = {list(source.shape)}"
        )
    positions = index._data.reshape(-1).astype(np.int64)
    if positions.size != src_shape[d]:
        raise RuntimeError(
            f"index_add_(): Number of indices ({positions.size}) should be equal to source.size(dim): "
            f"({src_shape[d]}), for dim: {d}"
        )
    _check_bounds(positions, self_shape[d], d)
    scale = _scaled(alpha, input.dtype)
    values = np.array(input._data.reshape(self_shape), order="C")
    added = source._data.reshape(src_shape)
    if input.dtype is D.bool:
        added = np.logical_and(added, bool(scale))
        np.logical_or.at(values, (slice(None),) * d + (positions,), added)
    else:
        with np.errstate(over="ignore"):
            contribution = (added * np.asarray(scale).astype(input._data.dtype)).astype(input._data.dtype)
        np.add.at(values, (slice(None),) * d + (positions,), contribution)
    out = Tensor._wrap(values.reshape(input.shape))

    def vjp(g):
        from ._elementwise import mul
        from ._indexing import index_select
        from ._shape import reshape

        picked = index_select(reshape(g, self_shape), d, Tensor._wrap(positions))
        return g, reshape(mul(picked, scale) if scale != 1 else picked, tuple(source.shape))

    return record(out, (input, source), "IndexAddBackward0", vjp)


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1, out=None) -> Tensor:
    """``input`` with ``alpha * source[..., i, ...]`` added into slice ``index[i]`` along ``dim``; repeated
    indices accumulate (a bool input takes the logical or).  ``index`` is a 1-d (or 0-d) int64/int32
    tensor with one position per slice of ``source`` along ``dim``; ``source`` has ``input``'s shape off
    ``dim`` and its dtype.  ``alpha`` is keyword-only, converted to the dtype (a fraction truncates for
    integers).  torch's errors: RuntimeError for an index of another dtype, a position out of bounds
    (negative ones too), a count or shape or dtype mismatch; IndexError for a 2-d+ index.  Result
    contiguous.  Gradient (``IndexAddBackward0``): the gradient for ``input``, ``alpha`` times its
    ``index_select`` for ``source``."""
    if out is None:
        return _index_add(input, dim, index, source, alpha)
    from ._out import write_out

    return write_out(
        "index_add",
        _index_add,
        (input, dim, index, source, alpha),
        {},
        out,
        exact_dtype=True,
        differentiable=True,
        overlap="self",
    )


def _index_add_method(self: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
    return _index_add(self, dim, index, source, alpha)


tensor_method(_index_add_method, name="index_add")


# -- scatter, scatter_add ---------------------------------------------------------------------------


def _scatter_checks(op: str, input: Tensor, d: int, index: Tensor, src: Tensor | None) -> np.ndarray | None:
    """torch's checks, in its order; the positions (shaped like ``index``, at least 1-d), or None for an
    empty index (which skips every check)."""
    if not isinstance(index, Tensor):
        raise TypeError(f"{op}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if index.numel() == 0:
        return None
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index")
    if src is not None and src.dtype is not input.dtype:
        raise RuntimeError(f"{op}(): Expected self.dtype to be equal to src.dtype")
    idx = index._data.reshape(index._data.shape or (1,)).astype(np.int64)
    self_shape = tuple(input.shape) or (1,)
    if idx.ndim != len(self_shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if src is not None and idx.ndim != max(src.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    src_shape = (tuple(src.shape) or (1,)) if src is not None else None
    for k in range(idx.ndim):
        if (k != d and idx.shape[k] > self_shape[k]) or (src_shape is not None and idx.shape[k] > src_shape[k]):
            raise RuntimeError(
                f"Expected index {list(index.shape)} to be no larger than self {list(input.shape)} apart from "
                f"dimension {d}" + (f" and to be no larger size than src {list(src.shape)}" if src is not None else "")
            )
    _check_bounds(idx, self_shape[d], d)
    return idx


def _scatter_into(values: np.ndarray, d: int, idx: np.ndarray, src: np.ndarray, add: bool) -> None:
    """values[i with i_d replaced by idx[i]] (+)= src[i] for every position i of idx, in row-major order
    (assignment: the last write of a repeated position wins, as torch's CPU loop does)."""
    grid = list(np.indices(idx.shape, sparse=True))
    grid[d] = idx
    window = tuple(slice(0, n) for n in idx.shape)
    taken = src[window]
    if add:
        if values.dtype == np.bool_:
            np.logical_or.at(values, tuple(grid), taken)
        else:
            np.add.at(values, tuple(grid), taken)
    else:
        flat_positions = np.ravel_multi_index(tuple(np.broadcast_to(g, idx.shape) for g in grid), values.shape)
        values.reshape(-1)[flat_positions.reshape(-1)] = taken.reshape(-1)


def _scatter(input: Tensor, dim, index: Tensor, src=None, value=None, reduce=None, add: bool = False) -> Tensor:
    op = "scatter_add" if add else "scatter"
    if reduce is not None:
        raise NotImplementedError(
            "scatter(reduce=...) is not modelled (deprecated in torch for tensor src: scatter_reduce; its "
            "backward is not implemented)"
        )
    d = wrap_dim(dim, input.ndim)
    idx = _scatter_checks(op, input, d, index, src)
    self_shape = tuple(input.shape) or (1,)
    values = np.array(input._data.reshape(self_shape), order="C")
    if idx is not None:
        if src is not None:
            source = src._data.reshape(src._data.shape or (1,))
        else:
            source = np.full(idx.shape, _scaled(value, input.dtype), dtype=input._data.dtype)
        _scatter_into(values, d, idx, source, add)
    out = Tensor._wrap(values.reshape(input.shape))

    def self_grad(g):
        return g if add else scatter(g, dim, index, 0)

    if src is None:
        return record(out, (input,), "ScatterBackward1", lambda g: (self_grad(g),))

    def vjp(g):
        from ._indexing import gather

        return self_grad(g), gather(g, dim, index)  # of the index's shape (torch's engine checks it against src)

    node = "ScatterAddBackward0" if add else "ScatterBackward0"
    return record(out, (input, src), node, vjp)


def _scatter_arguments(args: tuple, kwargs: dict) -> tuple:
    """(src, value, reduce) of a scatter call: a positional tensor is ``src`` (a 0-d one too), a
    positional number is ``value``; or ``src=`` / ``value=`` by keyword."""
    if len(args) > 2 or set(kwargs) - {"src", "value", "reduce"}:
        raise TypeError("scatter() received an invalid combination of arguments")
    src = kwargs.get("src")
    value = kwargs.get("value")
    reduce = kwargs.get("reduce", args[1] if len(args) == 2 else None)
    if args:
        if src is not None or value is not None:
            raise TypeError("scatter() received an invalid combination of arguments: src or value given twice")
        src, value = (args[0], None) if isinstance(args[0], Tensor) else (None, args[0])
    if isinstance(value, Tensor):
        if value.ndim:
            raise TypeError("scatter() received an invalid combination of arguments: value must be a number")
        value = value.item()
    if (src is None) == (value is None):
        raise TypeError("scatter() received an invalid combination of arguments: expected src or value")
    if value is not None and not isinstance(value, bool | int | float | complex | np.number):
        raise TypeError(f"scatter(): argument 'value' must be Number, not {type(value).__name__}")
    return src, value, reduce


def scatter(input: Tensor, dim: int, index: Tensor, *args, out=None, **kwargs) -> Tensor:
    """``input`` with ``src[i]`` (or the number ``value``) written at position i with its ``dim``
    coordinate replaced by ``index[i]``, for every position i of ``index`` (which may be smaller than
    ``src``, and than ``input`` off ``dim``); a repeated position keeps the last write (torch's CPU loop;
    documented as unspecified).  ``index`` is int64/int32 with ``input``'s number of dims (0-d counts as
    1-d); ``src`` has ``input``'s dtype; an empty index changes nothing and is not checked.  torch's
    errors: RuntimeError for an index of another dtype or rank, sizes too large, a position out of
    bounds (negative ones too), a dtype mismatch.  A positional 0-d tensor is ``src``; ``value=`` may be a
    0-d tensor.  Result contiguous.  Gradient: ``ScatterBackward0`` (the gradient with the written
    positions zeroed for ``input``, its ``gather`` for ``src``; torch's backward needs ``src`` of the
    index's shape) or ``ScatterBackward1`` for a value.  ``reduce=`` is not modelled."""
    src, value, reduce = _scatter_arguments(args, kwargs)
    if out is None:
        return _scatter(input, dim, index, src, value, reduce)
    from ._out import write_out

    return write_out(
        "scatter",
        lambda i, dm, ix, s: _scatter(i, dm, ix, s, value, reduce),
        (input, dim, index, src),
        {},
        out,
        exact_dtype=True,
        differentiable=True,
        overlap="self",
    )


def _scatter_method(self: Tensor, dim: int, index: Tensor, *args, **kwargs) -> Tensor:
    return scatter(self, dim, index, *args, **kwargs)


tensor_method(_scatter_method, name="scatter")


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor, *, out=None) -> Tensor:
    """As :func:`scatter` with a tensor ``src``, but repeated positions accumulate (a bool input takes
    the logical or); no number form.  Gradient (``ScatterAddBackward0``): the gradient for ``input``,
    its ``gather`` for ``src``."""
    if not isinstance(src, Tensor):
        raise TypeError(f"scatter_add(): argument 'src' (position 4) must be Tensor, not {type(src).__name__}")
    if out is None:
        return _scatter(input, dim, index, src, add=True)
    from ._out import write_out

    return write_out(
        "scatter_add",
        lambda i, dm, ix, s: _scatter(i, dm, ix, s, add=True),
        (input, dim, index, src),
        {},
        out,
        exact_dtype=True,
        differentiable=True,
        overlap="self",
    )


def _scatter_add_method(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    return scatter_add(self, dim, index, src)


tensor_method(_scatter_add_method, name="scatter_add")
