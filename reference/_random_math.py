"""The floating-point arithmetic torch's CPU random kernels do, reproduced bit for bit.

A sampler is only "torch's" if every rounding is: a fused multiply-add rounds once where a multiply
then an add rounds twice; glibc's ``logf`` is not NumPy's; and torch's AVX2 Box-Muller uses Cephes
polynomials (``ATen/native/cpu/avx_mathfun.h``), compiled with FMA contraction, not libm.  This module
holds those pieces:

- ``fma32`` / ``fma64``: a fused multiply-add, exactly rounded, emulated with error-free transforms and
  rounding to odd (Boldo and Melquiond's emulation, so there is no double rounding);
- ``cephes_log`` / ``cephes_sincos``: ``log256_ps`` and ``sincos256_ps`` lane by lane, with the
  multiply-adds GCC contracts into FMAs marked (measured against torch: the contraction choices that
  reproduce every sample of ``randn`` on an AVX2 build);
- ``libm``: glibc's scalar functions, which torch's generic kernels call.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from fractions import Fraction

import numpy as np

f32 = np.float32
_TO_POS, _TO_NEG = np.float64(np.inf), np.float64(-np.inf)


def _round_to_odd_sum(p: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``p + c`` (float64) rounded to odd: of the two floats around the exact sum, the one whose last
    mantissa bit is 1 (exact sums are kept).  Rounding to odd first and to nearest after never
    double-rounds when the first format has two more bits than the second."""
    s = p + c
    b = s - c
    err = (p - b) + (c - (s - b))  # TwoSum: s + err == p + c exactly
    even = (s.view(np.uint64) & np.uint64(1)) == 0
    fix = (err != 0) & even
    if fix.any():
        s = np.where(fix, np.nextafter(s, np.where(err > 0, _TO_POS, _TO_NEG)), s)
    return s


