"""The in-place updates the optimizers apply, with the roundings of torch's CPU kernels.

torch's optimizers on the CPU run one tensor at a time (``foreach`` and ``fused`` default to off
there), through ``lerp_``, ``addcmul_`` and ``addcdiv_``.  Their kernels compute in the tensor's
dtype; where the kernel is built with FMA (the AVX2/AVX512 kernels: GCC contracts ``a * b + c``)
a product and the following sum are rounded once:

- ``lerp_(end, w)``: ``self + w * (end - self)`` for ``|w| < 0.5``, else ``end + (w - 1) * (end - self)``;
- ``addcmul_(t1, t2, value)``: ``self + (value * t1) * t2``;
- ``addcdiv_(t1, t2, value)``: ``self + (value * t1) / t2`` (a quotient: nothing to fuse);
- ``maximum`` and ``sqrt``: IEEE's, one rounding, NaN propagating (torch's CPU ``sqrt`` is MKL's and not
  correctly rounded: Adam's updates can differ by a few ulp, listed in the known differences).

Each helper writes into ``self`` as an in-place op does (its version counter moves) and is used
under ``no_grad`` by the optimizers only.
"""

from __future__ import annotations

import numpy as np

from .._generator import _fused
from .._random_math import fma32, fma64
from .._tensor import Tensor


def _multiply_add(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``a * b + c`` in the arrays' dtype, rounded once where torch's kernel fuses it."""
    dt = c.dtype
    if _fused("optimizer update") and dt in (np.float32, np.float64):
        fma = fma32 if dt == np.float32 else fma64
        a, b, c = np.broadcast_arrays(a.astype(dt), b.astype(dt), c)
        return np.asarray(fma(a, b, c), dtype=dt).reshape(c.shape)
    return (a * b + c).astype(dt)


def _write(self: Tensor, values: np.ndarray) -> Tensor:
    self.copy_(Tensor._wrap(np.asarray(values, dtype=self._data.dtype)))
    return self


def lerp_(self: Tensor, end: Tensor, weight: float) -> Tensor:
    """torch's ``self.lerp_(end, weight)``: ``self + w * (end - self)`` for ``|w| < 0.5``, else
    ``end + (w - 1) * (end - self)``, the product and sum fused where torch's kernel fuses them."""
    x, e = self._data, end._data
    w = x.dtype.type(weight)
    with np.errstate(over="ignore", invalid="ignore"):
        diff = (e - x).astype(x.dtype)
        if abs(w) < 0.5:
            return _write(self, _multiply_add(np.asarray(w), diff, x))
        return _write(self, _multiply_add(np.asarray(w - x.dtype.type(1)), diff, e))


def addcmul_(self: Tensor, t1: Tensor, t2: Tensor, value: float) -> Tensor:
    """torch's ``self.addcmul_(t1, t2, value=value)``: ``self + (value * t1) * t2``, the last product and
    the sum fused where torch's kernel fuses them."""
    x = self._data
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = (x.dtype.type(value) * t1._data).astype(x.dtype)
        return _write(self, _multiply_add(scaled, t2._data, x))


def addcdiv_(self: Tensor, t1: Tensor, t2: Tensor, value: float) -> Tensor:
    """torch's ``self.addcdiv_(t1, t2, value=value)``: ``self + (value * t1) / t2``, each step rounded."""
    x = self._data
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _write(self, x + (x.dtype.type(value) * t1._data).astype(x.dtype) / t2._data)


def maximum_(self: Tensor, other: Tensor) -> Tensor:
    """``torch.maximum(self, other, out=self)``: the larger of each pair, NaN where either is NaN."""
    return _write(self, np.maximum(self._data, other._data))


def sqrt(x: Tensor) -> Tensor:
    """``x.sqrt()``: correctly rounded in ``x``'s dtype (IEEE), NaN below 0."""
    with np.errstate(invalid="ignore"):
        return Tensor._wrap(np.sqrt(x._data))
