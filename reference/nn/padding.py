"""``F.pad``: constant, reflect, replicate and circular padding.

``pad`` lists ``(left, right)`` pairs starting from the last dim: ``(1, 2)`` adds one element before
and two after the last dim, ``(1, 2, 3, 4)`` also three before and four after the one before it.
"""

from __future__ import annotations

import numpy as np

from .. import _creation as C
from .._autograd_hooks import record
from .._layout import channels_last_strides, lay_out, suggests_channels_last
from .._tensor import Tensor

__all__ = ["pad", "constant_pad_nd"]

_MODES = ("constant", "reflect", "replicate", "circular")
_UNSUPPORTED = (
    "Padding size {n} is not supported for {d}D input tensor.\n"
    "Supported combinations for non-constant padding:\n"
    "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
    "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
    "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
)


def _pad_list(pad) -> list[int]:
    if not isinstance(pad, tuple | list):
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not {type(pad).__name__}")
    for i, p in enumerate(pad):
        if isinstance(p, bool | np.bool_) or not isinstance(p, int | np.integer):
            raise TypeError(
                "pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type "
                f"{type(p).__name__} at pos {i}"
            )
    return [int(p) for p in pad]


def _suggested_layout(data: np.ndarray, like: Tensor) -> Tensor:
    """A new tensor laid out as ``like.suggest_memory_format()``: channels-last (channels-last-3d) for a
    4-d (5-d) input that suggests it, else contiguous."""
    if like.ndim in (4, 5) and data.ndim == like.ndim and suggests_channels_last(like.shape, like.stride()):
        return Tensor._wrap(lay_out(data, channels_last_strides(data.shape)), laid_out=True)
    return Tensor._wrap(np.ascontiguousarray(data))


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad ``input``'s last ``len(pad) // 2`` dims.

    torch's rule: ``pad`` has an even length of at most twice ``input.ndim``; ``mode`` is one of
    constant (any dims, negative entries crop, ``value`` fills, default 0), reflect (mirrors without
    repeating the edge: each pad below the dim's size), replicate (repeats the edge) or circular (wraps
    around: each pad at most the dim's size), and the last three pad 1, 2 or 3 trailing dims of an
    input with one or two more dims (NotImplementedError otherwise) and take no nonzero ``value``.
    grad_fns: ConstantPadNdBackward0, ReflectionPad{1,2,3}DBackward0, ReplicationPad{1,2,3}DBackward0,
    and for circular the CopySlices of torch's own slice-and-copy algorithm."""
    if not isinstance(input, Tensor):
        raise TypeError(f"pad(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    pads = _pad_list(pad)
    if len(pads) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pads) > 2 * input.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension but got padding length "
            f"{len(pads)} and input of dimension {input.ndim}"
        )
    if value is not None and (isinstance(value, complex) or not isinstance(value, int | float | np.number)):
        raise TypeError(f"pad(): argument 'value' (position 4) must be float, not {type(value).__name__}")
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode == "constant":
        return constant_pad_nd(input, pads, 0.0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pads) // 2
    if k not in (1, 2, 3) or input.ndim not in (k + 1, k + 2):
        raise NotImplementedError(_UNSUPPORTED.format(n=len(pads), d=input.ndim))
    if any(p < 0 for p in pads):
        raise NotImplementedError(f"{mode} padding with a negative pad (a crop): not modelled by the reference")
    if mode == "circular":
        return _pad_circular(input, pads)
    return _reflect_or_replicate(input, pads, mode)


# -- constant ----------------------------------------------------------------------------------------------------


def constant_pad_nd(input: Tensor, pad, value=0.0) -> Tensor:
    """torch's ``constant_pad_nd``: negative entries narrow the input first; when no entry is positive the
    result is a clone of the narrowed input (its layout kept), else a new tensor of the input's suggested
    memory format filled with ``value`` (converted to the dtype, overflow checked) with the narrowed input
    copied in.  One ``ConstantPadNdBackward0`` node, whose backward is the opposite padding."""
    from .. import _dtype as D
    from .._joining import narrow
    from ..autograd.grad_mode import no_grad

    pads = list(pad)
    k = len(pads) // 2
    with no_grad():
        cropped = input.detach()
        for i in range(input.ndim - k, input.ndim):
            left, right = pads[2 * (input.ndim - i - 1)], pads[2 * (input.ndim - i - 1) + 1]
            if left < 0:
                cropped = narrow(cropped, i, -left, cropped.shape[i] + left)
            if right < 0:
                cropped = narrow(cropped, i, 0, cropped.shape[i] + right)
        if all(p <= 0 for p in pads):
            out = cropped.clone()
        else:
            shape = list(input.shape)
            for i in range(input.ndim - k, input.ndim):
                left, right = pads[2 * (input.ndim - i - 1)], pads[2 * (input.ndim - i - 1) + 1]
                shape[i] = input.shape[i] + left + right
                if shape[i] < 0:
                    raise RuntimeError(
                        f"The input size {input.shape[i]}, plus negative padding {left} and {right} resulted in a "
                        f"negative output size, which is invalid. Check dimension {i} of your input."
                    )
            fill = D.checked_convert(float(value), input.dtype)  # torch takes the value as a double
            data = np.full(shape, fill, dtype=input._data.dtype)
            where = tuple(
                slice(max(pads[2 * (input.ndim - i - 1)], 0), max(pads[2 * (input.ndim - i - 1)], 0) + cropped.shape[i])
                if i >= input.ndim - k
                else slice(None)
                for i in range(input.ndim)
            )
            data[where] = cropped._data
            out = _suggested_layout(data, input)
    out = Tensor._wrap(out._data, laid_out=True) if out._base is not None else out
    negated = [-p for p in pads]
    return record(out, (input,), "ConstantPadNdBackward0", lambda g: (constant_pad_nd(g, negated, 0.0),))


