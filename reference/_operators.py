"""Python operators on Tensor, each a thin alias of a reference op."""

from __future__ import annotations

from . import _bitwise as B
from . import _elementwise as E
from . import _inplace as I
from . import _remainder as R
from ._matmul import matmul
from ._tensor import Tensor, tensor_method


def _swap(fn):
    return lambda self, other: fn(other, self)


def _array_operand(fn, reflected: bool = False):
    """A Python operator with an ndarray operand treats it as a tensor of its dtype, as torch's
    operators do (``tensor + ndarray``; the named functions such as ``torch.add`` refuse it), and
    gives NotImplemented for an operand that is not a tensor or a number (``tensor * "a"`` is then
    Python's business, as with torch).  The reflected operators refuse arrays as torch's do, except
    ``ndarray / tensor``, which torch computes as ``tensor.reciprocal() * ndarray``."""
    import numpy as np

    from ._creation import tensor

    def op(self, other):
        if isinstance(other, np.ndarray):
            if reflected:  # torch's reflected operators refuse arrays (``ndarray - tensor`` is a TypeError)
                return NotImplemented
            other = tensor(other)
        elif not isinstance(other, Tensor | bool | int | float | complex | np.number):
            return NotImplemented  # as torch's operators do: Python then tries the other operand's method
        return fn(self, other)

    op.__name__ = op.__qualname__ = getattr(fn, "__name__", "operator")
    op.__doc__ = fn.__doc__
    return op


tensor_method(_array_operand(E.add), name="__add__")
tensor_method(_array_operand(_swap(E.add), reflected=True), name="__radd__")
tensor_method(_array_operand(E.sub), name="__sub__")
tensor_method(_array_operand(E.rsub, reflected=True), name="__rsub__")
tensor_method(_array_operand(E.mul), name="__mul__")
tensor_method(_array_operand(_swap(E.mul), reflected=True), name="__rmul__")
tensor_method(_array_operand(E.div), name="__truediv__")
tensor_method(_array_operand(E.reciprocal_times), name="__rtruediv__")
tensor_method(_array_operand(E.pow), name="__pow__")
tensor_method(_array_operand(_swap(E.pow), reflected=True), name="__rpow__")
tensor_method(E.neg, name="__neg__")
tensor_method(E.abs, name="__abs__")
tensor_method(_array_operand(matmul), name="__matmul__")
tensor_method(_array_operand(_swap(matmul), reflected=True), name="__rmatmul__")
tensor_method(_array_operand(E.comparison_operator(E.eq)), name="__eq__")
tensor_method(_array_operand(E.comparison_operator(E.ne)), name="__ne__")
tensor_method(_array_operand(E.comparison_operator(E.lt)), name="__lt__")
tensor_method(_array_operand(E.comparison_operator(E.le)), name="__le__")
tensor_method(_array_operand(E.comparison_operator(E.gt)), name="__gt__")
tensor_method(_array_operand(E.comparison_operator(E.ge)), name="__ge__")
tensor_method(I.add_, name="__iadd__")
tensor_method(I.sub_, name="__isub__")
tensor_method(I.mul_, name="__imul__")
tensor_method(I.div_, name="__itruediv__")
tensor_method(I.pow_, name="__ipow__")
tensor_method(_array_operand(R.floor_divide), name="__floordiv__")
tensor_method(_array_operand(_swap(R.floor_divide), reflected=True), name="__rfloordiv__")
tensor_method(_array_operand(R.remainder), name="__mod__")
tensor_method(_array_operand(_swap(R.remainder), reflected=True), name="__rmod__")
tensor_method(I.floor_divide_, name="__ifloordiv__")
tensor_method(I.remainder_, name="__imod__")
for _name, _fn, _in_place in (
    ("and", B.bitwise_and, I.bitwise_and_),
    ("or", B.bitwise_or, I.bitwise_or_),
    ("xor", B.bitwise_xor, I.bitwise_xor_),
    ("lshift", B.bitwise_left_shift, I.bitwise_left_shift_),
    ("rshift", B.bitwise_right_shift, I.bitwise_right_shift_),
):
    tensor_method(_array_operand(_fn), name=f"__{_name}__")
    tensor_method(_array_operand(_swap(_fn), reflected=True), name=f"__r{_name}__")
    tensor_method(_in_place, name=f"__i{_name}__")
tensor_method(B.bitwise_not, name="__invert__")
tensor_method(E.positive, name="__pos__")
