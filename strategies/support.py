"""Strategies for the ops a torch program needs around the core ones: arithmetic with type
promotion, comparisons, exp/sigmoid, sum/mean, view/reshape, transpose/t, matmul."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, arrays, dtypes, elements, shapes
from ._case import Case
from ._coverage import record

__all__ = [
    "binary_args",
    "binary_invalid",
    "unary_args",
    "unary_invalid",
    "reduction_args",
    "reduction_invalid",
    "reshape_args",
    "reshape_invalid",
    "transpose_args",
    "transpose_invalid",
    "matmul_args",
    "matmul_invalid",
]

NUMERIC = INT_DTYPES + FLOAT_DTYPES + ("complex64",)


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
    a = draw(_operand(shape, dtype_names, kind=draw(st.sampled_from(["tensor", "0-d"]))))
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
    form = draw(st.sampled_from(["function", "operator"]))
    if isinstance(a, np.ndarray) is False:
        form = "operator"
    return Case((a, b), form=form)


def _pow_safe(x):
    """pow: no negative integer exponents (an error) and no huge results."""
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "iub":
            return np.asarray(np.clip(np.abs(x.astype(np.int64)), 0, 3)).astype(x.dtype)
        return x
    if isinstance(x, bool):
        return x
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
    """Shapes that do not broadcast; bool - bool; a non-number operand."""
    defects = ["broadcast", "type"] + (["bool_sub"] if op == "sub" else [])
    defect = draw(st.sampled_from(defects))
    record(f"{op} invalid: {defect}")
    if defect == "broadcast":
        a = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3, min_side=2)))
        b = np.zeros(tuple(s + 1 for s in a.shape), dtype=np.float32)
        return Case((a, b), expect="size", form="function")
    if defect == "bool_sub":
        a = draw(arrays(np.dtype("bool"), shapes(max_dims=2)))
        other = draw(st.sampled_from([a.copy(), 1, True, np.ones(a.shape, np.float32)]))
        return Case(
            (a, other) if draw(st.booleans()) or not isinstance(other, np.ndarray) else (other, a),
            expect="bool",
            form="function",
        )
    a = draw(arrays(np.dtype("float32"), shapes(max_dims=2)))
    # the message must name the argument: "other" (pow calls it "exponent")
    return Case((a, "1"), expect="exponent" if op == "pow" else "other", form="function")


@st.composite
def unary_args(draw, dtype_names=ALL_DTYPES) -> Case:
    """Any dtype: integer and bool inputs promote to the default float dtype."""
    dt = draw(dtypes(dtype_names))
    x = draw(arrays(dt, shapes(max_dims=3), elements_strategy=elements(dt, specials=True, small=True)))
    if dt.kind in "biu":
        record("unary: integer input promotes to float")
    return Case((x,), form=draw(st.sampled_from(["function", "method"])))


@st.composite
def unary_invalid(draw) -> Case:
    record("unary invalid: not a tensor")
    return Case((draw(st.sampled_from(["x", None, [1.0]])),), expect="input", form="function")


@st.composite
def reduction_args(draw, op: str = "sum") -> Case:
    """dim None, an int, or a tuple (negatives mixed in, empty tuple = all dims); keepdim either way."""
    names = ALL_DTYPES if op == "sum" else FLOAT_DTYPES + ("complex64",)
    dt = draw(dtypes(names))
    x = draw(arrays(dt, shapes(max_dims=3), elements_strategy=elements(dt, specials=True, small=True)))
    n = max(x.ndim, 1)
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    keepdim = draw(st.booleans())
    if kind == "none":
        return Case((x,), form="method")
    if kind == "int":
        dim = draw(st.integers(-n, n - 1))
    else:
        picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
        dim = tuple(d - n if draw(st.booleans()) else d for d in picked)
        if not dim:
            record(f"{op}: empty dim tuple (all dims)")
    if keepdim:
        record(f"{op}: keepdim")
    return Case((x, dim), {"keepdim": keepdim}, form=draw(st.sampled_from(["function", "method"])))


@st.composite
def reduction_invalid(draw, op: str = "sum") -> Case:
    """A dim out of range, a repeated dim; for mean, an integer input."""
    defects = ["range", "duplicate"] + (["int"] if op == "mean" else [])
    defect = draw(st.sampled_from(defects))
    record(f"{op} invalid: {defect}")
    if defect == "int":
        x = draw(arrays(dtypes(INT_DTYPES + ("bool",)), shapes(max_dims=2)))
        return Case((x,), expect="dtype", form="method")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3)))
    n = x.ndim
    if defect == "range":
        return Case((x, draw(st.sampled_from([n, -n - 1, n + 2]))), expect="dimension", form="method")
    d = draw(st.integers(0, n - 1))
    return Case((x, (d, d - n)), expect="dim", form="method")


def _factorizations(numel: int, max_dims: int = 4):
    """Shapes whose product is ``numel`` (``numel`` may be 0)."""
    if numel == 0:
        return st.lists(st.integers(0, 3), min_size=1, max_size=max_dims).filter(lambda s: 0 in s).map(tuple)

    @st.composite
    def build(draw):
        rest, out = numel, []
        for _ in range(draw(st.integers(0, max_dims - 1))):
            divisors = [d for d in range(1, rest + 1) if rest % d == 0]
            d = draw(st.sampled_from(divisors))
            out.append(d)
            rest //= d
        out.append(rest)
        return tuple(draw(st.permutations(out)))

    return build()


@st.composite
def reshape_args(draw, op: str = "reshape") -> Case:
    """A target shape with the same number of elements, often with one -1; for ``view``, the
    input is restricted to layouts where torch can view (checked by torch itself)."""
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(max_dims=3)))
    shape = list(draw(_factorizations(x.size)))
    if x.size and shape and draw(st.booleans()):
        shape[draw(st.integers(0, len(shape) - 1))] = -1
        record(f"{op}: inferred -1 dim")
    form = draw(st.sampled_from(["varargs", "tuple"]))
    return Case((x, tuple(shape)), form=form)


@st.composite
def reshape_invalid(draw, op: str = "reshape") -> Case:
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3, min_side=1)))
    defect = draw(st.sampled_from(["numel", "two_inferred"]))
    record(f"{op} invalid: {defect}")
    if defect == "numel":
        return Case((x, (x.size + draw(st.integers(1, 3)),)), expect="shape", form="tuple")
    return Case((x, (-1, -1)), expect="infer", form="tuple")


@st.composite
def transpose_args(draw) -> Case:
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(max_dims=4)))
    n = max(x.ndim, 1)
    if draw(st.integers(0, 3)) == 0 and x.ndim <= 2:
        return Case((x,), form="t")
    d0, d1 = draw(st.integers(-n, n - 1)), draw(st.integers(-n, n - 1))
    return Case((x, d0, d1), form=draw(st.sampled_from(["function", "method"])))


@st.composite
def transpose_invalid(draw) -> Case:
    if draw(st.booleans()):
        x = draw(arrays(np.dtype("float32"), shapes(min_dims=3, max_dims=4)))
        record("t invalid: more than 2 dims")
        return Case((x,), expect="dimensions", form="t")
    x = draw(arrays(np.dtype("float32"), shapes(max_dims=3)))
    n = max(x.ndim, 1)
    record("transpose invalid: range")
    return Case((x, 0, draw(st.sampled_from([n, -n - 1]))), expect="dimension", form="method")


@st.composite
def matmul_args(draw) -> Case:
    """1-d x 1-d (dot), matrix x vector, vector x matrix, matrix x matrix, broadcast batches; one dtype."""
    dt = draw(dtypes(("float32", "float64", "int64", "complex64")))
    n, k, m = (draw(st.integers(0, 3)) for _ in range(3))
    kind = draw(st.sampled_from(["dot", "mv", "vm", "mm", "batched"]))
    record(f"matmul: {kind}")
    batch_a = tuple(draw(st.lists(st.integers(1, 2), max_size=2))) if kind == "batched" else ()
    batch_b = batch_a[draw(st.integers(0, len(batch_a))) :] if kind == "batched" else ()
    sa = {"dot": (k,), "mv": (n, k), "vm": (k,), "mm": (n, k), "batched": batch_a + (n, k)}[kind]
    sb = {"dot": (k,), "mv": (k,), "vm": (k, m), "mm": (k, m), "batched": batch_b + (k, m)}[kind]
    el = elements(dt, specials=False, small=True)
    a = draw(arrays(dt, sa, elements_strategy=el))
    b = draw(arrays(dt, sb, elements_strategy=el))
    return Case((a, b), form=draw(st.sampled_from(["function", "operator", "method"])))


@st.composite
def matmul_invalid(draw) -> Case:
    defect = draw(st.sampled_from(["inner", "dtype", "zero_d"]))
    record(f"matmul invalid: {defect}")
    a = draw(arrays(np.dtype("float32"), (2, 3), specials=False))
    if defect == "inner":
        return Case((a, np.zeros((4, 2), np.float32)), expect="shapes", form="function")
    if defect == "dtype":
        return Case((a, np.zeros((3, 2), np.float64)), expect="dtype", form="function")
    return Case((np.array(1.0, dtype=np.float32), a), expect="1D", form="function")
