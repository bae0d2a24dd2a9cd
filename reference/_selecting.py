"""Selecting: select, where, nonzero, masked_select, take, masked_fill.

``select`` is a view; the others make new tensors.  Masks are bool tensors (``where`` alone still
takes a uint8 condition, with torch's deprecation warning); positions read through a mask or an
index follow the *logical* row-major order, whatever the memory layout.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import _dtype as D
from ._adjoints import index_add_into_zeros
from ._autograd_hooks import record, record_unary
from ._dims import wrap_dim
from ._elementwise import broadcast_shapes, sum_to
from ._indexing import _apply_steps
from ._layout import element_strides, iterator_strides, lay_out, preserve_format_strides, restrided
from ._out import with_out
from ._tensor import Tensor, tensor_method

__all__ = ["select", "where", "nonzero", "masked_select", "take", "masked_fill"]


def _is_int(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


# -- select -----------------------------------------------------------------------------------------


@tensor_method
def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The view ``input[..., index, ...]`` at ``dim``, that dim removed (its storage offset moves by
    ``index * stride(dim)``).  ``index`` may be negative (from the end) or a 0-d integer tensor.

    torch's errors: a 0-d input, an index out of range (IndexError, naming the index as given and the
    size), ``dim`` out of range (IndexError); a float or bool index (TypeError).  Gradient
    (``SelectBackward0``): zeros with the gradient put at the selected slice."""
    if isinstance(index, Tensor) and index.ndim == 0 and not (index.dtype.is_floating_point or index.dtype.is_complex):
        index = int(index.item())
    if not _is_int(index):
        raise TypeError(f"select(): argument 'index' (position 2) must be int, not {type(index).__name__}")
    if not _is_int(dim):
        raise TypeError(f"select(): argument 'dim' (position 1) must be int, not {type(dim).__name__}")
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(int(dim), input.ndim)
    n = input.shape[d]
    index = int(index)
    if not -n <= index < n:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(input.shape)} at dimension {d}"
        )
    shape, key = tuple(input.shape), (slice(None),) * d + (index % n,)
    view = input._view(_apply_steps(input._data, [("select", d, index)]))
    return record_unary(view, input, "SelectBackward0", lambda g: index_add_into_zeros(shape, key, g))


# -- where ------------------------------------------------------------------------------------------


def _check_condition(condition: Tensor) -> np.ndarray:
    if condition.dtype is D.uint8:
        warnings.warn(
            "where received a uint8 condition tensor. This behavior is deprecated and will be removed in a future "
            "version of PyTorch. Use a boolean condition instead.",
            UserWarning,
            stacklevel=3,
        )
        return condition._data != 0
    if condition.dtype is not D.bool:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition.dtype._torch_name}"
        )
    return condition._data


def _operand(value, dtype: D.dtype) -> np.ndarray:
    """A branch of ``where`` as an array of the result's dtype.  A Python number is checked against it
    (torch's overflow check; a float16 result takes an out-of-range float as inf, unchecked)."""
    if isinstance(value, Tensor):
        return value._data.astype(dtype.np, copy=False)
    if dtype is not D.float16:
        value = D.check_scalar_fits(value, dtype)
    if dtype.category == D.dtype.INT and _is_int(value) and not dtype.is_signed and value < 0:
        value = int(value) % (np.iinfo(dtype.np).max + 1)  # an unsigned target wraps the negatives it accepts
    with np.errstate(over="ignore"):
        return np.asarray(value).astype(dtype.np)


def _where_layout(shape: tuple, operands: list, dtype: D.dtype) -> tuple[int, ...]:
    """TensorIterator's layout over (condition, input, other): Python numbers are 0-d operands, and
    a branch of another dtype than the result is first converted (keeping or making a dense layout)."""
    rows = []
    for k, x in enumerate(operands):
        if isinstance(x, Tensor):
            strides = element_strides(x._data)
            if k and x.dtype is not dtype:
                strides = preserve_format_strides(x._data.shape, strides)
            rows.append((x._data.shape, strides, dtype.itemsize if k else 1))
        else:
            rows.append(((), (), 8))
    return iterator_strides(shape, rows)


def _complex_gradient_refused() -> RuntimeError:
    """torch's engine, handed a complex gradient for a real input by a formula that does not take its
    real part (WhereBackward0 between two tensors, MaskedFillBackward1's value)."""
    return RuntimeError(
        "Expected isFloatingType(grad.scalar_type()) || (input_is_complex == grad_is_complex) to be true, "
        "but got false.  (Could this error message be improved?  If so, please report an enhancement "
        "request to PyTorch.)"
    )


