"""Creation: zeros, ones, full, full_like, linspace, logspace.

Factories take no tensor to read, so their semantics live in the arguments: the size given as varargs,
one sequence, a list or ``size=`` (integer tensors inside it too); the dtype taken from ``dtype=``, from
``out=`` or inferred from a fill value or the ends (a 0-d tensor counts as its Python value); a fill
value converted into a dtype it may not fit (wrapping into unsigned types, truncation, the one-element
float16 quirk); ``out=`` empty, of the right shape but strided (its strides are kept), or non-empty of
another shape (resized without a warning); ``*_like`` layouts (``memory_format``); and for the ranges,
integer dtypes (truncated, symmetric points), one and zero steps, reversed and equal ends, complex
ends, NaN and infinite ends, negative and fractional bases.

Dtypes travel as names (``"float64"``), memory formats as names and the out tensor as ``out=<dtype
name>``: the registry's calls turn them into each namespace's objects.  Invalid strategies make one
defect at a time.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from ._arrays import ALL_DTYPES, FLOAT_DTYPES, arrays, dtypes, shapes
from ._case import Case
from ._coverage import record

__all__ = [
    "CREATION_OUT_FORMS",
    "sized_args",
    "sized_invalid",
    "full_args",
    "full_invalid",
    "full_like_args",
    "full_like_invalid",
    "range_args",
    "range_invalid",
]

REAL = ("uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")
GRAD_DTYPES = ("float16", "float32", "float64", "complex64", "complex128")
#: how a factory's out= tensor is made: empty, of the result's shape but strided (kept), non-empty of
#: another shape (resized without a warning), or with the result's element count in another shape (kept
#: by linspace/logspace, resized by the others)
CREATION_OUT_FORMS = ("out", "out strided", "out resized", "out same count")


def _size(draw, max_dims: int = 3) -> tuple[int, ...]:
    size = draw(shapes(min_dims=0, max_dims=max_dims, max_side=4))
    if size == ():
        record("creation: a 0-d result (size ())")
    if 0 in size:
        record("creation: an empty result (a size of 0)")
    return size


def _options(draw, op: str, kwargs: dict, dtype_choices, *, inferred_ok: bool = True) -> str:
    """``dtype=`` (or none), ``requires_grad=`` where the dtype allows it, and a call form; the out forms
    name the out tensor's dtype in ``out=``.  Returns the form."""
    dtype = draw(st.sampled_from(((None,) if inferred_ok else ()) + tuple(dtype_choices)))
    form = draw(st.sampled_from(("positional", "keywords") + CREATION_OUT_FORMS))
    if form in CREATION_OUT_FORMS:
        record(f"{op}: {form}")
        # out= gives the dtype when dtype= is left out; with dtype= it must match
        kwargs["out"] = dtype or draw(st.sampled_from(dtype_choices))
        if dtype is None:
            record(f"{op}: the dtype taken from out=")
    if dtype is not None:
        kwargs["dtype"] = dtype
    grad_ok = (dtype or kwargs.get("out") or "float32") in GRAD_DTYPES
    if grad_ok and form not in CREATION_OUT_FORMS and draw(st.integers(0, 3)) == 0:
        kwargs["requires_grad"] = True
        record(f"{op}: requires_grad=True (a leaf)")
    return form


# -- zeros / ones -----------------------------------------------------------------------------------


@st.composite
def sized_args(draw, op: str = "zeros") -> Case:
    """``zeros``/``ones``: the size as varargs, a tuple, a list, ``size=`` or with an integer tensor
    inside; any dtype, or the one of ``out=``."""
    size = _size(draw)
    kwargs: dict = {}
    form = _options(draw, op, kwargs, ALL_DTYPES)
    if form == "positional":
        form = draw(st.sampled_from(("varargs", "tuple", "list", "size keyword", "tensor element", "NumPy element")))
        if form in ("tensor element", "NumPy element", "varargs") and not size:
            form = "tuple"  # zeros() with no size at all is an error
        record(f"{op}: size as {form}")
    return Case((size,), kwargs, form=form)


