"""Registry entries of zeros, ones, full, full_like, linspace and logspace (reference/_creation.py,
strategies/creation.py).

Factories read no tensor, so their calls are hand-written: the case carries dtypes and memory formats
by name and the out tensor as ``out=<dtype name>``, and :func:`_factory_call` builds each namespace's
objects and the call form the strategy chose."""

from __future__ import annotations

import math

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ._opinfo import Clause, OpInfo, register
from ._perf import wide
from ._signature import out_tensor


def _options(ns, kwargs: dict) -> dict:
    """The case's keywords with dtype and memory-format names made objects of ``ns``."""
    kw = dict(kwargs)
    for key in ("dtype", "memory_format"):
        if key in kw:
            kw[key] = getattr(ns, kw[key])
    kw.pop("out", None)
    return kw


def _with_out(ns, case: Case, kwargs: dict, shape: tuple[int, ...], call, device=None):
    """``call(out=...)`` with the case's out tensor (``out_tensor``: empty, strided -- kept -- or non-empty
    of another shape -- resized without a warning, factories resize it themselves); torch returns that
    very tensor.  ``device``: that of the call's tensor arguments (a meta target's ends are meta tensors)."""
    dtype = getattr(ns, kwargs["out"])
    if case.form == "out requires grad":
        out = ns.empty(shape, dtype=dtype).requires_grad_()
    else:
        kind = {"out": "empty", "out strided": "strided", "out resized": "resized", "out same count": "same count"}
        out = out_tensor(ns, kind[case.form], shape, dtype, device)
    written = call(out=out)
    if written is not out:
        raise RuntimeError("a factory's out= call returned a tensor other than its out argument")
    return written


def _sized_call(name: str):
    """``zeros``/``ones`` in the form the case carries: varargs, one tuple, one list, ``size=``, an integer
    tensor inside the size, a lone value, or out=."""

    def call(ns, case: Case, args, kwargs):
        fn = getattr(ns, name)
        (size,) = args
        kw = _options(ns, kwargs)
        form = case.form
        if form in S.CREATION_OUT_FORMS + ("out requires grad",):
            return _with_out(ns, case, kwargs, tuple(size), lambda out: fn(tuple(size), out=out, **kw))
        if form == "varargs":
            return fn(*size, **kw)
        if form == "list":
            return fn(list(size), **kw)
        if form == "size keyword":
            return fn(size=tuple(size), **kw)
        if form == "tensor element":
            return fn((ns.tensor(size[0]),) + tuple(size[1:]), **kw)
        if form == "NumPy element":
            return fn((np.int32(size[0]),) + tuple(size[1:]), **kw)
        if form == "lone":
            return fn(size, **kw)
        return fn(tuple(size), **kw)

    return call


def _full_call(ns, case: Case, args, kwargs):
    size, value = args
    kw = _options(ns, kwargs)
    if case.form in S.CREATION_OUT_FORMS:
        return _with_out(ns, case, kwargs, tuple(size), lambda out: ns.full(size, value, out=out, **kw))
    if case.form == "keywords":
        return ns.full(size=size, fill_value=value, **kw)
    return ns.full(size, value, **kw)


def _full_like_call(ns, case: Case, args, kwargs):
    x, value = args
    kw = _options(ns, kwargs)
    if case.form == "keywords":
        return ns.full_like(input=x, fill_value=value, **kw)
    return ns.full_like(x, value, **kw)


def _range_call(name: str):
    """``linspace``/``logspace`` positionally, by keyword (``start=, end=, steps=, base=``) or with out=."""

    def call(ns, case: Case, args, kwargs):
        fn = getattr(ns, name)
        kw = _options(ns, kwargs)
        if case.form in S.CREATION_OUT_FORMS:
            device = next((a.device for a in args[:2] if hasattr(a, "device")), None)
            return _with_out(ns, case, kwargs, (args[2],), lambda out: fn(*args, out=out, **kw), device)
        if case.form == "keywords":
            names = ("start", "end", "steps", "base")
            return fn(**dict(zip(names, args, strict=False)), **kw)
        return fn(*args, **kw)

    return call


