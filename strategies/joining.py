"""Joining and splitting: cat (concat, concatenate), stack, hstack, vstack; chunk, split, unbind,
tensor_split, narrow.

Valid strategies steer towards the cases where these ops' rules bite -- promotion across the
inputs, torch's legacy 1-d empty tensors in ``cat``, channels-last inputs (cat's output layout),
uneven and empty pieces, fewer chunks than asked, unsorted and out-of-range split indices -- and
record a coverage event for each.  Invalid strategies make one defect at a time and name the word
the error message must contain.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import ALL_DTYPES, arrays, dtypes, shapes
from ._case import Case
from ._common import _dim, _out_of_range_dim
from ._coverage import record

__all__ = [
    "cat_args",
    "cat_invalid",
    "stack_args",
    "stack_invalid",
    "hstack_args",
    "vstack_args",
    "hvstack_invalid",
    "chunk_args",
    "chunk_invalid",
    "split_args",
    "split_invalid",
    "unbind_args",
    "unbind_invalid",
    "tensor_split_args",
    "tensor_split_invalid",
    "narrow_args",
    "narrow_invalid",
]

#: dtypes the joined tensors are drawn from: all of torch's, so promotion across inputs is reached
_JOIN_DTYPES = ALL_DTYPES


def _channels_last(draw, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """An array of a 4-d (5-d) ``shape`` stored channels-last: ``(N, H, W, C)`` memory seen as NCHW."""
    order = (0, 2, 3, 1) if len(shape) == 4 else (0, 2, 3, 4, 1)
    stored = draw(arrays(dtype, tuple(shape[d] for d in order), layouts=("contiguous",)))
    return np.transpose(stored, np.argsort(order))


def _joinable(draw, dtype: np.dtype, shape: tuple[int, ...], channels_last: bool) -> np.ndarray:
    if channels_last:
        return _channels_last(draw, dtype, shape)
    return draw(arrays(dtype, shape))


def _input_dtypes(draw, k: int, op: str) -> list[np.dtype]:
    """One dtype for all ``k`` inputs, or a dtype each (promotion across the inputs)."""
    if k > 1 and draw(st.booleans()):
        picked = [draw(dtypes(_JOIN_DTYPES)) for _ in range(k)]
        if len(set(picked)) > 1:
            record(f"{op}: inputs of different dtypes (promoted)")
        return picked
    return [draw(dtypes(_JOIN_DTYPES))] * k


def _as_sequence(draw, items: list, op: str):
    """torch takes a list or a tuple of tensors."""
    if draw(st.booleans()):
        record(f"{op}: a tuple of tensors")
        return tuple(items)
    return items


# -- cat ---------------------------------------------------------------------------------------------


@st.composite
def cat_args(draw) -> Case:
    """``(tensors, dim)``: 1-4 tensors that agree off ``dim`` and have any size along it (0 included),
    of one dtype or several; torch's legacy ``(0,)`` tensors mixed in (skipped, whatever their dtype
    and ``dim``); channels-last 4-d/5-d inputs; a single tensor."""
    k = draw(st.integers(1, 4))
    ndim = draw(st.integers(1, 5))
    base = list(draw(shapes(min_dims=ndim, max_dims=ndim, max_side=3)))
    d = _dim(draw, ndim)
    channels_last = ndim >= 4 and draw(st.booleans())
    kinds = _input_dtypes(draw, k, "cat")
    tensors = []
    for dt in kinds:
        shape = list(base)
        shape[d] = draw(st.integers(0, 3))
        tensors.append(_joinable(draw, dt, tuple(shape), channels_last))
    if channels_last:
        record("cat: channels-last inputs (a channels-last result)")
    if k == 1:
        record("cat: a single tensor (a copy)")
    if any(t.shape[d] == 0 for t in tensors) and ndim > 1:
        record("cat: an input empty along dim")
    if draw(st.integers(0, 3)) == 0:  # torch's legacy empties: (0,) joins anything
        for _ in range(draw(st.integers(1, 2))):
            at = draw(st.integers(0, len(tensors)))
            tensors.insert(at, draw(arrays(dtypes(_JOIN_DTYPES), (0,), layouts=("contiguous",))))
        if ndim > 1:
            record("cat: a 1-d empty tensor is skipped")
        if any(t.dtype != tensors[0].dtype for t in tensors):
            record("cat: inputs of different dtypes (promoted)")
    if draw(st.integers(0, 9)) == 0:  # only legacy empties: (0,), whatever dim says
        tensors = [draw(arrays(dtypes(_JOIN_DTYPES), (0,), layouts=("contiguous",))) for _ in range(k)]
        d = draw(st.integers(-3, 3))
        record("cat: only 1-d empty tensors (a (0,) result, dim unchecked)")
    return Case((_as_sequence(draw, tensors, "cat"), d))


@st.composite
def cat_invalid(draw) -> Case:
    """An empty list (ValueError), a 0-d tensor, tensors of different ranks or sizes off ``dim``
    (RuntimeError), ``dim`` out of range (IndexError), a non-tensor element or a float ``dim`` (TypeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    n = x.ndim
    defect = draw(st.sampled_from(["size", "rank", "range", "0-d", "empty list", "element", "dim type"]))
    record(f"cat invalid: {defect}")
    if defect == "empty list":
        return Case(([], 0), expect="non-empty")
    if defect == "0-d":
        return Case(([x, np.ones((), np.float32)], 0), expect="zero-dimensional")
    if defect == "rank":
        return Case(([x, x[..., None]], 0), expect="same number of dimensions")
    if defect == "size":
        d = draw(st.integers(0, n - 1))
        if n == 1:  # a single dim is the joined one: mismatch in rank instead
            return Case(([x, x[None]], 0), expect="same number of dimensions")
        other = (d + 1) % n
        grown = np.concatenate([x, x], axis=other)
        return Case(([x, grown], d), expect="Sizes of tensors must match")
    if defect == "range":
        return Case(([x, x], _out_of_range_dim(draw, n)), expect="out of range")
    if defect == "element":
        return Case(([x, 1.0], 0), expect="expected Tensor")
    return Case(([x, x], 0.5), expect="dim")


# -- stack, hstack, vstack ------------------------------------------------------------------------------


@st.composite
def stack_args(draw) -> Case:
    """``(tensors, dim)``: 1-4 tensors of one shape (0-d and empty included), of one dtype or several,
    ``dim`` anywhere in ``[-(n+1), n]`` (the new last dim included); channels-last 4-d inputs."""
    k = draw(st.integers(1, 4))
    ndim = draw(st.integers(0, 4))
    shape = draw(shapes(min_dims=ndim, max_dims=ndim, max_side=3))
    channels_last = ndim == 4 and draw(st.booleans())
    tensors = [_joinable(draw, dt, shape, channels_last) for dt in _input_dtypes(draw, k, "stack")]
    d = draw(st.integers(-(ndim + 1), ndim))
    if d in (ndim, -1):
        record("stack: a new last dim")
    elif d < 0:
        record("dim: negative")
    if ndim == 0:
        record("stack: 0-d tensors (a 1-d result)")
    if channels_last:
        record("stack: channels-last inputs")
    return Case((_as_sequence(draw, tensors, "stack"), d))


@st.composite
def stack_invalid(draw) -> Case:
    """An empty list or tensors of different shapes (RuntimeError), ``dim`` out of range (IndexError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)))
    defect = draw(st.sampled_from(["empty list", "shape", "range"]))
    record(f"stack invalid: {defect}")
    if defect == "empty list":
        return Case(([], 0), expect="non-empty")
    if defect == "shape":
        return Case(([x, np.concatenate([x, x], axis=-1)], 0), expect="equal size")
    return Case(([x, x], _out_of_range_dim(draw, x.ndim + 1)), expect="out of range")


def _agreeing_off(draw, kinds: list[np.dtype], dim: int) -> list[np.ndarray]:
    """2-d to 4-d arrays of the given dtypes that agree in every dim but ``dim`` (any size there, 0 too)."""
    ndim = draw(st.integers(2, 4))
    base = list(draw(shapes(min_dims=ndim, max_dims=ndim, max_side=3)))
    tensors = []
    for dt in kinds:
        base[dim] = draw(st.integers(0, 3))
        tensors.append(draw(arrays(dt, tuple(base))))
    return tensors


@st.composite
def hstack_args(draw) -> Case:
    """``(tensors,)``: 0-d and 1-d tensors (joined along dim 0), or 2-d+ ones that agree off dim 1."""
    k = draw(st.integers(1, 4))
    kinds = _input_dtypes(draw, k, "hstack")
    if draw(st.booleans()):
        tensors = [draw(arrays(dt, shapes(min_dims=0, max_dims=1, max_side=3))) for dt in kinds]
        if any(t.ndim == 0 for t in tensors):
            record("hstack: 0-d tensors become 1-d")
        record("hstack: 1-d inputs join along dim 0")
    else:
        tensors = _agreeing_off(draw, kinds, 1)
        record("hstack: 2-d+ inputs join along dim 1")
    return Case((_as_sequence(draw, tensors, "hstack"),))


@st.composite
def vstack_args(draw) -> Case:
    """``(tensors,)``: 0-d and 1-d tensors of one length (each becomes a row), or 2-d+ ones that agree
    off dim 0."""
    k = draw(st.integers(1, 4))
    kinds = _input_dtypes(draw, k, "vstack")
    if draw(st.booleans()):
        n = draw(st.integers(0, 3))
        if n == 1 and draw(st.booleans()):
            tensors = [draw(arrays(dt, draw(st.sampled_from([(), (1,)])))) for dt in kinds]
        else:
            tensors = [draw(arrays(dt, (n,))) for dt in kinds]
        if any(t.ndim == 0 for t in tensors):
            record("vstack: 0-d tensors become rows")
        record("vstack: 1-d inputs become rows")
    else:
        tensors = _agreeing_off(draw, kinds, 0)
        record("vstack: 2-d+ inputs join along dim 0")
    return Case((_as_sequence(draw, tensors, "vstack"),))


@st.composite
def hvstack_invalid(draw) -> Case:
    """An empty list (RuntimeError), or inputs cat refuses: 1-d beside 2-d, sizes that differ off the
    joined dim (RuntimeError)."""
    defect = draw(st.sampled_from(["empty list", "rank", "size"]))
    record(f"hstack/vstack invalid: {defect}")
    if defect == "empty list":
        return Case(([],), expect="non-empty")
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=3, max_dims=3, min_side=1, max_side=3)))
    if defect == "rank":
        return Case(([x, x[0, 0]],), expect="same number of dimensions")
    # different sizes along dim 2: neither hstack (dim 1) nor vstack (dim 0) joins there
    return Case(([x, np.concatenate([x, x], axis=2)],), expect="Sizes of tensors must match")


# -- splitting ------------------------------------------------------------------------------------------


def _splittable(draw, max_dims: int = 3) -> np.ndarray:
    return draw(arrays(dtypes(ALL_DTYPES), shapes(min_dims=1, max_dims=max_dims, max_side=6)))


@st.composite
def chunk_args(draw) -> Case:
    """``(input, chunks, dim)``: chunks that divide the size, that do not (a shorter last piece, and
    fewer pieces than asked), more chunks than elements, an empty dim (``chunks`` empty pieces)."""
    x = _splittable(draw)
    d = _dim(draw, x.ndim)
    n = x.shape[d]
    chunks = draw(st.integers(1, 7))
    size = -(-n // chunks) if n else 0
    if n == 0:
        record("chunk: an empty dim gives `chunks` empty pieces")
    elif -(-n // size) < chunks:
        record("chunk: fewer pieces than asked")
    elif n % chunks:
        record("chunk: a shorter last piece")
    else:
        record("chunk: even pieces")
    return Case((x, chunks, d))


@st.composite
def chunk_invalid(draw) -> Case:
    """``chunks`` < 1 or a 0-d input (RuntimeError), ``dim`` out of range (IndexError), a float ``chunks``
    (TypeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, max_side=3)))
    defect = draw(st.sampled_from(["chunks", "0-d", "range", "float"]))
    record(f"chunk invalid: {defect}")
    if defect == "chunks":
        return Case((x, draw(st.integers(-3, 0)), 0), expect="greater than 0")
    if defect == "0-d":
        return Case((np.ones((), np.float32), 2, 0), expect="1-dimensional")
    if defect == "range":
        return Case((x, 2, _out_of_range_dim(draw, x.ndim)), expect="out of range")
    return Case((x, 2.0, 0), expect="chunks")


