"""Registry entries of indexing and selection (reference/_indexing.py, strategies/indexing.py)."""

from __future__ import annotations

import numpy as np

import strategies as S

from .. import oracles
from ._opinfo import OpInfo, _fn_or_method, loop, register

register(
    OpInfo(
        "gather",
        _fn_or_method("gather"),
        S.gather_args(),
        S.gather_invalid(),
        oracle=loop(oracles.gather),
        events=(
            "gather: duplicate indices",
            "gather: empty index",
            "gather: 0-d input",
            "gather: index smaller than input",
            "gather: index longer along dim",
            "gather: int32 index",
        ),
    )
)


def _index_select_loop(x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
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


def _index_select_perf(ns, T, n: int):
    """Select every other row of an (n/64, 64) float32 matrix, in reverse order."""
    rng = np.random.default_rng(0)
    rows = max(n // 64, 1)
    x = T(rng.standard_normal((rows, 64)).astype(np.float32), True)
    idx = T(np.arange(rows - 1, -1, -2, dtype=np.int64))
    return lambda: ns.index_select(x, 0, idx)


register(
    OpInfo(
        "index_select",
        _fn_or_method("index_select"),
        S.index_select_args(),
        S.index_select_invalid(),
        oracle=loop(_index_select_loop),
        events=(
            "index_select: 0-d input",
            "index_select: 0-d index",
            "index_select: empty index",
            "index_select: repeated positions",
            "index_select: positions out of order",
            "index_select: longer than input along dim",
            "index_select: int32 index",
        ),
        perf=_index_select_perf,
    )
)
