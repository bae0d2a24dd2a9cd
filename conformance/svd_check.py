"""Gauge-invariant comparison of SVD results.

Checked on each side separately (so a failure names the side): U, V
orthonormal; ``U[:, :k] diag(S) Vh[:k] == A``; and across sides: shapes,
dtypes, S, and for each well-separated non-zero singular value the rank-one
piece ``u_j v_j^H`` (sign and phase cancel in it).  ``torch.svd(...,
compute_uv=False)`` must return zero-filled U and V.
"""

from __future__ import annotations

import numpy as np

from . import tolerances
from .backends import random_like


def _np(run, t):
    return run.backend.to_numpy(t)


def _mH(x):
    return np.conj(np.swapaxes(x, -1, -2))


def factor_problems(side: str, a: np.ndarray, u, s, vh, tol: float) -> list[str]:
    """Identities that any correct SVD satisfies, for one side."""
    problems = []
    k = s.shape[-1]
    scale = max(float(np.max(np.abs(a))) if a.size else 0.0, 1.0)
    if u is not None and u.size:
        eye = np.eye(u.shape[-1])
        err = np.max(np.abs(_mH(u) @ u - eye)) if u.shape[-1] else 0.0
        if err > tol * 10:
            problems.append(f"{side}: U is not orthonormal (max |U^H U - I| = {err:.3g})")
    if vh is not None and vh.size:
        eye = np.eye(vh.shape[-2])
        err = np.max(np.abs(vh @ _mH(vh) - eye)) if vh.shape[-2] else 0.0
        if err > tol * 10:
            problems.append(f"{side}: V is not orthonormal (max |Vh Vh^H - I| = {err:.3g})")
    if u is not None and vh is not None and a.size:
        rec = (u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :]
        err = np.max(np.abs(rec - a))
        if err > tol * 10 * scale:
            problems.append(f"{side}: U diag(S) Vh differs from A by {err:.3g}")
    if s.size and (np.any(s < 0) or np.any(np.diff(s, axis=-1) > tol * scale)):
        problems.append(f"{side}: S is not non-negative and descending: {s}")
    return problems


def svd_comparison(outputs: tuple[str, ...], zero_filled_unless: str | None = None):
    """The gauge-invariant comparison of an SVD-like op whose outputs are named ``outputs``
    (``U``, ``S`` and ``V`` or ``Vh``; ``S`` alone for singular values).  ``zero_filled_unless``
    names the keyword (torch.svd's ``compute_uv``) that, when False, makes U and V zero-filled."""

    def compare(op, case, t, r) -> list[str]:
        return _compare_svd(outputs, zero_filled_unless, case, t, r)

    return compare


def svd_loss(outputs: tuple[str, ...]):
    """A real, gauge-invariant scalar of the SVD outputs with random weights:
    ``sum(c * U[:, :k] diag(w) Vh[:k]) + sum(c2 * S)`` (or ``sum(c * S)`` for singular values alone)."""

    def loss(ns, outs, rng: np.random.Generator):
        named = dict(zip(outputs, outs, strict=True))
        S = named["S"]
        real = np.dtype(str(S.dtype).removeprefix("torch."))
        c2 = ns.from_numpy(random_like(rng, tuple(S.shape), real))
        if "U" not in named:
            return (S * c2).sum()
        U = named["U"]
        Vh = named["Vh"] if "Vh" in named else named["V"].transpose(-2, -1)
        k = S.shape[-1]
        w = ns.from_numpy(random_like(rng, tuple(S.shape), real))
        c = ns.from_numpy(random_like(rng, tuple(U.shape[:-1]) + (Vh.shape[-1],), real))
        M = (U[..., :, :k] * w.unsqueeze(-2)) @ Vh[..., :k, :]
        return (M * c).sum() + (S * c2).sum()

    return loss


def _compare_svd(names, zero_filled_unless, case, t, r) -> list[str]:
    a = case.args[0].astype(np.complex128 if case.args[0].dtype.kind == "c" else np.float64)
    dtype = case.args[0].dtype.name
    tol = tolerances.lookup("svd", dtype).atol
    problems = []
    for name, to, ro in zip(names, t.outputs, r.outputs, strict=True):
        if tuple(to.shape) != tuple(ro.shape):
            problems.append(f"{name}: shape torch {tuple(to.shape)} != reference {tuple(ro.shape)}")
        if t.backend.dtype_name(to) != r.backend.dtype_name(ro):
            problems.append(f"{name}: dtype torch {t.backend.dtype_name(to)} != reference {r.backend.dtype_name(ro)}")
    if problems:
        return problems
    outs = {
        side: dict(zip(names, [_np(run, x) for x in run.outputs], strict=True))
        for side, run in (("torch", t), ("reference", r))
    }
    smax = max(float(np.max(outs["reference"]["S"])) if outs["reference"]["S"].size else 0.0, 1e-300)
    s_err = np.max(np.abs(outs["torch"]["S"] - outs["reference"]["S"])) if outs["reference"]["S"].size else 0.0
    if s_err > tol * max(smax, 1.0):
        problems.append(f"S differs by {s_err:.3g} (torch {outs['torch']['S']}, reference {outs['reference']['S']})")
    if "U" not in names:
        return problems
    if zero_filled_unless is not None and not case.kwargs.get(zero_filled_unless, True):
        for side in ("torch", "reference"):
            if np.any(outs[side]["U"] != 0) or np.any(outs[side]["V"] != 0):
                problems.append(f"{side}: {zero_filled_unless}=False must give zero-filled U and V")
        return problems
    vhs = {}
    for side in ("torch", "reference"):
        o = outs[side]
        vh = _mH(o["V"]) if "V" in o else o["Vh"]
        vhs[side] = vh
        problems += factor_problems(side, a, o["U"], o["S"], vh, tol)
    problems += _rank_one_pieces(a, outs, vhs, tol)
    return problems


def _rank_one_pieces(a, outs, vhs, tol) -> list[str]:
    s = outs["reference"]["S"].astype(np.float64)
    if s.size == 0:
        return []
    k = s.shape[-1]
    smax = np.max(s, axis=-1, keepdims=True)
    smax = np.where(smax > 0, smax, 1.0)
    gaps = np.full(s.shape, np.inf)
    if k > 1:
        d = np.abs(np.diff(s, axis=-1))
        gaps[..., :-1] = np.minimum(gaps[..., :-1], d)
        gaps[..., 1:] = np.minimum(gaps[..., 1:], d)
    rel_gap = gaps / smax
    usable = (rel_gap > 1e-2) & (s / smax > 1e-2)
    problems = []
    for idx in np.argwhere(usable):
        *b, j = (int(i) for i in idx)
        b = tuple(b)
        pieces = []
        for side in ("torch", "reference"):
            u = outs[side]["U"][b][:, j]
            vh = vhs[side][b][j, :]
            pieces.append(np.outer(u, vh))
        err = np.max(np.abs(pieces[0] - pieces[1]))
        allowed = tol * 10 / min(rel_gap[b + (j,)], 1.0)
        if err > allowed:
            problems.append(
                f"singular pair {b + (j,)}: u v^H differs by {err:.3g} (allowed {allowed:.3g}; relative gap {rel_gap[b + (j,)]:.3g})"
            )
    return problems
