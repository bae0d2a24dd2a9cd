"""Reductions: sum and mean over ``dim`` (int, tuple or None) with ``keepdim``."""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from ._arguments import NOT_GIVEN
from ._autograd_hooks import record_unary
from ._dims import wrap_dims
from ._out import with_out
from ._tensor import Tensor, tensor_method

__all__ = ["sum", "mean"]


def _reduce_dims(input: Tensor, dim) -> tuple[int, ...]:
    if dim is None:
        return tuple(range(input.ndim))
    dims = (dim,) if isinstance(dim, int | np.integer) else tuple(dim)
    if len(dims) == 0:  # torch: an empty dim list means "all dims"
        return tuple(range(input.ndim))
    return wrap_dims(dims, input.ndim)


def _dim_overload(fname: str, dim, keepdim) -> tuple[object, bool, str]:
    """torch's two overloads: ``fname(input, *, dtype)`` (``...Backward0``) and ``fname(input, dim,
    keepdim=False, *, dtype)`` (``...Backward1``), picked by whether ``dim`` is passed at all (even as
    None); ``keepdim`` without ``dim`` matches neither (TypeError)."""
    if dim is NOT_GIVEN:
        if keepdim is not NOT_GIVEN:
            raise TypeError(
                f"{fname}() received an invalid combination of arguments - got keepdim without dim: "
                f"keepdim is accepted only together with dim"
            )
        return None, False, "0"
    if keepdim is NOT_GIVEN:
        keepdim = False
    if not isinstance(keepdim, bool | np.bool_):
        raise TypeError(f"{fname}(): argument 'keepdim' must be bool, not {type(keepdim).__name__}")
    return dim, bool(keepdim), "1"


def _expand_back(g: Tensor, input: Tensor, dims: tuple[int, ...], keepdim: bool) -> Tensor:
    """Broadcast a reduced gradient back over the reduced dims."""
    from ._shape import expand, reshape

    if not keepdim and input.ndim:
        kept = [1 if i in dims else s for i, s in enumerate(input.shape)]
        g = reshape(g, kept)
    return expand(g, input._data.shape)


def _contiguous(res, np_dtype) -> np.ndarray:
    """A reduction's result as torch allocates it: contiguous, whatever order NumPy chose (0-d stays 0-d)."""
    res = np.asarray(res, dtype=np_dtype)
    return res if res.flags.c_contiguous else np.array(res, order="C")


def _sum_array(arr: np.ndarray, axes: tuple[int, ...], keepdim: bool) -> np.ndarray:
    """Sum ``arr`` over ``axes``.  Floating and complex sums go through NumPy's einsum loop, which
    accumulates half in float32 (as torch does) and vectorises any axis; integers use ``np.sum``
    (exact, wrapping like torch's int64).  An empty sum is 0 and a sum of -0.0s is +0.0 either way."""
    if arr.dtype.kind not in "fc" or not axes:
        return np.sum(arr, axis=axes, keepdims=keepdim)
    kept = [k for k in range(arr.ndim) if k not in axes]
    res = np.einsum(arr, list(range(arr.ndim)), kept)
    return np.expand_dims(res, axes) if keepdim else res


@tensor_method
@with_out("sum", needs="dim", computes_in_out_dtype=True)
def sum(input: Tensor, dim=NOT_GIVEN, keepdim=NOT_GIVEN, *, dtype: D.dtype | None = None) -> Tensor:
    """Sum over ``dim`` (all dims if None or empty).

    Passing ``dim`` at all (``None`` included) selects torch's ``dim`` overload (``SumBackward1``
    instead of ``SumBackward0``); ``keepdim`` needs ``dim``.

    Bool and integer inputs accumulate in int64 (``torch.tensor([1, 2],
    dtype=torch.int8).sum()`` is int64); ``keepdim`` keeps reduced dims as size 1.
    """
    dim, keepdim, overload = _dim_overload("sum", dim, keepdim)
    dims = _reduce_dims(input, dim)
    out_dtype = dtype or (D.int64 if input.dtype.category <= D.dtype.INT else input.dtype)
    arr = input._data.astype(out_dtype.np, copy=False)
    axes = dims if input.ndim else ()
    # a reduction's result is allocated contiguous, whatever the input's layout (NumPy's may follow it)
    out = Tensor._wrap(_contiguous(_sum_array(arr, axes, keepdim), out_dtype.np))
    name = f"SumBackward{overload}"
    return record_unary(out, input, name, lambda g: _expand_back(g, input, dims, keepdim))


def _mean_dtype_check(input, *args, dtype: D.dtype | None = None, **kwargs) -> None:
    """torch's mean infers its dtype from the input alone: without ``dtype=``, an input that is not
    floating or complex is refused (RuntimeError), whatever ``out`` is."""
    dt = dtype or (input.dtype if isinstance(input, Tensor) else None)
    if dt is not None and not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
            f"dtype. Got: {input.dtype._torch_name}"
        )


@tensor_method
@with_out("mean", computes_in_out_dtype=True, precheck=_mean_dtype_check)
def mean(input: Tensor, dim=NOT_GIVEN, keepdim=NOT_GIVEN, *, dtype: D.dtype | None = None) -> Tensor:
    """Arithmetic mean over ``dim``; only floating and complex inputs (torch refuses to guess a dtype).

    ``dim`` and ``keepdim`` select torch's overload as in :func:`sum` (``MeanBackward0``/``1``)."""
    dim, keepdim, overload = _dim_overload("mean", dim, keepdim)
    _mean_dtype_check(input, dtype=dtype)
    dt = dtype or input.dtype
    dims = _reduce_dims(input, dim)
    axes = dims if input.ndim else ()
    with np.errstate(invalid="ignore", divide="ignore"):
        res = np.mean(input._data.astype(dt.np, copy=False), axis=axes, keepdims=keepdim, dtype=dt.np)
    out = Tensor._wrap(_contiguous(res, dt.np))
    count = int(np.prod([input.shape[d] for d in dims], dtype=np.int64)) if input.ndim else 1

    def vjp(g):
        from ._elementwise import div

        return _expand_back(div(g, count), input, dims, keepdim)

    name = f"MeanBackward{overload}"
    return record_unary(out, input, name, vjp)
