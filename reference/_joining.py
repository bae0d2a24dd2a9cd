"""Joining tensors (cat, stack, hstack, vstack) and splitting them (chunk, split, unbind, tensor_split).

Joining makes a new tensor; splitting returns views that share the input's memory.  Two kinds of
split views exist in torch, and autograd tells them apart: ``split``, ``chunk`` and ``unbind``
return their pieces from *one* op (one ``SplitBackward0``/``UnbindBackward0`` node with an
output per piece), and such views may not be written in place while autograd records;
``tensor_split`` and ``narrow`` cut each piece with its own ``slice`` (a ``SliceBackward0`` each),
and those may.
"""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from ._adjoints import index_add_into_zeros
from ._autograd_hooks import record, record_unary
from ._dims import wrap_dim
from ._indexing import _apply_steps
from ._layout import (
    cat_strides,
    contiguous_strides,
    element_strides,
    lay_out,
    view_strides,
)
from ._out import write_out
from ._tensor import Tensor, tensor_method
from .autograd.graph import is_grad_enabled

__all__ = [
    "cat",
    "concat",
    "concatenate",
    "stack",
    "hstack",
    "vstack",
    "chunk",
    "split",
    "unbind",
    "tensor_split",
    "narrow",
]


# -- arguments --------------------------------------------------------------------------------------


