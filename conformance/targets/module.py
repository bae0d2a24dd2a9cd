"""``module:DOTTED.NAME``: a torch-like Python library, called through its own namespace.

The library follows torch's API (``lib.add(x, y)``, ``x.add(y)``, ``lib.float32``...).  Tensors are
built with ``lib.from_numpy`` and ``as_strided`` (so layouts match) and read back with
``t.detach().numpy()``.  A library whose conversions differ defines ``conformance_adapter`` at module
level: an object whose ``from_array(arr)``, ``to_numpy(t)``, ``strides(t)``, ``storage_offset(t)``, ``shares_memory(a, b)``,
``is_tensor(x)`` or ``dtype_name(t)`` replace the defaults (each one optional).
"""

from __future__ import annotations

import importlib

import numpy as np

from .base import ReferenceSide, Target, memory_block
from .torch_side import TargetUnavailable

_HOOKS = ("from_array", "to_numpy", "strides", "storage_offset", "shares_memory", "is_tensor", "dtype_name")


class ModuleTarget(Target):
    """A torch-like library; ``module:reference`` is the reference itself, compared with torch."""

    def __init__(self, dotted: str):
        try:
            self.module = importlib.import_module(dotted)
        except ImportError as e:
            raise TargetUnavailable(f"cannot import module {dotted!r} for --target module:{dotted}: {e}") from None
        if not hasattr(self.module, "Tensor"):
            raise TargetUnavailable(f"module {dotted!r} has no Tensor class: it does not follow torch's API")
        self.spec = f"module:{dotted}"
        adapter = getattr(self.module, "conformance_adapter", None)
        self._hooks = {name: getattr(adapter, name) for name in _HOOKS if hasattr(adapter, name)}

    @property
    def ns(self):
        return self.module

    def _hook(self, name, *args):
        return self._hooks[name](*args)

    def from_array(self, arr: np.ndarray):
        if "from_array" in self._hooks:
            return self._hook("from_array", arr)
        block, shape, strides = memory_block(arr)
        return self.module.from_numpy(block).as_strided(shape, strides)

    def to_numpy(self, t) -> np.ndarray:
        if "to_numpy" in self._hooks:
            return self._hook("to_numpy", t)
        t = t.detach()
        return np.array((t.resolve_conj() if hasattr(t, "resolve_conj") else t).numpy())

    def strides(self, t) -> tuple[int, ...]:
        return self._hook("strides", t) if "strides" in self._hooks else tuple(t.stride())

    def storage_offset(self, t) -> int:
        return self._hook("storage_offset", t) if "storage_offset" in self._hooks else int(t.storage_offset())

    def is_tensor(self, x) -> bool:
        return self._hook("is_tensor", x) if "is_tensor" in self._hooks else isinstance(x, self.module.Tensor)

    def dtype_name(self, t) -> str:
        return self._hook("dtype_name", t) if "dtype_name" in self._hooks else super().dtype_name(t)

    def shares_memory(self, a, b) -> bool:
        if "shares_memory" in self._hooks:
            return self._hook("shares_memory", a, b)
        if a.numel() == 0 or b.numel() == 0:
            return False
        return bool(np.may_share_memory(a.detach().numpy(), b.detach().numpy()))


class ReferenceModuleTarget(ReferenceSide):
    """``module:reference``: the reference as the implementation under test, torch's eager CPU
    kernels as the expected side (today's comparison the other way round)."""

    spec = "module:reference"
