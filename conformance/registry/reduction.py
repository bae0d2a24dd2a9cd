"""Registry entries of the reductions (reference/_reduction.py, strategies/reduction.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from ._opinfo import OpInfo, register


def _reduction_call(name: str):
    def call(ns, case, args, kwargs):
        x, *rest = args
        if case.form == "method":
            return getattr(x, name)(*rest, **kwargs)
        return getattr(ns, name)(x, *rest, **kwargs)

    return call


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


register(
    OpInfo(
        "sum",
        _reduction_call("sum"),
        S.reduction_args("sum"),
        S.reduction_invalid("sum"),
        family="sum",
        scale=_sum_scale,
    )
)
register(
    OpInfo(
        "mean",
        _reduction_call("mean"),
        S.reduction_args("mean"),
        S.reduction_invalid("mean"),
        family="sum",
        scale=_mean_scale,
    )
)
