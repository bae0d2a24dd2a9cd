"""Selecting: select, where, nonzero, masked_select, take, masked_fill.

Valid strategies reach the rules' corners -- Python-number branches of ``where`` (promotion), a uint8
condition, broadcasting among condition/mask and input in both directions, 0-d and empty inputs,
negative indices, NaN and -0.0 for ``nonzero``, values converted into another dtype by
``masked_fill`` -- and record a coverage event for each.  Invalid strategies make one defect at a time.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import ALL_DTYPES, arrays, dtypes, shapes
from ._case import Case
from ._common import _dim, _out_of_range_dim
from ._coverage import record

__all__ = [
    "select_args",
    "select_invalid",
    "where_args",
    "where_invalid",
    "nonzero_args",
    "nonzero_invalid",
    "masked_select_args",
    "masked_select_invalid",
    "take_args",
    "take_invalid",
    "masked_fill_args",
    "masked_fill_invalid",
]


def _broadcast_partner(draw, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape that broadcasts with ``shape``: some leading dims dropped, some dims set to 1."""
    lead = draw(st.integers(0, len(shape)))
    return tuple(1 if draw(st.integers(0, 3)) == 0 else n for n in shape[lead:])


def _mask(draw, shape: tuple[int, ...]) -> np.ndarray:
    return draw(arrays(np.dtype("bool"), shape))


# -- select -----------------------------------------------------------------------------------------


@st.composite
def select_args(draw) -> Case:
    """``(input, dim, index)``: any dim, the index negative or a 0-d int64 tensor; a 1-d input gives a 0-d view."""
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(min_dims=1, max_dims=4, min_side=1, max_side=4)))
    d = _dim(draw, x.ndim)
    n = x.shape[d]
    index = draw(st.integers(-n, n - 1))
    if index < 0:
        record("select: a negative index (from the end)")
    if x.ndim == 1:
        record("select: a 1-d input (a 0-d view)")
    if draw(st.integers(0, 3)) == 0:
        record("select: index as a 0-d int64 tensor")
        return Case((x, d, np.array(index, dtype=np.int64)))
    return Case((x, d, index))


@st.composite
def select_invalid(draw) -> Case:
    """A 0-d input, an index or dim out of range (IndexError); a float or bool index (TypeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    defect = draw(st.sampled_from(["index", "0-d", "dim", "float", "bool"]))
    record(f"select invalid: {defect}")
    if defect == "index":
        n = x.shape[0]
        return Case((x, 0, draw(st.sampled_from([n, n + 2, -n - 1]))), expect="out of range")
    if defect == "0-d":
        return Case((np.ones((), np.float32), 0, 0), expect="0-dim")
    if defect == "dim":
        return Case((x, _out_of_range_dim(draw, x.ndim), 0), expect="out of range")
    return Case((x, 0, 0.0 if defect == "float" else True), expect="index")


# -- where ------------------------------------------------------------------------------------------


def _branch(draw, shape: tuple[int, ...]):
    """A tensor of any dtype broadcasting to ``shape``, or a Python number of any kind (small)."""
    if draw(st.integers(0, 2)) == 0:
        kind = draw(st.sampled_from(["bool", "int", "float", "complex"]))
        record(f"where: a Python {kind} branch")
        return {
            "bool": draw(st.booleans()),
            "int": draw(st.integers(0, 100)),
            "float": draw(st.floats(-100, 100, allow_nan=False, width=16)),
            "complex": complex(draw(st.integers(-3, 3)), draw(st.integers(-3, 3))),
        }[kind]
    return draw(arrays(dtypes(ALL_DTYPES), _broadcast_partner(draw, shape)))


@st.composite
def where_args(draw) -> Case:
    """``(condition, input, other)`` broadcasting together (a 0-d condition too), each branch a tensor or
    a Python number, of any dtypes (promotion); a uint8 condition now and then; or ``(condition,)``
    alone (any dtype: ``nonzero(as_tuple=True)``).  The call form is drawn here: function, keywords,
    the method ``input.where(condition, other)``, ``out=`` (three tensors), one argument."""
    shape = draw(shapes(max_dims=3, max_side=3))
    if draw(st.integers(0, 5)) == 0:
        record("where: one argument (nonzero as a tuple)")
        return Case((draw(arrays(dtypes(ALL_DTYPES), shape)),), form="one argument")
    cond = _mask(draw, _broadcast_partner(draw, shape))
    if draw(st.integers(0, 7)) == 0:
        cond = cond.astype(np.uint8)
        record("where: a uint8 condition (deprecated, still accepted)")
    if cond.ndim == 0 and shape:
        record("where: a 0-d condition broadcasts")
    a, b = _branch(draw, shape), _branch(draw, shape)
    tensors = [v for v in (a, b) if isinstance(v, np.ndarray)]
    if any(t.dtype == np.float16 for t in tensors) and any(np.asarray(v).dtype.kind == "c" for v in (a, b)):
        # float16 with a complex number or 0-d tensor can be complex32, which the reference does not model
        # (known_differences): float32 instead
        a, b = (v.astype(np.float32) if isinstance(v, np.ndarray) and v.dtype == np.float16 else v for v in (a, b))
        tensors = [v for v in (a, b) if isinstance(v, np.ndarray)]
    if len({t.dtype for t in tensors}) > 1:
        record("where: branches of different dtypes (promoted)")
    # by keyword only with a tensor input: torch's overloads name a number in that place ``self``
    forms = ["function"] + (["keywords", "method"] if isinstance(a, np.ndarray) else [])
    forms += ["out"] if len(tensors) == 2 else []
    form = draw(st.sampled_from(forms))
    record(f"where: form {form}")
    return Case((cond, a, b), form=form)


@st.composite
def where_invalid(draw) -> Case:
    """A condition that is neither bool nor uint8, or shapes that do not broadcast (RuntimeError); a
    Python number for ``out=``'s tensor-only overload, or passed as ``input=`` (TypeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, min_side=2, max_side=3)))
    defect = draw(st.sampled_from(["condition dtype", "shape", "out with a number", "number by input="]))
    record(f"where invalid: {defect}")
    cond = np.ones(x.shape, dtype=bool)
    if defect == "number by input=":  # torch's overloads call a number first branch ``self=``
        return Case((cond, 1.5, x), form="keywords", expect="invalid combination")
    if defect == "condition dtype":
        dt = draw(st.sampled_from(["int64", "float32", "int8"]))
        return Case((cond.astype(dt), x, x), form="function", expect="boolean")
    if defect == "shape":
        return Case((cond, x, np.concatenate([x, x], axis=-1)), form="function", expect="must match")
    return Case((cond, x, 1.5), form="out", expect="must be Tensor")