def fma32(a, b, c) -> np.ndarray:
    """``a * b + c`` in float32 with one rounding (``_mm256_fmadd_ps``, ``fmaf``): the product of two
    floats is exact in a double, and the sum rounded to odd there then to nearest float is exact."""
    p = np.asarray(a, f32).astype(np.float64) * np.asarray(b, f32).astype(np.float64)
    c64 = np.broadcast_to(np.asarray(c, f32).astype(np.float64), p.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        return _round_to_odd_sum(p, c64).astype(f32)


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    big = 134217729.0 * x  # Veltkamp's split into two 26-bit halves
    hi = big - (big - x)
    return hi, x - hi


def fma64(a, b, c) -> np.ndarray:
    """``a * b + c`` in float64 with one rounding (``std::fma``, or a contracted ``a * b + c``):
    the product as an exact pair (Dekker), its sum with ``c`` as an exact pair (TwoSum), the low parts
    added with rounding to odd, and the last addition rounded to nearest."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, c)))
    with np.errstate(all="ignore"):
        uh = a * b
        ah, al = _split(a)
        bh, bl = _split(b)
        ul = ((ah * bh - uh) + ah * bl + al * bh) + al * bl
        th = c + uh
        bp = th - uh
        tl = (c - bp) + (uh - (th - bp))
    # the error-free transforms need no overflow (the split multiplies by 2**27) and no underflow:
    # elsewhere, and for an exact zero (whose sign IEEE's sum rules decide), rational arithmetic
    with np.errstate(all="ignore"):
        big, tiny = 2.0**960, 2.0**-900
        mags = [np.abs(v) for v in (a, b, c, uh, th)]
        safe = np.isfinite(uh) & np.isfinite(th) & (mags[0] < big) & (mags[1] < big) & (mags[2] < big)
        safe &= (mags[3] > tiny) | (uh == 0)
        safe &= (mags[4] > tiny) & ((mags[2] > tiny) | (c == 0))
        out = th + _round_to_odd_sum(np.where(safe, tl, 0.0), np.where(safe, ul, 0.0))
    if not safe.all():
        out = np.array(out, dtype=np.float64)
        for i in np.ndindex(out.shape):
            if not safe[i]:
                out[i] = _fma_exactly(float(a[i]), float(b[i]), float(c[i]))
    return out


def _fma_exactly(a: float, b: float, c: float) -> float:
    """One fused multiply-add by rational arithmetic (infinities and NaN by IEEE's rules)."""
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        return a * b + c  # the sign of an exact zero: IEEE's sum rules, as the fused operation's
    try:
        return float(exact)  # correctly rounded, subnormals included
    except OverflowError:
        return math.copysign(math.inf, exact)


# -- Cephes single-precision log and sincos, as ATen's avx_mathfun.h has them --------------------------
_LOG_P = tuple(
    f32(v)
    for v in (
        7.0376836292e-2,
        -1.1514610310e-1,
        1.1676998740e-1,
        -1.2420140846e-1,
        1.4249322787e-1,
        -1.6668057665e-1,
        2.0000714765e-1,
        -2.4999993993e-1,
        3.3333331174e-1,
    )
)
_LOG_Q1, _LOG_Q2 = f32(-2.12194440e-4), f32(0.693359375)
_SQRTHF = f32(0.707106781186547524)
_DP = (f32(-0.78515625), f32(-2.4187564849853515625e-4), f32(-3.77489497744594108e-8))
_SIN_P = (f32(-1.9515295891e-4), f32(8.3321608736e-3), f32(-1.6666654611e-1))
_COS_P = (f32(2.443315711809948e-005), f32(-1.388731625493765e-003), f32(4.166664568298827e-002))
_FOPI = f32(1.27323954473516)
_ONE, _HALF = f32(1.0), f32(0.5)


def cephes_log(x: np.ndarray) -> np.ndarray:
    """``log256_ps``: split ``x`` into mantissa in [sqrt(1/2), sqrt(2)) and exponent, a degree-9
    polynomial in the mantissa minus one, and the exponent times log(2) added in two parts.  The
    polynomial's multiply-adds are fused, and so is ``y*z + e*q1`` (as ``fma(y, z, e*q1)``)."""
    x = np.asarray(x, f32)
    invalid = x <= 0
    x = np.maximum(x, np.uint32(0x00800000).view(f32))  # denormals cut off
    bits = x.view(np.uint32)
    e = ((bits >> np.uint32(23)).astype(np.int32) - 0x7F).astype(f32) + _ONE
    x = ((bits & np.uint32(0x807FFFFF)) | _HALF.view(np.uint32)).view(f32)
    small = x < _SQRTHF
    e = e - np.where(small, _ONE, f32(0))
    x = (x - _ONE) + np.where(small, x, f32(0))
    z = x * x
    y = fma32(_LOG_P[0], x, _LOG_P[1])
    for p in _LOG_P[2:]:
        y = fma32(y, x, p)
    y = y * x
    y = fma32(y, z, e * _LOG_Q1)
    y = y - z * _HALF
    x = fma32(e, _LOG_Q2, x + y)
    return np.where(invalid, f32(np.nan), x)


def cephes_sincos(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``sincos256_ps``: reduce ``|x|`` by multiples of pi/4 (in three fused parts), evaluate the
    sine and cosine polynomials, and pick and sign them by the octant.  The cosine's last step is
    ``fma(y, z, -z/2)`` (the product fused into the subtraction)."""
    x = np.asarray(x, f32)
    sign_sin = x.view(np.uint32) & np.uint32(0x80000000)
    x = np.abs(x)
    j = (x * _FOPI).astype(np.int32)  # truncation, as cvttps
    j = (j + 1) & ~1
    y = j.astype(f32)
    swap = ((j & 4) << 29).astype(np.uint32)
    use_cos_poly = (j & 2) == 0
    for dp in _DP:
        x = fma32(y, dp, x)
    sign_cos = (((~(j - 2)) & 4) << 29).astype(np.uint32)
    sign_sin = sign_sin ^ swap
    z = x * x
    yc = fma32(fma32(_COS_P[0], z, _COS_P[1]), z, _COS_P[2]) * z
    yc = fma32(yc, z, -(z * _HALF)) + _ONE
    ys = fma32(fma32(_SIN_P[0], z, _SIN_P[1]), z, _SIN_P[2]) * z
    ys = fma32(ys, x, x)
    s = np.where(use_cos_poly, ys, yc)
    c = np.where(use_cos_poly, yc, ys)
    return (s.view(np.uint32) ^ sign_sin).view(f32), (c.view(np.uint32) ^ sign_cos).view(f32)


# -- glibc's scalar functions, as torch's generic kernels call them -------------------------------------
class _Libm:
    """The C library's ``logf``/``cosf``/``sinf`` (single precision: NumPy's own loops round
    differently) and, through Python's ``math`` (which calls the same library), the double ones."""

    def __init__(self) -> None:
        self._lib = None

    def _load(self):
        if self._lib is None:
            name = ctypes.util.find_library("m")
            if name is None:
                raise NotImplementedError(
                    "torch's generic random kernels call the C math library's logf/cosf/sinf, which could "
                    "not be found on this machine"
                )
            lib = ctypes.CDLL(name)
            for fn in ("logf", "cosf", "sinf"):
                getattr(lib, fn).restype = ctypes.c_float
                getattr(lib, fn).argtypes = [ctypes.c_float]
            self._lib = lib
        return self._lib

    def single(self, name: str, x: np.ndarray) -> np.ndarray:
        fn = getattr(self._load(), name)
        return np.fromiter((fn(v) for v in np.asarray(x, f32).ravel().tolist()), f32, x.size).reshape(x.shape)

    @staticmethod
    def double(fn, x: np.ndarray) -> np.ndarray:
        return np.fromiter(map(fn, np.asarray(x, np.float64).ravel().tolist()), np.float64, x.size).reshape(x.shape)


libm = _Libm()
log, cos, sin, log1p = math.log, math.cos, math.sin, math.log1p
