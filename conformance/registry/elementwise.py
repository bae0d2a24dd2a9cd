"""Registry entries of the elementwise ops (reference/_elementwise.py, strategies/elementwise.py)."""

from __future__ import annotations

import operator

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ._opinfo import Clause, OpInfo, register
from ._perf import PerfRow, binary, unary, wide
from ._signature import Signature


def _clamp_signed_zero_free(case: Case, device: str) -> bool:
    """known_differences: the sign of a zero at a tie is the input's on CPU with number bounds only;
    CUDA kernels, and CPU's vectorised loop with tensor bounds, may return the bound's zero."""
    tensor_bound = any(isinstance(b, np.ndarray) for b in case.kwargs.values())
    return device.startswith("cuda") or tensor_bound


def _clamp_moves_values(case: Case) -> bool:
    x = np.asarray(case.args[0], dtype=np.float64)
    lo, hi = (case.kwargs[k] for k in ("min", "max"))
    with np.errstate(invalid="ignore"):
        below = lo is not None and np.any(x < np.asarray(lo, dtype=np.float64))
        above = hi is not None and np.any(x > np.asarray(hi, dtype=np.float64))
    return bool(below or above)


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


def _clamp_perf(ns, T, n: int):
    """Clamp an (n/64, 64) float32 tensor to [-0.5, 0.5]: memory-bound (4 bytes read, 4 written)."""
    x = T(wide(n), True)
    return PerfRow(lambda: ns.clamp(x, -0.5, 0.5), bytes_moved=8 * x.numel())


register(
    OpInfo(
        "clamp",
        Signature("clamp(input, min=None, max=None)", method=True, inplace=True, out=True, aliases=("clip",)),
        S.clamp_args(),
        S.clamp_invalid(),
        oracle=lambda case, out_dtype: oracles.clamp(*case.args, **case.kwargs, out_dtype=out_dtype),
        signed_zero_free=_clamp_signed_zero_free,
        fd_cases=_clamp_differentiable_here,
        rule=(
            Clause("values below min become min, values above max become max", _clamp_moves_values),
            Clause("only one bound may be given", lambda c: (c.kwargs["min"] is None) != (c.kwargs["max"] is None)),
            Clause("where min > max every element becomes max", event="clamp: min > max"),
            Clause("a NaN bound makes the result NaN", event="clamp: NaN bound"),
            Clause("an input equal to a bound stays (ties)", event="clamp: tie at bound"),
            Clause(
                "the result dtype promotes input with the bounds", event="clamp: integer input, float bound (promotes)"
            ),
            Clause(
                "tensor bounds broadcast with the input and may grow the result",
                event="clamp: bound broadcasts the output",
            ),
            Clause("a 0-d tensor bound takes part like a number", event="clamp: 0-d tensor bound"),
        ),
        perf=_clamp_perf,
    )
)


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
_CATEGORIES = {"b": 0, "i": 1, "u": 1, "f": 2, "c": 3}


def _category(v) -> int:
    return _CATEGORIES[np.asarray(v).dtype.kind]


def _tensors(case: Case) -> list[np.ndarray]:
    return [v for v in case.args if isinstance(v, np.ndarray)]


def _any(case: Case, test) -> bool:
    with np.errstate(all="ignore"):
        return any(bool(np.any(test(v))) for v in _tensors(case) if v.size)


#: torch's promotion rule for two operands, clause by clause (shared by every binary op)
PROMOTION_RULE = (
    Clause("the higher category wins (bool < integer < floating < complex)", event="promotion: mixed categories"),
    Clause(
        "a Python number or 0-d tensor of a category not above a dimensioned operand's leaves its dtype",
        event="promotion: lower-priority operand",
    ),
    Clause("a 0-d tensor takes part like a number", event="promotion: 0-d tensor operand"),
    Clause(
        "shapes broadcast: size-1 and missing leading dims stretch",
        lambda c: len(_tensors(c)) == 2 and all(v.ndim for v in _tensors(c)) and c.args[0].shape != c.args[1].shape,
    ),
)


def _alpha(case: Case):
    return case.kwargs.get("alpha", 1)


def _plus_family(case: Case) -> str:
    """known_differences: a floating alpha * other + input may be rounded once (fused) or twice."""
    return "exact" if _alpha(case) == 1 else "fused"


