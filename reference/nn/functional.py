"""``torch.nn.functional``: the stateless functions the modules call."""

from __future__ import annotations

from .._tensor import Tensor

__all__ = ["linear"]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``: ``weight`` is ``(out_features, in_features)``, ``input`` is
    ``(*, in_features)`` and the result ``(*, out_features)``; ``bias`` (``(out_features,)``) broadcasts."""
    out = input @ weight.t()
    return out + bias if bias is not None else out
