"""Shape ops.  Each returns a *view* (shares storage with its input) exactly where torch does.

NumPy reshapes/transposes/expand_dims produce NumPy views, so a reference view
is literally a window on its base's memory.
"""

from __future__ import annotations

import numpy as np

from ._autograd_hooks import record_unary
from ._dims import as_int_tuple, infer_shape, wrap_dim, wrap_dims
from ._layout import (
    as_view,
    cat_strides,
    contiguous_strides,
    element_strides,
    lay_out,
    preserve_format_strides,
    unsqueeze_stride,
    view_strides,
)
from ._out import with_out
from ._tensor import Tensor, tensor_method

__all__ = [
    "view",
    "reshape",
    "squeeze",
    "unsqueeze",
    "flatten",
    "permute",
    "transpose",
    "t",
    "expand",
    "diagonal",
    "diag",
    "detach",
    "tril",
    "triu",
    "flip",
    "roll",
]

# ``repeat`` is a Tensor method only (torch has no ``torch.repeat``): attached below, not exported


def _view_of(input: Tensor, arr: np.ndarray, name: str, vjp) -> Tensor:
    return record_unary(input._view(arr), input, name, vjp)


def _viewed(arr: np.ndarray, shape: tuple[int, ...]) -> np.ndarray | None:
    """``arr`` seen as ``shape`` with the strides torch's ``view`` computes, or None where torch
    cannot view it (see :func:`_layout.view_strides`)."""
    strides = view_strides(arr.shape, element_strides(arr), shape)
    return None if strides is None else as_view(arr, shape, strides)


@tensor_method
def view(input: Tensor, *shape) -> Tensor:
    """The same data with a new shape (one dim may be -1), never copying.

    torch raises RuntimeError when the strides make that impossible (e.g. a
    transposed tensor flattened): ``reshape`` copies instead.
    """
    shape = infer_shape(as_int_tuple(shape, "view"), input._data.size)
    arr = _viewed(input._data, shape)
    if arr is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans "
            "across two contiguous subspaces). Use .reshape(...) instead."
        )
    in_shape = input._data.shape
    return _view_of(input, arr, "ViewBackward0", lambda g: reshape(g, in_shape))


@tensor_method
def reshape(input: Tensor, *shape) -> Tensor:
    """Like :func:`view` when the strides allow it (a view), else a copy.

    torch 2.13 records three different nodes: a contiguous input is viewed
    (ViewBackward0); a non-contiguous but viewable one goes through
    ``_reshape_alias`` (ReshapeAliasBackward0); otherwise it is cloned
    (CloneBackward0) and the copy reshaped (UnsafeViewBackward0).
    """
    shape = infer_shape(as_int_tuple(shape, "reshape"), input._data.size)
    in_shape = input._data.shape
    arr = _viewed(input._data, shape)
    if arr is None:
        copy = input.clone()
        out = Tensor._wrap(np.reshape(copy._data, shape))
        return record_unary(out, copy, "UnsafeViewBackward0", lambda g: reshape(g, in_shape))
    name = "ViewBackward0" if input.is_contiguous() else "ReshapeAliasBackward0"
    return _view_of(input, arr, name, lambda g: reshape(g, in_shape))


_ALL = object()  # torch's squeeze has no "dim=None": omitting dim and passing None differ


@tensor_method
def squeeze(input: Tensor, dim=_ALL) -> Tensor:
    """Remove size-1 dims: all of them (no ``dim``), or those listed in ``dim`` (int or tuple).

    A listed dim whose size is not 1 is left alone (no error).  A 0-d input
    accepts dim 0 or -1 and is returned unchanged (as a view).  Always a view.
    """
    shape = input._data.shape
    if dim is _ALL:
        dims = tuple(i for i, s in enumerate(shape) if s == 1)
        name = "SqueezeBackward0"
    elif type(dim) is int or isinstance(dim, np.integer):
        d = wrap_dim(dim, len(shape))
        dims = (d,) if shape and shape[d] == 1 else ()
        name = "SqueezeBackward1"
    else:
        if not isinstance(dim, tuple | list) or any(isinstance(d, bool) for d in dim):
            raise TypeError(f"squeeze(): argument 'dim' must be int or tuple of ints, not {type(dim).__name__}")
        dims = tuple(d for d in wrap_dims(dim, len(shape)) if shape and shape[d] == 1)
        name = "SqueezeBackward2"
    arr = input._data.squeeze(axis=dims) if dims else input._data.view()
    return _view_of(input, arr, name, lambda g: reshape(g, shape))


