"""``out=``: the functional form of an op writing its result into a given tensor.

torch's rule (``at::native::resize_output`` and TensorIterator's output checks):

1. ``out=`` is a keyword of the *function* only (``torch.add(x, y, out=o)``); Tensor methods refuse it.
2. When grad mode is on and an input or ``out`` requires grad, the call raises RuntimeError
   ("functions with out=... arguments don't support automatic differentiation"): no graph is recorded.
3. The result's dtype must fit ``out``: ops computed by TensorIterator (elementwise, reductions)
   accept any ``out`` dtype the result can be cast to (``torch.can_cast``), others require the
   result's exact dtype (gather, index_select, matmul).
4. ``out`` with the wrong shape is resized to the result's shape, and when it had elements torch
   warns that resizing a non-empty ``out`` is deprecated; a resized ``out`` takes the result's layout,
   an ``out`` of the right shape keeps its own strides and memory.
5. The written ``out`` is returned (the same object), and its version counter moves.

An ``out`` sharing memory with an input is not modelled (torch allows full overlap for some ops and
raises for partial overlap): the reference raises NotImplementedError naming it.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable

import numpy as np

from . import _dtype as D
from ._layout import as_view, element_strides, lay_out
from ._tensor import Tensor
from .autograd.grad_mode import no_grad
from .autograd.graph import is_grad_enabled


def _tensors_in(values) -> list[Tensor]:
    found: list[Tensor] = []
    for v in values:
        if isinstance(v, Tensor):
            found.append(v)
        elif isinstance(v, list | tuple):
            found += _tensors_in(v)
    return found


def with_out(
    name: str,
    *,
    exact_dtype: bool | Callable[..., bool] = False,
    needs: str | None = None,
    differentiable: bool = True,
    computes_in_out_dtype: bool = False,
) -> Callable[[Callable], Callable]:
    """Give the function ``torch.<name>`` its ``out=`` keyword (see the module docstring for torch's rule).

    ``exact_dtype`` marks ops whose ``out`` must have the result's own dtype (ops outside TensorIterator;
    a function of the call's arguments where that depends on the overload: clamp with number bounds).
    ``needs`` names an argument without which torch's overloads take no ``out`` (``torch.sum(x, out=o)``
    is a TypeError; ``torch.sum(x, None, out=o)`` is accepted).  ``differentiable=False`` (comparisons):
    no autograd check, the result never requires grad.  ``computes_in_out_dtype`` (reductions): without
    ``dtype=``, the op computes in ``out``'s dtype (the input is cast first); with ``dtype=``, ``out``
    must have that dtype.
    The undecorated function stays available as ``fn._method`` for the Tensor method, which has no ``out=``.
    """

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def with_out_keyword(*args, out=None, **kwargs):
            if out is None:
                return fn(*args, **kwargs)
            if needs is not None and len(args) < 2 and needs not in kwargs:
                raise TypeError(f"{name}() received an invalid combination of arguments: out= needs '{needs}'")
            if not isinstance(out, Tensor):
                raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
            if computes_in_out_dtype:
                if kwargs.get("dtype") is None:
                    kwargs = {**kwargs, "dtype": out.dtype}
                elif kwargs["dtype"] is not out.dtype:
                    raise RuntimeError(
                        f"Expected out tensor to have dtype {_c_type(kwargs['dtype'])}, but got "
                        f"{_c_type(out.dtype)} instead"
                    )
            exact = exact_dtype(*args, **kwargs) if callable(exact_dtype) else exact_dtype
            return write_out(name, fn, args, kwargs, out, exact, differentiable)

        with_out_keyword._method = fn  # type: ignore[attr-defined]
        return with_out_keyword

    return decorate


def _c_type(d: D.dtype) -> str:
    """torch's C++ name of a dtype in out= messages ("float", "double", "long int")."""
    return {"int64": "long int", "float32": "float", "float64": "double", "int32": "int"}.get(d.name, d.name)


def write_out(
    name: str,
    fn: Callable,
    args: tuple,
    kwargs: dict,
    out: Tensor,
    exact_dtype: bool,
    differentiable: bool,
) -> Tensor:
    """Compute ``fn(*args, **kwargs)`` without recording and write it into ``out`` by the rules above
    (also used by ops whose ``out=`` changes how they compute: the joins copy into out's dtype)."""
    inputs = _tensors_in(list(args) + list(kwargs.values()))
    if differentiable and is_grad_enabled() and (out.requires_grad or any(t.requires_grad for t in inputs)):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic differentiation, "
            "but one of the arguments requires grad."
        )
    if not differentiable and out.requires_grad:
        raise NotImplementedError(f"{name}(): an out= tensor that requires grad is not modelled")
    if any(out._data.size and t._data.size and np.may_share_memory(out._data, t._data) for t in inputs):
        raise NotImplementedError(f"{name}(): an out= tensor sharing memory with an input is not modelled")
    with no_grad():
        result = fn(*args, **kwargs)
    if exact_dtype and result.dtype is not out.dtype:
        raise RuntimeError(
            f"{name}(): expected out tensor to have dtype {_c_type(result.dtype)}, but got {_c_type(out.dtype)} instead"
        )
    if not D.can_cast(result.dtype, out.dtype):
        raise RuntimeError(
            f"result type {result.dtype._torch_name} can't be cast to the desired output type {out.dtype._torch_name}"
        )
    data = result._data.astype(out._data.dtype, copy=False)
    if tuple(out.shape) != tuple(result.shape):
        _resize(name, out, data, element_strides(result._data))
    else:
        out._writable_data()[...] = data
    out._bump_version()
    return out


def _resize(name: str, out: Tensor, data: np.ndarray, strides: tuple[int, ...]) -> None:
    """torch resizes ``out`` in its own storage and then gives it the result's strides
    (``as_strided_``): a resized tensor from empty takes the result's layout; a non-empty one keeps
    its memory (views of it see the result) when it is big enough."""
    if out.numel() == 0:
        if out._base is not None:
            raise NotImplementedError(f"{name}(): resizing an out= tensor that is a view is not modelled")
        out._data = lay_out(np.array(data, order="K", copy=True), strides)
        return
    warnings.warn(
        f"An output with one or more elements was resized since it had shape {list(out.shape)}, which does "
        f"not match the required output shape {list(data.shape)}. This behavior is deprecated, and in a "
        "future PyTorch release outputs will not be resized unless they have zero elements. You can "
        "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).",
        UserWarning,
        stacklevel=4,
    )
    flat = out._data.reshape(-1) if out._data.flags.c_contiguous else None
    if flat is None or flat.size < data.size or out._base is not None:
        raise NotImplementedError(
            f"{name}(): resizing a non-empty out= tensor that is a view, not contiguous, or too small "
            "(torch grows its storage in place) is not modelled"
        )
    resized = as_view(flat, data.shape, strides)  # the same memory, as torch's resize_ + as_strided_
    resized[...] = data
    out._data = resized
