"""Norms and distances: linalg.vector_norm, linalg.matrix_norm, linalg.norm, torch.norm, torch.dist.

The valid strategies steer to where norms disagree quietly: every ``ord``/``p`` (0, fractional,
negative, ``inf``/``-inf``, the matrix orders), zero vectors and zero matrices (the subgradient at 0),
ties for the largest or smallest element (the gradient split between them), empty reductions with an
identity, NaN and infinities, ``dtype=`` casts, and a dim given as an int, a tuple, a negative or ``()``.
The invalid ones reach each of torch's refusals (integer inputs, orders a norm does not have, a
narrowing or real/complex-changing ``dtype``, an empty reduction without identity, bad ``dim``).
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from ._arrays import arrays, dtypes, elements, shapes
from ._case import Case
from ._coverage import record

__all__ = [
    "VECTOR_ORDS",
    "MATRIX_ORDS",
    "vector_norm_args",
    "vector_norm_invalid",
    "matrix_norm_args",
    "matrix_norm_invalid",
    "linalg_norm_args",
    "linalg_norm_invalid",
    "legacy_norm_args",
    "legacy_norm_invalid",
    "dist_args",
    "dist_invalid",
]

#: every kind of vector order: the count (0), fractional, the usual, large, negative, and the extremes
VECTOR_ORDS = (2, 1, 0, 0.5, 1.5, 3, math.inf, -math.inf, -1, -2, -0.5)
#: the matrix orders torch.linalg.matrix_norm accepts
MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)
_NORM_DTYPES = ("float32", "float64", "float16", "complex64", "complex128")
#: dtype= values that widen (or keep) each input dtype without changing real/complex
_WIDER = {
    "float16": ("float16", "float32", "float64"),
    "float32": ("float32", "float64"),
    "float64": ("float64",),
    "complex64": ("complex64", "complex128"),
    "complex128": ("complex128",),
}


def ord_label(o) -> str:
    """An order as the coverage events name it (``2``, ``0.5``, ``inf``, ``'nuc'``)."""
    return repr(o) if isinstance(o, str) else f"{float(o):g}"


def _values(draw, dt: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """Random values; all zeros (the subgradient at 0); values from a small set (ties for the largest
    and smallest magnitude, zeros mixed in); or values with NaN and infinities."""
    kind = draw(st.sampled_from(["random", "random", "zeros", "ties", "specials"]))
    if kind == "zeros":
        return np.zeros(shape, dtype=dt)
    if kind == "ties":
        pool = [0.0, 1.0, -1.0, 2.0, -2.0]
        if dt.kind == "c":
            pool += [1j, -2j]
        return draw(arrays(dt, shape, elements_strategy=st.sampled_from(pool).map(dt.type)))
    return draw(arrays(dt, shape, elements_strategy=elements(dt, specials=kind == "specials", small=True)))


def _record_values(op: str, x: np.ndarray) -> None:
    if x.size and not np.any(x):
        record(f"{op}: zero input")
    if x.size > 1:
        mags = np.abs(x[np.isfinite(x)]) if x.dtype.kind in "fc" else np.abs(x)
        if mags.size > 1 and (np.sum(mags == mags.max()) > 1):
            record(f"{op}: tied largest magnitudes")
    if x.dtype.kind in "fc" and x.size and not np.isfinite(x).all():
        record(f"{op}: NaN or infinity")


def _dim_arg(draw, ndim: int):
    """None, an int, a tuple (negatives mixed in) or ``()`` (every dim)."""
    n = max(ndim, 1)
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-n, n - 1))
    picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    return tuple(d - n if draw(st.booleans()) else d for d in picked)


def _reduced_dims(x: np.ndarray, dim) -> tuple[int, ...]:
    if dim is None or dim == () or x.ndim == 0:
        return tuple(range(x.ndim))
    return tuple(d % x.ndim for d in ((dim,) if isinstance(dim, int) else dim))


def _has_identity(x: np.ndarray, dim, o) -> bool:
    """Whether the vector norm of order ``o`` over ``dim`` is defined: ``inf`` and negative orders have no
    identity, so they need every reduced dim non-empty (and, with no dim, a non-empty input)."""
    if not (o == math.inf or o < 0):
        return True
    if x.size == 0 and (dim is None or dim == ()):
        return False
    return all(x.shape[d] for d in _reduced_dims(x, dim)) if x.ndim else True


def _dtype_kwarg(draw, dt: np.dtype) -> dict:
    if draw(st.integers(0, 3)):
        return {}
    target = np.dtype(draw(st.sampled_from(_WIDER[dt.name])))
    record("norm: dtype= widens the input" if target != dt else "norm: dtype= the input's own")
    return {"dtype": target}


@st.composite
def vector_norm_args(draw, op: str = "linalg.vector_norm") -> Case:
    """``vector_norm(x, ord, dim, keepdim, *, dtype)``: every order in :data:`VECTOR_ORDS` (int or float
    spelling), dims in every form, keepdim, ``dtype=``; zero, tied, special and empty inputs."""
    dt = draw(dtypes(_NORM_DTYPES))
    x = _values(draw, dt, draw(shapes(max_dims=3)))
    o = draw(st.sampled_from(VECTOR_ORDS))
    if float(o).is_integer() and not math.isinf(o) and draw(st.booleans()):
        o = float(o)  # 2.0 as well as 2: the Scalar's type does not matter
    dim = _dim_arg(draw, x.ndim)
    if not _has_identity(x, dim, o):
        o = 2
    record(f"{op}: ord={ord_label(o)}")
    _record_values(op, x)
    if x.size == 0:
        record(f"{op}: empty input")
    kwargs = {"keepdim": draw(st.booleans())} | _dtype_kwarg(draw, dt)
    return Case((x, o, dim), kwargs)


@st.composite
def vector_norm_invalid(draw) -> Case:
    """An integer or bool input, a complex order, a dtype that narrows or changes real/complex or is not
    floating, an empty reduction without identity, a dim out of range or repeated."""
    defect = draw(st.sampled_from(["int input", "complex ord", "dtype", "no identity", "dim range", "dim repeated"]))
    record(f"linalg.vector_norm invalid: {defect}")
    if defect == "int input":
        x = draw(arrays(dtypes(("int64", "int32", "bool", "uint8")), shapes(max_dims=2)))
        return Case((x,), expect="floating point")
    if defect == "complex ord":
        x = draw(arrays(dtypes(("float32",)), shapes(max_dims=2)))
        return Case((x, 1j), expect="non-complex")
    if defect == "dtype":
        src, target, word = draw(
            st.sampled_from(
                [
                    ("float64", "float32", "narrowing"),
                    ("float32", "float16", "narrowing"),
                    ("complex128", "complex64", "narrowing"),
                    ("float32", "complex64", "real"),
                    ("complex64", "float64", "complex"),
                    ("float32", "int64", "floating point"),
                ]
            )
        )
        x = draw(arrays(np.dtype(src), shapes(max_dims=2)))
        return Case((x,), {"dtype": np.dtype(target)}, expect=word)
    if defect == "no identity":
        shape = draw(shapes(min_dims=1, max_dims=3))
        empty_at = draw(st.integers(0, len(shape) - 1))
        shape = shape[:empty_at] + (0,) + shape[empty_at + 1 :]
        x = np.zeros(shape, dtype=np.float32)
        o = draw(st.sampled_from([math.inf, -math.inf, -1, -0.5, -2]))
        dim = draw(st.sampled_from([None, (), empty_at, empty_at - len(shape)]))
        return Case((x, o, dim), expect="identity")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3)))
    n = x.ndim
    if defect == "dim range":
        return Case((x, 2, draw(st.sampled_from([n, -n - 1, (0, n)]))), expect="out of range")
    d = draw(st.integers(0, n - 1))
    return Case((x, 2, (d, d - n)), expect="multiple times")


def _matrix(draw, dt: np.dtype, min_dims: int = 2) -> np.ndarray:
    """A (batch of) matrices, possibly empty: random, zero, tied, with specials, or of rank 1."""
    shape = draw(shapes(min_dims=min_dims, max_dims=4, max_side=4))
    if draw(st.integers(0, 5)) == 0 and min(shape[-2:]) > 1:
        record("matrix norm: rank-deficient")
        u = draw(arrays(dt, shape[:-1] + (1,), elements_strategy=elements(dt, specials=False, small=True)))
        v = draw(arrays(dt, shape[:-2] + (1, shape[-1]), elements_strategy=elements(dt, specials=False, small=True)))
        return (u @ v).astype(dt)
    return _values(draw, dt, shape)


def _finite(x: np.ndarray) -> np.ndarray:
    """NaN and infinities replaced by 0: LAPACK's SVD of a non-finite matrix is implementation-defined
    (see known differences), so the SVD-based norms get finite matrices."""
    return np.where(np.isfinite(x), x, 0).astype(x.dtype) if x.dtype.kind in "fc" else x


def _matrix_dims(draw, ndim: int):
    """(-2, -1) mostly; any two distinct dims, in either order, sometimes."""
    if draw(st.booleans()):
        return (-2, -1)
    a, b = draw(st.permutations(range(ndim)))[:2]
    return (a - ndim if draw(st.booleans()) else a, b)


def _matrix_defined(x: np.ndarray, o, dims) -> bool:
    """The orders that take a smallest value (-1, -2, -inf) refuse an empty set of candidates."""
    if not (isinstance(o, int | float) and o < 0):
        return True
    d0, d1 = (d % x.ndim for d in dims)
    if o == -2:
        return min(x.shape[d0], x.shape[d1]) > 0
    return x.shape[d1 if o == -1 else d0] > 0


def _record_matrix(op: str, x: np.ndarray, o, dims) -> None:
    record(f"{op}: ord={ord_label(o)}")
    d0, d1 = (d % x.ndim for d in dims)
    if x.size == 0:
        record(f"{op}: empty matrix")
    if (d0, d1) != (x.ndim - 2, x.ndim - 1):
        record(f"{op}: dims other than the last two")
    if x.ndim > 2:
        record(f"{op}: batched")
    _record_values(op, x)


@st.composite
def matrix_norm_args(draw) -> Case:
    """``matrix_norm(A, ord, dim, keepdim, *, dtype)``: every order in :data:`MATRIX_ORDS` over the last
    two dims or any other pair, batched, empty, zero, tied, rank-deficient, with NaN and infinities."""
    o = draw(st.sampled_from(MATRIX_ORDS))
    svd_based = o in ("nuc", 2, -2)
    dt = draw(dtypes(tuple(n for n in _NORM_DTYPES if not (svd_based and n == "float16"))))
    x = _matrix(draw, dt)
    dims = _matrix_dims(draw, x.ndim)
    if not _matrix_defined(x, o, dims):
        o = -o  # the largest of nothing is 0
    if svd_based and x.dtype.kind in "fc" and not np.isfinite(x).all():
        x = _finite(x)  # LAPACK's results for NaN/inf are implementation-defined (see known differences)
    _record_matrix("linalg.matrix_norm", x, o, dims)
    kwargs = {"keepdim": draw(st.booleans())} | _dtype_kwarg(draw, dt)
    return Case((x, o, dims), kwargs)


@st.composite
def matrix_norm_invalid(draw) -> Case:
    """An order matrix norms lack (3, 0, 'abc'), a 1-d input, an integer input, a half input to an
    SVD-based order, a dim of the wrong length or repeated, an empty smallest."""
    defect = draw(st.sampled_from(["ord", "1-d", "int input", "half svd", "dim length", "dim same", "empty min"]))
    record(f"linalg.matrix_norm invalid: {defect}")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=2, max_dims=3, min_side=1)))
    if defect == "ord":
        return Case((x, draw(st.sampled_from([3, 0, 0.5, "abc", "inf"]))), expect="not supported")
    if defect == "1-d":
        return Case((draw(arrays(np.dtype("float32"), shapes(min_dims=0, max_dims=1))),), expect="2 dimensions")
    if defect == "int input":
        xi = draw(arrays(dtypes(("int64", "bool")), shapes(min_dims=2, max_dims=3)))
        return Case((xi, draw(st.sampled_from(MATRIX_ORDS))), expect="floating point")
    if defect == "half svd":
        half = draw(arrays(np.dtype("float16"), shapes(min_dims=2, max_dims=3, min_side=1)))
        return Case((half, draw(st.sampled_from(["nuc", 2, -2]))), expect="Low precision")
    if defect == "dim length":
        return Case((x, "fro", draw(st.sampled_from([(0,), (0, 1, 2)[: x.ndim + 1]]))), expect="2-tuple")
    if defect == "dim same":
        return Case((x, 1, (1, 1 - x.ndim)), expect="different")
    shape = list(x.shape)
    shape[-1] = 0
    o = draw(st.sampled_from([-1, -2]))
    return Case((np.zeros(shape, dtype=np.float32), o), expect="non-zero size")


@st.composite
def linalg_norm_args(draw) -> Case:
    """``linalg.norm(A, ord, dim, keepdim, *, dtype)``: ord None (2-norm of the flattened input, any
    rank), a vector order with one dim or a 1-d input, a matrix order with two dims or a 2-d input."""
    kind = draw(st.sampled_from(["default", "vector", "matrix"]))
    dt = draw(dtypes(_NORM_DTYPES))
    if kind == "default":
        x = _values(draw, dt, draw(shapes(max_dims=3)))
        dim = draw(st.sampled_from([None, 0, (0,)])) if x.ndim else None
        if x.ndim > 1 and draw(st.booleans()):
            dim = (0, -1)
        record("linalg.norm: ord=None")
        _record_values("linalg.norm", x)
        return Case((x, None, dim), {"keepdim": draw(st.booleans())} | _dtype_kwarg(draw, dt))
    if kind == "vector":
        x = _values(draw, dt, draw(shapes(min_dims=1, max_dims=3)))
        o = draw(st.sampled_from(VECTOR_ORDS))
        dim = None if x.ndim == 1 and draw(st.booleans()) else draw(st.integers(-x.ndim, x.ndim - 1))
        if not _has_identity(x, dim, o):
            o = 2
        record("linalg.norm: a vector order")
        record(f"linalg.norm: ord={ord_label(o)}")
        _record_values("linalg.norm", x)
        return Case((x, o, dim), {"keepdim": draw(st.booleans())} | _dtype_kwarg(draw, dt))
    o = draw(st.sampled_from(MATRIX_ORDS))
    if o in ("nuc", 2, -2) and dt == np.float16:
        dt = np.dtype("float32")
    x = _matrix(draw, dt)
    dims = None if x.ndim == 2 and draw(st.booleans()) else _matrix_dims(draw, x.ndim)
    if not _matrix_defined(x, o, dims or (0, 1)):
        o = -o
    if o in ("nuc", 2, -2):
        x = _finite(x)
    record("linalg.norm: a matrix order")
    record(f"linalg.norm: ord={ord_label(o)}")
    _record_values("linalg.norm", x)
    return Case((x, o, dims), {"keepdim": draw(st.booleans())} | _dtype_kwarg(draw, dt))


@st.composite
def linalg_norm_invalid(draw) -> Case:
    """An order without a dim on a 3-d input, a dim of length 3, a string order on a vector dim."""
    defect = draw(st.sampled_from(["ord without dim", "dim length", "string order 1-d dim"]))
    record(f"linalg.norm invalid: {defect}")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=3, max_dims=3, min_side=1)))
    if defect == "ord without dim":
        return Case((x, draw(st.sampled_from([2, "fro", math.inf]))), expect="1D or 2D")
    if defect == "dim length":
        return Case((x, None, (0, 1, 2)), expect="length 1 or 2")
    return Case((x, "fro", (0,)), expect="2-tuple")


@st.composite
def legacy_norm_args(draw) -> Case:
    """``torch.norm(input, p, dim, keepdim, dtype=)`` / ``Tensor.norm``: p 'fro' over any number of dims
    (a vector 2-norm, any rank), 'nuc' over a matrix, a number over dims given as an int or a list."""
    kind = draw(st.sampled_from(["fro", "nuc", "number"]))
    dt = draw(dtypes(_NORM_DTYPES if kind != "nuc" else ("float32", "float64", "complex64")))
    if kind == "nuc":
        x = _finite(_matrix(draw, dt, min_dims=2))
        dim = None if x.ndim == 2 else list(_matrix_dims(draw, x.ndim))
        record("norm: p='nuc'")
        _record_values("norm", x)
        return Case((x, "nuc", dim), {"keepdim": draw(st.booleans())})
    x = _values(draw, dt, draw(shapes(max_dims=3)))
    dim = _dim_arg(draw, x.ndim)
    if isinstance(dim, tuple):
        if kind == "fro" and len(dim) > 2:
            dim = dim[:2]
        dim = list(dim)
        if not dim:
            record("norm: dim=[] (every dim)")
    p = "fro" if kind == "fro" else draw(st.sampled_from(VECTOR_ORDS + (None,)))
    if p not in ("fro", None) and not _has_identity(x, tuple(dim) if isinstance(dim, list) else dim, p):
        p = 2
    record(f"norm: p={'None' if p is None else ord_label(p)}")
    _record_values("norm", x)
    return Case((x, p, dim), {"keepdim": draw(st.booleans())} | _dtype_kwarg(draw, dt))


@st.composite
def legacy_norm_invalid(draw) -> Case:
    """'nuc' on a 3-d input without dim, 'fro' over three dims of a 3-d input is fine but over a
    repeated dim is not, an integer input."""
    defect = draw(st.sampled_from(["nuc 3-d", "int input", "unknown p"]))
    record(f"norm invalid: {defect}")
    if defect == "nuc 3-d":
        x = draw(arrays(np.dtype("float32"), shapes(min_dims=3, max_dims=3, min_side=1)))
        return Case((x, "nuc"), expect="2-tuple")
    if defect == "int input":
        x = draw(arrays(dtypes(("int64", "int32")), shapes(max_dims=2)))
        return Case((x,), expect="floating point")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=2, max_dims=2, min_side=1)))
    return Case((x, "abc"), expect="not supported")


@st.composite
def dist_args(draw) -> Case:
    """``dist(input, other, p)``: broadcast operands of one or two floating dtypes, every p, equal
    operands (a zero difference: the subgradient at 0), ties in the difference."""
    dt = draw(dtypes(_NORM_DTYPES))
    shape = draw(shapes(max_dims=3))
    x = _values(draw, dt, shape)
    kind = draw(st.sampled_from(["random", "equal", "broadcast", "mixed"]))
    if kind == "equal":
        y = x.copy()
        record("dist: equal operands")
    elif kind == "broadcast" and shape:
        y = _values(draw, dt, shape[draw(st.integers(1, len(shape))) :])
        record("dist: broadcast operands")
    elif kind == "mixed":
        other = np.dtype(draw(st.sampled_from(["float32", "float64"])))
        y = _values(draw, other, shape)
        if other != dt:
            record("dist: operands of two dtypes")
    else:
        y = _values(draw, dt, shape)
    p = draw(st.sampled_from(VECTOR_ORDS))
    if np.broadcast_shapes(x.shape, y.shape) and 0 in np.broadcast_shapes(x.shape, y.shape):
        if p == math.inf or p < 0:
            p = 2
    record(f"dist: p={ord_label(p)}")
    return Case((x, y, p))


@st.composite
def dist_invalid(draw) -> Case:
    """Integer operands, shapes that do not broadcast, a non-number p."""
    defect = draw(st.sampled_from(["int", "broadcast", "p"]))
    record(f"dist invalid: {defect}")
    if defect == "int":
        x = draw(arrays(np.dtype("int64"), shapes(max_dims=2)))
        return Case((x, x.copy()), expect="floating point")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=2, min_side=2)))
    if defect == "broadcast":
        return Case((x, np.zeros((x.shape[-1] + 1,), dtype=np.float32)), expect="size")
    return Case((x, x.copy(), "fro"), expect="Number")