def _int_argument(value, op: str, name: str, position: int) -> int:
    """An ``int`` parameter as torch's argument parser takes it (a bool or float is a TypeError)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{op}(): argument '{name}' (position {position}) must be int, not {type(value).__name__}")
    return int(value)


def _tensor_list(tensors, op: str) -> list[Tensor]:
    """A list or tuple of Tensors (torch's ``TensorList``): anything else is a TypeError."""
    if not isinstance(tensors, list | tuple):
        raise TypeError(
            f"{op}(): argument 'tensors' (position 1) must be tuple of Tensors, not {type(tensors).__name__}"
        )
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return list(tensors)


def _written_dtype(promoted: D.dtype, out_dtype: D.dtype | None) -> D.dtype:
    """The dtype a join writes: the inputs' promotion, or with ``out=`` the out's own dtype (torch
    copies each input straight into ``out``, so ``int16`` 2049 lands in a float64 ``out`` as 2049.0,
    never rounded through a float16 promotion), which every input's dtype must cast to."""
    if out_dtype is None:
        return promoted
    if not D.can_cast(promoted, out_dtype):
        raise TypeError(f"torch.cat(): input types can't be cast to the desired output type {out_dtype._torch_name}")
    return out_dtype


_CATS = ("cat", "concat", "concatenate", "hstack")  # hstack of 1-d tensors is a cat


def _joined_out(name: str, tensors, out, join) -> Tensor:
    """Run ``join(tensors, out_dtype)``; with ``out=``, write into ``out`` by torch's out= rules
    (``_out``), the values copied straight into out's dtype."""
    tensors = _tensor_list(tensors, name)
    if out is None:
        return join(tensors, None)
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    return write_out(
        name,
        lambda ts: join(ts, out.dtype),
        (tensors,),
        {},
        out,
        exact_dtype=False,
        differentiable=True,
        overlap="refuse",
        # cat skips legacy (0,) inputs before its overlap check
        checked=[t for t in tensors if name not in _CATS or t.shape != (0,)],
    )


# -- slices as views (shared by cat's backward, tensor_split and narrow) -------------------------------


def _slice_view(input: Tensor, dim: int, start: int, stop: int) -> np.ndarray:
    """``input``'s elements ``start:stop`` along ``dim`` (already in range) as a NumPy view with torch's
    strides and storage offset (an empty slice keeps its place in memory)."""
    return _apply_steps(input._data, [("slice", dim, start, stop, 1)])


def _slice_key(ndim: int, dim: int, start: int, stop: int) -> tuple:
    return (slice(None),) * dim + (slice(start, stop),) + (slice(None),) * (ndim - dim - 1)


def _sliced(input: Tensor, dim: int, start: int, stop: int) -> Tensor:
    """``input.slice(dim, start, stop)``: a view recorded as ``SliceBackward0`` (gradient: zeros with
    the slice's gradient put in place)."""
    shape, key = tuple(input.shape), _slice_key(input.ndim, dim, start, stop)
    return record_unary(
        input._view(_slice_view(input, dim, start, stop)),
        input,
        "SliceBackward0",
        lambda g: index_add_into_zeros(shape, key, g),
    )


def _pieces(input: Tensor, dim: int, sizes: list[int], node: str) -> tuple[Tensor, ...]:
    """Consecutive views of ``sizes`` along ``dim``, returned by *one* op ``node`` (split's kind): one
    graph node with an output per piece, whose backward joins the pieces' gradients back together.
    While grad mode is on, each piece is marked as one of several views (written in place, it refuses)."""
    starts = np.cumsum([0, *sizes[:-1]]).tolist()
    pieces = tuple(input._view(_slice_view(input, dim, s, s + n)) for s, n in zip(starts, sizes, strict=True))
    if is_grad_enabled():
        for p in pieces:
            p._view_meta[1] = "multi"
    return record(pieces, (input,), node, lambda *gs: (cat(gs, dim),))


# -- joining ----------------------------------------------------------------------------------------


def _skipped(t: Tensor) -> bool:
    """torch's legacy rule: a 1-d empty tensor (shape ``(0,)``) joins anything, and is left out."""
    return t._data.shape == (0,)


def _joined_strides(inputs: list, shape: tuple[int, ...]) -> tuple[int, ...]:
    """cat's output layout (:func:`_layout.cat_strides`); ``inputs`` are arrays or ``(shape, strides)`` pairs."""
    return cat_strides([(a.shape, element_strides(a)) if isinstance(a, np.ndarray) else a for a in inputs], shape)


def _empty_like_grad(g: Tensor) -> Tensor:
    return Tensor._wrap(np.zeros(0, dtype=g._data.dtype))


def _cat(tensors: list[Tensor], dim, op: str, out_dtype: D.dtype | None = None) -> Tensor:
    if not tensors:
        raise ValueError(f"torch.{op}(): expected a non-empty list of Tensors")
    dim = _int_argument(dim, op, "dim", 2)
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    dtype = _written_dtype(_promoted(tensors), out_dtype)
    kept = [(i, t) for i, t in enumerate(tensors) if not _skipped(t)]
    if not kept:  # only legacy empties: a (0,) tensor, whatever dim says
        out = Tensor._wrap(np.empty(0, dtype=dtype.np))
        return record(out, tensors, "CatBackward0", lambda g: tuple(_empty_like_grad(g) for _ in tensors))
    first = kept[0][1]
    d = wrap_dim(dim, first.ndim)
    for i, t in kept[1:]:
        if t.ndim != first.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {first.ndim} and {t.ndim}")
        for k in range(first.ndim):
            if k != d and t.shape[k] != first.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size {first.shape[k]} but got "
                    f"size {t.shape[k]} for tensor number {i} in the list."
                )
    values = np.concatenate([t._data.astype(dtype.np, copy=False) for _, t in kept], axis=d)
    out = Tensor._wrap(lay_out(values, _joined_strides([t._data for t in tensors], values.shape)), laid_out=True)
    sizes = [t.shape[d] if not _skipped(t) else None for t in tensors]

    def vjp(g):
        grads, start = [], 0
        for n in sizes:
            if n is None:  # a skipped (0,) input: an empty gradient
                grads.append(_empty_like_grad(g))
            else:
                grads.append(_sliced(g, d, start, start + n))
                start += n
        return tuple(grads)

    return record(out, tensors, "CatBackward0", vjp)


