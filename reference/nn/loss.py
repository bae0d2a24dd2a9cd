"""Losses: mse_loss, l1_loss, nll_loss, cross_entropy, binary_cross_entropy and
binary_cross_entropy_with_logits, as ``nn.functional`` computes them on the CPU.

Every loss takes ``reduction`` in ``"mean"`` (the default), ``"sum"`` and ``"none"`` (anything else is
ValueError "X is not a valid value for reduction"), and the deprecated ``size_average``/``reduce`` pair,
which, when either is given, decides the reduction instead (with torch's warning).  Where torch has one
fused kernel with its own backward node (MseLossBackward0, NllLossBackward0, ...) the reference records
one node with that name; where torch composes other ops (l1_loss, cross_entropy) the reference composes
the same ops, so the graph has the same nodes.  Weights are constants: a ``weight`` (``pos_weight``)
that requires grad is refused at the call, as torch does, for the fused kernels.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _dtype as D
from .._autograd_hooks import record
from .._clamp import clamp_min
from .._elementwise import abs, broadcast_shapes, log, mul, neg, scaled_gradient, sigmoid, sub, sum_to
from .._layout import (
    _is_contiguous,
    element_strides,
    iterator_strides,
    lay_out,
    preserve_format_strides,
    preserving_layout,
)
from .._reduction import mean
from .._reduction import sum as _sum
from .._tensor import Tensor
from ..autograd.graph import is_grad_enabled
from .activation import log_softmax
from .modules import Module

__all__ = [
    "mse_loss",
    "l1_loss",
    "nll_loss",
    "cross_entropy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "MSELoss",
    "L1Loss",
    "NLLLoss",
    "CrossEntropyLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
]

REDUCTIONS = ("none", "mean", "sum")

#: binary_cross_entropy's gradient clamps ``(1 - x) * x`` at this: torch's C++ ``float`` constant 1e-12f
_EPSILON = float(np.float32(1e-12))


def _reduction(size_average, reduce, reduction: str) -> str:
    """The effective reduction: the legacy pair when either is given (``size_average`` and ``reduce``
    default to True: both -> "mean", ``reduce`` alone -> "sum", else "none"), else ``reduction``."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead.",
            UserWarning,
            stacklevel=3,
        )
        return reduction
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.", stacklevel=3)
        return "mean"
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _constant(weight, fname: str, name: str) -> None:
    """torch's fused losses have no derivative for their weights: one that requires grad is refused
    before anything is computed (when grad mode is on)."""
    if isinstance(weight, Tensor) and weight.requires_grad and is_grad_enabled():
        raise RuntimeError(
            f"The function '{fname}' is not differentiable with respect to argument '{name}'. "
            "This input cannot have requires_grad True."
        )


def _reduced(loss: np.ndarray, reduction: str) -> np.ndarray:
    """The elementwise losses reduced: mean (NaN for no elements), sum, or as they are."""
    if reduction == "none":
        return loss
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(loss.sum() / loss.size if reduction == "mean" else loss.sum(), dtype=loss.dtype)


def _spread(g: Tensor, shape: tuple, reduction: str) -> Tensor:
    """The adjoint of :func:`_reduced`: a reduced cotangent spread over the elements (divided by
    their count for the mean), a "none" cotangent as it is."""
    if reduction == "none":
        return g
    n = int(np.prod(shape))
    spread = g.expand(shape) if shape else g
    return spread / n if reduction == "mean" else spread


def _iterator_layout(values: np.ndarray, *operands: Tensor) -> np.ndarray:
    """``values`` laid out as TensorIterator lays out an elementwise result of ``operands``."""
    if values.ndim < 2:
        return values
    strides = iterator_strides(
        values.shape, [(o._data.shape, element_strides(o._data), o._data.itemsize) for o in operands]
    )
    return lay_out(values, strides)


def _sized(*tensors) -> None:
    """torch's Python wrappers call ``.size()`` on the arguments first: a non-tensor is AttributeError."""
    for t in tensors:
        if not isinstance(t, Tensor):
            raise AttributeError(f"'{type(t).__name__}' object has no attribute 'size'")


