"""Elementwise ops: arithmetic and comparisons with type promotion, exp/sigmoid, clamp.

Each op has a strategy of valid arguments that steers towards the cases where its semantics break
(recording a coverage event for each hard case it produced) and one of invalid arguments (each case
naming the word the error message must contain).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, arrays, dtypes, elements, shapes
from ._case import Case
from ._coverage import record

__all__ = [
    "CLAMP_DTYPES",
    "clamp_args",
    "clamp_invalid",
    "binary_args",
    "binary_invalid",
    "unary_args",
    "unary_invalid",
]


CLAMP_DTYPES = INT_DTYPES + FLOAT_DTYPES


@st.composite
def _bound(draw, x: np.ndarray, kind: str):
    """A scalar or tensor bound; scalars are often equal to an input value (a tie)."""
    if kind == "none":
        return None
    if kind == "scalar":
        finite = x[np.isfinite(x)] if x.dtype.kind == "f" else x.reshape(-1)
        if finite.size and draw(st.booleans()):
            v = finite.reshape(-1)[draw(st.integers(0, finite.size - 1))].item()
            record("clamp: bound equals an input value")
        elif x.dtype.kind in "iu" and draw(st.booleans()):
            info = np.iinfo(x.dtype)
            v = draw(st.integers(max(info.min, -50), min(info.max, 50)))
            if x.dtype.kind == "u" and draw(st.integers(0, 9)) == 0:
                v = -draw(st.integers(1, int(info.max)))
                record("clamp: negative bound on unsigned (wraps)")
        else:
            v = draw(st.one_of(st.floats(-100, 100, width=32), st.sampled_from([0.0, -0.0, float("nan"), 1.5])))
            if x.dtype.kind in "iu":
                record("clamp: integer input, float bound (promotes)")
            if np.isnan(v):
                record("clamp: NaN bound")
        return v
    # tensor bound: broadcastable shape (fewer dims, size-1 dims, or extra leading dims), maybe 0-d
    shape = [1 if draw(st.booleans()) else s for s in x.shape]
    if draw(st.integers(0, 4)) == 0:
        shape = [draw(st.integers(1, 2))] + shape  # more dims than the input: the output grows
        record("clamp: bound broadcasts the output")
    else:
        shape = shape[draw(st.integers(0, len(shape))) :]
    bdtype = draw(st.sampled_from([x.dtype, x.dtype, np.dtype("float32"), np.dtype("float64")]))
    if bdtype.kind == "f" and x.dtype.kind in "iu":
        record("clamp: integer input, float bound (promotes)")
    elems = elements(bdtype, specials=True, small=True) if bdtype.kind == "f" else elements(bdtype, small=True)
    b = draw(arrays(bdtype, tuple(shape), elements_strategy=elems))
    if b.ndim == 0:
        record("clamp: 0-d tensor bound")
    if b.dtype.kind == "f" and b.size and np.isnan(b).any():
        record("clamp: NaN bound")
    return b


@st.composite
def clamp_args(draw, dtype_names=CLAMP_DTYPES) -> Case:
    """Scalar, tensor and broadcast bounds, either may be None; min > max; ties; NaN, inf, -0.0;
    integer tensors with float bounds (promotion)."""
    dt = draw(dtypes(dtype_names))
    x = draw(arrays(dt, shapes(max_dims=3), elements_strategy=elements(dt, specials=True, small=True)))
    kinds = draw(
        st.tuples(st.sampled_from(["none", "scalar", "tensor"]), st.sampled_from(["none", "scalar", "tensor"])).filter(
            lambda k: k != ("none", "none")
        )
    )
    lo = draw(_bound(x, kinds[0]))
    hi = draw(_bound(x, kinds[1]))
    if set(kinds) == {"scalar", "tensor"}:
        # torch's Number overload takes a scalar beside a tensor only if that tensor is 0-d
        if kinds[0] == "tensor":
            lo = lo.reshape(-1)[:1].reshape(()) if lo.size else np.zeros((), lo.dtype)
        else:
            hi = hi.reshape(-1)[:1].reshape(()) if hi.size else np.zeros((), hi.dtype)
        record("clamp: scalar beside a 0-d tensor bound (Number overload)")
    if lo is not None and hi is not None:
        a, b = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            if np.any(np.broadcast_arrays(a, b)[0] > np.broadcast_arrays(a, b)[1]):
                record("clamp: min > max")
    if x.size and (np.any(x == lo) if lo is not None else False) | (np.any(x == hi) if hi is not None else False):
        record("clamp: tie at bound")
    return Case((x,), {"min": lo, "max": hi})


@st.composite
def clamp_invalid(draw) -> Case:
    """Both bounds None, complex input, bool input with bool bound, a scalar that overflows the
    dtype, a tensor bound that does not broadcast, a bound of the wrong type."""
    defect = draw(st.sampled_from(["none", "complex", "bool", "overflow", "broadcast", "type", "mixed"]))
    record(f"clamp invalid: {defect}")
    if defect == "complex":
        x = draw(arrays(np.dtype("complex64"), shapes(max_dims=2)))
        return Case((x,), {"min": 0.0, "max": None}, expect="complex")
    if defect == "bool":
        x = draw(arrays(np.dtype("bool"), shapes(max_dims=2)))
        return Case((x,), {"min": draw(st.booleans()), "max": None}, expect="bool")
    if defect == "overflow":
        dt = draw(st.sampled_from(["uint8", "int8"]))
        x = draw(arrays(np.dtype(dt), shapes(max_dims=2)))
        info = np.iinfo(dt)
        v = draw(st.one_of(st.integers(int(info.max) + 1, 10_000), st.integers(-10_000, -int(info.max) - 2)))
        return Case((x,), {"min": v, "max": None}, expect="overflow")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3, min_side=2)))
    if defect == "none":
        return Case((x,), {"min": None, "max": None}, expect="min")
    if defect == "broadcast":
        bad = tuple(s + 1 for s in x.shape)
        return Case((x,), {"min": np.zeros(bad, dtype=np.float32), "max": None}, expect="size")
    if defect == "mixed":  # a scalar beside a tensor bound with dims matches neither overload
        t = np.ones(x.shape[-1:], dtype=np.float32)
        lo, hi = (0.5, t) if draw(st.booleans()) else (t, 0.5)
        return Case((x,), {"min": lo, "max": hi}, expect="clamp")
    return Case((x,), {"min": "0", "max": None}, expect="min")


@st.composite
def _operand(draw, shape, dtype_names, kind=None):
    """A dimensioned tensor, a 0-d tensor or a Python scalar (the three promotion groups)."""
    kind = kind or draw(st.sampled_from(["tensor", "tensor", "0-d", "scalar"]))
    dt = draw(dtypes(dtype_names))
    if kind == "scalar":
        v = np.asarray(draw(elements(dt, specials=False, small=True))).item()
        record(f"promotion: Python {type(v).__name__} scalar")
        return v
    if kind == "0-d":
        record("promotion: 0-d tensor operand")
        return draw(arrays(dt, (), elements_strategy=elements(dt, specials=True, small=True)))
    return draw(arrays(dt, shape, elements_strategy=elements(dt, specials=True, small=True)))


def _broadcastable(draw, shape):
    """A shape that broadcasts with ``shape`` (drop leading dims, set some to 1)."""
    s = [1 if draw(st.integers(0, 3)) == 0 else n for n in shape]
    return tuple(s[draw(st.integers(0, len(s))) :])


@st.composite
def binary_args(draw, op: str = "add", dtype_names=ALL_DTYPES) -> Case:
    """Two operands from any promotion groups and dtype categories, with broadcasting shapes."""
    shape = draw(shapes(max_dims=3))
    a = draw(_operand(shape, dtype_names, kind=draw(st.sampled_from(["tensor", "tensor", "0-d"]))))
    b = draw(_operand(_broadcastable(draw, shape), dtype_names))
    if op == "sub":  # torch refuses subtraction with any bool operand
        a, b = (
            x.astype(np.int64)
            if isinstance(x, np.ndarray) and x.dtype == np.bool_
            else (int(x) if isinstance(x, bool) else x)
            for x in (a, b)
        )
    if op == "pow":
        a, b = _pow_safe(a), _pow_safe(b)
        if "complex" in {_category(a), _category(b)}:
            a = _nonzero(a)  # complex pow of a zero or non-finite base is implementation-defined (known differences)
            b = _small_exponent(b)  # an overflowing complex power's parts are implementation-defined too
        if _category(a) == "bool" and _category(b) == "bool":  # "pow" is not implemented for bool
            b = int(np.asarray(b).reshape(-1)[0]) if np.asarray(b).size else 1
    if "float16" in {_dtype_name(a), _dtype_name(b)} and "complex" in {_category(a), _category(b)}:
        # float16 with a complex operand promotes to complex32, which the reference does not model
        a, b = (_real_part(x) if _category(x) == "complex" else x for x in (a, b))
    kinds = {_group(a), _group(b)}
    cats = {_category(a), _category(b)}
    if len(cats) > 1:
        record("promotion: mixed categories")
    if kinds & {"0-d", "scalar"} and "tensor" in kinds:
        record("promotion: lower-priority operand")
    kwargs = {}
    if op in ("add", "sub") and draw(st.booleans()):
        # alpha: an int for integer results, any number for floating ones; bool results take no number
        result = max(("bool", "int", "float", "complex").index(c) for c in cats)
        if result >= 1:
            choices = [1, 2, -3] + ([0.5, -1.25] if result >= 2 else [])
            kwargs["alpha"] = draw(st.sampled_from(choices))
    if op in ("floor_divide", "remainder"):
        # rounded division: no bool or complex results; integral division by zero raises
        a, b = (_real_part(x) if _category(x) == "complex" else x for x in (a, b))
        if {_category(a), _category(b)} == {"bool"}:
            a = a.astype(np.int64)
        if "float" not in {_category(a), _category(b)}:
            b = _nonzero(b)
    if op == "div":
        mode = draw(st.sampled_from(["absent", None, "floor", "trunc"]))
        if mode in ("floor", "trunc"):
            # torch implements rounded division for neither bool nor complex results; integral
            # division by zero raises
            a, b = (_real_part(x) if _category(x) == "complex" else x for x in (a, b))
            if {_category(a), _category(b)} == {"bool"}:
                a = a.astype(np.int64)
            if "float" not in {_category(a), _category(b)}:
                b = _nonzero(b)
            record(f"div: rounding_mode={mode}")
        if mode != "absent":
            kwargs["rounding_mode"] = mode
    return Case((a, b), kwargs)


def _small_exponent(x):
    """Exponent parts clipped to [-4, 4]: with bases up to 100 in size, no complex power overflows."""
    if isinstance(x, np.ndarray):
        if x.dtype.kind == "c":
            return np.asarray(np.clip(x.real, -4, 4) + 1j * np.clip(x.imag, -4, 4), dtype=x.dtype)
        return np.asarray(np.clip(x, -4, 4), dtype=x.dtype) if x.dtype.kind in "fi" else x
    if isinstance(x, complex):
        return complex(min(max(x.real, -4), 4), min(max(x.imag, -4), 4))
    return x if isinstance(x, bool) else type(x)(min(max(x, -4), 4))


def _pow_safe(x):
    """pow: no negative integer exponents (an error) and no huge results."""
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "iub":
            return np.asarray(np.clip(np.abs(x.astype(np.int64)), 0, 3)).astype(x.dtype)
        return x
    if isinstance(x, bool):
        return x
    if isinstance(x, float) and x != 0 and np.float32(x) == 0:
        # a number exponent that rounds to 0 in float32: torch's SIMD and scalar loops disagree for a zero
        # base (the reference refuses it, known_differences)
        return 0.0
    return abs(x) % 4 if isinstance(x, int) else x


def _nonzero(x):
    """Zero and non-finite entries replaced by 1."""
    if isinstance(x, np.ndarray):
        bad = (x == 0) | ~np.isfinite(x) if x.dtype.kind in "fc" else (x == 0)
        return np.where(bad, np.ones((), x.dtype), x).astype(x.dtype)
    return x if x != 0 and np.isfinite(x) else type(x)(1)


def _dtype_name(x) -> str:
    return x.dtype.name if isinstance(x, np.ndarray) else ""


def _real_part(x):
    if isinstance(x, np.ndarray):
        return x.real.copy()
    return float(np.real(x))


def _group(x) -> str:
    if isinstance(x, np.ndarray):
        return "0-d" if x.ndim == 0 else "tensor"
    return "scalar"


def _category(x) -> str:
    kind = x.dtype.kind if isinstance(x, np.ndarray) else np.asarray(x).dtype.kind
    return {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex"}[kind]


@st.composite
def binary_invalid(draw, op: str = "add") -> Case:
    """Shapes that do not broadcast; bool - bool; a non-number operand; add/sub: an alpha the result
    cannot take; div: an unknown rounding_mode, or rounding a complex or bool quotient."""
    defects = (
        ["broadcast", "type"] + (["bool_sub"] if op == "sub" else []) + (["alpha"] if op in ("add", "sub") else [])
    )
    defects += ["rounding_mode", "rounding_complex"] if op == "div" else []
    defects += ["float_bits"] if op.startswith("bitwise") else []
    defects += ["zero_divisor"] if op in ("floor_divide", "remainder") else []
    defect = draw(st.sampled_from(defects))
    record(f"{op} invalid: {defect}")
    if defect == "broadcast":
        dt = np.dtype("int32" if op.startswith("bitwise") else "float32")
        a = draw(arrays(dt, shapes(min_dims=1, max_dims=3, min_side=2)))
        b = np.zeros(tuple(s + 1 for s in a.shape), dtype=dt)
        kwargs = (
            {"rounding_mode": draw(st.sampled_from(["floor", "trunc"]))} if op == "div" and draw(st.booleans()) else {}
        )
        return Case((a, b), kwargs, expect="size")
    if defect == "float_bits":  # bits of floating (or complex) values are not torch's business
        a = draw(arrays(np.dtype(draw(st.sampled_from(["float32", "float64", "complex64"]))), shapes(max_dims=2)))
        return Case((a, a.copy()), expect="not implemented")
    if defect == "zero_divisor":  # an integer zero divisor among the computed elements
        a = draw(arrays(np.dtype("int64"), shapes(min_dims=1, max_dims=2, min_side=1)))
        return Case((a, np.zeros_like(a)), expect="ZeroDivisionError", kind="value")  # seen only with data
    if defect == "rounding_mode":
        a = draw(arrays(np.dtype("float32"), shapes(max_dims=2)))
        mode = draw(st.sampled_from(["round", "ceil", "Floor"]))
        return Case((a, 2.0), {"rounding_mode": mode}, expect="rounding_mode")
    if defect == "rounding_complex":  # torch has no rounded division for complex or bool operands
        a = draw(arrays(np.dtype(draw(st.sampled_from(["complex64", "bool"]))), shapes(max_dims=2)))
        mode = draw(st.sampled_from(["floor", "trunc"]))
        return Case((a, a.copy()), {"rounding_mode": mode}, expect="not implemented")
    if defect == "alpha":
        # a floating alpha cannot scale an integral result, nor a bool alpha a non-bool one; an alpha
        # must fit the result dtype and be a number
        dt = draw(st.sampled_from(["int64", "int8", "float16"]))
        a = draw(arrays(np.dtype(dt), shapes(max_dims=2)))
        bad = {"int64": [0.5, True, None], "int8": [300, -129, "2"], "float16": [1e5, None]}[dt]
        alpha = draw(st.sampled_from(bad))
        expect = "overflow" if isinstance(alpha, int) and not isinstance(alpha, bool) or alpha == 1e5 else "alpha"
        return Case((a, a.copy()), {"alpha": alpha}, expect=expect)
    if defect == "bool_sub":
        a = draw(arrays(np.dtype("bool"), shapes(max_dims=2)))
        other = draw(st.sampled_from([a.copy(), 1, True, np.ones(a.shape, np.float32)]))
        return Case(
            (a, other) if draw(st.booleans()) or not isinstance(other, np.ndarray) else (other, a),
            expect="bool",
        )
    a = draw(arrays(np.dtype("float32"), shapes(max_dims=2)))
    # the message must name the argument: "other" (pow calls it "exponent")
    return Case((a, "1"), expect="exponent" if op == "pow" else "other")


@st.composite
def unary_args(draw, dtype_names=ALL_DTYPES) -> Case:
    """Any dtype: integer and bool inputs promote to the default float dtype."""
    dt = draw(dtypes(dtype_names))
    x = draw(arrays(dt, shapes(max_dims=3), elements_strategy=elements(dt, specials=True, small=True)))
    if dt.kind in "biu":
        record("unary: integer input promotes to float")
    return Case((x,))


@st.composite
def unary_invalid(draw) -> Case:
    record("unary invalid: not a tensor")
    return Case((draw(st.sampled_from(["x", None, [1.0]])),), expect="input")
