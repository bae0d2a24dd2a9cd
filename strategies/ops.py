"""One strategy of valid arguments and one of invalid arguments per op.

Each valid strategy steers towards the cases where semantics break and
records a coverage event for each hard case it produced.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ._arrays import FLOAT_DTYPES, INT_DTYPES, arrays, dtypes, elements, shapes
from ._case import Case
from ._coverage import record

__all__ = [
    "gather_args",
    "gather_invalid",
    "squeeze_args",
    "squeeze_invalid",
    "unsqueeze_args",
    "unsqueeze_invalid",
    "flatten_args",
    "flatten_invalid",
    "permute_args",
    "permute_invalid",
    "clamp_args",
    "clamp_invalid",
    "einsum_args",
    "einsum_invalid",
    "svd_args",
    "svd_invalid",
    "detach_args",
    "detach_invalid",
    "matrices",
]

DATA_DTYPES = ("bool",) + INT_DTYPES + FLOAT_DTYPES + ("complex64",)


def _dim(draw, ndim: int) -> int:
    """A valid dim in ``[-n, n)`` (n = max(ndim, 1)), negative half the time."""
    n = max(ndim, 1)
    d = draw(st.integers(-n, n - 1))
    if d < 0:
        record("dim: negative")
    return d


def _out_of_range_dim(draw, n: int) -> int:
    n = max(n, 1)
    return draw(st.one_of(st.integers(n, n + 3), st.integers(-n - 3, -n - 1)))


# -- gather ---------------------------------------------------------------------------


@st.composite
def gather_args(draw, dtype_names=DATA_DTYPES) -> Case:
    """``(input, dim, index)``: index smaller than input in other dims, any length along ``dim``,
    duplicate indices, empty index, 0-d input/index, int32 or int64 index, non-contiguous operands."""
    x = draw(arrays(dtypes(dtype_names), shapes(max_dims=4, max_side=4)))
    dim = _dim(draw, x.ndim)
    n = max(x.ndim, 1)
    xs = x.shape if x.ndim else (1,)
    d = dim % n
    idx_shape = []
    for k in range(n):
        if k == d:
            idx_shape.append(draw(st.integers(0, xs[k] + 3)))
        else:
            idx_shape.append(draw(st.integers(0, xs[k])))
    if xs[d] == 0:
        idx_shape[draw(st.integers(0, n - 1))] = 0  # every index would be out of bounds: only empty is valid
    zero_d_index = x.ndim <= 1 and idx_shape == [1] and draw(st.booleans())
    if zero_d_index:
        idx_shape = []
    idx_dtype = draw(st.sampled_from([np.int64, np.int64, np.int32]))
    hi = max(xs[d] - 1, 0)
    index = draw(arrays(np.dtype(idx_dtype), tuple(idx_shape), elements_strategy=st.integers(0, hi)))
    # coverage
    if x.ndim == 0:
        record("gather: 0-d input")
    if index.ndim == 0:
        record("gather: 0-d index")
    if index.size == 0:
        record("gather: empty index")
    if any(idx_shape[k] < xs[k] for k in range(len(idx_shape)) if k != d):
        record("gather: index smaller than input")
    if idx_shape and idx_shape[d] > xs[d]:
        record("gather: index longer along dim")
    if index.size and _has_duplicates_along(index, d):
        record("gather: duplicate indices")
    if idx_dtype == np.int32:
        record("gather: int32 index")
    form = draw(st.sampled_from(["function", "method"]))
    return Case((x, dim, index), form=form)


def _has_duplicates_along(index: np.ndarray, d: int) -> bool:
    if index.ndim == 0:
        return False
    moved = np.moveaxis(index, d, -1).reshape(-1, index.shape[d])
    return any(len(set(row.tolist())) < len(row) for row in moved)


@st.composite
def gather_invalid(draw) -> Case:
    """One defect each: dim out of range, index out of bounds (incl. negative), rank mismatch,
    index too large in another dim, wrong index dtype, index not a tensor."""
    x = draw(arrays(dtypes(("float32", "int64")), shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    defect = draw(st.sampled_from(["dim", "bounds", "rank", "size", "dtype", "type"]))
    d = _dim(draw, x.ndim) % x.ndim
    index_shape = [1] * x.ndim
    index = np.zeros(index_shape, dtype=np.int64)
    dim = d
    expect = "index"
    if defect == "dim":
        dim = _out_of_range_dim(draw, x.ndim)
        expect = "dimension"
    elif defect == "bounds":
        v = draw(st.one_of(st.integers(x.shape[d], x.shape[d] + 5), st.integers(-5, -1)))
        index = np.full(index_shape, v, dtype=np.int64)
        expect = "out of bounds"
    elif defect == "rank":
        extra = draw(st.sampled_from([-1, 1])) if x.ndim > 1 else 1
        index = np.zeros([1] * (x.ndim + extra), dtype=np.int64)
        expect = "dimensions"
    elif defect == "size":
        others = [k for k in range(x.ndim) if k != d]
        if not others:
            dim = _out_of_range_dim(draw, x.ndim)
            expect = "dimension"
        else:
            k = draw(st.sampled_from(others))
            index_shape[k] = x.shape[k] + draw(st.integers(1, 3))
            index = np.zeros(index_shape, dtype=np.int64)
            expect = "size"
    elif defect == "dtype":
        index = index.astype(draw(st.sampled_from([np.float32, np.int16, np.uint8, np.bool_])))
        expect = "dtype"
    else:
        return Case((x, dim, [0]), expect="index", form="function")
    record(f"gather invalid: {defect}")
    return Case((x, dim, index), expect=expect, form=draw(st.sampled_from(["function", "method"])))


# -- squeeze / unsqueeze ------------------------------------------------------------------


def _ones_heavy_shapes(max_dims=4):
    return st.lists(st.sampled_from([1, 1, 1, 2, 3, 0]), min_size=0, max_size=max_dims).map(tuple)


@st.composite
def squeeze_args(draw) -> Case:
    """dim None, an int or a tuple (negatives mixed in, non-1 dims that make it a no-op, empty tuple), 0-d."""
    x = draw(arrays(dtypes(DATA_DTYPES), _ones_heavy_shapes()))
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    n = max(x.ndim, 1)
    if kind == "none":
        record("squeeze: all dims")
        return Case((x,), form=draw(st.sampled_from(["function", "method"])))
    if kind == "int":
        dim = _dim(draw, x.ndim)
        record("squeeze: int dim")
        if x.ndim and x.shape[dim] != 1:
            record("squeeze: dim not size 1 (no-op)")
        if x.ndim == 0:
            record("squeeze: 0-d")
        return Case((x, dim), form=draw(st.sampled_from(["function", "method"])))
    picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    dims = tuple(d - n if draw(st.booleans()) else d for d in picked)
    record("squeeze: tuple dims")
    if not dims:
        record("squeeze: empty tuple")
    if any(x.ndim and x.shape[d] != 1 for d in dims):
        record("squeeze: dim not size 1 (no-op)")
    return Case((x, dims), form=draw(st.sampled_from(["function", "method"])))


@st.composite
def squeeze_invalid(draw) -> Case:
    """A dim out of range, a dim listed twice (also as d and d - n), or a non-int dim."""
    x = draw(arrays(dtypes(("float32",)), _ones_heavy_shapes()))
    n = max(x.ndim, 1)
    defect = draw(st.sampled_from(["range", "duplicate", "type"]))
    record(f"squeeze invalid: {defect}")
    if defect == "range":
        d = _out_of_range_dim(draw, x.ndim)
        dim = d if draw(st.booleans()) else (0, d) if n > 0 else (d,)
        return Case((x, dim), expect="dimension", form="method")
    if defect == "duplicate":
        d = draw(st.integers(0, n - 1))
        return Case((x, (d, d - n if draw(st.booleans()) else d)), expect="dim", form="method")
    return Case((x, draw(st.sampled_from([1.5, "0", None]))), expect="dim", form="method")


@st.composite
def unsqueeze_args(draw) -> Case:
    """Every dim in ``[-ndim-1, ndim]``."""
    x = draw(arrays(dtypes(DATA_DTYPES), shapes(max_dims=4)))
    n = x.ndim + 1
    dim = draw(st.integers(-n, n - 1))
    if dim in (n - 1, -1):
        record("unsqueeze: at end")
    if dim in (0, -n):
        record("unsqueeze: at front")
    if dim < 0:
        record("dim: negative")
    return Case((x, dim), form=draw(st.sampled_from(["function", "method"])))


@st.composite
def unsqueeze_invalid(draw) -> Case:
    x = draw(arrays(dtypes(("float32",)), shapes(max_dims=3)))
    if draw(st.booleans()):
        record("unsqueeze invalid: range")
        return Case((x, _out_of_range_dim(draw, x.ndim + 1)), expect="dimension", form="method")
    record("unsqueeze invalid: type")
    return Case((x, draw(st.sampled_from([1.0, None, (0,)]))), expect="dim", form="method")


# -- flatten / nn.Flatten -----------------------------------------------------------------


@st.composite
def flatten_args(draw) -> Case:
    """Every valid (start_dim, end_dim) pair in either sign, start == end, 0-d, non-contiguous inputs."""
    x = draw(arrays(dtypes(DATA_DTYPES), shapes(max_dims=4)))
    n = max(x.ndim, 1)
    s = draw(st.integers(0, n - 1))
    e = draw(st.integers(s, n - 1))
    start = s - n if draw(st.booleans()) else s
    end = e - n if draw(st.booleans()) else e
    if s == e:
        record("flatten: start == end")
    if x.ndim == 0:
        record("flatten: 0-d")
    if s == 0 and e == n - 1:
        record("flatten: all dims")
    return Case((x, start, end), form=draw(st.sampled_from(["function", "method", "module"])))


@st.composite
def flatten_invalid(draw) -> Case:
    x = draw(arrays(dtypes(("float32",)), shapes(max_dims=4)))
    n = max(x.ndim, 1)
    if n >= 2 and draw(st.booleans()):
        s = draw(st.integers(1, n - 1))
        e = draw(st.integers(0, s - 1))
        record("flatten invalid: start after end")
        return Case((x, s, e), expect="start_dim", form=draw(st.sampled_from(["function", "method", "module"])))
    record("flatten invalid: range")
    bad = _out_of_range_dim(draw, x.ndim)
    args = (x, bad, -1) if draw(st.booleans()) else (x, 0, bad)
    return Case(args, expect="dimension", form=draw(st.sampled_from(["function", "method", "module"])))


# -- permute -------------------------------------------------------------------------------


@st.composite
def permute_args(draw) -> Case:
    """Mixed-sign permutations of (often non-contiguous) inputs, as varargs, a tuple or a list."""
    x = draw(arrays(dtypes(DATA_DTYPES), shapes(max_dims=5, max_side=3)))
    n = x.ndim
    perm = draw(st.permutations(range(n)))
    dims = tuple(p - n if draw(st.booleans()) else p for p in perm)
    if any(d < 0 for d in dims) and any(d >= 0 for d in dims):
        record("permute: mixed-sign dims")
    form = draw(st.sampled_from(["varargs", "tuple", "function"] if n else ["tuple", "function"]))
    return Case((x, dims), form=form)


@st.composite
def permute_invalid(draw) -> Case:
    """Wrong number of dims, a duplicate dim (also d and d - n), a dim out of range."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=4, max_side=3)))
    n = x.ndim
    defect = draw(st.sampled_from(["length", "duplicate", "range"] if n >= 2 else ["length", "range"]))
    record(f"permute invalid: {defect}")
    if defect == "length":
        k = draw(st.integers(0, n + 2).filter(lambda k: k != n))
        dims = tuple(draw(st.integers(0, n - 1)) for _ in range(k))
        return Case((x, dims), expect="dims", form=draw(st.sampled_from(["tuple", "function"])))
    perm = list(draw(st.permutations(range(n))))
    if defect == "duplicate":
        i, j = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        perm[j] = perm[i] - n if draw(st.booleans()) else perm[i]
        return Case((x, tuple(perm)), expect="duplicate", form="tuple")
    perm[draw(st.integers(0, n - 1))] = _out_of_range_dim(draw, n)
    return Case((x, tuple(perm)), expect="dimension", form="tuple")


