"""``torch.nn.functional``: the stateless functions the modules call."""

from __future__ import annotations

import numpy as np

from .. import _elementwise as E
from .._autograd_hooks import record
from .._elementwise import _conj, add, sum_to
from .._matmul import matmul
from .._shape import reshape, t, view
from .._tensor import Tensor
from .activation import leaky_relu, log_softmax, softmax
from .convolution import conv1d, conv2d, conv_transpose2d
from .embedding import embedding
from .loss import (  # the functional forms only (the loss modules are in nn)
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    nll_loss,
)
from .normalization import batch_norm, layer_norm
from .padding import pad
from .pooling import avg_pool2d, max_pool2d, max_pool2d_with_indices

__all__ = [
    "linear",
    "pad",
    "bilinear",
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "max_pool2d",
    "max_pool2d_with_indices",
    "avg_pool2d",
    "dropout",
    "relu",
    "relu_",
    "leaky_relu",
    "leaky_relu_",
    "sigmoid",
    "tanh",
    "softmax",
    "log_softmax",
    "embedding",
    "layer_norm",
    "batch_norm",
    "mse_loss",
    "l1_loss",
    "nll_loss",
    "cross_entropy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``: ``weight`` is ``(out_features, in_features)``, ``input`` is
    ``(*, in_features)`` and the result ``(*, out_features)``; ``bias`` (``(out_features,)``) broadcasts.

    torch computes it three ways, and the graph shows which: a 2-d input with a bias is one fused
    ``addmm(bias, input, weight.t())`` (AddmmBackward0); any other contiguous input with a bias is
    flattened to 2-d, run through the same addmm and viewed back (ViewBackward0); otherwise
    ``matmul(input, weight.t())``, plus the bias (AddBackward0)."""
    if bias is not None and input.ndim == 2:
        return _addmm(bias, input, t(weight))
    if bias is not None and input.ndim != 2 and input.is_contiguous():
        flat = reshape(input, (-1, input.shape[-1])) if input.ndim else input
        out = _addmm(bias, flat, t(weight))
        return view(out, tuple(input.shape[:-1]) + (weight.shape[0],))
    out = matmul(input, t(weight))
    return add(out, bias) if bias is not None else out


def _addmm(bias: Tensor, mat1: Tensor, mat2: Tensor) -> Tensor:
    """``bias + mat1 @ mat2`` as one node (torch's fused ``addmm``; ``bias`` broadcasts over rows)."""
    if mat1.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1.ndim}-D tensor")
    if bias.dtype is not mat1.dtype or mat2.dtype is not mat1.dtype:  # torch checks the dtypes first
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {mat1.dtype._torch_name} and {mat2.dtype._torch_name}"
        )
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} and "
            f"{mat2.shape[0]}x{mat2.shape[1]})"
        )
    shape = (mat1.shape[0], mat2.shape[1])
    out = Tensor._wrap(np.ascontiguousarray(np.matmul(mat1._data, mat2._data) + bias._data).reshape(shape))
    bias_shape = tuple(bias.shape)

    def vjp(g):
        return sum_to(g, bias_shape), matmul(g, _conj(t(mat2))), matmul(_conj(t(mat1)), g)

    return record(out, (bias, mat1, mat2), "AddmmBackward0", vjp, saved=(mat1, mat2))


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``out[..., o] = sum_ij input1[..., i] * weight[o, i, j] * input2[..., j] + bias[o]``: ``weight`` is
    ``(out_features, in1_features, in2_features)``, the inputs share their leading dims.

    torch's rule: all tensors of one dtype (checked first), inputs of one rank and the same leading
    sizes, the last sizes matching the weight's, the bias as long as the weight's first dim.  The
    inputs are reshaped to rows, one ``_trilinear`` contraction (TrilinearBackward0) gives the rows of
    the output, viewed back to the inputs' leading dims (ViewBackward0), then the bias is added
    (AddBackward0, broadcasting)."""
    from .._dtype import C_TYPE_NAMES

    for position, (name, value) in enumerate((("input1", input1), ("input2", input2), ("weight", weight)), start=1):
        if not isinstance(value, Tensor):
            kind = type(value).__name__
            kind = f"numpy.{kind}" if type(value).__module__ == "numpy" else kind
            raise TypeError(f"bilinear(): argument '{name}' (position {position}) must be Tensor, not {kind}")
    if bias is not None and not isinstance(bias, Tensor):
        raise TypeError(f"bilinear(): argument 'bias' (position 4) must be Tensor, not {type(bias).__name__}")
    tensors = [("input1", input1), ("input2", input2), ("weight", weight)] + (
        [("bias", bias)] if bias is not None else []
    )
    if len({t.dtype for _, t in tensors}) > 1:
        listed = ", ".join(f"{name}: {C_TYPE_NAMES[t.dtype.name]}" for name, t in tensors)
        raise RuntimeError(f"All tensors must have the same dtype, got {listed}")
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}")
    for d in range(input1.ndim - 1):
        if input1.shape[d] != input2.shape[d]:
            raise RuntimeError(
                f"bilinear(): input batch dimensions do not match at dim {d}: got {input1.shape[d]} and {input2.shape[d]}"
            )
    in1 = weight.size(1)  # (IndexError for a weight of fewer dims, as torch)
    if input1.size(-1) != in1:
        raise RuntimeError(
            f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but expected {in1}"
        )
    in2 = weight.size(2)
    if input2.size(-1) != in2:
        raise RuntimeError(
            f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but expected {in2}"
        )
    if bias is not None and bias.size(0) != weight.shape[0]:
        raise RuntimeError(
            f"bilinear(): bias size does not match weight size: got {bias.size(0)} but expected {weight.shape[0]}"
        )
    if input1.dtype.name not in ("float32", "float64", "int64", "int32", "int16", "int8", "uint8"):
        raise NotImplementedError(f"bilinear in {input1.dtype}: the reference models the real dtypes")
    rows = _trilinear(reshape(input1, (-1, in1)), weight, reshape(input2, (-1, in2)), ("ni", "oij", "nj", "no"))
    out = view(rows, tuple(input1.shape[:-1]) + (weight.shape[0],))
    return add(out, bias) if bias is not None else out


def _trilinear(a: Tensor, b: Tensor, c: Tensor, spec: tuple) -> Tensor:
    """torch's ``_trilinear``: the contraction ``einsum(sa, sb, sc -> so)`` of three operands, computed in
    float64 and rounded once.  Its gradient in each operand is the same contraction of the output's
    gradient with the other two (TrilinearBackward0 again, so it differentiates to any order)."""
    sa, sb, sc, so = spec
    # floats in float64 (rounded once); integers in their own dtype, wrapping as torch's do
    first = a._data.astype(np.float64) if a._data.dtype.kind == "f" else a._data
    data = np.einsum(f"{sa},{sb},{sc}->{so}", first, b._data, c._data, optimize=True)
    out = Tensor._wrap(np.ascontiguousarray(data.astype(a._data.dtype)))

    def vjp(g):
        return (
            _trilinear(g, b, c, (so, sb, sc, sa)),
            _trilinear(g, a, c, (so, sa, sc, sb)),
            _trilinear(g, a, b, (so, sa, sb, sc)),
        )

    return record(out, (a, b, c), "TrilinearBackward0", vjp, saved=(a, b, c))


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``, when ``training``.

    torch's rule on the CPU: ``p`` outside [0, 1] is ValueError; with ``p == 0``, ``training=False`` or an
    empty input the result is ``input`` itself (the same object, no new node); ``p == 1`` multiplies by a
    0-d zero; otherwise ``noise = empty_like(input).bernoulli_(1 - p)`` (the default generator's draws
    in ``input``'s memory order), ``noise.div_(1 - p)`` (in ``input``'s dtype) and ``input * noise``
    (MulBackward0), or ``input.mul_(noise)`` when ``inplace``.  After ``manual_seed`` the mask is torch's."""
    from .. import _creation as C

    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not isinstance(input, Tensor):
        raise TypeError(f"dropout(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if not isinstance(training, bool):
        raise TypeError(f"dropout(): argument 'train' (position 3) must be bool, not {type(training).__name__}")
    if isinstance(p, Tensor) and (p.ndim != 0 or p.requires_grad):  # not a double to torch's parser
        raise TypeError("dropout(): argument 'p' (position 2) must be float, not Tensor")
    p = float(p)  # torch passes p on as a double (a 0-d tensor p included)
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        zero = C.zeros((), dtype=input.dtype)
        return input.mul_(zero) if inplace else input * zero
    noise = C.empty_like(input)
    noise.bernoulli_(1 - p)
    noise.div_(1 - p)
    return input.mul_(noise) if inplace else input * noise


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """:func:`torch.relu`, or ``input.relu_()`` when ``inplace``."""
    return input.relu_() if inplace else E.relu(input)


def relu_(input: Tensor) -> Tensor:
    """``input.relu_()``."""
    return input.relu_()


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """:func:`leaky_relu` in place."""
    return leaky_relu(input, negative_slope, inplace=True)


def tanh(input: Tensor) -> Tensor:
    """:func:`torch.tanh`."""
    return E.tanh(input)


def sigmoid(input: Tensor) -> Tensor:
    """:func:`torch.sigmoid`."""
    return E.sigmoid(input)
