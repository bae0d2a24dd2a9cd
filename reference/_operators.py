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


def _array_operand(fn, takes_arrays: bool = True):
    """A Python operator with an ndarray operand treats it as a tensor of its dtype, as torch's
    operators do (``tensor + ndarray``; the named functions such as ``torch.add`` refuse it), and
    gives NotImplemented for an operand that is not a tensor or a number (``tensor * "a"`` is then
    Python's business, as with torch).  Where torch's operators refuse arrays (the reflected and
    in-place ones -- ``x += ndarray`` then rebinds ``x`` to ``x + ndarray`` -- and the comparisons
    other than ``==``; Python then answers ``t != a`` with ``True``), so do these; ``ndarray / tensor``
    works, as torch computes it as ``tensor.reciprocal() * ndarray``."""
    import numpy as np

    from ._creation import tensor

    def op(self, other):
        if isinstance(other, np.ndarray):
            if not takes_arrays:  # e.g. ``ndarray - tensor`` and ``tensor < ndarray`` are TypeErrors in torch
                return NotImplemented
            other = tensor(other)
        elif not isinstance(other, Tensor | bool | int | float | complex | np.number):
            return NotImplemented  # as torch's operators do: Python then tries the other operand's method
        return fn(self, other)

    op.__name__ = op.__qualname__ = getattr(fn, "__name__", "operator")
    op.__doc__ = fn.__doc__
    return op


tensor_method(_array_operand(E.add), name="__add__")
tensor_method(_array_operand(_swap(E.add), takes_arrays=False), name="__radd__")
tensor_method(_array_operand(E.sub), name="__sub__")
tensor_method(_array_operand(E.rsub, takes_arrays=False), name="__rsub__")
tensor_method(_array_operand(E.mul), name="__mul__")
tensor_method(_array_operand(_swap(E.mul), takes_arrays=False), name="__rmul__")
tensor_method(_array_operand(E.div), name="__truediv__")
tensor_method(_array_operand(E.reciprocal_times), name="__rtruediv__")
tensor_method(_array_operand(E.pow), name="__pow__")
tensor_method(_array_operand(_swap(E.pow), takes_arrays=False), name="__rpow__")
tensor_method(E.neg, name="__neg__")
tensor_method(E.abs, name="__abs__")
tensor_method(_array_operand(matmul), name="__matmul__")
tensor_method(_array_operand(_swap(matmul), takes_arrays=False), name="__rmatmul__")
tensor_method(_array_operand(E.comparison_operator(E.eq)), name="__eq__")
tensor_method(_array_operand(E.comparison_operator(E.ne), takes_arrays=False), name="__ne__")
tensor_method(_array_operand(E.comparison_operator(E.lt), takes_arrays=False), name="__lt__")
tensor_method(_array_operand(E.comparison_operator(E.le), takes_arrays=False), name="__le__")
tensor_method(_array_operand(E.comparison_operator(E.gt), takes_arrays=False), name="__gt__")
tensor_method(_array_operand(E.comparison_operator(E.ge), takes_arrays=False), name="__ge__")
tensor_method(_array_operand(I.add_, takes_arrays=False), name="__iadd__")
tensor_method(_array_operand(I.sub_, takes_arrays=False), name="__isub__")
tensor_method(_array_operand(I.mul_, takes_arrays=False), name="__imul__")
tensor_method(_array_operand(I.div_, takes_arrays=False), name="__itruediv__")
tensor_method(_array_operand(I.pow_, takes_arrays=False), name="__ipow__")
tensor_method(_array_operand(R.floor_divide), name="__floordiv__")
tensor_method(_array_operand(_swap(R.floor_divide), takes_arrays=False), name="__rfloordiv__")
tensor_method(_array_operand(R.remainder), name="__mod__")
tensor_method(_array_operand(_swap(R.remainder), takes_arrays=False), name="__rmod__")
tensor_method(_array_operand(I.floor_divide_, takes_arrays=False), name="__ifloordiv__")
tensor_method(_array_operand(I.remainder_, takes_arrays=False), name="__imod__")
for _name, _fn, _in_place in (
    ("and", B.bitwise_and, I.bitwise_and_),
    ("or", B.bitwise_or, I.bitwise_or_),
    ("xor", B.bitwise_xor, I.bitwise_xor_),
    ("lshift", B.bitwise_left_shift, I.bitwise_left_shift_),
    ("rshift", B.bitwise_right_shift, I.bitwise_right_shift_),
):
    tensor_method(_array_operand(_fn), name=f"__{_name}__")
    tensor_method(_array_operand(_swap(_fn), takes_arrays=False), name=f"__r{_name}__")
    tensor_method(_array_operand(_in_place, takes_arrays=False), name=f"__i{_name}__")
tensor_method(B.bitwise_not, name="__invert__")
tensor_method(E.positive, name="__pos__")
