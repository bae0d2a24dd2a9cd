"""A generated call: positional and keyword arguments with NumPy arrays standing for tensors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Case:
    """Arguments for one call.  ``ndarray`` values become tensors of each backend.

    ``expect`` (invalid cases only) is a word the reference's error message
    must contain, so errors name the offending argument.  ``form`` is the call form the
    op's registry entry runs (function, method, operator, ...); ``kind`` is what kind of
    input the strategy built where that matters beyond the arrays themselves (an SVD
    input's promised spectrum: ``well-separated``, ``rank-deficient``, ...; ``value`` for an
    invalid case whose defect is in the values, like an index out of range, which a target
    without data cannot see).
    """

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    expect: str | None = None
    form: str | None = None
    kind: str | None = None

    def arrays(self) -> list[np.ndarray]:
        out: list[np.ndarray] = []

        def walk(v):
            if isinstance(v, np.ndarray):
                out.append(v)
            elif isinstance(v, list | tuple):
                for x in v:
                    walk(x)

        walk(self.args)
        walk(tuple(self.kwargs.values()))
        return out
