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
        record_unary(out, x, "ToCopyBackward0", lambda g: cast(g, src_dtype) if g.dtype is not src_dtype else g)
    return out