# -- nonzero ----------------------------------------------------------------------------------------


@st.composite
def nonzero_args(draw) -> Case:
    """``(input,)`` with ``as_tuple``: any dtype, zeros among the values (NaN counts, -0.0 does not),
    0-d and empty inputs."""
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(max_dims=3, max_side=4)))
    if x.size and draw(st.booleans()):  # zeros at random positions
        x = np.where(draw(arrays(np.dtype("bool"), x.shape)), x, np.zeros((), x.dtype))
    as_tuple = draw(st.booleans())
    if x.ndim == 0:
        record("nonzero: 0-d input" + (" as a tuple" if as_tuple else ""))
    if x.size == 0:
        record("nonzero: empty input")
    if x.size and not np.count_nonzero(x):
        record("nonzero: no nonzero element (an (0, ndim) result)")
    return Case((x,), {"as_tuple": as_tuple})


@st.composite
def nonzero_invalid(draw) -> Case:
    """``as_tuple`` given positionally (TypeError: it is keyword-only)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=2, max_side=3)))
    record("nonzero invalid: positional as_tuple")
    return Case((x, True), expect="positional")


# -- masked_select, take ----------------------------------------------------------------------------


@st.composite
def masked_select_args(draw) -> Case:
    """``(input, mask)`` broadcasting both ways: the mask smaller than the input, or the input smaller
    than the mask (a 0-d input repeats)."""
    shape = draw(shapes(max_dims=3, max_side=3))
    if draw(st.booleans()):
        x, mask = draw(arrays(dtypes(ALL_DTYPES), shape)), _mask(draw, _broadcast_partner(draw, shape))
    else:
        x, mask = draw(arrays(dtypes(ALL_DTYPES), _broadcast_partner(draw, shape))), _mask(draw, shape)
    if np.broadcast_shapes(x.shape, mask.shape) != x.shape:
        record("masked_select: the input broadcasts to the mask")
    elif mask.shape != x.shape:
        record("masked_select: the mask broadcasts to the input")
    return Case((x, mask))


@st.composite
def masked_select_invalid(draw) -> Case:
    """A mask that is not bool (uint8 included) or does not broadcast (RuntimeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, min_side=2, max_side=3)))
    defect = draw(st.sampled_from(["mask dtype", "shape"]))
    record(f"masked_select invalid: {defect}")
    if defect == "mask dtype":
        return Case((x, np.ones(x.shape, dtype=draw(st.sampled_from(["uint8", "int64"])))), expect="BoolTensor")
    return Case((x, np.ones(x.shape[:-1] + (x.shape[-1] + 1,), dtype=bool)), expect="must match")


