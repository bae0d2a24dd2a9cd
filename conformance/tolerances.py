"""Every numeric tolerance the suite uses, per op family and dtype, each with its reason.

Comparison follows ``torch.testing.assert_close``: ``|actual - expected| <=
atol + rtol * |expected|`` elementwise, NaNs equal to NaNs.  For summing ops
the right-hand side scales with ``sum |terms|`` instead of ``|expected|``,
because cancellation can make the result tiny while rounding error stays
proportional to the terms.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float
    reason: str


EXACT = Tolerance(
    0.0, 0.0, "every output element is a copy of an input element or bound: bit-exact, signed zeros included"
)

#: (family, dtype name) -> Tolerance.  "*" matches any dtype.
TABLE: dict[tuple[str, str], Tolerance] = {
    ("exact", "*"): EXACT,
    ("sum", "float16"): Tolerance(
        4e-3, 1e-3, "torch accumulates half in float32 and rounds once; ~2 ulp of half (2^-10)"
    ),
    ("sum", "float32"): Tolerance(
        3e-5, 1e-6, "accumulation order differs; bound n*eps*sum|terms| with n <= 81 terms, eps=2^-23"
    ),
    ("sum", "complex64"): Tolerance(6e-5, 1e-6, "as float32, with 4 real products per complex product"),
    ("sum", "float64"): Tolerance(1e-12, 1e-14, "accumulation order differs; n*eps with eps=2^-52"),
    ("sum", "complex128"): Tolerance(2e-12, 1e-14, "as float64, with 4 real products per complex product"),
    ("sum", "int64"): Tolerance(0.0, 0.0, "integer arithmetic is exact (wrapping identically)"),
    # one product and one sum, rounded once (fused) or twice: half an ulp of |a| + |alpha * b| apart
    ("fused", "float16"): Tolerance(2.0**-10, 0.0, "opmath float32 then one rounding to half; 1 ulp of the terms"),
    ("fused", "float32"): Tolerance(2.0**-23, 0.0, "fused vs unfused multiply-add: 1 ulp of the terms"),
    ("fused", "float64"): Tolerance(2.0**-52, 0.0, "fused vs unfused multiply-add: 1 ulp of the terms"),
    ("fused", "complex64"): Tolerance(2.0**-22, 0.0, "as float32, per real and imaginary part"),
    ("fused", "complex128"): Tolerance(2.0**-51, 0.0, "as float64, per real and imaginary part"),
    # complex x ** y is exp(y * log(x)): an angle error of ~eps * |y| * pi turns into a relative error
    ("complex power", "complex64"): Tolerance(
        2e-4, 1e-5, "complex pow via exp(y log x): relative error ~ eps*|y|*pi, |y| <= 100 here, eps=1.2e-7"
    ),
    ("complex power", "complex128"): Tolerance(1e-12, 1e-12, "as complex64, with eps=2.2e-16"),
    ("elementwise", "float16"): Tolerance(1e-3, 1e-5, "torch.testing default for float16: libm differences of ~1 ulp"),
    ("elementwise", "float32"): Tolerance(
        1.3e-6, 1e-5, "torch.testing default for float32: vectorised libm differs by ~1 ulp"
    ),
    ("elementwise", "float64"): Tolerance(1e-7, 1e-7, "torch.testing default for float64"),
    ("elementwise", "complex64"): Tolerance(1.3e-6, 1e-5, "torch.testing default for complex64"),
    ("elementwise", "complex128"): Tolerance(1e-7, 1e-7, "torch.testing default for complex128"),
    ("sum", "int32"): Tolerance(0.0, 0.0, "integer arithmetic is exact"),
    # softmax and log_softmax: exp and log per element (libm vs NumPy) and a sum along the dim
    ("softmax", "float16"): Tolerance(
        1e-3,
        1e-3,
        "torch's half kernel rounds its log-sum-exp to half before subtracting: one half ulp of max + log(sum) "
        "(measured up to 4.9e-4 beyond 1e-3 relative over 3000 rows)",
    ),
    ("softmax", "float32"): Tolerance(1.3e-6, 1e-5, "as elementwise: vectorised exp/log differ by ~1 ulp"),
    ("softmax", "float64"): Tolerance(1e-7, 1e-7, "as elementwise for float64"),
    # optimizer steps: Adam divides by sqrt(v), which torch's CPU computes with MKL's vsSqrt (measured 1 ulp
    # off the correctly rounded root for ~17% of float32 elements); the update is a few ulp of the parameter
    ("optimizer", "float32"): Tolerance(1e-6, 1e-7, "MKL's sqrt (1 ulp) in Adam's denominator, over <= 5 steps"),
    ("optimizer", "float64"): Tolerance(1e-14, 1e-15, "MKL's sqrt (1 ulp) in Adam's denominator, over <= 5 steps"),
    # training programs: every step goes through matrix products that BLAS sums in another order than
    # NumPy (~1e-7 relative per layer in float32), compounded over <= 4 layers and <= 4 steps
    ("training", "float32"): Tolerance(1e-4, 1e-5, "matmul summation order, compounded over <= 4 layers and steps"),
    ("training", "float64"): Tolerance(1e-10, 1e-12, "as float32, with eps=2^-52"),
    # losses: a log-sum-exp or log per term (libm vs NumPy, ~1 ulp) and a sum of up to ~100 terms of one
    # sign in another order (torch's cascade sums): n*eps relative to the result, with margin
    ("loss", "float16"): Tolerance(4e-3, 1e-3, "computed in float32 and rounded once to half; ~2 ulp of half"),
    ("loss", "float32"): Tolerance(2e-5, 1e-6, "n*eps with n <= 100 terms, eps=2^-23, plus ~1 ulp per log/exp"),
    ("loss", "float64"): Tolerance(1e-12, 1e-14, "n*eps with eps=2^-52, plus ~1 ulp per log/exp"),
    # linspace/logspace: torch's CPU kernel computes blocks of a SIMD vector as ``base + j*step`` and the
    # rest per point, so where a point lands depends on the vector width (AVX2 vs AVX512) and threads
    ("stepped", "float16"): Tolerance(2.0**-10, 0.0, "vector blocks vs per-point formula: 1 ulp of the ends"),
    ("stepped", "float32"): Tolerance(2.0**-22, 0.0, "vector blocks vs per-point formula: 2 ulp of the ends"),
    ("stepped", "float64"): Tolerance(2.0**-51, 0.0, "vector blocks vs per-point formula: 2 ulp of the ends"),
    ("stepped", "complex64"): Tolerance(2.0**-20, 0.0, "as float32, through complex division and products"),
    ("stepped", "complex128"): Tolerance(2.0**-49, 0.0, "as float64, through complex division and products"),
    **{
        ("stepped", name): Tolerance(
            2.0**-50, 1.0, "integer points truncate a double: a vector block's base is truncated before adding j*step"
        )
        for name in ("uint8", "int8", "int16", "int32", "int64")
    },
    # SVD: relative to the largest singular value; vectors additionally divided by the relative gap
    ("svd", "float32"): Tolerance(
        0.0, 5e-5, "LAPACK sgesdd backward error ~ n*eps*||A||, n <= 5, eps=1.2e-7, 60x margin"
    ),
    ("svd", "complex64"): Tolerance(0.0, 5e-5, "as float32"),
    ("svd", "float64"): Tolerance(0.0, 1e-12, "n*eps*||A|| with eps=2.2e-16, ~1000x margin"),
    ("svd", "complex128"): Tolerance(0.0, 1e-12, "as float64"),
    # solvers and factorizations (det, slogdet, inv, solve, cholesky): LAPACK's LU/Cholesky are backward
    # stable, so a result is accurate to ~n*eps*cond(A) relative to its size; the entries' scale is
    # cond(A) * max|result| per matrix (capped), so the rtol below is n*eps with a margin
    ("conditioned", "float32"): Tolerance(
        2e-5, 1e-6, "backward-stable LU/Cholesky: n*eps*cond(A)*|x|, n <= 4, 40x margin"
    ),
    ("conditioned", "complex64"): Tolerance(4e-5, 1e-6, "as float32, 4 real products per complex product"),
    ("conditioned", "float64"): Tolerance(4e-14, 1e-15, "n*eps*cond(A)*|x| with eps=2^-52, 40x margin"),
    ("conditioned", "complex128"): Tolerance(8e-14, 1e-15, "as float64, 4 real products per complex product"),
    # eigh: eigenvalues to eps*||A|| (Weyl); eigenspaces to that over the gap (Davis-Kahan); relative to
    # n*max|a_ij| >= ||A||_2, the scale eigh_check uses
    ("eigh", "float32"): Tolerance(0.0, 2e-5, "LAPACK syevd backward error ~ n*eps*||A||, n <= 4, 40x margin"),
    ("eigh", "complex64"): Tolerance(0.0, 4e-5, "as float32 (heevd)"),
    ("eigh", "float64"): Tolerance(0.0, 4e-14, "n*eps*||A|| with eps=2.2e-16, 40x margin"),
    ("eigh", "complex128"): Tolerance(0.0, 8e-14, "as float64"),
    # FFTs: MKL's and NumPy's pocketfft factor n differently and round their twiddles differently; the
    # error is ~log2(n)*eps of the sum of |terms| each output adds up (measured 1.4e-7 / 4.5e-16 relative
    # to it against pocketfft over 300 random shapes up to 8^3); the entries' scale is that sum
    ("fft", "float32"): Tolerance(2e-6, 1e-7, "c*log2(n)*eps*sum|terms|, eps=2^-23; 15x the measured 1.4e-7"),
    ("fft", "complex64"): Tolerance(2e-6, 1e-7, "as float32 (the twiddles are complex either way)"),
    ("fft", "float64"): Tolerance(5e-15, 1e-16, "c*log2(n)*eps*sum|terms|, eps=2^-52; 10x the measured 4.5e-16"),
    ("fft", "complex128"): Tolerance(5e-15, 1e-16, "as float64"),
    # fftfreq: k * (1 / (n d)) rounds the reciprocal, then the product, where the definition is k / (n d)
    ("frequencies", "float16"): Tolerance(2.0**-10, 0.0, "float32 product rounded once to half: 1 ulp of half"),
    ("frequencies", "float32"): Tolerance(2.0**-22, 0.0, "reciprocal and product each rounded: 2 half-ulps"),
    ("frequencies", "float64"): Tolerance(2.0**-51, 0.0, "n*d, reciprocal and product each rounded"),
}

#: eps of each floating dtype, for identities checked without torch
EPS = {"float16": 2.0**-10, "float32": 2.0**-23, "complex64": 2.0**-23, "float64": 2.0**-52, "complex128": 2.0**-52}


@dataclass(frozen=True)
class TargetTolerance:
    """An override of the table for targets matching ``target`` (glob), for ``family`` and ``dtype``
    (globs): a backend whose kernels legitimately round differently (TF32, fused kernels, reductions
    split across threads) gets its own bound, with its reason; the report lists every one in use."""

    target: str
    family: str
    dtype: str
    tolerance: Tolerance
    source: str = "conformance/tolerances.py"


#: the suite's own per-target overrides (users add theirs as [[tolerance]] entries of the --expect file)
TARGET_OVERRIDES: list[TargetTolerance] = []
#: overrides from the --expect file of this run
USER_OVERRIDES: list[TargetTolerance] = []


def override_for(target: str, family: str, dtype: str) -> TargetTolerance | None:
    for o in USER_OVERRIDES + TARGET_OVERRIDES:
        if all(fnmatch.fnmatchcase(v, p) for v, p in ((target, o.target), (family, o.family), (dtype, o.dtype))):
            return o
    return None


def lookup(family: str, dtype: str, target: str | None = None) -> Tolerance:
    """The tolerance of ``family`` for ``dtype``, or a per-target override of it."""
    if target is not None:
        o = override_for(target, family, dtype)
        if o is not None:
            return o.tolerance
    if (family, "*") in TABLE:
        return TABLE[(family, "*")]
    if dtype in ("bool", "uint8", "int8", "int16", "int32", "int64") and (family, dtype) not in TABLE:
        return EXACT
    try:
        return TABLE[(family, dtype)]
    except KeyError:
        raise KeyError(
            f"no tolerance for family {family!r} and dtype {dtype!r}: add one to conformance/tolerances.py"
        ) from None


def mismatches(actual: np.ndarray, expected: np.ndarray, tol: Tolerance, scale: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask of elements outside tolerance (NaN == NaN; exact mode also compares signed zeros).

    Complex values are close when ``|a - e|`` is within tolerance, or when their real and
    imaginary parts each are (which only decides anything when a part is infinite).
    """
    actual, expected = np.broadcast_arrays(np.asarray(actual), np.asarray(expected))
    if tol.rtol == 0 and tol.atol == 0:
        if actual.dtype.kind in "fc":
            a = actual.astype(np.complex128 if actual.dtype.kind == "c" else np.float64)
            e = expected.astype(a.dtype)
            same = (a == e) | (np.isnan(a) & np.isnan(e))
            if a.dtype.kind == "f":  # the sign of zero is semantics; the sign bit of a NaN is not
                same &= (np.signbit(a) == np.signbit(e)) | np.isnan(a)
            return ~same
        return actual != expected
    a = actual.astype(np.complex128)
    e = expected.astype(np.complex128)
    ref = np.abs(e) if scale is None else np.abs(scale)
    with np.errstate(invalid="ignore"):
        allowed = tol.atol + tol.rtol * ref
        err = np.abs(a - e)
        close = np.isfinite(err) & (err <= allowed)  # as torch.isclose: inf vs -inf is never "close"
        both_nan = np.isnan(a) & np.isnan(e)
        same_inf = np.isinf(a) & (a == e)
        # a complex value with an infinite part: |a - e| is NaN, so compare the parts one by one
        # (inf + 5.00000000001e-05j and inf + 4.99999999999e-05j agree: equal infinities, close imaginary parts)
        parts = _part_close(a.real, e.real, tol, scale) & _part_close(a.imag, e.imag, tol, scale)
    return ~(close | both_nan | same_inf | parts)


def _part_close(a: np.ndarray, e: np.ndarray, tol: Tolerance, scale) -> np.ndarray:
    """Real-valued closeness: non-finite values must be equal (NaN == NaN), finite ones within tolerance."""
    ref = np.abs(e) if scale is None else np.abs(scale)
    finite = np.isfinite(a) & np.isfinite(e)
    with np.errstate(invalid="ignore"):
        near = np.abs(np.where(finite, a - e, 0.0)) <= tol.atol + tol.rtol * np.where(np.isfinite(ref), ref, 0.0)
    return np.where(finite, near, (a == e) | (np.isnan(a) & np.isnan(e)))