@st.composite
def split_args(draw) -> Case:
    """``(tensor, split_size_or_sections, dim)``: an int size (dividing the dim or not, beyond it, 0 for
    an empty dim) or a list/tuple of sizes summing to the dim (zeros among them)."""
    x = _splittable(draw)
    d = _dim(draw, x.ndim)
    n = x.shape[d]
    if draw(st.booleans()):
        size = draw(st.integers(1, 7)) if n else draw(st.integers(0, 3))
        if size == 0:
            record("split: size 0 of an empty dim (one empty piece)")
        elif size >= n:
            record("split: a size at least the dim's (one piece)")
        elif n % size:
            record("split: a shorter last piece")
        else:
            record("split: even pieces")
        return Case((x, size, d))
    sizes, left = [], n
    while left or (not sizes or draw(st.integers(0, 3)) == 0):
        s = draw(st.integers(0, left))
        sizes.append(s)
        left -= s
        if len(sizes) > 6:
            sizes.append(left)
            break
    if 0 in sizes:
        record("split: empty sections")
    record("split: sections")
    return Case((x, sizes if draw(st.booleans()) else tuple(sizes), d))


@st.composite
def split_invalid(draw) -> Case:
    """A negative size or section, a 0 size of a non-empty dim, sections that do not sum up, a 0-d
    input (RuntimeError); ``dim`` out of range (IndexError); a float size (TypeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
    n0 = x.shape[0]
    defect = draw(st.sampled_from(["negative", "zero", "sum", "negative section", "0-d", "range", "float"]))
    record(f"split invalid: {defect}")
    if defect == "negative":
        return Case((x, draw(st.integers(-3, -1)), 0), expect="non-negative")
    if defect == "zero":
        return Case((x, 0, 0), expect="can only be 0")
    if defect == "sum":
        return Case((x, [n0, 1], 0), expect="sum exactly")
    if defect == "negative section":
        return Case((x, [n0 + 1, -1], 0), expect="non-negative")
    if defect == "0-d":
        return Case((np.ones((), np.float32), 1, 0), expect="1-dimensional")
    if defect == "range":
        return Case((x, 1, _out_of_range_dim(draw, x.ndim)), expect="out of range")
    return Case((x, 1.5, 0), expect="split_sizes")


@st.composite
def unbind_args(draw) -> Case:
    """``(input, dim)``: any dim (negative too); an empty dim gives no pieces."""
    x = draw(arrays(dtypes(ALL_DTYPES), shapes(min_dims=1, max_dims=4, max_side=4)))
    d = _dim(draw, x.ndim)
    if x.shape[d] == 0:
        record("unbind: an empty dim (no pieces)")
    if x.ndim == 1:
        record("unbind: 1-d input (0-d pieces)")
    return Case((x, d))


@st.composite
def unbind_invalid(draw) -> Case:
    """A 0-d input or ``dim`` out of range (IndexError), a float ``dim`` (TypeError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, max_side=3)))
    defect = draw(st.sampled_from(["0-d", "range", "float"]))
    record(f"unbind invalid: {defect}")
    if defect == "0-d":
        return Case((np.ones((), np.float32), 0), expect="no dimensions")
    if defect == "range":
        return Case((x, _out_of_range_dim(draw, x.ndim)), expect="out of range")
    return Case((x, 0.5), expect="dim")