def _linspace_scale(case: Case) -> np.ndarray:
    """The size of the ends: torch's vectorised blocks (``base + j*step``) round differently from the
    per-point formula by about an ulp of it."""
    start, end = (complex(np.asarray(v).item()) for v in case.args[:2])
    scale = max(abs(start), abs(end), 1.0)
    return np.float64(np.inf if math.isnan(scale) else scale)


def _logspace_scale(case: Case) -> np.ndarray:
    """|value| * (1 + |ln base| * |exponent|): an ulp in the exponent moves base**e by that much."""
    start, end = (complex(np.asarray(v).item()) for v in case.args[:2])
    base = case.args[3] if len(case.args) > 3 else 10.0
    with np.errstate(all="ignore"):
        exps = np.linspace(start, end, case.args[2]) if case.args[2] else np.zeros(0)
        value = np.abs(np.power(complex(base), exps))
        scale = value * (1 + abs(np.log(abs(base) or 1.0)) * np.maximum(abs(start), abs(end)))
    return np.where(np.isnan(scale), np.inf, scale)  # NaN ends: only equal values (NaN or pow(1, NaN)) agree


def _stepped_family(case: Case) -> str:
    """Exact where every point is an end (up to 2 real points; logspace's one power is libm's on both
    sides); "stepped" where torch's vector blocks may round differently, and for complex arithmetic."""
    complex_ = "complex" in str(case.kwargs.get("dtype") or case.kwargs.get("out")) or any(
        isinstance(np.asarray(v).item(), complex) for v in case.args[:2]
    )
    return "exact" if case.args[2] <= 2 and not complex_ else "stepped"


_SIZE_FORMS = ("varargs", "tuple", "list", "size keyword", "tensor element", "NumPy element")

