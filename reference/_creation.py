"""Tensor creation: tensor, as_tensor, from_numpy, zeros/ones/full/empty(+_like), arange, eye, diag, random."""

from __future__ import annotations

import builtins
import math

import numpy as np

from . import _dtype as D
from ._dims import as_int_tuple
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
    "eye",
    "manual_seed",
    "rand",
    "randn",
    "randint",
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


def _size(args, name) -> tuple[int, ...]:
    if not args:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    size = as_int_tuple(args, name)
    for s in size:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return size


def _filled(size, value, dtype: D.dtype, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(np.full(size, value, dtype=dtype.np))
    return t.requires_grad_(True) if requires_grad else t


def zeros(*size, dtype: D.dtype | None = None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros; the dtype defaults to the default float dtype."""
    _check_device(device)
    return _filled(_size(size, "zeros"), 0, dtype or D.get_default_dtype(), requires_grad)


def ones(*size, dtype: D.dtype | None = None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones; the dtype defaults to the default float dtype."""
    _check_device(device)
    return _filled(_size(size, "ones"), 1, dtype or D.get_default_dtype(), requires_grad)


def empty(*size, dtype: D.dtype | None = None, device=None, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor; the reference fills it with zeros so runs are reproducible."""
    _check_device(device)
    return _filled(_size(size, "empty"), 0, dtype or D.get_default_dtype(), requires_grad)


def full(size, fill_value, *, dtype: D.dtype | None = None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``; the dtype is inferred from the value (int -> int64, float -> float32)."""
    _check_device(device)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dt = dtype or D.scalar_dtype(fill_value)
    return _filled(_size((size,), "full"), D.check_scalar_fits(fill_value, dt), dt, requires_grad)


def _like(t: Tensor, dtype):
    if not isinstance(t, Tensor):
        raise TypeError(f"expected Tensor as argument 1, but got {type(t).__name__}")
    return tuple(t.shape), dtype or t.dtype


def zeros_like(input: Tensor, *, dtype=None, device=None, requires_grad: bool = False, memory_format=None) -> Tensor:
    """A new tensor of zeros with ``input``'s shape and (unless ``dtype`` is given) dtype; it never shares memory and does not require grad unless asked."""
    _check_device(device)
    shape, dt = _like(input, dtype)
    return _filled(shape, 0, dt, requires_grad)


def ones_like(input: Tensor, *, dtype=None, device=None, requires_grad: bool = False, memory_format=None) -> Tensor:
    """A new tensor of ones with ``input``'s shape and (unless ``dtype`` is given) dtype."""
    _check_device(device)
    shape, dt = _like(input, dtype)
    return _filled(shape, 1, dt, requires_grad)


def empty_like(input: Tensor, *, dtype=None, device=None, requires_grad: bool = False, memory_format=None) -> Tensor:
    """A new tensor with ``input``'s shape and dtype whose values are unspecified in torch (the reference fills zeros; never compared value for value)."""
    _check_device(device)
    shape, dt = _like(input, dtype)
    return _filled(shape, 0, dt, requires_grad)


def full_like(input: Tensor, fill_value, *, dtype=None, device=None, requires_grad: bool = False, memory_format=None):
    """A new tensor with ``input``'s shape and dtype filled with ``fill_value``, which must fit that dtype (an overflowing value is a RuntimeError)."""
    _check_device(device)
    shape, dt = _like(input, dtype)
    return _filled(shape, D.check_scalar_fits(fill_value, dt), dt, requires_grad)


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


def eye(n: int, m: int | None = None, *, dtype: D.dtype | None = None, device=None, requires_grad: bool = False):
    """An ``n x m`` identity (``m`` defaults to ``n``)."""
    _check_device(device)
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    t = Tensor._wrap(np.eye(n, n if m is None else m, dtype=(dtype or D.get_default_dtype()).np))
    return t.requires_grad_(True) if requires_grad else t


# -- random numbers: seedable, but not torch's generator (values differ from torch) --
_rng = np.random.default_rng(0)


def manual_seed(seed: int):
    """Seed the reference's generator.  Streams are NumPy's, so values never match torch's."""
    global _rng
    _rng = np.random.default_rng(seed)
    return _rng


def rand(*size, dtype: D.dtype | None = None, device=None, requires_grad: bool = False) -> Tensor:
    """Uniform samples on [0, 1)."""
    _check_device(device)
    dt = dtype or D.get_default_dtype()
    t = Tensor._wrap(_rng.random(_size(size, "rand")).astype(dt.np))
    return t.requires_grad_(True) if requires_grad else t


def randn(*size, dtype: D.dtype | None = None, device=None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples."""
    _check_device(device)
    dt = dtype or D.get_default_dtype()
    shape = _size(size, "randn")
    if dt.is_complex:  # torch: real and imaginary parts each have variance 1/2
        arr = (_rng.standard_normal(shape) + 1j * _rng.standard_normal(shape)) / np.sqrt(2)
    else:
        arr = _rng.standard_normal(shape)
    t = Tensor._wrap(arr.astype(dt.np))
    return t.requires_grad_(True) if requires_grad else t


def randint(low, high=None, size=None, *, dtype: D.dtype | None = None, device=None) -> Tensor:
    """Integers uniform on ``[low, high)``; ``randint(high, size)`` starts at 0."""
    _check_device(device)
    if size is None:
        low, high, size = 0, low, high
    if high is None or size is None:
        raise TypeError("randint() missing required arguments: high and size")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    return Tensor._wrap(_rng.integers(low, high, size=_size((size,), "randint")).astype((dtype or D.int64).np))


def is_tensor(obj) -> bool:
    """True exactly when ``obj`` is a Tensor (a NumPy array or a Python number is not)."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    """The number of elements: the product of the shape (1 for a 0-d tensor, 0 for an empty one)."""
    return input.numel()