@tensor_method
def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a size-1 dim at position ``dim`` in ``[-ndim-1, ndim]`` (negatives count from the end).

    A view; the new dim's stride is ``size[dim] * stride[dim]`` of the dim it lands before, or 1
    at the end (``zeros(2, 2).unsqueeze(0).stride() == (4, 2, 1)``)."""
    d = wrap_dim(dim, input.ndim + 1)
    arr = unsqueezed(input._data, d)
    return _view_of(input, arr, "UnsqueezeBackward0", lambda g: squeeze(g, d))


def unsqueezed(arr: np.ndarray, d: int) -> np.ndarray:
    """``arr`` with a size-1 dim inserted at ``d``, strided as torch's unsqueeze."""
    shape, strides = arr.shape, element_strides(arr)
    new_shape = shape[:d] + (1,) + shape[d:]
    new_strides = strides[:d] + (unsqueeze_stride(shape, strides, d),) + strides[d:]
    if arr.flags.c_contiguous and arr.size:  # NumPy's reshape gives a contiguous array these strides, cheaply
        out = arr.reshape(new_shape)
        if element_strides(out) == new_strides:
            return out
    return as_view(arr, new_shape, new_strides)


@tensor_method
def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims ``start_dim..end_dim`` (inclusive) into one.

    A 0-d input becomes 1-d.  ``start_dim == end_dim`` returns ``input``
    itself (not a copy, not a new view) for inputs with at least one dim.
    Otherwise a view when the strides allow, else a copy (like reshape).
    """
    s = wrap_dim(start_dim, input.ndim)
    e = wrap_dim(end_dim, input.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if input.ndim == 0:
        return reshape(input, (1,))
    if s == e:
        return input
    shape = input._data.shape
    merged = int(np.prod(shape[s : e + 1], dtype=np.int64))
    return reshape(input, shape[:s] + (merged,) + shape[e + 1 :])


@tensor_method
def permute(input: Tensor, *dims) -> Tensor:
    """Reorder dims: ``out.shape[i] == input.shape[dims[i]]``.  Accepts ``permute(1, 0)`` or ``permute((1, 0))``.

    ``dims`` must name every dim exactly once (negatives allowed).  A view.
    """
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    dims = as_int_tuple(dims, "permute")
    n = input._data.ndim
    if len(dims) != n:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
            f"desired ordering of dimensions i.e. input.dim() = {input.ndim} is not equal to len(dims) = {len(dims)}"
        )
    wrapped = dims if all(0 <= d < n for d in dims) else tuple(wrap_dim(d, n) for d in dims)
    if len(set(wrapped)) != len(wrapped):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    arr = input._data.transpose(wrapped)

    def vjp(g):
        inverse = [0] * len(wrapped)
        for i, d in enumerate(wrapped):
            inverse[d] = i
        return permute(g, tuple(inverse))

    return _view_of(input, arr, "PermuteBackward0", vjp)


@tensor_method
def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dims.  A view."""
    a = wrap_dim(dim0, input.ndim)
    b = wrap_dim(dim1, input.ndim)
    arr = np.swapaxes(input._data, a, b) if input.ndim else input._data.view()
    return _view_of(input, arr, "TransposeBackward0", lambda g: transpose(g, a, b))


tensor_method(transpose, name="swapaxes")


