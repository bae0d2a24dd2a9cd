"""Helpers shared by the loop-by-loop definitions."""

from __future__ import annotations

import itertools

import numpy as np


def _norm_dim(d: int, n: int) -> int:
    n = max(n, 1)
    return d + n if d < 0 else d


def _row_major(x: np.ndarray) -> np.ndarray:
    """The elements in row-major order, copied one at a time."""
    flat = [x[p] for p in itertools.product(*(range(s) for s in x.shape))]
    return np.array(flat, dtype=x.dtype).reshape(x.shape)