@st.composite
def take_args(draw) -> Case:
    """``(input, index)``: int64 positions in ``[-n, n)`` of the flattened input, in an index of any
    shape and layout (repeats, negatives, 0-d); an empty input takes an empty index."""
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(max_dims=3, max_side=3)))
    n = x.size
    shape = draw(shapes(max_dims=3, max_side=3)) if n else (0,)
    values = st.integers(-n, n - 1) if n else st.integers(0, 0)
    index = draw(arrays(np.dtype("int64"), shape, elements_strategy=values))
    if (index < 0).any():
        record("take: negative positions (from the end)")
    if index.ndim == 0:
        record("take: a 0-d index (a 0-d result)")
    if index.size > 1 and len(np.unique(index)) < index.size:
        record("take: repeated positions")
    return Case((x, index))


@st.composite
def take_invalid(draw) -> Case:
    """A position out of range (IndexError); an index that is not int64 (RuntimeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=2, min_side=1, max_side=3)))
    defect = draw(st.sampled_from(["range", "index dtype"]))
    record(f"take invalid: {defect}")
    if defect == "range":
        return Case((x, np.array([draw(st.sampled_from([x.size, -x.size - 1]))])), expect="out of range", kind="value")
    return Case((x, np.array([0], dtype=draw(st.sampled_from(["int32", "uint8"])))), expect="long")


# -- masked_fill ------------------------------------------------------------------------------------


def _fill_value(draw, dtype: np.dtype):
    """A Python number ``dtype`` holds (a float truncates into an integer dtype; a complex with no
    imaginary part fits a real one), or a 0-d tensor."""
    if draw(st.integers(0, 3)) == 0:
        record("masked_fill: a 0-d tensor value")
        vdt = draw(dtypes(("float32", "float64", "int64", "bool"))) if dtype.kind in "fc" else dtype
        small = st.integers(0, 1) if vdt.kind in "iub" else st.floats(-100, 100, width=32)
        return draw(arrays(vdt, (), elements_strategy=small.map(vdt.type)))
    kind = dtype.kind
    if kind == "b":
        return draw(st.sampled_from([True, False, 0, 2]))
    if kind in "iu":
        if draw(st.integers(0, 3)) == 0:
            record("masked_fill: a float value truncated into an integer dtype")
            return draw(st.sampled_from([2.7, 0.5, 1.99]))
        return draw(st.integers(0 if kind == "u" else -100, 100))
    if kind == "f" and draw(st.integers(0, 4)) == 0:
        record("masked_fill: a complex value with no imaginary part into a real dtype")
        return complex(draw(st.integers(-3, 3)), 0)
    value = draw(st.one_of(st.floats(-100, 100, width=16), st.just(float("nan"))))
    return complex(value, 1.0) if kind == "c" else value


@st.composite
def masked_fill_args(draw) -> Case:
    """``(input, mask, value)``: the mask broadcasting to the input, or both to a larger shape (the
    out-of-place form only); a value of another kind than the input's dtype."""
    shape = draw(shapes(max_dims=3, max_side=3))
    x = draw(arrays(dtypes(ALL_DTYPES), shape))
    if draw(st.integers(0, 3)) == 0 and shape:
        x = draw(arrays(x.dtype, _broadcast_partner(draw, shape)))
        mask = _mask(draw, shape)
    else:
        mask = _mask(draw, _broadcast_partner(draw, shape))
    if np.broadcast_shapes(x.shape, mask.shape) != x.shape:
        record("masked_fill: the input broadcasts to the mask")
    return Case((x, mask, _fill_value(draw, x.dtype)))


@st.composite
def masked_fill_invalid(draw) -> Case:
    """A mask that is not bool, a value that overflows the dtype or has an imaginary part for a real
    one, a value tensor with dims (RuntimeError)."""
    x = draw(arrays(dtypes(("float32", "uint8")), shapes(min_dims=1, max_dims=2, min_side=1, max_side=3)))
    mask = np.ones(x.shape, dtype=bool)
    defect = draw(st.sampled_from(["mask dtype", "overflow", "value dims"]))
    record(f"masked_fill invalid: {defect}")
    if defect == "mask dtype":
        return Case((x, mask.astype(np.uint8), 1), expect="boolean masks")
    if defect == "overflow":
        return Case((x, mask, 300 if x.dtype == np.uint8 else complex(1, 1)), expect="overflow")
    return Case((x, mask, np.ones(1, dtype=x.dtype)), expect="0-dimensional")
