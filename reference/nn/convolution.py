"""Convolutions: ``conv1d``, ``conv2d``, ``conv_transpose2d`` and the ``Conv1d``, ``Conv2d`` and
``ConvTranspose2d`` modules.

One small set of NumPy kernels carries all of them.  A convolution is bilinear in its input and
its weight, so its derivatives are convolutions again: the input gradient of a convolution is the
transposed convolution of the output gradient (and the other way round), and the weight gradient
correlates the input with the output gradient.  torch records one ``ConvolutionBackward0`` node
per call, whose backward (with ``create_graph``) is one ``ConvolutionBackwardBackward0`` node
giving the three gradients; the reference records the same two nodes.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import _creation as C
from .._autograd_hooks import record
from .._layout import channels_last_strides, contiguous_strides, lay_out, suggests_channels_last
from .._shape import squeeze, unsqueeze
from .._tensor import _LEGACY_TYPE_NAMES, Tensor
from .modules import Module, Parameter

__all__ = ["conv1d", "conv2d", "conv_transpose2d", "Conv1d", "Conv2d", "ConvTranspose2d"]

#: the dtypes the reference computes a convolution in (torch also runs float16, bfloat16, complex and
#: integer ones on the CPU, each with its own accumulation: refused, see known_differences)
_MODELLED = ("float32", "float64")

_SIGNATURES = {
    "conv1d": "(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, "
    "tuple of ints padding = 0, tuple of ints dilation = 1, int groups = 1)",
    "conv2d": "(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, "
    "tuple of ints padding = 0, tuple of ints dilation = 1, int groups = 1)",
    "conv_transpose2d": "(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, "
    "tuple of ints padding = 0, tuple of ints output_padding = 0, int groups = 1, tuple of ints dilation = 1)",
}


class _Geometry(NamedTuple):
    """Everything but the tensors: per spatial dim ``stride``, ``padding`` (both sides), ``dilation``
    and ``output_padding`` (transposed only), and ``groups``."""

    stride: tuple
    padding: tuple
    dilation: tuple
    transposed: bool
    output_padding: tuple
    groups: int


# -- the NumPy kernels (float64 in, float64 out) -----------------------------------------------------------


def _windows(xp: np.ndarray, kernel: tuple, stride: tuple, dilation: tuple, out: tuple) -> np.ndarray:
    """A read-only view ``(N, C, *out, *kernel)`` of the padded input: the window under each output
    position, its taps ``dilation`` apart, the windows ``stride`` apart."""
    n = len(kernel)
    spatial = xp.strides[2:]
    strides = xp.strides[:2] + tuple(spatial[i] * stride[i] for i in range(n))
    strides += tuple(spatial[i] * dilation[i] for i in range(n))
    return as_strided(xp, xp.shape[:2] + tuple(out) + tuple(kernel), strides, writeable=False)


def _letters(n: int, start: str) -> str:
    return "".join(chr(ord(start) + i) for i in range(n))


def _padded(x: np.ndarray, padding: tuple) -> np.ndarray:
    return np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding]) if any(padding) else x


def _correlate(x: np.ndarray, w: np.ndarray, g: _Geometry, out: tuple | None = None) -> np.ndarray:
    """The forward convolution (a cross-correlation, as torch's): ``out[n, o, *p]`` is the sum over
    the ``C/groups`` input channels of ``o``'s group and the kernel taps ``k`` of
    ``w[o, c, *k] * x_padded[n, c, *(p * stride + k * dilation)]``.  ``out`` (the output size) may be
    given smaller than the windows that fit: a transposed convolution's input gradient, where
    ``output_padding`` added trailing rows no input position reached."""
    n_sp = x.ndim - 2
    kernel = w.shape[2:]
    xp = _padded(x, g.padding)
    if out is None:
        out = tuple((xp.shape[2 + i] - g.dilation[i] * (kernel[i] - 1) - 1) // g.stride[i] + 1 for i in range(n_sp))
    batch, cin, cout, groups = x.shape[0], x.shape[1], w.shape[0], g.groups
    win = _windows(xp, kernel, g.stride, g.dilation, out)
    win = win.reshape((batch, groups, cin // groups) + out + kernel)
    wg = w.reshape((groups, cout // groups, cin // groups) + kernel)
    o, k = _letters(n_sp, "p"), _letters(n_sp, "w")
    y = np.einsum(f"ngc{o}{k},gdc{k}->ngd{o}", win, wg, optimize=True)
    return y.reshape((batch, cout) + out)


def _correlate_adjoint(gy: np.ndarray, w: np.ndarray, spatial: tuple, g: _Geometry) -> np.ndarray:
    """The adjoint of :func:`_correlate` in its input (an input of ``spatial`` size): each output
    position's value spreads back over the window it read, weighted by the kernel.  This is the
    input gradient of a convolution and the forward of a transposed one."""
    n_sp = gy.ndim - 2
    kernel, out = w.shape[2:], gy.shape[2:]
    batch, cout, groups = gy.shape[0], gy.shape[1], g.groups
    cin = w.shape[1] * groups
    padded = tuple(spatial[i] + 2 * g.padding[i] for i in range(n_sp))
    acc = np.zeros((batch, groups, cin // groups) + padded)
    gyg = gy.reshape((batch, groups, cout // groups) + out)
    wg = w.reshape((groups, cout // groups, cin // groups) + kernel)
    o = _letters(n_sp, "p")
    for tap in np.ndindex(*kernel):
        where = tuple(
            slice(tap[i] * g.dilation[i], tap[i] * g.dilation[i] + g.stride[i] * (out[i] - 1) + 1, g.stride[i])
            for i in range(n_sp)
        )
        acc[(slice(None), slice(None), slice(None)) + where] += np.einsum(
            f"ngd{o},gdc->ngc{o}", gyg, wg[(Ellipsis,) + tap], optimize=True
        )
    crop = tuple(slice(g.padding[i], g.padding[i] + spatial[i]) for i in range(n_sp))
    return acc[(slice(None), slice(None), slice(None)) + crop].reshape((batch, cin) + tuple(spatial))


def _correlate_weight_adjoint(x: np.ndarray, gy: np.ndarray, kernel: tuple, g: _Geometry) -> np.ndarray:
    """The adjoint of :func:`_correlate` in its weight: each tap's gradient is the sum over the batch
    and the output positions of the output gradient times the input value under that tap."""
    n_sp = x.ndim - 2
    out = gy.shape[2:]
    batch, cin, cout, groups = x.shape[0], x.shape[1], gy.shape[1], g.groups
    win = _windows(_padded(x, g.padding), kernel, g.stride, g.dilation, out)
    win = win.reshape((batch, groups, cin // groups) + tuple(out) + tuple(kernel))
    gyg = gy.reshape((batch, groups, cout // groups) + tuple(out))
    o, k = _letters(n_sp, "p"), _letters(n_sp, "w")
    gw = np.einsum(f"ngc{o}{k},ngd{o}->gdc{k}", win, gyg, optimize=True)
    return gw.reshape((cout, cin // groups) + tuple(kernel))


def _transposed_size(spatial: tuple, kernel: tuple, g: _Geometry) -> tuple:
    """A transposed convolution's output size: ``(in - 1) * stride - 2 * padding + dilation * (k - 1)
    + output_padding + 1`` per dim."""
    return tuple(
        (spatial[i] - 1) * g.stride[i] - 2 * g.padding[i] + g.dilation[i] * (kernel[i] - 1) + g.output_padding[i] + 1
        for i in range(len(spatial))
    )


def _forward_np(x: np.ndarray, w: np.ndarray, g: _Geometry) -> np.ndarray:
    if g.transposed:
        return _correlate_adjoint(x, w, _transposed_size(x.shape[2:], w.shape[2:], g), g)
    return _correlate(x, w, g)


# -- the two recorded nodes ----------------------------------------------------------------------------------


def _as_tensor(arr: np.ndarray, like: Tensor, channels_last: bool) -> Tensor:
    """A new tensor of ``like``'s dtype: channels-last, or contiguous (a fresh buffer, never a view of a
    scratch array)."""
    data = arr.astype(like._data.dtype, copy=False)
    if channels_last and data.ndim == 3:  # the 4-d channels-last result of a 1-d convolution, squeezed
        n, c, length = data.shape
        four = channels_last_strides((n, c, 1, length))
        return Tensor._wrap(lay_out(data, (four[0], four[1], four[3])), laid_out=True)
    if channels_last:
        return Tensor._wrap(lay_out(data, channels_last_strides(data.shape)), laid_out=True)
    return Tensor._wrap(np.array(data, order="C", copy=True) if data.base is not None else np.ascontiguousarray(data))


def _empty_batch_output(x: Tensor, w: Tensor, shape: tuple) -> Tensor:
    """torch's ``Empty`` backend for a batch of 0: ``input * weight.view(-1)[0]`` viewed to the output
    size (a 1-d convolution made contiguous and run as a 2-d one with a unit dim, then squeezed), so
    the empty output's strides follow the input's, not a fresh layout."""
    from .. import _elementwise as E
    from .._shape import view
    from ..autograd.grad_mode import no_grad

    with no_grad():
        first = w.detach().reshape(-1)[0]  # (torch views a non-contiguous weight through a copy)
        if x.ndim == 3:
            flat = E.mul(unsqueeze(x.detach().contiguous(), 2), first)
            made = squeeze(view(flat, shape[:2] + (1,) + tuple(shape[2:])), 2)
        else:
            made = view(E.mul(x.detach(), first), shape)
    data = as_strided(np.empty(0, x._data.dtype), shape, tuple(s * x._data.itemsize for s in made.stride()))
    return Tensor._wrap(data, laid_out=True)


def _view4d(t: Tensor, make_contiguous: bool) -> tuple[tuple, tuple]:
    """The shape and strides torch's 1-d convolution sees: a 3-d tensor (made contiguous first, for the
    input) unsqueezed at dim 2, which takes the stride ``size[2] * stride[2]``."""
    shape = tuple(t.shape)
    strides = contiguous_strides(shape) if make_contiguous and not t.is_contiguous() else tuple(t.stride())
    return (shape[0], shape[1], 1, shape[2]), (strides[0], strides[1], shape[2] * strides[2], strides[2])


def _wants_channels_last(x: Tensor, *tensors: Tensor) -> bool:
    """torch's convolution picks ``suggest_memory_format`` of the input, or channels-last when the
    weight suggests it; a 1-d convolution asks it of the 4-d views it runs as (:func:`_view4d`, where a
    size-1 dim's stride can make an unbatched ``(C, 1)`` input suggest channels-last).  An empty input
    gives a contiguous result whatever the weight's layout."""
    if x.numel() == 0:
        return False
    for i, t in enumerate((x, *tensors)):
        if t is None:
            continue
        if t.ndim == 3:
            shape, strides = _view4d(t, make_contiguous=i == 0)
        elif t.ndim == 4:
            shape, strides = tuple(t.shape), tuple(t.stride())
        else:
            continue
        if suggests_channels_last(shape, strides):
            return True
    return False


def _groups_keep_channels_last(shape: tuple, x: Tensor, g: _Geometry) -> bool:
    """torch's slow kernels (every dtype but float32, and transposed convolutions) run one group at a
    time and concatenate the results: the output is channels-last only when one group's
    channels-last output still suggests that layout (a group of one channel at a 1x1 position does not)."""
    if g.groups == 1 or (x.dtype.name == "float32" and not g.transposed):
        return True
    one = (shape[0], shape[1] // g.groups) + tuple(shape[2:])
    return suggests_channels_last(one, channels_last_strides(one))


def _convolution(x: Tensor, w: Tensor, b: Tensor | None, g: _Geometry) -> Tensor:
    """``convolution(x, w, b)`` on checked, batched arguments: one ``ConvolutionBackward0`` node."""
    y = _forward_np(x._data.astype(np.float64), w._data.astype(np.float64), g)
    if b is not None:
        y = y + b._data.astype(np.float64).reshape((-1,) + (1,) * (y.ndim - 2))
    if x.shape[0] == 0:
        out = _empty_batch_output(x, w, y.shape)
    else:
        out = _as_tensor(y, x, _wants_channels_last(x, w) and _groups_keep_channels_last(y.shape, x, g))
    has_bias = b is not None

    def vjp(gy):
        grads = _convolution_backward(gy, x, w, has_bias, g)
        return grads if has_bias else (*grads, None)

    return record(out, (x, w, b), "ConvolutionBackward0", vjp, saved=(x, w))


def _convolution_backward(gy: Tensor, x: Tensor, w: Tensor, has_bias: bool, g: _Geometry):
    """The gradients of :func:`_convolution` in its input, weight (and bias): one
    ``ConvolutionBackwardBackward0`` node, so they can be differentiated again.

    Input and weight gradients are bilinear in (output gradient, weight) and (input, output gradient);
    their own cotangents ``(ggx, ggw, ggb)`` give back ``conv(ggx, w, ggb) + conv(x, ggw)`` for the
    output gradient, the input gradient of ``conv(., ggw)`` and the weight gradient of ``conv(ggx, .)``."""
    gy64, x64, w64 = gy._data.astype(np.float64), x._data.astype(np.float64), w._data.astype(np.float64)
    if g.transposed:
        gx = _correlate(gy64, w64, g, tuple(x.shape[2:]))
        gw = _correlate_weight_adjoint(gy64, x64, w.shape[2:], g)
    else:
        gx = _correlate_adjoint(gy64, w64, x.shape[2:], g)
        gw = _correlate_weight_adjoint(x64, gy64, w.shape[2:], g)
    outs = [_as_tensor(gx, x, _wants_channels_last(x, w)), _as_tensor(gw, w, False)]
    if has_bias:
        gb = gy64.sum(axis=(0,) + tuple(range(2, gy.ndim)))
        outs.append(_as_tensor(gb, gy, False))

    def vjp(ggx, ggw, ggb=None):
        # a gradient nobody asked for arrives as None (as torch's undefined tensor), and the terms it
        # would feed are left out: the input's second derivative through the weight's gradient alone
        # is None, not zeros
        terms = []
        if ggx is not None or ggb is not None:
            first = ggx if ggx is not None else _as_tensor(np.zeros(x.shape), x, False)
            terms.append(_convolution(first, w, ggb, g))
        if ggw is not None:
            terms.append(_convolution(x, ggw, None, g))
        d_gy = terms[0] + terms[1] if len(terms) == 2 else (terms[0] if terms else None)
        if x.numel() == 0:  # an empty batch: torch gives the input and the weight no second-order gradient
            return d_gy, None, None
        d_x = _convolution_backward(gy, x, ggw, False, g)[0] if ggw is not None else None
        d_w = _convolution_backward(gy, ggx, w, False, g)[1] if ggx is not None else None
        return d_gy, d_x, d_w

    vjp.keep_missing = lambda: True

    return record(tuple(outs), (gy, x, w), "ConvolutionBackwardBackward0", vjp, saved=(gy, x, w))


# -- argument parsing and torch's checks --------------------------------------------------------------------


def _type_error(fname: str, got: str) -> TypeError:
    return TypeError(
        f"{fname}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
        f" * {_SIGNATURES[fname]}"
    )


_POSITIONS = {
    "conv1d": {"stride": 4, "padding": 5, "dilation": 6},
    "conv2d": {"stride": 4, "padding": 5, "dilation": 6},
    "conv_transpose2d": {"stride": 4, "padding": 5, "output_padding": 6, "dilation": 8},
}


def _is_int(v) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)


def _int_list(value, name: str, fname: str, arity: int):
    """torch's parser for ``int[arity]``: an int (a NumPy integer too) repeats ``arity`` times; a list of
    ints is taken as it is (its length checked later, against the weight's dims); anything else is
    TypeError."""
    if _is_int(value):
        return [int(value)] * arity
    if not isinstance(value, tuple | list):
        raise _type_error(fname, f"..., {name}={type(value).__name__}")
    for i, v in enumerate(value):
        if not _is_int(v):
            raise TypeError(
                f"{fname}(): argument '{name}' (position {_POSITIONS[fname][name]}) must be tuple of ints, but "
                f"found element of type {type(v).__name__} at pos {i}"
            )
    return [int(v) for v in value]


def _expand(values: list, name: str, dims: int) -> tuple:
    """``expand_param_if_needed``: one value serves every spatial dim; otherwise one per dim."""
    if len(values) == 1:
        return tuple(values) * dims
    if len(values) != dims:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {dims} values to match the "
            f"convolution dimensions, but got {name}={values}"
        )
    return tuple(values)


