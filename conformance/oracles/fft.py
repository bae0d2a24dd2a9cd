"""Loop-by-loop definitions of torch.fft, from torch's documentation.

Every transform is the discrete Fourier sum itself, ``X[k] = sum_j x[j] exp(-+2 pi i jk / n)``, with the
twiddle factors written out one by one (an n x n matrix per transformed dim, applied in complex128),
the signal cropped or zero-padded to its length first.  The real transforms are the complex one read
differently: ``rfft`` keeps bins ``0 .. n // 2``; ``irfft`` builds the full Hermitian spectrum from the
half it is given (the real parts only of bin 0 and, for even ``n``, bin ``n / 2``; bins above the half
are the conjugate mirrors) and keeps the real part of its inverse; ``hfft`` is ``irfft`` of the
conjugate scaled as a forward transform, ``ihfft`` the half of the inverse transform of a real signal.

``bound(op, ...)`` walks the same sums with ``|x|`` and unit twiddles: each output's sum of the
magnitudes of its terms, the scale of its rounding (the summing tolerance family's reference).
"""

from __future__ import annotations

import cmath
import itertools
import math

import numpy as np

__all__ = [
    "fft_transform",
    "fft_bound",
    "fftfreq",
    "rfftfreq",
    "fftshift",
    "ifftshift",
]


# -- the sums -------------------------------------------------------------------------------------------------


def _twiddles(n: int, sign: int, unit: bool) -> np.ndarray:
    """``W[k, j] = exp(sign 2 pi i (jk mod n) / n)`` one entry at a time (all ones for a bound)."""
    w = np.empty((n, n), dtype=np.complex128)
    for k, j in itertools.product(range(n), range(n)):
        w[k, j] = 1.0 if unit else cmath.exp(sign * 2j * math.pi * ((j * k) % n) / n)
    return w


def _along(x: np.ndarray, axis: int, sign: int, unit: bool) -> np.ndarray:
    """The sum ``sum_j W[k, j] x[..., j, ...]`` along ``axis``."""
    w = _twiddles(x.shape[axis], sign, unit)
    return np.moveaxis(np.tensordot(w, np.moveaxis(x, axis, 0), axes=(1, 0)), 0, axis)


def _fit(x: np.ndarray, axis: int, length: int) -> np.ndarray:
    """Cropped to, or zero-padded up to, ``length`` along ``axis``."""
    if x.shape[axis] >= length:
        return np.take(x, range(length), axis=axis)
    pad = [(0, 0)] * x.ndim
    pad[axis] = (0, length - x.shape[axis])
    return np.pad(x, pad)


def _scale(norm, forward: bool, n: int) -> float:
    """``backward`` (the default) leaves forward transforms unscaled and divides inverse ones by n;
    ``forward`` the opposite; ``ortho`` divides both by sqrt(n)."""
    if norm == "ortho":
        return 1 / math.sqrt(n)
    return 1.0 if (norm in (None, "backward")) == forward else 1 / n


def _hermitian_full(half: np.ndarray, axis: int, n: int, unit: bool) -> np.ndarray:
    """The length-``n`` spectrum a half spectrum of ``n // 2 + 1`` bins stands for (see the module)."""
    half = np.moveaxis(half, axis, 0)
    full = np.zeros((n,) + half.shape[1:], dtype=np.complex128)
    for k in range(n):
        m = min(k, n - k)  # the bin k mirrors
        value = half[m] if k <= n // 2 else np.conj(half[m])
        if k == 0 or 2 * k == n:
            value = np.abs(value) if unit else value.real
        full[k] = value
    return np.moveaxis(full, 0, axis)


# -- the ops -------------------------------------------------------------------------------------------------

_KINDS = {
    "fft": ("c2c", True),
    "ifft": ("c2c", False),
    "rfft": ("r2c", True),
    "ihfft": ("r2c", False),
    "irfft": ("c2r", False),
    "hfft": ("c2r", True),
}


def _plan(op: str, x: np.ndarray, kwargs: dict) -> tuple[str, bool, list[int], list[int], object]:
    """(kind, forward, dims, lengths, norm) as the documentation reads the arguments: ``n``/``dim`` for
    the one-dim transforms; ``s``/``dim`` for the others (``s`` alone: the last ``len(s)`` dims; ``-1``:
    the input's length; for the complex-to-real ones the last length is the output's, ``2 * (m - 1)``
    by default)."""
    name = op.removeprefix("fft.")
    norm = kwargs.get("norm")
    if name in _KINDS:
        kind, forward = _KINDS[name]
        axis = kwargs.get("dim", -1) % x.ndim
        n = kwargs.get("n")
        default = 2 * (x.shape[axis] - 1) if kind == "c2r" else x.shape[axis]
        return kind, forward, [axis], [default if n is None else n], norm
    base = name.rstrip("n2")
    kind, forward = {"fft": ("c2c", True), "ifft": ("c2c", False), "rfft": ("r2c", True), "irfft": ("c2r", False)}[base]
    s = kwargs.get("s")
    dim = kwargs.get("dim", (-2, -1) if name.endswith("2") else None)
    if dim is not None:
        dims = [dim % x.ndim] if isinstance(dim, int) else [d % x.ndim for d in dim]
    elif s is not None:
        dims = list(range(x.ndim - len(s), x.ndim))
    else:
        dims = list(range(x.ndim))
    lengths = [x.shape[d] if s is None or s[i] == -1 else s[i] for i, d in enumerate(dims)]
    if kind == "c2r" and (not s or s[-1] == -1):
        lengths[-1] = 2 * (x.shape[dims[-1]] - 1)
    return kind, forward, dims, lengths, norm