def _parsed(fname: str, input, target) -> None:
    """Losses that go straight to a C++ function: its parser refuses a non-tensor (TypeError)."""
    for position, (name, value) in enumerate((("input", input), ("target", target)), start=1):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{fname}(): argument '{name}' (position {position}) must be Tensor, not {type(value).__name__}"
            )


def _size_text(shape) -> str:
    return f"torch.Size([{', '.join(str(n) for n in shape)}])"


# -- regression losses --------------------------------------------------------------------------


def _broadcast_pair(input: Tensor, target: Tensor, fname: str) -> tuple[Tensor, Tensor]:
    """mse_loss and l1_loss broadcast a target of another shape (with torch's warning) by
    ``broadcast_tensors``: expanded views in the graph (ExpandBackward0)."""
    _sized(target, input)
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(
            f"Using a target size ({_size_text(target.shape)}) that is different to the input size "
            f"({_size_text(input.shape)}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=3,
        )
    shape = broadcast_shapes(tuple(input.shape), tuple(target.shape))
    return input.expand(shape), target.expand(shape)


def _weighted(errors: Tensor, weight: Tensor, input: Tensor, reduction: str) -> Tensor:
    """torch's weighted mse/l1 path, composed of ops: ``errors * weight``, then the sum divided by
    the weights' sum for the mean.  ``weight`` must have the input's shape (ValueError)."""
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    weighted = mul(errors, weight)
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return _sum(weighted)
    return _sum(weighted) / _sum(weight)


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """``(input - target) ** 2``, reduced.  A target of another shape broadcasts (warned); the dtype is
    the promoted one of the two (a Long target gives the input's float dtype).  One fused node,
    MseLossBackward0, with gradient ``2 * (input - target) * g`` (over the count for the mean).
    With ``weight`` (the input's shape), torch composes ops: ``sum(w * e) / sum(w)`` for the mean."""
    reduction = _reduction(size_average, reduce, reduction)
    x, y = _broadcast_pair(input, target, "mse_loss")
    if weight is not None:
        return _weighted((x - y) ** 2, weight, input, reduction)
    dt = D.result_type(x, y)
    if not (dt.is_floating_point or dt.is_complex):
        raise NotImplementedError(f"\"mse_cpu\" not implemented for '{dt._torch_name}'")
    diff = x._data.astype(dt.np) - y._data.astype(dt.np)
    squares = diff * diff
    none = reduction == "none"
    out = Tensor._wrap(
        _iterator_layout(squares, x, y) if none else _reduced(squares, reduction), laid_out=none and squares.ndim > 1
    )
    shape = tuple(x.shape)

    def vjp(g):
        gx = mul(mul(_spread(g, shape, reduction), sub(x, y)), 2)
        return gx, neg(gx)

    return record(out, (x, y), "MseLossBackward0", vjp, saved=(x, y))


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """``|input - target|``, reduced: torch composes ``(input - target).abs()`` and ``mean``/``sum``
    (AbsBackward0, MeanBackward0, SumBackward0), so the gradient at ``input == target`` is 0.
    Broadcasting, promotion and ``weight`` as :func:`mse_loss`."""
    reduction = _reduction(size_average, reduce, reduction)
    x, y = _broadcast_pair(input, target, "l1_loss")
    errors = abs(sub(x, y))
    if weight is not None:
        return _weighted(errors, weight, input, reduction)
    return errors if reduction == "none" else mean(errors) if reduction == "mean" else _sum(errors)


# -- binary cross-entropy ------------------------------------------------------------------------


def _check_same_size(input: Tensor, target: Tensor, message: str) -> None:
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(message.format(t=_size_text(target.shape), i=_size_text(input.shape)))


