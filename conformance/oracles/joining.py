"""Loop-by-loop definitions of joining (cat, stack, hstack, vstack) and splitting (chunk, split,
unbind, tensor_split, narrow), written from torch's documentation.

Joins are filled element by element from the input that owns each position; splits return each
piece element by element, as a tuple.  Values are written into an array of the result's dtype
(``out_dtype``), which is what torch's promotion gives."""

from __future__ import annotations

import itertools

import numpy as np

from ._common import _norm_dim

__all__ = ["cat", "stack", "hstack", "vstack", "chunk", "split", "unbind", "tensor_split", "narrow"]


def _positions(shape):
    return itertools.product(*(range(s) for s in shape))


def _cat(tensors, dim: int, out_dtype) -> np.ndarray:
    """out[..., j, ...] = tensors[k][..., j - (sizes of the tensors before k), ...]; a (0,) tensor
    is not joined (the legacy rule)."""
    joined = [t for t in tensors if t.shape != (0,)]
    if not joined:
        return np.zeros(0, dtype=out_dtype)
    d = _norm_dim(dim, joined[0].ndim)
    shape = list(joined[0].shape)
    shape[d] = sum(t.shape[d] for t in joined)
    out = np.zeros(shape, dtype=out_dtype)
    for idx in _positions(shape):
        j = idx[d]
        for t in joined:
            if j < t.shape[d]:
                out[idx] = t[idx[:d] + (j,) + idx[d + 1 :]]
                break
            j -= t.shape[d]
    return out


def cat(case, out_dtype) -> np.ndarray:
    tensors, dim = case.args
    return _cat(list(tensors), dim, out_dtype)


def stack(case, out_dtype) -> np.ndarray:
    """out[i_0, ..., k (at dim), ..., i_n] = tensors[k][i_0, ..., i_n]."""
    tensors, dim = case.args
    first = tensors[0]
    d = dim + first.ndim + 1 if dim < 0 else dim
    shape = list(first.shape)
    shape.insert(d, len(tensors))
    out = np.zeros(shape, dtype=out_dtype)
    for idx in _positions(shape):
        out[idx] = tensors[idx[d]][idx[:d] + idx[d + 1 :]]
    return out


def _row(t: np.ndarray, ndim: int) -> np.ndarray:
    """A 0-d tensor as (1,), then (for ndim 2) a 1-d one as one row."""
    if t.ndim == 0:
        t = t.reshape(1)
    if ndim == 2 and t.ndim == 1:
        t = t.reshape(1, -1)
    return t


def hstack(case, out_dtype) -> np.ndarray:
    """1-d (and 0-d) tensors joined end to end; others side by side along dim 1."""
    tensors = [_row(t, 1) for t in case.args[0]]
    return _cat(tensors, 0 if tensors[0].ndim == 1 else 1, out_dtype)


def vstack(case, out_dtype) -> np.ndarray:
    """Tensors (0-d and 1-d ones as rows) one below the other, along dim 0."""
    return _cat([_row(t, 2) for t in case.args[0]], 0, out_dtype)


def _piece(x: np.ndarray, d: int, start: int, length: int) -> np.ndarray:
    """out[..., j, ...] = x[..., start + j, ...] for j < length."""
    shape = list(x.shape)
    shape[d] = length
    out = np.zeros(shape, dtype=x.dtype)
    for idx in _positions(shape):
        out[idx] = x[idx[:d] + (start + idx[d],) + idx[d + 1 :]]
    return out


def _pieces(x: np.ndarray, d: int, lengths) -> tuple[np.ndarray, ...]:
    pieces, start = [], 0
    for n in lengths:
        pieces.append(_piece(x, d, start, n))
        start += n
    return tuple(pieces)


def _even(n: int, size: int) -> list[int]:
    """Pieces of ``size`` while elements are left, the last one what remains (one piece when n = 0)."""
    lengths, left = [], n
    while left > 0:
        lengths.append(min(size, left))
        left -= size
    return lengths or [0]


def chunk(case, out_dtype) -> tuple[np.ndarray, ...]:
    """Pieces of ceil(n / chunks) elements; an empty dim gives ``chunks`` empty pieces."""
    x, chunks, dim = case.args
    d = _norm_dim(dim, x.ndim)
    n = x.shape[d]
    return _pieces(x, d, [0] * chunks if n == 0 else _even(n, -(-n // chunks)))


def split(case, out_dtype) -> tuple[np.ndarray, ...]:
    """Pieces of the given size (the last one what remains), or exactly the listed sizes."""
    x, size, dim = case.args
    d = _norm_dim(dim, x.ndim)
    lengths = list(size) if isinstance(size, list | tuple) else _even(x.shape[d], size)
    return _pieces(x, d, lengths)


def unbind(case, out_dtype) -> tuple[np.ndarray, ...]:
    """Piece i: out[...] = x[..., i (at dim), ...]."""
    x, dim = case.args
    d = _norm_dim(dim, x.ndim)
    return tuple(_piece(x, d, i, 1).reshape(x.shape[:d] + x.shape[d + 1 :]) for i in range(x.shape[d]))


def _bound(i: int, n: int) -> int:
    """A slice bound: negative counts from the end; then kept within [0, n]."""
    if i < 0:
        i += n
    return min(max(i, 0), n)


def tensor_split(case, out_dtype) -> tuple[np.ndarray, ...]:
    """``sections``: n // sections each, the first n % sections one longer.  Indices: the pieces
    x[0:i0], x[i0:i1], ..., x[ik:], each bound read as a slice bound (a piece never runs backwards)."""
    x, spec, dim = case.args
    d = _norm_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(spec, np.ndarray):
        spec = int(spec) if spec.ndim == 0 else [int(v) for v in spec]
    if isinstance(spec, int):
        return _pieces(x, d, [n // spec + (1 if i < n % spec else 0) for i in range(spec)])
    pieces, lo = [], 0
    for i in [*spec, n]:
        hi = max(_bound(i, n), lo)
        pieces.append(_piece(x, d, lo, hi - lo))
        lo = _bound(i, n)
    return tuple(pieces)


def narrow(case, out_dtype) -> np.ndarray:
    """out[..., j, ...] = x[..., start + j, ...] (a negative start counted from the end)."""
    x, dim, start, length = case.args
    d = _norm_dim(dim, x.ndim)
    start = int(start)
    return _piece(x, d, start + x.shape[d] if start < 0 else start, length)
