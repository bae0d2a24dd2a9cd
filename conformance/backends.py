"""The two sides of every comparison: torch on a device, and the reference.

Arrays from the strategies may be non-contiguous NumPy views.  Each backend
gets its own copy of the array's memory block and rebuilds the same view on
it with ``as_strided``, so layouts (and therefore view semantics) match and
neither side can see the other's writes.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class Backend:
    """How one side builds tensors, reads them back, and reports aliasing."""

    name: str
    device: str = "cpu"

    @property
    def ns(self):
        if self.name == "reference":
            return reference
        import torch

        return torch

    def from_array(self, arr: np.ndarray):
        block, shape, strides = memory_block(arr)
        if self.name == "reference":
            buf = reference.from_numpy(block)
            return reference._shape.as_strided(buf, shape, strides)
        import torch

        buf = torch.from_numpy(block).to(self.device)
        return buf.as_strided(shape, strides)

    def to_numpy(self, t) -> np.ndarray:
        if self.name == "reference":
            return np.array(t._data)
        return t.detach().cpu().resolve_conj().numpy().copy()

    def dtype_name(self, t) -> str:
        return str(t.dtype).removeprefix("torch.")

    def is_tensor(self, x) -> bool:
        return isinstance(x, self.ns.Tensor)

    def aliasing(self, out, inp) -> tuple[bool, bool, bool]:
        """(``out is inp``, out is a view of inp's storage root, out shares inp's memory)."""
        same = out is inp
        root = inp._base if inp._base is not None else inp
        is_view = out._base is not None and out._base is root
        if self.name == "reference":
            shares = bool(out._data.size and inp._data.size and np.may_share_memory(out._data, inp._data))
        else:
            so, si = out.untyped_storage(), inp.untyped_storage()
            shares = so.nbytes() > 0 and si.nbytes() > 0 and so.data_ptr() == si.data_ptr()
        return same, is_view, shares or same or is_view

    def strides(self, t) -> tuple[int, ...]:
        return tuple(t.stride())


def convert(value, backend: Backend):
    """Replace every ndarray inside ``value`` by a tensor of ``backend``."""
    if isinstance(value, np.ndarray):
        return backend.from_array(value)
    if isinstance(value, tuple):
        return tuple(convert(v, backend) for v in value)
    if isinstance(value, list):
        return [convert(v, backend) for v in value]
    if isinstance(value, dict):
        return {k: convert(v, backend) for k, v in value.items()}
    return value


def collect_tensors(value, backend: Backend) -> list:
    """Every tensor of ``backend`` inside nested tuples, lists and dicts, in order."""
    out: list = []

    def walk(v):
        if backend.is_tensor(v):
            out.append(v)
        elif isinstance(v, list | tuple):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    walk(value)
    return out


def flat_outputs(out) -> list:
    """An op's result as a list of tensors (named tuples and tuples unpacked)."""
    if isinstance(out, tuple):
        return list(out)
    return [out]


def random_like(rng: np.random.Generator, shape, dtype: np.dtype) -> np.ndarray:
    """Standard normal values of ``shape`` in ``dtype`` (complex: independent real and imaginary parts)."""
    a = rng.standard_normal(shape)
    if dtype.kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    return np.asarray(a).astype(dtype)
