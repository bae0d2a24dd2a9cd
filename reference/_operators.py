"""Python operators on Tensor, each a thin alias of a reference op."""

from __future__ import annotations

from . import _elementwise as E
from . import _inplace as I
from ._matmul import matmul
from ._tensor import tensor_method


def _swap(fn):
    return lambda self, other: fn(other, self)


tensor_method(E.add, name="__add__")
tensor_method(_swap(E.add), name="__radd__")
tensor_method(E.sub, name="__sub__")
tensor_method(_swap(E.sub), name="__rsub__")
tensor_method(E.mul, name="__mul__")
tensor_method(_swap(E.mul), name="__rmul__")
tensor_method(E.div, name="__truediv__")
tensor_method(_swap(E.div), name="__rtruediv__")
tensor_method(E.pow, name="__pow__")
tensor_method(_swap(E.pow), name="__rpow__")
tensor_method(E.neg, name="__neg__")
tensor_method(E.abs, name="__abs__")
tensor_method(matmul, name="__matmul__")
tensor_method(_swap(matmul), name="__rmatmul__")
tensor_method(E.comparison_operator(E.eq), name="__eq__")
tensor_method(E.comparison_operator(E.ne), name="__ne__")
tensor_method(E.comparison_operator(E.lt), name="__lt__")
tensor_method(E.comparison_operator(E.le), name="__le__")
tensor_method(E.comparison_operator(E.gt), name="__gt__")
tensor_method(E.comparison_operator(E.ge), name="__ge__")
tensor_method(I.add_, name="__iadd__")
tensor_method(I.sub_, name="__isub__")
tensor_method(I.mul_, name="__imul__")
tensor_method(I.div_, name="__itruediv__")
tensor_method(I.pow_, name="__ipow__")
