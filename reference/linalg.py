"""torch.linalg subset: svd, svdvals (and the legacy ``torch.svd``, defined here as :func:`svd_legacy`).

Conventions (torch's):
- ``A = U @ diag(S) @ Vh`` with ``S`` real, non-negative and descending, over
  any number of leading batch dims.  ``k = min(m, n)``.
- ``linalg.svd(A, full_matrices=True)`` returns ``U (m, m)``, ``S (k,)``,
  ``Vh (n, n)``; with ``full_matrices=False``, ``U (m, k)`` and ``Vh (k, n)``.
- ``torch.svd(A, some=True)`` returns ``V`` (not ``Vh``): ``V = Vh.mH``;
  ``some=False`` gives the full ``U`` and ``V``; ``compute_uv=False`` returns
  zero-filled ``U (m, m)`` and ``V (n, n)`` whatever ``some`` says.
- the singular vectors are unique only up to a sign (a phase, if complex) per
  column, and not at all for repeated singular values: compare them
  gauge-invariantly.
- empty matrices are allowed; the full ``U``/``Vh`` of an ``m x 0``/``0 x n``
  matrix is the identity.
- input must be float32/float64/complex (float16 is not implemented on CPU)
  with at least 2 dims.  A NaN entry raises ``LinAlgError`` (a RuntimeError);
  an infinite entry does not raise: torch returns NaN singular values (and
  LAPACK-dependent vectors), the reference NaN everywhere.
"""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from . import return_types
from ._autograd_hooks import record
from ._layout import column_major
from ._tensor import Tensor, tensor_method
from .autograd.graph import is_grad_enabled

