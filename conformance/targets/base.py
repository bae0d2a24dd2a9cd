"""The protocol every implementation under test follows, and the reference side.

A target builds tensors from NumPy views (same values *and* strides), reads them back, reports
aliasing and strides, resolves the torch-like namespace the ops are called in, calls an op (a
compiler wraps the call), and says which checks apply to it.  Each side of a comparison gets its
own copy of an array's memory block, so neither can see the other's writes.
"""

from __future__ import annotations

import numpy as np

import reference


def memory_block(arr: np.ndarray) -> tuple[np.ndarray, tuple[int, ...], tuple[int, ...]]:
    """A 1-d copy of the memory ``arr`` spans, plus its shape and strides in elements."""
    item = arr.itemsize
    strides = tuple(s // item for s in arr.strides)
    if arr.size == 0:
        return np.empty(0, dtype=arr.dtype), arr.shape, strides
    if any(s < 0 for s in strides):
        arr = arr.copy()
        strides = tuple(s // item for s in arr.strides)
    extent = 1 + sum((n - 1) * s for n, s in zip(arr.shape, strides, strict=True))
    block = np.lib.stride_tricks.as_strided(arr, shape=(extent,), strides=(item,)).copy()
    return block, arr.shape, strides


#: the checks a target may be asked for; a target lists the ones that do not apply, with the reason
CHECKS = ("values", "aliasing", "errors", "gradients")


class Target:
    """One implementation a case runs on.  Subclasses override what differs from a torch-like default."""

    #: the spec string that selects this target (``torch:cuda``, ``meta``, ``module:reference``...)
    spec: str = ""
    #: the torch device its tensors live on ("cpu" for libraries without devices)
    device: str = "cpu"
    #: whether its tensors hold data (meta and fake tensors do not: value comparisons do not apply)
    has_data: bool = True
    #: whether its autograd graph names are torch eager's (a compiled region records one
    #: CompiledFunctionBackward node by design, so node names are not compared there)
    eager_graph: bool = True

    @property
    def label(self) -> str:
        """How messages name this side."""
        return self.spec

    @property
    def ns(self):
        raise NotImplementedError

    def not_applicable(self, check: str) -> str | None:
        """Why ``check`` does not apply to this target (None: it applies)."""
        return None

    def call(self, op, case, args, kwargs):
        """Run the op's call form on this target."""
        return op.call(self.ns, case, args, kwargs)

    def from_array(self, arr: np.ndarray):
        raise NotImplementedError

    def to_numpy(self, t) -> np.ndarray:
        raise NotImplementedError

    def dtype_name(self, t) -> str:
        return str(t.dtype).removeprefix("torch.")

    def is_tensor(self, x) -> bool:
        return isinstance(x, self.ns.Tensor)

    def aliasing(self, out, inp) -> tuple[bool, bool, bool]:
        """(``out is inp``, out is a view of inp's storage root, out shares inp's memory)."""
        same = out is inp
        root = inp._base if inp._base is not None else inp
        is_view = out._base is not None and out._base is root
        return same, is_view, self.shares_memory(out, inp) or same or is_view

    def shares_memory(self, a, b) -> bool:
        raise NotImplementedError

    def strides(self, t) -> tuple[int, ...]:
        return tuple(t.stride())

    def storage_offset(self, t) -> int:
        """Elements from the start of ``t``'s storage to its first element."""
        return int(t.storage_offset())

    def views_flat(self, t) -> bool:
        """Whether ``t.view(-1)`` succeeds (its layout decides)."""
        try:
            t.view(-1)
        except RuntimeError:
            return False
        return True

    def __repr__(self) -> str:
        return f"<target {self.spec}>"


class ReferenceSide(Target):
    """The executable specification itself (``reference``)."""

    spec = "reference"

    @property
    def ns(self):
        return reference

    def from_array(self, arr: np.ndarray):
        block, shape, strides = memory_block(arr)
        return reference._shape.as_strided(reference.from_numpy(block), shape, strides)

    def to_numpy(self, t) -> np.ndarray:
        return np.array(t._data)

    def shares_memory(self, a, b) -> bool:
        return bool(a._data.size and b._data.size and np.may_share_memory(a._data, b._data))