def _expanded_weight(weight: Tensor | None, shape: tuple) -> Tensor | None:
    """binary_cross_entropy expands ``weight`` to the target's shape with ``torch.broadcast_shapes``
    (whose RuntimeError names the mismatching dim)."""
    if weight is None:
        return None
    w_shape = tuple(weight.shape)
    for i in range(1, min(len(w_shape), len(shape)) + 1):
        if w_shape[-i] not in (1, shape[-i]) and shape[-i] != 1:
            raise RuntimeError(
                f"Attempting to broadcast a dimension of length {w_shape[-i]} at {-i}! Mismatching argument at "
                f"index 1 had {_size_text(w_shape)}; but expected shape should be broadcastable to "
                f"[{', '.join(str(n) for n in shape)}]"
            )
    full = broadcast_shapes(shape, w_shape)
    if full != tuple(shape):  # torch expands the weight to the target's shape: never beyond it
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, shape))}] doesn't match the broadcast shape "
            f"[{', '.join(map(str, full))}]"
        )
    return weight.expand(full)


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """``-w * (y * log(x) + (1 - y) * log(1 - x))`` with each log clamped at -100 (so ``x`` at 0 or 1
    gives at most 100, never inf), reduced.

    torch's rules: the target must have the input's shape (ValueError) and dtype (RuntimeError "Found
    dtype D but expected F"); every input and target element must lie in [0, 1] (RuntimeError
    naming which); ``weight`` broadcasts to the target.  One node, BinaryCrossEntropyBackward0:
    the input's gradient is ``w * (x - y) / max((1 - x) * x, 1e-12)`` (the clamp keeps it finite at 0
    and 1), the target's ``w * (log(1 - x) - log(x))`` (unclamped: inf at 0)."""
    _sized(target, input)
    reduction = _reduction(size_average, reduce, reduction)
    _check_same_size(
        input,
        target,
        "Using a target size ({t}) that is different to the input size ({i}) is deprecated. "
        "Please ensure they have the same size.",
    )
    w = _expanded_weight(weight, tuple(target.shape))
    _constant(w, "binary_cross_entropy", "weight")
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {target.dtype._torch_name} but expected {input.dtype._torch_name}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"binary_cross_entropy\" not implemented for '{input.dtype._torch_name}'")
    x, y = input._data, target._data
    opmath = np.float32 if x.dtype == np.float16 else x.dtype
    cx, cy = x.astype(opmath), y.astype(opmath)
    for arr, name in ((cx, "input"), (cy, "target")):
        if not np.all((arr >= 0) & (arr <= 1)):
            raise RuntimeError(f"all elements of {name} should be between 0 and 1")
    with np.errstate(divide="ignore"):
        loss = (cy - 1) * np.maximum(np.log1p(-cx), -100) - cy * np.maximum(np.log(cx), -100)
    if w is not None:
        loss = loss * w._data.astype(opmath)
    reduced = _reduced(loss, reduction).astype(x.dtype)
    none = reduction == "none"
    out = Tensor._wrap(preserving_layout(reduced, x) if none else reduced, laid_out=none)  # empty_like(input)
    shape = tuple(input.shape)

    def vjp(g):
        gs = _spread(g, shape, reduction)
        if w is not None:
            gs = mul(gs, w.to(input.dtype))  # a weight of another dtype scales in the input's
        # the target's gradient is torch's -logit(x) (so 0.5 gives -0.0)
        return _bce_input_gradient(gs, input, target), mul(gs, neg(log(input / sub(1, input))))

    return record(out, (input, target), "BinaryCrossEntropyBackward0", vjp, saved=(input, target))


