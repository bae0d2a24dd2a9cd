"""2-d pooling: ``max_pool2d`` and ``avg_pool2d``, and the ``MaxPool2d`` and ``AvgPool2d`` modules.

Both slide a ``kernel_size`` window ``stride`` apart over the last two dims of a 3-d ``(C, H, W)`` or
4-d ``(N, C, H, W)`` input, reading zeros (avg) or nothing (max) in the ``padding`` around it.  The
output size per dim is ``floor((in + 2 * padding - dilation * (k - 1) - 1) / stride) + 1`` (``ceil``
with ``ceil_mode``, dropping a last window that would start in the right padding).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._autograd_hooks import record
from .._creation import zeros_like
from .._tensor import Tensor
from .modules import Module
from .padding import _suggested_layout

__all__ = ["max_pool2d", "max_pool2d_with_indices", "avg_pool2d", "MaxPool2d", "AvgPool2d"]

_INTEGER = ("uint8", "int8", "int16", "int32", "int64")
_POSITIONS = {"kernel_size": 2, "stride": 3, "padding": 4, "dilation": 5}


# -- arguments and torch's checks -------------------------------------------------------------------------


def _pair(value, name: str, fname: str, may_omit: bool = False) -> tuple:
    """torch's ``int[2]`` arguments: an int, or a list of one or two ints (``stride`` may be omitted: the
    kernel size)."""
    where = f"{name}' (position {_POSITIONS[name]})"
    is_int = lambda v: isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)  # noqa: E731
    if not is_int(value) and not isinstance(value, tuple | list):
        raise TypeError(f"{fname}(): argument '{where} must be tuple of ints, not {type(value).__name__}")
    values = [value] if is_int(value) else list(value)
    if not all(is_int(v) for v in values):
        raise TypeError(f"{fname}(): argument '{where} must be tuple of ints, not {type(value).__name__}")
    values = [int(v) for v in values]
    if may_omit and not values:
        return ()
    if len(values) not in (1, 2):
        what = "either be omitted, a single int" if may_omit else "either be a single int"
        if name == "dilation":
            what = "be either a single int"
        raise RuntimeError(f"{fname}: {name} must {what}, or a tuple of two ints")
    return tuple(values) * (2 if len(values) == 1 else 1)


def _output_size(size: int, k: int, pad: int, stride: int, dilation: int, ceil_mode: bool) -> int:
    """torch's ``pooling_output_shape``: its checks, then the size (floor division, rounding down)."""
    if stride == 0:
        raise RuntimeError("stride should not be zero")
    if pad < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {pad}")
    if pad > ((k - 1) * dilation + 1) // 2:
        raise RuntimeError(
            f"pad should be at most half of effective kernel size, but got pad={pad}, kernel_size={k} and "
            f"dilation={dilation}"
        )
    out = (size + 2 * pad - dilation * (k - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


class _Window:
    """One call's checked geometry: the input as 4-d, the window and the output size."""

    def __init__(self, fname, input, kernel_size, stride, padding, dilation, ceil_mode):
        kernel = _pair(kernel_size, "kernel_size", fname)
        stride = _pair(stride if stride is not None else [], "stride", fname, may_omit=True) or kernel
        padding = _pair(padding, "padding", fname)
        dilation = _pair(dilation, "dilation", fname)
        self.kernel, self.stride, self.padding, self.dilation = kernel, stride, padding, dilation
        self.batched = input.ndim == 4
        planes, (h, w) = input.shape[-3], input.shape[-2:]
        self.out = tuple(
            _output_size(n, kernel[i], padding[i], stride[i], dilation[i], ceil_mode) for i, n in enumerate((h, w))
        )
        if kernel[0] <= 0 or kernel[1] <= 0:
            raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}")
        if stride[0] <= 0 or stride[1] <= 0:
            raise RuntimeError(f"stride should be greater than zero, but got dH: {stride[0]} dW: {stride[1]}")
        if dilation[0] <= 0 or dilation[1] <= 0:
            raise RuntimeError(
                f"dilation should be greater than zero, but got dilationH: {dilation[0]} dilationW: {dilation[1]}"
            )
        if 0 in input.shape[-3:] or (not self.batched and input.shape[0] == 0):
            raise RuntimeError(
                "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:"
                f"{list(input.shape)}"
            )
        if kernel[1] // 2 < padding[1] or kernel[0] // 2 < padding[0]:
            raise RuntimeError(
                "pad should be smaller than or equal to half of kernel size, but got "
                f"padW = {padding[1]}, padH = {padding[0]}, kW = {kernel[1]}, kH = {kernel[0]}"
            )
        if min(self.out) < 1:
            raise RuntimeError(
                f"Given input size: ({planes}x{h}x{w}). Calculated output size: ({planes}x{self.out[0]}x"
                f"{self.out[1]}). Output size is too small"
            )

    def taps(self, x: np.ndarray):
        """``(N, C, OH, OW, kH, kW)`` views of ``x`` padded with zeros, and which taps are inside ``x``
        (``(OH, OW, kH, kW)``), row by row, as torch scans them."""
        (kh, kw), (sh, sw), (ph, pw), (dh, dw) = self.kernel, self.stride, self.padding, self.dilation
        oh, ow = self.out
        h, w = x.shape[-2:]
        extra_h = max(0, (oh - 1) * sh + (kh - 1) * dh - ph + 1 - h)
        extra_w = max(0, (ow - 1) * sw + (kw - 1) * dw - pw + 1 - w)
        xp = np.pad(x, [(0, 0), (0, 0), (ph, extra_h), (pw, extra_w)])
        inside = np.zeros(xp.shape[-2:], bool)
        inside[ph : ph + h, pw : pw + w] = True
        s = xp.strides
        win = as_strided(xp, xp.shape[:2] + (oh, ow, kh, kw), s[:2] + (s[2] * sh, s[3] * sw, s[2] * dh, s[3] * dw))
        m = inside.strides
        mask = as_strided(inside, (oh, ow, kh, kw), (m[0] * sh, m[1] * sw, m[0] * dh, m[1] * dw))
        return win, mask

    def rows_cols(self):
        """The input row and column each tap reads, ``(OH, OW, kH, kW)`` each (padding: outside)."""
        (kh, kw), (sh, sw), (ph, pw), (dh, dw) = self.kernel, self.stride, self.padding, self.dilation
        oh, ow = self.out
        rows = (np.arange(oh) * sh - ph)[:, None, None, None] + (np.arange(kh) * dh)[None, None, :, None]
        cols = (np.arange(ow) * sw - pw)[None, :, None, None] + (np.arange(kw) * dw)[None, None, None, :]
        return np.broadcast_to(rows, (oh, ow, kh, kw)), np.broadcast_to(cols, (oh, ow, kh, kw))


def _as_4d(x: np.ndarray) -> np.ndarray:
    return x if x.ndim == 4 else x[None]


def _check_dtype(fname: str, input: Tensor, integers: bool) -> None:
    name = input.dtype.name
    if name == "bool":
        raise NotImplementedError(f"\"{fname}\" not implemented for 'Bool'")
    if name in ("float32", "float64") or (integers and name in _INTEGER):
        return
    raise NotImplementedError(
        f"{fname} in {input.dtype}: torch computes it with its own accumulation; the reference models "
        + ("float32, float64 and the integer dtypes" if integers else "float32 and float64")
    )


# -- max pooling ------------------------------------------------------------------------------------------------


def max_pool2d_with_indices(
    input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False, return_indices=True
):
    """Each window's largest value and where it is (``row * W + col`` in its plane, int64).

    torch's rule (its CPU kernel's scan): the window is read row by row; the first tap inside the input
    starts as the answer and a later one replaces it when it is larger or NaN, so ties keep the first
    position, a NaN wins, and the last NaN of a window is the one reported.  The gradient goes to that
    position (adding up where windows overlap): one ``MaxPool2DWithIndicesBackward0`` node, whose
    backward gathers at the same positions (``MaxPool2DWithIndicesBackwardBackward0``).  A 3-d input is
    one sample; a channels-last 4-d input gives channels-last outputs."""
    if not isinstance(input, Tensor):
        raise TypeError(f"max_pool2d(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if input.ndim not in (3, 4):
        _pair(kernel_size, "kernel_size", "max_pool2d")
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    window = _Window("max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode)
    _check_dtype("max_pool2d", input, integers=True)
    x = _as_4d(input._data)
    win, mask = window.taps(x)
    kind = x.dtype.kind
    low = -np.inf if kind == "f" else np.iinfo(x.dtype).min
    rows, cols = window.rows_cols()
    oh, ow = window.out
    # the scan starts at the first tap row and column at or past 0 (torch's ih0, iw0): the first tap
    # inside the input, or, for a window of padding only, a position past the input (value: the lowest)
    first_row = np.where(rows >= 0, rows, np.iinfo(np.int64).max).min(axis=(2, 3))
    first_col = np.where(cols >= 0, cols, np.iinfo(np.int64).max).min(axis=(2, 3))
    best = np.full(x.shape[:2] + (oh, ow), low, dtype=x.dtype)
    index = np.broadcast_to(first_row * x.shape[-1] + first_col, best.shape).astype(np.int64)
    kh, kw = window.kernel
    for i in range(kh):
        for j in range(kw):
            val = win[..., i, j]
            take = mask[:, :, i, j] & ((val > best) | (np.isnan(val) if kind == "f" else False))
            best = np.where(take, val, best)
            index = np.where(take, rows[:, :, i, j] * x.shape[-1] + cols[:, :, i, j], index)
    if not window.batched:
        best, index = best[0], index[0]
    out = _suggested_layout(best, input)
    indices = _suggested_layout(index, input)
    shape = tuple(input.shape)
    record(out, (input,), "MaxPool2DWithIndicesBackward0", lambda g: (_max_pool_backward(g, input, indices, shape),))
    return (out, indices) if return_indices else out


def _max_pool_backward(g: Tensor, input: Tensor, indices: Tensor, shape: tuple) -> Tensor:
    """Each output gradient added at its window's chosen position (a ``MaxPool2DWithIndicesBackwardBackward0``
    node: its own backward reads the chosen positions back with ``gather``)."""
    gd = _as_4d(np.asarray(g._data))
    idx = _as_4d(indices._data)
    n, c, h, w = _as_4d(np.empty(shape, bool)).shape
    if idx.size and idx.max() >= h * w:
        raise NotImplementedError(
            "max_pool2d's gradient through a window with no tap inside the input: torch writes it at an "
            "index past the input's plane (out of bounds), the reference does not model that"
        )
    flat = np.zeros((n, c, h * w), dtype=gd.dtype)
    planes = idx.shape[-2] * idx.shape[-1]
    np.add.at(
        flat,
        (np.arange(n)[:, None, None], np.arange(c)[None, :, None], idx.reshape(n, c, planes)),
        gd.reshape(n, c, planes),
    )
    out = _suggested_layout(flat.reshape((n, c, h, w) if len(shape) == 4 else (c, h, w)), input)

    def vjp(gg):
        from .._indexing import gather

        planes = gg.reshape(tuple(shape[:-2]) + (shape[-2] * shape[-1],))
        chosen = indices.reshape(tuple(indices.shape[:-2]) + (indices.shape[-2] * indices.shape[-1],))
        picked = gather(planes, planes.ndim - 1, chosen)
        return picked.reshape(tuple(indices.shape)), zeros_like(input)  # torch: zeros, not None

    return record(out, (g, input), "MaxPool2DWithIndicesBackwardBackward0", vjp)


def max_pool2d(
    input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False, return_indices=False
):
    """:func:`max_pool2d_with_indices`, returning only the values unless ``return_indices``."""
    return max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


# -- average pooling ------------------------------------------------------------------------------------------


def _divisors(window: _Window, shape: tuple, count_include_pad: bool, divisor_override) -> np.ndarray:
    """Each output position's divisor, ``(OH, OW)``: ``divisor_override``; else the window clipped to the
    padded input (``count_include_pad``: padding counts, what a ``ceil_mode`` window hangs past it does
    not); else the taps inside the input."""
    if divisor_override is not None:
        return np.full(window.out, float(divisor_override))
    sizes = []
    for i, n in enumerate(shape[-2:]):
        start = np.arange(window.out[i]) * window.stride[i] - window.padding[i]
        end = np.minimum(start + window.kernel[i], n + window.padding[i])
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, n)
        sizes.append(end - start)
    return (sizes[0][:, None] * sizes[1][None, :]).astype(np.float64)


def avg_pool2d(
    input: Tensor,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override=None,
) -> Tensor:
    """Each window's sum divided by its divisor (see :func:`_divisors`); padding reads zeros.

    torch's rule: ``divisor_override`` must be a nonzero int; the gradient spreads each output gradient
    over its window divided by the same divisor: one ``AvgPool2DBackward0`` node, whose backward is an
    ``avg_pool2d`` of the gradient's gradient (``AvgPool2DBackwardBackward0``).  A channels-last 4-d input
    gives a channels-last output."""
    if not isinstance(input, Tensor):
        raise TypeError(f"avg_pool2d(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if divisor_override is not None and (isinstance(divisor_override, bool) or not isinstance(divisor_override, int)):
        raise TypeError(f"avg_pool2d(): argument 'divisor_override' must be int, not {type(divisor_override).__name__}")
    _pair(kernel_size, "kernel_size", "avg_pool2d")
    _pair(stride if stride is not None else [], "stride", "avg_pool2d", may_omit=True)
    _pair(padding, "padding", "avg_pool2d")
    if divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    if input.ndim < 3:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-input.ndim}, {input.ndim - 1}], but got -3)"
        )
    if input.ndim > 4:
        raise RuntimeError(
            "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:"
            f"{list(input.shape)}"
        )
    window = _Window("avg_pool2d", input, kernel_size, stride, padding, 1, ceil_mode)
    if input.dtype.name in _INTEGER and input.dtype.name != "int64":
        raise NotImplementedError(f"\"avg_pool2d\" not implemented for '{input.dtype._torch_name}'")
    _check_dtype("avg_pool2d", input, integers=input.dtype.name == "int64")
    integer = input.dtype.name == "int64"
    x = _as_4d(input._data) if integer else _as_4d(input._data).astype(np.float64)
    win, mask = window.taps(x)
    sums = np.einsum("ncpqij,pqij->ncpq", win, mask.astype(x.dtype))
    divisors = _divisors(window, x.shape, count_include_pad, divisor_override)
    if integer:  # int64: the sum divided as C++ integers do, rounding toward zero
        d = divisors.astype(np.int64)
        quotient = np.abs(sums) // np.abs(d)
        y = np.where((sums < 0) != (d < 0), -quotient, quotient)
    else:
        y = (sums / divisors).astype(input._data.dtype)
    out = _suggested_layout(y if window.batched else y[0], input)
    options = (window, ceil_mode, count_include_pad, divisor_override)
    record(out, (input,), "AvgPool2DBackward0", lambda g: (_avg_pool_backward(g, input, options),))
    return out


