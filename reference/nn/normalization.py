"""Normalization layers: layer_norm/LayerNorm and batch_norm/BatchNorm1d/BatchNorm2d.

Both normalize ``x`` to ``(x - mean) / sqrt(var + eps)`` (``var`` the biased variance), then scale by
``weight`` and shift by ``bias``: layer norm over the trailing ``normalized_shape`` dims of each sample,
batch norm over every dim but the channels (dim 1) -- in training with the batch's statistics (and
updating the running ones), in evaluation with the running statistics.  Each records torch's one node
(NativeLayerNormBackward0, NativeBatchNormBackward0) whose backward is written with differentiable ops,
so second derivatives exist as torch's do.
"""

from __future__ import annotations

import numpy as np

from .. import _creation as C
from .. import _dtype as D
from .._autograd_hooks import record
from .._elementwise import _check_tensor, mul, sub
from .._layout import channels_last_strides, element_strides, lay_out, suggests_channels_last
from .._reduction import mean
from .._reduction import sum as _sum
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from .modules import Module, Parameter

__all__ = ["layer_norm", "batch_norm", "LayerNorm", "BatchNorm1d", "BatchNorm2d"]


def _opmath(x: np.ndarray) -> np.ndarray:
    return x.astype(np.float32 if x.dtype == np.float16 else x.dtype)


def _statistics_dtype(x: np.ndarray):
    """torch's moments (Welford, cascaded) are accurate to about an ulp of the input's dtype: the
    reference computes them in double, so equal values have their own value as mean exactly."""
    return np.float64


def _normalized(xa: np.ndarray, axes: tuple, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x - mean) * rstd`` with the biased variance, computed in the input's opmath dtype."""
    x = xa.astype(_statistics_dtype(xa))
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = (
            x.mean(axis=axes, keepdims=True)
            if x.size
            else np.zeros([1 if i in axes else n for i, n in enumerate(x.shape)], x.dtype)
        )
        var = ((x - mu) ** 2).mean(axis=axes, keepdims=True) if x.size else np.ones_like(mu)
        rstd = 1 / np.sqrt(var + x.dtype.type(eps))
    return (x - mu) * rstd, mu, rstd


def _affine_grads(g: Tensor, xhat: Tensor, weight, bias, reduce_dims: tuple, shape_of_param) -> tuple:
    def reduced(t: Tensor) -> Tensor:  # (no dims to reduce: a sum over () would reduce them all)
        return _sum(t, reduce_dims).reshape(shape_of_param) if reduce_dims else t.reshape(shape_of_param)

    gw = reduced(mul(g, xhat)) if weight is not None and weight.requires_grad else None
    gb = reduced(g) if bias is not None and bias.requires_grad else None
    return gw, gb


def _same_dtype(input: Tensor, *others) -> None:
    """torch's CPU kernels take weight, bias (and running statistics) of the input's dtype; only a
    half input may have float ones ("mixed dtype")."""
    for t in others:
        if t is not None and t.dtype is not input.dtype and input.dtype is not D.float16:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _xhat(x: Tensor, dims: tuple, eps: float) -> tuple[Tensor, Tensor]:
    """``(x - mean) * rstd`` and ``rstd`` from the reference's ops (differentiable: for the backward)."""
    centred = sub(x, mean(x, dims, True))
    rstd = (mean(mul(centred, centred), dims, True) + eps) ** -0.5
    return mul(centred, rstd), rstd


def _normalization_input_grad(g_hat: Tensor, xhat: Tensor, rstd: Tensor, dims: tuple) -> Tensor:
    """d/dx of the normalization for an upstream ``g_hat`` (the gradient at ``xhat``):
    ``rstd * (g_hat - mean(g_hat) - xhat * mean(g_hat * xhat))`` over ``dims``."""
    return mul(rstd, sub(sub(g_hat, mean(g_hat, dims, True)), mul(xhat, mean(mul(g_hat, xhat), dims, True))))


