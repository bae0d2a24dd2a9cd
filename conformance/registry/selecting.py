"""Registry entries of select, where, nonzero, masked_select, take and masked_fill
(reference/_selecting.py, strategies/selecting.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ._opinfo import Clause, OpInfo, register
from ._perf import PerfRow, rng, wide
from ._signature import Signature


def _perf_mask(n: int) -> np.ndarray:
    """An (n/64, 64) bool mask, True about half the time."""
    return rng().random((max(n // 64, 1), 64)) < 0.5


register(
    OpInfo(
        "select",
        Signature("select(input, dim, index)", method=True),
        S.select_args(),
        S.select_invalid(),
        oracle=oracles.select,
        rule=(
            Clause("the slice at index along dim, the dim removed, as a view", lambda c: c.args[0].ndim > 1),
            Clause("a negative index counts from the end", event="select: a negative index (from the end)"),
            Clause("a 1-d input gives a 0-d view", event="select: a 1-d input (a 0-d view)"),
            Clause("the index may be a 0-d int64 tensor", event="select: index as a 0-d int64 tensor"),
        ),
        events=tuple(f"select invalid: {d}" for d in ("index", "0-d", "dim", "float", "bool")),
        perf=lambda ns, T, n: (lambda x: lambda: x.select(0, 1))(T(wide(n), True)),
    )
)


def _where_call(ns, case: Case, args, kwargs):
    """torch.where's forms: three arguments (positional or by keyword, ``out=``), the method
    ``input.where(condition, other)``, and ``where(condition)`` alone."""
    if case.form == "one argument":
        return ns.where(*args)
    cond, a, b = args
    if case.form == "keywords":
        return ns.where(condition=cond, input=a, other=b)
    if case.form == "method":
        return a.where(cond, b)
    if case.form == "out":
        out = ns.empty(0, dtype=ns.result_type(a, b), device=cond.device)
        written = ns.where(cond, a, b, out=out)
        if written is not out:
            raise RuntimeError("where(out=...) returned a tensor other than its out argument")
        return written
    return ns.where(cond, a, b)


def _where_perf(ns, T, n: int):
    """``where(mask, x, y)`` over (n/64, 64) float32 operands (memory-bound: 1 + 4 + 4 bytes read, 4 written)."""
    c, x, y = T(_perf_mask(n)), T(wide(n), True), T(wide(n, low=2.0, high=3.0), True)
    return PerfRow(lambda: ns.where(c, x, y), bytes_moved=13 * x.numel())


register(
    OpInfo(
        "where",
        _where_call,
        S.where_args(),
        S.where_invalid(),
        oracle=oracles.where,
        # two tensor branches, one complex: torch's engine refuses the complex gradient WhereBackward0 hands
        # the real one (compared with torch, where both raise; no derivative to difference)
        fd_cases=lambda c: (
            not (
                all(isinstance(v, np.ndarray) for v in c.args[1:3])
                and len({v.dtype.kind == "c" for v in c.args[1:3]}) == 2
            )
        ),
        # torch records no graph through out= (the form is compared in the value tests)
        grad_cases=lambda c: c.form != "out",
        rule=(
            Clause("input where the condition holds, else other", lambda c: len(c.args) == 3),
            Clause(
                "the three broadcast together", lambda c: len(c.args) == 3 and c.args[0].shape != np.shape(c.args[1])
            ),
            Clause("a 0-d condition broadcasts", event="where: a 0-d condition broadcasts"),
            Clause(
                "the result's dtype promotes the two branches", event="where: branches of different dtypes (promoted)"
            ),
            *(
                Clause(f"a Python {k} branch takes part in promotion as a number", event=f"where: a Python {k} branch")
                for k in ("bool", "int", "float", "complex")
            ),
            Clause(
                "a uint8 condition is still accepted (deprecated)",
                event="where: a uint8 condition (deprecated, still accepted)",
            ),
            Clause("one argument: nonzero(condition, as_tuple=True)", event="where: one argument (nonzero as a tuple)"),
        ),
        events=(
            *(f"where: form {f}" for f in ("function", "keywords", "method", "out")),
            *(f"where invalid: {d}" for d in ("condition dtype", "shape", "out with a number", "number by input=")),
        ),
        perf=_where_perf,
    )
)


def _nonzero_out_refused(case: Case) -> bool:
    """torch refuses ``out=`` together with ``as_tuple=True``."""
    return (case.form or "").startswith("out") and bool(case.kwargs.get("as_tuple"))


register(
    OpInfo(
        "nonzero",
        Signature("nonzero(input, *, as_tuple=False)", method=True, out=True),
        S.nonzero_args(),
        S.nonzero_invalid(),
        oracle=oracles.nonzero,
        differentiable=False,
        may_refuse=_nonzero_out_refused,
        rule=(
            Clause(
                "the coordinates of the nonzero elements, row-major, stored column by column",
                lambda c: c.args[0].ndim > 1 and bool(np.count_nonzero(c.args[0])),
            ),
            Clause(
                "NaN is nonzero, -0.0 is zero",
                lambda c: c.args[0].dtype.kind in "fc" and bool(np.isnan(c.args[0]).any()),
            ),
            Clause("as_tuple: one 1-d tensor per dim", lambda c: c.kwargs["as_tuple"] and c.args[0].ndim > 1),
            Clause("a 0-d input gives (n, 0)", event="nonzero: 0-d input"),
            Clause("a 0-d input as a tuple gives one 1-d tensor", event="nonzero: 0-d input as a tuple"),
            Clause("an empty input gives (0, ndim)", event="nonzero: empty input"),
            Clause("no nonzero element gives (0, ndim)", event="nonzero: no nonzero element (an (0, ndim) result)"),
        ),
        events=("nonzero invalid: positional as_tuple",),
        perf=lambda ns, T, n: (lambda m: lambda: ns.nonzero(m))(T(_perf_mask(n))),
    )
)


register(
    OpInfo(
        "masked_select",
        Signature("masked_select(input, mask)", method=True, out=True),
        S.masked_select_args(),
        S.masked_select_invalid(),
        oracle=oracles.masked_select,
        rule=(
            Clause("the selected elements in row-major order, as a 1-d tensor", lambda c: c.args[0].ndim > 1),
            Clause("the mask broadcasts to the input", event="masked_select: the mask broadcasts to the input"),
            Clause("the input broadcasts to the mask", event="masked_select: the input broadcasts to the mask"),
        ),
        events=tuple(f"masked_select invalid: {d}" for d in ("mask dtype", "shape")),
        perf=lambda ns, T, n: (lambda x, m: lambda: ns.masked_select(x, m))(T(wide(n), True), T(_perf_mask(n))),
    )
)


def _take_perf(ns, T, n: int):
    """``take`` of n/2 random positions from an (n/64, 64) float32 tensor."""
    x = T(wide(n), True)
    index = T(rng().integers(-x.numel(), x.numel(), max(n // 2, 1)).astype(np.int64))
    return lambda: ns.take(x, index)


register(
    OpInfo(
        "take",
        Signature("take(input, index)", method=True, out=True),
        S.take_args(),
        S.take_invalid(),
        oracle=oracles.take,
        rule=(
            Clause(
                "the input read as flat row-major, at the index's positions, in its shape", lambda c: c.args[1].size > 0
            ),
            Clause("negative positions count from the end", event="take: negative positions (from the end)"),
            Clause("a 0-d index gives a 0-d result", event="take: a 0-d index (a 0-d result)"),
            Clause("repeated positions", event="take: repeated positions"),
            Clause("the result is contiguous whatever the index's layout", lambda c: not c.args[1].flags.c_contiguous),
        ),
        events=tuple(f"take invalid: {d}" for d in ("range", "index dtype")),
        perf=_take_perf,
    )
)


register(
    OpInfo(
        "masked_fill",
        Signature("masked_fill(input, mask, value)", method=True, inplace=True),
        S.masked_fill_args(),
        S.masked_fill_invalid(),
        oracle=oracles.masked_fill,
        # a real 0-d value tensor filled into a complex input: torch's engine refuses the complex gradient
        # MaskedFillBackward0 hands it (compared with torch, where both raise; no derivative to difference)
        fd_cases=lambda c: (
            not (c.args[0].dtype.kind == "c" and isinstance(c.args[2], np.ndarray) and c.args[2].dtype.kind != "c")
        ),
        rule=(
            Clause("value where the mask holds, the input elsewhere", lambda c: bool(c.args[1].any())),
            Clause(
                "the result keeps the input's dtype", lambda c: np.asarray(c.args[2]).dtype.kind != c.args[0].dtype.kind
            ),
            Clause(
                "the input broadcasts to the mask (out of place)", event="masked_fill: the input broadcasts to the mask"
            ),
            Clause("a 0-d tensor value", event="masked_fill: a 0-d tensor value"),
            Clause(
                "a float value truncates into an integer dtype",
                event="masked_fill: a float value truncated into an integer dtype",
            ),
            Clause(
                "a complex value with no imaginary part fits a real dtype",
                event="masked_fill: a complex value with no imaginary part into a real dtype",
            ),
            Clause("the result is contiguous whatever the input's layout", lambda c: not c.args[0].flags.c_contiguous),
        ),
        events=tuple(f"masked_fill invalid: {d}" for d in ("mask dtype", "overflow", "value dims")),
        perf=lambda ns, T, n: (lambda x, m: lambda: x.masked_fill(m, 0.0))(T(wide(n), True), T(_perf_mask(n))),
    )
)