@tensor_method
def t(input: Tensor) -> Tensor:
    """Transpose a matrix; 0-d and 1-d inputs come back as views of themselves."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    if input.ndim < 2:
        return _view_of(input, input._data.view(), "TBackward0", lambda g: g)
    return _view_of(input, input._data.T, "TBackward0", t)


@tensor_method
def expand(input: Tensor, *sizes, **kwargs) -> Tensor:
    """Broadcast to ``sizes`` (varargs, a tuple or list, or ``size=``) without copying: -1 keeps a dim,
    a size-1 dim stretches to any size (0 included), extra sizes add leading dims.  Expanded dims have
    stride 0; writing into an expanded tensor is refused (several elements share memory).

    torch's errors: fewer sizes than dims, a non-singleton dim asked for another size, a negative size
    other than -1, -1 for a new leading dim (RuntimeError); no sizes at all or a float (TypeError).
    Gradient (``ExpandBackward0``): the gradient summed over the stretched dims."""
    if kwargs:
        if set(kwargs) != {"size"} or sizes:
            raise TypeError(f"expand() got an unexpected keyword argument '{next(iter(kwargs))}'")
        sizes = (kwargs["size"],)
    if not sizes:
        raise TypeError('expand() missing 1 required positional arguments: "size"')
    sizes = as_int_tuple(sizes, "expand")
    if len(sizes) < input.ndim:
        raise RuntimeError(
            f"expand(torch.FloatTensor{{{list(input.shape)}}}, size={list(sizes)}): the number of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor ({input.ndim})"
        )
    lead = len(sizes) - input.ndim
    target = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"expand: the expanded size {s} is not allowed in a leading, non-existing dimension")
            target.append(s)
            continue
        have = input._data.shape[i - lead]
        if s == -1:
            s = have
        elif s < 0:
            raise RuntimeError("numel: integer multiplication overflow")
        if have != s and have != 1:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) at non-singleton "
                f"dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(input.shape)}"
            )
        target.append(s)
    arr = as_view(input._data, tuple(target), expand_strides(input._data.shape, element_strides(input._data), target))
    in_shape = input._data.shape

    def vjp(g):
        from ._elementwise import sum_to

        return sum_to(g, in_shape)

    return _view_of(input, arr, "ExpandBackward0", vjp)


def expand_strides(shape: tuple, strides: tuple, target) -> tuple[int, ...]:
    """torch's expand strides: 0 where a size-1 dim is stretched or a new leading dim has size
    other than 1; a new size-1 leading dim takes the span of the dim after it (of a 0-d input: 0)."""
    out = [0] * len(target)
    lead = len(target) - len(shape)
    for i in range(len(target) - 1, -1, -1):
        if i >= lead:
            size, stride = shape[i - lead], strides[i - lead]
        else:
            size, stride = 1, (target[i + 1] * out[i + 1] if i + 1 < len(target) else 0)
        out[i] = 0 if size != target[i] else stride
    return tuple(out)


@tensor_method
def expand_as(input: Tensor, other: Tensor) -> Tensor:
    """``input.expand(other.size())``: a view with size-1 dims stretched (stride 0) to ``other``'s shape."""
    return expand(input, tuple(other.shape))


