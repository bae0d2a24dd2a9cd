"""Telling an argument left out from one passed with its default value.

torch chooses among an op's overloads by *which* arguments a call passes, and the overload shows in
the graph: ``torch.sum(x)`` records ``SumBackward0`` but ``torch.sum(x, None)`` records
``SumBackward1`` (the ``dim`` overload, which also accepts ``keepdim``); ``torch.div(a, b)`` records
``DivBackward0`` but ``torch.div(a, b, rounding_mode=None)`` records ``DivBackward2``.  Reference
functions whose behaviour depends on this take :data:`NOT_GIVEN` as the default.
"""

from __future__ import annotations

__all__: list[str] = []


class _NotGiven:
    def __repr__(self) -> str:
        return "<not given>"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


#: the default of a parameter whose mere presence selects a different torch overload
NOT_GIVEN = _NotGiven()
