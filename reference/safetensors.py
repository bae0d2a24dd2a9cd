"""``safetensors.torch`` for the reference: the same four functions over reference tensors.

The file format is the ``safetensors`` library's (a JSON header of names, dtypes, shapes and byte
ranges, then the raw bytes); reading and writing go through its NumPy API, so the library is an
optional dependency (``pip install safetensors``).  The rules are ``safetensors.torch``'s:

* ``tensors`` is a dict from str to tensor (ValueError otherwise; a key that is not a str is a
  TypeError from the library);
* every tensor must be contiguous (ValueError naming it): slice after loading instead;
* tensors whose memory overlaps are refused (RuntimeError naming them): the format has no sharing;
  tensors of one storage that do not overlap are saved apart;
* dtypes: bool, uint8, int8, int16, int32, int64, float16, float32, float64, complex64;
  complex128 has no safetensors dtype (KeyError naming it, as ``safetensors.torch`` raises);
* loaded tensors are contiguous and each owns its memory; ``metadata`` is a dict of str to str.

Usage mirrors ``from safetensors.torch import save_file, load_file``::

    from reference.safetensors import save_file, load_file
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ._storage import storage_span
from ._tensor import Tensor, _check_device

__all__ = ["save", "save_file", "load", "load_file"]

#: the dtypes safetensors can hold (by the reference's dtype name)
_SUPPORTED = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64", "complex64")


def _library(what: str):
    try:
        import safetensors.numpy as stn
    except ImportError as e:
        raise ImportError(
            f"reference.safetensors.{what} needs the safetensors package (pip install safetensors): {e}"
        ) from None
    return stn


def _arrays(tensors: Any) -> dict[str, np.ndarray]:
    """safetensors.torch's checks, then the arrays to write (no copies of contiguous tensors)."""
    if not isinstance(tensors, dict):
        raise ValueError(f"Expected a dict of [str, torch.Tensor] but received {type(tensors)}")
    for k, v in tensors.items():
        if not isinstance(v, Tensor):
            raise ValueError(f"Key `{k}` is invalid, expected torch.Tensor but received {type(v)}")
    _refuse_overlaps(tensors)
    out = {}
    for k, v in tensors.items():
        if not v.is_contiguous():
            raise ValueError(
                f"You are trying to save a non contiguous tensor: `{k}` which is not allowed. It either means you"
                " are trying to save tensors which are reference of each other in which case it's recommended to save"
                " only the full tensors, and reslice at load time, or simply call `.contiguous()` on your tensor to"
                " pack it before saving."
            )
        if v.dtype.name not in _SUPPORTED:
            raise KeyError(v.dtype)
        out[k] = np.asarray(v._data, order="C")  # not ascontiguousarray: it makes 0-d arrays 1-d
    return out


def _refuse_overlaps(tensors: dict) -> None:
    """Tensors of one storage whose byte ranges overlap cannot be saved (the format has no sharing)."""
    by_storage: dict[tuple, list] = {}
    for k, v in tensors.items():
        if not isinstance(k, str) or v.numel() == 0:
            continue
        _, low, nbytes = storage_span(v._data)
        if nbytes == 0:
            continue
        start = v._data.__array_interface__["data"][0]
        by_storage.setdefault((low, nbytes), []).append((start, start + v.numel() * v.element_size(), k))
    failing = []
    for areas in by_storage.values():
        areas.sort()
        group, last_stop = {areas[0][2]}, areas[0][1]
        for start, stop, name in areas[1:]:
            if start >= last_stop:
                if len(group) > 1:
                    failing.append(group)
                group = {name}
            else:
                group.add(name)
            last_stop = stop
        if len(group) > 1:
            failing.append(group)
    if failing:
        raise RuntimeError(
            "Some tensors share memory, this will lead to duplicate memory on disk and potential differences when "
            f"loading them again: {failing}. A potential way to correctly save your model is to use `save_model`."
        )


def save(tensors: dict[str, Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """The safetensors bytes of ``tensors`` (see the module docstring for the rules)."""
    return _library("save").save(_arrays(tensors), metadata=metadata)


def save_file(tensors: dict[str, Tensor], filename: str | os.PathLike, metadata: dict[str, str] | None = None) -> None:
    """Write ``tensors`` to ``filename`` in safetensors format."""
    _library("save_file").save_file(_arrays(tensors), filename, metadata=metadata)


def _tensors(arrays: dict[str, np.ndarray]) -> dict[str, Tensor]:
    # each array owns its memory (copied out of the library's buffer): one storage per tensor; in
    # name order (safetensors.torch promises none: its order is a hash map's)
    return {k: Tensor._wrap(np.array(arrays[k], copy=True)) for k in sorted(arrays)}


def load(data: bytes) -> dict[str, Tensor]:
    """Tensors from safetensors bytes (on the CPU)."""
    return _tensors(_library("load").load(data))


def load_file(filename: str | os.PathLike, device: str | int = "cpu") -> dict[str, Tensor]:
    """Tensors from a safetensors file.  ``device`` is ``"cpu"`` (the reference is a CPU implementation:
    a CUDA device is refused with its CPU-only error); like safetensors.torch, any other spelling
    (``"cpu:0"``, a device object, ``"meta"``) is a SafetensorError."""
    if isinstance(device, int) or (isinstance(device, str) and device.startswith("cuda")):
        _check_device(f"cuda:{device}" if isinstance(device, int) else device)
    if device != "cpu" or not isinstance(device, str):
        from safetensors import SafetensorError

        raise SafetensorError(f"device {device!r}: safetensors.torch's load_file takes 'cpu' (or a CUDA index)")
    return _tensors(_library("load_file").load_file(filename))