@st.composite
def tensor_split_args(draw) -> Case:
    """``(input, indices_or_sections, dim)``: a number of sections (more than the elements too), or
    indices -- sorted, unsorted, negative, beyond the end -- as a list, a tuple, or an int64 tensor
    (0-d: sections; 1-d: indices)."""
    x = _splittable(draw)
    d = _dim(draw, x.ndim)
    n = x.shape[d]
    if draw(st.booleans()):
        sections = draw(st.integers(1, 8))
        if sections > n:
            record("tensor_split: more sections than elements (empty pieces)")
        elif n % sections:
            record("tensor_split: uneven sections (the first ones longer)")
        if draw(st.integers(0, 3)) == 0:
            record("tensor_split: sections as a 0-d int64 tensor")
            return Case((x, np.array(sections, dtype=np.int64), d))
        return Case((x, sections, d))
    indices = draw(st.lists(st.integers(-n - 2, n + 2), max_size=4))
    if any(i < 0 for i in indices):
        record("tensor_split: a negative index (from the end)")
    if any(i > n for i in indices):
        record("tensor_split: an index beyond the end")
    if any(a > b for a, b in zip(indices, indices[1:], strict=False)):
        record("tensor_split: unsorted indices (an empty piece)")
    if not indices:
        record("tensor_split: no indices (one piece)")
    form = draw(st.sampled_from(["list", "tuple", "tensor"]))
    if form == "tensor":
        record("tensor_split: indices as a 1-d int64 tensor")
        return Case((x, np.array(indices, dtype=np.int64), d))
    return Case((x, indices if form == "list" else tuple(indices), d))


