"""Tensor creation: tensor, as_tensor, from_numpy, zeros/ones/full/empty(+_like), arange, eye, diag, random."""

from __future__ import annotations

import builtins
import math

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record_not_implemented
from ._layout import (
    channels_last,
    channels_last_3d,
    check_layout,
    contiguous_format,
    lay_out,
    layout,
    like_strides,
    memory_format,
    preserve_format,
    strided,
)
from ._storage import start_storage
from ._tensor import Tensor, _check_device

__all__ = [
    "tensor",
    "as_tensor",
    "from_numpy",
    "zeros",
    "ones",
    "full",
    "empty",
    "zeros_like",
    "ones_like",
    "full_like",
    "empty_like",
    "arange",
    "linspace",
    "logspace",
    "memory_format",
    "layout",
    "strided",
    "contiguous_format",
    "preserve_format",
    "channels_last",
    "channels_last_3d",
    "eye",
    "is_tensor",
    "numel",
]


def _infer_dtype(data) -> D.dtype:
    """torch's inference for nested Python data: bool < int64 < default float < default complex."""
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, np.ndarray):
        return D.from_numpy_dtype(data.dtype)
    if isinstance(data, list | tuple):
        if len(data) == 0:
            return D.get_default_dtype()  # torch.tensor([]) is float32
        best = None
        for item in data:
            d = _infer_dtype(item)
            best = d if best is None else D.promote_types(best, d)
        return best
    if isinstance(data, np.generic):
        return D.from_numpy_dtype(data.dtype)
    return D.scalar_dtype(data)


def _has_complex(data) -> bool:
    """Whether nested Python data holds a complex number (which torch will not put in a real dtype)."""
    if isinstance(data, list | tuple):
        return any(_has_complex(x) for x in data)
    return isinstance(data, complex)


def _check_nesting(data, dtype) -> list[int] | None:
    """torch reads nested sequences with the shape of their first elements: a sequence where a number
    belongs, or a number where a sequence belongs, is TypeError; a sequence of another length is
    ValueError naming the dim.  A string is TypeError; another object that is not a number is
    RuntimeError when the dtype is to be inferred, TypeError when one is given.
    Returns that shape (None for data that is not a sequence)."""

    def check_element(obj) -> None:
        if isinstance(obj, str):
            raise TypeError(f"new(): invalid data type '{type(obj).__name__}'")
        if not isinstance(obj, bool | int | float | complex | np.generic | np.ndarray | Tensor):
            if dtype is None:
                raise RuntimeError(f"Could not infer dtype of {type(obj).__name__}")
            raise TypeError(f"must be real number, not {type(obj).__name__}")

    if not isinstance(data, list | tuple):
        check_element(data)
        return None
    shape, probe = [], data
    while isinstance(probe, list | tuple):
        shape.append(len(probe))
        if not probe:
            break
        probe = probe[0]

    def walk(obj, dim: int) -> None:
        if dim == len(shape):
            if isinstance(obj, list | tuple):
                raise TypeError(f"'{type(obj).__name__}' object cannot be interpreted as an integer")
            check_element(obj)
            return
        if not isinstance(obj, list | tuple | Tensor | np.ndarray):
            raise TypeError(f"'{type(obj).__name__}' object is not iterable")
        if isinstance(obj, list | tuple):
            if len(obj) != shape[dim]:
                raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got {len(obj)})")
            for item in obj:
                walk(item, dim + 1)

    if 0 not in shape:  # torch stores nothing (and checks nothing) when the inferred shape is empty
        walk(data, 0)
    return shape


def _to_nested(data):
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, list | tuple):
        return [_to_nested(x) for x in data]
    return data