def _size(shape) -> str:
    return str(list(shape))


def _check_tensors(fname: str, input, weight, bias) -> None:
    got = ", ".join(type(a).__name__ if not isinstance(a, Tensor) else "Tensor" for a in (input, weight))
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        raise _type_error(fname, got.replace("ndarray", "numpy.ndarray"))
    if bias is not None and not isinstance(bias, Tensor):
        raise _type_error(fname, f"Tensor, Tensor, {type(bias).__name__}")


def _check(input: Tensor, weight: Tensor, bias: Tensor | None, g: _Geometry) -> None:
    """torch's ``check_shape_forward`` and the backends' dtype checks, in torch's order."""
    if any(p < 0 for p in g.padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in g.output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in g.stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in g.dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if weight.ndim != input.ndim:
        raise RuntimeError(
            f"Expected {weight.ndim}-dimensional input for {weight.ndim}-dimensional weight {_size(weight.shape)}, "
            f"but got {input.ndim}-dimensional input of size {_size(input.shape)} instead"
        )
    groups, kernel = g.groups, tuple(weight.shape[2:])
    if weight.shape[0] == 0:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of "
            f"size {_size(weight.shape)} instead"
        )
    if weight.shape[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight "
            f"of size [{_size(weight.shape)}] instead"
        )
    if g.transposed:
        if input.shape[1] != weight.shape[0]:
            raise RuntimeError(
                f"Given transposed=1, weight of size {_size(weight.shape)}, expected input{_size(input.shape)} to "
                f"have {weight.shape[0]} channels, but got {input.shape[1]} channels instead"
            )
        out_channels = weight.shape[1] * groups
        if bias is not None and (bias.ndim != 1 or bias.shape[0] != out_channels):
            raise RuntimeError(
                f"Given transposed=1, weight of size {_size(weight.shape)}, expected bias to be 1-dimensional with "
                f"{out_channels} elements, but got bias of size {_size(bias.shape)} instead"
            )
    else:
        if input.shape[1] != weight.shape[1] * groups:
            raise RuntimeError(
                f"Given groups={groups}, weight of size {_size(weight.shape)}, expected input{_size(input.shape)} "
                f"to have {weight.shape[1] * groups} channels, but got {input.shape[1]} channels instead"
            )
        if bias is not None and (bias.ndim != 1 or bias.shape[0] != weight.shape[0]):
            raise RuntimeError(
                f"Given weight of size {_size(weight.shape)}, expected bias to be 1-dimensional with "
                f"{weight.shape[0]} elements, but got bias of size {_size(bias.shape)} instead"
            )
        padded = tuple(input.shape[2 + i] + 2 * g.padding[i] for i in range(len(kernel)))
        dilated = tuple(g.dilation[i] * (kernel[i] - 1) + 1 for i in range(len(kernel)))
        if any(dilated[i] > padded[i] for i in range(len(kernel))):
            raise RuntimeError(
                f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
                f"({' x '.join(map(str, dilated))}). Kernel size can't be greater than actual input size"
            )
    if g.transposed and len(kernel) == 2:
        if any(g.output_padding[i] >= max(g.stride[i], g.dilation[i]) for i in range(2)):
            (oh, ow), (sh, sw), (dh, dw) = g.output_padding, g.stride, g.dilation
            raise RuntimeError(
                "output padding must be smaller than either stride or dilation, but got "
                f"output_padding_height: {oh} output_padding_width: {ow} stride_height: {sh} stride_width: {sw} "
                f"dilation_height: {dh} dilation_width: {dw}"
            )
    _check_dtypes(input, weight, bias)
    if g.transposed:
        _check_transposed_size(input, kernel, g)