def _avg_pool_backward(g: Tensor, input: Tensor, options) -> Tensor:
    window, ceil_mode, count_include_pad, divisor_override = options
    gd = _as_4d(np.asarray(g._data)).astype(np.float64)
    shape4 = _as_4d(np.empty(tuple(input.shape), bool)).shape
    share = gd / _divisors(window, shape4, count_include_pad, divisor_override)
    rows, cols = window.rows_cols()
    h, w = shape4[-2:]
    gx = np.zeros(shape4)
    kh, kw = window.kernel
    for i in range(kh):
        for j in range(kw):
            r, c = rows[:, :, i, j], cols[:, :, i, j]
            inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
            np.add.at(gx, (slice(None), slice(None), r[inside], c[inside]), share[:, :, inside])
    out = _suggested_layout((gx if window.batched else gx[0]).astype(input._data.dtype), input)
    k, s, p = window.kernel, window.stride, window.padding

    def vjp(gg):
        return avg_pool2d(gg, k, s, p, ceil_mode, count_include_pad, divisor_override), zeros_like(input)

    return record(out, (g, input), "AvgPool2DBackwardBackward0", vjp)


# -- the modules ----------------------------------------------------------------------------------------------


class MaxPool2d(Module):
    """:func:`max_pool2d` with fixed options (``stride`` defaults to ``kernel_size``)."""

    def __init__(
        self, kernel_size, stride=None, padding=0, dilation=1, return_indices: bool = False, ceil_mode: bool = False
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input: Tensor):
        return max_pool2d(
            input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode, self.return_indices
        )

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class AvgPool2d(Module):
    """:func:`avg_pool2d` with fixed options (``stride`` defaults to ``kernel_size``)."""

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override=None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


MaxPool2d._torch_module = "torch.nn.modules.pooling"
AvgPool2d._torch_module = "torch.nn.modules.pooling"
