"""Order- and phase-free comparison of ``linalg.eig`` / ``linalg.eigvals`` results.

torch promises the eigenvalues as a multiset (complex, conjugate pairs for a real matrix) and unit-norm
eigenvectors with ``A V = V diag(w)``; it leaves free the order (LAPACK geev's) and each eigenvector's
phase.  So each side is checked on its own (``A V = V diag(w)``, unit columns), the eigenvalues are
matched across sides as multisets, and for each simple eigenvalue the eigenvector's direction
``v v^H`` (phase-free) is compared.
"""

from __future__ import annotations

import numpy as np

from . import tolerances
from .backends import random_like
from .factor_outputs import shape_and_dtype_problems


def _scale(a: np.ndarray) -> np.ndarray:
    """Per matrix: n * max |a_ij| times the eigenvector matrix's condition number (eigenvalues of a
    non-normal matrix move by that much more than the rounding of A)."""
    n = a.shape[-1]
    mags = np.max(np.abs(a), axis=(-2, -1)) if a.size else np.ones(a.shape[:-2])
    with np.errstate(all="ignore"):
        v = np.linalg.eig(a.astype(np.complex128))[1] if a.size else np.ones(a.shape)
        cond = np.nan_to_num(np.linalg.cond(v), nan=1e8, posinf=1e8) if a.size else np.ones(a.shape[:-2])
    return np.maximum(mags, 1.0) * max(n, 1) * np.minimum(cond, 1e8)


def _match(wt: np.ndarray, wr: np.ndarray) -> list[int]:
    """For each of torch's eigenvalues, the index of the nearest unused reference eigenvalue."""
    free = list(range(len(wr)))
    order = []
    for x in wt:
        j = min(free, key=lambda k: abs(wr[k] - x))
        free.remove(j)
        order.append(j)
    return order


def eig_comparison(with_vectors: bool):
    def compare(op, case, t, r) -> list[str]:
        problems = shape_and_dtype_problems(t, r)
        if problems:
            return problems
        a = case.args[0].astype(np.complex128)
        name = case.args[0].dtype.name
        tol = tolerances.lookup("eigh", {"float32": "complex64", "float64": "complex128"}.get(name, name)).atol
        scale = _scale(a)
        outs = {}
        for side, run in (("torch", t), ("reference", r)):
            w = run.backend.to_numpy(run.outputs[0]).astype(np.complex128)
            v = run.backend.to_numpy(run.outputs[1]).astype(np.complex128) if with_vectors else None
            outs[side] = (w, v)
            if v is not None and v.size:
                res = np.max(np.abs(a @ v - v * w[..., None, :]), axis=(-2, -1))
                if np.any(res > tol * 10 * scale):
                    problems.append(f"{side}: A V != V diag(w) (residual {np.max(res):.3g})")
                norms = np.linalg.norm(v, axis=-2)
                if np.any(np.abs(norms - 1) > tol * 10):
                    problems.append(f"{side}: eigenvectors are not of unit norm: {norms}")
        (wt, vt), (wr, vr) = outs["torch"], outs["reference"]
        for index in np.ndindex(wr.shape[:-1]):
            order = _match(wt[index], wr[index])
            allowed = tol * 10 * float(scale[index])
            err = max((abs(wt[index][i] - wr[index][j]) for i, j in enumerate(order)), default=0.0)
            if err > allowed:
                problems.append(f"eigenvalues {index}: torch {wt[index]} and reference {wr[index]} differ as multisets")
                continue
            if not with_vectors:
                continue
            for i, j in enumerate(order):
                gap = min((abs(wr[index][j] - x) for k, x in enumerate(wr[index]) if k != j), default=np.inf)
                if gap < 1e-3 * float(scale[index]):
                    continue  # a (nearly) repeated eigenvalue: its vectors are not determined
                pt = np.outer(vt[index][:, i], np.conj(vt[index][:, i]))
                pr = np.outer(vr[index][:, j], np.conj(vr[index][:, j]))
                e = float(np.max(np.abs(pt - pr)))
                if e > allowed / min(gap, float(scale[index])):
                    problems.append(f"eigenvector {index + (j,)}: directions differ by {e:.3g}")
        return problems

    return compare


def eig_loss(with_vectors: bool):
    """A real scalar of eig's outputs that depends on neither order nor phases: ``Re sum(c1 w + c2 w^2)``
    and, with vectors, ``sum(C * Re(V diag(u1 w + u2 w^2) V^{-1}))`` (a polynomial of A, in its
    eigenbasis), with random real coefficients."""

    def loss(ns, outs, rng: np.random.Generator):
        w = outs[0]
        c1, c2 = (float(x) for x in rng.standard_normal(2))
        total = (w * c1 + w * w * c2).real.sum()
        if not with_vectors:
            return total
        V = outs[1]
        u1, u2 = (float(x) for x in rng.standard_normal(2))
        real = np.dtype(str(w.real.dtype).removeprefix("torch."))
        C = ns.from_numpy(random_like(rng, tuple(V.shape), real))
        f = (w * u1 + w * w * u2).unsqueeze(-2)
        M = (V * f) @ ns.linalg.inv(V)
        return total + (M.real * C).sum()

    return loss