def _plus_scale(case: Case) -> np.ndarray:
    a, b = (np.abs(np.asarray(v).astype(np.complex128)) for v in case.args)
    return a + abs(_alpha(case)) * b


_PLUS_RULE = (
    Clause("other is scaled by alpha first", lambda c: _alpha(c) != 1),
    Clause("a floating alpha scales floating results", lambda c: isinstance(_alpha(c), float)),
)
_RULES = {
    "add": _PLUS_RULE + (Clause("bool + bool is logical or", lambda c: all(_category(v) == 0 for v in c.args)),),
    "sub": _PLUS_RULE,
    "mul": (Clause("bool * bool is logical and", lambda c: all(_category(v) == 0 for v in c.args)),),
    "div": (
        Clause(
            "rounding_mode='floor' rounds the quotient down, in the operands' dtype", event="div: rounding_mode=floor"
        ),
        Clause("rounding_mode='trunc' rounds the quotient towards zero", event="div: rounding_mode=trunc"),
        Clause(
            "passing rounding_mode at all (None included) records DivBackward2",
            lambda c: "rounding_mode" in c.kwargs and "defaults omitted" not in (c.form or ""),
        ),
        Clause(
            "true division: integer operands give the default float dtype", lambda c: max(map(_category, c.args)) <= 1
        ),
        Clause(
            "dividing by zero gives inf or NaN, not an error",
            lambda c: isinstance(c.args[1], np.ndarray) and c.args[1].size and np.any(c.args[1] == 0),
        ),
    ),
    "pow": (
        Clause("an integer base with an integer exponent stays integral", lambda c: max(map(_category, c.args)) == 1),
        Clause("x ** 0 is 1, for a NaN or zero x too", lambda c: np.any(np.asarray(c.args[1]) == 0)),
        Clause("a negative base with a non-integer exponent gives NaN", lambda c: _negative_base_fractional(c)),
    ),
    "eq": (
        Clause("NaN is not equal to itself", lambda c: _any(c, lambda v: v != v)),
        Clause("the result is bool whatever the operands", lambda c: max(map(_category, c.args)) > 0),
    ),
    "lt": (
        Clause("every comparison with NaN is false", lambda c: _any(c, lambda v: v != v)),
        Clause("operands are compared after promotion", event="promotion: mixed categories"),
    ),
}


def _power_family(case: Case) -> str:
    """A complex power loses accuracy with the exponent's size (found by dev seed 47: (2j) ** 32.0)."""
    return "complex power" if max(map(_category, case.args)) == 3 else "elementwise"


def _unrounded(case: Case) -> bool:
    """A rounded quotient is a step function: finite differences straddle its jumps, and its zero
    gradient is compared with torch's instead."""
    return case.kwargs.get("rounding_mode") is None


def _negative_base_fractional(case: Case) -> bool:
    base, e = (np.asarray(v) for v in case.args)
    if base.dtype.kind not in "fiu" or e.dtype.kind != "f":
        return False
    with np.errstate(all="ignore"):
        negative, fractional = np.broadcast_arrays(base < 0, np.isfinite(e) & (e != np.round(e)))
    return bool(np.any(negative & fractional))


_ARITHMETIC = {"method": True, "inplace": True, "out": True}
for _op, _signature, _family, _names, _extra in (
    (
        "add",
        Signature(
            "add(input, other, *, alpha=1)", **_ARITHMETIC, operator=operator.add, inplace_operator=operator.iadd
        ),
        _plus_family,
        S.ALL_DTYPES,
        {"scale": _plus_scale},
    ),
    (
        "sub",
        Signature(
            "sub(input, other, *, alpha=1)", **_ARITHMETIC, operator=operator.sub, inplace_operator=operator.isub
        ),
        _plus_family,
        S.ALL_DTYPES,
        {"scale": _plus_scale},
    ),
    (
        "mul",
        Signature("mul(input, other)", **_ARITHMETIC, operator=operator.mul, inplace_operator=operator.imul),
        "elementwise",
        S.ALL_DTYPES,
        {},
    ),
    (
        "div",
        Signature(
            "div(input, other, *, rounding_mode=None)",
            **_ARITHMETIC,
            operator=operator.truediv,
            inplace_operator=operator.itruediv,
        ),
        "elementwise",
        S.ALL_DTYPES,
        {"fd_cases": _unrounded},
    ),
    (
        "pow",
        Signature("pow(input, exponent)", **_ARITHMETIC, operator=operator.pow, inplace_operator=operator.ipow),
        _power_family,
        S.ALL_DTYPES,
        {"gradgrad_cases": _pow_positive_finite_base, "fd_cases": _pow_number_exponent_or_float},
    ),
    (
        "eq",
        Signature("eq(input, other)", **_ARITHMETIC, operator=operator.eq),
        "exact",
        S.ALL_DTYPES,
        {"differentiable": False},
    ),
    (
        "lt",
        Signature("lt(input, other)", **_ARITHMETIC, operator=operator.lt),
        "exact",
        _REAL_DTYPES,
        {"differentiable": False},
    ),
):
    register(
        OpInfo(
            _op,
            _signature,
            S.binary_args(_op, _names),
            S.binary_invalid(_op),
            family=_family,
            rule=PROMOTION_RULE + _RULES[_op],
            perf=binary(_op),
            **_extra,
        )
    )


