"""Argument checks shared by every op: dim wrapping and the errors torch raises."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np


def wrap_dim(dim, ndim: int, name: str = "dim") -> int:
    """Map a possibly negative ``dim`` into ``[0, ndim)``.

    torch's rule: a 0-d tensor accepts dims as if it had one dimension
    (``[-1, 0]``).  Anything else raises ``IndexError`` naming the range.
    """
    if type(dim) is not int:
        if isinstance(dim, bool) or not isinstance(dim, int | np.integer):
            raise TypeError(f"{name} must be an int, got {type(dim).__name__}")
        dim = int(dim)
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def wrap_dims(dims: Iterable, ndim: int, name: str = "dim") -> tuple[int, ...]:
    """Wrap a list of dims; a dim given twice is torch's RuntimeError."""
    out: list[int] = []
    for d in dims:
        w = wrap_dim(d, ndim, name)
        if w in out:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        out.append(w)
    return tuple(out)


def as_int_tuple(values, name: str) -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` as torch does."""
    if len(values) == 1 and type(values[0]) is not int and isinstance(values[0], tuple | list | Sequence | np.ndarray):
        values = tuple(values[0])
    if all(type(v) is int for v in values):  # fast path: plain Python ints
        return tuple(values)
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise TypeError(f"{name}: expected a sequence of ints, but element has type {type(v).__name__}")
    return tuple(int(v) for v in values)


def infer_shape(shape: Sequence[int], numel: int) -> tuple[int, ...]:
    """Resolve a single -1 in a view/reshape shape as torch does."""
    shape = tuple(shape)
    if -1 not in shape and min(shape, default=0) >= 0:  # fast path: nothing to infer
        if math.prod(shape) != numel:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        return shape
    infer = [i for i, s in enumerate(shape) if s == -1]
    if len(infer) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    known = math.prod(s for s in shape if s != -1)
    if infer:
        if known == 0 or numel % known != 0:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = shape[: infer[0]] + (numel // known,) + shape[infer[0] + 1 :]
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape
