"""Bitwise ops on integer and bool tensors: ``&``, ``|``, ``^``, ``~``, ``<<``, ``>>``.

torch's rule: the operands promote as for arithmetic (``int8 & True`` is int8, ``bool & 1`` is
int64); a bool result is the logical and/or/xor/not; a floating or complex result is not
implemented (NotImplementedError ``"bitwise_and_cpu" not implemented for 'Float'``).  Shifts move the
two's-complement bits: ``a << b`` is 0 and ``a >> b`` is the sign fill (0 or -1) where ``b`` is
negative or at least the bit width.  No result is differentiable.
"""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from ._elementwise import _check_operand, _check_tensor, broadcast_shapes
from ._layout import iterator_output
from ._out import with_out
from ._tensor import Tensor, as_array, tensor_method

__all__ = [
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_not",
    "bitwise_left_shift",
    "bitwise_right_shift",
]


def _integral_operands(name: str, input, other) -> tuple[np.ndarray, np.ndarray, D.dtype]:
    _check_operand(input, "input")
    _check_operand(other, "other")
    dt = D.result_type(input, other)
    if isinstance(input, Tensor) and isinstance(other, Tensor):  # torch checks shapes before dtypes
        broadcast_shapes(tuple(input.shape), tuple(other.shape))
    if dt.category > D.dtype.INT:
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dt._torch_name}'")
    return as_array(input, dt), as_array(other, dt), dt


def _bitwise(name: str, np_fn):
    @with_out(name, differentiable=False, overlap="iterator")
    @iterator_output("input", "other")
    def op(input, other) -> Tensor:
        x, y, dt = _integral_operands(name, input, other)
        return Tensor._wrap(np.asarray(np_fn(x, y), dtype=dt.np))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"``{name}``: elementwise on the promoted integer or bool dtype (see the module docstring)."
    return tensor_method(op)


bitwise_and = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor)


@tensor_method
@with_out("bitwise_not", differentiable=False, exact_dtype=True, overlap="iterator")
@iterator_output("input")
def bitwise_not(input: Tensor) -> Tensor:
    """``~input``: the bits flipped (two's complement: ``~x == -x - 1``); logical not for bool."""
    _check_tensor(input, "bitwise_not")
    if input.dtype.category > D.dtype.INT:
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for '{input.dtype._torch_name}'")
    return Tensor._wrap(np.invert(input._data))


def _shift(name: str, left: bool):
    @with_out(name, differentiable=False, overlap="iterator")
    @iterator_output("input", "other")
    def op(input, other) -> Tensor:
        x, y, dt = _integral_operands(name, input, other)
        if dt is D.bool:
            raise NotImplementedError(f"\"{'lshift' if left else 'rshift'}_cpu\" not implemented for 'Bool'")
        x, y = np.broadcast_arrays(x, y)
        bits = 8 * dt.itemsize
        inside = (y >= 0) & (y < bits)
        amount = np.where(inside, y, 0).astype(dt.np)
        with np.errstate(over="ignore"):
            if left:
                out = np.where(inside, np.left_shift(x, amount), 0)
            else:
                fill = np.right_shift(x, np.asarray(bits - 1, dt.np)) if dt.is_signed else np.zeros_like(x)
                out = np.where(inside, np.right_shift(x, amount), fill)
        return Tensor._wrap(np.asarray(out, dtype=dt.np))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (
        f"``input {'<<' if left else '>>'} other`` on integers (see the module docstring for out-of-range shifts)."
    )
    return tensor_method(op)


bitwise_left_shift = _shift("bitwise_left_shift", left=True)
bitwise_right_shift = _shift("bitwise_right_shift", left=False)
