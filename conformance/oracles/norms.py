"""Loop-by-loop definitions of the norms and distances, from torch's documentation.

Every norm is computed in float64 (complex128) one output element at a time, by walking the
elements it reduces: a vector norm from its definition ``(sum |x|^p)^(1/p)`` (count, max and min for
0, inf and -inf), a matrix norm from column sums, row sums or singular values of one matrix.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["vector_norm", "matrix_norm", "linalg_norm", "legacy_norm", "dist"]


def _wide(x: np.ndarray) -> np.ndarray:
    return x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)


def _vector(values: list, p: float) -> float:
    """The p-norm of a list of numbers, straight from the definition."""
    mags = [abs(complex(v)) for v in values]
    if p == 0:
        return float(sum(1 for m in mags if m != 0))
    if any(math.isnan(m) for m in mags):
        return math.nan
    if p == math.inf:
        return max(mags) if mags else 0.0
    if p == -math.inf:
        return min(mags)
    total = 0.0
    for m in mags:
        total += math.inf if (m == 0 and p < 0) else _power(m, p)
    if p < 0 and total in (0.0, math.inf):
        return math.inf if total == 0 else 0.0
    return _power(total, 1.0 / p)


def _power(base: float, exponent: float) -> float:
    try:
        return base**exponent
    except OverflowError:
        return math.inf


def _reduced(ndim: int, dim) -> tuple[int, ...]:
    if dim is None or (isinstance(dim, tuple | list) and len(dim) == 0) or ndim == 0:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    return tuple(sorted(d % ndim for d in dims))


def _out_shape(shape: tuple, reduced: tuple[int, ...], keepdim: bool) -> tuple:
    return tuple(1 if i in reduced else n for i, n in enumerate(shape) if keepdim or i not in reduced)


def _cast(x: np.ndarray, dtype) -> np.ndarray:
    return x if dtype is None else x.astype(dtype)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None) -> np.ndarray:
    """For every position of the kept dims, the ``ord``-norm of the elements along the reduced ones."""
    x = _wide(_cast(x, dtype))
    red = _reduced(x.ndim, dim)
    kept = [i for i in range(x.ndim) if i not in red]
    out = np.zeros(tuple(x.shape[i] for i in kept))
    for pos in itertools.product(*(range(x.shape[i]) for i in kept)):
        values = []
        for rpos in itertools.product(*(range(x.shape[i]) for i in red)):
            idx = [0] * x.ndim
            for i, v in zip(kept, pos, strict=True):
                idx[i] = v
            for i, v in zip(red, rpos, strict=True):
                idx[i] = v
            values.append(x[tuple(idx)])
        out[pos] = _vector(values, float(ord))
    return out.reshape(_out_shape(x.shape, red, keepdim))


def _one_matrix(a: np.ndarray, ord) -> float:
    """One matrix's norm: Frobenius, nuclear, column sums (+-1), row sums (+-inf), singular values (+-2)."""
    m, n = a.shape
    if ord == "fro":
        return math.sqrt(sum(abs(complex(a[i, j])) ** 2 for i in range(m) for j in range(n)))
    if ord in ("nuc", 2, -2):
        s = np.linalg.svd(a, compute_uv=False) if a.size else np.zeros(0)
        if ord == "nuc":
            return float(np.sum(s))
        if not s.size:
            return 0.0  # the largest of no singular values (the smallest is refused)
        return float(s.max() if ord == 2 else s.min())
    if ord in (1, -1):
        sums = [sum(abs(complex(a[i, j])) for i in range(m)) for j in range(n)]
    else:
        sums = [sum(abs(complex(a[i, j])) for j in range(n)) for i in range(m)]
    if not sums:
        return 0.0
    if any(math.isnan(s) for s in sums):
        return math.nan
    return max(sums) if ord > 0 else min(sums)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None) -> np.ndarray:
    """For every position of the other dims, the norm of the matrix spanned by ``dim`` (rows, columns)."""
    a = _wide(_cast(A, dtype))
    d0, d1 = (d % a.ndim for d in dim)
    rest = [i for i in range(a.ndim) if i not in (d0, d1)]
    out = np.zeros(tuple(a.shape[i] for i in rest))
    for pos in itertools.product(*(range(a.shape[i]) for i in rest)):
        mat = np.zeros((a.shape[d0], a.shape[d1]), dtype=a.dtype)
        for r in range(a.shape[d0]):
            for c in range(a.shape[d1]):
                idx = [0] * a.ndim
                for i, v in zip(rest, pos, strict=True):
                    idx[i] = v
                idx[d0], idx[d1] = r, c
                mat[r, c] = a[tuple(idx)]
        out[pos] = _one_matrix(mat, ord if isinstance(ord, str) else float(ord))
    return out.reshape(_out_shape(a.shape, tuple(sorted((d0, d1))), keepdim))


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None) -> np.ndarray:
    """A matrix norm for two dims (or a 2-d input with an ord), else the vector norm (2 for no ord)."""
    two = (dim is not None and not isinstance(dim, int) and len(dim) == 2) or (dim is None and A.ndim == 2)
    if isinstance(ord, str) or (ord is not None and two):
        return matrix_norm(A, ord, dim if dim is not None else (0, 1), keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def legacy_norm(input, p="fro", dim=None, keepdim=False, dtype=None) -> np.ndarray:
    """torch.norm: 'fro' is the 2-norm over up to two dims (any rank); 'nuc' a matrix norm; a number a
    vector norm (None = 2)."""
    if p == "nuc":
        return matrix_norm(input, "nuc", dim if dim is not None else (0, 1), keepdim, dtype=dtype)
    return vector_norm(input, 2 if p in ("fro", None) else p, dim, keepdim, dtype=dtype)


def dist(input, other, p=2) -> np.ndarray:
    """The p-norm of every element of the broadcast difference."""
    a, b = np.broadcast_arrays(_wide(input), _wide(other))
    with np.errstate(invalid="ignore"):  # inf - inf is NaN, as in torch
        diff = a - b
    return np.asarray(_vector(list(diff.reshape(-1)), float(p)))
