"""Gauge-invariant comparison of ``linalg.eigh`` results.

What torch promises is compared exactly (to rounding): shapes, dtypes, real ascending eigenvalues.
What it leaves free is compared invariantly: each eigenvector is free up to sign (phase), and for a
repeated eigenvalue only the eigenspace is determined.  So each side is checked on its own (``V``
unitary, ``V diag(w) V^H`` equal to the Hermitian matrix the ``UPLO`` triangle defines), and across
sides the spectral projector ``P = sum v v^H`` of each cluster of (nearly) equal eigenvalues.
"""

from __future__ import annotations

import numpy as np

from . import tolerances
from .backends import random_like
from .factor_outputs import shape_and_dtype_problems


def _mH(x):
    return np.conj(np.swapaxes(x, -1, -2))


def hermitian_from_triangle(a: np.ndarray, uplo: str) -> np.ndarray:
    """The Hermitian matrix eigh decomposes: the ``uplo`` triangle mirrored, the diagonal's real part."""
    a = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    strict = np.tril(a, -1) if uplo == "L" else np.triu(a, 1)
    n = a.shape[-1]
    return strict + _mH(strict) + np.eye(n) * np.diagonal(a, axis1=-2, axis2=-1).real[..., None, :]


def eigh_factor_problems(side: str, h: np.ndarray, w: np.ndarray, v: np.ndarray | None, tol: float) -> list[str]:
    """Identities any correct eigh satisfies, for one side (``tol`` relative to the largest |eigenvalue|)."""
    problems = []
    scale = max(float(np.max(np.abs(h))) if h.size else 0.0, 1.0) * max(h.shape[-1], 1)
    if w.size and np.any(np.diff(w, axis=-1) < -tol * scale):
        problems.append(f"{side}: eigenvalues are not ascending: {w}")
    if v is not None and v.size:
        err = np.max(np.abs(_mH(v) @ v - np.eye(v.shape[-1])))
        if err > tol * 10:
            problems.append(f"{side}: V is not unitary (max |V^H V - I| = {err:.3g})")
        rec = np.max(np.abs((v * w[..., None, :]) @ _mH(v) - h))
        if rec > tol * 10 * scale:
            problems.append(f"{side}: V diag(w) V^H differs from A by {rec:.3g}")
    return problems


def _clusters(w: np.ndarray, gap: float) -> list[list[int]]:
    """Indices of ascending eigenvalues grouped where neighbours are within ``gap``."""
    groups: list[list[int]] = []
    for i, x in enumerate(w):
        if groups and x - w[groups[-1][-1]] <= gap:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def eigh_comparison(with_vectors: bool):
    """The comparison of ``linalg.eigh`` (``with_vectors``) or ``linalg.eigvalsh``."""

    def compare(op, case, t, r) -> list[str]:
        problems = shape_and_dtype_problems(t, r)
        if problems:
            return problems
        tol = tolerances.lookup("eigh", case.args[0].dtype.name).atol
        h = hermitian_from_triangle(case.args[0], case.kwargs.get("UPLO", "L"))
        scale = max(float(np.max(np.abs(h))) if h.size else 0.0, 1.0) * max(h.shape[-1], 1)
        sides = {}
        for side, run in (("torch", t), ("reference", r)):
            w = run.backend.to_numpy(run.outputs[0]).astype(np.float64)
            v = run.backend.to_numpy(run.outputs[1]).astype(np.complex128) if with_vectors else None
            sides[side] = (w, v)
            problems += eigh_factor_problems(side, h, w, v, tol)
        (wt, vt), (wr, vr) = sides["torch"], sides["reference"]
        err = float(np.max(np.abs(wt - wr))) if wr.size else 0.0
        if err > tol * scale:
            problems.append(f"eigenvalues differ by {err:.3g} (torch {wt}, reference {wr})")
        if with_vectors and wr.size:
            for index in np.ndindex(wr.shape[:-1]):
                for group in _clusters(wr[index], 1e-3 * scale):
                    pt = vt[index][:, group] @ _mH(vt[index][:, group])
                    pr = vr[index][:, group] @ _mH(vr[index][:, group])
                    gap = _gap(wr[index], group, scale)
                    allowed = tol * 10 * scale / gap
                    e = float(np.max(np.abs(pt - pr)))
                    if e > allowed:
                        problems.append(
                            f"eigenspace {index + (group,)}: projectors differ by {e:.3g} (allowed {allowed:.3g})"
                        )
        return problems

    return compare


def _gap(w: np.ndarray, group: list[int], scale: float) -> float:
    """The distance from a cluster to the rest of the spectrum (the projector's condition)."""
    others = [x for i, x in enumerate(w) if i not in group]
    if not others:
        return scale
    return max(min(abs(x - w[g]) for x in others for g in group), 1e-300)


def eigh_loss(with_vectors: bool):
    """A real, gauge-invariant scalar of eigh's outputs with random weights:
    ``sum(c * V diag(u) V^H) + sum(c2 * w)`` (``sum(c2 * w)`` for eigenvalues alone)."""

    def loss(ns, outs, rng: np.random.Generator):
        w = outs[0]
        real = np.dtype(str(w.dtype).removeprefix("torch."))
        c2 = ns.from_numpy(random_like(rng, tuple(w.shape), real))
        if not with_vectors:
            return (w * c2).sum()
        V = outs[1]
        u = ns.from_numpy(random_like(rng, tuple(w.shape), real)).unsqueeze(-2)
        c = ns.from_numpy(random_like(rng, tuple(V.shape), real))
        # the real part of V diag(u) V^H, written without conjugation: Vr u Vr^T + Vi u Vi^T
        parts = (V.real, V.imag) if V.is_complex() else (V,)
        M = sum((p * u) @ p.transpose(-2, -1) for p in parts)
        return (M * c).sum() + (w * c2).sum()

    return loss
