"""Loop-by-loop definitions of indexing and selection (gather)."""

from __future__ import annotations

import itertools

import numpy as np

from ._common import _norm_dim

__all__ = ["gather", "index_select"]


def gather(x: np.ndarray, dim: int, index: np.ndarray, **_) -> np.ndarray:
    """out[p] = x[p with coordinate ``dim`` replaced by index[p]]."""
    x1 = x.reshape(x.shape or (1,))
    idx = index.reshape(index.shape or (1,))
    d = _norm_dim(dim, x.ndim)
    out = np.empty(idx.shape, dtype=x.dtype)
    for p in itertools.product(*(range(s) for s in idx.shape)):
        src = list(p)
        src[d] = int(idx[p])
        out[p] = x1[tuple(src)]
    return out.reshape(index.shape)


def index_select(x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
    """out[p] = x[p with coordinate ``dim`` replaced by index[p[dim]]] (a 0-d input is its own result)."""
    if x.ndim == 0:
        return x.copy()
    d = dim % x.ndim
    positions = [int(i) for i in index.reshape(-1)]
    shape = x.shape[:d] + (len(positions),) + x.shape[d + 1 :]
    out = np.empty(shape, dtype=x.dtype)
    for p in np.ndindex(*shape):
        src = list(p)
        src[d] = positions[p[d]]
        out[p] = x[tuple(src)]
    return out