# -- clamp ---------------------------------------------------------------------------------


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
    form = draw(st.sampled_from(["function", "method", "clip", "keywords"]))
    return Case((x,), {"min": lo, "max": hi}, form=form)


@st.composite
def clamp_invalid(draw) -> Case:
    """Both bounds None, complex input, bool input with bool bound, a scalar that overflows the
    dtype, a tensor bound that does not broadcast, a bound of the wrong type."""
    defect = draw(st.sampled_from(["none", "complex", "bool", "overflow", "broadcast", "type", "mixed"]))
    record(f"clamp invalid: {defect}")
    if defect == "complex":
        x = draw(arrays(np.dtype("complex64"), shapes(max_dims=2)))
        return Case((x,), {"min": 0.0, "max": None}, expect="complex", form="function")
    if defect == "bool":
        x = draw(arrays(np.dtype("bool"), shapes(max_dims=2)))
        return Case((x,), {"min": draw(st.booleans()), "max": None}, expect="bool", form="function")
    if defect == "overflow":
        dt = draw(st.sampled_from(["uint8", "int8"]))
        x = draw(arrays(np.dtype(dt), shapes(max_dims=2)))
        info = np.iinfo(dt)
        v = draw(st.one_of(st.integers(int(info.max) + 1, 10_000), st.integers(-10_000, -int(info.max) - 2)))
        return Case((x,), {"min": v, "max": None}, expect="overflow", form="function")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3, min_side=2)))
    if defect == "none":
        return Case((x,), {"min": None, "max": None}, expect="min", form="function")
    if defect == "broadcast":
        bad = tuple(s + 1 for s in x.shape)
        return Case((x,), {"min": np.zeros(bad, dtype=np.float32), "max": None}, expect="size", form="function")
    if defect == "mixed":  # a scalar beside a tensor bound with dims matches neither overload
        t = np.ones(x.shape[-1:], dtype=np.float32)
        lo, hi = (0.5, t) if draw(st.booleans()) else (t, 0.5)
        return Case((x,), {"min": lo, "max": hi}, expect="clamp", form=draw(st.sampled_from(["function", "method"])))
    return Case((x,), {"min": "0", "max": None}, expect="min", form="function")


# -- einsum --------------------------------------------------------------------------------

_EINSUM_LETTERS = "ijkl" + "aB"


@st.composite
def einsum_args(draw, dtype_names=("float32", "float64", "complex64", "int64")) -> Case:
    """Generated equations in every form: explicit and implicit output, ellipsis (summed or kept),
    repeated subscripts (diagonals), size-1 broadcasting, spaces, sublist form, operands as a list;
    1 to 3 operands; empty dims.  args = (equation_or_marker, *operands)."""
    dt = draw(dtypes(dtype_names))
    n_ops = draw(st.integers(1, 3))
    record(f"einsum: {n_ops} operand(s)")
    pool = draw(st.lists(st.sampled_from(_EINSUM_LETTERS), min_size=1, max_size=4, unique=True))
    sizes = {
        c: draw(st.sampled_from([1, 2, 3, 0]) if draw(st.integers(0, 5)) == 0 else st.integers(1, 3)) for c in pool
    }
    ell_shape = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    terms, shapes_, has_ell = [], [], []
    for _ in range(n_ops):
        labels = draw(st.lists(st.sampled_from(pool), max_size=3))
        use_ell = draw(st.integers(0, 3)) == 0
        shape = []
        for c in labels:
            s = sizes[c]
            if s > 1 and draw(st.integers(0, 5)) == 0:
                s = 1
                record("einsum: size-1 broadcasting")
            shape.append(s)
        if len(set(labels)) < len(labels):
            record("einsum: repeated subscript (diagonal)")
            shape = [sizes[c] for c in labels]  # a diagonal needs equal sizes
        term = "".join(labels)
        if use_ell:
            pos = draw(st.integers(0, len(labels)))
            k = draw(st.integers(0, len(ell_shape)))
            eshape = [1 if draw(st.integers(0, 4)) == 0 else s for s in ell_shape[len(ell_shape) - k :]]
            term = term[:pos] + "..." + term[pos:]
            shape = shape[:pos] + eshape + shape[pos:]
            record("einsum: ellipsis")
        terms.append(term)
        shapes_.append(tuple(shape))
        has_ell.append(use_ell)
    ops = [draw(arrays(dt, s, elements_strategy=elements(dt, specials=False, small=True))) for s in shapes_]
    if any(0 in s for s in shapes_):
        record("einsum: empty dim")
    if any(len(s) == 0 for s in shapes_):
        record("einsum: 0-d operand")
    counts = {}
    for t in terms:
        for c in t.replace("...", ""):
            counts[c] = counts.get(c, 0) + 1
    implicit = draw(st.booleans())
    if implicit:
        equation = ",".join(terms)
        record("einsum: implicit output")
    else:
        used = [c for c in pool if c in counts]
        out = draw(st.lists(st.sampled_from(used), unique=True, max_size=len(used))) if used else []
        out_s = "".join(out)
        if any(has_ell):
            if draw(st.integers(0, 3)) == 0:
                record("einsum: ellipsis summed")
            else:
                pos = draw(st.integers(0, len(out_s)))
                out_s = out_s[:pos] + "..." + out_s[pos:]
        equation = ",".join(terms) + "->" + out_s
        record("einsum: explicit output")
        if any(c.isupper() for c in equation):
            record("einsum: uppercase subscript")
    form = draw(st.sampled_from(["varargs", "list", "sublist", "spaces"]))
    record(f"einsum form: {form}")
    if form == "spaces":
        equation = _spaced(lambda: draw(st.booleans()), equation)
        form = "varargs"
    return Case((equation, *ops), form=form)