def _bce_input_gradient(gs: Tensor, x: Tensor, y: Tensor) -> Tensor:
    """``gs * (x - y) / max((1 - x) * x, 1e-12f)`` (torch's binary_cross_entropy_backward kernel), as
    one node whose own derivatives are torch's double-backward formulas -- which replace the clamp by
    ``1e-12`` added to ``x`` and ``1 - x``: for ``gs``, ``(x - y) / ((x + eps) * (1 - x + eps))``; for
    ``x``, ``gs * (x**2 - 2*x*y + y) / ((x + eps)**2 * (1 - x + eps)**2)``; for ``y``,
    ``-gs / max((1 - x) * x, 1e-12)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        xv, yv = x._data, y._data
        denominator = np.maximum((1 - xv) * xv, xv.dtype.type(_EPSILON))
        out = Tensor._wrap(np.asarray(gs._data * ((xv - yv) / denominator), dtype=gs._data.dtype))
    eps = 1e-12

    def vjp(gg):
        x_pl, one_m = x + eps, sub(1, x) + eps
        d_gs = mul(gg, sub(x, y) / mul(x_pl, one_m))
        d_x = mul(mul(gg, gs), (x * x - 2 * x * y + y) / mul(x_pl * x_pl, one_m * one_m))
        d_y = neg(mul(gg, gs)) / clamp_min(mul(sub(1, x), x), eps)
        return d_gs, d_x, d_y

    return record(out, (gs, x, y), "BinaryCrossEntropyBackwardBackward0", vjp)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """``binary_cross_entropy(sigmoid(x), y)`` computed stably from the logits:
    ``w * ((1 - y) * x - l * log_sigmoid(x))`` with ``l = 1 + (pos_weight - 1) * y`` (1 without
    ``pos_weight``), where ``log_sigmoid(x) = min(x, 0) - log1p(exp(-|x|))`` -- finite for any
    logit, unclamped.  The target must have the input's shape (ValueError); ``weight`` and
    ``pos_weight`` broadcast to it (``pos_weight`` along the last dim, one per class; a larger shape is
    RuntimeError).  torch computes ``log_sigmoid`` in the input's dtype and the rest in place in a
    tensor of the target's dtype, which is the result's dtype.  One node, BinaryCrossEntropyWithLogitsBackward0: the input's gradient is
    ``w * (l * sigmoid(x) - l + 1 - y)`` (``w * (sigmoid(x) - y)`` without ``pos_weight``), the target's
    ``-w * (x + (pos_weight - 1) * log_sigmoid(x))``."""
    _sized(target, input)
    reduction = _reduction(size_average, reduce, reduction)
    _check_same_size(input, target, "Target size ({t}) must be the same as input size ({i})")
    _constant(weight, "binary_cross_entropy_with_logits", "weight")
    _constant(pos_weight, "binary_cross_entropy_with_logits", "pos_weight")
    # torch's op sequence, each result in its dtype: log_sigmoid(input) in the input's dtype, scaled in
    # place by (pos_weight - 1) * target + 1; then (1 - target) (the target's dtype) times the input and
    # minus that, in place; times the weight in place.  The result has the target's dtype and layout.
    shape = tuple(input.shape)
    if not input.dtype.is_floating_point:  # log_sigmoid(input) comes first
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{input.dtype._torch_name}'")
    if target.dtype is D.bool:  # 1 - target
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
            "operator instead."
        )
    if not target.dtype.is_floating_point:  # (1 - target).mul_(input): a float result into an integer tensor
        result = D.promote_types(target.dtype, input.dtype)
        raise RuntimeError(
            f"result type {result._torch_name} can't be cast to the desired output type {target.dtype._torch_name}"
        )
    for extra in (weight, pos_weight):  # both are written into a tensor of the input's shape
        if isinstance(extra, Tensor):
            full = broadcast_shapes(shape, tuple(extra.shape))
            if full != shape:
                raise RuntimeError(
                    f"output with shape [{', '.join(map(str, shape))}] doesn't match the broadcast shape "
                    f"[{', '.join(map(str, full))}]"
                )
    x, y = input._data, target._data

    def opmath(*arrays):
        dt = np.result_type(*arrays)
        return np.float32 if dt == np.float16 else dt

    with np.errstate(over="ignore", invalid="ignore"):  # inf logits: inf and NaN as torch's, silently
        xm = x.astype(np.float64)  # log_sigmoid correctly rounded to the input's dtype (as torch's, mostly)
        log_sig = (np.minimum(xm, 0) - np.log1p(np.exp(-np.abs(xm)))).astype(x.dtype)
        if pos_weight is not None:
            pw = pos_weight._data
            lw_dt = np.result_type(pw, y)
            lw = ((pw.astype(opmath(pw, y)) - 1) * y.astype(opmath(pw, y)) + 1).astype(lw_dt)
            log_sig = (log_sig.astype(opmath(log_sig, lw)) * lw.astype(opmath(log_sig, lw))).astype(x.dtype)
        one_minus = (1 - y.astype(opmath(y))).astype(y.dtype)
        loss = (one_minus.astype(opmath(y, x)) * x.astype(opmath(y, x))).astype(y.dtype)
        loss = (loss.astype(opmath(y, x)) - log_sig.astype(opmath(y, x))).astype(y.dtype)
        if weight is not None:
            w = weight._data
            loss = (loss.astype(opmath(y, w)) * w.astype(opmath(y, w))).astype(y.dtype)
    loss = np.array(np.broadcast_to(loss, shape), order="C")
    reduced = _reduced(loss, reduction)
    none = reduction == "none"
    if none:  # the target's layout kept (preserve_format), as torch's result
        reduced = preserving_layout(reduced, y)
    out = Tensor._wrap(reduced, laid_out=none)
    out_shape = tuple(shape)

    def vjp(g):
        gs = _spread(g, out_shape, reduction)
        if weight is not None:
            gs = mul(gs, weight)
        s = sigmoid(input)
        if pos_weight is None:
            gx, gy = sub(s, target), neg(input)
        else:
            lw_t = (pos_weight - 1) * target + 1
            gx = lw_t * s - lw_t + 1 - target
            gy = neg(input + (pos_weight - 1) * _log_sigmoid(input))
        gx, gy = sum_to(mul(gs, gx), tuple(input.shape)), sum_to(mul(gs, gy), tuple(target.shape))
        return gx.to(input.dtype), gy.to(target.dtype)

    return record(out, (input, target), "BinaryCrossEntropyWithLogitsBackward0", vjp, saved=(input, target))


def _log_sigmoid(x: Tensor) -> Tensor:
    """``log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|))``, finite for any ``x``, as one node
    (LogSigmoidBackward0) whose gradient ``g * (1 - sigmoid(x))`` is smooth at 0."""
    v = x._data.astype(np.float64)
    out = Tensor._wrap(np.asarray(np.minimum(v, 0) - np.log1p(np.exp(-np.abs(v))), dtype=x._data.dtype))
    return record(out, (x,), "LogSigmoidBackward0", lambda g: (mul(g, sub(1, sigmoid(x))),), saved=(x,))


# -- negative log-likelihood and cross-entropy ----------------------------------------------------


def _class_dim(input: Tensor) -> int:
    return 0 if input.ndim == 1 else 1


def _check_nll(input: Tensor, target: Tensor, weight: Tensor | None) -> None:
    """torch's checks of ``nll_loss_nd`` and its kernels, in their order."""
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if input.ndim == 1 and target.ndim == 1 and target.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    if input.ndim != 1 and input.shape[0] != (target.shape[0] if target.ndim else 0):
        got = target.shape[0] if target.ndim else 0  # torch reads a 0-d target's batch size as 0
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({got}).")
    if input.ndim <= 2:
        if target.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if input.ndim == 2 and input.shape[0] != target.shape[0]:
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)}, target: {list(target.shape)})")
    elif input.ndim == 4 and target.ndim != 3:
        raise RuntimeError(
            f"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.ndim}"
        )
    elif input.ndim == 4 and tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}")
    elif tuple(target.shape[1:]) != tuple(input.shape[2:]):
        expected = [input.shape[0], *input.shape[2:]]
        raise RuntimeError(f"Expected target size {expected}, got {list(target.shape)}")
    n_classes = input.shape[_class_dim(input)]
    if weight is not None and (weight.ndim != 1 or weight.numel() != n_classes):
        if input.ndim > 2:  # nll_loss2d's message
            raise RuntimeError("weight tensor should be defined either for all or no classes")
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes but got weight "
            f"tensor of shape: {list(weight.shape)}"
        )
    if target.dtype not in (D.int64, D.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {target.dtype._torch_name}")
    if input.ndim > 2 and target.dtype is not D.int64:  # nll_loss2d takes int64 targets only
        raise RuntimeError(f"expected scalar type Long but found {target.dtype._torch_name}")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"\"nll_loss_out_frame\" not implemented for '{input.dtype._torch_name}'")
    if weight is not None and weight.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype._torch_name} but found {weight.dtype._torch_name}")