def _evaluate(op: str, x: np.ndarray, kwargs: dict, unit: bool) -> np.ndarray:
    kind, forward, dims, lengths, norm = _plan(op, x, kwargs)
    a = x.astype(np.complex128)
    if unit:
        a = np.abs(a).astype(np.complex128)
    total = math.prod(lengths)
    factor = _scale(norm, forward, total) if dims else 1.0
    sign = -1 if forward else 1
    if kind == "c2c":
        for d, n in zip(dims, lengths, strict=True):
            a = _along(_fit(a, d, n), d, sign, unit)
        return a * factor
    if kind == "r2c":
        for d, n in zip(dims, lengths, strict=True):
            a = _along(_fit(a, d, n), d, sign, unit)
        return np.take(a, range(lengths[-1] // 2 + 1), axis=dims[-1]) * factor
    # complex to real: the complex transform over all but the last dim, then the Hermitian one
    if forward:  # hfft: the conjugate's inverse transform
        a = np.conj(a)
    for d, n in zip(dims[:-1], lengths[:-1], strict=True):
        a = _along(_fit(a, d, n), d, 1, unit)
    last, n = dims[-1], lengths[-1]
    full = _hermitian_full(_fit(a, last, n // 2 + 1), last, n, unit)
    out = _along(full, last, 1, unit)
    return (np.abs(out) if unit else out.real) * factor


def fft_transform(op: str):
    """The oracle of transform ``op`` (``"fft.rfft2"``): called with the case's own arguments."""

    def oracle(input: np.ndarray, *args, **kwargs) -> np.ndarray:
        names = ("n", "dim", "norm") if op.removeprefix("fft.") in _KINDS else ("s", "dim", "norm")
        return _evaluate(op, np.asarray(input), dict(zip(names, args, strict=False)) | kwargs, unit=False)

    return oracle


def fft_bound(op: str, input: np.ndarray, kwargs: dict) -> np.ndarray:
    """Each output's sum of |terms| (times the normalization), in the output's shape."""
    return np.abs(_evaluate(op, np.asarray(input), kwargs, unit=True))


def _frequencies(ks: list[int], n: int, d: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.array([np.float64(k) / (np.float64(n) * np.float64(d)) for k in ks], dtype=np.float64)


def fftfreq(n: int, d: float = 1.0, **_options) -> np.ndarray:
    """``k / (n d)`` for ``k = 0, 1, ..., (n - 1) // 2, -(n // 2), ..., -1``."""
    ks = [k for k in range(n) if k <= (n - 1) // 2] + [k - n for k in range(n) if k > (n - 1) // 2]
    return _frequencies(ks, n, float(d))


def rfftfreq(n: int, d: float = 1.0, **_options) -> np.ndarray:
    """``k / (n d)`` for ``k = 0 .. n // 2`` (C's truncating division for a negative ``n``)."""
    return _frequencies(list(range(int(n / 2) + 1)), n, float(d))


def _shift(x: np.ndarray, dim, amount) -> np.ndarray:
    dims = list(range(x.ndim)) if dim is None else [d % x.ndim for d in np.atleast_1d(dim)]
    out = np.array(x, copy=True)
    for d in dims:  # each named dim rolled in turn (a repeated one twice)
        n = out.shape[d]
        src = out.copy()
        for idx in itertools.product(*(range(s) for s in out.shape)):
            moved = list(idx)
            moved[d] = (idx[d] - amount(n)) % n if n else 0
            out[idx] = src[tuple(moved)]
    return out


def fftshift(input: np.ndarray, dim=None) -> np.ndarray:
    """Element ``i`` moved to ``(i + n // 2) mod n`` along each of ``dim`` (all by default)."""
    return _shift(input, dim, lambda n: n // 2)


def ifftshift(input: np.ndarray, dim=None) -> np.ndarray:
    """Element ``i`` moved to ``(i + (n + 1) // 2) mod n``: the inverse of :func:`fftshift`."""
    return _shift(input, dim, lambda n: (n + 1) // 2)