def _log_max(v: np.ndarray) -> float:
    """The largest finite exp argument in the result dtype (integers compute in float32)."""
    dt = np.float32 if v.dtype.kind in "biu" else np.real(v).dtype
    return float(np.log(np.finfo(dt).max))


def _integral(case: Case) -> bool:
    return case.args[0].dtype.kind in "biu"


_UNARY_RULES = {
    "exp": (
        Clause("exp(-inf) = 0, exp(inf) = inf, NaN stays NaN", lambda c: _any(c, lambda v: ~np.isfinite(v))),
        Clause("inputs beyond log(max) overflow to inf", lambda c: _any(c, lambda v: np.real(v) > _log_max(v))),
    ),
    "sigmoid": (
        Clause("sigmoid(-inf) = 0, sigmoid(inf) = 1, NaN stays NaN", lambda c: _any(c, lambda v: ~np.isfinite(v))),
        Clause(
            "the result stays in [0, 1] for large |x| (no overflow to NaN)",
            lambda c: _any(c, lambda v: np.abs(np.real(v)) > 30),
        ),
    ),
}
for _op in ("exp", "sigmoid"):
    _signature = Signature(f"{_op}(input)", method=True, inplace=True, out=True)
    _rule = (Clause("integer and bool inputs give the default float dtype", _integral),) + _UNARY_RULES[_op]
    register(
        OpInfo(
            _op,
            _signature,
            S.unary_args(),
            S.unary_invalid(),
            family="elementwise",
            rule=_rule,
            perf=unary(_op),
        )
    )


# -- floor division, remainder, bits (reference/_remainder.py, _bitwise.py) ----------------------------


def _quotients(case: Case) -> np.ndarray:
    a, b = (np.asarray(v).astype(np.complex128).real for v in case.args)
    with np.errstate(all="ignore"):
        return np.asarray(a / b)


def _away_from_jumps(case: Case) -> bool:
    """remainder jumps where a / b is an integer (and its gradient for b, -floor(a / b), with it):
    finite differences are a derivative only away from there -- farther than the finite-difference
    steps move a / b (a step of ~1e-5 of the operands' size moves it by that over |b|, times 1 + |q|:
    a divisor of 2e-13 puts millions of jumps inside one step)."""
    q = _quotients(case)
    if not np.all(np.isfinite(q)):
        return False
    a, b = (np.abs(np.asarray(v).astype(np.complex128).real) for v in case.args)
    step = 1e-5 * max(1.0, float(np.max(a, initial=0.0)), float(np.max(b, initial=0.0)))
    with np.errstate(all="ignore"):
        reach = step * (1 + np.abs(q)) / b
    return bool(np.all(np.abs(q - np.round(q)) > np.maximum(reach, 1e-3)))