def layer_norm(
    input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None, eps: float = 1e-5
) -> Tensor:
    """Normalize over the trailing ``normalized_shape`` dims: ``(x - mean) / sqrt(var + eps) * weight +
    bias``, ``var`` the biased variance, computed in float for half.  torch's checks: the input must
    end with ``normalized_shape`` (RuntimeError "Given normalized_shape=..."), ``weight``/``bias`` must
    have that shape, floating inputs only.  One node, NativeLayerNormBackward0."""
    _check_tensor(input, "layer_norm")
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.ndim - k :]) != shape or input.ndim < k:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, {', '.join(map(str, shape))}], "
            f"but got input of size{list(input.shape)}"
        )
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(p.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                f"{list(p.shape)} and normalized_shape = {list(shape)}"
            )
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"LayerNormKernelImpl\" not implemented for '{input.dtype._torch_name}'")
    _same_dtype(input, weight, bias)
    dims = tuple(range(input.ndim - k, input.ndim))
    xhat, _, _ = _normalized(input._data, dims, eps)
    y = xhat
    if weight is not None:
        y = y * _opmath(weight._data)
    if bias is not None:
        y = y + _opmath(bias._data)
    out = Tensor._wrap(np.array(y.astype(input._data.dtype), order="C"))
    batch_dims = tuple(range(input.ndim - k))

    def vjp(g):
        xh, rstd = _xhat(input, dims, eps)
        g_hat = mul(g, weight) if weight is not None else g
        gx = _normalization_input_grad(g_hat, xh, rstd, dims) if input.requires_grad else None
        gw, gb = _affine_grads(g, xh, weight, bias, batch_dims, shape)
        return gx, gw, gb

    return record(out, (input, weight, bias), "NativeLayerNormBackward0", vjp, saved=(input,))


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each channel (dim 1) over the other dims.  In ``training`` with the batch's mean and
    biased variance, and, when running statistics are given, update them in place:
    ``running = (1 - momentum) * running + momentum * stat``, with the *unbiased* variance.  Otherwise
    with the running statistics (RuntimeError without them).  The result is contiguous, or channels-last
    for a 4-d input laid out so (torch's ``suggest_memory_format``).  torch's checks: more than one value per
    channel when training (ValueError), running statistics, weight and bias of the channel count.
    One node, NativeBatchNormBackward0."""
    _check_tensor(input, "batch_norm")
    if training:
        size = tuple(input.shape)
        if size[0] * int(np.prod(size[2:])) == 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size torch.Size({list(size)})"
            )
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean must be defined in evaluation mode")
    channels = input.shape[1] if input.ndim > 1 else 1
    for name, p in (("weight", weight), ("bias", bias), ("running_mean", running_mean), ("running_var", running_var)):
        if p is not None and p.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {p.numel()}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"batch_norm\" not implemented for '{input.dtype._torch_name}'")
    _same_dtype(input, weight, bias, running_mean, running_var)
    dims = (0, *range(2, input.ndim))
    shaped = [1] * input.ndim
    shaped[1] = channels
    x = input._data
    if training:
        xhat, mu, rstd = _normalized(x, dims, eps)
        if running_mean is not None and running_var is not None:
            n = x.size // channels
            var = ((_opmath(x) - mu) ** 2).mean(axis=dims, keepdims=True)
            unbiased = var * (n / (n - 1)) if n > 1 else var
            with no_grad():
                running_mean.copy_(
                    Tensor._wrap(
                        ((1 - momentum) * running_mean._data + momentum * mu.reshape(-1)).astype(
                            running_mean._data.dtype
                        )
                    )
                )
                running_var.copy_(
                    Tensor._wrap(
                        ((1 - momentum) * running_var._data + momentum * unbiased.reshape(-1)).astype(
                            running_var._data.dtype
                        )
                    )
                )
    else:
        mu = _opmath(running_mean._data).reshape(shaped)
        rstd = 1 / np.sqrt(_opmath(running_var._data).reshape(shaped) + eps)
        xhat = (_opmath(x) - mu) * rstd
    y = xhat
    if weight is not None:
        y = y * _opmath(weight._data).reshape(shaped)
    if bias is not None:
        y = y + _opmath(bias._data).reshape(shaped)
    out = np.array(y.astype(x.dtype), order="C")
    if suggests_channels_last(x.shape, element_strides(x)):  # empty_like(input, suggest_memory_format())
        out = Tensor._wrap(lay_out(out, channels_last_strides(x.shape)), laid_out=True)
    else:
        out = Tensor._wrap(out)
    stats = (Tensor._wrap(np.asarray(mu, x.dtype)), Tensor._wrap(np.asarray(rstd, x.dtype)))

    def vjp(g):
        w = weight.reshape(shaped) if weight is not None else None
        g_hat = mul(g, w) if w is not None else g
        if training:
            xh, r = _xhat(input, dims, eps)
            gx = _normalization_input_grad(g_hat, xh, r, dims) if input.requires_grad else None
        else:  # the running statistics are constants
            xh = mul(sub(input, stats[0]), stats[1])
            gx = mul(g_hat, stats[1]) if input.requires_grad else None
        gw, gb = _affine_grads(g, xh, weight, bias, dims, (channels,))
        return gx, gw, gb

    return record(out, (input, weight, bias), "NativeBatchNormBackward0", vjp, saved=(input,))


class LayerNorm(Module):
    """:func:`layer_norm` over the trailing ``normalized_shape`` dims, with a weight (ones) and a bias
    (zeros) of that shape when ``elementwise_affine`` (the bias unless ``bias=False``)."""

    def __init__(
        self,
        normalized_shape,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape = shape
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(C.ones(shape, dtype=dtype, device=device))
            if bias:
                self.bias = Parameter(C.zeros(shape, dtype=dtype, device=device))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
            f"bias={self.bias is not None}"
        )


class _BatchNorm(Module):
    """The running statistics are buffers (running_mean zeros, running_var ones, num_batches_tracked an
    int64 0) when ``track_running_stats``; each training forward adds 1 to ``num_batches_tracked`` and,
    with ``momentum=None``, averages cumulatively (factor ``1 / num_batches_tracked``)."""

    _version = 2  # torch's (state_dict metadata): num_batches_tracked exists from version 2

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(C.ones(num_features, dtype=dtype, device=device))
            self.bias = Parameter(C.zeros(num_features, dtype=dtype, device=device))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", C.zeros(num_features, dtype=dtype, device=device))
            self.register_buffer("running_var", C.ones(num_features, dtype=dtype, device=device))
            self.register_buffer("num_batches_tracked", C.tensor(0, dtype=D.int64, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def _check_input_dim(self, input: Tensor) -> None:
        raise NotImplementedError

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            factor = 1.0 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
        bn_training = self.training or (self.running_mean is None and self.running_var is None)
        use_running = not self.training or self.track_running_stats
        return batch_norm(
            input,
            self.running_mean if use_running else None,
            self.running_var if use_running else None,
            self.weight,
            self.bias,
            bn_training,
            factor,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """:func:`batch_norm` of (N, C) or (N, C, L) inputs (ValueError for any other rank)."""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.ndim}D input)")


class BatchNorm2d(_BatchNorm):
    """:func:`batch_norm` of (N, C, H, W) inputs (ValueError for any other rank)."""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim != 4:
            raise ValueError(f"expected 4D input (got {input.ndim}D input)")


# where torch defines each class (``torch.typename`` and error messages name it so)
LayerNorm._torch_module = "torch.nn.modules.normalization"
_BatchNorm._torch_module = "torch.nn.modules.batchnorm"
BatchNorm1d._torch_module = "torch.nn.modules.batchnorm"
BatchNorm2d._torch_module = "torch.nn.modules.batchnorm"
