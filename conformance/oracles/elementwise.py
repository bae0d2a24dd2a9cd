"""Loop-by-loop definitions of the elementwise ops (clamp)."""

from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["clamp"]


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