for _name, _fill in (("zeros", 0), ("ones", 1)):
    register(
        OpInfo(
            _name,
            _sized_call(_name),
            S.sized_args(_name),
            S.sized_invalid(_name),
            oracle=oracles.filled(_fill),
            differentiable=False,
            rule=(
                Clause("a contiguous tensor of the size", event="creation: an empty result (a size of 0)"),
                Clause("size () is 0-d", event="creation: a 0-d result (size ())"),
                *(Clause(f"the size as {f}", event=f"{_name}: size as {f}") for f in _SIZE_FORMS),
                Clause("the dtype of out= when dtype= is left out", event=f"{_name}: the dtype taken from out="),
                Clause("out= of the right shape keeps its strides", event=f"{_name}: out strided"),
                Clause("a non-empty out= is resized without a warning", event=f"{_name}: out resized"),
                Clause("requires_grad=True makes a leaf", event=f"{_name}: requires_grad=True (a leaf)"),
            ),
            events=tuple(
                f"{_name} invalid: {d}"
                for d in (
                    "negative",
                    "float",
                    "bool",
                    "bool first",
                    "bool tensor",
                    "float tensor",
                    "two sequences",
                    "missing",
                    "grad",
                    "out dtype",
                    "out requires grad",
                )
            ),
            perf=lambda ns, T, n, _name=_name: lambda: getattr(ns, _name)(max(n // 64, 1), 64),
        )
    )

register(
    OpInfo(
        "full",
        _full_call,
        S.full_args(),
        S.full_invalid(),
        oracle=oracles.full,
        differentiable=False,
        rule=(
            *(
                Clause(f"the dtype inferred from a {k} fill value", event=f"full: dtype inferred from a {k} fill value")
                for k in ("int", "float", "bool", "complex")
            ),
            Clause(
                "a NumPy scalar is read as torch's parser reads it (np.bool_ as a float)",
                event="full: a NumPy scalar fill value (np.bool_ counts as a float)",
            ),
            Clause(
                "a 0-d tensor fill value counts as its Python value",
                event="full: fill value a 0-d tensor (its value's kind gives the dtype)",
            ),
            Clause(
                "a fraction is truncated into an integer dtype",
                event="full: a fraction into an integer dtype (truncated)",
            ),
            Clause(
                "a negative int wraps into an unsigned dtype",
                event="full: a negative int into an unsigned dtype (wraps)",
            ),
            Clause("any number into bool is its truth", event="full: a number into bool (its truth)"),
            Clause("NaN, infinities and -0.0 are kept", event="full: NaN, an infinity or -0.0 as the fill value"),
            Clause(
                "a one-element float16 result takes an out-of-range value as inf",
                event="full: a one-element float16 result takes an out-of-range value as inf",
            ),
            Clause("the dtype of out= when dtype= is left out", event="full: the dtype taken from out="),
            Clause("out= of the right shape keeps its strides", event="full: out strided"),
            Clause("a non-empty out= is resized without a warning", event="full: out resized"),
        ),
        events=tuple(
            f"full invalid: {d}"
            for d in ("int size", "overflow", "negative fraction", "complex", "not a number", "1-d tensor", "grad")
        ),
        perf=lambda ns, T, n: lambda: ns.full((max(n // 64, 1), 64), 1.5),
    )
)

register(
    OpInfo(
        "full_like",
        _full_like_call,
        S.full_like_args(),
        S.full_like_invalid(),
        oracle=oracles.full_like,
        differentiable=False,
        rule=(
            Clause("input's shape, dtype and dense layout", lambda c: c.args[0].ndim >= 2),
            Clause(
                "a non-dense input is made dense in its order of strides",
                event="full_like: a non-contiguous input's layout (preserve_format)",
            ),
            Clause("dtype= replaces input's dtype", event="full_like: dtype= replaces input's"),
            *(
                Clause(f"memory_format={f}", event=f"full_like: memory_format={f}")
                for f in ("preserve_format", "contiguous_format", "channels_last", "channels_last_3d")
            ),
            Clause(
                "a fraction is truncated into an integer dtype",
                event="full_like: a fraction into an integer dtype (truncated)",
            ),
            Clause(
                "a negative int wraps into an unsigned dtype",
                event="full_like: a negative int into an unsigned dtype (wraps)",
            ),
            Clause(
                "a one-element float16 result takes an out-of-range value as inf",
                event="full_like: a one-element float16 result takes an out-of-range value as inf",
            ),
        ),
        events=tuple(f"full_like invalid: {d}" for d in ("not a tensor", "overflow", "not a number", "format rank")),
        perf=lambda ns, T, n: (lambda x: lambda: ns.full_like(x, 1.5))(T(wide(n))),
    )
)

for _name in ("linspace", "logspace"):
    register(
        OpInfo(
            _name,
            _range_call(_name),
            S.range_args(_name),
            S.range_invalid(_name),
            oracle=getattr(oracles, _name),
            # up to 2 steps every point is an end (exact); more steps round as torch's vector blocks may
            family=_stepped_family,
            # out= with an end that requires grad gets a node whose backward raises (compared in test_values)
            grad_cases=lambda c: c.form not in S.CREATION_OUT_FORMS,
            scale=_linspace_scale if _name == "linspace" else _logspace_scale,
            differentiable=False,
            rule=(
                Clause(
                    "the default float dtype for integer ends",
                    event=f"{_name}: integer ends give the default float dtype",
                ),
                Clause("an integer dtype truncates the points", event=f"{_name}: an integer dtype (points truncated)"),
                Clause("one step is [start], zero steps empty", event=f"{_name}: 1 steps"),
                Clause("zero steps give an empty tensor", event=f"{_name}: 0 steps"),
                Clause("the halfway switch with an odd count", event=f"{_name}: an odd number of steps"),
                Clause("a complex end gives a complex result", event=f"{_name}: a complex end"),
                Clause(
                    "NaN and infinite ends propagate as in the formula", event=f"{_name}: a NaN, infinite or -0.0 end"
                ),
                Clause("an end may be a 0-d tensor", event=f"{_name}: an end as a 0-d tensor"),
                Clause("the dtype of out= when dtype= is left out", event=f"{_name}: the dtype taken from out="),
                Clause("out= of the right shape keeps its strides", event=f"{_name}: out strided"),
                Clause("a non-empty out= is resized without a warning", event=f"{_name}: out resized"),
                *(
                    (Clause("a zero or negative base", event="logspace: a zero or negative base"),)
                    if _name == "logspace"
                    else ()
                ),
            ),
            events=tuple(
                f"{_name} invalid: {d}"
                for d in (
                    "negative steps",
                    "float steps",
                    "1-d end",
                    "bool",
                    "complex end",
                    "overflow",
                    "grad",
                    "negative steps first",
                )
                + (("complex base",) if _name == "logspace" else ())
            ),
            perf=lambda ns, T, n, _name=_name: lambda: getattr(ns, _name)(0.0, 3.0, n),
        )
    )