def _nll_core(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str, ignore_index: int, node: str):
    """``-w[t] * input[i, t]`` per element of a (C,), (N, C) or (N, C, K) input, 0 where ``t`` is
    ``ignore_index``; the mean divides by the sum of the non-ignored ``w[t]`` (NaN when every target
    is ignored).  A target outside [0, C) that is not ignored is IndexError "Target t is out of bounds."."""
    x = input._data
    c_dim = _class_dim(input)
    n_classes = x.shape[c_dim]
    t = target._data.astype(np.int64)
    kept = t != ignore_index
    bad = kept & ((t < 0) | (t >= n_classes))
    if np.any(bad):
        raise IndexError(f"Target {int(t[bad].flat[0])} is out of bounds.")
    safe = np.where(kept, t, 0)
    w = weight._data if weight is not None else np.ones(n_classes, x.dtype)
    opmath = np.float32 if x.dtype == np.float16 else x.dtype
    wt = np.where(kept, w[safe], 0).astype(opmath)
    picked = np.take_along_axis(x, np.expand_dims(safe, c_dim), axis=c_dim).squeeze(c_dim).astype(opmath)
    losses = np.where(kept, -wt * picked, 0).astype(opmath)
    total = wt.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        if reduction == "none":
            value = losses
        elif reduction == "sum":
            value = np.asarray(losses.sum())
        else:
            value = np.asarray(losses.sum() / total)
    out = Tensor._wrap(np.asarray(value, dtype=x.dtype))
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(kept, -wt / total if reduction == "mean" else -wt, 0)  # ignored targets: no gradient

    # torch's nll_loss2d backward allocates its gradient like the input and requires it contiguous
    refuses_layout = node == "NllLoss2DBackward0" and not _is_contiguous(
        x.shape, preserve_format_strides(x.shape, element_strides(x))
    )

    def vjp(g):
        if refuses_layout:
            raise RuntimeError("grad_input must be contiguous")
        # d loss / d input: -w[t] (over the total weight for the mean) at each target's position
        sel = np.zeros(x.shape, x.dtype)
        np.put_along_axis(sel, np.expand_dims(safe, c_dim), np.expand_dims(np.asarray(scale, x.dtype), c_dim), c_dim)
        per_row = reduction == "none" and x.ndim > 1  # one cotangent per row: broadcast along the classes
        spread = (g.unsqueeze(c_dim) if per_row else g).expand(sel.shape)
        return (scaled_gradient(spread, sel, input, "NllLossBackwardBackward0"),)

    return record(out, (input,), node, vjp, saved=(input, target))


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
) -> Tensor:
    """The negative log-likelihood of class indices: ``-weight[t] * input[n, t]`` for log-probabilities
    ``input`` of shape (C,), (N, C) or (N, C, d1, ...) and targets (), (N,) or (N, d1, ...), int64 or
    uint8.  ``ignore_index`` targets contribute 0 and leave the mean's denominator (the sum of the
    weights of the targets kept; every target ignored gives NaN).  torch's checks: ValueError for a
    0-d input or a batch mismatch, RuntimeError for target shapes, the weight's size and dtype and the
    target dtype, IndexError for a class out of range.  Nodes: NllLossBackward0 for 1-d and 2-d
    inputs; otherwise the input is viewed as (N, C, 1, K) for NllLoss2DBackward0, and "none" views the
    result back (ViewBackward0).  nll_loss2d's backward refuses a 4-d input whose ``zeros_like`` is not
    contiguous (a transposed one): RuntimeError "grad_input must be contiguous", as torch."""
    _parsed("nll_loss_nd", input, target)
    reduction = _reduction(size_average, reduce, reduction)
    _check_nll(input, target, weight)
    _constant(weight, "nll_loss_forward", "weight")
    if input.ndim == 1 and target.ndim == 1:  # one class index for one row: read as a 0-d target ...
        out = _nll_core(input, target[0], weight, reduction, ignore_index, "NllLossBackward0")
        if out.grad_fn is not None:  # ... by the forward only: torch's backward refuses the (1,) target
            out.grad_fn.vjp = _refused(f"size mismatch (got input: {list(input.shape)}, target: [1])")
        return out
    if input.ndim <= 2:
        return _nll_core(input, target, weight, reduction, ignore_index, "NllLossBackward0")
    if input.ndim == 4:  # torch's nll_loss2d takes (N, C, H, W) as it is
        return _nll_core(input, target, weight, reduction, ignore_index, "NllLoss2DBackward0")
    n, c = input.shape[0], input.shape[1]  # other ranks: viewed as (N, C, 1, K), the result viewed back
    k = int(np.prod(input.shape[2:]))
    flat = input.contiguous().view(n, c, 1, k)
    out = _nll_core(flat, target.contiguous().view(n, 1, k), weight, reduction, ignore_index, "NllLoss2DBackward0")
    return out.view((n, *input.shape[2:])) if reduction == "none" else out