def _where(condition: Tensor, input, other) -> Tensor:
    for name, pos, v in (("input", 2, input), ("other", 3, other)):
        if not isinstance(v, Tensor | bool | int | float | complex | np.number):
            raise TypeError(f"where(): argument '{name}' (position {pos}) must be Tensor, not {type(v).__name__}")
    cond = _check_condition(condition)
    dtype = D.result_type(input, other)
    shape = broadcast_shapes(*(tuple(x.shape) for x in (condition, input, other) if isinstance(x, Tensor)))
    a, b = _operand(input, dtype), _operand(other, dtype)
    values = np.where(np.broadcast_to(cond, shape), a, b).astype(dtype.np, copy=False)
    out = Tensor._wrap(lay_out(values, _where_layout(shape, [condition, input, other], dtype)), laid_out=True)
    tensors = [t for t in (input, other) if isinstance(t, Tensor)]

    def vjp(g):
        # with two tensor branches, WhereBackward0 hands a complex gradient to a real one as it is, and
        # torch's engine refuses it (beside a Python number, the real branch gets the real part)
        real = [t for t in tensors if t.requires_grad and not t.dtype.is_complex]
        if g.dtype.is_complex and len(tensors) == 2 and real:
            raise _complex_gradient_refused()
        zero = Tensor._wrap(np.zeros((), dtype=g._data.dtype))
        grads = []
        if isinstance(input, Tensor):
            grads.append(sum_to(_where(condition, g, zero), tuple(input.shape)))
        if isinstance(other, Tensor):
            grads.append(sum_to(_where(condition, zero, g), tuple(other.shape)))
        return tuple(grads)

    return record(out, tensors, "WhereBackward0", vjp) if tensors else out


def where(condition: Tensor, *args, out=None, **kwargs):
    """``where(condition, input, other)``: ``input`` where the condition is True, else ``other``.

    torch's rules: the three broadcast together (a 0-d condition too); either branch may be a Python
    number; the result's dtype is the promotion of the two branches alone (a Python number or 0-d
    tensor does not lift the category of a dimensioned tensor's dtype); a Python number must fit that
    dtype (RuntimeError), except that a float16 result takes an out-of-range float as inf.  The
    condition must be bool (uint8 is still accepted, with a deprecation warning each call; any other
    dtype is a RuntimeError).  The result is laid out by TensorIterator over (condition, input, other).
    ``out=`` only for three tensors, and of the result's exact dtype.  Gradient (``WhereBackward0``):
    the gradient where the condition picks each branch, summed to its shape (with two tensor branches,
    a real one of a complex result gets a complex gradient, which torch's engine refuses: RuntimeError
    in backward).

    ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``.  The method is
    ``input.where(condition, other)``.  By keyword, torch's overloads call a tensor first branch
    ``input=`` and a number there ``self=`` (``input=1.0`` is a TypeError)."""
    input, other = _where_branches(args, kwargs)
    if not isinstance(condition, Tensor):
        raise TypeError(f"where(): argument 'condition' (position 1) must be Tensor, not {type(condition).__name__}")
    if input is None and other is None:
        if out is not None:
            raise TypeError("where() received an invalid combination of arguments: out= needs input and other")
        return nonzero(condition, as_tuple=True)
    if input is None or other is None:
        raise TypeError("where() received an invalid combination of arguments: expected (condition, input, other)")
    if out is None:
        return _where(condition, input, other)
    for name, pos, v in (("input", 2, input), ("other", 3, other)):
        if not isinstance(v, Tensor):
            raise TypeError(f"where(): argument '{name}' (position {pos}) must be Tensor, not {type(v).__name__}")
    return with_out("where", exact_dtype=True, overlap="iterator")(_where)(condition, input, other, out=out)


def _where_branches(args: tuple, kwargs: dict) -> tuple:
    """``input`` and ``other`` of a where call, by position or keyword as torch's overloads name them."""
    unknown = set(kwargs) - {"input", "self", "other"}
    if len(args) > 2 or unknown or ("input" in kwargs and "self" in kwargs):
        raise TypeError("where() received an invalid combination of arguments")
    if "input" in kwargs and not isinstance(kwargs["input"], Tensor):
        raise TypeError("where() received an invalid combination of arguments: a number first branch is 'self='")
    if "self" in kwargs and isinstance(kwargs["self"], Tensor):
        raise TypeError("where() received an invalid combination of arguments: a tensor first branch is 'input='")
    first = kwargs.get("input", kwargs.get("self"))
    positional = list(args) + [None] * (2 - len(args))
    if (first is not None and args) or ("other" in kwargs and len(args) == 2):
        raise TypeError("where() received an invalid combination of arguments: a branch given twice")
    return (first if first is not None else positional[0]), kwargs.get("other", positional[1])