@st.composite
def sized_invalid(draw, op: str = "zeros") -> Case:
    """A negative size, a float or bool-alone or float-tensor size, a sequence followed by more
    arguments, no size, requires_grad for an integer dtype, dtype= that out= does not have."""
    defect = draw(
        st.sampled_from(
            (
                "bool first",
                "bool tensor",
                "out requires grad",
                "negative",
                "float",
                "bool",
                "float tensor",
                "two sequences",
                "missing",
                "grad",
                "out dtype",
            )
        )
    )
    record(f"{op} invalid: {defect}")
    if defect == "negative":
        return Case(
            ((2, -draw(st.integers(1, 3))),), form="varargs", expect="negative" if op != "zeros" else "Dimension"
        )
    if defect == "float":
        return Case(((2, 3.0),), form=draw(st.sampled_from(("varargs", "tuple"))), expect="size")
    if defect == "bool":
        return Case((True,), form="lone", expect="size")
    if defect == "bool first":  # a bool counts as an int inside a size, except first
        return Case(((False, 3),), form="tuple", expect="size")
    if defect == "bool tensor":
        return Case(((np.array(True), 2),), form="tuple", expect="size")
    if defect == "out requires grad":
        return Case(((2, 3),), {"out": "float32"}, form="out requires grad", expect="automatic differentiation")
    if defect == "float tensor":
        return Case(((2, np.array(3.0)),), form="varargs", expect="size")
    if defect == "two sequences":
        return Case((((2,), (3,)),), form="varargs", expect="positional")
    if defect == "missing":
        return Case(((),), form="varargs", expect="size")
    if defect == "grad":
        dt = draw(st.sampled_from(("bool", "int32", "int64", "uint8")))
        return Case(((2,),), {"dtype": dt, "requires_grad": True}, form="tuple", expect="floating point")
    return Case(((2,),), {"dtype": "float64", "out": "float32"}, form="out", expect="dtype")


# -- full ---------------------------------------------------------------------------------------------


def _number(draw, op: str, dtype: str | None) -> object:
    """A fill value: a bool, int, float (NaN and infinities included where the dtype takes them) or complex
    Python number, or a 0-d array (a 0-d tensor, which counts as its value); chosen to fit ``dtype``."""
    kind = draw(st.sampled_from(("int", "float", "bool", "complex", "0-d tensor", "NumPy scalar")))
    if dtype is None:
        if kind == "NumPy scalar":
            # torch reads np.bool_ as a float and a complex64 (not a Python complex) through float()
            record(f"{op}: a NumPy scalar fill value (np.bool_ counts as a float)")
            maker = draw(st.sampled_from((np.bool_, np.int8, np.int64, np.float16, np.float32, np.complex128)))
            return maker(draw(st.integers(-100, 100)) if maker is not np.bool_ else draw(st.booleans()))
        if kind == "0-d tensor":
            record(f"{op}: fill value a 0-d tensor (its value's kind gives the dtype)")
            src = draw(st.sampled_from(("bool", "int8", "int64", "float16", "float64", "complex128")))
            return draw(arrays(np.dtype(src), ()))
        record(f"{op}: dtype inferred from a {kind} fill value")
        return _plain(draw, kind)
    dt = np.dtype(dtype)
    if kind == "NumPy scalar":
        kind = "int"
    if dt.kind == "b":
        value = _plain(draw, kind if kind != "0-d tensor" else "float")
        record(f"{op}: a number into bool (its truth)")
        return value
    if dt.kind in "iu":
        info = np.iinfo(dt)
        if kind == "float":
            record(f"{op}: a fraction into an integer dtype (truncated)")
            return draw(st.floats(float(info.min), float(info.max), allow_nan=False).filter(lambda v: v < 2.0**63))
        if kind == "bool":
            return draw(st.booleans())
        low = -info.max if dt.kind == "u" else info.min
        value = draw(st.integers(low, info.max))
        if dt.kind == "u" and value < 0:
            record(f"{op}: a negative int into an unsigned dtype (wraps)")
        return value
    if kind == "complex" and dt.kind == "c":
        return complex(draw(st.floats(-1e30, 1e30)), draw(st.floats(-1e30, 1e30)))
    limit = float(np.finfo(dt if dt.kind == "f" else np.dtype(dt.char.lower())).max)
    special = draw(st.sampled_from((None, None, None, float("nan"), float("inf"), float("-inf"), -0.0)))
    if special is not None:
        record(f"{op}: NaN, an infinity or -0.0 as the fill value")
        return special
    if kind == "int":
        return draw(st.integers(-int(min(limit, 2.0**62)), int(min(limit, 2.0**62))))
    if kind == "bool":
        return draw(st.booleans())
    return draw(st.floats(-limit, limit, allow_nan=False))


