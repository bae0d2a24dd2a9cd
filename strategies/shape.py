"""Shape and view ops: squeeze, unsqueeze, flatten (and nn.Flatten), permute, reshape/view, transpose/t, detach;
the triangles tril/triu, and flip/roll.

Each op has a strategy of valid arguments that steers towards the cases where its semantics break
(recording a coverage event for each hard case it produced) and one of invalid arguments (each case
naming the word the error message must contain).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import ALL_DTYPES, arrays, dtypes, shapes
from ._case import Case
from ._common import DATA_DTYPES, _dim, _out_of_range_dim
from ._coverage import record

__all__ = [
    "squeeze_args",
    "squeeze_invalid",
    "unsqueeze_args",
    "unsqueeze_invalid",
    "flatten_args",
    "flatten_invalid",
    "permute_args",
    "permute_invalid",
    "detach_args",
    "detach_invalid",
    "reshape_args",
    "reshape_invalid",
    "transpose_args",
    "transpose_invalid",
    "triangle_args",
    "triangle_invalid",
    "flip_args",
    "flip_invalid",
    "roll_args",
    "roll_invalid",
    "repeat_args",
    "repeat_invalid",
    "expand_args",
    "expand_invalid",
]


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
        return Case((x,))
    if kind == "int":
        dim = _dim(draw, x.ndim)
        record("squeeze: int dim")
        if x.ndim and x.shape[dim] != 1:
            record("squeeze: dim not size 1 (no-op)")
        if x.ndim == 0:
            record("squeeze: 0-d")
        return Case((x, dim))
    picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    dims = tuple(d - n if draw(st.booleans()) else d for d in picked)
    record("squeeze: tuple dims")
    if not dims:
        record("squeeze: empty tuple")
    if any(x.ndim and x.shape[d] != 1 for d in dims):
        record("squeeze: dim not size 1 (no-op)")
    return Case((x, dims))


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
        return Case((x, dim), expect="dimension")
    if defect == "duplicate":
        d = draw(st.integers(0, n - 1))
        return Case((x, (d, d - n if draw(st.booleans()) else d)), expect="dim")
    return Case((x, draw(st.sampled_from([1.5, "0", None]))), expect="dim")


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
    return Case((x, dim))


@st.composite
def unsqueeze_invalid(draw) -> Case:
    x = draw(arrays(dtypes(("float32",)), shapes(max_dims=3)))
    if draw(st.booleans()):
        record("unsqueeze invalid: range")
        return Case((x, _out_of_range_dim(draw, x.ndim + 1)), expect="dimension")
    record("unsqueeze invalid: type")
    return Case((x, draw(st.sampled_from([1.0, None, (0,)]))), expect="dim")


@st.composite
def flatten_args(draw) -> Case:
    """Every valid (start_dim, end_dim) pair in either sign, start == end, 0-d, non-contiguous inputs;
    and, often, nn.Flatten's defaults (1, -1) on a batch of 3 or 4 dims, so that omitting them is tested."""
    if draw(st.integers(0, 4)) == 0:
        x = draw(arrays(dtypes(DATA_DTYPES), shapes(min_dims=3, max_dims=4)))
        record("flatten: the module's defaults (1, -1)")
        return Case((x, 1, -1))
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
    return Case((x, start, end))


@st.composite
def flatten_invalid(draw) -> Case:
    x = draw(arrays(dtypes(("float32",)), shapes(max_dims=4)))
    n = max(x.ndim, 1)
    if n >= 2 and draw(st.booleans()):
        s = draw(st.integers(1, n - 1))
        e = draw(st.integers(0, s - 1))
        record("flatten invalid: start after end")
        return Case((x, s, e), expect="start_dim")
    record("flatten invalid: range")
    bad = _out_of_range_dim(draw, x.ndim)
    args = (x, bad, -1) if draw(st.booleans()) else (x, 0, bad)
    return Case(args, expect="dimension")


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


@st.composite
def detach_args(draw) -> Case:
    x = draw(arrays(dtypes(DATA_DTYPES), shapes(max_dims=4)))
    return Case((x,))


