"""torch.linalg's determinants, inverses, solvers and symmetric decompositions: ``det``, ``slogdet``,
``inv``, ``solve``, ``cholesky``, ``eigh``, ``eigvalsh``.

Shared rules (torch's, CPU):

- ``A`` is a matrix or a batch of them (``(*, n, n)``), floating or complex; LAPACK computes in the
  input's precision (float32 in float32).  ``det`` and ``cholesky`` have no half kernel (NotImplementedError
  naming the kernel), ``slogdet`` and ``inv`` refuse half by name; ``eigh`` has no integer or half kernel.
- results of LAPACK's factorizations (``inv``, ``cholesky``, ``solve``'s matrix solutions, ``eigh``'s
  vectors) are laid out column-major per matrix, the matrices one after another.
- a singular matrix is refused where an inverse is needed (``inv``, ``solve``: ``LinAlgError``), with
  the first zero pivot of LU with partial pivoting named (1-based); ``det`` of it is 0 and ``slogdet``
  gives sign 0 and log|det| = -inf.  A matrix that is not positive-definite makes ``cholesky`` raise,
  naming the order of the first leading minor that is not.  Batched inputs name the batch element.
- ``eigh`` reads one triangle only (``UPLO='L'`` by default): the other is never looked at.  Its
  eigenvalues are real and ascending (a promise); each eigenvector is determined only up to sign
  (phase, for complex) and, for a repeated eigenvalue, only its eigenspace is.
"""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from . import return_types
from ._autograd_hooks import record, record_unary
from ._layout import column_major
from ._reduction import _contiguous
from ._tensor import Tensor
from .autograd.graph import is_grad_enabled

__all__ = [
    "det",
    "slogdet",
    "inv",
    "solve",
    "cholesky",
    "eigh",
    "eigvalsh",
    "eig",
    "eigvals",
    "qr",
    "pinv",
    "lu_factor",
    "lu",
    "lu_solve",
]


def _no_out(fname: str, out) -> None:
    """``out=`` of the solvers and factorizations is not modelled (torch writes into it): refused by name."""
    if out is not None:
        raise NotImplementedError(f"linalg.{fname}(..., out=...) is not modelled by the reference")


def _LinAlgError():
    from .linalg import LinAlgError

    return LinAlgError


def _check_matrix(A, fname: str, *, low_precision: bool = True, kernel: str | None = None) -> None:
    """torch's checks, in order: a tensor of >= 2 dims, floating or complex, square; then the dtypes the
    kernel lacks (``kernel``: NotImplementedError naming it) or refuses (``low_precision=False``)."""
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_{fname}(): argument 'A' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError(f"linalg.{fname}: The input tensor A must have at least 2 dimensions.")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(
            f"linalg.{fname}: Expected a floating point or complex tensor as input. Got {A.dtype._torch_name}"
        )
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.{fname}: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices"
        )
    if A.dtype is D.float16:
        if kernel is not None:
            raise NotImplementedError(f"\"{kernel}\" not implemented for 'Half'")
        if not low_precision:
            raise RuntimeError(f"linalg.{fname}: Low precision dtypes not supported. Got Half")


def _batch_prefix(A: Tensor, index: tuple) -> str:
    """torch names the batch element (its flat index) of a batched input's failure."""
    if A.ndim <= 2:
        return ""
    return f"(Batch element {int(np.ravel_multi_index(index, A.shape[:-2]))}): "


def _swap_rows(u: np.ndarray, k: int, p, swap) -> None:
    """Exchange rows ``k`` and ``p`` (an index per batch element) in place where ``swap`` says so."""
    p, swap = np.asarray(p), np.asarray(swap)
    for index in np.ndindex(swap.shape):
        if swap[index]:
            q = int(p[index])
            u[index + (k,)], u[index + (q,)] = u[index + (q,)].copy(), u[index + (k,)].copy()


