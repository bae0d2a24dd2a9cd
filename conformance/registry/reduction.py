"""Registry entries of the reductions (reference/_reduction.py, strategies/reduction.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from ._opinfo import Clause, OpInfo, register
from ._perf import wide
from ._signature import Signature


def _sum_scale(case: Case) -> np.ndarray:
    x, *rest = case.args
    dim = rest[0] if rest else None
    a = np.abs(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64))
    if dim is None or dim == ():
        dims = tuple(range(x.ndim))
    else:
        dims = (dim,) if isinstance(dim, int) else dim
    return np.sum(
        a, axis=tuple(d % max(x.ndim, 1) for d in dims) if x.ndim else None, keepdims=case.kwargs.get("keepdim", False)
    )


def _mean_scale(case: Case) -> np.ndarray:
    x, *rest = case.args
    n = _sum_scale(Case((np.ones_like(x, dtype=np.float64),) + tuple(rest), case.kwargs))
    with np.errstate(invalid="ignore", divide="ignore"):
        return _sum_scale(case) / np.maximum(n, 1)


def _reduced(case: Case) -> tuple[int, ...]:
    """The dims a case reduces (every dim for no dim, None or an empty tuple)."""
    x, *rest = case.args
    dim = rest[0] if rest else case.kwargs.get("dim")
    if dim is None or dim == () or x.ndim == 0:
        return tuple(range(x.ndim))
    return tuple(d % x.ndim for d in ((dim,) if isinstance(dim, int) else dim))


def _kept_dims_out_of_order(case: Case) -> bool:
    """Two kept dims of size > 1 whose input strides are not in row-major order: a result that followed
    the input's layout would not be contiguous."""
    x = case.args[0]
    reduced = set(_reduced(case))
    strides = [abs(s) for d, (n, s) in enumerate(zip(x.shape, x.strides, strict=True)) if d not in reduced and n > 1]
    return any(a < b for a, b in zip(strides, strides[1:], strict=False))


def _dim_rule(op: str) -> tuple[Clause, ...]:
    return (
        Clause(
            "the result is a new contiguous tensor whatever the input's layout (permuted kept dims included)",
            _kept_dims_out_of_order,
        ),
        Clause(
            "no dim, None or () reduces every dim", lambda c: c.args[0].ndim > 1 and len(_reduced(c)) == c.args[0].ndim
        ),
        Clause("a dim or a tuple of dims reduces only those", lambda c: 0 < len(_reduced(c)) < c.args[0].ndim),
        Clause("keepdim keeps each reduced dim with size 1", lambda c: c.kwargs.get("keepdim") and c.args[0].ndim > 0),
        Clause(
            "a negative dim counts from the end",
            lambda c: (
                len(c.args) > 1
                and c.args[0].ndim > 1
                and min((c.args[1],) if isinstance(c.args[1], int) else c.args[1] or (0,)) < 0
            ),
        ),
        Clause(
            f"passing dim at all (None included) selects the dim overload ({op.capitalize()}Backward1)",
            lambda c: len(c.args) == 1 and "defaults omitted" not in (c.form or ""),
        ),
    )


def _reduces_nothing(case: Case) -> bool:
    x = case.args[0]
    return x.ndim > 0 and any(x.shape[d] == 0 for d in _reduced(case))


def _sum_perf(ns, T, n: int):
    """Sum each row of an (n/64, 64) float32 tensor (over the contiguous dim)."""
    x = T(wide(n), True)
    return lambda: x.sum(1)


register(
    OpInfo(
        "sum",
        Signature("sum(input, dim=None, keepdim=False, *, dtype=None)", method=True, out=True),
        S.reduction_args("sum"),
        S.reduction_invalid("sum"),
        family="sum",
        scale=_sum_scale,
        rule=_dim_rule("sum")
        + (
            Clause("bool and integer inputs accumulate in int64", lambda c: c.args[0].dtype.kind in "biu"),
            Clause("a sum over an empty dim is 0", _reduces_nothing),
        ),
        perf=_sum_perf,
    )
)


def _mean_perf(ns, T, n: int):
    """Mean each row of an (n/64, 64) float32 tensor (over the contiguous dim)."""
    x = T(wide(n), True)
    return lambda: x.mean(1)


register(
    OpInfo(
        "mean",
        Signature("mean(input, dim=None, keepdim=False, *, dtype=None)", method=True, out=True),
        S.reduction_args("mean"),
        S.reduction_invalid("mean"),
        family="sum",
        scale=_mean_scale,
        rule=_dim_rule("mean") + (Clause("a mean over an empty dim is NaN", _reduces_nothing),),
        perf=_mean_perf,
    )
)