@tensor_method
def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal of dims ``dim1, dim2`` moved to the last dim.  A view (NumPy's is read-only, so strided here)."""
    a = wrap_dim(dim1, input.ndim)
    b = wrap_dim(dim2, input.ndim)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    arr = input._data
    st = arr.strides
    n1, n2 = arr.shape[a], arr.shape[b]
    if offset >= 0:
        length = max(0, min(n1, n2 - offset))
        start = offset * st[b] if length else 0
    else:
        length = max(0, min(n1 + offset, n2))
        start = -offset * st[a] if length else 0
    rest = [i for i in range(arr.ndim) if i not in (a, b)]
    shape = tuple(arr.shape[i] for i in rest) + (length,)
    strides = tuple(st[i] for i in rest) + (st[a] + st[b],)
    view_arr = np.lib.stride_tricks.as_strided(
        _offset_view(arr, start), shape=shape, strides=strides, writeable=arr.flags.writeable
    )
    in_shape = input._data.shape

    def vjp(g):
        from ._adjoints import diagonal_embed

        return diagonal_embed(in_shape, offset, a, b, g)

    return _view_of(input, view_arr, "DiagonalBackward0", vjp)


def _offset_view(arr: np.ndarray, byte_offset: int) -> np.ndarray:
    """A 0-stride-safe view of ``arr`` starting ``byte_offset`` bytes in (for as_strided); for an
    empty ``arr`` too (its address moves, nothing is read)."""
    if byte_offset == 0:
        return arr
    flat = np.lib.stride_tricks.as_strided(arr, shape=(byte_offset // arr.itemsize + 1,), strides=(arr.itemsize,))
    return flat[byte_offset // arr.itemsize :]


def as_strided(input: Tensor, size, stride, storage_offset: int = 0) -> Tensor:
    """A view with explicit sizes and element strides over ``input``'s memory (from its first element)."""
    item = input._data.itemsize
    base = _offset_view(input._data, storage_offset * item)
    # read-only where a stride of 0 makes elements share memory: torch refuses in-place writes there
    arr = as_view(base, tuple(size), tuple(stride))
    return input._view(arr)


_diagonal_view = diagonal  # diag's argument is also called ``diagonal``


@tensor_method
def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """1-d input: a square matrix with ``input`` on the ``diagonal``-th diagonal (zeros elsewhere).
    2-d input: a copy of its ``diagonal``-th diagonal.  Other ranks are an error."""
    from ._adjoints import diagonal_embed

    k = diagonal
    if input.ndim == 1:
        n = input.shape[0] + abs(k)
        out = Tensor._wrap(np.zeros((n, n), dtype=input._data.dtype))
        _diagonal_view(out, k, 0, 1)._data[...] = input._data
        return record_unary(out, input, "DiagEmbedBackward0", lambda g: _diagonal_view(g, k, 0, 1))
    if input.ndim == 2:
        out = Tensor._wrap(_diagonal_view(input, k, 0, 1)._data.copy())
        in_shape = input._data.shape
        return record_unary(out, input, "DiagBackward0", lambda g: diagonal_embed(in_shape, k, 0, 1, g))
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


def _reversed_dims(input: Tensor) -> Tensor:
    """``x.T``: all dims reversed, ``permute(x, (n-1, ..., 0))`` (a view)."""
    return permute(input, tuple(range(input.ndim - 1, -1, -1)))


def _matrix_transpose(input: Tensor) -> Tensor:
    """``x.mT``: the last two dims swapped, ``transpose(x, -2, -1)`` (a view)."""
    return transpose(input, -2, -1)


tensor_method(property(_reversed_dims), name="T")
tensor_method(property(_matrix_transpose), name="mT")


def detach(input: Tensor) -> Tensor:
    """``torch.detach(input)`` = ``input.detach()``: a new tensor sharing storage and the version
    counter with ``input``, outside the autograd graph (``requires_grad`` False, no ``grad_fn``).
    It aliases ``input`` but is not a view (``_base`` is None)."""
    return input.detach()


# -- triangles ------------------------------------------------------------------------------------


def _triangle(name: str, input: Tensor, diagonal, lower: bool) -> Tensor:
    if isinstance(diagonal, bool) or not isinstance(diagonal, int):
        raise TypeError(f"{name}(): argument 'diagonal' (position 2) must be int, not {type(diagonal).__name__}")
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    m, n = input.shape[-2:]
    # beyond the matrix every diagonal keeps all or nothing: clamped, so np.tri's ranges cannot overflow
    diagonal = min(max(diagonal, -m - 1), n + 1)
    # np.tri(m, n, k)[i, j] is j - i <= k: the lower triangle up to the k-th diagonal
    keep = np.tri(m, n, diagonal, dtype=bool) if lower else ~np.tri(m, n, diagonal - 1, dtype=bool)
    kept = np.zeros(input.shape, dtype=input._data.dtype)  # C order, as torch's result, whatever the input's
    np.copyto(kept, input._data, where=keep)
    out = Tensor._wrap(kept)
    node = "TrilBackward0" if lower else "TriuBackward0"
    return record_unary(out, input, node, lambda g: _triangle(name, g, diagonal, lower))


def _unmodelled_triangle_out(input, diagonal=0, *, out) -> str | None:
    """torch 2.13's tril/triu write a batch into an ``out`` of the input's shape whose strides are not the
    default contiguous ones (size-1 dims included) wrongly: out of bounds (heap corruption) or wrong
    values."""
    from ._layout import contiguous_strides

    if (
        isinstance(input, Tensor)
        and input.ndim >= 3
        and out.numel()
        and tuple(out.shape) == tuple(input.shape)
        and out.stride() != contiguous_strides(tuple(out.shape))
    ):
        return "an out= tensor with other strides than contiguous ones for a batch of matrices (torch 2.13 writes it wrongly)"
    return None


@tensor_method
@with_out("tril", exact_dtype=True, unmodelled=_unmodelled_triangle_out)
def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dims: ``out[..., i, j] = input[..., i, j]`` where
    ``j - i <= diagonal``, 0 elsewhere (``diagonal`` > 0 keeps diagonals above the main one, < 0
    drops some below it; far enough out, all or nothing is kept).  Any dtype; a new contiguous tensor
    whatever the input's layout; ``out=`` must have the input's dtype.  The input needs >= 2 dims
    (RuntimeError); ``diagonal`` must be an int (TypeError).  Gradient: ``tril(grad, diagonal)``."""
    return _triangle("tril", input, diagonal, lower=True)


@tensor_method
@with_out("triu", exact_dtype=True, unmodelled=_unmodelled_triangle_out)
def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dims: ``input[..., i, j]`` where ``j - i >= diagonal``, 0
    elsewhere; otherwise as :func:`tril`.  Gradient: ``triu(grad, diagonal)``."""
    return _triangle("triu", input, diagonal, lower=False)


# -- flip and roll ----------------------------------------------------------------------------------


def _int_tuple(value, op: str, name: str, position: int) -> tuple[int, ...]:
    """An int or a sequence of ints, as torch's ``int[]`` arguments accept (a bool or float is a TypeError)."""
    items = (value,) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(items, tuple | list) or any(isinstance(v, bool) or not isinstance(v, int) for v in items):
        bad = (
            value
            if not isinstance(value, tuple | list)
            else next(v for v in items if not isinstance(v, int) or isinstance(v, bool))
        )
        raise TypeError(
            f"{op}(): argument '{name}' (position {position}) must be tuple of ints, not {type(bad).__name__}"
        )
    return tuple(items)


def _empty_clone(input: Tensor) -> Tensor:
    """torch's flip and roll return ``input.clone()`` for an empty input: its strides, kept."""
    arr = np.lib.stride_tricks.as_strided(
        np.empty(0, dtype=input._data.dtype), shape=input.shape, strides=input._data.strides
    )
    return Tensor._wrap(arr, laid_out=True)


def _flip(input: Tensor, dims: tuple[int, ...]) -> Tensor:
    axes = wrap_dims(dims, input.ndim)
    if input.numel() == 0:
        out = _empty_clone(input)
    else:  # laid out as input.clone() is (torch's empty_like(input, preserve_format))
        values = np.flip(input._data, axis=axes) if input.ndim else input._data
        strides = preserve_format_strides(input.shape, element_strides(input._data))
        out = Tensor._wrap(lay_out(values.copy(), strides), laid_out=True)  # a copy, never the input's memory
    return record_unary(out, input, "FlipBackward0", lambda g: _flip(g, axes))


def flip(input: Tensor, dims) -> Tensor:
    """A copy with the order of elements reversed along each of ``dims`` (a tuple or list of ints;
    a negative dim counts from the end; none given: a plain copy).  torch's errors: a dim given twice
    is a RuntimeError, one out of range an IndexError, a bare int a TypeError.  The result is laid
    out as ``input.clone()``: a dense layout kept as it is (size-1 dims' strides too), any other made
    dense in the same dim order; an empty input's strides kept.  Gradient: the flip of the gradient."""
    if isinstance(dims, int) and not isinstance(dims, bool):
        raise TypeError(f"flip(): argument 'dims' (position 2) must be tuple of ints, not {type(dims).__name__}")
    return _flip(input, _int_tuple(dims, "flip", "dims", 2))


def _flip_method(self: Tensor, *dims, **kwargs) -> Tensor:
    """``x.flip(0, 1)``, ``x.flip((0, 1))`` and ``x.flip(dims=(0, 1))``."""
    if "dims" in kwargs:
        if dims or len(kwargs) > 1:
            raise TypeError("flip() received an invalid combination of arguments")
        return flip(self, kwargs["dims"])
    if kwargs:
        raise TypeError(f"flip() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if len(dims) == 1 and isinstance(dims[0], tuple | list):
        dims = tuple(dims[0])
    return _flip(self, _int_tuple(dims, "flip", "dims", 1))


tensor_method(_flip_method, name="flip")


def _roll_dims(dims, ndim: int) -> tuple[int, ...]:
    out = []
    for d in dims:
        if ndim == 0:  # unlike most ops, roll gives a 0-d tensor no dim to name
            raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
        out.append(wrap_dim(d, ndim))
    return tuple(out)


def _rolled(arr: np.ndarray, shifts: tuple[int, ...], dims: tuple[int, ...]) -> np.ndarray:
    """torch's CPU roll, layout included: flattened (dims empty), the contiguous input rolled by the first
    shift; otherwise one dim after the other (a repeated dim rolls twice), each step
    ``cat([x.narrow(d, start, n - start), x.narrow(d, 0, start)], d)`` with ``start = (n - shift) mod n``,
    so each step's result takes cat's layout: channels-last when both pieces' strides suggest it (a
    roll by a multiple of the size leaves one piece empty, and the result contiguous)."""
    if not dims:
        return lay_out(np.roll(arr, shifts[0]), contiguous_strides(arr.shape))
    out = arr
    for s, d in zip(shifts, dims, strict=True):
        n = out.shape[d]
        start = (n - s) % n
        strides = element_strides(out)
        pieces = [(out.shape[:d] + (k,) + out.shape[d + 1 :], strides) for k in (n - start, start)]
        out = lay_out(np.roll(out, s, axis=d), cat_strides(pieces, out.shape))
    return out


@tensor_method
def roll(input: Tensor, shifts, dims=None) -> Tensor:
    """Elements shifted cyclically by ``shifts[i]`` along ``dims[i]`` (one dim after the other, so a
    dim named twice is rolled twice); without ``dims`` the tensor is flattened, rolled by
    ``shifts[0]`` and shaped back.  Shifts may be negative or exceed the size (taken modulo it).
    torch's errors: no shifts (RuntimeError), shifts and dims of different lengths (RuntimeError),
    a dim out of range (IndexError; a 0-d tensor has none to name), a shift or dim that is not an int
    (TypeError).  A new tensor, laid out as torch's CPU kernel builds it (each dim's roll is a ``cat`` of
    two slices: contiguous, or channels-last for a channels-last 4-d/5-d input); an empty input comes
    back as its clone.  Gradient: the gradient rolled back."""
    shifts = _int_tuple(shifts, "roll", "shifts", 2)
    dims = () if dims is None else _int_tuple(dims, "roll", "dims", 3)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if len(shifts) != max(len(dims), 1):  # without dims, exactly one shift
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    if input.numel() == 0:
        # torch clones an empty input before looking at its dims (an out-of-range dim passes), or,
        # flattened with 2+ dims, views the clone back contiguously
        axes = dims
        out = _empty_clone(input) if dims or input.ndim == 1 else Tensor._wrap(np.empty(input.shape, input._data.dtype))
    else:
        axes = _roll_dims(dims, input.ndim)
        out = Tensor._wrap(_rolled(input._data, shifts, axes), laid_out=True)
    # rolled back: the shifts negated, the dims in reverse order (flattened: the one shift negated)
    back_shifts, back_dims = tuple(-s for s in shifts)[::-1], axes[::-1] or None
    return record_unary(out, input, "RollBackward0", lambda g: roll(g, back_shifts, back_dims))


# -- repeat -----------------------------------------------------------------------------------------


def _repeat(input: Tensor, *repeats, **kwargs) -> Tensor:
    """``x.repeat(*repeats)``: ``x`` tiled ``repeats[i]`` times along dim i, in a new contiguous tensor.

    ``repeats`` (varargs, a tuple or list, or ``repeats=``) may have more entries than ``x`` has dims:
    ``x`` is then read as if it had leading size-1 dims (so a 0-d ``x`` repeats into any shape).  A 0
    gives an empty dim.  torch's errors: fewer entries than dims, or a negative one (RuntimeError); no
    repeats or a float (TypeError).  Gradient (``RepeatBackward0``): the sum of the gradient's tiles."""
    if kwargs:
        if set(kwargs) != {"repeats"} or repeats:
            raise TypeError(f"repeat() got an unexpected keyword argument '{next(iter(kwargs))}'")
        repeats = (kwargs["repeats"],)
    if not repeats:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    if len(repeats) == 1 and isinstance(repeats[0], tuple | list):
        repeats = tuple(repeats[0])
    if any(isinstance(r, bool) or not isinstance(r, int | np.integer) for r in repeats):
        bad = next(r for r in repeats if isinstance(r, bool) or not isinstance(r, int | np.integer))
        raise TypeError(f"repeat(): argument 'repeats' (position 1) must be tuple of ints, not {type(bad).__name__}")
    repeats = tuple(int(r) for r in repeats)
    if len(repeats) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    padded = (1,) * (len(repeats) - input.ndim) + tuple(input.shape)
    target = [r * n for r, n in zip(repeats, padded, strict=True)]
    if any(r < 0 for r in repeats):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(target)}: {target}")
    out = Tensor._wrap(np.tile(input._data.reshape(padded), repeats).reshape(target))
    in_shape = tuple(input.shape)

    def vjp(g):
        from ._reduction import sum as sum_dims

        tiles = tuple(k for r, n in zip(repeats, padded, strict=True) for k in (r, n))
        summed = sum_dims(reshape(g, tiles), tuple(range(0, len(tiles), 2)))
        return reshape(summed, in_shape)

    return record_unary(out, input, "RepeatBackward0", vjp)


tensor_method(_repeat, name="repeat")
