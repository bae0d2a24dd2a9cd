"""Python operators on Tensor, each a thin alias of a reference op."""

from __future__ import annotations

from . import _elementwise as E
from . import _inplace as I
from ._matmul import matmul
from ._tensor import Tensor


def _swap(fn):
    return lambda self, other: fn(other, self)


Tensor.__add__ = E.add
Tensor.__radd__ = _swap(E.add)
Tensor.__sub__ = E.sub
Tensor.__rsub__ = _swap(E.sub)
Tensor.__mul__ = E.mul
Tensor.__rmul__ = _swap(E.mul)
Tensor.__truediv__ = E.div
Tensor.__rtruediv__ = _swap(E.div)
Tensor.__pow__ = E.pow
Tensor.__rpow__ = _swap(E.pow)
Tensor.__neg__ = E.neg
Tensor.__abs__ = E.abs
Tensor.__matmul__ = matmul
Tensor.__rmatmul__ = _swap(matmul)
Tensor.__eq__ = E.comparison_operator(E.eq)
Tensor.__ne__ = E.comparison_operator(E.ne)
Tensor.__lt__ = E.comparison_operator(E.lt)
Tensor.__le__ = E.comparison_operator(E.le)
Tensor.__gt__ = E.comparison_operator(E.gt)
Tensor.__ge__ = E.comparison_operator(E.ge)
Tensor.__iadd__ = I.add_
Tensor.__isub__ = I.sub_
Tensor.__imul__ = I.mul_
Tensor.__itruediv__ = I.div_