__all__ = [
    "svd",
    "svdvals",
    "LinAlgError",
    "svd_legacy",
    "matmul",
    "vector_norm",
    "matrix_norm",
    "norm",
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


class LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a RuntimeError for numerical failures."""


def _check_input(A: Tensor, fname: str = "linalg.svd", legacy: bool = False) -> None:
    if not isinstance(A, Tensor):
        raise TypeError(f"{fname}(): argument 'A' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        if legacy:
            raise RuntimeError(
                f"linalg.svd: input should have at least 2 dimensions, but has {A.ndim} dimensions instead"
            )
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    if A.dtype is D.float16:
        raise NotImplementedError("\"linalg_svd_cpu\" not implemented for 'Half'")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(
            f"linalg.svd: Expected a floating point or complex tensor as input. Got {A.dtype._torch_name}"
        )
    if np.isnan(A._data).any():
        raise LinAlgError(
            "linalg.svd: The algorithm failed to converge because the input matrix contained non-finite values."
        )


def _svd_arrays(A: Tensor, full_matrices: bool, compute_uv: bool = True):
    """NumPy (LAPACK gesdd) SVD in A's own precision, as torch's CPU kernel computes it
    (float32 input: sgesdd); empty matrices and non-finite entries handled as torch does."""
    a = A._data
    m, n = a.shape[-2:]
    batch = a.shape[:-2]
    k = min(m, n)
    real = A.dtype.to_real().np
    if k == 0:
        s = np.zeros(batch + (0,), dtype=real)
        u = np.broadcast_to(np.eye(m, dtype=a.dtype), batch + (m, m)) if full_matrices else np.zeros(batch + (m, 0))
        vh = np.broadcast_to(np.eye(n, dtype=a.dtype), batch + (n, n)) if full_matrices else np.zeros(batch + (0, n))
        return u.astype(A._data.dtype), s, vh.astype(A._data.dtype)
    if np.isinf(a).any():
        # torch does not raise for +-inf: LAPACK's scaling yields NaN singular values and
        # implementation-dependent vectors.  The reference returns NaN everywhere.
        a = np.full(a.shape, np.nan, dtype=a.dtype)
        u = np.full(batch + (m, m if full_matrices else k), np.nan, dtype=a.dtype)
        vh = np.full(batch + (n if full_matrices else k, n), np.nan, dtype=a.dtype)
        return u.astype(A._data.dtype), np.full(batch + (k,), np.nan, dtype=real), vh.astype(A._data.dtype)
    if not compute_uv:
        return None, np.linalg.svd(a, compute_uv=False).astype(real, copy=False), None
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    return u, s.astype(real, copy=False), vh


def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None) -> return_types.linalg_svd:
    """``U, S, Vh`` with ``A = U @ diag(S) @ Vh`` (see the module docstring)."""
    _check_input(A)
    _check_driver(driver)
    u, s, vh = _svd_arrays(A, full_matrices)
    # torch returns LAPACK's layout: each U and Vh matrix column-major
    U, S, Vh = Tensor._wrap(column_major(u), True), Tensor._wrap(s), Tensor._wrap(column_major(vh), True)
    record((U, S, Vh), (A,), "LinalgSvdBackward0", _svd_vjp(A, U, S, Vh, full_matrices), saved=(A,))
    return return_types.linalg_svd(U, S, Vh)


def _check_driver(driver) -> None:
    """``driver=`` picks a cuSOLVER algorithm; the reference is a CPU implementation, where torch refuses it."""
    if driver is not None:
        raise RuntimeError(
            "torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER backend."
        )


def svdvals(A: Tensor, *, driver: str | None = None) -> Tensor:
    """The singular values of ``A``, descending (real even for complex ``A``)."""
    _check_input(A)
    _check_driver(driver)
    if not (A.requires_grad and is_grad_enabled()):  # no gradient to compute: the vectors are not needed
        return Tensor._wrap(_svd_arrays(A, False, compute_uv=False)[1])
    u, s, vh = _svd_arrays(A, False)
    S = Tensor._wrap(s)
    U, Vh = Tensor._wrap(u), Tensor._wrap(vh)
    vjp = _svd_vjp(A, U, S, Vh, False)
    svals_vjp = lambda gS: vjp(None, gS, None)  # noqa: E731
    svals_vjp.first_order_only = True
    record(S, (A,), "LinalgSvdBackward0", svals_vjp, saved=(A,))
    return S


@tensor_method(name="svd")
def svd_legacy(input: Tensor, some: bool = True, compute_uv: bool = True) -> return_types.svd:
    """``torch.svd``: returns ``U, S, V`` with ``V = Vh.mH``; see the module docstring."""
    _check_input(input, "svd", legacy=True)
    m, n = input.shape[-2:]
    batch = tuple(input.shape[:-2])
    if not compute_uv:
        S = svdvals(input)
        U = Tensor._wrap(np.zeros(batch + (m, m), dtype=input._data.dtype))
        V = Tensor._wrap(column_major(np.zeros(batch + (n, n), dtype=input._data.dtype)), True)  # as torch lays it out
        return return_types.svd(U, S, V)
    U, S, Vh = svd(input, full_matrices=not some)
    from ._elementwise import _conj_tensor
    from ._shape import transpose

    return return_types.svd(U, S, _conj_tensor(transpose(Vh, -2, -1)))


def _svd_vjp(A: Tensor, U: Tensor, S: Tensor, Vh: Tensor, full_matrices: bool):
    """Gradient of the SVD (torch's formula for linalg_svd_backward, written in NumPy).

    With ``k = min(m, n)`` and reduced ``U, S, V``, and ``E[i, j] = 1/(s_j^2 - s_i^2)``
    off the diagonal, the gradient is
        U (sym-part terms) V^H + (I - U U^H) gU S^-1 V^H + U S^-1 gV^H (I - V V^H).
    It is defined only for distinct singular values and gauge-invariant losses
    (torch returns inf/nan otherwise); extra columns of full U/V get no gradient.
    """

    def vjp(gU, gS, gVh):
        u = U._data[..., :, : S.shape[-1]].astype(np.complex128 if A.dtype.is_complex else np.float64)
        vh = Vh._data[..., : S.shape[-1], :].astype(u.dtype)
        s = S._data.astype(np.float64)
        v = np.conj(np.swapaxes(vh, -1, -2))
        m, n = A.shape[-2:]
        k = s.shape[-1]
        gu = None if gU is None else gU._data[..., :, :k].astype(u.dtype)
        gv = None if gVh is None else np.conj(np.swapaxes(gVh._data[..., :k, :], -1, -2)).astype(u.dtype)
        gs = None if gS is None else gS._data.astype(np.float64)

        def mH(x):
            return np.conj(np.swapaxes(x, -1, -2))

        if gu is None and gv is None:
            res = (u * gs[..., None, :]) @ vh if gs is not None else np.zeros(A.shape, dtype=u.dtype)
            return Tensor._wrap(res.astype(A._data.dtype))
        s2 = s[..., None, :] ** 2 - s[..., :, None] ** 2  # s_j^2 - s_i^2
        with np.errstate(divide="ignore", invalid="ignore"):
            E = np.where(np.eye(k, dtype=bool), 0.0, 1.0 / s2)
        gA = np.zeros(A.shape, dtype=u.dtype)
        inner = np.zeros(s.shape + (k,), dtype=u.dtype)
        if gu is not None:
            UhgU = mH(u) @ gu
            inner = inner + (UhgU - mH(UhgU)) * E * s[..., None, :]
            if A.dtype.is_complex:
                diag = np.imag(np.diagonal(UhgU, axis1=-2, axis2=-1))
                inner = inner + 1j * np.einsum("...i,ij->...ij", diag / (2 * s), np.eye(k))
        if gv is not None:
            VhgV = mH(v) @ gv
            inner = inner + s[..., :, None] * (VhgV - mH(VhgV)) * E
        if gs is not None:
            inner = inner + np.einsum("...i,ij->...ij", gs, np.eye(k))
        gA = u @ inner @ vh
        if gu is not None and m > k:
            gA = gA + (gu - u @ (mH(u) @ gu)) / s[..., None, :] @ vh
        if gv is not None and n > k:
            gA = gA + u @ (mH(gv - v @ (mH(v) @ gv)) / s[..., :, None])
        return Tensor._wrap(gA.astype(A._data.dtype))

    vjp.first_order_only = True  # written in NumPy: create_graph=True through an SVD raises
    return vjp


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """``torch.linalg.matmul``: an alias of :func:`torch.matmul`."""
    from ._matmul import matmul as mm

    return mm(input, other)


from ._decompositions import (  # noqa: E402
    cholesky,
    det,
    eig,
    eigh,
    eigvals,
    eigvalsh,
    inv,
    lu,
    lu_factor,
    lu_solve,
    pinv,
    qr,
    slogdet,
    solve,
)
from ._norms import linalg_norm as norm  # noqa: E402  (the norms need svdvals above)
from ._norms import matrix_norm, vector_norm  # noqa: E402
