"""Perf rows: what the perf report measures for an op, declared on the op's entry (``OpInfo.perf``).

An entry's ``perf(ns, T, n)`` builds its inputs with ``T(ndarray, requires_grad=False)`` (a tensor of
the measured implementation, on its device) and returns the zero-argument call to time at about ``n``
elements: a callable, a :class:`PerfRow` (a call that also states the bytes it moves, for the
memory-bound table), or a dict of named rows when one op has several shapes worth measuring
(a view and the copy that materialises it).  The inputs are the same NumPy arrays for every
implementation (fixed seed), so each ratio compares like with like.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class PerfRow:
    """One measured call; ``bytes_moved`` (read + written per call) marks a memory-bound row, whose
    throughput the report compares with the machine's copy bandwidth."""

    fn: Callable[[], Any]
    bytes_moved: int | None = None


def perf_rows(op_name: str, made) -> dict[str, PerfRow]:
    """Normalise what ``OpInfo.perf`` returned into named rows (a single call is named after the op)."""
    if isinstance(made, dict):
        return {name: row if isinstance(row, PerfRow) else PerfRow(row) for name, row in made.items()}
    return {op_name: made if isinstance(made, PerfRow) else PerfRow(made)}


def rng() -> np.random.Generator:
    return np.random.default_rng(0)


def wide(n: int, dtype="float32", low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """An (n/64, 64) array of uniform values in [low, high): the common elementwise operand."""
    rows = max(n // 64, 1)
    return (rng().random((rows, 64)) * (high - low) + low).astype(dtype)


def square(n: int, dtype="float32", seed: int = 0) -> np.ndarray:
    """A sqrt(n) x sqrt(n) standard-normal matrix."""
    side = max(int(np.sqrt(n)), 1)
    return np.random.default_rng(seed).standard_normal((side, side)).astype(dtype)


def cube(n: int, dtype="float32") -> np.ndarray:
    """A cbrt(n)^3 standard-normal array (three dims to permute)."""
    side = max(round(n ** (1 / 3)), 1)
    return rng().standard_normal((side, side, side)).astype(dtype)


def binary(name: str, dtype: str = "float32", low: float = 1.0, high: float = 8.0):
    """``torch.<name>(x, y)`` for an (n/64, 64) ``x`` and a (1, 64) row ``y`` that broadcasts against it
    (values in [low, high), so division, powers and shifts stay in range)."""

    def perf(ns, T, n: int):
        x = T(wide(n, dtype, low, high), True)
        y = T(wide(64, dtype, low, high))
        fn = getattr(ns, name)
        return lambda: fn(x, y)

    return perf


def unary(name: str, dtype: str = "float32", low: float = -1.0, high: float = 1.0):
    """``torch.<name>(x)`` for an (n/64, 64) ``x`` with values in [low, high)."""

    def perf(ns, T, n: int):
        x = T(wide(n, dtype, low, high), True)
        fn = getattr(ns, name)
        return lambda: fn(x)

    return perf