# -- reflect and replicate ----------------------------------------------------------------------------------------


def _source_index(n: int, left: int, right: int, mode: str) -> np.ndarray:
    """For each output position along one dim, the input position it copies."""
    i = np.arange(-left, n + right)
    if mode == "reflect":
        i = np.abs(i)
        return np.where(i >= n, 2 * (n - 1) - i, i)
    return np.clip(i, 0, n - 1)


def _reflect_or_replicate(input: Tensor, pads: list, mode: str) -> Tensor:
    k = len(pads) // 2
    kernel = f"{'reflection' if mode == 'reflect' else 'replication'}_pad{k}d"
    if any(s == 0 for s in input.shape[1 if input.ndim == k + 2 else 0 :]):
        raise RuntimeError(
            f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero "
            f"dimensions for input, but got: {list(input.shape)}"
        )
    if mode == "reflect":
        for j in range(k):  # the last dim first: arguments #4, #6, #8 of torch's kernel
            dim, (left, right) = input.ndim - 1 - j, pads[2 * j : 2 * j + 2]
            if left >= input.shape[dim] or right >= input.shape[dim]:
                raise RuntimeError(
                    f"Argument #{4 + 2 * j}: Padding size should be less than the corresponding input dimension, "
                    f"but got: padding ({left}, {right}) at dimension {dim} of input {list(input.shape)}"
                )
    if input.dtype.name == "bool":
        if k == 2 and input.ndim == 4 and suggests_channels_last(input.shape, input.stride()):
            kernel += "_channels_last"  # torch's channels-last kernel names itself
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    index = _gather_index(input.shape, pads, mode)
    out = _suggested_layout(input._data[index], input)
    name = f"{'Reflection' if mode == 'reflect' else 'Replication'}Pad{k}D"
    shape = tuple(input.shape)
    return record(
        out, (input,), f"{name}Backward0", lambda g: (_spread_back(g, input, index, shape, pads, mode, name),)
    )


def _gather_index(shape: tuple, pads: list, mode: str) -> tuple:
    """An open-mesh index into the input that builds the padded output."""
    k = len(pads) // 2
    axes = []
    for d, n in enumerate(shape):
        j = len(shape) - 1 - d
        axes.append(_source_index(n, pads[2 * j], pads[2 * j + 1], mode) if j < k else np.arange(n))
    return np.ix_(*axes)


def _spread_back(g: Tensor, input: Tensor, index: tuple, shape: tuple, pads: list, mode: str, name: str) -> Tensor:
    """Each output gradient added to the input position it copied (one ``...BackwardBackward0`` node,
    whose backward pads the gradient's gradient the same way)."""
    grad = np.zeros(shape, dtype=np.asarray(g._data).dtype)
    np.add.at(grad, index, np.asarray(g._data))
    out = _suggested_layout(grad, input)

    def vjp(gg):
        from .._creation import zeros_like

        return _reflect_or_replicate(gg, pads, mode), zeros_like(input)

    return record(out, (g, input), f"{name}BackwardBackward0", vjp)


# -- circular -------------------------------------------------------------------------------------------------


def _pad_circular(input: Tensor, pads: list) -> Tensor:
    """torch's ``_pad_circular``, step by step with the reference's own slicing and ``copy_`` (so the
    graph is torch's: CopySlices over slices): a new tensor, the input copied into its middle, then per
    padded dim (the last first) the left pad copied from the right end of the middle and the right pad
    from its left end (corners are written twice)."""
    from .._joining import narrow

    k = len(pads) // 2
    if any(
        pads[2 * j] > input.shape[input.ndim - 1 - j] or pads[2 * j + 1] > input.shape[input.ndim - 1 - j]
        for j in range(k)
    ):
        raise RuntimeError("Padding value causes wrapping around more than once.")
    shape = list(input.shape)
    for j in range(k):
        shape[input.ndim - 1 - j] += pads[2 * j] + pads[2 * j + 1]
    out = C.empty(tuple(shape), dtype=input.dtype, device=input.device)
    middle, source = out, input
    for j in range(k):
        dim = input.ndim - 1 - j
        middle = narrow(middle, dim, pads[2 * j], input.shape[dim])
        source = narrow(source, dim, 0, input.shape[dim])  # (torch slices the input too: its whole extent here)
    middle.copy_(source)
    for j in range(k):
        dim, (left, right) = input.ndim - 1 - j, pads[2 * j : 2 * j + 2]
        if left > 0:
            narrow(out, dim, 0, left).copy_(narrow(out, dim, shape[dim] - left - right, left))
        if right > 0:
            narrow(out, dim, shape[dim] - right, right).copy_(narrow(out, dim, left, right))
    return out