def _check_transposed_size(input: Tensor, kernel: tuple, g: _Geometry) -> None:
    """torch's two CPU backends disagree on a transposed convolution with no output: oneDNN (float32)
    returns an empty output for size 0 and fails to build its descriptor below that; the slow kernel
    (float64) refuses both."""
    size = _transposed_size(tuple(input.shape[2:]), kernel, g)
    if min(size) > 0 or (input.dtype.name == "float32" and min(size) == 0):
        return
    if input.dtype.name == "float32":
        raise RuntimeError("could not construct a memory descriptor using a format tag")
    raise RuntimeError(
        f"Given input size per channel: ({' x '.join(map(str, input.shape[2:]))}). Calculated output size per "
        f"channel: ({' x '.join(map(str, size))}). Output size is too small"
    )


def _check_dtypes(input: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    """The bias is checked against the input first, then an input with an empty spatial dim is
    refused; then a float32 input (oneDNN's path) names both tensor types, any other input says
    which scalar type the slow kernel expected."""
    if bias is not None and bias.dtype is not input.dtype:
        from .._dtype import C_TYPE_NAMES

        raise RuntimeError(
            f"Input type ({C_TYPE_NAMES[input.dtype.name]}) and bias type ({C_TYPE_NAMES[bias.dtype.name]}) "
            "should be the same"
        )
    if 0 in input.shape[2:]:
        raise RuntimeError(
            f"Only zero batch or zero channel inputs are supported, but got input shape: {_size(input.shape)}"
        )
    if weight.dtype is not input.dtype:
        if input.dtype.name == "float32" and weight.dtype.name in _LEGACY_TYPE_NAMES:
            raise RuntimeError(
                f"Input type ({_LEGACY_TYPE_NAMES['float32']}) and weight type ({_LEGACY_TYPE_NAMES[weight.dtype.name]}) "
                "should be the same or input should be a MKLDNN tensor and weight is a dense tensor"
            )
        raise RuntimeError(f"expected scalar type {input.dtype._torch_name} but found {weight.dtype._torch_name}")
    if input.dtype.name == "bool":
        raise NotImplementedError(f"\"slow_conv{weight.ndim - 2}d_cpu\" not implemented for 'Bool'")
    if input.dtype.name not in _MODELLED:
        raise NotImplementedError(
            f"a convolution in {input.dtype}: torch computes it with its own accumulation, the reference "
            f"models {', '.join(_MODELLED)} only"
        )


def _conv_nd(
    fname: str, dims: int, input, weight, bias, stride, padding, dilation, groups, transposed=False, output_padding=0
) -> Tensor:
    """The shared path of the functional forms: parse, batch an unbatched input, check, compute."""
    _check_tensors(fname, input, weight, bias)
    if isinstance(groups, bool) or not isinstance(groups, int):
        raise _type_error(fname, f"..., groups={type(groups).__name__}")
    stride = _int_list(stride, "stride", fname, dims)
    dilation = _int_list(dilation, "dilation", fname, dims)
    output_padding = _int_list(output_padding, "output_padding", fname, dims)
    if isinstance(padding, str):
        if transposed:
            raise TypeError(f"{fname}(): argument 'padding' must be tuple of ints, not str")
    else:
        padding = _int_list(padding, "padding", fname, dims)
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(
            f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {fname}, but got input of size: "
            f"{_size(input.shape)}"
        )
    batched = input.ndim == dims + 2
    x = input if batched else unsqueeze(input, 0)
    if isinstance(padding, str):
        y = _conv_same_or_valid(x, weight, bias, stride, padding, dilation, groups)
    else:
        y = _conv_explicit(x, weight, bias, stride, padding, dilation, groups, transposed, output_padding)
    return y if batched else squeeze(y, 0)


def _conv_explicit(x, weight, bias, stride, padding, dilation, groups, transposed, output_padding) -> Tensor:
    if weight.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    dims = weight.ndim - 2
    g = _Geometry(
        _expand(stride, "stride", dims),
        _expand(padding, "padding", dims),
        _expand(dilation, "dilation", dims),
        transposed,
        _expand(output_padding, "output_padding", dims) if transposed else (0,) * dims,
        groups,
    )
    _check(x, weight, bias, g)
    if transposed and weight.numel() == 0:
        raise RuntimeError(f"non-empty 2D or 4D weight tensor expected, but got: {_size(weight.shape)}")
    if x.shape[1] == 0 or any(s == 0 for s in weight.shape):
        # torch returns an output sized by odd rules (or refuses) here, backend by backend
        raise NotImplementedError("a convolution with no input channels or an empty weight: not modelled")
    return _convolution(x, weight, bias, g)


def _broadcast(values: list, name: str, dims: int) -> list:
    """The ``padding='same'``/``'valid'`` path's own expansion (with its own message)."""
    if len(values) == 1:
        return values * dims
    if len(values) != dims:
        raise RuntimeError(f"{name} cannot broadcast to {dims} dimensions")
    return values


def _conv_same_or_valid(x, weight, bias, stride, padding: str, dilation, groups) -> Tensor:
    """torch's ``_convolution_mode``: ``'valid'`` is padding 0; ``'same'`` pads ``dilation * (k - 1)``
    in total per dim, half on each side and the odd one out on the right (a separate zero padding
    of the input, with a warning when the kernel is even and the dilation odd)."""
    if padding not in ("same", "valid"):
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    if padding == "valid":
        return _conv_explicit(x, weight, bias, stride, [0], dilation, groups, False, [0])
    if weight.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    dims = weight.ndim - 2
    stride = _broadcast(stride, "stride", dims)
    dilation = _broadcast(dilation, "dilation", dims)
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    kernel = weight.shape[2:]
    totals = [dilation[i] * (kernel[i] - 1) for i in range(dims)]
    extra = tuple(t % 2 for t in totals)
    if any(extra):
        warnings.warn(
            "Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of "
            "the input be created",
            UserWarning,
            stacklevel=4,
        )
        from .padding import constant_pad_nd

        x = constant_pad_nd(x, [v for e in reversed(extra) for v in (0, e)])
    return _conv_explicit(x, weight, bias, stride, [t // 2 for t in totals], dilation, groups, False, [0])


def conv1d(input: Tensor, weight: Tensor, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """A 1-d cross-correlation: ``input (N, C_in, L)`` (or unbatched ``(C_in, L)``), ``weight
    (C_out, C_in / groups, k)``, ``bias (C_out,)``; ``out[n, o, p] = bias[o] + sum over the group's
    channels c and taps j of weight[o, c, j] * input_padded[n, c, p * stride + j * dilation]``, with
    ``L_out = (L + 2 * padding - dilation * (k - 1) - 1) // stride + 1``.  ``padding`` is an int, a
    one-element list, or ``'valid'`` (0) / ``'same'`` (``L_out == L``, stride 1 only).

    torch's rule: one ``ConvolutionBackward0`` node (an unbatched input adds an unsqueeze and a
    ``SqueezeBackward1``); input and weight of one dtype, the bias too."""
    return _conv_nd("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    """:func:`conv1d` over two spatial dims: ``input (N, C_in, H, W)`` (or ``(C_in, H, W)``), ``weight
    (C_out, C_in / groups, kH, kW)``; ``stride``, ``padding`` and ``dilation`` are an int or a pair.

    torch's rule: the output is channels-last when the input or the weight suggests that layout, else
    contiguous; one ``ConvolutionBackward0`` node (``padding='same'`` with an even kernel and odd
    dilation pads the input first: a ``ConstantPadNdBackward0`` before it)."""
    return _conv_nd("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv_transpose2d(
    input: Tensor, weight: Tensor, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
) -> Tensor:
    """The adjoint of :func:`conv2d` in its input (a "deconvolution"): ``weight (C_in, C_out / groups,
    kH, kW)``; each input value spreads ``input[n, c, i, j] * weight[c, o, :, :]`` over the output at
    ``(i * stride + taps * dilation - padding)``; the output size is ``(in - 1) * stride - 2 * padding
    + dilation * (k - 1) + output_padding + 1`` per dim.

    torch's rule: ``output_padding`` (which only adds rows and columns at the end, to pick among the
    input sizes a strided conv2d maps to the same size) must be smaller than the stride or the
    dilation; ``padding`` is no string; one ``ConvolutionBackward0`` node."""
    return _conv_nd("conv_transpose2d", 2, input, weight, bias, stride, padding, dilation, groups, True, output_padding)


# -- the modules --------------------------------------------------------------------------------------------

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _ntuple(value, n: int) -> tuple:
    """``torch.nn.modules.utils._ntuple``: an iterable as a tuple (a string too: its characters),
    anything else repeated ``n`` times."""
    if isinstance(value, Iterable):
        return tuple(value)
    return (value,) * n


class _ConvNd(Module):
    """torch's ``_ConvNd``: the checks of the constructor, the parameters and their initialisation.

    torch's rule: ``groups`` must be positive and divide both channel counts (ValueError), a padding
    string is ``'valid'`` or ``'same'`` (``'same'`` with stride 1 only), ``padding_mode`` one of
    zeros, reflect, replicate, circular (the last three pad the input with ``F.pad`` in that mode, then
    convolve without padding).  The weight is ``(out, in / groups, *k)`` (transposed:
    ``(in, out / groups, *k)``), drawn by ``kaiming_uniform_(a=sqrt(5))``; the bias uniform on
    ``[-1/sqrt(fan_in), 1/sqrt(fan_in)]`` with ``fan_in = weight.size(1) * prod(k)``."""

    _dims = 2
    _transposed = False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride,
        padding,
        dilation,
        output_padding,
        groups: int,
        bias: bool,
        padding_mode: str,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        n = self._dims
        kernel_size, stride, dilation = _ntuple(kernel_size, n), _ntuple(stride, n), _ntuple(dilation, n)
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        else:
            padding = _ntuple(padding, n)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got "
                f"padding_mode='{padding_mode}'"
            )
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding, self.dilation = kernel_size, stride, padding, dilation
        self.transposed, self.output_padding = self._transposed, _ntuple(output_padding, n)
        self.groups, self.padding_mode = groups, padding_mode
        # what F.pad adds for the other padding modes (last dim first): 'same' splits dilation * (k - 1)
        # with the odd one out on the right
        if isinstance(padding, str):
            # (torch zips without a length check: a kernel of more dims than the module's is cut short)
            totals = [d * (k - 1) if padding == "same" else 0 for d, k in zip(dilation, kernel_size, strict=False)]
            pairs = [(t // 2, t - t // 2) for t in totals]
        else:
            pairs = [(p, p) for p in padding]
        self._reversed_padding_repeated_twice = [v for pair in reversed(pairs) for v in pair]
        shape = (in_channels, out_channels // groups) if self._transposed else (out_channels, in_channels // groups)
        self.weight = Parameter(C.empty(shape + kernel_size, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(C.empty(out_channels, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and bias again, as torch's ``_ConvNd.reset_parameters``."""
        from . import init

        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in == 0 and self.bias.numel() > 0:
                # torch skips the draw: the bias keeps whatever memory torch.empty handed out
                raise NotImplementedError(
                    "a convolution module with fan_in 0 and a bias: torch leaves the bias uninitialized memory"
                )
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def _conv_forward(self, fn, input: Tensor) -> Tensor:
        """``padding_mode`` zeros: the convolution pads; otherwise ``F.pad`` in that mode first, then a
        convolution without padding."""
        if self.padding_mode == "zeros":
            return fn(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        from .padding import pad

        padded = pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
        return fn(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        n = len(self.kernel_size)
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv1d(_ConvNd):
    """:func:`conv1d` with its own ``weight (out_channels, in_channels / groups, kernel_size)`` and
    ``bias``; see :class:`_ConvNd` for the checks and the initialisation."""

    _dims = 1

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        _ConvNd.__init__(  # named, not super(): Conv2d shares this constructor
            self,
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            0,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(conv1d, input)


class Conv2d(_ConvNd):
    """:func:`conv2d` with its own ``weight (out_channels, in_channels / groups, kH, kW)`` and ``bias``."""

    _dims = 2
    __init__ = Conv1d.__init__

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(conv2d, input)


class ConvTranspose2d(_ConvNd):
    """:func:`conv_transpose2d` with its own ``weight (in_channels, out_channels / groups, kH, kW)``.

    torch's rule: ``padding_mode`` other than zeros is ValueError; ``forward(input, output_size)``
    picks the ``output_padding`` that gives ``output_size`` (its last two entries), which must lie
    between the smallest size and that plus ``stride - 1`` (ValueError naming the range)."""

    _dims = 2
    _transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups: int = 1,
        bias: bool = True,
        dilation=1,
        padding_mode: str = "zeros",
        device=None,
        dtype=None,
    ) -> None:
        if padding_mode != "zeros":
            raise ValueError('Only "zeros" padding mode is supported for ConvTranspose2d')
        # torch pairs these before _ConvNd sees them: a padding string becomes its characters
        kernel_size, stride, padding = _ntuple(kernel_size, 2), _ntuple(stride, 2), _ntuple(padding, 2)
        dilation, output_padding = _ntuple(dilation, 2), _ntuple(output_padding, 2)
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            output_padding,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )

    def _output_padding(self, input: Tensor, output_size) -> tuple:
        if output_size is None:
            return self.output_padding
        n = 2
        leading = 2 if input.ndim == n + 2 else 1
        size = list(output_size)
        if len(size) == leading + n:
            size, output_size = size[leading:], output_size[leading:]
        if len(size) != n:
            raise ValueError(
                f"ConvTranspose{n}D: for {input.ndim}D input, output_size must have {n} or {leading + n} elements "
                f"(got {len(output_size)})"
            )
        lows = [
            (input.shape[i + leading] - 1) * self.stride[i]
            - 2 * self.padding[i]
            + self.dilation[i] * (self.kernel_size[i] - 1)
            + 1
            for i in range(n)
        ]
        highs = [lows[i] + self.stride[i] - 1 for i in range(n)]
        if any(not lows[i] <= size[i] <= highs[i] for i in range(n)):
            raise ValueError(
                f"requested an output size of {output_size}, but valid sizes range from {lows} to {highs} "
                f"(for an input of {input.size()[2:]})"
            )
        return tuple(size[i] - lows[i] for i in range(n))

    def forward(self, input: Tensor, output_size=None) -> Tensor:
        output_padding = self._output_padding(input, output_size)
        return conv_transpose2d(
            input, self.weight, self.bias, self.stride, self.padding, output_padding, self.groups, self.dilation
        )


# where torch defines each class (``torch.typename`` and error messages name it so)
Conv1d._torch_module = "torch.nn.modules.conv"
Conv2d._torch_module = "torch.nn.modules.conv"
ConvTranspose2d._torch_module = "torch.nn.modules.conv"