@st.composite
def detach_invalid(draw) -> Case:
    """detach takes no arguments besides the tensor: extra arguments are a TypeError."""
    x = draw(arrays(dtypes(("float32",)), shapes(max_dims=2)))
    record("detach invalid: extra argument")
    return Case((x, draw(st.sampled_from([0, None, "x"]))), expect="argument")


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
def triangle_args(draw, op: str) -> Case:
    """``(input, diagonal)`` for tril/triu: matrices and batches of any dtype and layout (non-square,
    empty, size-1), the diagonal anywhere from beyond one corner to beyond the other."""
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(min_dims=2, max_dims=4, max_side=4)))
    m, n = x.shape[-2:]
    k = draw(st.one_of(st.integers(-m - 1, n + 1), st.sampled_from([-100, 100, 0])))
    if 0 < k < n:
        record(f"{op}: diagonal above the main one")
    elif -m < k < 0:
        record(f"{op}: diagonal below the main one")
    elif k >= n or k <= -m:
        record(f"{op}: diagonal beyond the matrix (all or nothing kept)")
    if x.ndim > 2:
        record(f"{op}: a batch of matrices")
    if m != n and m and n:
        record(f"{op}: non-square")
    if x.dtype == np.bool_:
        record(f"{op}: bool input")
    return Case((x, k))


@st.composite
def triangle_invalid(draw, op: str) -> Case:
    """Fewer than 2 dims (RuntimeError), or a diagonal that is not an int (TypeError)."""
    if draw(st.booleans()):
        x = draw(arrays(dtypes(("float32",)), shapes(max_dims=1)))
        record(f"{op} invalid: fewer than 2 dims")
        return Case((x, 0), expect="2 dimensions")
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=2, max_dims=3)))
    record(f"{op} invalid: diagonal not an int")
    return Case((x, draw(st.sampled_from([1.5, 0.0, None]))), expect="diagonal")


@st.composite
def flip_args(draw) -> Case:
    """``(input, dims)``: any dtype and layout (0-d and empty too), dims a tuple or list of distinct
    dims of mixed signs, or none."""
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(max_dims=4, max_side=3)))
    n = max(x.ndim, 1)
    picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    dims = [d - n if draw(st.booleans()) else d for d in picked]
    if not dims:
        record("flip: no dims (a copy)")
    elif len(dims) > 1:
        record("flip: several dims")
    if any(d < 0 for d in dims):
        record("flip: negative dim")
    if x.ndim == 0:
        record("flip: 0-d input")
    return Case((x, tuple(dims) if draw(st.booleans()) else list(dims)))