def cat(tensors, dim: int = 0, *, axis=None, out=None) -> Tensor:
    """The tensors joined along ``dim`` (``axis`` is an alias), in a new tensor.

    torch's rules: every tensor must have the first one's number of dims and its sizes in every
    other dim (RuntimeError naming the tensor's position); the result's dtype is the promotion of
    *all* the inputs' dtypes.  A 1-d empty tensor (shape ``(0,)``) is the legacy exception: it is
    left out of the join (its dtype still promotes), so ``cat([x, torch.tensor([])])`` works for any
    ``x``; when every input is one, the result is a ``(0,)`` tensor whatever ``dim`` says.  A 0-d
    tensor cannot be joined (RuntimeError); an empty list is a ValueError; ``dim`` wraps against the
    first non-skipped tensor.  The result is contiguous, or channels-last when every input's strides
    suggest channels-last (4-d; channels-last-3d for 5-d).  ``out=`` takes any dtype the result casts
    to (TypeError otherwise).  Gradient: each input gets its slice of the gradient along ``dim``."""
    return _joined_out("cat", tensors, out, lambda ts, dt: _cat(ts, axis if axis is not None else dim, "cat", dt))


def concat(tensors, dim: int = 0, *, axis=None, out=None) -> Tensor:
    """An alias of :func:`cat`."""
    return _joined_out("concat", tensors, out, lambda ts, dt: _cat(ts, axis if axis is not None else dim, "concat", dt))


def concatenate(tensors, axis: int = 0, *, dim=None, out=None) -> Tensor:
    """An alias of :func:`cat` (NumPy's name; ``axis`` and ``dim`` both accepted)."""
    return _joined_out(
        "concatenate", tensors, out, lambda ts, dt: _cat(ts, dim if dim is not None else axis, "concatenate", dt)
    )


def _stack(tensors: list[Tensor], dim, out_dtype: D.dtype | None = None) -> Tensor:
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    dim = _int_argument(dim, "stack", "dim", 2)
    first = tensors[0]
    d = wrap_dim(dim, first.ndim + 1)
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != first.shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(first.shape)} at entry 0 and "
                f"{list(t.shape)} at entry {i}"
            )
    # torch joins with cat: along an existing dim, then splits that dim by a view (so the layout is
    # cat's result seen as the stacked shape); at the end, the inputs unsqueezed there
    dtype = _written_dtype(_promoted(tensors), out_dtype)
    values = np.stack([t._data.astype(dtype.np, copy=False) for t in tensors], axis=d)
    if d < first.ndim and out_dtype is not None:
        # stack(out=) resizes ``out`` to the stacked shape first (contiguous), then cats into a view of it
        strides = contiguous_strides(values.shape)
    elif d < first.ndim:
        joined = (*first.shape[:d], len(tensors) * first.shape[d], *first.shape[d + 1 :])
        strides = view_strides(joined, _joined_strides([t._data for t in tensors], joined), values.shape)
    else:
        strides = _joined_strides([_unsqueezed_at_end(t._data) for t in tensors], values.shape)
    out = Tensor._wrap(lay_out(values, strides), laid_out=True)
    return record(out, tensors, "StackBackward0", lambda g: unbind(g, d))


def _promoted(tensors: list[Tensor]) -> D.dtype:
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = D.promote_types(dtype, t.dtype)
    return dtype


