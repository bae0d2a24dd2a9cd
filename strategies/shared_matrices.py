"""Matrices with a promised structure, shared by every linear-algebra op (SVD, norms, decompositions).

Each generator builds its matrices in float64 (complex128) from a drawn seed, so the structure is
exact before the cast: a symmetric matrix is symmetric, a singular one has a zero row or column (LU
meets an exact zero pivot, as LAPACK needs to report it), a spectrum is the one asked for.  Batched (with empty
batches) and empty (0 x 0, m x 0) matrices come from the same generators.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import dtypes
from ._coverage import record

__all__ = ["MATRIX_KINDS", "SQUARE_KINDS", "matrices", "square_matrices"]

MATRIX_KINDS = ("random", "rank-deficient", "well-separated", "ill-conditioned")


@st.composite
def matrices(
    draw, dtype_names=("float32", "float64", "complex64", "complex128"), max_side: int = 5, kinds=MATRIX_KINDS
):
    """Matrices (possibly batched or empty): random, rank-deficient, with well-separated singular
    values, or ill-conditioned (singular values spanning 1e-6..1)."""
    dt = draw(dtypes(dtype_names))
    batch = tuple(draw(st.lists(st.integers(0, 2) if draw(st.integers(0, 4)) == 0 else st.integers(1, 2), max_size=2)))
    m = draw(st.integers(0, max_side))
    n = draw(st.integers(0, max_side))
    kind = draw(st.sampled_from(kinds))
    k = min(m, n)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    real = np.float64

    def gauss(*shape):
        a = rng.standard_normal(shape).astype(real)
        if dt.kind == "c":
            a = a + 1j * rng.standard_normal(shape)
        return a

    if kind == "random" or k == 0:
        a = gauss(*batch, m, n)
    elif kind == "rank-deficient":
        r = draw(st.integers(0, max(k - 1, 0)))
        a = gauss(*batch, m, r) @ gauss(*batch, r, n)
    else:
        if kind == "well-separated":
            s = 2.0 ** -np.arange(k)  # ratios of 2: gaps far above rounding error
        else:
            s = np.logspace(0, -6, k)
        qu, _ = np.linalg.qr(gauss(*batch, m, m))
        qv, _ = np.linalg.qr(gauss(*batch, n, n))
        a = (qu[..., :, :k] * s) @ np.conj(np.swapaxes(qv[..., :, :k], -1, -2))
    record(f"svd: {kind if k else 'empty'}")
    if k and m > n:
        record("svd: tall")
    elif k and m < n:
        record("svd: wide")
    elif k:
        record("svd: square")
    if batch:
        record("svd: batched")
    if dt.kind == "c":
        record("svd: complex")
    arr = np.ascontiguousarray(a.astype(dt))
    if draw(st.booleans()) and arr.ndim >= 2 and arr.size:
        arr = np.swapaxes(np.ascontiguousarray(np.swapaxes(arr, -1, -2)), -1, -2)  # column-major layout
        record("layout: non-contiguous")
    return arr, kind


#: the kinds of square matrix :func:`square_matrices` draws
SQUARE_KINDS = (
    "random",
    "symmetric",
    "positive-definite",
    "invertible",
    "singular",
    "rank-deficient",
    "well-separated",
    "repeated eigenvalues",
    "ill-conditioned",
    "complex eigenvalues",
)


def _batch(draw) -> tuple[int, ...]:
    """Up to two batch dims, sometimes of size 0."""
    return tuple(draw(st.lists(st.integers(0, 2) if draw(st.integers(0, 4)) == 0 else st.integers(1, 2), max_size=2)))


def _unitary(gauss, batch: tuple, n: int) -> np.ndarray:
    q, r = np.linalg.qr(gauss(*batch, n, n))
    return q


def _mH(a: np.ndarray) -> np.ndarray:
    return np.conj(np.swapaxes(a, -1, -2))


@st.composite
def square_matrices(
    draw,
    kinds=SQUARE_KINDS,
    dtype_names=("float32", "float64", "complex64", "complex128"),
    max_side: int = 4,
    prefix: str = "matrix",
) -> tuple[np.ndarray, str]:
    """``(A, kind)``: a (batch of) n x n matrices of one of ``kinds``:

    - ``random``: Gaussian entries;
    - ``symmetric``: ``(G + G^H) / 2`` (Hermitian for complex dtypes);
    - ``positive-definite``: ``G G^H + n I`` (Hermitian, eigenvalues >= n);
    - ``invertible``: ``Q diag(s) W`` with ``|s|`` in [0.5, 2] (condition number <= 4);
    - ``singular``: a random matrix with a zero row or column (LU meets an exact zero pivot whatever
      its rounding: two equal rows would not do, LAPACK's multiplier ``x * (1/x)`` need not be 1);
    - ``rank-deficient``: ``G_1 G_2`` of rank < n (singular up to rounding);
    - ``well-separated``: Hermitian with eigenvalues 2^k apart in magnitude, of both signs;
    - ``repeated eigenvalues``: Hermitian with an eigenvalue of multiplicity >= 2;
    - ``ill-conditioned``: singular values spanning 1..1e-6 (inv and solve lose ~6 digits);
    - ``complex eigenvalues``: real, with conjugate pairs of eigenvalues (rotation blocks).

    Records ``"<prefix>: <kind>"`` and ``batched``, ``empty``, ``complex`` events; n = 0 is ``empty``."""
    dt = draw(dtypes(dtype_names))
    batch = _batch(draw)
    n = draw(st.integers(0, max_side))
    kind = draw(st.sampled_from(kinds))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    cplx = dt.kind == "c"

    def gauss(*shape):
        a = rng.standard_normal(shape)
        return a + 1j * rng.standard_normal(shape) if cplx else a

    if kind in ("singular", "rank-deficient", "repeated eigenvalues", "complex eigenvalues") and n < 2:
        kind = "random"  # these need two rows
    if kind == "complex eigenvalues" and cplx:
        kind = "random"
    if kind == "random" or n == 0:
        a = gauss(*batch, n, n)
    elif kind == "symmetric":
        g = gauss(*batch, n, n)
        a = (g + _mH(g)) / 2
    elif kind == "positive-definite":
        g = gauss(*batch, n, n)
        a = g @ _mH(g) + n * np.eye(n)
    elif kind in ("invertible", "ill-conditioned"):
        s = rng.uniform(0.5, 2, n) * rng.choice([-1, 1], n) if kind == "invertible" else np.logspace(0, -6, n)
        a = (_unitary(gauss, batch, n) * s) @ _unitary(gauss, batch, n)
    elif kind == "singular":  # a zero row or column: exactly singular in any arithmetic, pivoted or not
        a = gauss(*batch, n, n)
        k = draw(st.integers(0, n - 1))
        if draw(st.booleans()):
            a[..., k, :] = 0
        else:
            a[..., :, k] = 0
    elif kind == "rank-deficient":
        r = draw(st.integers(1, n - 1))
        a = gauss(*batch, n, r) @ gauss(*batch, r, n)
    elif kind in ("well-separated", "repeated eigenvalues"):
        if kind == "well-separated":
            w = 2.0 ** np.arange(n) * np.where(np.arange(n) % 2, -1, 1)
        else:
            w = np.arange(n, dtype=np.float64)
            w[1] = w[0]  # a double eigenvalue
        q = _unitary(gauss, batch, n)
        a = (q * w) @ _mH(q)
    else:  # complex eigenvalues: rotation-scaling blocks [[a, -b], [b, a]] in a random real basis
        blocks = np.zeros((n, n))
        for k in range(0, n - 1, 2):
            re, im = rng.uniform(-2, 2), rng.uniform(0.5, 2)
            blocks[k : k + 2, k : k + 2] = [[re, -im], [im, re]]
        if n % 2:
            blocks[-1, -1] = rng.uniform(-2, 2)
        basis = _unitary(gauss, batch, n) + 0.5 * np.eye(n)
        a = basis @ blocks @ np.linalg.inv(basis)
    record(f"{prefix}: {kind if n else 'empty'}")
    if batch:
        record(f"{prefix}: batched")
    if 0 in batch:
        record(f"{prefix}: an empty batch")
    if cplx:
        record(f"{prefix}: complex")
    arr = np.ascontiguousarray(np.asarray(a).astype(dt))
    if draw(st.integers(0, 3)) == 0 and arr.size:
        arr = np.swapaxes(np.ascontiguousarray(np.swapaxes(arr, -1, -2)), -1, -2)  # column-major, as LAPACK's
        record("layout: non-contiguous")
    return arr, kind