@st.composite
def tensor_split_invalid(draw) -> Case:
    """``sections`` < 1, a 0-d input, an index tensor that is not int64 or has 2 dims (RuntimeError);
    ``dim`` out of range (IndexError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, max_side=3)))
    defect = draw(st.sampled_from(["sections", "0-d", "index dtype", "index dims", "range"]))
    record(f"tensor_split invalid: {defect}")
    if defect == "sections":
        return Case((x, draw(st.integers(-3, 0)), 0), expect="larger than 0")
    if defect == "0-d":
        return Case((np.ones((), np.float32), 2, 0), expect="1-dimensional")
    if defect == "index dtype":
        dt = draw(st.sampled_from(["float32", "int32", "bool"]))
        return Case((x, np.array([1], dtype=dt), 0), expect="dtype of long")
    if defect == "index dims":
        return Case((x, np.array([[1]], dtype=np.int64), 0), expect="one-dimensional")
    return Case((x, 2, _out_of_range_dim(draw, x.ndim)), expect="out of range")


@st.composite
def narrow_args(draw) -> Case:
    """``(input, dim, start, length)``: start negative (from the end) or a 0-d int64 tensor, length 0,
    a slice reaching the end."""
    x = _splittable(draw, max_dims=4)
    d = _dim(draw, x.ndim)
    n = x.shape[d]
    start = draw(st.integers(-n, n))
    first = start + n if start < 0 else start
    length = draw(st.integers(0, n - first))
    if start < 0:
        record("narrow: a negative start (from the end)")
    if length == 0:
        record("narrow: length 0 (an empty view)")
    if first + length == n and length:
        record("narrow: a slice reaching the end")
    if draw(st.integers(0, 3)) == 0:
        record("narrow: start as a 0-d int64 tensor")
        return Case((x, d, np.array(start, dtype=np.int64), length))
    return Case((x, d, start, length))


@st.composite
def narrow_invalid(draw) -> Case:
    """A 0-d input, a negative length, a slice past the end, a non-integer start tensor (RuntimeError);
    ``start`` outside ``[-n, n]`` or ``dim`` out of range (IndexError)."""
    x = draw(arrays(dtypes(("float32",)), shapes(min_dims=1, max_dims=3, max_side=3)))
    n0 = x.shape[0]
    defect = draw(st.sampled_from(["0-d", "length", "past the end", "start", "start tensor", "range"]))
    record(f"narrow invalid: {defect}")
    if defect == "0-d":
        return Case((np.ones((), np.float32), 0, 0, 1), expect="0-dim")
    if defect == "length":
        return Case((x, 0, 0, draw(st.integers(-3, -1))), expect="length")
    if defect == "past the end":
        return Case((x, 0, n0, 1), expect="exceeds")
    if defect == "start":
        return Case((x, 0, n0 + draw(st.integers(1, 3)), 0), expect="start out of range")
    if defect == "start tensor":
        return Case((x, 0, np.array(0.0, dtype=np.float32), 1), expect="integral")
    return Case((x, _out_of_range_dim(draw, x.ndim), 0, 0), expect="out of range")