@st.composite
def flip_invalid(draw) -> Case:
    """A dim twice (RuntimeError), out of range (IndexError), or a float among the dims (TypeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3)))
    n = x.ndim
    defect = draw(st.sampled_from(["duplicate", "range", "int"]))
    record(f"flip invalid: {defect}")
    if defect == "duplicate":
        d = draw(st.integers(0, n - 1))
        return Case((x, (d, d - n if draw(st.booleans()) else d)), expect="multiple times")
    if defect == "range":
        return Case((x, (_out_of_range_dim(draw, n),)), expect="out of range")
    # a float among the dims (a bare int would be fine for the method: x.flip(0))
    return Case((x, (draw(st.integers(0, n - 1)), 0.5)), expect="tuple of ints")


@st.composite
def roll_args(draw) -> Case:
    """``(input, shifts, dims)``: one shift of the flattened tensor (dims None), or shifts along dims
    (an int, or tuples, a dim possibly named twice), shifts negative and beyond the size."""
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(max_dims=5, max_side=3)))
    shift = st.integers(-7, 7)
    if x.ndim == 0 or draw(st.integers(0, 2)) == 0:
        record("roll: flattened (no dims)")
        s = draw(shift)
        return Case((x, s if draw(st.booleans()) else (s,), None))
    if x.ndim >= 4 and draw(st.booleans()):  # stored channels-last: torch's result is channels-last too
        order = (0, *range(2, x.ndim), 1)
        x = np.transpose(np.ascontiguousarray(np.transpose(x, order)), np.argsort(order))
        record("roll: a channels-last input")
    k = draw(st.integers(1, x.ndim + 1))
    dims = [_dim(draw, x.ndim) for _ in range(k)]
    if x.size == 0 and draw(st.booleans()):
        dims[0] = x.ndim + 2  # out of range, yet fine: torch clones an empty input without checking dims
        record("roll: an empty input is cloned, its dims unchecked")
        return Case((x, tuple(draw(shift) for _ in range(k)), tuple(dims)))
    shifts = [draw(shift) for _ in range(k)]
    wrapped = [d % x.ndim for d in dims]
    if len(set(wrapped)) < len(wrapped):
        record("roll: a dim named twice (rolled twice)")
    if any(abs(s) > x.shape[d] for s, d in zip(shifts, wrapped, strict=True)):
        record("roll: a shift beyond the size")
    if any(s < 0 for s in shifts):
        record("roll: negative shift")
    if k > 1:
        record("roll: several dims")
    if k == 1 and draw(st.booleans()):
        return Case((x, shifts[0], dims[0]))
    return Case((x, tuple(shifts), tuple(dims)))


@st.composite
def roll_invalid(draw) -> Case:
    """Shifts and dims of different lengths or no shifts (RuntimeError), a dim out of range
    (IndexError), a shift that is not an int (TypeError)."""
    # not empty: torch returns an empty input's clone before it looks at the dims
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, min_side=1)))
    n = x.ndim
    defect = draw(st.sampled_from(["misaligned", "no shifts", "range", "float shift"]))
    record(f"roll invalid: {defect}")
    if defect == "misaligned":
        return Case((x, (1, 2), (0,) if draw(st.booleans()) else None), expect="align")
    if defect == "no shifts":
        return Case((x, (), None), expect="required")
    if defect == "range":
        return Case((x, 1, _out_of_range_dim(draw, n)), expect="out of range")
    return Case((x, 1.5, None), expect="shifts")


@st.composite
def repeat_args(draw) -> Case:
    """``(input, repeats)``: as many repeats as dims or more (leading new dims; a 0-d input into any
    shape), zeros among them, and the call form: varargs, a tuple, a list or ``repeats=``."""
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(max_dims=3, max_side=3)))
    extra = draw(st.integers(0, 2))
    repeats = tuple(draw(st.integers(0, 3)) for _ in range(x.ndim + extra))
    if extra:
        record("repeat: more repeats than dims (leading new dims)")
    if 0 in repeats:
        record("repeat: a zero repeat (an empty dim)")
    if x.ndim == 0:
        record("repeat: 0-d input")
    forms = ["varargs", "tuple", "list", "keyword"] if repeats else ["tuple", "list", "keyword"]
    form = draw(st.sampled_from(forms))
    record(f"repeat: form {form}")
    return Case((x, repeats), form=form)


@st.composite
def repeat_invalid(draw) -> Case:
    """Fewer repeats than dims or a negative repeat (RuntimeError), a float repeat (TypeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    defect = draw(st.sampled_from(["fewer", "negative", "float"]))
    record(f"repeat invalid: {defect}")
    if defect == "fewer":
        return Case((x, (2,) * (x.ndim - 1)), form="tuple", expect="can not be smaller")
    if defect == "negative":
        return Case((x, (-1,) + (1,) * (x.ndim - 1)), form="tuple", expect="negative dimension")
    return Case((x, (1.5,) + (1,) * (x.ndim - 1)), form="tuple", expect="repeats")


@st.composite
def expand_args(draw) -> Case:
    """``(input, sizes)``: size-1 dims stretched (to 0 too), -1 keeping a dim, leading new dims, and
    the call form: varargs, a tuple, a list or ``size=``."""
    x = draw(arrays(dtypes(ALL_DTYPES), _ones_heavy_shapes(max_dims=3)))
    sizes = []
    for n in x.shape:
        choice = draw(st.sampled_from(["keep", "minus one", "stretch"]))
        if n == 1 and choice == "stretch":
            sizes.append(draw(st.integers(0, 3)))
            record("expand: a size-1 dim stretched")
        elif choice == "minus one":
            sizes.append(-1)
            record("expand: -1 keeps a dim")
        else:
            sizes.append(n)
    lead = [draw(st.integers(0, 3)) for _ in range(draw(st.integers(0, 2)))]
    if lead:
        record("expand: leading new dims")
    sizes = tuple(lead + sizes)
    forms = ["varargs", "tuple", "list", "keyword"] if sizes else ["tuple", "list", "keyword"]
    form = draw(st.sampled_from(forms))
    record(f"expand: form {form}")
    return Case((x, sizes), form=form)


@st.composite
def expand_invalid(draw) -> Case:
    """Fewer sizes than dims, a non-singleton dim asked for another size, -1 for a new leading dim, a
    negative size (RuntimeError); a float size (TypeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, min_side=2, max_side=3)))
    defect = draw(st.sampled_from(["fewer", "mismatch", "leading -1", "negative", "float", "no sizes"]))
    record(f"expand invalid: {defect}")
    if defect == "no sizes":
        return Case((x, ()), form="varargs", expect="size")
    if defect == "fewer":
        return Case((x, x.shape[1:]), form="tuple", expect="must be greater or equal")
    if defect == "mismatch":
        return Case((x, (x.shape[0] + 1,) + x.shape[1:]), form="tuple", expect="must match")
    if defect == "leading -1":
        return Case((x, (-1,) + x.shape), form="tuple", expect="not allowed")
    if defect == "negative":
        return Case((x, (-2,) + x.shape[1:]), form="tuple", expect="overflow")
    return Case((x, (1.5,) + x.shape[1:]), form="tuple", expect="expand")
