"""Loop-by-loop definitions of the shape and view ops."""

from __future__ import annotations

import itertools

import numpy as np

from ._common import _norm_dim, _row_major

__all__ = ["squeeze", "unsqueeze", "flatten", "permute", "detach", "tril", "triu", "flip", "roll", "repeat", "expand"]


def _squeezed_shape(shape, dims) -> tuple[int, ...]:
    return tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))


def squeeze(x: np.ndarray, dim=None, **_) -> np.ndarray:
    """Drop size-1 dims (all, or those listed that have size 1); data order unchanged."""
    n = x.ndim
    if dim is None:
        dims = set(range(n))
    elif isinstance(dim, int):
        dims = {_norm_dim(dim, n)}
    else:
        dims = {_norm_dim(d, n) for d in dim}
    return _row_major(x).reshape(_squeezed_shape(x.shape, dims))


def unsqueeze(x: np.ndarray, dim: int, **_) -> np.ndarray:
    d = dim + x.ndim + 1 if dim < 0 else dim
    shape = list(x.shape)
    shape.insert(d, 1)
    return _row_major(x).reshape(shape)


def flatten(x: np.ndarray, start_dim: int = 0, end_dim: int = -1, **_) -> np.ndarray:
    if x.ndim == 0:
        return _row_major(x).reshape(1)
    s, e = _norm_dim(start_dim, x.ndim), _norm_dim(end_dim, x.ndim)
    merged = 1
    for k in range(s, e + 1):
        merged *= x.shape[k]
    return _row_major(x).reshape(x.shape[:s] + (merged,) + x.shape[e + 1 :])


def permute(x: np.ndarray, dims, **_) -> np.ndarray:
    """out[q] = x[p] where p[dims[i]] = q[i]."""
    dims = [_norm_dim(d, x.ndim) for d in dims]
    out_shape = tuple(x.shape[d] for d in dims)
    out = np.empty(out_shape, dtype=x.dtype)
    for q in itertools.product(*(range(s) for s in out_shape)):
        p = [0] * x.ndim
        for i, d in enumerate(dims):
            p[d] = q[i]
        out[q] = x[tuple(p)]
    return out


def detach(x: np.ndarray, **_) -> np.ndarray:
    return x.copy()


def _triangle(x: np.ndarray, diagonal: int, lower: bool) -> np.ndarray:
    out = np.zeros(x.shape, dtype=x.dtype)
    for idx in itertools.product(*(range(s) for s in x.shape)):
        i, j = idx[-2], idx[-1]
        if (j - i <= diagonal) if lower else (j - i >= diagonal):
            out[idx] = x[idx]
    return out


def tril(x: np.ndarray, diagonal: int = 0, **_) -> np.ndarray:
    """Element by element: kept where column - row <= diagonal, else 0."""
    return _triangle(x, diagonal, lower=True)


def triu(x: np.ndarray, diagonal: int = 0, **_) -> np.ndarray:
    """Element by element: kept where column - row >= diagonal, else 0."""
    return _triangle(x, diagonal, lower=False)


def flip(x: np.ndarray, dims, **_) -> np.ndarray:
    """Element by element: out[i] = x[i with i_d replaced by size_d - 1 - i_d for d in dims]."""
    n = x.ndim
    axes = {_norm_dim(d, max(n, 1)) for d in dims}
    out = np.empty(x.shape, dtype=x.dtype)
    for idx in itertools.product(*(range(s) for s in x.shape)):
        src = tuple(x.shape[d] - 1 - i if d in axes else i for d, i in enumerate(idx))
        out[idx] = x[src]
    return out


def roll(x: np.ndarray, shifts, dims=None, **_) -> np.ndarray:
    """Element by element: out[i] = x[i - shift along each rolled dim, modulo its size] (dims applied
    one after the other; without dims, positions in the flattened order)."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if x.size == 0:  # nothing to move (torch does not even check the dims)
        return x.copy()
    if dims is None:
        flat = _row_major(x).reshape(-1)
        out = np.empty_like(flat)
        for i in range(flat.size):
            out[i] = flat[(i - shifts[0]) % flat.size]
        return out.reshape(x.shape)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    out = x
    for s, d in zip(shifts, dims, strict=True):
        d = _norm_dim(d, x.ndim)
        step = np.empty(x.shape, dtype=x.dtype)
        for idx in itertools.product(*(range(n) for n in x.shape)):
            src = list(idx)
            src[d] = (idx[d] - s) % x.shape[d]
            step[idx] = out[tuple(src)]
        out = step
    return out


def repeat(x: np.ndarray, repeats, **_) -> np.ndarray:
    """out[i] = x'[i mod shape(x')] where x' is x with leading size-1 dims up to len(repeats)."""
    padded = (1,) * (len(repeats) - x.ndim) + x.shape
    src = x.reshape(padded)
    shape = tuple(r * n for r, n in zip(repeats, padded, strict=True))
    out = np.empty(shape, dtype=x.dtype)
    for idx in itertools.product(*(range(n) for n in shape)):
        out[idx] = src[tuple(i % n for i, n in zip(idx, padded, strict=True))]
    return out


def expand(x: np.ndarray, sizes, **_) -> np.ndarray:
    """out[i] = x[i with each stretched dim's coordinate pinned to 0] (-1 keeps the dim's size; extra
    sizes add leading dims)."""
    lead = len(sizes) - x.ndim
    shape = tuple(n if s == -1 else s for s, n in zip(sizes, (1,) * lead + x.shape, strict=True))
    out = np.empty(shape, dtype=x.dtype)
    for idx in itertools.product(*(range(n) for n in shape)):
        src = tuple(0 if x.shape[k] == 1 else i for k, i in enumerate(idx[lead:]))
        out[idx] = x[src]
    return out
