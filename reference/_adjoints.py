"""Linear maps that backward formulas need, each recorded with its own adjoint.

Because these are ops of the reference (with VJPs), gradients built from them
carry a graph under ``create_graph=True``, which gives higher-order derivatives.
"""

from __future__ import annotations

import numpy as np

from ._autograd_hooks import record_unary
from ._tensor import Tensor


def scatter_add_into_zeros(shape: tuple, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """Zeros of ``shape`` with ``src`` added at ``index`` along ``dim`` (duplicates accumulate).

    The adjoint of :func:`gather`; its own adjoint is gather again.
    """
    from ._indexing import gather

    z = np.zeros(shape or (1,), dtype=src._data.dtype)
    idx = index._data.reshape(index._data.shape or (1,)).astype(np.intp)
    grids = list(np.indices(idx.shape, sparse=True))
    grids[dim] = idx
    np.add.at(z, tuple(grids), src._data.reshape(idx.shape))
    out = Tensor._wrap(z.reshape(shape))
    return record_unary(out, src, "ScatterAddBackward0", lambda g: gather(g, dim, index))


def index_add_into_zeros(shape: tuple, key, src: Tensor) -> Tensor:
    """Zeros of ``shape`` with ``src`` added at ``key`` (the adjoint of ``x[key]``)."""
    z = np.zeros(shape, dtype=src._data.dtype)
    np.add.at(z, key, src._data)
    out = Tensor._wrap(z)

    def vjp(g):
        from ._indexing import _take

        return _take(g, key)

    return record_unary(out, src, "IndexPutBackward0", vjp)


def zero_at(g: Tensor, key) -> Tensor:
    """``g`` with the positions ``key`` set to zero (self-adjoint)."""
    arr = g._data.copy()
    arr[key] = 0
    return record_unary(Tensor._wrap(arr), g, "IndexPutBackward0", lambda h: zero_at(h, key))


def diagonal_embed(shape: tuple, offset: int, dim1: int, dim2: int, src: Tensor) -> Tensor:
    """Zeros of ``shape`` with ``src`` written on the (dim1, dim2) diagonal: the adjoint of ``diagonal``."""
    from ._shape import diagonal

    z = Tensor._wrap(np.zeros(shape, dtype=src._data.dtype))
    diagonal(z, offset, dim1, dim2)._data[...] = src._data
    return record_unary(z, src, "DiagonalBackwardBackward0", lambda g: diagonal(g, offset, dim1, dim2))
