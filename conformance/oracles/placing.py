"""Loop-by-loop definitions of index_add, scatter and scatter_add: a copy of the input, then one
write (or addition) per index position, in row-major order (a 0-d tensor read as 1-d)."""

from __future__ import annotations

import itertools

import numpy as np

from ._common import _norm_dim

__all__ = ["index_add", "scatter", "scatter_add"]


def _as_1d(a) -> np.ndarray:
    a = np.asarray(a)
    return a.reshape(1) if a.ndim == 0 else a


def index_add(case, out_dtype) -> np.ndarray:
    """out[..., index[j], ...] += alpha * source[..., j, ...] for each j (a bool input: or)."""
    x, dim, index, source = case.args
    alpha = case.kwargs.get("alpha", 1)
    out, src = _as_1d(x).copy(), _as_1d(source)
    d = _norm_dim(dim, out.ndim)
    for j, p in enumerate(_as_1d(index)):
        for pos in itertools.product(*(range(n) for n in src.shape[:d] + src.shape[d + 1 :])):
            at = pos[:d] + (int(p),) + pos[d:]
            term = src[pos[:d] + (j,) + pos[d:]]
            if out.dtype == np.bool_:
                out[at] = out[at] or (term and bool(alpha))
            else:
                out[at] = out[at] + np.asarray(term * np.asarray(alpha).astype(out.dtype)).astype(out.dtype)
    return out.reshape(np.shape(x))


def _scatter(case, add: bool) -> np.ndarray:
    x, dim, index = case.args[:3]
    src = case.args[3] if len(case.args) > 3 else case.kwargs.get("value")
    out, idx = _as_1d(x).copy(), _as_1d(index)
    d = _norm_dim(dim, out.ndim)
    for pos in itertools.product(*(range(n) for n in idx.shape)):
        at = pos[:d] + (int(idx[pos]),) + pos[d + 1 :]
        value = _as_1d(src)[pos] if isinstance(src, np.ndarray) else src
        if add:
            out[at] = (out[at] or value) if out.dtype == np.bool_ else out[at] + value
        else:
            out[at] = value
    return out.reshape(np.shape(x))


def scatter(case, out_dtype) -> np.ndarray:
    """out[i with coordinate dim replaced by index[i]] = src[i] (or value) for each position i of index."""
    return _scatter(case, add=False)


def scatter_add(case, out_dtype) -> np.ndarray:
    """out[i with coordinate dim replaced by index[i]] += src[i] for each position i of index."""
    return _scatter(case, add=True)
