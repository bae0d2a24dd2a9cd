"""Loop-by-loop definitions of nn functions: dropout, element by element on CPython's twister."""

from __future__ import annotations

import numpy as np

from .random import _memory_order, twister

__all__ = ["dropout"]


def dropout(case, out_dtype):
    """Training with ``0 < p < 1``: in ``x``'s memory order, each element is kept when a 53-bit uniform
    is below ``1 - p`` and then multiplied by ``1 / (1 - p)`` (that quotient rounded to ``x``'s dtype);
    dropped elements are ``x * 0``.  ``p = 1`` is ``x * 0`` everywhere; ``p = 0`` and evaluation mode
    are ``x``."""
    seeding, x, p = case.args
    dtype = np.dtype(out_dtype)
    training = case.form in ("function", "function inplace", "module train")
    if not training or p == 0 or x.size == 0:
        return x.astype(dtype)
    zero = dtype.type(0)
    if p == 1:
        return (x * zero).astype(dtype)
    scale = dtype.type(1) / dtype.type(1 - p)
    tw = twister(seeding)
    out = np.empty(x.shape, dtype)
    for pos in _memory_order(x.shape, x.strides):
        kept = tw.uniform_double() < 1 - p
        out[pos] = x[pos] * (scale if kept else zero)
    return out