def _plain(draw, kind: str):
    if kind == "bool":
        return draw(st.booleans())
    if kind == "int":
        return draw(st.integers(-(2**63), 2**63 - 1))
    if kind == "complex":
        return complex(draw(st.floats(-1e6, 1e6)), draw(st.floats(-1e6, 1e6)))
    return draw(st.floats(allow_nan=True, allow_infinity=True, width=32))


@st.composite
def full_args(draw) -> Case:
    """``full(size, fill_value)``: the dtype inferred from the value or given (the value converted into
    it), or taken from ``out=``; a one-element float16 result takes an out-of-range value as inf."""
    size = _size(draw)
    kwargs: dict = {}
    form = _options(draw, "full", kwargs, ALL_DTYPES)
    target = kwargs.get("dtype") or kwargs.get("out")
    if target == "float16" and int(np.prod(size)) == 1 and draw(st.booleans()):
        record("full: a one-element float16 result takes an out-of-range value as inf")
        return Case((size, draw(st.sampled_from((70000.0, -1e40, 65520.0)))), kwargs, form=form)
    value = _number(draw, "full", target)
    if target is None and not isinstance(np.asarray(value).item(), float | complex):
        kwargs.pop("requires_grad", None)  # an inferred bool or int64 cannot require grad
    return Case((size, value), kwargs, form=form)


@st.composite
def full_invalid(draw) -> Case:
    """An int size (full takes a sequence only), a value that overflows the dtype, a fraction into an
    unsigned dtype below 0, a complex into a real dtype, a non-number or 1-d tensor value, requires_grad
    for an integer dtype."""
    defect = draw(
        st.sampled_from(("int size", "overflow", "negative fraction", "complex", "not a number", "1-d tensor", "grad"))
    )
    record(f"full invalid: {defect}")
    if defect == "int size":
        return Case((2, 1.0), form="positional", expect="size")
    if defect == "overflow":
        dt, value = draw(
            st.sampled_from(
                (
                    ("uint8", 256),
                    ("int8", -129),
                    ("int32", 2**31),
                    ("float16", 1e5),
                    ("float32", 1e39),
                    ("int64", float("nan")),
                    ("int16", float("inf")),
                )
            )
        )
        return Case(((2,), value), {"dtype": dt}, form="positional", expect="overflow")
    if defect == "negative fraction":
        return Case(((3,), -0.5), {"dtype": "uint8"}, form="positional", expect="overflow")
    if defect == "complex":
        return Case(
            ((2,), 1 + 2j), {"dtype": draw(st.sampled_from(("float32", "int64")))}, form="positional", expect="overflow"
        )
    if defect == "not a number":
        return Case(((2,), draw(st.sampled_from(("a", None)))), form="positional", expect="fill_value")
    if defect == "1-d tensor":
        return Case(((2,), np.array([1.0])), form="positional", expect="fill_value")
    return Case(((2,), 3), {"requires_grad": True}, form="positional", expect="floating point")


# -- full_like ----------------------------------------------------------------------------------------


