"""torch.fft: discrete Fourier transforms, their sample frequencies, and the zero-frequency shifts.

The transforms (see :mod:`reference._fft` for the primitives, the layouts and what is not modelled):

- ``fft``/``ifft`` (complex; a real input gives the full Hermitian spectrum), ``rfft``/``irfft`` (real
  signal <-> half spectrum), ``hfft``/``ihfft`` (half spectrum of a Hermitian signal <-> real spectrum),
  each along one ``dim`` with signal length ``n``;
- ``fft2``/``ifft2``/``rfft2``/``irfft2`` over two dims (the last two by default) and ``fftn``/``ifftn``/
  ``rfftn``/``irfftn`` over any (all by default), with signal lengths ``s``.

torch's rules shared by all of them:

- the result is complex64 (complex128) for float32 (float64) and complex inputs, float32 (float64) for the
  complex-to-real ones; integers and bool count as the default dtype; float16 is refused on the CPU;
- ``n`` (``s``) crops or zero-pads the input along each transformed dim; it must be at least 1.  For the
  complex-to-real transforms ``n`` is the *output* length: the input is cropped or padded to
  ``n // 2 + 1`` bins, and its default is ``2 * (m - 1)`` for ``m`` input bins (so odd lengths need ``n``);
- ``norm`` in ``"backward"`` (default), ``"forward"``, ``"ortho"``: which direction is divided by ``n``
  (or both by ``sqrt(n)``), ``n`` being the product of the signal lengths.
"""

from __future__ import annotations

import numbers

import numpy as np

from . import _dtype as D
from ._creation import _check_device
from ._fft import (
    _check_input,
    _check_no_out,
    _check_norm_type,
    _check_points,
    _conj,
    _fft_c2c,
    _fft_c2r,
    _fft_r2c,
    _index,
    _int_arg,
    _int_list,
    _norm_mode,
    _promote,
    _resize,
    _type_name,
    _wrap,
)
from ._layout import check_layout
from ._tensor import Tensor

__all__ = [
    "fft",
    "ifft",
    "rfft",
    "irfft",
    "hfft",
    "ihfft",
    "fft2",
    "ifft2",
    "rfft2",
    "irfft2",
    "fftn",
    "ifftn",
    "rfftn",
    "irfftn",
    "fftfreq",
    "rfftfreq",
    "fftshift",
    "ifftshift",
]


# -- one dim --------------------------------------------------------------------------------------------------


def _one_dim(input, n, dim, norm, fname: str):
    """The argument types, checked first as torch's parser does: ``n`` an int or None, ``dim`` an int,
    ``norm`` a string or None."""
    _check_input(input, fname)
    n, dim = _int_arg(n, fname, "n", optional=True), _int_arg(dim, fname, "dim")
    _check_norm_type(norm, fname)
    return n, dim


def _c2c_1d(input: Tensor, n, dim: int, norm, forward: bool, fname: str) -> Tensor:
    """torch's ``fft_c2c``: a complex input, cropped or padded to ``n``, transformed along ``dim``."""
    d = _wrap(dim, input.ndim)
    length = input.shape[d] if n is None else n
    _check_points(length)
    x = input if n is None else _resize(input, [d], [length])
    return _fft_c2c(x, [d], _norm_mode(norm, forward, fname), forward, fname)


def _r2c_1d(input: Tensor, n, dim: int, norm, forward: bool, onesided: bool, fname: str) -> Tensor:
    """torch's ``fft_r2c``: a real input (converted to float), the forward real transform, conjugated
    for the inverse direction (``ConjBackward0``)."""
    if input.dtype.is_complex:
        raise RuntimeError(f"{fname} expects a real input tensor, but got {input.dtype._torch_name}")
    x = _promote(input, require_complex=False)
    d = _wrap(dim, x.ndim)
    length = x.shape[d] if n is None else n
    _check_points(length)
    x = x if n is None else _resize(x, [d], [length])
    out = _fft_r2c(x, [d], _norm_mode(norm, forward, fname), onesided, fname)
    return out if forward else _conj(out)