def _spaced(coin, equation: str) -> str:
    """Insert spaces everywhere torch allows them (anywhere but inside '->' and '...')."""
    out = [" "] if coin() else []
    i = 0
    while i < len(equation):
        if equation.startswith("...", i):
            tok = "..."
        elif equation.startswith("->", i):
            tok = "->"
        else:
            tok = equation[i]
        out.append(tok)
        if coin():
            out.append(" ")
        i += len(tok)
    return "".join(out)


@st.composite
def einsum_invalid(draw) -> Case:
    """Malformed equations and mismatched operands (one defect each)."""
    defect = draw(
        st.sampled_from(
            [
                "char",
                "too_few",
                "too_many",
                "rank",
                "out_missing",
                "out_dup",
                "size",
                "repeat_size",
                "two_ellipsis",
                "sublist",
            ]
        )
    )
    record(f"einsum invalid: {defect}")
    x = draw(arrays(np.dtype("float32"), (2, 3), specials=False))
    y = draw(arrays(np.dtype("float32"), (3, 4), specials=False))
    if defect == "char":
        bad = draw(st.sampled_from(["1", "#", "?", "_"]))
        return Case((f"i{bad}->i", x), expect="subscript")
    if defect == "too_few":
        return Case(("ij,jk->ik", x), expect="operands")
    if defect == "too_many":
        return Case(("ij->ij", x, y), expect="operands")
    if defect == "rank":
        eq = draw(st.sampled_from(["ijk->i", "i->i", "ijkl"]))
        return Case((eq, x), expect="subscripts")
    if defect == "out_missing":
        return Case(("ij->iz", x), expect="output subscript")
    if defect == "out_dup":
        return Case(("ij->ii", x), expect="output subscript")
    if defect == "size":
        return Case(("ij,ij->ij", x, y), expect="size")
    if defect == "repeat_size":
        return Case(("ii->i", x), expect="repeated")
    if defect == "two_ellipsis":
        return Case(("...i...->i", x), expect="ellipsis")
    return Case(("sublist", x, [0, draw(st.integers(52, 80))]), expect="subscript", form="sublist-raw")


