"""Dtype conversion as an autograd-aware primitive, below every op module.

The autograd engine casts each gradient to its input's dtype with it, so it imports nothing but the
Tensor, the dtypes and the graph hooks (never an op module).
"""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record_unary
from ._layout import preserving_layout
from ._tensor import Tensor


def cast(x: Tensor, dtype: D.dtype) -> Tensor:
    """A copy of ``x`` converted to ``dtype``; complex -> real keeps the real part (torch warns).

    The copy keeps ``x``'s layout when it is dense, else it is made dense in the same stride
    order (``memory_format=torch.preserve_format``)."""
    src = x._data
    if x.dtype.is_complex and not dtype.is_complex:
        src = src.real
    with np.errstate(invalid="ignore", over="ignore"):
        out = Tensor._wrap(preserving_layout(src.astype(dtype.np), x._data), laid_out=True)
    if dtype.is_floating_point or dtype.is_complex:
        src_dtype = x.dtype
        record_unary(out, x, "ToCopyBackward0", lambda g: _cast_back(g, src_dtype))
    return out


def _cast_back(g: Tensor, src_dtype: D.dtype) -> Tensor:
    """torch's ``_to_copy_backward``: a complex gradient of a real source is read through ``real()`` -- a
    strided view of the gradient's real parts, not a copy -- then converted only where the dtype still
    differs."""
    if g.dtype.is_complex and not src_dtype.is_complex:
        complex_dtype = g.dtype
        g = record_unary(g._view(g._data.real), g, "SelectBackward0", lambda gg: cast(gg, complex_dtype))
    return g if g.dtype is src_dtype else cast(g, src_dtype)