def _where_method(self: Tensor, condition: Tensor, other) -> Tensor:
    """``x.where(condition, other)``: ``x`` where the condition is True (``self`` is the first branch)."""
    return where(condition, self, other)


tensor_method(_where_method, name="where")


# -- nonzero ----------------------------------------------------------------------------------------


def _nonzero_columns(input: Tensor) -> np.ndarray:
    """The (n, ndim) coordinates of the nonzero elements, in row-major order (NaN counts, -0.0 not)."""
    return np.argwhere(input._data.reshape(input.shape) != 0).astype(np.int64)


def _nonzero(input: Tensor, as_tuple: bool = False):
    coords = _nonzero_columns(input)
    n = coords.shape[0]
    if as_tuple:
        # views of one column-major buffer: column k starts k * n elements in (a 0-d input is read as 1-d)
        columns = coords.T.reshape(-1) if input.ndim else np.zeros(n, dtype=np.int64)
        buffer = Tensor._wrap(columns)
        return tuple(buffer._view(restrided(columns[k * n : (k + 1) * n], (1,))) for k in range(max(input.ndim, 1)))
    return Tensor._wrap(lay_out(coords, (1, n)), laid_out=True)


@with_out("nonzero", exact_dtype=True, differentiable=False)
def _nonzero_tensor(input: Tensor) -> Tensor:
    return _nonzero(input)


def nonzero(input: Tensor, *, out=None, as_tuple: bool = False):
    """The coordinates of the nonzero elements, in row-major order: an int64 tensor of shape
    ``(n, input.dim())`` stored column by column (strides ``(1, n)``), or with ``as_tuple=True`` one 1-d
    tensor per dim (views of that buffer).  NaN is nonzero, -0.0 is zero; a 0-d input gives ``(n, 0)``
    (and one 1-d tensor with ``as_tuple``).  ``as_tuple`` is keyword-only.  Never differentiable.
    ``out=`` must be int64 (RuntimeError), and is refused with ``as_tuple=True``."""
    if not isinstance(as_tuple, bool):
        raise TypeError(f"nonzero(): argument 'as_tuple' must be bool, not {type(as_tuple).__name__}")
    if out is not None:
        if as_tuple:
            raise RuntimeError("nonzero does not support the out kwarg when as_tuple is True")
        return _nonzero_tensor(input, out=out)
    return _nonzero(input, as_tuple)


def _nonzero_method(self: Tensor, *, as_tuple: bool = False):
    """``x.nonzero(as_tuple=False)`` (``as_tuple`` keyword-only, as in torch)."""
    return nonzero(self, as_tuple=as_tuple)


tensor_method(_nonzero_method, name="nonzero")


# -- masked_select, take ----------------------------------------------------------------------------


def _bool_mask(mask, op: str, message: str) -> None:
    """A mask must be a bool tensor; ``message`` may name the mask's C type (``{}``)."""
    if not isinstance(mask, Tensor):
        raise TypeError(f"{op}(): argument 'mask' (position 2) must be Tensor, not {type(mask).__name__}")
    if mask.dtype is not D.bool:
        raise RuntimeError(message.format(D.C_TYPE_NAMES[mask.dtype.name]))


@tensor_method
@with_out("masked_select", exact_dtype=True, overlap="refuse")
def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """A 1-d tensor of the elements of ``input`` where ``mask`` is True, in row-major order of their
    broadcast shape (the two broadcast both ways: a 0-d input repeats).  The mask must be bool
    (RuntimeError for any other dtype, uint8 included).  ``out=`` of ``input``'s dtype.  Gradient
    (``MaskedSelectBackward0``): the gradient put back at the selected positions, summed to the
    input's shape."""
    _bool_mask(mask, "masked_select", "masked_select: expected BoolTensor for mask")
    shape = broadcast_shapes(mask.shape, input.shape)
    keep = np.broadcast_to(mask._data, shape)
    out = Tensor._wrap(np.broadcast_to(input._data, shape)[keep].copy())
    in_shape = tuple(input.shape)

    def vjp(g):
        return sum_to(index_add_into_zeros(shape, (keep,), g), in_shape)

    return record_unary(out, input, "MaskedSelectBackward0", vjp)


