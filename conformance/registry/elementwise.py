"""Registry entries of the elementwise ops (reference/_elementwise.py, strategies/elementwise.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ._opinfo import OpInfo, register


def _clamp_signed_zero_free(case: Case, device: str) -> bool:
    """known_differences: the sign of a zero at a tie is the input's on CPU with number bounds only;
    CUDA kernels, and CPU's vectorised loop with tensor bounds, may return the bound's zero."""
    tensor_bound = any(isinstance(b, np.ndarray) for b in case.kwargs.values())
    return device.startswith("cuda") or tensor_bound


def _clamp_differentiable_here(case: Case) -> bool:
    """Finite differences give clamp's derivative only away from the bounds: at ``x == min`` or
    ``x == max`` (and where ``min >= max``) torch's gradient is a convention.  Cases where torch's
    backward itself raises are excluded too (their parity is checked against torch): two tensor
    bounds where a bound is smaller than the broadcast output (torch combines masks in place), and a
    0-d float bound beside a number bound (once it requires grad, no overload matches)."""
    x = np.asarray(case.args[0], dtype=np.float64)
    lo, hi = case.kwargs["min"], case.kwargs["max"]
    bounds = [np.asarray(b, dtype=np.float64) for b in (lo, hi) if b is not None]
    with np.errstate(invalid="ignore"):
        if any(np.any(np.broadcast_arrays(x, b)[0] == b) for b in bounds):
            return False
        if len(bounds) == 2 and np.any(bounds[0] >= bounds[1]):
            return False
    arrays = [b for b in (lo, hi) if isinstance(b, np.ndarray)]
    if len(arrays) == 2:
        full = np.broadcast_shapes(x.shape, lo.shape, hi.shape)
        if np.broadcast_shapes(x.shape, lo.shape) != full or np.broadcast_shapes(x.shape, hi.shape) != full:
            return False
    numbers = [b for b in (lo, hi) if b is not None and not isinstance(b, np.ndarray)]
    return not (arrays and numbers and any(a.dtype.kind == "f" for a in arrays))


def _clamp_call(ns, case, args, kwargs):
    (x,) = args
    lo, hi = kwargs["min"], kwargs["max"]
    if case.form == "method":
        return x.clamp(lo, hi)
    if case.form == "clip":
        return ns.clip(x, min=lo, max=hi)
    if case.form == "keywords":
        kw = {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}
        return x.clamp(**kw)
    return ns.clamp(x, lo, hi)


register(
    OpInfo(
        "clamp",
        _clamp_call,
        S.clamp_args(),
        S.clamp_invalid(),
        oracle=lambda case, out_dtype: oracles.clamp(*case.args, **case.kwargs, out_dtype=out_dtype),
        signed_zero_free=_clamp_signed_zero_free,
        fd_cases=_clamp_differentiable_here,
        events=(
            "clamp: tie at bound",
            "clamp: min > max",
            "clamp: NaN bound",
            "clamp: integer input, float bound (promotes)",
            "clamp: bound broadcasts the output",
            "clamp: 0-d tensor bound",
        ),
    )
)


_OPERATORS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
}


def _binary_call(name: str):
    def call(ns, case, args, kwargs):
        a, b = args
        if case.form == "operator":
            return _OPERATORS[name](a, b)
        return getattr(ns, name)(a, b)

    return call


def _pow_positive_finite_base(case: Case) -> bool:
    """known_differences: pow's second order at a negative or non-finite base with a zero exponent
    differs (torch's masked formula vs the reference's where()); double backward keeps the base positive."""
    base = case.args[0]
    return not isinstance(base, np.ndarray) or bool(np.all(np.isfinite(base)) and np.all(np.real(base) > 0))


def _pow_number_exponent_or_float(case: Case) -> bool:
    """torch's pow backward treats a bool exponent False as a number != 0 (``0 * x**-1`` is NaN at
    x == 0) and raises for a bool tensor exponent (bool subtraction): no derivative to compare there."""
    e = case.args[1]
    return not isinstance(e, bool) and not (isinstance(e, np.ndarray) and e.dtype == np.bool_)


_REAL_DTYPES = tuple(d for d in S.ALL_DTYPES if not d.startswith("complex"))
_PROMOTION = ("promotion: mixed categories", "promotion: lower-priority operand", "promotion: 0-d tensor operand")
for _op, _family, _names, _extra in (
    ("add", "exact", S.ALL_DTYPES, {}),
    ("sub", "exact", S.ALL_DTYPES, {}),
    ("mul", "elementwise", S.ALL_DTYPES, {}),
    ("div", "elementwise", S.ALL_DTYPES, {}),
    (
        "pow",
        "elementwise",
        S.ALL_DTYPES,
        {"gradgrad_cases": _pow_positive_finite_base, "fd_cases": _pow_number_exponent_or_float},
    ),
    ("eq", "exact", S.ALL_DTYPES, {"differentiable": False}),
    ("lt", "exact", _REAL_DTYPES, {"differentiable": False}),
):
    register(
        OpInfo(
            _op,
            _binary_call(_op),
            S.binary_args(_op, _names),
            S.binary_invalid(_op),
            family=_family,
            events=_PROMOTION,
            **_extra,
        )
    )


def _unary_call(name: str):
    def call(ns, case, args, kwargs):
        (x,) = args
        return getattr(x, name)() if case.form == "method" else getattr(ns, name)(x)

    return call


for _op in ("exp", "sigmoid"):
    register(OpInfo(_op, _unary_call(_op), S.unary_args(), S.unary_invalid(), family="elementwise"))