_SIGNS_DIFFER = lambda c: bool(np.any(np.sign(_quotients(c)) < 0))  # noqa: E731
_INTEGRAL_PAIR = lambda c: max(map(_category, c.args)) == 1  # noqa: E731
_FLOAT_ZERO_DIVISOR = lambda c: max(map(_category, c.args)) >= 2 and bool(np.any(np.asarray(c.args[1]) == 0))  # noqa: E731
register(
    OpInfo(
        "floor_divide",
        Signature(
            "floor_divide(input, other)",
            **_ARITHMETIC,
            operator=operator.floordiv,
            inplace_operator=operator.ifloordiv,
        ),
        S.binary_args("floor_divide", _REAL_DTYPES),
        S.binary_invalid("floor_divide"),
        family="elementwise",
        perf=binary("floor_divide", "float32"),
        derivative_implemented=False,  # torch's backward raises: compared with torch, never with FD
        rule=PROMOTION_RULE
        + (
            Clause("the quotient is rounded down, towards -inf", _SIGNS_DIFFER),
            Clause("integer operands stay integral", _INTEGRAL_PAIR),
            Clause("a floating zero divisor gives +-inf or NaN", _FLOAT_ZERO_DIVISOR),
        ),
    )
)
register(
    OpInfo(
        "remainder",
        Signature("remainder(input, other)", **_ARITHMETIC, operator=operator.mod, inplace_operator=operator.imod),
        S.binary_args("remainder", _REAL_DTYPES),
        S.binary_invalid("remainder"),
        family="elementwise",
        perf=binary("remainder", "float32"),
        fd_cases=_away_from_jumps,
        rule=PROMOTION_RULE
        + (
            Clause("the result takes the sign of the divisor", _SIGNS_DIFFER),
            Clause("integer operands stay integral", _INTEGRAL_PAIR),
            Clause("a floating zero divisor gives NaN", _FLOAT_ZERO_DIVISOR),
        ),
    )
)
_INTEGRAL_DTYPES = ("bool",) + S.INT_DTYPES
_BITS_RULE = (
    Clause("bool operands give the logical result", lambda c: all(_category(v) == 0 for v in c.args)),
    Clause("negative integers combine in two's complement", lambda c: _any(c, lambda v: v < 0)),
    Clause("a bool operand promotes to the other's integer dtype", event="promotion: mixed categories"),
)
for _op, _operator, _inplace_operator in (
    ("bitwise_and", operator.and_, operator.iand),
    ("bitwise_or", operator.or_, operator.ior),
    ("bitwise_xor", operator.xor, operator.ixor),
):
    register(
        OpInfo(
            _op,
            Signature(f"{_op}(input, other)", **_ARITHMETIC, operator=_operator, inplace_operator=_inplace_operator),
            S.binary_args(_op, _INTEGRAL_DTYPES),
            S.binary_invalid(_op),
            differentiable=False,
            rule=PROMOTION_RULE + _BITS_RULE,
            perf=binary(_op, "int32"),
        )
    )


def _shift_out_of_range(case: Case) -> bool:
    a, b = (np.asarray(v) for v in case.args)
    bits = 8 * np.result_type(a, b).itemsize if a.dtype.kind in "iu" else 64
    return bool(np.any((b < 0) | (b >= bits)))


for _op, _operator, _inplace_operator, _word in (
    ("bitwise_left_shift", operator.lshift, operator.ilshift, "0"),
    ("bitwise_right_shift", operator.rshift, operator.irshift, "the sign fill (0 or -1)"),
):
    register(
        OpInfo(
            _op,
            Signature(f"{_op}(input, other)", **_ARITHMETIC, operator=_operator, inplace_operator=_inplace_operator),
            S.binary_args(_op, S.INT_DTYPES),
            S.binary_invalid(_op),
            differentiable=False,
            perf=binary(_op, "int32"),
            rule=PROMOTION_RULE
            + (
                Clause(f"a shift by at least the bit width, or negative, gives {_word}", _shift_out_of_range),
                Clause("negative values shift in two's complement", lambda c: _any(c, lambda v: v < 0)),
            ),
        )
    )
register(
    OpInfo(
        "bitwise_not",
        Signature("bitwise_not(input)", method=True, inplace=True, out=True, operator=operator.invert),
        S.unary_args(_INTEGRAL_DTYPES),
        S.unary_invalid(),
        differentiable=False,
        perf=unary("bitwise_not", "int32", 1, 8),
        rule=(
            Clause("~x == -x - 1 for integers", lambda c: c.args[0].dtype.kind in "iu" and c.args[0].size > 0),
            Clause("~x is the logical not for bool", lambda c: c.args[0].dtype.kind == "b" and c.args[0].size > 0),
        ),
    )
)
register(
    OpInfo(
        "positive",
        Signature("positive(input)", method=True, operator=operator.pos),
        S.unary_args(tuple(d for d in S.ALL_DTYPES if d != "bool")),
        S.unary_invalid(),
        rule=(Clause("+x is x itself, the same tensor object", lambda c: True),),
        perf=unary("positive", "float32", 1, 8),
    )
)