# -- svd -----------------------------------------------------------------------------------

MATRIX_KINDS = ("random", "rank-deficient", "well-separated", "ill-conditioned")


@st.composite
def matrices(
    draw, dtype_names=("float32", "float64", "complex64", "complex128"), max_side: int = 5, kinds=MATRIX_KINDS
):
    """Matrices (possibly batched or empty): random, rank-deficient, with well-separated singular
    values, or ill-conditioned (singular values spanning 1e-6..1)."""
    dt = draw(dtypes(dtype_names))
    batch = tuple(draw(st.lists(st.integers(0, 2) if draw(st.integers(0, 4)) == 0 else st.integers(1, 2), max_size=2)))
    m = draw(st.integers(0, max_side))
    n = draw(st.integers(0, max_side))
    kind = draw(st.sampled_from(kinds))
    k = min(m, n)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    real = np.float64

    def gauss(*shape):
        a = rng.standard_normal(shape).astype(real)
        if dt.kind == "c":
            a = a + 1j * rng.standard_normal(shape)
        return a

    if kind == "random" or k == 0:
        a = gauss(*batch, m, n)
    elif kind == "rank-deficient":
        r = draw(st.integers(0, max(k - 1, 0)))
        a = gauss(*batch, m, r) @ gauss(*batch, r, n)
    else:
        if kind == "well-separated":
            s = 2.0 ** -np.arange(k)  # ratios of 2: gaps far above rounding error
        else:
            s = np.logspace(0, -6, k)
        qu, _ = np.linalg.qr(gauss(*batch, m, m))
        qv, _ = np.linalg.qr(gauss(*batch, n, n))
        a = (qu[..., :, :k] * s) @ np.conj(np.swapaxes(qv[..., :, :k], -1, -2))
    record(f"svd: {kind if k else 'empty'}")
    if k and m > n:
        record("svd: tall")
    elif k and m < n:
        record("svd: wide")
    elif k:
        record("svd: square")
    if batch:
        record("svd: batched")
    if dt.kind == "c":
        record("svd: complex")
    arr = np.ascontiguousarray(a.astype(dt))
    if draw(st.booleans()) and arr.ndim >= 2 and arr.size:
        arr = np.swapaxes(np.ascontiguousarray(np.swapaxes(arr, -1, -2)), -1, -2)  # column-major layout
        record("layout: non-contiguous")
    return arr, kind


