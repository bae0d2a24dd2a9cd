"""Registry entries of index_add, scatter and scatter_add (reference/_placing.py, strategies/placing.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ._opinfo import Clause, OpInfo, register
from ._perf import rng, wide
from ._signature import Signature


def _index(case: Case) -> np.ndarray:
    return np.asarray(case.args[2])


def _repeats(case: Case) -> bool:
    idx = _index(case)
    if idx.ndim == 0 or idx.size < 2:
        return False
    if len(case.args) > 2 and idx.ndim == np.ndim(case.args[0]) and idx.ndim > 1:
        d = case.args[1] % idx.ndim
        cols = np.moveaxis(idx, d, -1).reshape(-1, idx.shape[d])
        return any(len(np.unique(c)) < len(c) for c in cols)
    return len(np.unique(idx)) < idx.size


def _src_matches_index(case: Case) -> bool:
    """torch's scatter backward needs ``src`` of the index's shape (else its backward raises)."""
    return len(case.args) < 4 or not isinstance(case.args[3], np.ndarray) or case.args[3].shape == _index(case).shape


def _index_add_perf(ns, T, n: int):
    """Add n/2 rows of 64 float32 into an (n/64, 64) tensor at random rows."""
    x = T(wide(n), True)
    rows = max(n // 128, 1)
    index = T(rng().integers(0, x.shape[0], rows).astype(np.int64))
    source = T(wide(rows * 64, low=0.0, high=1.0), True)
    return lambda: ns.index_add(x, 0, index, source)


def _scatter_perf(name: str):
    """``torch.<name>(x, 0, index, src)`` for an (n/64, 64) float32 x, an index and src of its shape."""

    def perf(ns, T, n: int):
        x = T(wide(n), True)
        index = T(rng().integers(0, x.shape[0], tuple(x.shape)).astype(np.int64))
        src = T(wide(n, low=0.0, high=1.0), True)
        fn = getattr(ns, name)
        return lambda: fn(x, 0, index, src)

    return perf


register(
    OpInfo(
        "index_add",
        Signature("index_add(input, dim, index, source, *, alpha=1)", method=True, inplace=True, out=True),
        S.index_add_args(),
        S.index_add_invalid(),
        family="sum",
        oracle=oracles.index_add,
        rule=(
            Clause("each source slice is added into the slice its index names", lambda c: _index(c).size > 0),
            Clause("repeated positions accumulate", event="index_add: repeated positions"),
            Clause("alpha scales the source", event="index_add: alpha scales the source"),
            Clause("a 0-d index names one slice", event="index_add: a 0-d index"),
            Clause("an int32 index", event="index_add: an int32 index"),
            Clause("an empty index changes nothing", event="index_add: an empty index"),
            Clause("the result is contiguous whatever the input's layout", lambda c: not c.args[0].flags.c_contiguous),
        ),
        events=tuple(
            f"index_add invalid: {d}" for d in ("bounds", "index dtype", "index dims", "count", "shape", "dtype")
        ),
        perf=_index_add_perf,
    )
)


def _value_keyword(name: str, value, how: str) -> str:
    """scatter's fourth argument is ``src`` for a tensor, ``value`` for a number."""
    return "value" if name == "src" and isinstance(value, bool | int | float | complex) else name


SCATTER_RULE = (
    Clause("src[i] goes where index[i] points along dim", lambda c: _index(c).size > 0),
    Clause("an index smaller than the input off dim", event="scatter: an index smaller than the input off dim"),
    Clause(
        "src larger than the index: its leading block is read",
        event="scatter: src larger than the index (its leading block is read)",
    ),
    Clause("a number written (positional or value=)", event="scatter: a number written"),
    Clause("repeated positions: the last write wins on the CPU", event="scatter: repeated positions"),
    Clause("an int32 index", event="scatter: an int32 index"),
    Clause("an empty index changes nothing", event="scatter: an empty index"),
)

register(
    OpInfo(
        "scatter",
        Signature("scatter(input, dim, index, src)", method=True, inplace=True, out=True, keyword=_value_keyword),
        S.scatter_args(),
        S.scatter_invalid(),
        oracle=oracles.scatter,
        # finite differences of "the last write wins" are not torch's gradient (it reaches every repeat),
        # and torch's backward refuses a src of another shape than the index
        fd_cases=lambda c: not _repeats(c) and _src_matches_index(c),
        rule=SCATTER_RULE,
        events=tuple(f"scatter invalid: {d}" for d in ("bounds", "index dtype", "rank", "size", "dtype")),
        perf=_scatter_perf("scatter"),
    )
)

register(
    OpInfo(
        "scatter_add",
        Signature("scatter_add(input, dim, index, src)", method=True, inplace=True, out=True),
        S.scatter_add_args(),
        S.scatter_add_invalid(),
        family="sum",
        oracle=oracles.scatter_add,
        fd_cases=_src_matches_index,
        rule=(
            Clause("src[i] is added where index[i] points along dim", lambda c: _index(c).size > 0),
            Clause("repeated positions accumulate", event="scatter_add: repeated positions"),
            Clause(
                "src larger than the index: its leading block is read",
                event="scatter_add: src larger than the index (its leading block is read)",
            ),
            Clause(
                "an index smaller than the input off dim",
                event="scatter_add: an index smaller than the input off dim",
            ),
            Clause("an int32 index", event="scatter_add: an int32 index"),
            Clause("an empty index changes nothing", event="scatter_add: an empty index"),
        ),
        events=tuple(f"scatter_add invalid: {d}" for d in ("bounds", "index dtype", "rank", "size", "dtype")),
        perf=_scatter_perf("scatter_add"),
    )
)
