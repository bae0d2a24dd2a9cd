"""Views and in-place writes under autograd: torch's ``CopySlices`` and regenerated view histories.

torch's model (``torch/csrc/autograd/variable.cpp``), which this module follows:

- a view shares its base's storage and version counter;
- an in-place op on a view, while autograd records, gives the *base* a new history: a
  ``CopySlices`` node that routes the base's gradient around the written region, and through the
  in-place op's own backward inside it.  Its inputs are the base's previous history and the op's
  other operands.  A base that did not require grad starts requiring it;
- every view of that base (the written one included) finds its history stale (the version moved
  on) and, the next time its ``grad_fn`` is read, gets a new one: ``AsStridedBackward0``, which
  picks the view's elements out of the base's gradient.

Element positions are computed from memory offsets, so any layout of base and view works.
"""

from __future__ import annotations

import numpy as np

from ._autograd_hooks import record_unary
from ._tensor import Tensor
from .autograd.graph import Node

__all__: list[str] = []


def _offsets(arr: np.ndarray) -> np.ndarray:
    """Each element's offset from the array's first element, in elements."""
    item = arr.itemsize
    out = np.zeros(arr.shape, dtype=np.int64)
    for k, (n, s) in enumerate(zip(arr.shape, arr.strides, strict=True)):
        along = [1] * arr.ndim
        along[k] = n
        out = out + (np.arange(n, dtype=np.int64) * (s // item)).reshape(along)
    return out


def view_positions(base: np.ndarray, view: np.ndarray) -> np.ndarray:
    """For each element of ``view`` (a NumPy view into ``base``'s memory), its row-major position in ``base``."""
    if view.size == 0:
        return np.zeros(view.shape, dtype=np.int64)
    item = base.itemsize
    start = (view.__array_interface__["data"][0] - base.__array_interface__["data"][0]) // item
    base_off = _offsets(base).reshape(-1)
    view_off = start + _offsets(view)
    low = min(int(base_off.min()), int(view_off.min()))
    table = np.full(max(int(base_off.max()), int(view_off.max())) - low + 1, -1, dtype=np.int64)
    table[base_off - low] = np.arange(base_off.size, dtype=np.int64)
    return table[view_off - low]


def scatter_into(numel: int, positions: np.ndarray, g: Tensor) -> Tensor:
    """A flat tensor of ``numel`` zeros with ``g`` added at ``positions`` (repeats accumulate)."""
    z = np.zeros(numel, dtype=g._data.dtype)
    np.add.at(z, positions.reshape(-1), g._data.reshape(-1))
    return record_unary(Tensor._wrap(z), g, "AsStridedScatterBackward0", lambda h: take(h, positions))


def take(flat: Tensor, positions: np.ndarray) -> Tensor:
    """``flat[positions]`` (shaped like ``positions``), the adjoint of :func:`scatter_into`."""
    out = Tensor._wrap(flat._data[positions])
    n = flat._data.size
    return record_unary(out, flat, "AsStridedBackward0", lambda g: scatter_into(n, positions, g))


def _reshaped(g: Tensor, shape: tuple) -> Tensor:
    from ._shape import reshape

    return reshape(g, shape)


def regenerate(view: Tensor) -> None:
    """Give a stale view a fresh history: AsStridedBackward0 over its base's current one."""
    base = view._base
    positions = view_positions(base._data, view._data)
    base_shape, numel = tuple(base.shape), base._data.size

    def vjp(g):
        return _reshaped(scatter_into(numel, positions, g), base_shape)

    node = Node("AsStridedBackward0", lambda g: (vjp(g),), (base,), (True,), (), (view,))
    node.bind_output(0, view)
    view._grad_fn = node
    view._output_nr = 0
    view._view_meta[0] = view._version_counter.value


def copy_slices(base: Tensor, view: Tensor, written: Tensor) -> None:
    """Make ``base``'s history the CopySlices of an in-place op on ``view``.

    ``written`` is the op's out-of-place result, computed from a copy of the view's old values
    (its first input); its node's backward runs on the view's part of the base's gradient, the
    part for the old values goes back into that region, and the op's other inputs get theirs."""
    f = written._grad_fn
    positions = view_positions(base._data, view._data)
    base_shape, numel = tuple(base.shape), base._data.size
    view_shape = tuple(view.shape)

    def vjp(g):
        from ._adjoints import zero_at
        from ._elementwise import add

        flat = _reshaped(g, (-1,))
        region = _reshaped(take(flat, positions), view_shape)
        res = f.vjp(region)
        res = res if type(res) is tuple else (res,)
        rest = zero_at(flat, (positions.reshape(-1),))
        if res[0] is not None:
            rest = add(rest, scatter_into(numel, positions, res[0]))
        return (_reshaped(rest, base_shape), *res[1:])

    needs_base = base._requires_grad
    node = Node("CopySlices", vjp, (base,), (needs_base,), f.saved, (base,))
    # the op's other inputs keep their edges; its first (the view's old value) is the region above
    node.edges = (node.edges[0], *f.edges[1:])
    node.needs = (needs_base, *f.needs[1:])
    node.input_meta = (node.input_meta[0], *f.input_meta[1:])
    node.bind_output(0, base)
    base._grad_fn = node
    base._requires_grad = True
    base._output_nr = 0


Tensor._regenerate_view = staticmethod(regenerate)  # the Tensor's grad_fn property calls it (it sits below the ops)