@st.composite
def svd_args(draw, variant: str = "linalg") -> Case:
    """For ``linalg.svd``: full_matrices; for ``torch.svd``: some and compute_uv; ``svdvals``: none."""
    a, kind = draw(matrices())
    if variant == "linalg":
        return Case((a,), {"full_matrices": draw(st.booleans())}, form=kind)
    if variant == "legacy":
        some, uv = draw(st.booleans()), draw(st.booleans())
        if not uv:
            record("svd: compute_uv=False")
        return Case((a,), {"some": some, "compute_uv": uv}, form=kind)
    return Case((a,), form=kind)


@st.composite
def svd_invalid(draw, variant: str = "linalg") -> Case:
    """Integer or float16 input, fewer than 2 dims, non-finite entries."""
    defect = draw(st.sampled_from(["int", "half", "rank", "nonfinite"]))
    record(f"svd invalid: {defect}")
    if defect == "int":
        a = draw(arrays(dtypes(("int64", "int32", "bool")), shapes(min_dims=2, max_dims=3, min_side=1, max_side=3)))
        return Case((a,), expect="floating point")
    if defect == "half":
        a = draw(arrays(np.dtype("float16"), shapes(min_dims=2, max_dims=2, min_side=1, max_side=3)))
        return Case((a,), expect="Half")
    if defect == "rank":
        a = draw(arrays(np.dtype("float32"), shapes(min_dims=0, max_dims=1)))
        return Case((a,), expect="dimensions")
    a = draw(hnp.arrays(np.float64, draw(st.tuples(st.integers(1, 3), st.integers(1, 3))), elements=st.floats(-2, 2)))
    a = a.copy()
    a.flat[draw(st.integers(0, a.size - 1))] = np.nan  # (an inf is not an error in torch: NaN results)
    return Case((a,), expect="non-finite")


# -- detach --------------------------------------------------------------------------------


@st.composite
def detach_args(draw) -> Case:
    x = draw(arrays(dtypes(DATA_DTYPES), shapes(max_dims=4)))
    return Case((x,), form=draw(st.sampled_from(["method", "function"])))


@st.composite
def detach_invalid(draw) -> Case:
    """detach takes no arguments besides the tensor: extra arguments are a TypeError."""
    x = draw(arrays(dtypes(("float32",)), shapes(max_dims=2)))
    record("detach invalid: extra argument")
    return Case((x, draw(st.sampled_from([0, None, "x"]))), expect="argument", form="method")
