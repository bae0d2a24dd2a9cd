"""Storages: the memory a tensor views, as torch counts it.

A reference tensor is a NumPy view; its *storage* is the allocation that view was cut from (the
array at the root of its ``.base`` chain), except that ``from_numpy`` and ``load`` start a storage of
their own at the array they are given, as torch's do (``torch.from_numpy(a[2:5])`` has a 3-element
storage even though ``a`` is longer).  ``storage_offset()`` counts elements from the storage's first
byte; two tensors share memory in torch's sense when they have the same storage.
"""

from __future__ import annotations

import numpy as np

try:  # NumPy >= 2
    from numpy.lib.array_utils import byte_bounds
except ImportError:  # pragma: no cover - NumPy 1.x
    byte_bounds = np.byte_bounds

__all__ = ["UntypedStorage"]


class _StorageStart:
    """Holds the array a storage starts at and shows NumPy its memory.  NumPy collapses a view of a
    view to the array owning the memory; an array whose base is not an array stops that collapse, so
    views of the array made here keep it as their base, and the storage is found again."""

    def __init__(self, arr: np.ndarray):
        self.base = arr
        # strides spelled out: NumPy leaves them out for C-ordered arrays, and would recompute them
        self.__array_interface__ = {**arr.__array_interface__, "strides": arr.strides}


def start_storage(arr: np.ndarray) -> np.ndarray:
    """An array over ``arr``'s memory that starts a storage of its own (``from_numpy``)."""
    return np.asarray(_StorageStart(arr))


def storage_root(arr: np.ndarray) -> np.ndarray:
    """The array whose memory is ``arr``'s storage: up the ``.base`` chain (through the helper objects
    ``as_strided`` puts in it) to an array that starts a storage, or to the allocation."""
    a = arr
    while True:
        b = a.base
        if isinstance(b, _StorageStart):
            return a
        while b is not None and not isinstance(b, np.ndarray) and isinstance(getattr(b, "base", None), np.ndarray):
            b = b.base  # numpy's DummyArray from as_strided
        if not isinstance(b, np.ndarray):
            return a
        a = b


def storage_span(arr: np.ndarray) -> tuple[np.ndarray, int, int]:
    """(root, first byte address, byte length) of ``arr``'s storage."""
    root = storage_root(arr)
    low, high = byte_bounds(root)
    return root, low, high - low


def storage_offset(arr: np.ndarray) -> int:
    """Elements from the storage's first byte to ``arr``'s first element (torch's storage_offset())."""
    root, low, nbytes = storage_span(arr)
    if nbytes == 0:  # an empty storage: a view of it still counts where it starts (narrow(x, 0, 1, 0))
        low = root.__array_interface__["data"][0]
    return (arr.__array_interface__["data"][0] - low) // arr.itemsize


def storage_bytes(arr: np.ndarray) -> np.ndarray:
    """A uint8 view of every byte of ``arr``'s storage (not a copy)."""
    root, low, nbytes = storage_span(arr)
    if nbytes == 0:
        return np.empty(0, dtype=np.uint8)
    start = root.__array_interface__["data"][0]
    flat = np.lib.stride_tricks.as_strided(root, shape=(nbytes // root.itemsize,), strides=(root.itemsize,))
    if start != low:  # pragma: no cover - roots have non-negative strides (from_numpy refuses the others)
        raise AssertionError("a storage root with negative strides")
    return flat.view(np.uint8)


class UntypedStorage:
    """torch.UntypedStorage, as far as a program reads it: the bytes a tensor views.

    ``t.untyped_storage()`` is a new object each time (as in torch); two tensors share memory when
    their storages' ``data_ptr()`` are equal.  The reference's storages live on the CPU."""

    def __init__(self, data: np.ndarray):
        self._bytes = data  # a uint8 view of the storage's memory

    def nbytes(self) -> int:
        return int(self._bytes.size)

    def size(self) -> int:
        """Bytes (an untyped storage's elements are bytes)."""
        return int(self._bytes.size)

    __len__ = size

    def element_size(self) -> int:
        return 1

    def data_ptr(self) -> int:
        return int(self._bytes.__array_interface__["data"][0]) if self._bytes.size else 0

    @property
    def device(self):
        from ._tensor import CPU

        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    def cpu(self) -> UntypedStorage:
        """Already on the CPU: the same storage."""
        return self

    def cuda(self, device=None, non_blocking: bool = False) -> UntypedStorage:
        from ._tensor import _check_device

        _check_device("cuda" if device is None else device)
        raise AssertionError("unreachable")  # pragma: no cover

    def tolist(self) -> list[int]:
        return self._bytes.tolist()

    def __getitem__(self, i):
        return int(self._bytes[i]) if isinstance(i, int) else UntypedStorage(self._bytes[i])

    def __repr__(self) -> str:
        body = "\n".join(f" {v}" for v in self._bytes.tolist())
        return f"{body}\n[torch.storage.UntypedStorage(device=cpu) of size {self.size()}]".lstrip("\n")