def _refused(message: str):
    def vjp(*_):
        raise RuntimeError(message)

    return vjp


def _mul_number(x: Tensor, number: float) -> Tensor:
    """``x * number`` as C++ computes it (``mul(Tensor, Scalar)``: MulBackward1)."""
    out = Tensor._wrap(np.asarray(x._data * x._data.dtype.type(number)))
    return record(out, (x,), "MulBackward1", lambda g: (mul(g, number),))


def _div_number(x: Tensor, number) -> Tensor:
    """``x / number`` as C++ computes it (``div(Tensor, Scalar)``: DivBackward1)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = Tensor._wrap(np.asarray(x._data / x._data.dtype.type(number)))
    return record(out, (x,), "DivBackward1", lambda g: (g / number,))


def _class_view(weight: Tensor, input: Tensor) -> Tensor:
    """``weight`` (C,) viewed to broadcast along the class dim of ``input``: (1, C, 1, ...)."""
    shape = [1] * input.ndim
    shape[_class_dim(input)] = weight.shape[0]
    return weight.view(shape)


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """The cross-entropy of logits ``input`` (classes along dim 1, or dim 0 of a 1-d input), as
    torch composes it from ``log_softmax`` (stable for any logits):

    - a target of the input's shape holds **class probabilities** (floating, else RuntimeError;
      ``ignore_index`` must stay negative): ``-(log_softmax(x) * target * weight).sum(class dim)``,
      whose mean divides by the number of rows, not by the weights (DivBackward1; NegBackward0 for
      "sum" and "none");
    - otherwise it holds **class indices**: ``nll_loss(log_softmax(x), target, weight, ...)``;
    - a positive ``label_smoothing`` (at most 1, RuntimeError otherwise; 0, negative or NaN: none) mixes in the uniform distribution:
      probabilities become ``target * (1 - s) + s / C``; with indices the loss is
      ``(1 - s) * nll + s / C * smooth`` where ``smooth`` is ``-sum(weight * log_softmax(x))`` per
      row, 0 at ignored targets, and its mean divides by the kept rows' ``weight[t]`` sum
      (AddBackward0).
    """
    _parsed("cross_entropy_loss", input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if label_smoothing > 0.0 and not label_smoothing <= 1.0:  # checked only where it is used (> 0)
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    c_dim = _class_dim(input)  # 1 for a 0-d input too: log_softmax then raises IndexError, as torch's
    if tuple(input.shape) == tuple(target.shape):
        return _cross_entropy_probabilities(input, target, weight, reduction, ignore_index, label_smoothing, c_dim)
    if not input.dtype.is_floating_point:
        log_softmax(input, c_dim)  # torch's error for a non-floating input (NotImplementedError)
    if not label_smoothing > 0.0:  # 0, negative and NaN smoothing: none
        return nll_loss(log_softmax(input, c_dim), target, weight, None, ignore_index, None, reduction)
    logp = log_softmax(input, c_dim)
    nll = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    ignored = target == ignore_index
    per_class = mul(logp, _class_view(weight, logp)) if weight is not None else logp
    smooth = neg(_sum(per_class, c_dim)).masked_fill_(ignored, 0.0)
    if reduction == "mean":
        if weight is not None:
            kept_targets = target._data[~ignored._data].astype(np.int64)
            denominator = _sum(weight[Tensor._wrap(np.ascontiguousarray(kept_targets.reshape(-1)))])
        else:
            denominator = _sum(~ignored)
        smooth = _sum(smooth) / denominator
    elif reduction == "sum":
        smooth = _sum(smooth)
    n_classes = input.shape[c_dim]
    return _mul_number(nll, 1 - label_smoothing) + _mul_number(smooth, label_smoothing / n_classes)


def _cross_entropy_probabilities(input, target, weight, reduction, ignore_index, label_smoothing, c_dim):
    if not target.dtype.is_floating_point:
        raise RuntimeError(
            f"Expected floating point type for target with class probabilities, got {target.dtype._torch_name}"
        )
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")
    logp = log_softmax(input, c_dim)  # a 0-d input has no class dim: IndexError, as torch's
    n_classes = input.shape[c_dim]
    if weight is not None and (weight.ndim != 1 or weight.numel() != n_classes):
        raise RuntimeError(
            f"cross_entropy: weight tensor should be defined either for all {n_classes} classes or no classes but "
            f"got weight tensor of shape: {list(weight.shape)}"
        )
    if label_smoothing > 0:
        target = _mul_number(target, 1 - label_smoothing) + label_smoothing / n_classes
    terms = mul(logp, target)
    if weight is not None:
        terms = mul(terms, _class_view(weight, logp))
    if reduction == "none":
        return neg(_sum(terms, c_dim))
    total = _sum(terms)
    if reduction == "sum":
        return neg(total)
    if input.numel() == 0:
        return neg(total.fill_(float("nan")))
    return _div_number(neg(total), input.numel() // n_classes)


# -- the modules ------------------------------------------------------------------------------------


class _Loss(Module):
    """A loss module keeps its ``reduction`` (the legacy ``size_average``/``reduce`` pair, when given,
    decides it at construction, as torch does)."""

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = _reduction(size_average, reduce, reduction)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    """A loss with a class ``weight``, registered as a buffer (in ``state_dict``, follows ``to()``)."""

    def __init__(self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """:func:`mse_loss` with the module's reduction."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """:func:`l1_loss` with the module's reduction."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return l1_loss(input, target, reduction=self.reduction)