@st.composite
def full_like_args(draw) -> Case:
    """``full_like(input, fill_value)``: any layout of input (a dense one keeps its strides, others are
    made dense in the same order), ``memory_format=``, the dtype of input or ``dtype=`` (the value never
    changes it)."""
    # the channels-last layouts need 4-d and 5-d inputs: one case in four has one (rare among 0..5 dims)
    dims = st.integers(4, 5).flatmap(lambda n: shapes(min_dims=n, max_dims=n, max_side=3))
    x = draw(arrays(dtypes(ALL_DTYPES), st.one_of(shapes(min_dims=0, max_dims=5, max_side=3), dims)))
    kwargs: dict = {}
    dtype = draw(st.sampled_from((None,) + ALL_DTYPES))
    if dtype is not None:
        kwargs["dtype"] = dtype
        record("full_like: dtype= replaces input's")
    target = dtype or x.dtype.name
    fmt_choices = (
        ["preserve_format", "contiguous_format"]
        + (["channels_last"] if x.ndim == 4 else [])
        + (["channels_last_3d"] if x.ndim == 5 else [])
    )
    if draw(st.integers(0, 2)) == 0:
        kwargs["memory_format"] = draw(st.sampled_from(fmt_choices[::-1]))  # the channels-last ones first
        record(f"full_like: memory_format={kwargs['memory_format']}")
    elif x.ndim >= 2 and not x.flags.c_contiguous:
        record("full_like: a non-contiguous input's layout (preserve_format)")
    if target in GRAD_DTYPES and draw(st.integers(0, 3)) == 0:
        kwargs["requires_grad"] = True
    if target == "float16" and x.size == 1 and draw(st.booleans()):
        record("full_like: a one-element float16 result takes an out-of-range value as inf")
        return Case((x, 1e5), kwargs, form="positional")
    return Case((x, _number(draw, "full_like", target)), kwargs, form=draw(st.sampled_from(("positional", "keywords"))))


@st.composite
def full_like_invalid(draw) -> Case:
    """input not a tensor, a value that does not fit input's dtype, a non-number value, channels_last for
    a tensor that is not 4-d."""
    defect = draw(st.sampled_from(("not a tensor", "overflow", "not a number", "format rank")))
    record(f"full_like invalid: {defect}")
    if defect == "not a tensor":
        return Case(([1.0, 2.0], 1.0), form="positional", expect="input")
    if defect == "overflow":
        x = draw(arrays(np.dtype("uint8"), shapes(min_dims=1, max_dims=2, min_side=2)))
        return Case((x, draw(st.sampled_from((256, -0.5, 1e10)))), form="positional", expect="overflow")
    if defect == "not a number":
        return Case((np.zeros(2, np.float32), "a"), form="positional", expect="fill_value")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3, min_side=1)))
    return Case((x, 1.0), {"memory_format": "channels_last"}, form="positional", expect="rank")


# -- linspace / logspace ------------------------------------------------------------------------------


def _end(draw, op: str, dtype: str | None):
    """An end of a range that fits ``dtype``: a number, sometimes a 0-d array (tensor)."""
    dt = np.dtype(dtype or "float32")
    if dt.kind in "iu":
        info = np.iinfo(dt)
        span = min(int(info.max), 10**6 if op == "linspace" else 60)
        low = 0 if dt.kind == "u" else -span
        value = draw(st.integers(low, span)) if op == "linspace" else draw(st.integers(-3, 8))
    elif dt.kind == "c":  # finite ends only (the reference refuses the others: known_differences)
        limit = 100.0 if op == "linspace" else 4.0
        value = draw(st.floats(-limit, limit))
        if draw(st.booleans()):
            record(f"{op}: a complex end")
            value = complex(value, draw(st.floats(-limit, limit)))
    else:
        special = draw(st.sampled_from((None,) * 12 + (float("nan"), float("inf"), -0.0)))
        if special is not None:
            record(f"{op}: a NaN, infinite or -0.0 end")
            value = special
        else:
            limit = 1e4 if op == "linspace" else 8.0
            if dt.kind == "f" and dt.itemsize == 2:
                limit = 600.0 if op == "linspace" else 4.0
            value = draw(st.floats(-limit, limit, allow_nan=False))
            if draw(st.integers(0, 4)) == 0:
                value = float(round(value))
    if dtype is None and isinstance(value, float) and math.isfinite(value) and draw(st.integers(0, 2)) == 0:
        value = int(value)  # integer ends: the result is still the default float dtype
    if draw(st.integers(0, 5)) == 0:
        record(f"{op}: an end as a 0-d tensor")
        return np.array(value)
    return value