@tensor_method
@with_out("take", exact_dtype=True, overlap="refuse")
def take(input: Tensor, index: Tensor) -> Tensor:
    """``input`` read as a flat row-major sequence at the positions of ``index``: the result has
    ``index``'s shape (contiguous).  Negative positions count from the end.  ``index`` must be an int64
    tensor (RuntimeError; a list is a TypeError); a position out of range is an IndexError, and so is
    any position of an empty input.  ``out=`` of ``input``'s dtype.  Gradient (``TakeBackward0``): the
    gradient added at the positions read (repeats accumulate)."""
    if not isinstance(index, Tensor):
        raise TypeError(f"take(): argument 'index' (position 2) must be Tensor, not {type(index).__name__}")
    if index.dtype is not D.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {index.dtype._torch_name}")
    n = input.numel()
    positions = index._data.reshape(index.shape).astype(np.int64)
    if positions.size and n == 0:
        raise IndexError("take(): tried to take from an empty tensor")
    bad = positions[(positions < -n) | (positions >= n)]
    if bad.size:
        raise IndexError(f"out of range: tried to access index {int(bad.reshape(-1)[0])} on a tensor of {n} elements.")
    flat = positions % n if n else positions
    out = Tensor._wrap(np.array(input._data.reshape(-1)[flat]))
    in_shape = tuple(input.shape)

    def vjp(g):
        from ._shape import reshape

        return reshape(index_add_into_zeros((n,), (flat,), g), in_shape)

    return record_unary(out, input, "TakeBackward0", vjp)


# -- masked_fill ------------------------------------------------------------------------------------


def _fill_value(value, dtype: D.dtype):
    """masked_fill's value (a number or a 0-d tensor's) converted to ``dtype`` by torch's checked
    conversion (:func:`reference._dtype.checked_convert`)."""
    return D.checked_convert(value.item() if isinstance(value, Tensor) else value, dtype)


def _masked_fill(input: Tensor, mask, value) -> Tensor:
    _bool_mask(mask, "masked_fill", "masked_fill_ only supports boolean masks, but got mask with dtype {}")
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
        )
    if not isinstance(value, Tensor | bool | int | float | complex | np.number):
        raise TypeError(
            f"masked_fill() received an invalid combination of arguments: value of type {type(value).__name__}"
        )
    if (
        isinstance(value, Tensor)
        and value.requires_grad
        and not (input.dtype.is_floating_point or input.dtype.is_complex)
    ):
        raise RuntimeError(f"Autograd not support dtype: {input.dtype._torch_name}")
    shape = broadcast_shapes(mask.shape, input.shape)
    fill = _fill_value(value, input.dtype)
    values = np.array(np.broadcast_to(input._data, shape), order="C")  # expand + contiguous clone, then fill
    values[np.broadcast_to(mask._data, shape)] = fill
    out = Tensor._wrap(values)
    in_shape = tuple(input.shape)
    keep = np.broadcast_to(mask._data, shape)

    def self_grad(g):
        from ._adjoints import zero_at

        return sum_to(zero_at(g, keep), in_shape)

    if isinstance(value, Tensor):

        def vjp(g):
            from ._reduction import sum as tsum

            if g.dtype.is_complex and value.requires_grad and not value.dtype.is_complex:
                raise _complex_gradient_refused()  # the value's gradient is the complex sum, as it is
            return self_grad(g), tsum(masked_select(g, Tensor._wrap(np.array(keep))))

        return record(out, (input, value), "MaskedFillBackward1", vjp)
    return record_unary(out, input, "MaskedFillBackward0", self_grad)


@tensor_method
def masked_fill(input: Tensor, mask: Tensor, value) -> Tensor:
    """A copy of ``input`` with ``value`` wherever ``mask`` is True.  ``input`` and ``mask`` broadcast
    together; the result keeps ``input``'s dtype (no promotion) and is contiguous.  ``value`` is a
    Python number or a 0-d tensor (any other tensor is a RuntimeError), converted to that dtype with
    torch's overflow check (a float truncates into an integer dtype; a complex with an imaginary part
    into a real one is a RuntimeError).  The mask must be bool (RuntimeError naming its C type).
    Gradient: ``MaskedFillBackward0`` for a number (the gradient zeroed where filled), ``MaskedFillBackward1``
    for a tensor value (which also gets the gradient summed over the filled positions).  The in-place
    ``x.masked_fill_`` does not broadcast ``x``."""
    return _masked_fill(input, mask, value)
