"""The activations that are not plain elementwise ops: leaky_relu, softmax and log_softmax
(``relu``, ``sigmoid`` and ``tanh`` are in ``reference/_elementwise.py``)."""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype as D
from .._autograd_hooks import record_unary
from .._dims import wrap_dim
from .._elementwise import _check_tensor, exp, mul, scaled_gradient, sub
from .._layout import iterator_output
from .._reduction import sum as _sum
from .._tensor import Tensor, tensor_method

__all__ = ["leaky_relu", "softmax", "log_softmax"]


@iterator_output("input", numbers=False)
def _leaky_relu(input: Tensor, negative_slope, node: str = "LeakyReluBackward0") -> Tensor:
    _check_tensor(input, "leaky_relu")
    if not (input.dtype.is_floating_point):
        raise NotImplementedError(f"\"leaky_relu_cpu\" not implemented for '{input.dtype._torch_name}'")
    x = input._data
    opmath = np.dtype(np.float32 if x.dtype == np.float16 else x.dtype)  # half computes in float, rounded once
    slope = opmath.type(float(negative_slope))
    out = Tensor._wrap(np.where(x > 0, x, (x.astype(opmath) * slope).astype(x.dtype)))

    def vjp(g):
        if node == "LeakyReluBackward1" and negative_slope < 0:  # the input is gone: its sign is unknown
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope which is not "
                "supported. This is caused by calling in-place forward function with a negative slope, please "
                "call out-of-place version instead. File an issue at https://github.com/pytorch/pytorch if you "
                "do require supporting in-place leakRelu backward calculation with negative slope"
            )
        return scaled_gradient(g, np.where(x > 0, 1.0, float(negative_slope)), input, "LeakyReluBackwardBackward0")

    return record_unary(out, input, node, vjp, saved=(input,))


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``x`` where ``x > 0``, else ``negative_slope * x`` (computed in float for half); NaN stays NaN,
    -0.0 stays -0.0.  Only floating inputs (NotImplementedError "leaky_relu_cpu" otherwise).  The
    gradient is ``g`` where ``x > 0`` and ``negative_slope * g`` elsewhere, at 0 too; after the in-place
    form with a negative slope torch cannot tell the input's sign from the result, and backward is
    RuntimeError."""
    if inplace:  # torch's leaky_relu_ records LeakyReluBackward1
        from .._inplace import inplace as write_into

        return write_into(input, _leaky_relu, negative_slope, node="LeakyReluBackward1")
    return _leaky_relu(input, negative_slope)


def _softmax_dim(name: str, ndim: int, dim):
    """``dim=None`` picks torch's legacy implicit dim (0 for 0-, 1- and 3-d inputs, else 1) with its warning."""
    if dim is not None:
        return dim
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as an argument.",
        UserWarning,
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def _normalized(input: Tensor, dim, dtype, name: str, log: bool) -> Tensor:
    _check_tensor(input, name)
    if dtype is not None:
        input = input.to(dtype)  # the cast is its own node (ToCopyBackward0), before the softmax
    if not input.dtype.is_floating_point:
        kernel = "softmax_lastdim_kernel_impl" if not log else "log_softmax_lastdim_kernel_impl"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{input.dtype._torch_name}'")
    d = wrap_dim(dim, input.ndim)
    x = input._data
    opmath = np.float32 if x.dtype == np.float16 else x.dtype
    cx = x.astype(opmath).reshape(x.shape or (1,))
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        shifted = cx - np.max(cx, axis=d, keepdims=True) if cx.size else cx
        e = np.exp(shifted)
        total = np.sum(e, axis=d, keepdims=True)
        res = shifted - np.log(total) if log else e / total
    res = np.array(res.reshape(x.shape), dtype=x.dtype, order="C")  # torch's softmax kernels write a contiguous result
    out = Tensor._wrap(res)

    def vjp(g):
        if log:  # g - softmax(x) * sum(g)
            return sub(g, mul(exp(out), _sum(g, d, True)))
        return mul(out, sub(g, _sum(mul(g, out), d, True)))  # y * (g - sum(g * y))

    return record_unary(out, input, "LogSoftmaxBackward0" if log else "SoftmaxBackward0", vjp, saved=(out,))


def softmax(input: Tensor, dim=None, _stacklevel: int = 3, dtype: D.dtype | None = None) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``dim``, computed as torch does from ``x - max(x)`` so large
    inputs do not overflow (in float for half; ``dtype=`` casts the input first), into a contiguous result.  A slice holding
    -inf only, +inf or NaN gives NaN throughout; a 0-d input gives 1.  Only floating inputs
    (NotImplementedError).  Gradient:
    ``y * (g - sum(g * y, dim))``."""
    return _normalized(input, _softmax_dim("softmax", input.ndim, dim), dtype, "softmax", log=False)


def log_softmax(input: Tensor, dim=None, _stacklevel: int = 3, dtype: D.dtype | None = None) -> Tensor:
    """``x - max(x) - log(sum(exp(x - max(x))))`` along ``dim``: the stable log of :func:`softmax`
    (finite for inputs whose softmax underflows to 0).  Gradient: ``g - exp(y) * sum(g, dim)``."""
    return _normalized(input, _softmax_dim("log_softmax", input.ndim, dim), dtype, "log_softmax", log=True)


@tensor_method(name="softmax")
def _softmax_method(self: Tensor, dim, dtype: D.dtype | None = None) -> Tensor:
    return _normalized(self, dim, dtype, "softmax", log=False)


@tensor_method(name="log_softmax")
def _log_softmax_method(self: Tensor, dim, dtype: D.dtype | None = None) -> Tensor:
    return _normalized(self, dim, dtype, "log_softmax", log=True)
