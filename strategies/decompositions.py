"""Determinants, inverses, solvers and symmetric decompositions: linalg.det, slogdet, inv, solve,
cholesky, eigh, eigvalsh.

The matrices come from :func:`strategies.square_matrices` with the kinds where each op's promise is
sharpest: exactly singular matrices (det 0, slogdet -inf, inv and solve refused), ill-conditioned ones,
positive-definite ones (cholesky), well-separated and repeated spectra (eigh), batched and empty ones.
The invalid strategies reach each refusal: integers, half, 1-d, non-square, singular, not
positive-definite, a bad ``UPLO``, incompatible or mixed-dtype right-hand sides.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import arrays, dtypes, shapes
from ._case import Case
from ._coverage import record
from .shared_matrices import matrices, square_matrices

__all__ = [
    "DETERMINANT_KINDS",
    "determinant_args",
    "determinant_invalid",
    "inv_args",
    "inv_invalid",
    "solve_args",
    "solve_invalid",
    "cholesky_args",
    "cholesky_invalid",
    "eigh_args",
    "eigh_invalid",
    "EIG_KINDS",
    "eig_args",
    "eig_invalid",
    "qr_args",
    "qr_invalid",
    "pinv_args",
    "pinv_invalid",
    "lu_args",
    "lu_invalid",
    "lu_solve_args",
    "lu_solve_invalid",
]

_FLOATING = ("float32", "float64", "complex64", "complex128")
#: the kinds det and slogdet meet: exactly singular matrices give 0 and -inf on every LAPACK
DETERMINANT_KINDS = ("random", "invertible", "singular", "symmetric", "positive-definite", "well-separated")
_INVERTIBLE = ("random", "invertible", "symmetric", "positive-definite", "well-separated", "ill-conditioned")


@st.composite
def determinant_args(draw, op: str = "linalg.det") -> Case:
    """A (batch of) square matrices: random, invertible, exactly singular, symmetric, positive-definite."""
    a, kind = draw(square_matrices(kinds=DETERMINANT_KINDS, prefix=op))
    return Case((a,), kind=kind)


def _common_invalid(draw, op: str, defect: str) -> Case | None:
    """The refusals every op here shares: integer input, 1-d input, non-square matrices."""
    if defect == "int":
        n = draw(st.integers(1, 3))
        batch = draw(shapes(max_dims=1, min_side=1, max_side=2))
        a = draw(arrays(dtypes(("int64", "int32")), batch + (n, n)))
        return Case(
            (a,), expect="floating point" if op not in ("linalg.eigh", "linalg.eigvalsh") else "not implemented"
        )
    if defect == "1-d":
        return Case((draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=1))),), expect="2 dimensions")
    if defect == "non-square":
        m = draw(st.integers(1, 3))
        a = draw(arrays(np.dtype("float64"), shapes(min_dims=2, max_dims=2, min_side=1, max_side=3)))
        if a.shape[0] == a.shape[1]:
            a = np.zeros((m, m + 1))
        return Case((a,), expect="square")
    return None


@st.composite
def determinant_invalid(draw, op: str = "linalg.det") -> Case:
    """Integer, half (det: no LU kernel; slogdet: refused by name), 1-d, non-square."""
    defect = draw(st.sampled_from(["int", "1-d", "non-square", "half"]))
    record(f"{op} invalid: {defect}")
    case = _common_invalid(draw, op, defect)
    if case is not None:
        return case
    a = draw(arrays(np.dtype("float16"), shapes(min_dims=2, max_dims=2, min_side=2, max_side=2)))
    return Case((a,), expect="not implemented" if op == "linalg.det" else "Low precision")


@st.composite
def inv_args(draw) -> Case:
    """Invertible (batches of) matrices, from well- to ill-conditioned, and empty ones."""
    a, kind = draw(square_matrices(kinds=_INVERTIBLE, prefix="linalg.inv"))
    return Case((a,), kind=kind)


@st.composite
def inv_invalid(draw) -> Case:
    """Integer, half, 1-d, non-square, and exactly singular matrices (batched: the element named)."""
    defect = draw(st.sampled_from(["int", "1-d", "non-square", "half", "singular"]))
    record(f"linalg.inv invalid: {defect}")
    case = _common_invalid(draw, "linalg.inv", defect)
    if case is not None:
        return case
    if defect == "half":
        return Case((np.eye(2, dtype=np.float16),), expect="Low precision")
    a, _ = draw(square_matrices(kinds=("singular",), prefix="linalg.inv invalid"))
    if a.shape[-1] < 2 or a.size == 0:
        a = np.array([[1.0, 2.0], [0.0, 0.0]])
    return Case((a,), expect="singular")


@st.composite
def solve_args(draw) -> Case:
    """``solve(A, B, left=)``: B a vector, a batch of vectors (A's shape without its last dim), or a
    matrix of k columns; batch dims that broadcast (a missing or size-1 batch dim); ``left=False``."""
    a, kind = draw(square_matrices(kinds=_INVERTIBLE, prefix="linalg.solve"))
    n = a.shape[-1]
    form = draw(st.sampled_from(["vector", "batch of vectors", "matrix", "broadcast matrix"]))
    left = True
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def gauss(*shape):
        b = rng.standard_normal(shape)
        return (b + 1j * rng.standard_normal(shape) if a.dtype.kind == "c" else b).astype(a.dtype)

    if form == "vector":
        b = gauss(n)
    elif form == "batch of vectors":
        b = gauss(*a.shape[:-1])
    else:
        k = draw(st.integers(0, 3))
        batch = a.shape[:-2] if form == "matrix" else tuple(1 for _ in a.shape[:-2])[: draw(st.integers(0, 2))]
        left = draw(st.booleans())
        b = gauss(*batch, n, k) if left else gauss(*batch, k, n)
        if b.ndim == a.ndim - 1 and b.shape == a.shape[:-1]:
            left = True  # shaped like a batch of vectors: torch reads it as one (see solve_invalid)
        if not left:
            record("linalg.solve: left=False (X A = B)")
    record(f"linalg.solve: B is a {form}")
    return Case((a, b), {"left": left}, kind=kind)


@st.composite
def solve_invalid(draw) -> Case:
    """Singular A, a B of the wrong size, A and B of two dtypes, integer A, non-square A."""
    defect = draw(st.sampled_from(["singular", "size", "dtype", "int", "non-square", "vector with left=False"]))
    record(f"linalg.solve invalid: {defect}")
    if defect == "vector with left=False":  # a vector (or a batch of them) gets a column dim whatever left says
        n = draw(st.integers(2, 3))
        return Case((np.eye(n), np.ones(n)), {"left": False}, expect="Incompatible shapes")
    if defect == "singular":
        a, _ = draw(square_matrices(kinds=("singular",), prefix="linalg.solve invalid"))
        if a.shape[-1] < 2 or a.size == 0:
            a = np.array([[1.0, 2.0], [0.0, 0.0]])
        return Case((a, np.ones(a.shape[:-1], dtype=a.dtype)), expect="singular")
    if defect == "size":
        return Case((np.eye(3), np.ones(draw(st.sampled_from([2, 4])))), expect="Incompatible shapes")
    if defect == "dtype":
        return Case((np.eye(2, dtype=np.float32), np.ones(2)), expect="same dtype")
    if defect == "int":
        return Case((np.eye(2, dtype=np.int64), np.ones(2, dtype=np.int64)), expect="floating point")
    return Case((np.ones((2, 3)), np.ones(2)), expect="square")


@st.composite
def cholesky_args(draw) -> Case:
    """Positive-definite (batches of) matrices; ``upper=True``; sometimes NaN in the strict triangle
    cholesky never reads (the upper one, or the lower one for ``upper=True``)."""
    a, kind = draw(square_matrices(kinds=("positive-definite",), prefix="linalg.cholesky"))
    upper = draw(st.booleans())
    if upper:
        record("linalg.cholesky: upper=True")
    if a.shape[-1] > 1 and a.size and draw(st.integers(0, 2)) == 0:
        a = np.array(a)
        rows, cols = np.tril_indices(a.shape[-1], -1) if upper else np.triu_indices(a.shape[-1], 1)
        a[..., rows, cols] = np.nan
        record("linalg.cholesky: the other triangle is never read")
    return Case((a,), {"upper": upper}, kind=kind)


@st.composite
def cholesky_invalid(draw) -> Case:
    """A matrix that is not positive-definite (the order of the failing minor named), integer, half."""
    defect = draw(st.sampled_from(["not positive-definite", "int", "1-d", "non-square", "half"]))
    record(f"linalg.cholesky invalid: {defect}")
    case = _common_invalid(draw, "linalg.cholesky", defect)
    if case is not None:
        return case
    if defect == "half":
        return Case((np.eye(2, dtype=np.float16),), expect="not implemented")
    a, _ = draw(square_matrices(kinds=("symmetric",), dtype_names=("float64", "complex128"), prefix="invalid"))
    if a.shape[-1] == 0 or a.size == 0:
        a = np.array([[1.0, 2.0], [2.0, 1.0]])
    a = a - (np.abs(a).sum() + 1) * np.eye(a.shape[-1])  # every eigenvalue negative
    return Case((a,), expect="positive-definite")


@st.composite
def eigh_args(draw, op: str = "linalg.eigh") -> Case:
    """Hermitian (batches of) matrices with well-separated or repeated eigenvalues; ``UPLO`` 'L' or 'U';
    sometimes garbage in the triangle ``UPLO`` does not name, and a diagonal with an imaginary part
    (both ignored)."""
    kinds = ("well-separated", "repeated eigenvalues", "symmetric", "positive-definite")
    a, kind = draw(square_matrices(kinds=kinds, prefix=op))
    uplo = draw(st.sampled_from(["L", "U"]))
    record(f"{op}: UPLO='{uplo}'")
    if a.shape[-1] > 1 and a.size and draw(st.integers(0, 2)) == 0:
        a = np.array(a)
        rows, cols = np.triu_indices(a.shape[-1], 1) if uplo == "L" else np.tril_indices(a.shape[-1], -1)
        a[..., rows, cols] = 7.0
        record(f"{op}: the other triangle is never read")
    return Case((a,), {"UPLO": uplo}, kind=kind)


@st.composite
def eigh_invalid(draw, op: str = "linalg.eigh") -> Case:
    """A ``UPLO`` other than 'L'/'U', integer or half input (no kernel), 1-d, non-square."""
    defect = draw(st.sampled_from(["UPLO", "int", "1-d", "non-square", "half"]))
    record(f"{op} invalid: {defect}")
    case = _common_invalid(draw, op, defect)
    if case is not None:
        return case
    if defect == "half":
        return Case((np.eye(2, dtype=np.float16),), expect="not implemented")
    return Case((np.eye(2),), {"UPLO": draw(st.sampled_from(["", "X", "upper", "Lower"]))}, expect="UPLO")


#: general (non-Hermitian) matrices whose eigenvalues are simple and well-conditioned enough to compare
EIG_KINDS = ("random", "complex eigenvalues", "invertible", "singular", "well-separated")


@st.composite
def eig_args(draw, op: str = "linalg.eig") -> Case:
    """General (batches of) matrices: real ones with complex eigenvalues (conjugate pairs), random ones,
    exactly singular ones (a zero eigenvalue), symmetric ones with well-separated real eigenvalues."""
    a, kind = draw(square_matrices(kinds=EIG_KINDS, prefix=op))
    return Case((a,), kind=kind)


@st.composite
def eig_invalid(draw, op: str = "linalg.eig") -> Case:
    """Integer (no complex twin), half (no kernel), 1-d, non-square; eig also refuses NaN and infinities."""
    defects = ["int", "1-d", "non-square", "half"] + (["non-finite"] if op == "linalg.eig" else [])
    defect = draw(st.sampled_from(defects))
    record(f"{op} invalid: {defect}")
    if defect == "int":
        n = draw(st.integers(1, 3))
        return Case((draw(arrays(dtypes(("int64", "int32")), (n, n))),), expect="Complex ScalarType")
    case = _common_invalid(draw, op, defect)
    if case is not None:
        return case
    if defect == "half":
        return Case((np.eye(2, dtype=np.float16),), expect="not implemented")
    a = np.eye(2)
    a[draw(st.integers(0, 1)), draw(st.integers(0, 1))] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    return Case((a,), expect="infs or NaNs")


@st.composite
def qr_args(draw) -> Case:
    """Tall, wide, square, batched and empty matrices (random, rank-deficient, well-separated,
    ill-conditioned) in every mode: 'reduced', 'complete' and 'r'."""
    a, kind = draw(matrices())
    mode = draw(st.sampled_from(["reduced", "complete", "r"]))
    record(f"linalg.qr: mode='{mode}'")
    m, n = a.shape[-2:]
    record(f"linalg.qr: {'tall' if m > n else 'wide' if m < n else 'square'}")
    return Case((a,), {"mode": mode}, kind=kind)


@st.composite
def qr_invalid(draw) -> Case:
    """An unknown mode, integer or half input, 1-d input."""
    defect = draw(st.sampled_from(["mode", "int", "half", "1-d"]))
    record(f"linalg.qr invalid: {defect}")
    if defect == "mode":
        return Case((np.eye(2),), {"mode": draw(st.sampled_from(["full", "Reduced", "economic"]))}, expect="mode")
    if defect == "int":
        return Case((np.ones((2, 3), dtype=np.int64),), expect="floating point")
    if defect == "half":
        return Case((np.ones((2, 2), dtype=np.float16),), expect="not implemented")
    return Case((np.ones(3),), expect="2 dimensions")


@st.composite
def pinv_args(draw) -> Case:
    """Rectangular (batches of) matrices, or Hermitian ones with ``hermitian=True``; tolerances: the default
    (``eps * max(m, n)``), an ``rtol`` or an ``atol`` that cuts the small singular values cleanly (a
    rank-deficient matrix always gets one: its tiny singular values sit at rounding level otherwise)."""
    if draw(st.integers(0, 3)) == 0:
        a, kind = draw(
            square_matrices(kinds=("symmetric", "well-separated", "positive-definite"), prefix="linalg.pinv")
        )
        kwargs = {"hermitian": True}
        record("linalg.pinv: hermitian=True (eigh of the lower triangle)")
    else:
        a, kind = draw(matrices(kinds=("random", "well-separated", "rank-deficient", "ill-conditioned")))
        kwargs = {}
    which = draw(st.sampled_from(["default", "rtol", "atol"]))
    if kind == "rank-deficient" and which == "default":
        which = "rtol"
    if which == "rtol":
        kwargs["rtol"] = draw(st.sampled_from([1e-3, 0.3]))
    elif which == "atol":
        kwargs["atol"] = draw(st.sampled_from([1e-3, 0.3]))
    record(f"linalg.pinv: tolerance {which}")
    return Case((a,), kwargs, kind=kind)


@st.composite
def pinv_invalid(draw) -> Case:
    """Integer or half input, a 1-d input."""
    defect = draw(st.sampled_from(["int", "half", "1-d"]))
    record(f"linalg.pinv invalid: {defect}")
    a = {"int": np.ones((2, 3), dtype=np.int64), "half": np.ones((2, 2), dtype=np.float16), "1-d": np.ones(3)}[defect]
    return Case((a,), expect="2 or more dimensions")


@st.composite
def lu_args(draw, op: str = "linalg.lu") -> Case:
    """Tall, wide, square, batched and empty matrices for LU with partial pivoting (``pivot=True``: the
    only kind the CPU has)."""
    a, kind = draw(matrices(kinds=("random", "well-separated", "ill-conditioned")))
    m, n = a.shape[-2:]
    record(f"{op}: {'tall' if m > n else 'wide' if m < n else 'square'}")
    return Case((a,), {"pivot": True}, kind=kind)


@st.composite
def lu_invalid(draw, op: str = "linalg.lu") -> Case:
    """``pivot=False`` (not on the CPU), integer or half input, 1-d; lu_factor also refuses an exact zero pivot."""
    defects = ["no pivoting", "int", "half", "1-d"] + (["singular"] if op == "linalg.lu_factor" else [])
    defect = draw(st.sampled_from(defects))
    record(f"{op} invalid: {defect}")
    if defect == "no pivoting":
        return Case((np.eye(2),), {"pivot": False}, expect="without pivoting")
    if defect == "int":
        return Case((np.ones((2, 2), dtype=np.int64),), expect="not implemented")
    if defect == "half":
        return Case((np.ones((2, 2), dtype=np.float16),), expect="not implemented")
    if defect == "1-d":
        return Case((np.ones(3),), expect="2 or more dimensions")
    a, _ = draw(square_matrices(kinds=("singular",), prefix="linalg.lu_factor invalid"))
    if a.shape[-1] < 2 or a.size == 0:
        a = np.array([[1.0, 2.0], [0.0, 0.0]])
    return Case((a,), expect="is zero")


@st.composite
def lu_solve_args(draw) -> Case:
    """``lu_solve(LU, pivots, B, left=, adjoint=)`` with a packed factorization of a well-conditioned matrix
    (unit-lower ``L``, upper ``U`` with a diagonal away from 0, valid 1-based ``int32`` row swaps),
    batched ``B`` that broadcasts, ``left=False`` and ``adjoint=True``."""
    dt = draw(dtypes(_FLOATING))
    n = draw(st.integers(0, 4))
    batch = tuple(draw(st.lists(st.integers(1, 2), max_size=1)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def gauss(*shape):
        x = rng.standard_normal(shape)
        return x + 1j * rng.standard_normal(shape) if dt.kind == "c" else x

    lower = np.tril(gauss(*batch, n, n), -1) * 0.5
    upper = np.triu(gauss(*batch, n, n), 1) * 0.5 + np.eye(n) * rng.choice([-1, 1], n) * rng.uniform(1, 2, n)
    lu_ = (lower + upper).astype(dt)
    piv = (
        np.stack([rng.integers(j, n, size=batch) + 1 for j in range(n)], axis=-1).astype(np.int32)
        if n
        else (np.zeros(batch + (0,), np.int32))
    )
    left, adjoint = draw(st.booleans()), draw(st.booleans())
    k = draw(st.integers(1, 3))
    b_batch = batch if draw(st.booleans()) else ()
    b = (gauss(*b_batch, n, k) if left else gauss(*b_batch, k, n)).astype(dt)
    for flag, event in ((not left, "left=False (X A = B)"), (adjoint, "adjoint=True (A^H X = B)")):
        if flag:
            record(f"linalg.lu_solve: {event}")
    if batch and not b_batch:
        record("linalg.lu_solve: B broadcast over LU's batch")
    return Case((lu_, piv, b), {"left": left, "adjoint": adjoint})


@st.composite
def lu_solve_invalid(draw) -> Case:
    """int64 pivots, a 1-d B, LU and B of two dtypes, a non-square LU, a B of the wrong size."""
    defect = draw(st.sampled_from(["pivots dtype", "1-d B", "dtype", "non-square", "size"]))
    record(f"linalg.lu_solve invalid: {defect}")
    lu_, piv, b = np.eye(3), np.array([1, 2, 3], dtype=np.int32), np.ones((3, 1))
    if defect == "pivots dtype":
        return Case((lu_, piv.astype(np.int64), b), expect="int32")
    if defect == "1-d B":
        return Case((lu_, piv, np.ones(3)), expect="2 dimensions")
    if defect == "dtype":
        return Case((lu_.astype(np.float32), piv, b), expect="same dtype")
    if defect == "non-square":
        return Case((np.ones((2, 3)), piv[:2], b), expect="square")
    return Case((lu_, piv, np.ones((4, 1))), expect="Incompatible shapes")
