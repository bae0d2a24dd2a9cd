"""Loop-by-loop definitions of select, where, nonzero, masked_select, take and masked_fill.

Broadcasting is spelled out: a position of the broadcast shape reads each operand at the same
position with its missing leading dims dropped and its size-1 dims pinned to 0."""

from __future__ import annotations

import itertools

import numpy as np

from ._common import _norm_dim

__all__ = ["select", "where", "nonzero", "masked_select", "take", "masked_fill"]


def _positions(shape):
    return itertools.product(*(range(s) for s in shape))


def _broadcast_shape(*shapes) -> tuple[int, ...]:
    n = max((len(s) for s in shapes), default=0)
    out = []
    for k in range(n):
        sizes = [s[k - (n - len(s))] for s in shapes if k - (n - len(s)) >= 0]
        big = [m for m in sizes if m != 1]
        out.append(big[0] if big else 1)
    return tuple(out)


def _at(a, pos):
    """``a`` (an array or a Python number) read at broadcast position ``pos``."""
    if not isinstance(a, np.ndarray):
        return a
    pos = pos[len(pos) - a.ndim :] if a.ndim else ()
    return a[tuple(0 if n == 1 else i for i, n in zip(pos, a.shape, strict=True))]


def select(case, out_dtype) -> np.ndarray:
    """out[i_0, ..., i_n] = x[i_0, ..., index (at dim), ..., i_n]."""
    x, dim, index = case.args
    d = _norm_dim(dim, x.ndim)
    i = int(index) % x.shape[d]
    shape = x.shape[:d] + x.shape[d + 1 :]
    out = np.zeros(shape, dtype=x.dtype)
    for pos in _positions(shape):
        out[pos] = x[pos[:d] + (i,) + pos[d:]]
    return out


def _nonzero_rows(x: np.ndarray) -> list[tuple[int, ...]]:
    """The positions of the elements that are not zero (NaN is not zero), in row-major order."""
    return [pos for pos in _positions(x.shape) if x[pos] != 0]


def nonzero(case, out_dtype):
    x = case.args[0]
    rows = _nonzero_rows(x)
    if case.kwargs.get("as_tuple"):
        return tuple(np.array([r[k] if x.ndim else 0 for r in rows], dtype=np.int64) for k in range(max(x.ndim, 1)))
    return np.array(rows, dtype=np.int64).reshape(len(rows), x.ndim)


def where(case, out_dtype):
    """One argument: nonzero as a tuple.  Three: out[p] = input[p] if condition[p] else other[p]."""
    if len(case.args) == 1:
        x = case.args[0]
        rows = _nonzero_rows(x)
        return tuple(np.array([r[k] if x.ndim else 0 for r in rows], dtype=np.int64) for k in range(max(x.ndim, 1)))
    cond, a, b = case.args
    shape = _broadcast_shape(*(v.shape for v in (cond, a, b) if isinstance(v, np.ndarray)))
    out = np.zeros(shape, dtype=out_dtype)
    for pos in _positions(shape):
        out[pos] = _at(a, pos) if _at(cond, pos) else _at(b, pos)
    return out


def masked_select(case, out_dtype) -> np.ndarray:
    """The input's elements where the mask holds, walking their broadcast shape in row-major order."""
    x, mask = case.args
    shape = _broadcast_shape(x.shape, mask.shape)
    return np.array([_at(x, p) for p in _positions(shape) if _at(mask, p)], dtype=x.dtype).reshape(-1)


def take(case, out_dtype) -> np.ndarray:
    """out[p] = (x's elements in row-major order)[index[p] mod n]."""
    x, index = case.args
    flat = [x[p] for p in _positions(x.shape)]
    out = np.zeros(index.shape, dtype=x.dtype)
    for p in _positions(index.shape):
        out[p] = flat[int(index[p]) % len(flat)]
    return out


def masked_fill(case, out_dtype) -> np.ndarray:
    """out[p] = value where the mask holds, else input[p]: over their broadcast shape, in input's dtype
    (a float value truncates into an integer dtype, a complex one keeps its real part)."""
    x, mask, value = case.args
    v = np.asarray(value)
    v = (v.real if v.dtype.kind == "c" and x.dtype.kind != "c" else v).astype(x.dtype)
    shape = _broadcast_shape(x.shape, mask.shape)
    out = np.zeros(shape, dtype=x.dtype)
    for p in _positions(shape):
        out[p] = v if _at(mask, p) else _at(x, p)
    return out