@st.composite
def range_args(draw, op: str = "linspace") -> Case:
    """``linspace(start, end, steps)`` / ``logspace(start, end, steps, base)``: float, integer (truncated,
    symmetric points) and complex dtypes, the default dtype for integer ends, 0 and 1 steps, odd and even
    counts (the halfway switch), reversed and equal ends, NaN and infinite ends; logspace's bases
    include fractions, 1, 0 and negatives (NaN at fractional exponents)."""
    kwargs: dict = {}
    choices = tuple(d for d in ALL_DTYPES if d != "bool")
    form = _options(draw, op, kwargs, choices)
    dtype = kwargs.get("dtype") or kwargs.get("out")
    if dtype is not None and np.dtype(dtype).kind in "iu":
        record(f"{op}: an integer dtype (points truncated)")
    steps = draw(st.sampled_from((0, 1, 2, 3, 4, 5, 7, 8, 16, 33, 100)))
    if steps in (0, 1):
        record(f"{op}: {steps} steps")
    elif steps % 2:
        record(f"{op}: an odd number of steps")
    start = _end(draw, op, dtype)
    end = start if draw(st.integers(0, 9)) == 0 else _end(draw, op, dtype)
    if steps == 0 and dtype is not None and np.dtype(dtype).kind in "iu" and draw(st.booleans()):
        record(f"{op}: zero steps convert no end (an end beyond the dtype)")
        start = 1e300
    if dtype is None and isinstance(np.asarray(start).item(), int) and isinstance(np.asarray(end).item(), int):
        record(f"{op}: integer ends give the default float dtype")
    args: tuple = (start, end, steps)
    if op == "logspace":
        complex_ = "c" in (np.dtype(dtype).kind if dtype else "") or isinstance(np.asarray(start).item(), complex)
        bases = (10.0, 2, 2.5, 0.5, 1, np.e) if complex_ else (10.0, 2, 2.5, 0.5, 1, 0, -2.0, np.e, 1e10)
        base = draw(st.sampled_from(bases))
        if base <= 0:
            record("logspace: a zero or negative base")
        if steps == 1 and dtype is not None and np.dtype(dtype).kind in "iu" and not _power_fits(base, start, dtype):
            args = (start, end, 2)  # one point is converted with the overflow check (an invalid case)
        if base != 10.0 or draw(st.booleans()):
            args = args + (base,)
    return Case(args, kwargs, form=form)


def _power_fits(base, start, dtype: str) -> bool:
    """Whether ``base ** start`` fits the integer ``dtype`` (logspace's one point is checked)."""
    with np.errstate(all="ignore"):
        value = np.power(float(base), float(np.asarray(start).item()))
    info = np.iinfo(np.dtype(dtype))
    return bool(np.isfinite(value)) and info.min <= value <= info.max


@st.composite
def range_invalid(draw, op: str = "linspace") -> Case:
    """Negative or non-int steps, a 1-d end, bool dtype (no kernel), a complex end with a real dtype, an end
    that does not fit the dtype, requires_grad for an integer dtype; logspace: a complex base."""
    defects = [
        "negative steps first",
        "negative steps",
        "float steps",
        "1-d end",
        "bool",
        "complex end",
        "overflow",
        "grad",
    ]
    defect = draw(st.sampled_from(defects + (["complex base"] if op == "logspace" else [])))
    record(f"{op} invalid: {defect}")
    if defect == "negative steps":
        return Case((0.0, 1.0, -draw(st.integers(1, 3))), form="positional", expect="steps")
    if defect == "negative steps first":  # torch checks steps before the complex end against the dtype
        return Case((0, 2j, -1), {"dtype": "int64"}, form="positional", expect="steps")
    if defect == "float steps":
        return Case((0.0, 1.0, draw(st.sampled_from((3.0, True)))), form="positional", expect="steps")
    if defect == "1-d end":
        return Case((np.array([0.0]), 1.0, 3), form="positional", expect="0-dimensional")
    if defect == "bool":
        return Case((0, 1, draw(st.integers(2, 5))), {"dtype": "bool"}, form="positional", expect="Bool")
    if defect == "complex end":
        return Case((1j, 1.0, 3), {"dtype": draw(st.sampled_from(FLOAT_DTYPES))}, form="positional", expect="cast")
    if defect == "overflow":
        return Case(
            (-1000, 1000, 3), {"dtype": draw(st.sampled_from(("uint8", "int8")))}, form="positional", expect="overflow"
        )
    if defect == "grad":
        return Case((0, 10, 3), {"dtype": "int64", "requires_grad": True}, form="positional", expect="floating point")
    return Case((0, 2, 3, 1 + 1j), form="positional", expect="base")