def _c2r_1d(input: Tensor, n, dim: int, norm, forward: bool, fname: str) -> Tensor:
    """torch's ``fft_c2r``: a complex input (a real one converted), cropped or padded to ``n // 2 + 1``
    bins where ``n`` is given, the complex-to-real transform to ``n`` outputs (default ``2 * (m - 1)``);
    the forward direction (``hfft``) transforms the conjugated input."""
    x = _promote(input, require_complex=True)
    d = _wrap(dim, x.ndim)
    length = 2 * (x.shape[d] - 1) if n is None else n
    _check_points(length)
    if n is not None:
        x = _resize(x, [d], [length // 2 + 1])
    mode = _norm_mode(norm, forward, fname)
    if forward:
        x = _conj(x)
    return _fft_c2r(x, [d], mode, length, fname)


def fft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.fft``: the 1-d discrete Fourier transform ``X[k] = sum_j x[j] exp(-2 pi i jk / n)``
    along ``dim``, of the input cropped or zero-padded to ``n``.  A real input gives the full spectrum
    (``X[n - k] = conj(X[k])``) from the real transform (``FftR2CBackward0``); a complex one the complex
    transform (``FftC2CBackward0``)."""
    _check_no_out("fft", out)
    n, dim = _one_dim(input, n, dim, norm, "fft")
    if input.dtype.is_complex:
        return _c2c_1d(input, n, dim, norm, True, "fft")
    return _r2c_1d(input, n, dim, norm, True, False, "fft")


def ifft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.ifft``: the inverse, ``x[j] = 1/n sum_k X[k] exp(+2 pi i jk / n)`` with the default
    ``norm``.  A real input is the conjugate of its forward real transform (``ConjBackward0``)."""
    _check_no_out("ifft", out)
    n, dim = _one_dim(input, n, dim, norm, "ifft")
    if input.dtype.is_complex:
        return _c2c_1d(input, n, dim, norm, False, "ifft")
    return _r2c_1d(input, n, dim, norm, False, False, "ifft")


def rfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.rfft``: the transform of a real signal, bins ``0 .. n // 2`` only (the others are
    their mirror's conjugates).  A complex input is refused."""
    _check_no_out("rfft", out)
    n, dim = _one_dim(input, n, dim, norm, "rfft")
    return _r2c_1d(input, n, dim, norm, True, True, "rfft")


def irfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.irfft``: the real signal of length ``n`` (default ``2 * (m - 1)``) whose half spectrum
    is ``input`` (cropped or padded to ``n // 2 + 1`` bins); the imaginary parts of bin 0 and of the
    Nyquist bin are ignored."""
    _check_no_out("irfft", out)
    n, dim = _one_dim(input, n, dim, norm, "irfft")
    return _c2r_1d(input, n, dim, norm, False, "irfft")


def hfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.hfft``: the (real) forward transform of the Hermitian signal whose first half is
    ``input``: ``irfft(conj(input))`` scaled as a forward transform."""
    _check_no_out("hfft", out)
    n, dim = _one_dim(input, n, dim, norm, "hfft")
    return _c2r_1d(input, n, dim, norm, True, "hfft")


def ihfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.ihfft``: the inverse of ``hfft`` for a real signal: ``conj(rfft(input)) / n`` with the
    default ``norm``.  A complex input is refused."""
    _check_no_out("ihfft", out)
    n, dim = _one_dim(input, n, dim, norm, "ihfft")
    return _r2c_1d(input, n, dim, norm, False, True, "ihfft")


# -- several dims ----------------------------------------------------------------------------------------------


def _nd_args(input, s, dim, norm, fname: str) -> tuple[tuple | None, tuple | None]:
    """The argument types, checked first as torch's parser does: ``s`` and ``dim`` lists of ints (or one
    int, or None), ``norm`` a string or None."""
    _check_input(input, fname)
    s, dim = _int_list(s, fname, "s"), _int_list(dim, fname, "dim")
    _check_norm_type(norm, fname)
    return s, dim


def _shape_and_dims(input: Tensor, s, dim, fname: str) -> tuple[list[int], list[int]]:
    """torch's ``canonicalize_fft_shape_and_dim_args``: dims wrapped and unique; ``s`` as long as ``dim``
    and no longer than the input's rank, its ``-1`` entries the input's lengths; ``s`` alone transforms
    the last ``len(s)`` dims, neither transforms every dim; every length at least 1."""
    ndim = input.ndim
    dims = None
    if dim is not None:
        dims = [_wrap(d, ndim) for d in dim]
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
    if s is not None:
        if dims is not None and len(dims) != len(s):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
        if len(s) > ndim:
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has {ndim} dimensions.")
        if dims is None:
            dims = list(range(ndim - len(s), ndim))
        shape = [input.shape[d] if n == -1 else n for d, n in zip(dims, s, strict=True)]
    else:
        dims = list(range(ndim)) if dims is None else dims
        shape = [input.shape[d] for d in dims]
    for n in shape:
        _check_points(n)
    return shape, dims


def _c2c_nd(input, s, dim, norm, forward: bool, fname: str) -> Tensor:
    s, dim = _nd_args(input, s, dim, norm, fname)
    shape, dims = _shape_and_dims(input, s, dim, fname)
    x = _resize(_promote(input, require_complex=True), dims, shape)
    return _fft_c2c(x, dims, _norm_mode(norm, forward, fname), forward, "fftn")


def _r2c_nd(input, s, dim, norm, fname: str) -> Tensor:
    s, dim = _nd_args(input, s, dim, norm, fname)
    if input.dtype.is_complex:
        raise RuntimeError(f"rfftn expects a real-valued input tensor, but got {input.dtype._torch_name}")
    shape, dims = _shape_and_dims(input, s, dim, fname)
    if not dims:
        raise RuntimeError("rfftn must transform at least one axis")
    x = _resize(_promote(input, require_complex=False), dims, shape)
    return _fft_r2c(x, dims, _norm_mode(norm, True, fname), True, "rfftn")


def _c2r_nd(input, s, dim, norm, fname: str) -> Tensor:
    s, dim = _nd_args(input, s, dim, norm, fname)
    shape, dims = _shape_and_dims(input, s, dim, fname)
    if not dims:
        raise RuntimeError("irfftn must transform at least one axis")
    last = 2 * (input.shape[dims[-1]] - 1) if s is None or s[-1] == -1 else shape[-1]
    _check_points(last)
    shape[-1] = last // 2 + 1
    x = _resize(_promote(input, require_complex=True), dims, shape)
    return _fft_c2r(x, dims, _norm_mode(norm, False, fname), last, "irfftn")


def fftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.fftn``: the n-d transform over ``dim`` (default: the last ``len(s)`` dims, or all), of
    the input cropped or padded to ``s``; a real input is converted to complex first (``ToCopyBackward0``),
    and no dims at all (``dim=()``, a 0-d input) is a copy."""
    _check_no_out("fftn", out)
    return _c2c_nd(input, s, dim, norm, True, "fftn")


def ifftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.ifftn``: the n-d inverse transform (divided by the product of the lengths by default)."""
    _check_no_out("ifftn", out)
    return _c2c_nd(input, s, dim, norm, False, "ifftn")


def rfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.rfftn``: the n-d transform of a real input, half spectrum along the last transformed dim."""
    _check_no_out("rfftn", out)
    return _r2c_nd(input, s, dim, norm, "rfftn")


def irfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.irfftn``: the real n-d signal whose half spectrum (along the last transformed dim) is
    ``input``; that dim's output length is ``s[-1]``, default ``2 * (m - 1)``."""
    _check_no_out("irfftn", out)
    return _c2r_nd(input, s, dim, norm, "irfftn")


def _two_dims(dim, fname: str) -> None:
    """fft2's ``dim`` is a required list (two dims by default): None is refused, unlike fftn's."""
    if dim is None:
        raise TypeError(f"fft_{fname}(): argument 'dim' must be tuple of ints, not NoneType")


def fft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.fft2``: :func:`fftn` over ``dim``, the last two dims by default."""
    _check_no_out("fft2", out)
    _two_dims(dim, "fft2")
    return _c2c_nd(input, s, dim, norm, True, "fft2")


def ifft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.ifft2``: :func:`ifftn` over ``dim``, the last two dims by default."""
    _check_no_out("ifft2", out)
    _two_dims(dim, "ifft2")
    return _c2c_nd(input, s, dim, norm, False, "ifft2")


def rfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.rfft2``: :func:`rfftn` over ``dim``, the last two dims by default."""
    _check_no_out("rfft2", out)
    _two_dims(dim, "rfft2")
    return _r2c_nd(input, s, dim, norm, "rfft2")


def irfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    """``torch.fft.irfft2``: :func:`irfftn` over ``dim``, the last two dims by default."""
    _check_no_out("irfft2", out)
    _two_dims(dim, "irfft2")
    return _c2r_nd(input, s, dim, norm, "irfft2")


# -- frequencies and shifts ------------------------------------------------------------------------------------


def _frequencies(fname: str, n, d, dtype, layout, device, requires_grad: bool, ks: np.ndarray) -> Tensor:
    _check_device(device)
    check_layout(layout)
    if isinstance(d, Tensor) and d.numel() == 1:
        d = d.item()
    if not isinstance(d, numbers.Real):  # a bool is a number here (True is 1.0)
        raise TypeError(f"fft_{fname}(): argument 'd' (position 2) must be float, not {_type_name(d)}")
    if dtype is not None and not isinstance(dtype, D.dtype):
        raise TypeError(f"fft_{fname}(): argument 'dtype' must be torch.dtype, not {_type_name(dtype)}")
    dt = D.get_default_dtype() if dtype is None else dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"{fname} requires a floating point or complex dtype")
    if dt.is_complex:  # torch fills the result with arange, which has no complex kernel
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{dt._torch_name}'")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        step = np.float64(1.0) / np.float64(n * float(d))  # C's double division: 1 / 0.0 is inf
        # torch multiplies in the result's dtype (float16 in float32, then rounded): k * (1 / (n d))
        # the step is converted to the result's dtype, then multiplied in its opmath (float32 for half)
        acc = np.dtype(np.float32) if dt is D.float16 else dt.np
        values = (ks.astype(acc) * acc.type(dt.np.type(step))).astype(dt.np)
    t = Tensor._wrap(values)
    return t.requires_grad_(True) if requires_grad else t


def _size_arg(n, fname: str) -> int:
    i = _index(n)
    if i is None:
        raise TypeError(f"fft_{fname}(): argument 'n' (position 1) must be int, not {_type_name(n)}")
    return i


def fftfreq(
    n: int, d: float = 1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad: bool = False
) -> Tensor:
    """``torch.fft.fftfreq``: the sample frequencies of ``fft``'s bins, ``[0, 1, ..., (n - 1) // 2,
    -(n // 2), ..., -1] / (n * d)``: integers multiplied by ``1 / (n * d)`` (computed in double) in the
    result's dtype (default dtype; a floating one is required)."""
    _check_no_out("fftfreq", out)
    n = _size_arg(n, "fftfreq")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    ks = np.concatenate([np.arange((n + 1) // 2), np.arange(-(n // 2), 0)]).astype(np.int64)
    return _frequencies("fftfreq", n, d, dtype, layout, device, requires_grad, ks)


def rfftfreq(
    n: int, d: float = 1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad: bool = False
) -> Tensor:
    """``torch.fft.rfftfreq``: the sample frequencies of ``rfft``'s bins, ``[0, 1, ..., n // 2] / (n * d)``
    (C's integer division: a negative ``n`` still gives one bin)."""
    _check_no_out("rfftfreq", out)
    n = _size_arg(n, "rfftfreq")
    half = int(n / 2)  # C++ truncates toward zero
    if half + 1 < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {half + 1}: [{half + 1}]")
    return _frequencies("rfftfreq", n, d, dtype, layout, device, requires_grad, np.arange(half + 1))


def _shifted(input: Tensor, dim, fname: str, amount) -> Tensor:
    from ._shape import roll

    _check_input(input, fname)
    dims = _int_list(dim, fname, "dim")
    dims = list(range(input.ndim)) if dims is None else [_wrap(d, input.ndim) for d in dims]
    return roll(input, [amount(input.shape[d]) for d in dims], dims)


def fftshift(input: Tensor, dim=None) -> Tensor:
    """``torch.fft.fftshift``: the zero frequency moved to the middle: a ``roll`` by ``n // 2`` along
    each of ``dim`` (default every dim; ``RollBackward0``)."""
    return _shifted(input, dim, "fftshift", lambda n: n // 2)


def ifftshift(input: Tensor, dim=None) -> Tensor:
    """``torch.fft.ifftshift``: the inverse of :func:`fftshift`, a ``roll`` by ``(n + 1) // 2``."""
    return _shifted(input, dim, "ifftshift", lambda n: (n + 1) // 2)
