"""Embedding: a lookup table of rows, ``F.embedding`` and ``nn.Embedding``."""

from __future__ import annotations

import numpy as np

from .. import _creation as C
from .. import _dtype as D
from .._autograd_hooks import record
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from .modules import Module, Parameter

__all__ = ["embedding", "Embedding"]


def _padding_index(padding_idx, num_embeddings: int) -> int:
    """torch's normalisation of ``padding_idx``: within ``[-num, num)`` (AssertionError otherwise), a
    negative one counted from the end, None as -1 (no padding row)."""
    if padding_idx is None:
        return -1
    if padding_idx > 0:
        if not padding_idx < num_embeddings:
            raise AssertionError("Padding_idx must be within num_embeddings")
    elif padding_idx < 0:
        if not padding_idx >= -num_embeddings:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx = num_embeddings + padding_idx
    return padding_idx


def _renorm_(weight: Tensor, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """torch's ``embedding_renorm_``: each row looked up whose ``norm_type``-norm exceeds ``max_norm`` is
    scaled in place by ``max_norm / (norm + 1e-7)`` (under no_grad)."""
    rows = weight._data
    new = rows.copy()
    for i in np.unique(indices):
        row = rows[i]
        # the norm in the table's dtype (torch's row.norm(p)), the scale in double, applied in the dtype
        if norm_type == 2:
            norm = float(np.sqrt(np.sum(row * row, dtype=row.dtype)))
        else:
            norm = float(
                np.sum(np.abs(row) ** row.dtype.type(norm_type), dtype=row.dtype) ** row.dtype.type(1 / norm_type)
            )
        if norm > max_norm:
            new[i] = row * rows.dtype.type(max_norm / (norm + 1e-7))
    with no_grad():
        weight.copy_(Tensor._wrap(new))


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Rows of ``weight`` (num_embeddings, dim) picked by the integer ``input`` (any shape): the result
    is ``input.shape + (dim,)``, contiguous.  torch's rules: indices int64 or int32 (RuntimeError),
    within ``[0, num_embeddings)`` (IndexError "index out of range in self"); with ``max_norm`` the rows
    looked up are first renormalised in place; the gradient (EmbeddingBackward0) adds each output row's
    cotangent into its row of ``weight``, none into the ``padding_idx`` row, divided by how often the
    index occurs when ``scale_grad_by_freq``.  ``sparse=True`` (sparse gradients) is not modelled."""
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        raise TypeError("embedding(): argument 'indices' (position 2) must be Tensor")
    if sparse:
        raise NotImplementedError("embedding(sparse=True): sparse gradients are not modelled")
    padding = _padding_index(padding_idx, weight.shape[0])
    if input.dtype not in (D.int64, D.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but "
            f"got {input.type()} instead (while checking arguments for embedding)"
        )
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    idx = input._data.astype(np.int64)
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_(weight, idx, max_norm, norm_type)
    out = Tensor._wrap(np.ascontiguousarray(weight._data[idx.reshape(-1)]).reshape(idx.shape + (weight.shape[1],)))
    num = weight.shape[0]

    def vjp(g):
        from .._placing import index_add

        rows = g.reshape(-1, weight.shape[1])
        flat = idx.reshape(-1)
        scale = np.ones(flat.shape, dtype=np.float64)
        if scale_grad_by_freq:
            counts = np.bincount(flat, minlength=num)
            scale = 1.0 / counts[flat]
        if padding >= 0:
            scale = np.where(flat == padding, 0.0, scale)
        if not np.all(scale == 1):
            rows = rows * Tensor._wrap(scale.astype(g._data.dtype).reshape(-1, 1))
        return (index_add(C.zeros(tuple(weight.shape), dtype=g.dtype), 0, Tensor._wrap(flat), rows),)

    return record(out, (weight,), "EmbeddingBackward0", vjp, saved=(weight,))


class Embedding(Module):
    """A ``(num_embeddings, embedding_dim)`` table, initialised ``normal_(0, 1)`` from the default
    generator (torch's values after ``manual_seed``) with the ``padding_idx`` row zeroed."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Tensor | None = None,
        _freeze: bool = False,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        if padding_idx is not None:
            padding_idx = _padding_index(padding_idx, num_embeddings)
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        if _weight is None:
            self.weight = Parameter(C.empty((num_embeddings, embedding_dim), dtype=dtype), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        from . import init

        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:
        return embedding(
            input, self.weight, self.padding_idx, self.max_norm, self.norm_type, self.scale_grad_by_freq, self.sparse
        )

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += ", scale_grad_by_freq=True"
        if self.sparse is not False:
            s += ", sparse=True"
        return s


Embedding._torch_module = "torch.nn.modules.sparse"
