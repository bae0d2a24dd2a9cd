"""Sign- (phase-) free comparison of ``linalg.qr`` results.

torch promises ``A = Q R`` with orthonormal columns of ``Q`` and an upper-triangular ``R``, and the
shapes each ``mode`` gives; it leaves free the sign (phase, for complex) of each column of ``Q`` with the
matching row of ``R`` (Householder reflections give ``R`` a diagonal of either sign), and the columns of a
complete ``Q`` beyond ``min(m, n)``.  So each side is checked on its own, and across sides ``Q D`` and
``D^H R`` are compared with ``D`` the phases of ``R``'s diagonal (where that diagonal is not ~0).
"""

from __future__ import annotations

import numpy as np

from . import tolerances
from .backends import random_like
from .factor_outputs import shape_and_dtype_problems


def _mH(x):
    return np.conj(np.swapaxes(x, -1, -2))


def _phases(r: np.ndarray, k: int, tiny: float) -> np.ndarray:
    d = np.diagonal(r, axis1=-2, axis2=-1)[..., :k]
    mag = np.abs(d)
    return np.where(mag > tiny, d / np.where(mag > tiny, mag, 1), 1)


def qr_comparison(op, case, t, r) -> list[str]:
    problems = shape_and_dtype_problems(t, r)
    if problems:
        return problems
    a = case.args[0].astype(np.complex128)
    mode = case.kwargs.get("mode", "reduced")
    m, n = a.shape[-2:]
    k = min(m, n)
    tol = tolerances.lookup("svd", case.args[0].dtype.name).atol
    scale = max(float(np.max(np.abs(a))) if a.size else 0.0, 1.0) * max(m, n, 1)
    sides = {}
    for side, run in (("torch", t), ("reference", r)):
        q = run.backend.to_numpy(run.outputs[0]).astype(np.complex128)
        rr = run.backend.to_numpy(run.outputs[1]).astype(np.complex128)
        sides[side] = (q, rr)
        if np.any(np.tril(rr, -1) != 0):
            problems.append(f"{side}: R is not upper triangular")
        if mode != "r" and q.size:
            if np.max(np.abs(_mH(q) @ q - np.eye(q.shape[-1]))) > tol * 10:
                problems.append(f"{side}: Q's columns are not orthonormal")
            if a.size and np.max(np.abs(q[..., :, : rr.shape[-2]] @ rr - a)) > tol * 10 * scale:
                problems.append(f"{side}: Q R differs from A")
    if problems or not a.size:
        return problems
    (qt, rt), (qr_, rr_) = sides["torch"], sides["reference"]
    tiny = 1e-3 * scale
    dt, dr = _phases(rt, k, tiny), _phases(rr_, k, tiny)
    full_rank = np.all(np.abs(np.diagonal(rr_, axis1=-2, axis2=-1)[..., :k]) > tiny)
    if not full_rank:
        return problems  # rank-deficient: the trailing columns of Q are not determined
    nt = np.conj(dt)[..., :, None] * rt[..., :k, :]
    nr = np.conj(dr)[..., :, None] * rr_[..., :k, :]
    if np.max(np.abs(nt - nr)) > tol * 10 * scale:
        problems.append(f"R differs beyond the signs of its rows by {np.max(np.abs(nt - nr)):.3g}")
    if mode != "r":
        e = np.max(np.abs(qt[..., :, :k] * dt[..., None, :] - qr_[..., :, :k] * dr[..., None, :]))
        if e > tol * 100 * scale:
            problems.append(f"Q differs beyond the signs of its columns by {e:.3g}")
    return problems


def qr_loss(ns, outs, rng: np.random.Generator):
    """``sum(C * Q[:, :k] diag(u) R[:k])`` (real part), with random real ``C`` and ``u``: free of the
    signs (phases) of Q's columns and R's rows, and of a complete Q's extra columns."""
    Q, R = outs
    real = np.dtype(str(R.real.dtype if R.is_complex() else R.dtype).removeprefix("torch."))
    if Q.ndim == 1:  # mode='r': R alone, through |R|^2 (its rows' signs are free)
        C = ns.from_numpy(random_like(rng, tuple(R.shape), real))
        parts = (R.real, R.imag) if R.is_complex() else (R,)
        return sum(((p * p) * C).sum() for p in parts)
    k = min(Q.shape[-1], R.shape[-2], min(Q.shape[-2], R.shape[-1]))
    u = ns.from_numpy(random_like(rng, tuple(R.shape[:-2]) + (1, k), real))
    C = ns.from_numpy(random_like(rng, tuple(Q.shape[:-1]) + (R.shape[-1],), real))
    M = (Q[..., :, :k] * u) @ R[..., :k, :]
    return ((M.real if M.is_complex() else M) * C).sum()