def _unsqueezed_at_end(a: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The shape and strides torch gives ``t.unsqueeze(-1)`` (the new last dim has stride 1)."""
    return (*a.shape, 1), (*element_strides(a), 1)


def stack(tensors, dim: int = 0, *, out=None) -> Tensor:
    """The tensors joined along a *new* dim ``dim`` (in ``[-(n+1), n]`` for n-d inputs).

    torch's rules: every tensor must have exactly the first one's shape (RuntimeError naming both
    shapes; no legacy empty exception here), an empty list is a RuntimeError, and the dtype is the
    promotion of all the inputs'.  torch builds it from ``cat``: along an existing dim it joins there
    and splits that dim by a view (so channels-last inputs give a channels-last-like result), at the
    end it joins the inputs unsqueezed.  0-d inputs give a 1-d result.  Gradient: ``unbind`` of the
    gradient along ``dim``."""
    return _joined_out("stack", tensors, out, lambda ts, dt: _stack(ts, dim, dt))


def _at_least(t: Tensor, ndim: int) -> Tensor:
    """torch's ``atleast_1d``/``atleast_2d``: a 0-d tensor becomes ``(1,)``, then a 1-d one ``(1, n)``."""
    from ._shape import reshape, unsqueeze

    if t.ndim == 0:
        t = reshape(t, (1,))
    if ndim == 2 and t.ndim == 1:
        t = unsqueeze(t, 0)
    return t


def _hstack(tensors: list[Tensor], out_dtype: D.dtype | None) -> Tensor:
    if not tensors:
        raise RuntimeError("hstack expects a non-empty TensorList")
    tensors = [_at_least(t, 1) for t in tensors]
    return _cat(tensors, 0 if tensors[0].ndim == 1 else 1, "cat", out_dtype)


def hstack(tensors, *, out=None) -> Tensor:
    """The tensors joined horizontally: 0-d tensors become 1-d, then ``cat`` along dim 0 when the
    first tensor is 1-d, along dim 1 otherwise (so 1-d and 2-d inputs do not mix: cat's
    RuntimeError).  An empty list is a RuntimeError.  The graph ends in ``CatBackward0``."""
    return _joined_out("hstack", tensors, out, _hstack)


def _vstack(tensors: list[Tensor], out_dtype: D.dtype | None) -> Tensor:
    if not tensors:
        raise RuntimeError("vstack expects a non-empty TensorList")
    return _cat([_at_least(t, 2) for t in tensors], 0, "cat", out_dtype)


def vstack(tensors, *, out=None) -> Tensor:
    """The tensors joined vertically: 0-d and 1-d tensors become rows (``(1, n)``), then ``cat``
    along dim 0.  An empty list is a RuntimeError.  The graph ends in ``CatBackward0``."""
    return _joined_out("vstack", tensors, out, _vstack)


# -- splitting --------------------------------------------------------------------------------------


def _split_sizes(split_size: int, n: int) -> list[int]:
    """split's pieces: ``split_size`` each, the last one shorter; at least one piece (an empty dim
    split by 0 gives one empty piece)."""
    count = max(-(-n // split_size), 1) if split_size else 1
    return [min(split_size, n - i * split_size) for i in range(count)]


def _split_int(input: Tensor, split_size: int, dim) -> tuple[Tensor, ...]:
    if input.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={split_size}")
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if split_size == 0 and n != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
    return _pieces(input, d, _split_sizes(split_size, n), "SplitBackward0")


def _split_with_sizes(input: Tensor, sizes, dim) -> tuple[Tensor, ...]:
    if not isinstance(sizes, list | tuple):
        raise TypeError(
            f"split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not {type(sizes).__name__}"
        )
    sizes = list(sizes)
    for pos, s in enumerate(sizes):
        if isinstance(s, Tensor) and s.ndim == 0 and not s.dtype.is_floating_point and not s.dtype.is_complex:
            sizes[pos] = int(s.item())
        elif isinstance(s, bool) or not isinstance(s, int | np.integer):
            raise TypeError(
                "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, but found element "
                f"of type {type(s).__name__} at pos {pos}"
            )
        else:
            sizes[pos] = int(s)
    if input.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if any(s < 0 for s in sizes):
        raise RuntimeError(
            f"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={sizes}"
        )
    if sum(sizes) != n:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension {d}), "
            f"but got split_sizes={sizes}"
        )
    return _pieces(input, d, sizes, "SplitWithSizesBackward0")


def split(tensor: Tensor, split_size_or_sections, dim: int = 0) -> tuple[Tensor, ...]:
    """Views of consecutive pieces along ``dim``: with an int, pieces of that size (the last one
    shorter, never more pieces than needed; 0 only for an empty dim, which gives one empty piece);
    with a list of sizes, exactly those pieces (non-negative, summing to the dim's size).

    torch's errors: a 0-d input, a negative size, sizes that do not sum up (RuntimeError); a float
    size (TypeError: the non-int goes to ``split_with_sizes``).  One op returns all the pieces
    (``SplitBackward0`` or, for a list, ``SplitWithSizesBackward0``): its backward joins the pieces'
    gradients, and the pieces may not be written in place while autograd records.  A 0-d integer
    tensor counts as an int."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"split(): argument 'tensor' must be Tensor, not {type(tensor).__name__}")
    dim = _int_argument(dim, "split", "dim", 3)
    size = split_size_or_sections
    if isinstance(size, Tensor) and size.ndim == 0 and not size.dtype.is_floating_point and not size.dtype.is_complex:
        size = int(size.item())
    if isinstance(size, int | np.integer) and not isinstance(size, bool):
        return _split_int(tensor, int(size), dim)
    return _split_with_sizes(tensor, size, dim)


def _split_method(self: Tensor, split_size, dim: int = 0) -> tuple[Tensor, ...]:
    """``x.split(split_size, dim=0)``: :func:`split` (the method names its argument ``split_size``)."""
    return split(self, split_size, dim)


tensor_method(_split_method, name="split")


@tensor_method
def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``chunks`` pieces as views, as :func:`split` with size ``ceil(n / chunks)`` along ``dim``: so
    *fewer* pieces than asked may come back (6 elements in 4 chunks: three of 2), and the last may
    be shorter.  An empty dim gives exactly ``chunks`` empty pieces (torch then splits with a list of
    sizes: ``SplitWithSizesBackward0``).  torch's errors: a 0-d input, ``chunks`` < 1 (RuntimeError,
    the 0-d check first), a non-int ``chunks`` (TypeError)."""
    chunks = _int_argument(chunks, "chunk", "chunks", 2)
    dim = _int_argument(dim, "chunk", "dim", 3)
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if n == 0:
        return _pieces(input, d, [0] * chunks, "SplitWithSizesBackward0")
    return _pieces(input, d, _split_sizes(-(-n // chunks), n), "SplitBackward0")


@tensor_method
def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """Every slice along ``dim``, that dim removed, as views: ``(x[0], x[1], ...)`` for dim 0 (none
    for an empty dim).  A 0-d input has no dim to name (IndexError).  One op returns them all
    (``UnbindBackward0``, whose backward stacks the gradients); they may not be written in place
    while autograd records."""
    dim = _int_argument(dim, "unbind", "dim", 2)
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = wrap_dim(dim, input.ndim)
    pieces = tuple(input._view(_apply_steps(input._data, [("select", d, i)])) for i in range(input.shape[d]))
    if is_grad_enabled():
        for p in pieces:
            p._view_meta[1] = "multi"
    return record(pieces, (input,), "UnbindBackward0", lambda *gs: (stack(gs, d),)) if pieces else pieces


def _clamped(i: int, n: int) -> int:
    """A slice bound as ``at::slice`` reads it: negative counts from the end, then clamped to ``[0, n]``."""
    i = i + n if i < 0 else i
    return min(max(i, 0), n)


#: tensor_split's overloads name their second argument by its type
_TENSOR_SPLIT_KEYWORDS = {
    "sections": "an int",
    "indices": "a sequence of ints",
    "tensor_indices_or_sections": "a Tensor",
}


def _tensor_split_arguments(args: tuple, kwargs: dict) -> tuple:
    """The split specification and ``dim`` of a ``tensor_split`` call, as torch's three overloads take
    them: positionally, or by the keyword of the overload the value's type picks."""
    named = [k for k in kwargs if k in _TENSOR_SPLIT_KEYWORDS]
    unknown = [k for k in kwargs if k not in _TENSOR_SPLIT_KEYWORDS and k != "dim"]
    if unknown or len(args) > 2 or len(named) + min(len(args), 1) != 1 or ("dim" in kwargs and len(args) == 2):
        raise TypeError(
            "tensor_split() received an invalid combination of arguments: expected (input, sections, dim=0), "
            "(input, indices, dim=0) or (input, tensor_indices_or_sections, dim=0)"
        )
    if args:
        spec = args[0]
    else:
        spec = kwargs[named[0]]
        fits = {
            "sections": isinstance(spec, int | np.integer) and not isinstance(spec, bool),
            "indices": isinstance(spec, list | tuple),
            "tensor_indices_or_sections": isinstance(spec, Tensor),
        }[named[0]]
        if not fits:
            raise TypeError(
                f"tensor_split(): argument '{named[0]}' must be {_TENSOR_SPLIT_KEYWORDS[named[0]]}, "
                f"not {type(spec).__name__}"
            )
    return spec, args[1] if len(args) == 2 else kwargs.get("dim", 0)


@tensor_method
def tensor_split(input: Tensor, *args, **kwargs) -> tuple[Tensor, ...]:
    """Views of ``input`` cut along ``dim``: with an int ``sections``, that many pieces whose sizes
    differ by at most one (the first ``n % sections`` one longer; more sections than elements give
    empty pieces); with a list of ``indices``, the pieces between them, each bound read as a slice
    bound (negative from the end, clamped, a piece never running backwards: unsorted indices give
    empty pieces).  A 0-d or 1-d int64 tensor (``tensor_indices_or_sections``) works as the int or the
    list.  Called as ``tensor_split(input, indices_or_sections, dim=0)``; by keyword, the overload's
    name for the value's type (``sections=``, ``indices=``, ``tensor_indices_or_sections=``).

    torch's errors: a 0-d input, ``sections`` < 1, an index tensor that is not int64 or has 2+ dims
    (RuntimeError); a float, or a keyword that does not fit the value (TypeError).  Each piece is its
    own ``slice`` (``SliceBackward0``): unlike split's, the pieces may be written in place."""
    spec, dim = _tensor_split_arguments(args, kwargs)
    dim = _int_argument(dim, "tensor_split", "dim", 3)
    if isinstance(spec, Tensor):
        if spec.dtype is not D.int64:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                f"{spec.dtype._torch_name}"
            )
        if spec.ndim > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional "
                f"tensor, but got a tensor with {spec.ndim} dims"
            )
        spec = int(spec.item()) if spec.ndim == 0 else [int(v) for v in spec._data]
    if isinstance(spec, bool) or not isinstance(spec, int | np.integer | list | tuple):
        raise TypeError(f"tensor_split() received an invalid combination of arguments: got {type(spec).__name__}")
    if isinstance(spec, list | tuple) and any(isinstance(v, bool) or not isinstance(v, int | np.integer) for v in spec):
        raise TypeError("tensor_split() received an invalid combination of arguments: indices must be ints")
    if input.ndim == 0:
        raise RuntimeError(
            f"tensor_split expected at least a 1-dimensional tensor, but got a tensor with {input.ndim} dims"
        )
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if isinstance(spec, int | np.integer):
        sections = int(spec)
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        small, extra = divmod(n, sections)
        bounds, start = [], 0
        for i in range(sections):
            stop = start + small + (1 if i < extra else 0)
            bounds.append((start, stop))
            start = stop
    else:
        bounds, start = [], 0
        for idx in [*(int(v) for v in spec), None]:
            lo = _clamped(start, n) if start is not None else 0
            hi = n if idx is None else max(_clamped(idx, n), lo)
            bounds.append((lo, hi))
            start = idx
    return tuple(_sliced(input, d, lo, hi) for lo, hi in bounds)


@tensor_method
def narrow(input: Tensor, dim: int, start, length: int) -> Tensor:
    """The view ``input[..., start:start+length, ...]`` along ``dim``.  ``start`` may be negative
    (counted from the end) or a 0-d integer tensor; ``start + length`` must not pass the dim's end.

    torch's errors: a 0-d input, a negative ``length``, ``start`` outside ``[-n, n]``, a slice past
    the end (RuntimeError; IndexError for ``dim`` out of range).  The view is recorded as a slice
    (``SliceBackward0``)."""
    dim = _int_argument(dim, "narrow", "dim", 2)
    if isinstance(start, Tensor):
        if start.ndim != 0 or start.dtype.is_floating_point or start.dtype.is_complex:
            raise RuntimeError("start must be an 0-dim integral Tensor.")
        start = int(start.item())
    start = _int_argument(start, "narrow", "start", 3)
    length = _int_argument(length, "narrow", "length", 4)
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    if start < 0:
        start += n
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return _sliced(input, d, start, start + length)