def tensor(data, *, dtype: D.dtype | None = None, device=None, requires_grad: bool = False, pin_memory=False) -> Tensor:
    """A new tensor that copies ``data`` (nested lists, scalars, ndarrays or tensors).

    dtype inference: bools -> bool, ints -> int64, floats -> the default float
    dtype (float32), complex -> complex64; an ndarray keeps its dtype.
    """
    _check_device(device)
    shape = _check_nesting(data, dtype)
    dt = dtype or _infer_dtype(data)
    if shape is not None and 0 in shape:
        t = Tensor._wrap(np.zeros(shape, dtype=dt.np))
        return t.requires_grad_(True) if requires_grad else t
    if dt.category in (D.dtype.INT, D.dtype.FLOAT) and _has_complex(data):
        raise TypeError(
            "'complex' object cannot be interpreted as an integer"
            if dt.category == D.dtype.INT
            else "must be real number, not complex"
        )
    nested = _to_nested(data)
    try:
        arr = _integers_checked(nested, dt) if dt.category == D.dtype.INT else np.array(nested, dtype=dt.np)
    except ValueError as e:
        raise ValueError(f"expected sequence of equal-length lists: {e}") from None
    t = Tensor._wrap(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _integers_checked(nested, dt: D.dtype) -> np.ndarray:
    """Python numbers into an integer dtype as torch converts them, element by element: a Python int
    beyond int64 is ValueError (torch reads it as int64 first); an int must fit, except that
    unsigned dtypes wrap negatives down to -max (``tensor([-1], dtype=uint8)`` is 255); a float is
    truncated but must fit as it is, without wrapping (``tensor([-0.5], dtype=uint8)`` is an
    error); otherwise RuntimeError."""
    if _beyond_int64(nested):
        raise ValueError("Overflow when unpacking long long")
    wide = np.array(nested)
    info = np.iinfo(dt.np)
    wrap_low = -info.max if info.min == 0 else info.min
    if wide.dtype.kind in "iub":  # ints (and bools) only: compared exactly
        if wide.size and (wide.min() < wrap_low or wide.max() > info.max):
            raise RuntimeError(f"value cannot be converted to type {dt.name} without overflow")
        with np.errstate(over="ignore"):
            return wide.astype(np.int64).astype(dt.np)
    is_float = np.vectorize(lambda v: isinstance(v, float | np.floating), otypes=[bool])(np.array(nested, dtype=object))
    numeric = wide.astype(np.float64)
    low = np.where(is_float, info.min, wrap_low)
    if wide.size and (np.any(numeric < low) or np.any(numeric > info.max)):
        raise RuntimeError(f"value cannot be converted to type {dt.name} without overflow")
    with np.errstate(over="ignore", invalid="ignore"):
        return np.trunc(numeric).astype(np.int64).astype(dt.np)


def _beyond_int64(data) -> bool:
    if isinstance(data, list | tuple):
        return any(_beyond_int64(x) for x in data)
    return type(data) is int and not -(2**63) <= data < 2**63


def as_tensor(data, dtype: D.dtype | None = None, device=None) -> Tensor:
    """Like :func:`tensor`, but shares memory with an ndarray or tensor when no conversion is needed."""
    _check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype.np == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``ndarray``; torch refuses negative strides."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if not ndarray.dtype.isnative:
        raise ValueError(
            "given numpy array has byte order different from the native byte order. Conversion between byte orders "
            "is currently not supported."
        )
    D.from_numpy_dtype(ndarray.dtype)
    if any(s < 0 for s in ndarray.strides):
        raise ValueError(
            "At least one stride in the given numpy array is negative, and tensors with negative strides "
            "are not currently supported. (You can probably work around this by making a copy of your array "
            " with array.copy().) "
        )
    # torch.from_numpy's storage starts at ndarray, not at the array ndarray was cut from
    # and its strides are NumPy's, divided by the item size, whatever they are (an empty array's copy
    # has zero strides in NumPy 2, and torch keeps them)
    return Tensor._wrap(start_storage(ndarray), laid_out=True)


# -- sizes, options and out= shared by the factories -------------------------------------------------


def _size_element(v) -> int | None:
    """An element of a size as torch's argument parser reads it: an int (a bool counts as one), a NumPy
    integer, or an integer tensor of one element; None for anything else."""
    if isinstance(v, builtins.int | np.integer):
        return builtins.int(v)
    if isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iu":  # read through __index__
        return builtins.int(v)
    if isinstance(v, Tensor) and v.numel() == 1 and v.dtype.category <= D.dtype.INT:
        if v.dtype is D.bool:
            raise RuntimeError(
                "Expected scalar.isIntegral( false) to be true, but got false. (a bool tensor in a size)"
            )
        return builtins.int(v.item())
    return None


def _size(args: tuple, name: str, size=None, *, varargs: bool = True, negative: str | None = None) -> tuple[int, ...]:
    """The ``size`` of a factory, given as varargs (``zeros(2, 3)``), one sequence (``zeros((2, 3))``,
    ``torch.Size``) or ``size=``.  torch's parser: a lone non-sequence must be an int (not a bool) or an
    integer tensor; the first bad element of a sequence is "found element of type X at pos 0", a later
    one "failed to unpack the object at pos i+1"; a negative size is RuntimeError (``negative``: the
    op's own message)."""
    if size is not None:
        if args:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        args = (size,)
    if not args:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if len(args) > 1 and (isinstance(args[0], builtins.bool) or _size_element(args[0]) is None):
        # varargs are tried only when the first one is an int: otherwise only the one-sequence overload is left
        raise TypeError(f"{name}() takes 1 positional argument but {len(args)} were given")
    if len(args) == 1 and isinstance(args[0], tuple | list):
        items, lone = tuple(args[0]), False
    elif len(args) == 1:
        v = args[0]
        if not varargs or isinstance(v, builtins.bool) or _size_element(v) is None:
            raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, not {type(v).__name__}")
        items, lone = (v,), True
    else:
        items, lone = args, False
    if not varargs and len(args) > 1:
        raise TypeError(f"{name}() takes 1 positional argument but {len(args)} were given")
    out = []
    for i, v in enumerate(items):
        n = _size_element(v)
        # a bool is an int inside a size, except first (the parser's type check reads the first element)
        if n is None or ((lone or i == 0) and isinstance(v, builtins.bool)):
            if i == 0:
                raise TypeError(
                    f"{name}(): argument 'size' (position 1) must be tuple of ints, but found element of type "
                    f"{type(v).__name__} at pos 0"
                )
            raise TypeError(
                f"{name}(): argument 'size' failed to unpack the object at pos {i + 1} with error "
                f'"type must be tuple of ints,but got {type(v).__name__}"'
            )
        out.append(n)
    if builtins.any(n < 0 for n in out):
        bad = next(n for n in out if n < 0)
        raise RuntimeError(negative or f"Trying to create tensor with negative dimension {bad}: {out}")
    return tuple(out)


def _leaf(t: Tensor, requires_grad: bool) -> Tensor:
    """A factory's result, a leaf that requires grad when asked (floating and complex dtypes only)."""
    if requires_grad:
        if t.dtype.category < D.dtype.FLOAT:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t.requires_grad_(True)
    return t


def _factory_dtype(name: str, dtype, out, inferred: D.dtype) -> D.dtype:
    """The dtype of a factory's result: ``dtype=``, else ``out``'s, else the one inferred; ``dtype=`` and
    ``out=`` of another dtype is RuntimeError."""
    if out is not None:
        if not isinstance(out, Tensor):
            raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
        if dtype is not None and dtype is not out.dtype:
            raise RuntimeError(
                f"dtype {dtype._torch_name} does not match dtype of out parameter ({out.dtype._torch_name})"
            )
        return out.dtype
    return dtype or inferred


def _made(data: np.ndarray, out: Tensor | None, requires_grad: bool, name: str = "factory") -> Tensor:
    """A factory's values as a new tensor, or written into ``out``: torch resizes a factory's ``out``
    without a warning (contiguous, in its own memory when it is big enough) and an ``out`` of the
    right shape keeps its strides.  An ``out`` that requires grad is refused when it is a leaf (as
    every out= function under grad mode); a non-leaf one would get a node whose backward raises, which
    is not modelled."""
    if out is None:
        return _leaf(Tensor._wrap(data), requires_grad)
    from ._out import resize_quietly
    from .autograd.graph import is_grad_enabled

    if out.requires_grad and is_grad_enabled():
        if out.grad_fn is None:
            raise RuntimeError(
                f"aten::{name}(): functions with out=... arguments don't support automatic differentiation, "
                "but one of the arguments requires grad."
            )
        raise NotImplementedError(f"{name}(out=...) into a tensor computed under autograd is not modelled")

    if tuple(out.shape) != data.shape:
        resize_quietly(name, out, data)  # resized and written in one step
    else:
        out._writable_data()[...] = data
    out._bump_version()
    return _leaf(out, requires_grad)


def _filled(size, value, dtype: D.dtype, out: Tensor | None, requires_grad: bool, name: str) -> Tensor:
    return _made(np.full(size, value, dtype=dtype.np), out, requires_grad, name)


def zeros(
    *size, out=None, dtype: D.dtype | None = None, layout=None, device=None, requires_grad: bool = False, **kw
) -> Tensor:
    """A tensor of zeros of ``size`` (varargs, one sequence or ``size=``); the dtype is ``dtype``, else
    ``out``'s, else the default float dtype.  A negative size is RuntimeError ("Dimension size must be
    non-negative"), a non-int TypeError naming ``size``; ``requires_grad`` needs a floating or complex
    dtype."""
    _check_device(device)
    check_layout(layout)
    shape = _size(size, "zeros", **_size_keyword(kw, "zeros"), negative="zeros: Dimension size must be non-negative.")
    return _filled(shape, 0, _factory_dtype("zeros", dtype, out, D.get_default_dtype()), out, requires_grad, "zeros")


def ones(
    *size, out=None, dtype: D.dtype | None = None, layout=None, device=None, requires_grad: bool = False, **kw
) -> Tensor:
    """A tensor of ones; ``size``, ``dtype``, ``out`` and ``requires_grad`` as for :func:`zeros` (a negative
    size is "Trying to create tensor with negative dimension")."""
    _check_device(device)
    check_layout(layout)
    shape = _size(size, "ones", **_size_keyword(kw, "ones"))
    return _filled(shape, 1, _factory_dtype("ones", dtype, out, D.get_default_dtype()), out, requires_grad, "ones")


def empty(
    *size, out=None, dtype: D.dtype | None = None, layout=None, device=None, requires_grad: bool = False, **kw
) -> Tensor:
    """An uninitialised tensor; the reference fills it with zeros so runs are reproducible (its values
    are never compared)."""
    _check_device(device)
    check_layout(layout)
    shape = _size(size, "empty", **_size_keyword(kw, "empty"))
    return _filled(shape, 0, _factory_dtype("empty", dtype, out, D.get_default_dtype()), out, requires_grad, "empty")


def _size_keyword(kw: dict, name: str) -> dict:
    unknown = set(kw) - {"size", "memory_format", "pin_memory"}
    if unknown:
        raise TypeError(f"{name}() got an unexpected keyword argument '{sorted(unknown)[0]}'")
    return {"size": kw["size"]} if "size" in kw else {}


def _from_numpy_scalar(value):
    """A NumPy scalar as torch's argument parser reads a Number: integers as ints, floats as floats,
    ``np.bool_`` as a float (not a bool), a complex that is not a Python complex (``complex64``) through
    ``float()`` (its real part, with NumPy's ComplexWarning)."""
    if isinstance(value, np.bool_ | np.floating) and not isinstance(value, builtins.float):
        return builtins.float(value)
    if isinstance(value, np.complexfloating) and not isinstance(value, builtins.complex):
        return builtins.float(value)
    if isinstance(value, np.integer):
        return builtins.int(value)
    return value


def _number(name: str, value, arg: str, position: int):
    """A Number argument: a bool, int, float, complex, NumPy scalar, or a 0-d tensor that does not
    require grad (read as its value); anything else is TypeError naming the argument."""
    if isinstance(value, Tensor) and value.ndim == 0 and not value.requires_grad:
        return value.item()
    if isinstance(value, builtins.bool | builtins.int | builtins.float | builtins.complex | np.number | np.bool_):
        return D._python_number(_from_numpy_scalar(value))
    raise TypeError(f"{name}(): argument '{arg}' (position {position}) must be Number, not {type(value).__name__}")


def full(
    size, fill_value, *, out=None, dtype: D.dtype | None = None, layout=None, device=None, requires_grad: bool = False
) -> Tensor:
    """A tensor of ``size`` (one sequence, not varargs) filled with ``fill_value``.

    torch's rules: the dtype is ``dtype``, else ``out``'s, else the fill value's (bool -> bool, int ->
    int64, float -> the default float dtype, complex -> the default complex dtype; a 0-d tensor counts
    as its Python value).  The value is converted by the checked conversion (RuntimeError "value cannot
    be converted to type ... without overflow"; see ``checked_convert``), except that a one-element
    float16 result takes an out-of-range value as inf."""
    _check_device(device)
    check_layout(layout)
    shape = _size((size,), "full", varargs=False)
    value = _number("full", fill_value, "fill_value", 2)
    dt = _factory_dtype("full", dtype, out, D.scalar_dtype(value))
    fill = D.checked_convert(value, dt, single_element=math.prod(shape) == 1)
    return _filled(shape, fill, dt, out, requires_grad, "full")


def _like(name: str, input, dtype, memory_format) -> tuple[tuple[int, ...], D.dtype, tuple[int, ...]]:
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    shape = tuple(input.shape)
    return shape, dtype or input.dtype, like_strides(shape, input.stride(), memory_format)


def _filled_like(name: str, input, value, dtype, requires_grad, memory_format) -> Tensor:
    shape, dt, strides = _like(name, input, dtype, memory_format)
    value = D.checked_convert(value, dt, single_element=math.prod(shape) == 1)
    return _leaf(Tensor._wrap(lay_out(np.full(shape, value, dtype=dt.np), strides), laid_out=True), requires_grad)


def zeros_like(
    input: Tensor, *, dtype=None, layout=None, device=None, requires_grad: bool = False, memory_format=None
) -> Tensor:
    """A new tensor of zeros with ``input``'s shape, dtype (unless ``dtype`` is given) and layout
    (``memory_format``, see ``like_strides``: a dense input's strides are kept).  It never shares
    memory with ``input`` and is a leaf (it does not require grad unless asked)."""
    _check_device(device)
    check_layout(layout)
    return _filled_like("zeros_like", input, 0, dtype, requires_grad, memory_format)


def ones_like(
    input: Tensor, *, dtype=None, layout=None, device=None, requires_grad: bool = False, memory_format=None
) -> Tensor:
    """A new tensor of ones like ``input`` (as :func:`zeros_like`)."""
    _check_device(device)
    check_layout(layout)
    return _filled_like("ones_like", input, 1, dtype, requires_grad, memory_format)


def empty_like(
    input: Tensor, *, dtype=None, layout=None, device=None, requires_grad: bool = False, memory_format=None
) -> Tensor:
    """A new tensor like ``input`` whose values torch leaves unspecified (the reference fills zeros;
    never compared value for value)."""
    _check_device(device)
    check_layout(layout)
    return _filled_like("empty_like", input, 0, dtype, requires_grad, memory_format)


def full_like(
    input: Tensor,
    fill_value,
    *,
    dtype=None,
    layout=None,
    device=None,
    requires_grad: bool = False,
    memory_format=None,
) -> Tensor:
    """A new tensor like ``input`` (shape, layout, and dtype unless ``dtype`` is given -- the fill value
    does not change it) filled with ``fill_value``, converted as for :func:`full`."""
    _check_device(device)
    check_layout(layout)
    value = _number("full_like", fill_value, "fill_value", 2)
    return _filled_like("full_like", input, value, dtype, requires_grad, memory_format)


def arange(start, end=None, step=1, *, dtype: D.dtype | None = None, device=None, requires_grad: bool = False):
    """Values ``start, start+step, ...`` below ``end``; int64 unless any argument is a float.

    The length is ``ceil((end - start) / step)``, computed in double as torch does.
    """
    _check_device(device)
    if end is None:
        start, end = 0, start
    args = [a.item() if isinstance(a, Tensor) else a for a in (start, end, step)]
    any_float = builtins.any(isinstance(a, builtins.float | np.floating) for a in args)
    dt = dtype or (D.get_default_dtype() if any_float else D.int64)
    if dt.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{dt._torch_name}'")
    if args[2] == 0:
        raise RuntimeError("step must be nonzero")
    if dt.category <= D.dtype.INT:
        # an integer result casts start, end and step first (truncating): arange(0, 5, 1.5, dtype=int64)
        # steps by 1 and has 5 elements; a step that truncates to 0 is a ValueError (a literal 0 is not)
        args = [int(a) for a in args]
        if args[2] == 0:
            raise ValueError("step must be nonzero")
    start, end, step = args
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = builtins.max(0, math.ceil((end - start) / step))
    if dt.category >= D.dtype.FLOAT:  # computed in double, then rounded
        arr = (start + step * np.arange(n, dtype=np.float64)).astype(dt.np)
    else:
        arr = (start + step * np.arange(n, dtype=np.int64)).astype(dt.np)
    t = Tensor._wrap(arr)
    return t.requires_grad_(True) if requires_grad else t


def _range_end(name: str, value, start_dim: int, end_dim: int):
    """``start`` or ``end`` of linspace/logspace: a number or a 0-d tensor (read as its value)."""
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(
                f"{name} only supports 0-dimensional start and end tensors, but got start with {start_dim} "
                f"dimension(s) and end with {end_dim} dimension(s)."
            )
        return value.item()
    if isinstance(value, builtins.bool | builtins.int | builtins.float | builtins.complex | np.number | np.bool_):
        return D._python_number(_from_numpy_scalar(value))
    raise TypeError(f"{name}(): argument 'start'/'end' must be Number or Tensor, not {type(value).__name__}")


def _stepped_setup(name: str, start, end, steps, dtype, out, requires_grad):
    """The arguments of linspace/logspace checked as torch checks them, in its order."""
    dims = [v.ndim if isinstance(v, Tensor) else 0 for v in (start, end)]
    start, end = (_range_end(name, v, *dims) for v in (start, end))
    if isinstance(steps, Tensor) and steps.numel() == 1 and steps.dtype.category == D.dtype.INT:
        steps = steps.item()
    if isinstance(steps, builtins.bool) or not isinstance(steps, builtins.int | np.integer):
        raise TypeError(f"{name}(): argument 'steps' must be int, not {type(steps).__name__}")
    steps = builtins.int(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    complex_ends = builtins.any(isinstance(v, builtins.complex) for v in (start, end))
    inferred = D.default_complex() if complex_ends else D.get_default_dtype()
    dt = _factory_dtype(name, dtype, out, inferred)
    if complex_ends and not dt.is_complex:
        raise RuntimeError(
            f"torch.{name}(): inferred dtype {D._c_name(inferred)} can't be safely cast to passed dtype "
            f"{dt._torch_name}"
        )
    if dt is D.bool and steps > 1:  # torch's kernel has no bool version (0 or 1 steps never reach it)
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for 'Bool'")
    if dt.is_complex and steps and not builtins.all(np.isfinite(complex(v)) for v in (start, end)):
        raise NotImplementedError(
            f"{name}() with a complex dtype and a NaN or infinite end is not modelled "
            "(c10::complex arithmetic with infinities differs from NumPy's)"
        )
    return start, end, steps, dt


def _halfway_grid(first, last, step, steps: int, calc) -> np.ndarray:
    """torch's range-kernel points: ``first + step*i`` for the first half (``i < steps // 2``) and
    ``last - step*(steps-1-i)`` for the rest, so both ends are hit exactly; every operation in the
    NumPy type ``calc`` (a float16 index is rounded to float16 first, as c10::Half arithmetic does)."""
    half = steps // 2
    out = np.empty(steps, dtype=calc)
    with np.errstate(over="ignore", invalid="ignore"):
        # each half computed once, in place (the index converted to calc first, as C++ converts it)
        np.multiply(np.arange(half).astype(calc), step, out=out[:half])
        np.add(out[:half], calc(first), out=out[:half])
        np.multiply(np.arange(steps - 1 - half, -1, -1).astype(calc), step, out=out[half:])
        np.subtract(calc(last), out[half:], out=out[half:])
    return out


def _from_double(values: np.ndarray, dt: D.dtype) -> np.ndarray:
    """C++'s ``static_cast`` of doubles to ``dt`` on x86, as torch's integer range kernels store them:
    truncated towards zero; a NaN or a value beyond the 32-bit (64-bit for int64) range becomes that
    range's minimum, and 8- and 16-bit types keep the low bits of the 32-bit result."""
    if dt is D.bool:
        return values != 0
    if dt.category >= D.dtype.FLOAT:
        with np.errstate(over="ignore", invalid="ignore"):
            return values.astype(dt.np)
    bits = 64 if dt is D.int64 else 32
    with np.errstate(invalid="ignore"):
        fits = (values >= -(2.0 ** (bits - 1))) & (values < 2.0 ** (bits - 1))
        whole = np.trunc(np.where(fits, values, 0)).astype(np.int64)
    return np.where(fits, whole, -(2 ** (bits - 1))).astype(dt.np)


def _range_made(data: np.ndarray, out, requires_grad: bool, ends: tuple, name: str) -> Tensor:
    """The range's tensor; written into ``out`` while an end tensor requires grad, torch gives ``out`` a
    node whose backward raises (its functional form records nothing: the result is a fresh leaf)."""
    if out is not None and out.numel() == data.size:
        data = data.reshape(tuple(out.shape))  # torch resizes out only when its element count differs
    made = _made(data, out, requires_grad, name)
    if out is None:
        return made
    return record_not_implemented(made, [e for e in ends if isinstance(e, Tensor)], name)


def linspace(
    start, end, steps, *, out=None, dtype: D.dtype | None = None, layout=None, device=None, requires_grad: bool = False
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included.

    torch's rules: the dtype is ``dtype``, else ``out``'s, else the default float dtype (even for
    integer ends) or the default complex dtype for a complex end.  ``start`` and ``end`` (numbers or 0-d
    tensors) are converted to that dtype first (checked: "value cannot be converted ... without
    overflow"; an integer dtype truncates them).  The step is ``(end - start) / (steps - 1)``, in the
    dtype (in double for integer dtypes); the first half of the points is ``start + step*i`` and the
    rest ``end - step*(steps-1-i)``, so the result is symmetric and ends exactly at ``end``; integer
    results are truncated towards zero, e.g. ``linspace(0, 10, 4, dtype=int64)`` is ``[0, 3, 6, 10]``.
    One step gives ``[start]``, zero steps an empty tensor; negative steps are RuntimeError; bool has no
    kernel (NotImplementedError).  torch's vectorised CPU loop computes blocks as ``base + j*step``, so
    its float results may differ from these points in the last bit (and integer results by one)."""
    _check_device(device)
    check_layout(layout)
    ends = (start, end)
    start, end, steps, dt = _stepped_setup("linspace", start, end, steps, dtype, out, requires_grad)
    if steps <= 1:  # zero steps convert nothing; one is start, filled
        data = np.full(steps, D.checked_convert(start, dt, single_element=True) if steps else 0, dtype=dt.np)
        return _range_made(data, out, requires_grad, ends, "linspace")
    first, last = D.checked_convert(start, dt), D.checked_convert(end, dt)
    if dt.category == D.dtype.INT:
        step = (builtins.float(last) - builtins.float(first)) / (steps - 1)
        data = _from_double(_halfway_grid(builtins.float(first), builtins.float(last), step, steps, np.float64), dt)
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            step = (last - first) / dt.np.type(steps - 1)
        data = _halfway_grid(first, last, step, steps, dt.np.type).astype(dt.np)
    return _range_made(data, out, requires_grad, ends, "linspace")


def _base_as(base: float, dt: D.dtype):
    """logspace's base in the type its kernel computes the power with: the dtype itself, but float
    for float16 (its arithmetic type), so a base beyond float16's range still gives finite points."""
    return np.float32(base) if dt is D.float16 else dt.np.type(base)


def logspace(
    start,
    end,
    steps,
    base=10.0,
    *,
    out=None,
    dtype: D.dtype | None = None,
    layout=None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """``base ** e`` for ``steps`` evenly spaced exponents ``e`` from ``start`` to ``end``.

    torch's rules: dtype, conversions and errors as :func:`linspace`; ``base`` is a real number (a
    complex one is TypeError).  The exponents are computed in double from the converted ends
    (``(end - start)`` taken in the dtype), the first half from ``start`` and the rest from ``end``, and
    the power in double with the base rounded to the dtype; the result is cast to the dtype as C++
    does (an integer dtype truncates; beyond its range, or NaN from a negative base, gives the range's
    minimum, e.g. ``logspace(0, 100, 3, dtype=int64)[1]`` is -2**63).  One step is
    ``base ** start`` with ``start`` as given (not first converted: ``logspace(2.5, 1, 1, 2,
    dtype=int64)`` is ``[5]``), converted with the overflow check."""
    _check_device(device)
    check_layout(layout)
    ends = (start, end)
    start, end, steps, dt = _stepped_setup("logspace", start, end, steps, dtype, out, requires_grad)
    if isinstance(base, Tensor) and base.ndim == 0 and not base.is_complex():
        base = base.item()
    if not isinstance(base, builtins.bool | builtins.int | builtins.float | np.integer | np.floating):
        raise TypeError(f"logspace(): argument 'base' must be float, not {type(base).__name__}")
    base = builtins.float(base)
    if dt.is_complex and base <= 0:
        raise NotImplementedError("logspace() with a complex dtype and a zero or negative base is not modelled")
    if steps <= 1:
        first = start if steps else 0  # torch's one point is pow(base, start) with start as given
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            value = np.power(np.complex128(base) if dt.is_complex else base, first)
        fill = D.checked_convert(value.item(), dt, single_element=True) if steps else 0
        return _range_made(np.full(steps, fill, dtype=dt.np), out, requires_grad, ends, "logspace")
    first, last = D.checked_convert(start, dt), D.checked_convert(end, dt)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if dt.is_complex:
            step = (np.complex128(last) - np.complex128(first)) / (steps - 1)
            exps = _halfway_grid(first, last, step, steps, np.complex128)
            data = np.power(np.complex128(dt.np.type(base)), exps).astype(dt.np)
        else:
            span = last - first if dt.category == D.dtype.FLOAT else builtins.int(last) - builtins.int(first)
            step = builtins.float(span) / (steps - 1)
            exps = _halfway_grid(builtins.float(first), builtins.float(last), step, steps, np.float64)
            data = _from_double(
                np.power(np.float64(_base_as(base, dt)) if dt.category == D.dtype.FLOAT else base, exps), dt
            )
    return _range_made(data, out, requires_grad, ends, "logspace")


def eye(n: int, m: int | None = None, *, dtype: D.dtype | None = None, device=None, requires_grad: bool = False):
    """An ``n x m`` identity (``m`` defaults to ``n``)."""
    _check_device(device)
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    t = Tensor._wrap(np.eye(n, n if m is None else m, dtype=(dtype or D.get_default_dtype()).np))
    return t.requires_grad_(True) if requires_grad else t


def is_tensor(obj) -> bool:
    """True exactly when ``obj`` is a Tensor (a NumPy array or a Python number is not)."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    """The number of elements: the product of the shape (1 for a 0-d tensor, 0 for an empty one)."""
    return input.numel()