class NLLLoss(_WeightedLoss):
    """:func:`nll_loss` with the module's weight, ``ignore_index`` and reduction."""

    def __init__(
        self, weight=None, size_average=None, ignore_index: int = -100, reduce=None, reduction: str = "mean"
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """:func:`cross_entropy` with the module's weight, ``ignore_index``, reduction and ``label_smoothing``."""

    def __init__(
        self,
        weight=None,
        size_average=None,
        ignore_index: int = -100,
        reduce=None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class BCELoss(_WeightedLoss):
    """:func:`binary_cross_entropy` with the module's weight and reduction."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """:func:`binary_cross_entropy_with_logits`; ``weight`` and ``pos_weight`` are buffers."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean", pos_weight=None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


# where torch defines each class (``torch.typename`` and error messages name it so)
MSELoss._torch_module = "torch.nn.modules.loss"
L1Loss._torch_module = "torch.nn.modules.loss"
NLLLoss._torch_module = "torch.nn.modules.loss"
CrossEntropyLoss._torch_module = "torch.nn.modules.loss"
BCELoss._torch_module = "torch.nn.modules.loss"
BCEWithLogitsLoss._torch_module = "torch.nn.modules.loss"
_Loss._torch_module = "torch.nn.modules.loss"
_WeightedLoss._torch_module = "torch.nn.modules.loss"