def _lu(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_rect_lu` of a batch of square matrices, with each permutation's sign in place of the pivots
    (a factor of -1 for every pivot that exchanged two rows)."""
    u, piv, info = _rect_lu(a)
    swaps = np.count_nonzero(piv != np.arange(1, piv.shape[-1] + 1, dtype=piv.dtype), axis=-1)
    return u, np.where(swaps % 2, -1, 1), info


def _singular_error(A: Tensor, fname: str, message) -> None:
    """Raise LinAlgError for the first singular matrix of ``A``: ``"<fname>: [(Batch element i): ]"`` and
    ``message(pivot)``."""
    a = A._data
    if a.size == 0:
        return
    info = _lu(a)[2]
    for index in np.ndindex(a.shape[:-2]):
        k = int(info[index])
        if k:
            raise _LinAlgError()(f"{fname}: " + _batch_prefix(A, index) + message(k))


def _solve_or_nan(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a^{-1} b`` for a backward formula; where ``a`` is exactly singular torch's triangular solves divide
    by zero, so the gradient is inf/NaN there rather than an error."""
    try:
        with np.errstate(all="ignore"):
            return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:]
        return np.full(shape, np.nan, dtype=np.result_type(a, b))


def _mH(t: Tensor) -> Tensor:
    from ._elementwise import _conj_tensor
    from ._shape import transpose

    return _conj_tensor(transpose(t, -2, -1))


def _as_matrix_scale(t: Tensor) -> Tensor:
    """A batch of scalars as a batch of 1x1 matrices (to scale matrices)."""
    from ._shape import unsqueeze

    return unsqueeze(unsqueeze(t, -1), -1)


# -- det and slogdet --------------------------------------------------------------------------------


def det(A: Tensor, *, out=None) -> Tensor:
    """``torch.linalg.det``: the determinant of each matrix (the product of LU's pivots with the
    permutation's sign); 1 for a 0x0 matrix, 0 for a singular one, NaN when an entry is NaN.

    Gradient (``LinalgDetBackward0``): ``conj(det) * g * A^{-H}`` (the cofactor matrix); where ``det`` is
    exactly 0 torch's first derivative is 0 (its LU solve is scaled by ``det``)."""
    _no_out("det", out)
    _check_matrix(A, "det", kernel="lu_cpu")
    lu, perm_sign, _ = _lu(A._data)
    with np.errstate(all="ignore"):
        d = np.prod(np.diagonal(lu, axis1=-2, axis2=-1), axis=-1) * perm_sign.astype(A._data.dtype)
    out = Tensor._wrap(_contiguous(d, A._data.dtype))

    def vjp(g: Tensor):
        from ._elementwise import _conj_tensor, mul

        if A.shape[-1] == 1:  # the cofactor of a 1 x 1 matrix is 1: the gradient is g itself (no graph to A)
            return _as_matrix_scale(g)
        singular = out._data == 0
        if singular.any():
            if is_grad_enabled():
                raise NotImplementedError(
                    "the second derivative of linalg.det at a singular matrix (torch switches to an SVD formula)"
                )
            safe = np.where(singular[..., None, None], np.eye(A.shape[-1], dtype=A._data.dtype), A._data)
            cof = inv(Tensor._wrap(safe))
            scale = Tensor._wrap(np.where(singular, 0, _conj_tensor(out)._data * g._data))
            return mul(_as_matrix_scale(scale), _mH(cof))
        return mul(_as_matrix_scale(mul(g, _conj_tensor(out))), _mH(inv(A)))

    return record_unary(out, A, "LinalgDetBackward0", vjp, saved=(A, out))


def slogdet(A: Tensor, *, out=None) -> return_types.linalg_slogdet:
    """``torch.linalg.slogdet``: ``(sign, logabsdet)`` with ``det = sign * exp(logabsdet)``; the sign is
    +-1 (a unit complex number for complex ``A``) and ``logabsdet`` real; a singular matrix gives
    ``(0, -inf)``.  Half is refused.

    Gradient (``LinalgSlogdetBackward0``): ``(g_logabsdet - i Im(conj(g_sign) sign)) A^{-H}`` (the sign's
    part only for complex ``A``); not defined at singular matrices."""
    _no_out("slogdet", out)
    _check_matrix(A, "slogdet", low_precision=False)
    lu, perm_sign, _ = _lu(A._data)
    diag = np.diagonal(lu, axis1=-2, axis2=-1)
    mag = np.abs(diag)
    with np.errstate(all="ignore"):
        unit = np.where(mag == 0, 0, diag / np.where(mag == 0, 1, mag))
        sign = np.prod(unit, axis=-1) * perm_sign
        logabs = np.sum(np.log(mag), axis=-1)
    real = A.dtype.to_real().np
    sign = np.where(np.isnan(logabs), 0, sign)  # a NaN pivot has sign 0 in torch's product of pivot signs
    Sign = Tensor._wrap(_contiguous(sign, A._data.dtype))
    Log = Tensor._wrap(_contiguous(logabs, real))

    def vjp(g_sign, g_log):
        from ._casting import cast
        from ._elementwise import _conj_tensor, imag, mul, sub

        if g_log is None and (g_sign is None or not A.dtype.is_complex):
            return (None,)
        g = cast(g_log, A.dtype) if g_log is not None else None
        if A.dtype.is_complex and g_sign is not None:
            turn = mul(imag(mul(_conj_tensor(g_sign), Sign)), 1j)
            g = sub(g, turn) if g is not None else mul(turn, -1)
        return (mul(_as_matrix_scale(g), _mH(inv(A))),)

    vjp.keep_missing = lambda: True  # a loss on the sign alone leaves a real A without a gradient (None)
    record((Sign, Log), (A,), "LinalgSlogdetBackward0", vjp, saved=(A, Sign))
    return return_types.linalg_slogdet(Sign, Log)


# -- inv and solve ----------------------------------------------------------------------------------


def inv(A: Tensor, *, out=None) -> Tensor:
    """``torch.linalg.inv``: the inverse of each matrix, column-major; a singular one raises LinAlgError
    naming LU's first zero pivot ("The diagonal element k is zero").  Half is refused; NaN entries give NaN.

    Gradient (``LinalgInvExBackward0``): ``-A^{-H} g A^{-H}``."""
    _no_out("inv", out)
    _check_matrix(A, "inv", low_precision=False)
    out = Tensor._wrap(column_major(_inverse_array(A)), True)

    def vjp(g: Tensor):
        from ._elementwise import neg
        from ._matmul import matmul

        return neg(matmul(_mH(out), matmul(g, _mH(out))))

    return record_unary(out, A, "LinalgInvExBackward0", vjp, saved=(out,))


def _inverse_array(A: Tensor) -> np.ndarray:
    a = A._data
    if a.size == 0:
        return np.zeros(a.shape, a.dtype)
    if not np.isfinite(a).all():  # LAPACK carries NaN through; NumPy's inv would too, but may warn
        with np.errstate(all="ignore"):
            return np.full(a.shape, np.nan, a.dtype) if np.isnan(a).any() else np.linalg.inv(a)
    _singular_error(
        A,
        "linalg.inv",
        lambda k: (
            f"The diagonal element {k} is zero, the inversion could not be completed because the input matrix "
            "is singular."
        ),
    )
    with np.errstate(all="ignore"):
        return np.linalg.inv(a)


def _vector_rhs(A: Tensor, B: Tensor) -> bool:
    """torch's rule for ``solve``: B is a batch of vectors when it is 1-d, or when it has one dim less
    than A and its shape is A's without the last dim."""
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve(A: Tensor, B: Tensor, *, left: bool = True, out=None) -> Tensor:
    """``torch.linalg.solve``: ``X`` with ``A X = B`` (``left=False``: ``X A = B``), batch dims broadcast.

    ``B`` is a vector (or a batch of them, see :func:`_vector_rhs`) or a matrix; A and B must have one
    dtype; a singular A raises LinAlgError.  A matrix solution is column-major (row-major for
    ``left=False``, the transpose of a column-major solve).

    Gradient (``LinalgSolveExBackward0``): ``gB = A^{-H} g`` and ``gA = -gB X^H`` (outer products for vectors)."""
    _no_out("solve", out)
    _check_matrix(A, "solve", kernel="lu_cpu")
    if not isinstance(B, Tensor):
        raise TypeError(f"linalg_solve(): argument 'B' must be Tensor, not {type(B).__name__}")
    if A.dtype is not B.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type {A.dtype._torch_name} and B "
            f"of type {B.dtype._torch_name} instead"
        )
    vector = _vector_rhs(A, B)  # decided before left is looked at: B then gets a column dim either way
    n = A.shape[-1]
    b = B._data[..., None] if vector else B._data
    if b.ndim < 2 or (b.shape[-2] if left else b.shape[-1]) != n:
        shape_b = f"{b.shape[-2]}x{b.shape[-1]}" if b.ndim >= 2 else f"{b.shape[-1]}x1"
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation {eq} ({n}x{n} and {shape_b})"
        )
    a = A._data if left else np.swapaxes(A._data, -1, -2)
    rhs = b if left else np.swapaxes(b, -1, -2)
    batch = np.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    rhs = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    if a.size == 0 or rhs.size == 0:
        x = np.zeros(batch + rhs.shape[-2:], A._data.dtype)
    else:
        _singular_error(
            Tensor._wrap(np.ascontiguousarray(a)),
            "torch.linalg.solve",
            lambda k: "The solver failed because the input matrix is singular.",
        )
        with np.errstate(all="ignore"):
            x = np.linalg.solve(a, rhs)
    if not left:
        x = np.swapaxes(x, -1, -2)
    if vector:  # a batch of vector solutions is laid out as the columns of one column-major matrix
        if x.ndim > 2:
            out = Tensor._wrap(column_major(x[..., 0]), True)
        else:
            out = Tensor._wrap(np.ascontiguousarray(x[..., 0]))
    elif left:
        out = Tensor._wrap(column_major(x), True)
    else:
        out = Tensor._wrap(np.ascontiguousarray(x))

    def vjp(g: Tensor):
        from ._elementwise import neg, sum_to
        from ._matmul import matmul
        from ._shape import unsqueeze

        gB = solve(_mH(A), g) if left else solve(_mH(A), g, left=False)
        if vector and not left:
            raise NotImplementedError("the gradient of linalg.solve(A, B, left=False) with a vector-like B")
        if vector:
            gA = neg(matmul(unsqueeze(gB, -1), _mH(unsqueeze(out, -1))))
        elif left:
            gA = neg(matmul(gB, _mH(out)))
        else:
            gA = neg(matmul(_mH(out), gB))
        return sum_to(gA, A.shape), sum_to(gB, B.shape)

    return record(out, (A, B), "LinalgSolveExBackward0", vjp, saved=(A, out))


# -- cholesky -----------------------------------------------------------------------------------------


def _not_positive_definite_order(a: np.ndarray) -> int:
    """The order of the first leading minor that is not positive-definite (LAPACK potrf's info), or 0:
    the unblocked Cholesky–Banachiewicz loop on the lower triangle."""
    m = np.tril(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64))
    n = m.shape[0]
    low = np.zeros_like(m)
    for j in range(n):
        d = m[j, j].real - np.sum(np.abs(low[j, :j]) ** 2)
        if not d > 0:
            return j + 1
        low[j, j] = np.sqrt(d)
        for i in range(j + 1, n):
            low[i, j] = (m[i, j] - np.sum(low[i, :j] * np.conj(low[j, :j]))) / low[j, j]
    return 0


def cholesky(input: Tensor, *, upper: bool = False, out=None) -> Tensor:
    """``torch.linalg.cholesky``: the lower-triangular ``L`` with ``A = L L^H`` (``upper=True``: ``U = L^H``),
    column-major.  Only the lower triangle of ``A`` is read (the upper one for ``upper=True``: the other
    may hold anything, NaN included).
    A matrix that is not positive-definite raises LinAlgError naming the order of the first leading
    minor that is not.  Half has no kernel.

    Gradient (``LinalgCholeskyExBackward0``), torch's (Murray 2016): with ``Phi = tril(L^H gL)`` made
    Hermitian from its lower triangle, ``gA = L^{-H} Phi L^{-1}``.  First order only in the reference."""
    _no_out("cholesky", out)
    A = input  # the documentation's A; the binding's keyword is input
    _check_matrix(A, "cholesky", kernel="cholesky_cpu")
    # upper=True factors the upper triangle (A = U^H U): the lower triangle of A^H, conjugated
    a = np.tril(np.conj(np.swapaxes(A._data, -1, -2)) if upper else A._data)
    herm = a + np.conj(np.swapaxes(np.tril(a, -1), -1, -2))  # the Hermitian matrix the read triangle defines
    if a.size == 0:
        low = np.zeros(a.shape, a.dtype)
    else:
        try:  # LAPACK's potrf; only where it fails is the failing minor looked for, one matrix at a time
            with np.errstate(all="ignore"):
                low = np.linalg.cholesky(herm)
            failed = ~np.isfinite(low).all(axis=(-2, -1))
        except np.linalg.LinAlgError:
            low, failed = None, np.ones(a.shape[:-2], dtype=bool)
        for index in np.ndindex(a.shape[:-2]):
            k = _not_positive_definite_order(a[index]) if failed[index] else 0
            if k:
                raise _LinAlgError()(
                    "linalg.cholesky: " + _batch_prefix(A, index) + "The factorization could not be completed because "
                    f"the input is not positive-definite (the leading minor of order {k} is not positive-definite)."
                )
        if low is None:  # LAPACK failed at rounding level where the float64 recurrence did not: refuse as it did
            raise NotImplementedError("linalg.cholesky of a matrix positive-definite only to within rounding")
    res = np.conj(np.swapaxes(low, -1, -2)) if upper else low
    out = Tensor._wrap(column_major(np.ascontiguousarray(res)), True)

    def vjp(g: Tensor):
        L = low.astype(np.complex128 if A.dtype.is_complex else np.float64)
        gL = g._data.astype(L.dtype)
        if upper:
            gL = np.conj(np.swapaxes(gL, -1, -2))
        phi = np.tril(np.conj(np.swapaxes(L, -1, -2)) @ gL)
        phi = 0.5 * (phi + np.conj(np.swapaxes(np.tril(phi, -1), -1, -2)))
        Lh = np.conj(np.swapaxes(L, -1, -2))
        gA = np.linalg.solve(Lh, phi)
        gA = np.swapaxes(np.linalg.solve(np.swapaxes(L, -1, -2), np.swapaxes(gA, -1, -2)), -1, -2)
        return Tensor._wrap(gA.astype(A._data.dtype))

    vjp.first_order_only = True
    return record_unary(out, A, "LinalgCholeskyExBackward0", vjp, saved=(out,))


# -- eigh and eigvalsh --------------------------------------------------------------------------------


def _check_uplo(UPLO, fname: str = "eigh") -> str:
    """One letter, either case: 'L' or 'U'."""
    if not isinstance(UPLO, str):
        raise TypeError(f"linalg_{fname}(): argument 'UPLO' must be str, not {type(UPLO).__name__}")
    if UPLO.upper() not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO.upper()


def _check_eigh(A, fname: str) -> None:
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_{fname}(): argument 'A' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError("linalg.eigh: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.eigh: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices"
        )
    if not (A.dtype.is_complex or A.dtype in (D.float32, D.float64)):
        raise NotImplementedError(f"\"linalg_eigh_cpu\" not implemented for '{A.dtype._torch_name}'")


def _eigh_arrays(A: Tensor, UPLO: str):
    a = A._data
    n = a.shape[-1]
    real = A.dtype.to_real().np
    if a.size == 0:
        return np.zeros(a.shape[:-1], real), np.zeros(a.shape, a.dtype)
    # the Hermitian matrix the read triangle defines: its strict part mirrored, the diagonal's real part
    strict = np.tril(a, -1) if UPLO == "L" else np.triu(a, 1)
    diagonal = np.diagonal(a, axis1=-2, axis2=-1).real
    herm = strict + np.conj(np.swapaxes(strict, -1, -2)) + np.eye(n) * diagonal[..., None, :]
    try:
        w, v = np.linalg.eigh(herm.astype(a.dtype))
    except np.linalg.LinAlgError:
        raise _LinAlgError()(
            "linalg.eigh: The algorithm failed to converge because the input matrix is ill-conditioned or has too "
            "many repeated eigenvalues (error code: LAPACK's)."
        ) from None
    return w.astype(real), v


def eigh(input: Tensor, UPLO: str = "L", *, out=None) -> return_types.linalg_eigh:
    """``torch.linalg.eigh``: ``(eigenvalues, eigenvectors)`` of the Hermitian matrix the ``UPLO`` triangle
    of ``A`` defines (the diagonal's imaginary part is ignored).  Eigenvalues are real and ascending;
    eigenvectors are the (column-major) columns of ``V`` with ``A = V diag(w) V^H``, each determined only
    up to sign or phase.  No integer or half kernel (NotImplementedError).

    Gradient (``LinalgEighBackward0``), torch's: ``V (diag(gw) + skew(V^H gV) / E) V^H`` with
    ``E_ij = w_j - w_i``; infinite at repeated eigenvalues, and refused for complex losses that depend on
    the eigenvectors' phases.  First order only in the reference."""
    _no_out("eigh", out)
    A = input  # the documentation's A; the binding's keyword is input
    UPLO = _check_uplo(UPLO)
    _check_eigh(A, "eigh")
    w, v = _eigh_arrays(A, UPLO)
    W, V = Tensor._wrap(np.ascontiguousarray(w)), Tensor._wrap(column_major(v), True)
    record((W, V), (A,), "LinalgEighBackward0", _eigh_vjp(A, w, v), saved=(W, V))
    return return_types.linalg_eigh(W, V)


def eigvalsh(input: Tensor, UPLO: str = "L", *, out=None) -> Tensor:
    """``torch.linalg.eigvalsh``: the eigenvalues of :func:`eigh`, ascending (its gradient needs the
    eigenvectors, which are computed when a gradient is recorded)."""
    _no_out("eigvalsh", out)
    A = input  # the documentation's A; the binding's keyword is input
    UPLO = _check_uplo(UPLO, "eigvalsh")
    _check_eigh(A, "eigvalsh")
    w, v = _eigh_arrays(A, UPLO)
    W = Tensor._wrap(np.ascontiguousarray(w))
    vjp = _eigh_vjp(A, w, v)
    values_vjp = lambda gw: vjp(gw, None)[0]  # noqa: E731
    values_vjp.first_order_only = True
    return record_unary(W, A, "LinalgEighBackward0", values_vjp, saved=(W,))


def _eigh_vjp(A: Tensor, w: np.ndarray, v: np.ndarray):
    def vjp(gW, gV):
        cdt = np.complex128 if A.dtype.is_complex else np.float64
        V = v.astype(cdt)
        Vh = np.conj(np.swapaxes(V, -1, -2))
        n = w.shape[-1]
        gw = gW._data.astype(np.float64) if gW is not None else None
        if gV is None:
            inner = np.zeros(w.shape + (n,), cdt)
        else:
            VhgV = Vh @ gV._data.astype(cdt)
            if A.dtype.is_complex:
                im = np.imag(np.diagonal(VhgV, axis1=-2, axis2=-1))
                if not np.allclose(im, 0, rtol=1e-2, atol=1e-2):
                    raise RuntimeError(
                        "linalg_eigh_backward: The eigenvectors in the complex case are specified up to "
                        "multiplication by e^{i phi}. The specified loss function depends on this quantity, so it "
                        "is ill-defined."
                    )
            VhgV = 0.5 * (VhgV - np.conj(np.swapaxes(VhgV, -1, -2)))
            E = w[..., None, :].astype(np.float64) - w[..., :, None]
            idx = np.arange(n)
            E[..., idx, idx] = 1.0
            with np.errstate(divide="ignore", invalid="ignore"):
                inner = VhgV / E
        if gw is not None:
            idx = np.arange(n)
            inner = np.array(inner)
            inner[..., idx, idx] = gw
        gA = V @ inner @ Vh
        return (Tensor._wrap(gA.astype(A._data.dtype)),)

    vjp.first_order_only = True
    vjp.keep_missing = lambda: True  # an unused output leaves its term out (torch: undefined, not zeros)
    return vjp


# -- eig and eigvals ----------------------------------------------------------------------------------


def _check_eig(A, fname: str) -> None:
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_{fname}(): argument 'input' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError(f"linalg.{fname}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.{fname}: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} "
            "matrices"
        )
    if not (A.dtype.is_floating_point or A.dtype.is_complex):  # torch asks for its complex twin first
        raise RuntimeError(f"Unknown Complex ScalarType for {A.dtype._torch_name}")
    if A.dtype is D.float16:
        raise NotImplementedError("\"linalg_eig_out_cpu\" not implemented for 'Half'")


def _eig_arrays(A: Tensor):
    """LAPACK geev's eigenvalues and unit-norm eigenvectors (in geev's order), always complex."""
    a = A._data
    cdt = A.dtype.to_complex().np
    if a.size == 0:
        return np.zeros(a.shape[:-1], cdt), np.zeros(a.shape, cdt)
    w, v = np.linalg.eig(a)
    return w.astype(cdt), v.astype(cdt)


def eig(input: Tensor, *, out=None) -> return_types.linalg_eig:
    """``torch.linalg.eig``: ``(eigenvalues, eigenvectors)`` with ``A V = V diag(w)``, always complex (a
    real matrix's complex eigenvalues come in conjugate pairs); eigenvectors column-major, each of unit
    norm.  **Free:** the order of the eigenvalues (LAPACK geev's, not sorted) and each eigenvector's phase.
    A NaN or infinite entry is refused; integers have no complex twin; half has no kernel.

    Gradient (``LinalgEigBackward0``), torch's: ``V^{-H} (diag(gw) + (V^H gV - V^H V Re(diag(V^H gV))) /
    conj(E)) V^H`` with ``E_ij = w_j - w_i``; refused for losses that depend on the eigenvectors' phases,
    infinite at repeated eigenvalues; the real part for a real ``A``.  First order only in the reference."""
    A = input  # the documentation's A; the binding's keyword is input
    _no_out("eig", out)
    _check_eig(A, "eig")
    if A._data.size and not np.isfinite(A._data).all():
        raise RuntimeError("torch.linalg.eig: input tensor should not contain infs or NaNs.")
    w, v = _eig_arrays(A)
    W, V = Tensor._wrap(np.ascontiguousarray(w)), Tensor._wrap(column_major(v), True)
    record((W, V), (A,), "LinalgEigBackward0", _eig_vjp(A, w, v), saved=(W, V))
    return return_types.linalg_eig(W, V)


def eigvals(input: Tensor, *, out=None) -> Tensor:
    """``torch.linalg.eigvals``: the eigenvalues of :func:`eig`, complex and in geev's order (unlike
    :func:`eig`, a non-finite entry is not refused: LAPACK's result is returned)."""
    A = input  # the documentation's A; the binding's keyword is input
    _no_out("eigvals", out)
    _check_eig(A, "eigvals")
    if A._data.size and not np.isfinite(A._data).all():
        raise NotImplementedError("linalg.eigvals of a matrix with NaN or infinite entries (LAPACK-defined values)")
    w, v = _eig_arrays(A)
    W = Tensor._wrap(np.ascontiguousarray(w))
    vjp = _eig_vjp(A, w, v)
    values_vjp = lambda gw: vjp(gw, None)[0]  # noqa: E731
    values_vjp.first_order_only = True
    return record_unary(W, A, "LinalgEigBackward0", values_vjp, saved=(W,))


def _eig_vjp(A: Tensor, w: np.ndarray, v: np.ndarray):
    def vjp(gW, gV):
        V = v.astype(np.complex128)
        Vh = np.conj(np.swapaxes(V, -1, -2))
        L = w.astype(np.complex128)
        n = L.shape[-1]
        idx = np.arange(n)
        if gV is None:
            ret = np.zeros(L.shape + (n,), np.complex128)
        else:
            VhgV = Vh @ gV._data.astype(np.complex128)
            diag = np.diagonal(VhgV, axis1=-2, axis2=-1)
            if not np.allclose(diag.imag, 0, rtol=1e-2, atol=1e-2):
                raise RuntimeError(
                    "linalg_eig_backward: The eigenvectors in the complex case are specified up to multiplication "
                    "by e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined."
                )
            VhgV = VhgV - Vh @ (V * diag.real[..., None, :])
            Econj = np.conj(L[..., None, :] - L[..., :, None])
            Econj[..., idx, idx] = 1.0
            with np.errstate(divide="ignore", invalid="ignore"):
                ret = VhgV / Econj
        if gW is not None:
            ret = np.array(ret)
            ret[..., idx, idx] = gW._data.astype(np.complex128)
        with np.errstate(all="ignore"):
            gA = np.linalg.solve(Vh, ret @ Vh) if n else np.zeros(A.shape, np.complex128)
        if not A.dtype.is_complex:
            gA = gA.real  # the gradient of a real input is the real part (torch's handle_r_to_c)
        return (Tensor._wrap(gA.astype(A._data.dtype)),)

    vjp.first_order_only = True
    vjp.keep_missing = lambda: True  # an unused output leaves its term out (torch: undefined, not zeros)
    return vjp


# -- qr -------------------------------------------------------------------------------------------


def _check_qr(A, mode) -> None:
    if not isinstance(mode, str):
        raise TypeError(f"linalg_qr(): argument 'mode' must be str, not {type(mode).__name__}")
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'"
        )
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_qr(): argument 'A' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError("linalg.qr: The input tensor A must have at least 2 dimensions.")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(
            f"linalg.qr: Expected a floating point or complex tensor as input. Got {A.dtype._torch_name}"
        )
    if A.dtype is D.float16:
        raise NotImplementedError("\"geqrf_cpu\" not implemented for 'Half'")


def qr(A: Tensor, mode: str = "reduced", *, out=None) -> return_types.linalg_qr:
    """``torch.linalg.qr``: ``A = Q R`` with ``Q`` orthonormal columns and ``R`` upper triangular, by
    Householder reflections (LAPACK geqrf + orgqr), both column-major.

    ``mode='reduced'``: ``Q (m, k)``, ``R (k, n)`` with ``k = min(m, n)``; ``'complete'``: ``Q (m, m)``,
    ``R (m, n)``; ``'r'``: ``R`` alone, ``Q`` an empty tensor.  **Free:** the sign (phase) of each of
    ``Q``'s columns with the matching row of ``R`` (LAPACK's reflections make ``R``'s diagonal of either
    sign), and the columns of a complete ``Q`` beyond ``n``; for a rank-deficient ``A``, more.

    Gradient (``LinalgQrBackward0``), torch's: for ``m >= n``, ``(gQ + Q sym(triu(gR R^H - Q^H gQ)))
    R^{-H}`` with ``sym(X) = X + X^H`` halving the real diagonal; wide ``A`` splits into ``[X | Y]``.
    Refused for ``mode='r'`` and for a complete tall ``Q``.  First order only in the reference."""
    _no_out("qr", out)
    _check_qr(A, mode)
    a = A._data
    m, n = a.shape[-2:]
    k = min(m, n)
    if a.size == 0:
        q = np.zeros(a.shape[:-2] + (m, m if mode == "complete" else k), a.dtype)
        q[..., np.arange(min(q.shape[-2:])), np.arange(min(q.shape[-2:]))] = 1 if mode == "complete" else 0
        r = np.zeros(a.shape[:-2] + ((m if mode == "complete" else k), n), a.dtype)
    else:
        q, r = np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
    R = Tensor._wrap(column_major(np.asarray(r, a.dtype)), True)
    Q = (
        Tensor._wrap(np.zeros((0,), a.dtype))
        if mode == "r"
        else Tensor._wrap(column_major(np.asarray(q, a.dtype)), True)
    )
    record((Q, R), (A,), "LinalgQrBackward0", _qr_vjp(A, np.asarray(q), np.asarray(r), mode), saved=(Q, R))
    return return_types.linalg_qr(Q, R)


def _qr_vjp(A: Tensor, q: np.ndarray, r: np.ndarray, mode: str):
    def mH(x):
        return np.conj(np.swapaxes(x, -1, -2))

    def sym(x):  # X + X^H with the real part of the diagonal halved
        ret = x + mH(x)
        idx = np.arange(ret.shape[-1])
        ret[..., idx, idx] = (
            ret[..., idx, idx].real / 2 + 1j * ret[..., idx, idx].imag
            if np.iscomplexobj(ret)
            else (ret[..., idx, idx] / 2)
        )
        return ret

    def solve_right_upper_h(b, upper):  # b upper^{-H}: solve X upper^H = b
        return np.swapaxes(_solve_or_nan(np.conj(upper), np.swapaxes(b, -1, -2)), -1, -2)

    def vjp(gQ, gR):
        m, n = A.shape[-2:]
        if mode == "r":
            raise RuntimeError(
                "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
                "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr."
            )
        if mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
        cdt = np.complex128 if A.dtype.is_complex else np.float64
        Q, R = q.astype(cdt), r.astype(cdt)
        gq = None if gQ is None else gQ._data.astype(cdt)
        gr = None if gR is None else gR._data.astype(cdt)
        if m >= n:
            X = np.zeros(R.shape[:-2] + (n, n), cdt)
            if gr is not None:
                X = X + gr @ mH(R)
            if gq is not None:
                X = X - mH(Q) @ gq
            B = Q @ sym(np.triu(X))
            if gq is not None:
                B = B + gq
            with np.errstate(all="ignore"):
                gA = solve_right_upper_h(B, R)
        else:
            U = R[..., :, :m]
            Y = A._data.astype(cdt)[..., :, m:]
            gU = gr[..., :, :m] if gr is not None else None
            gV = gr[..., :, m:] if gr is not None else None
            gq2 = gq if gq is not None else np.zeros(Q.shape, cdt)
            if gV is not None:
                gq2 = gq2 + Y @ mH(gV)
            X = (gU @ mH(U) if gU is not None else 0) - mH(Q) @ gq2
            with np.errstate(all="ignore"):
                gX = solve_right_upper_h(Q @ sym(np.triu(X)) + gq2, U)
            gY = Q @ gV if gV is not None else np.zeros(Y.shape, cdt)
            gA = np.concatenate([gX, gY], axis=-1)
        return (Tensor._wrap(gA.astype(A._data.dtype)),)

    vjp.first_order_only = True
    vjp.keep_missing = lambda: True  # an unused output leaves its term out (torch: undefined, not zeros)
    return vjp


# -- pinv -------------------------------------------------------------------------------------------


def _tolerance_value(value, name: str):
    """``atol``/``rtol`` as torch accepts them: None, a number, or a tensor (broadcast over the batch)."""
    if value is None or isinstance(value, Tensor):
        return None if value is None else value._data
    if not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"linalg_pinv(): argument '{name}' must be float, not {type(value).__name__}")
    return np.asarray(float(value))


def pinv(input: Tensor, rcond=None, hermitian: bool = False, *, atol=None, rtol=None, out=None) -> Tensor:
    """``torch.linalg.pinv``: the Moore-Penrose pseudo-inverse ``V diag(1/s) U^H``, keeping only singular
    values ``s > max(atol, rtol * s_max)`` (the others count as 0).  Without either, ``rtol`` is
    ``eps * max(m, n)``; with only ``atol > 0``, ``rtol`` is 0.  ``hermitian=True`` uses eigh of the
    lower triangle instead (``|w|`` for the singular values).  ``pinv(A, rcond, hermitian)``, the older
    positional overload, reads ``rcond`` as ``rtol``.  Unique (no gauge): compared elementwise,
    to the condition number of the kept part.  Float32/64 and complex only, at least 2-d.

    Gradient (``LinalgPinvBackward0``), torch's ``pinv_backward`` in reference ops (differentiable again)."""
    A = input  # the documentation's A; the binding's keyword is input
    _no_out("pinv", out)
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_pinv(): argument 'input' must be Tensor, not {type(A).__name__}")
    if not (A.dtype.is_complex or A.dtype in (D.float32, D.float64)) or A.ndim < 2:
        raise RuntimeError(
            f"linalg.pinv({A.dtype._torch_name}{{{list(A.shape)}}}): expected a tensor with 2 or more dimensions of "
            "float, double, cfloat or cdouble types"
        )
    if rcond is not None:  # the older overload: rcond is rtol
        if rtol is not None:
            raise TypeError("linalg_pinv(): rcond and rtol cannot both be given")
        rtol = rcond
    if hermitian and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.eigh: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices"
        )
    a = A._data
    m, n = a.shape[-2:]
    real = A.dtype.to_real().np
    atol_v, rtol_v = _tolerance_value(atol, "atol"), _tolerance_value(rtol, "rtol")
    zero = np.zeros((), real)
    if rtol_v is None:
        default = np.asarray(np.finfo(real).eps * max(m, n), real)
        rtol_v = default if atol_v is None else np.where(atol_v > 0, zero, default)
    atol_v = zero if atol_v is None else atol_v
    if a.size == 0:
        res = np.zeros(a.shape[:-2] + (n, m), a.dtype)
    else:
        if np.isnan(a).any() and not hermitian:
            from .linalg import _check_input

            _check_input(A, "linalg.svd")
        with np.errstate(all="ignore"):
            if hermitian:
                w, u = _eigh_arrays(A, "L")
                s_abs = np.abs(w)
                tol = np.maximum(
                    np.asarray(atol_v)[..., None], np.asarray(rtol_v)[..., None] * s_abs.max(-1, keepdims=True)
                )
                inv_s = np.where(s_abs > tol, 1 / np.where(w == 0, 1, w), 0).astype(a.dtype)
                res = (u * inv_s[..., None, :]) @ np.conj(np.swapaxes(u, -1, -2))
            else:
                u, s, vh = np.linalg.svd(a, full_matrices=False)
                s = s.astype(real)
                tol = np.maximum(np.asarray(atol_v)[..., None], np.asarray(rtol_v)[..., None] * s[..., :1])
                inv_s = np.where(s > tol, 1 / np.where(s == 0, 1, s), 0).astype(a.dtype)
                res = (np.conj(np.swapaxes(vh, -1, -2)) * inv_s[..., None, :]) @ np.conj(np.swapaxes(u, -1, -2))
    out_t = Tensor._wrap(np.ascontiguousarray(np.asarray(res, a.dtype)))

    def vjp(g: Tensor):
        from ._elementwise import add, neg, sub
        from ._matmul import matmul

        P, Ph, gh = out_t, _mH(out_t), _mH(g)
        if m <= n:
            K = matmul(gh, P)
            KPh = matmul(K, Ph)
            terms = (
                neg(_mH(matmul(P, K))),
                KPh,
                neg(matmul(matmul(A, P), KPh)),
                matmul(matmul(Ph, P), sub(gh, matmul(K, A))),
            )
        else:
            K = matmul(P, gh)
            PhK = matmul(Ph, K)
            terms = (
                neg(_mH(matmul(K, P))),
                matmul(matmul(sub(gh, matmul(A, K)), P), Ph),
                PhK,
                neg(matmul(matmul(PhK, P), A)),
            )
        total = terms[0]
        for t in terms[1:]:
            total = add(total, t)
        return total

    return record_unary(out_t, A, "LinalgPinvBackward0", vjp, saved=(A, out_t))


# -- lu_factor, lu and lu_solve ---------------------------------------------------------------------


def _check_lu(A, fname: str, pivot) -> None:
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_{fname}(): argument 'A' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError(
            f"torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: {list(A.shape)} instead"
            if fname == "lu_factor"
            else f"linalg.lu: Expected tensor with 2 or more dimensions. Got size: {list(A.shape)} instead"
        )
    if not (A.dtype.is_complex or A.dtype in (D.float32, D.float64)):
        raise NotImplementedError(f"\"lu_cpu\" not implemented for '{A.dtype._torch_name}'")
    if not pivot:
        raise RuntimeError(f"linalg.{fname}: LU without pivoting is not implemented on the CPU")


def _rect_lu(a: np.ndarray):
    """LU with partial pivoting of a batch of ``m x n`` matrices, in their own precision, as LAPACK's getrf
    decides: the pivot is the largest ``|re| + |im|`` in the column (the first on ties); a zero pivot is
    skipped (its column is not scaled) and recorded.  A row equal to the pivot row gets the multiplier 1
    exactly, so a matrix with two equal rows meets an exact zero pivot.

    Returns the combined ``L\\U`` factors, LAPACK's 1-based pivots (row i was swapped with row
    pivots[i]) and ``info``: the 1-based index of the first zero pivot (0 if none)."""
    u = np.array(a)
    batch, (m, n) = u.shape[:-2], u.shape[-2:]
    k = min(m, n)
    piv = np.zeros(batch + (k,), np.int32)
    info = np.zeros(batch, np.int64)
    for j in range(k):
        col = u[..., j:, j]
        p = j + np.argmax(np.abs(col.real) + np.abs(col.imag), axis=-1)
        piv[..., j] = p + 1
        _swap_rows(u, j, p, p != j)
        pivot = u[..., j, j]
        zero = pivot == 0
        info = np.where(zero & (info == 0), j + 1, info)
        below = u[..., j + 1 :, j]
        with np.errstate(all="ignore"):
            mult = np.where(below == pivot[..., None], 1, below / np.where(zero, 1, pivot)[..., None])
        mult = np.where(zero[..., None], below, mult).astype(u.dtype)
        u[..., j + 1 :, j] = mult
        u[..., j + 1 :, j + 1 :] -= np.where(zero[..., None, None], 0, mult[..., :, None] * u[..., j, None, j + 1 :])
    return u, piv, info


def _permutation(piv: np.ndarray, m: int, dtype) -> np.ndarray:
    """P with A = P L U from LAPACK's sequential row swaps (the swaps applied to the identity's rows, then
    transposed: P^T A = L U)."""
    perm = np.broadcast_to(np.arange(m), piv.shape[:-1] + (m,)).copy()
    for j in range(piv.shape[-1]):
        p = piv[..., j].astype(np.int64) - 1
        a, b = perm[..., j].copy(), np.take_along_axis(perm, p[..., None], -1)[..., 0]
        perm[..., j] = b
        np.put_along_axis(perm, p[..., None], a[..., None], -1)
    P = np.zeros(piv.shape[:-1] + (m, m), dtype)
    np.put_along_axis(P, perm[..., None, :], 1, -2)  # column i of P has its 1 at row perm[i]
    return P


def lu_factor(A: Tensor, *, pivot: bool = True, out=None) -> return_types.linalg_lu_factor:
    """``torch.linalg.lu_factor``: ``(LU, pivots)``, LU with partial pivoting packed as LAPACK's getrf gives
    it (``L``'s unit diagonal implied, column-major) and the 1-based ``int32`` row swaps.  Any ``m x n``
    shape.  An exactly zero pivot is refused (``U[k,k] is zero``: lu_solve would divide by it).

    Gradient (``LinalgLuFactorExBackward0``): :func:`lu`'s, through the packed factors."""
    _no_out("lu_factor", out)
    _check_lu(A, "lu_factor", pivot)
    lu_, piv, info = _rect_lu(A._data)
    for index in np.ndindex(info.shape):
        k = int(info[index])
        if k:
            raise RuntimeError(
                "torch.linalg.lu_factor: " + _batch_prefix(A, index) + f"U[{k},{k}] is zero and using it on "
                "lu_solve would result in a division by zero. If you still want to perform the factorization, "
                "consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
            )
    LU = Tensor._wrap(column_major(lu_), True)
    Piv = Tensor._wrap(np.ascontiguousarray(piv))
    P = _permutation(piv, A.shape[-2], A._data.dtype)
    m, n = A.shape[-2:]
    k = min(m, n)
    L = np.tril(lu_[..., :, :k], -1) + np.eye(m, k, dtype=lu_.dtype)
    U = np.triu(lu_[..., :k, :])
    vjp = _lu_vjp(A, P, L, U)

    def packed_vjp(gLU):  # the pivots are integers: only LU carries a gradient
        g = gLU._data
        return vjp(None, Tensor._wrap(np.tril(g[..., :, :k], -1)), Tensor._wrap(np.triu(g[..., :k, :])))[0]

    packed_vjp.first_order_only = True
    record_unary(LU, A, "LinalgLuFactorExBackward0", packed_vjp, saved=(LU,))
    return return_types.linalg_lu_factor(LU, Piv)


def lu(A: Tensor, *, pivot: bool = True, out=None) -> return_types.linalg_lu:
    """``torch.linalg.lu``: ``(P, L, U)`` with ``A = P L U``, ``L`` unit lower-triangular ``(m, k)``, ``U``
    upper-triangular ``(k, n)``, ``P`` a permutation matrix in ``A``'s dtype, all row-major.  A zero pivot
    is not refused (``U`` simply has a zero on its diagonal).

    Gradient (``LinalgLuBackward0``, none for ``P``), torch's: for square ``A``,
    ``P L^{-H} (tril(L^H gL, -1) + triu(gU U^H)) U^{-H}``; wide and tall ``A`` split off their extra
    columns or rows.  First order only in the reference."""
    _no_out("lu", out)
    _check_lu(A, "lu", pivot)
    m, n = A.shape[-2:]
    k = min(m, n)
    lu_, piv, _ = _rect_lu(A._data)
    P = _permutation(piv, m, A._data.dtype)
    L = np.tril(lu_[..., :, :k], -1) + np.eye(m, k, dtype=lu_.dtype)
    U = np.triu(lu_[..., :k, :])
    Pt, Lt, Ut = (Tensor._wrap(np.ascontiguousarray(x)) for x in (P, L, U))
    vjp = _lu_vjp(A, P, L, U)
    factors_vjp = lambda gL, gU: vjp(None, gL, gU)  # noqa: E731  (P is not differentiable)
    factors_vjp.first_order_only = True
    record((Lt, Ut), (A,), "LinalgLuBackward0", factors_vjp, saved=(Pt, Lt, Ut))
    return return_types.linalg_lu(Pt, Lt, Ut)


def _lu_vjp(A: Tensor, P: np.ndarray, L: np.ndarray, U: np.ndarray):
    def mH(x):
        return np.conj(np.swapaxes(x, -1, -2))

    def solve_upper_right_h(b, upper):  # X upper^H = b
        return mH(_solve_or_nan(upper, mH(b)))

    def vjp(_gP, gL, gU):
        m, n = A.shape[-2:]
        k = min(m, n)
        cdt = np.complex128 if A.dtype.is_complex else np.float64
        Lc, Uc, Pc = L.astype(cdt), U.astype(cdt), P.astype(cdt)
        gl = np.zeros(L.shape, cdt) if gL is None else gL._data.astype(cdt)
        gu = np.zeros(U.shape, cdt) if gU is None else gU._data.astype(cdt)
        with np.errstate(all="ignore"):
            if m == n:
                phi = np.tril(mH(Lc) @ gl, -1) + np.triu(gu @ mH(Uc))
                gA = Pc @ _solve_or_nan(mH(Lc), solve_upper_right_h(phi, Uc))
            elif m < n:  # A = P L [U1 | U2]
                U1, U2 = Uc[..., :, :k], Uc[..., :, k:]
                gU1, gU2 = gu[..., :, :k], gu[..., :, k:]
                phi = np.tril(mH(Lc) @ gl - gU2 @ mH(U2), -1) + np.triu(gU1 @ mH(U1))
                g1 = Pc @ _solve_or_nan(mH(Lc), solve_upper_right_h(phi, U1))
                g2 = Pc @ _solve_or_nan(mH(Lc), gU2)
                gA = np.concatenate([g1, g2], axis=-1)
            else:  # A = P [L1; L2] U
                L1, L2 = Lc[..., :k, :], Lc[..., k:, :]
                gL1, gL2 = gl[..., :k, :], gl[..., k:, :]
                phi = np.tril(mH(L1) @ gL1, -1) + np.triu(gu @ mH(Uc) - mH(L2) @ gL2)
                g1 = _solve_or_nan(mH(L1), solve_upper_right_h(phi, Uc))
                g2 = solve_upper_right_h(gL2, Uc)
                gA = Pc @ np.concatenate([g1, g2], axis=-2)
        return (Tensor._wrap(gA.astype(A._data.dtype)),)

    vjp.first_order_only = True
    return vjp


def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False, out=None) -> Tensor:
    """``torch.linalg.lu_solve``: ``X`` with ``A X = B`` for ``A = P L U`` given as :func:`lu_factor`'s
    ``(LU, pivots)``; ``adjoint=True`` solves ``A^H X = B``, ``left=False`` solves ``X A = B`` (or
    ``X A^H = B``).  ``B`` must be a matrix (no vector form) of ``LU``'s dtype; the pivots ``int32``.
    The solution is column-major (row-major for ``left=False``).

    Gradient (``LinalgLuSolveBackward0``): ``gB = A^{-H} gX`` (transposed accordingly) and, through
    ``gA = -gB X^H``, ``gLU = tril(P^H gA U^H, -1) + triu(L^H P^H gA)``.  First order only."""
    _no_out("lu_solve", out)
    for name, t in (("LU", LU), ("pivots", pivots), ("B", B)):
        if not isinstance(t, Tensor):
            raise TypeError(f"linalg_lu_solve(): argument '{name}' must be Tensor, not {type(t).__name__}")
    if B.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    if LU.ndim < 2 or LU.shape[-1] != LU.shape[-2]:
        raise RuntimeError(
            "torch.linalg.lu_solve: A must be batches of square matrices, but they are "
            f"{LU.shape[-2] if LU.ndim >= 2 else 1} by {LU.shape[-1]} matrices"
        )
    if not (LU.dtype.is_floating_point or LU.dtype.is_complex):
        raise RuntimeError(
            f"torch.linalg.lu_solve: Expected a floating point or complex tensor as input. Got {LU.dtype._torch_name}"
        )
    if LU.dtype is D.float16:
        raise NotImplementedError("\"linalg.lu_solve_cpu\" not implemented for 'Half'")
    if pivots.dtype is not D.int32:
        raise RuntimeError("linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32")
    if pivots.ndim == 0 or pivots.shape[-1] != LU.shape[-1]:
        raise RuntimeError("linalg.lu_solve: Number of pivots per batch should be same as the dimension of the matrix")
    if tuple(pivots.shape) != tuple(LU.shape[:-1]):
        raise RuntimeError(
            "linalg.lu_solve: Expected LU.shape[:-1] and pivots.shape to be the same, but got pivots with shape "
            f"{list(pivots.shape)} instead"
        )
    if pivots._data.size and pivots._data.min() < 1:
        raise RuntimeError(
            "Pivots given to lu_solve must all be greater or equal to 1. Did you properly pass the result of lu_factor?"
        )
    if pivots._data.size and pivots._data.max() > LU.shape[-2]:
        raise RuntimeError(
            "Pivots given to lu_solve must all be smaller or equal to LU.size(-2). Did you properly pass the result "
            "of lu_factor?"
        )
    if LU._data.size and np.any(np.diagonal(LU._data, axis1=-2, axis2=-1) == 0):
        raise NotImplementedError(
            "linalg.lu_solve with a zero on U's diagonal (torch's triangular solves give inf/NaN)"
        )
    if LU.dtype is not B.dtype:
        raise RuntimeError(
            f"linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type {LU.dtype._torch_name} "
            f"and B of type {B.dtype._torch_name} instead"
        )
    n = LU.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.lu_solve: Incompatible shapes of A and B for the equation {eq} ({n}x{n} and "
            f"{B.shape[-2]}x{B.shape[-1]})"
        )
    lu_ = LU._data
    P = _permutation(pivots._data, n, lu_.dtype)
    L = np.tril(lu_, -1) + np.eye(n, dtype=lu_.dtype)
    U = np.triu(lu_)
    Afull = P @ L @ U
    op = np.conj(np.swapaxes(Afull, -1, -2)) if adjoint else Afull
    b = B._data
    with np.errstate(all="ignore"):
        if left:
            batch = np.broadcast_shapes(op.shape[:-2], b.shape[:-2])
            x = np.linalg.solve(np.broadcast_to(op, batch + op.shape[-2:]), np.broadcast_to(b, batch + b.shape[-2:]))
        else:  # X op = B  <=>  op^T X^T = B^T
            opt = np.swapaxes(op, -1, -2)
            bt = np.swapaxes(b, -1, -2)
            batch = np.broadcast_shapes(opt.shape[:-2], bt.shape[:-2])
            x = np.swapaxes(
                np.linalg.solve(
                    np.broadcast_to(opt, batch + opt.shape[-2:]), np.broadcast_to(bt, batch + bt.shape[-2:])
                ),
                -1,
                -2,
            )
    x = np.asarray(x, lu_.dtype) if x.size else np.zeros(x.shape, lu_.dtype)
    out_t = Tensor._wrap(column_major(x), True) if left else Tensor._wrap(np.ascontiguousarray(x))

    def vjp(gX: Tensor):
        from ._elementwise import sum_to

        def mH(a):
            return np.conj(np.swapaxes(a, -1, -2))

        cdt = np.complex128 if LU.dtype.is_complex else np.float64
        g = gX._data.astype(cdt)
        Ac, X = Afull.astype(cdt), x.astype(cdt)
        opc = mH(Ac) if adjoint else Ac
        with np.errstate(all="ignore"):
            if left:  # op X = B
                gB = np.linalg.solve(mH(opc), g)
                g_op = -gB @ mH(X)
            else:  # X op = B
                gB = mH(np.linalg.solve(opc, mH(g)))
                g_op = -mH(X) @ gB
        gA = mH(g_op) if adjoint else g_op
        Pc, Lc, Uc = P.astype(cdt), L.astype(cdt), U.astype(cdt)
        PgA = mH(Pc) @ gA
        gLU = np.tril(PgA @ mH(Uc), -1) + np.triu(mH(Lc) @ PgA)
        gLU_t = sum_to(Tensor._wrap(gLU.astype(lu_.dtype)), LU.shape)
        gB_t = sum_to(Tensor._wrap(gB.astype(lu_.dtype)), B.shape)
        return gLU_t, None, gB_t

    vjp.first_order_only = True
    return record(out_t, (LU, pivots, B), "LinalgLuSolveBackward0", vjp, saved=(LU, out_t))
