"""Registry entries of indexing and selection (reference/_indexing.py, strategies/indexing.py)."""

from __future__ import annotations

import numpy as np

import strategies as S

from .. import oracles
from ._opinfo import Clause, OpInfo, loop, register
from ._perf import PerfRow, wide
from ._signature import Signature


def _gather_perf(ns, T, n: int):
    """Gather an (n/64, 64) float32 tensor along dim 1 with a same-shape int64 index in random order:
    memory-bound (4 bytes of input, 8 of index read and 4 written per element)."""
    x = T(wide(n), True)
    idx = T(np.random.default_rng(1).integers(0, 64, tuple(x.shape)).astype(np.int64))
    return PerfRow(lambda: ns.gather(x, 1, idx), bytes_moved=16 * x.numel())


register(
    OpInfo(
        "gather",
        Signature("gather(input, dim, index, *, sparse_grad=False)", method=True, out=True),
        S.gather_args(),
        S.gather_invalid(),
        oracle=loop(oracles.gather),
        rule=(
            Clause(
                "out[p] = input[p with coordinate dim replaced by index[p]]",
                lambda c: c.args[2].size > 1 and c.args[0].ndim > 0,
            ),
            Clause(
                "the result has index's shape, smaller than input elsewhere", event="gather: index smaller than input"
            ),
            Clause("index may be longer than input along dim", event="gather: index longer along dim"),
            Clause("positions may repeat", event="gather: duplicate indices"),
            Clause("an empty index gives an empty result", event="gather: empty index"),
            Clause("a 0-d input takes a 0-d (or 1-element) index", event="gather: 0-d input"),
            Clause("index may be int32 as well as int64", event="gather: int32 index"),
            Clause("a negative dim counts from the end", lambda c: c.args[1] < 0 and c.args[0].ndim > 1),
        ),
        perf=_gather_perf,
    )
)


def _index_select_perf(ns, T, n: int):
    """Select every other row of an (n/64, 64) float32 matrix, in reverse order."""
    x = T(wide(n), True)
    idx = T(np.arange(x.shape[0] - 1, -1, -2, dtype=np.int64))
    return lambda: ns.index_select(x, 0, idx)


register(
    OpInfo(
        "index_select",
        Signature("index_select(input, dim, index)", method=True, out=True),
        S.index_select_args(),
        S.index_select_invalid(),
        oracle=loop(oracles.index_select),
        rule=(
            Clause(
                "out takes positions index[j] of input along dim, in index's order",
                event="index_select: positions out of order",
            ),
            Clause("positions may repeat", event="index_select: repeated positions"),
            Clause("the result may be longer than input along dim", event="index_select: longer than input along dim"),
            Clause("an empty index gives size 0 along dim", event="index_select: empty index"),
            Clause("a 0-d index selects one position (dim kept, size 1)", event="index_select: 0-d index"),
            Clause("a 0-d input is returned as a copy", event="index_select: 0-d input"),
            Clause("index may be int32 as well as int64", event="index_select: int32 index"),
            Clause("a negative dim counts from the end", lambda c: c.args[1] < 0 and c.args[0].ndim > 1),
        ),
        perf=_index_select_perf,
    )
)
