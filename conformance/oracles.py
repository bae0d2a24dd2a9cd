"""Loop-by-loop definitions of each op, written from torch's documentation with plain Python loops.

They share no code with ``reference`` and never call torch: they are the
independent third opinion that decides which side is wrong when the
reference and torch disagree.  Only meant for small shapes.

Each oracle takes the case's NumPy arguments and returns the expected values
(as an ndarray) -- dtypes are checked elsewhere, against torch's promotion.
"""

from __future__ import annotations

import itertools
import math
import string

import numpy as np


def _norm_dim(d: int, n: int) -> int:
    n = max(n, 1)
    return d + n if d < 0 else d


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


def _row_major(x: np.ndarray) -> np.ndarray:
    """The elements in row-major order, copied one at a time."""
    flat = [x[p] for p in itertools.product(*(range(s) for s in x.shape))]
    return np.array(flat, dtype=x.dtype).reshape(x.shape)


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


def clamp(x: np.ndarray, min=None, max=None, out_dtype=None, **_) -> np.ndarray:
    """Elementwise: v = x; if min is NaN or v < min: v = min; if max is NaN or v > max: v = max."""
    arrays = [np.asarray(x)] + [np.asarray(b) for b in (min, max) if b is not None]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    dt = np.dtype(out_dtype) if out_dtype is not None else x.dtype
    xb = np.broadcast_to(x, shape)
    lo = None if min is None else np.broadcast_to(_as(min, dt), shape)
    hi = None if max is None else np.broadcast_to(_as(max, dt), shape)
    out = np.empty(shape, dtype=dt)
    for p in itertools.product(*(range(s) for s in shape)):
        v = _scalar(xb[p], dt)
        if lo is not None:
            b = _scalar(lo[p], dt)
            if _isnan(b) or v < b:
                v = b
        if hi is not None:
            b = _scalar(hi[p], dt)
            if _isnan(b) or v > b:
                v = b
        out[p] = v
    return out


def _as(b, dt):
    if isinstance(b, np.ndarray):
        return b.astype(dt)
    if dt.kind == "u" and isinstance(b, int) and b < 0:
        return np.array(b % (np.iinfo(dt).max + 1), dtype=dt)  # c10 wraps negative scalars for unsigned
    return np.array(b, dtype=dt)


def _scalar(v, dt):
    return dt.type(v)


def _isnan(v) -> bool:
    return isinstance(v, float | np.floating) and math.isnan(v)


_LETTERS = string.ascii_uppercase + string.ascii_lowercase


def einsum(equation: str, *operands: np.ndarray, **_) -> np.ndarray:
    """Sum over every assignment of the summed labels of the product of the operands' entries."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    ell_nd = 0
    expanded = []
    for t, op in zip(terms, operands, strict=True):
        if "..." in t:
            k = op.ndim - (len(t) - 3)
            ell_nd = max(ell_nd, k)
            expanded.append(t.replace("...", "".join(f"<{j}>" for j in range(k - 1, -1, -1))))
        else:
            expanded.append(t)
    labels_per_op = [_split_labels(t) for t in expanded]
    if arrow:
        out_labels = _split_labels(rhs.replace("...", "".join(f"<{j}>" for j in range(ell_nd - 1, -1, -1))))
    else:
        counts = {}
        for labs in labels_per_op:
            for c in labs:
                counts[c] = counts.get(c, 0) + 1
        ell = [f"<{j}>" for j in range(ell_nd - 1, -1, -1)]
        out_labels = ell + sorted(
            (c for c, n in counts.items() if n == 1 and not c.startswith("<")), key=_LETTERS.index
        )
    sizes: dict[str, int] = {}
    for labs, op in zip(labels_per_op, operands, strict=True):
        for c, s in zip(labs, op.shape, strict=True):
            if sizes.get(c, 1) == 1:
                sizes[c] = s
    all_labels = list(sizes)
    acc_dtype = (
        np.complex128
        if any(op.dtype.kind == "c" for op in operands)
        else (np.float64 if any(op.dtype.kind == "f" for op in operands) else np.int64)
    )
    out = np.zeros(tuple(sizes[c] for c in out_labels), dtype=acc_dtype)
    for assignment in itertools.product(*(range(sizes[c]) for c in all_labels)):
        val = dict(zip(all_labels, assignment, strict=True))
        prod = acc_dtype(1)
        for labs, op in zip(labels_per_op, operands, strict=True):
            # a size-1 dim broadcasts: it is always read at position 0
            pos = tuple(val[c] if s != 1 else 0 for c, s in zip(labs, op.shape, strict=True))
            prod = prod * acc_dtype(op[pos])
        out[tuple(val[c] for c in out_labels)] += prod
    return out


def _split_labels(term: str) -> list[str]:
    out, i = [], 0
    while i < len(term):
        if term[i] == "<":
            j = term.index(">", i)
            out.append(term[i : j + 1])
            i = j + 1
        else:
            out.append(term[i])
            i += 1
    return out


def detach(x: np.ndarray, **_) -> np.ndarray:
    return x.copy()
