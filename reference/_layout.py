"""Strides exactly as torch reports them.

A reference tensor reads its strides from its ndarray, and NumPy is free where torch is not: the
stride of a size-1 or empty dim does not move any element, so NumPy gives those dims whatever
stride is convenient (0 for every dim of an empty array, 0 for a dim added by ``None``), while
torch computes each of them by a fixed rule.  Those strides are observable (``stride()``, whether a
later ``.view()`` succeeds, the layout ``clone()`` keeps), so every output here gets torch's:

- a new tensor is *contiguous*: ``stride[i] = prod(max(size[j], 1) for j > i)`` (``zeros(0, 3)`` is
  ``(3, 1)``);
- an elementwise result follows TensorIterator (:func:`iterator_strides`): the inputs' common
  dense layout when they all share one, otherwise their dims ordered by stride;
- each view op states its own rule (:func:`unsqueeze_stride`, :func:`view_strides`,
  :func:`expand_strides`).

Changing the stride of a size-1 or empty dim never changes which memory an element lives in,
so :func:`restrided` is a free NumPy re-view; :func:`lay_out` copies only when torch's layout
orders the elements differently from the array NumPy produced.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__: list[str] = []

Strides = tuple[int, ...]


def contiguous_strides(shape: Sequence[int]) -> Strides:
    """Row-major strides in elements, with empty dims counted as size 1 (torch's rule)."""
    strides = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        strides[i] = strides[i + 1] * max(shape[i + 1], 1)
    return tuple(strides)


def element_strides(arr: np.ndarray) -> Strides:
    """An array's strides counted in elements, as ``Tensor.stride()`` reports them (NumPy counts bytes)."""
    item = arr.itemsize
    return tuple([s // item for s in arr.strides])  # a list is faster than a generator for a few dims


def same_addressing(shape: Sequence[int], a: Sequence[int], b: Sequence[int]) -> bool:
    """Whether two stride tuples place every element of ``shape`` at the same offset."""
    if 0 in shape:
        return True
    return all(n == 1 or x == y for n, x, y in zip(shape, a, b, strict=True))


def restrided(arr: np.ndarray, strides: Sequence[int]) -> np.ndarray:
    """``arr`` re-viewed with ``strides`` (in elements), which must address the same memory."""
    strides = tuple(strides)
    if element_strides(arr) == strides:
        return arr
    item = arr.itemsize
    return np.lib.stride_tricks.as_strided(
        arr, shape=arr.shape, strides=[s * item for s in strides], writeable=arr.flags.writeable
    )


def lay_out(arr: np.ndarray, strides: Sequence[int]) -> np.ndarray:
    """``arr``'s values in a dense array with exactly ``strides``: a re-view when the memory order
    already agrees, else a copy into a fresh buffer laid out that way."""
    if same_addressing(arr.shape, element_strides(arr), strides):
        return restrided(arr, strides)
    buffer = np.empty(arr.size, dtype=arr.dtype)
    item = arr.itemsize
    out = np.lib.stride_tricks.as_strided(buffer, shape=arr.shape, strides=[s * item for s in strides])
    out[...] = arr
    return out


def as_contiguous_layout(arr: np.ndarray) -> np.ndarray:
    """A freshly allocated C-ordered array with torch's strides for its size-1 and empty dims."""
    if arr.flags.c_contiguous:
        return restrided(arr, contiguous_strides(arr.shape))
    return arr


# -- TensorIterator ----------------------------------------------------------------------------


def is_non_overlapping_and_dense(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """torch's check: sorted by stride (size-0/1 dims last), the strides are 1, n0, n0*n1, ...;
    a contiguous tensor (every empty one included) is dense whatever its strides."""
    if _is_contiguous(shape, strides):
        return True
    order = sorted(range(len(shape)), key=lambda d: (shape[d] < 2, strides[d] if shape[d] >= 2 else 0))
    required = 1
    for d in order:
        if shape[d] < 2:
            return True
        if strides[d] != required:
            return False
        required *= shape[d]
    return True


def _is_contiguous(shape: Sequence[int], strides: Sequence[int]) -> bool:
    if 0 in shape:
        return True
    expected = 1
    for n, s in zip(reversed(shape), reversed(strides), strict=True):
        if n != 1:
            if s != expected:
                return False
            expected *= n
    return True


def iterator_strides(shape: Sequence[int], operands: Sequence[tuple[Sequence[int], Sequence[int], int]]) -> Strides:
    """The strides torch's TensorIterator gives a new output of ``shape``.

    ``operands`` are the tensor inputs as ``(shape, strides, itemsize)`` (Python numbers are 0-d
    tensors to TensorIterator and count too).  torch's rule:

    1. inputs that all have the output's shape and are all contiguous give a contiguous output;
       inputs of the output's shape that are all dense with *the same* strides give those strides;
    2. otherwise the output's dims are ordered by the inputs' strides in bytes, fastest first:
       starting from row-major order, an insertion sort swaps two dims when the first input that
       decides (one where neither dim is broadcast) has a larger stride on the earlier one, or an
       equal stride and a larger size; the output is dense in that order (an empty dim makes the
       strides after it 0, as torch's ``compatible_stride`` does), or contiguous when the order
       is row-major.
    """
    shape = tuple(shape)
    ndim = len(shape)
    if operands and all(tuple(s) == shape for s, _, _ in operands):
        if all(_is_contiguous(s, st) for s, st, _ in operands):
            return contiguous_strides(shape)
        if all(is_non_overlapping_and_dense(s, st) for s, st, _ in operands):
            first = tuple(operands[-1][1])
            if all(tuple(st) == first for _, st, _ in operands):
                return first
    if ndim <= 1:
        return contiguous_strides(shape)
    stride_bytes = []
    for s, st, item in operands:
        lead = ndim - len(s)
        row = [0] * lead
        for i, (n, stride) in enumerate(zip(s, st, strict=True)):
            row.append(0 if n == 1 and shape[lead + i] != 1 else stride * item)
        stride_bytes.append(row)

    perm = _fastest_first(shape, stride_bytes)
    if perm == list(range(ndim - 1, -1, -1)):
        return contiguous_strides(shape)
    strides = [0] * ndim
    step = 1
    for d in perm:
        strides[d] = step
        step *= shape[d]
    return tuple(strides)


def _fastest_first(shape: Sequence[int], stride_rows: Sequence[Sequence[int]]) -> list[int]:
    """torch's dim order for a new dense layout, fastest-moving dim first.

    Starting from row-major order, an insertion sort moves a dim ahead of another when the first
    stride row that decides (one with neither stride 0) has a smaller stride there, or an equal
    stride and a smaller size; rows where either dim has stride 0 (broadcast) do not vote."""
    ndim = len(shape)

    def should_swap(d0: int, d1: int) -> int:
        for row in stride_rows:
            s0, s1 = row[d0], row[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = list(range(ndim - 1, -1, -1))
    for i in range(1, ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[d0], perm[d1])
            if comparison > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif comparison < 0:
                break
    return perm


def preserve_format_strides(shape: Sequence[int], strides: Sequence[int]) -> Strides:
    """The strides of ``x.to(dtype)``/``x.clone()`` (``memory_format=torch.preserve_format``).

    A dense layout is kept as it is; any other (broadcast, sliced) becomes dense in the same
    order of strides (torch's ``infer_dense_strides``), where size-0 and size-1 dims do not
    multiply the strides of the dims after them."""
    if is_non_overlapping_and_dense(shape, strides):
        return tuple(strides)
    out = [0] * len(shape)
    step = 1
    for d in _fastest_first(shape, [strides]):
        out[d] = step
        if shape[d] > 1:
            step *= shape[d]
    return tuple(out)


def preserving_layout(copy: np.ndarray, source: np.ndarray) -> np.ndarray:
    """``copy`` (a new array of ``source``'s values) laid out as torch's preserve_format copy of
    ``source``."""
    return lay_out(copy, preserve_format_strides(source.shape, element_strides(source)))


#: the dims of a channels-last layout, fastest first: channels, then width, height (depth), batch
_CHANNELS_LAST_ORDER = {4: (1, 3, 2, 0), 5: (1, 4, 3, 2, 0)}


def suggests_channels_last(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """torch's ``suggest_memory_format()`` guess for a 4-d (5-d) tensor: channels_last
    (channels_last_3d) when its strides *look like* that layout, even if it is not dense.

    torch's rule (``is_channels_last_strides_2d/3d``): walking the dims in channels-last order
    (C, W, H, N for 4-d; C, W, H, D, N for 5-d), no dim may be empty and each stride must be at
    least the extent of the dims walked before it (a dim's stride times its size, size-1 dims
    not multiplying); a channel stride of 0 says no, and so does a batch stride equal to the
    channel stride reached with nothing in between (an N111 tensor is taken as contiguous)."""
    order = _CHANNELS_LAST_ORDER.get(len(shape))
    if order is None or strides[1] == 0:
        return False
    least = 0
    for d in order:
        if shape[d] == 0 or strides[d] < least:
            return False
        if d == 0 and least == strides[1]:
            return False
        least = strides[d] * shape[d] if shape[d] > 1 else strides[d]
    return True


def channels_last_strides(shape: Sequence[int]) -> Strides:
    """A new channels-last (4-d) or channels-last-3d (5-d) tensor's strides: channels fastest, then
    the spatial dims from the last, then the batch; sizes multiply as they are (an empty dim makes
    the strides after it 0), as torch's ``get_channels_last_strides_2d/3d``."""
    out = [0] * len(shape)
    step = 1
    for d in _CHANNELS_LAST_ORDER[len(shape)]:
        out[d] = step
        step *= shape[d]
    return tuple(out)


class _Named:
    """A torch constant known by its name (``torch.strided``, ``torch.channels_last``): printed and
    pickled by name, so a loaded one is the same object."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_constant_named, (self.name,))


class layout(_Named):
    """A torch layout.  The reference models dense tensors only: ``torch.strided``."""

    __slots__ = ()


class memory_format(_Named):
    """A torch memory format (``torch.contiguous_format``, ``torch.preserve_format``,
    ``torch.channels_last``, ``torch.channels_last_3d``): how a new tensor lays out its dims."""

    __slots__ = ()


strided = layout("strided")
contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
_CONSTANTS = {c.name: c for c in (strided, contiguous_format, preserve_format, channels_last, channels_last_3d)}


def _constant_named(name: str) -> _Named:
    return _CONSTANTS[name]


def check_layout(value) -> None:
    """A factory's ``layout=``: None or ``torch.strided``; sparse layouts are not modelled."""
    if value is not None and not isinstance(value, layout):
        raise TypeError(f"argument 'layout' must be torch.layout, not {type(value).__name__}")
    if value is not None and value is not strided:
        raise NotImplementedError(f"layout={value!r}: the reference models strided (dense) tensors only")


def is_contiguous_as(shape: Sequence[int], strides: Sequence[int], fmt: memory_format | None) -> bool:
    """``is_contiguous(memory_format=fmt)``: row-major strides for ``contiguous_format`` (and, as torch
    answers it, ``preserve_format``); for ``channels_last`` (4 dims) and ``channels_last_3d`` (5 dims),
    the strides walked in channels-last order (C, W, H[, D], N) are 1, C, C*W, ..., size-1 dims
    skipped; a tensor of another rank is never channels-last contiguous."""
    if fmt is None or fmt is contiguous_format or fmt is preserve_format:
        return _is_contiguous(shape, strides)
    if not isinstance(fmt, memory_format):
        raise TypeError(
            f"is_contiguous(): argument 'memory_format' must be torch.memory_format, not {type(fmt).__name__}"
        )
    order = _CHANNELS_LAST_ORDER.get(len(shape))
    if order is None or len(shape) != (4 if fmt is channels_last else 5):
        return False
    expected = 1
    for d in order:
        if shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= shape[d]
    return True


def like_strides(shape: Sequence[int], strides: Sequence[int], fmt: memory_format | None = None) -> Strides:
    """The strides of a new tensor made like one of ``shape`` and ``strides`` (``empty_like`` and every
    ``*_like`` factory, and ``clone``).  torch's rule: ``preserve_format`` (the default) keeps a
    non-overlapping and dense layout stride for stride and makes any other dense in the same order of
    strides (:func:`preserve_format_strides`).  ``contiguous_format`` is row-major; ``channels_last``
    needs 4 dims and ``channels_last_3d`` 5 (RuntimeError)."""
    if fmt is None or fmt is preserve_format:
        return preserve_format_strides(shape, strides)
    if fmt is contiguous_format:
        return contiguous_strides(shape)
    if not isinstance(fmt, memory_format):
        raise TypeError(f"argument 'memory_format' must be torch.memory_format, not {type(fmt).__name__}")
    rank = 4 if fmt is channels_last else 5
    if len(shape) != rank:
        raise RuntimeError(f"required rank {rank} tensor to use {fmt.name} format")
    return channels_last_strides(shape)


def cat_strides(inputs: Sequence[tuple[Sequence[int], Sequence[int]]], shape: Sequence[int]) -> Strides:
    """The layout of ``cat``'s result of ``shape`` from its inputs' ``(shape, strides)``: channels-last
    (channels-last-3d) when every input's strides suggest it -- torch's legacy ``(0,)`` inputs count,
    and suggest contiguous -- otherwise contiguous (``cat_compute_output_memory_format``)."""
    if len(shape) in (4, 5) and all(suggests_channels_last(s, st) for s, st in inputs):
        return channels_last_strides(shape)
    return contiguous_strides(shape)


def column_major_strides(shape: Sequence[int]) -> Strides:
    """Each matrix (the last two dims) stored column by column, the matrices one after another:
    the layout LAPACK-backed results (``linalg.svd``'s U and Vh) have in torch."""
    if len(shape) < 2:
        return contiguous_strides(shape)
    swapped = contiguous_strides((*shape[:-2], shape[-1], shape[-2]))
    return (*swapped[:-2], swapped[-1], swapped[-2])


def column_major(arr: np.ndarray) -> np.ndarray:
    """``arr``'s values laid out as :func:`column_major_strides`."""
    return lay_out(arr, column_major_strides(arr.shape))


# -- view ops -----------------------------------------------------------------------------------


def unsqueeze_stride(shape: Sequence[int], strides: Sequence[int], dim: int) -> int:
    """The stride torch gives a dim inserted at ``dim``: the span of the dim it lands before
    (``size[dim] * stride[dim]``), or 1 at the end."""
    return shape[dim] * strides[dim] if dim < len(shape) else 1


def view_strides(old_shape: Sequence[int], old_strides: Sequence[int], new_shape: Sequence[int]) -> Strides | None:
    """Strides for viewing ``old`` as ``new_shape`` without copying, or None where impossible.

    torch's rule (``computeStride``): walk the old dims from the last, grouping them into chunks
    that are contiguous with each other; each chunk must be exactly covered by consecutive new
    dims, which take strides inside the chunk.  Size-1 new dims take the stride where they fall;
    an empty tensor views as anything, with contiguous strides."""
    if not old_shape:
        return (1,) * len(new_shape)
    numel = int(np.prod(old_shape, dtype=np.int64))
    if numel == 0 and tuple(old_shape) == tuple(new_shape):
        return tuple(old_strides)
    new_strides = [0] * len(new_shape)
    if numel == 0:
        return contiguous_strides(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = old_strides[-1]
    tensor_numel = 1
    view_numel = 1
    for tensor_d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[tensor_d]
        if tensor_d == 0 or (old_shape[tensor_d - 1] != 1 and old_strides[tensor_d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if tensor_d > 0:
                chunk_base = old_strides[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(new_strides)


def as_view(arr: np.ndarray, shape: Sequence[int], strides: Sequence[int]) -> np.ndarray:
    """A NumPy view of ``arr``'s first element with ``shape`` and ``strides`` (in elements).

    Read-only where several elements share one memory location (an expanded dim), so that an
    in-place write into it is refused as torch refuses it."""
    item = arr.itemsize
    overlapping = 0 not in shape and any(s == 0 and n > 1 for n, s in zip(shape, strides, strict=True))
    return np.lib.stride_tricks.as_strided(
        arr, shape=tuple(shape), strides=[s * item for s in strides], writeable=arr.flags.writeable and not overlapping
    )


def iterator_output(*operand_names: str, numbers: bool = True, common_dtype=None):
    """Decorate an elementwise op so that its result takes TensorIterator's layout.

    The op's operands are its positional arguments and the keyword arguments in
    ``operand_names``; Tensors among them count, and Python numbers too where torch wraps them
    into 0-d tensors (``numbers``; not for ``clamp``'s bounds or ``pow``'s number exponent,
    which torch's kernels take as plain scalars).  On the CPU torch first converts every input
    whose dtype differs from the computation dtype (``common_dtype(*args)``; the result's dtype
    by default) with ``.to()``, which keeps a dense layout and makes any other dense
    (:func:`preserve_format_strides`): the converted copy is what orders the output's dims.
    Results that are views are left alone."""
    import functools

    from ._tensor import Tensor

    def decorate(fn):
        @functools.wraps(fn)
        def op(*args, **kwargs):
            out = fn(*args, **kwargs)
            if type(out) is Tensor and out._base is None and out._data.ndim > 1:
                given = (*args, *(kwargs[k] for k in operand_names if k in kwargs))
                common = (common_dtype(*given) if common_dtype else out.dtype).np
                operands = []
                for x in given:
                    if isinstance(x, Tensor):
                        shape, strides = x._data.shape, element_strides(x._data)
                        if x._data.dtype != common:
                            strides = preserve_format_strides(shape, strides)
                        operands.append((shape, strides, common.itemsize))
                    elif numbers and isinstance(x, bool | int | float | complex | np.number):
                        operands.append(((), (), 8))
                out._data = lay_out(out._data, iterator_strides(out._data.shape, operands))
            return out

        return op

    return decorate
