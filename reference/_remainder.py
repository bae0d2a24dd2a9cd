"""Floor division and the Python-style remainder: ``//`` and ``%``.

torch's rule: ``floor_divide(a, b)`` is ``div(a, b, rounding_mode="floor")`` (the quotient rounded
down, in the promoted dtype); its derivative is not implemented (grad_fn
``torch::autograd::NotImplemented``, backward raises).  ``remainder(a, b)`` takes the sign of ``b``:
``fmod(a, b)``, plus ``b`` where that is non-zero with the other sign (so ``-3 % inf == inf`` and
``-0.0 % 2 == -0.0``); for integers a zero divisor raises RuntimeError("ZeroDivisionError"), for
floats it gives NaN.  Its gradient is ``grad`` for ``a`` and ``-grad * floor(a / b)`` for ``b``
(``RemainderBackward1``; ``RemainderBackward0`` for a number ``b``; a number ``a`` is not
differentiable).  Floats compute in torch's opmath type from operands rounded to the result dtype.
"""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record, record_not_implemented
from ._elementwise import (
    _check_operand,
    _requires,
    _rounded_division,
    _shape_of,
    div,
    division_dtype,
    integer_division_operands,
    mul,
    sum_to,
)
from ._layout import iterator_output
from ._out import with_out
from ._tensor import Tensor, as_array, tensor_method

__all__ = ["floor_divide", "remainder"]


def _not_implemented(out: Tensor, inputs: tuple, name: str) -> Tensor:
    return record_not_implemented(out, inputs, name)


@tensor_method
@with_out("floor_divide", overlap="iterator")
@iterator_output("input", "other")
def floor_divide(input, other) -> Tensor:
    """``input // other``: :func:`div` with ``rounding_mode="floor"``; not differentiable (see the module docstring)."""
    _check_operand(input, "input")
    _check_operand(other, "other")
    return _not_implemented(_rounded_division(input, other, "floor"), (input, other), "floor_divide")


@tensor_method
@with_out("remainder", overlap="iterator")
@iterator_output("input", "other")
def remainder(input, other) -> Tensor:
    """``input % other`` with the sign of ``other`` (see the module docstring)."""
    _check_operand(input, "input")
    _check_operand(other, "other")
    dt = division_dtype(input, other, "remainder")
    if dt.category <= D.dtype.INT:
        x, y = integer_division_operands(input, other, dt)
        out = Tensor._wrap(np.asarray(np.remainder(x, y), dtype=dt.np))
    else:
        opmath = np.float32 if dt.itemsize < 4 else dt.np
        # unlike rounded division, a number divisor is rounded to the result dtype first
        x, y = as_array(input, dt).astype(opmath), as_array(other, dt).astype(opmath)
        with np.errstate(all="ignore"):
            mod = np.fmod(x, y)
            mod = np.where((mod != 0) & ((y < 0) != (mod < 0)), mod + y, mod)
        out = Tensor._wrap(np.asarray(np.broadcast_arrays(mod, x, y)[0], dtype=dt.np))
    if not isinstance(input, Tensor):
        return _not_implemented(out, (input, other), "remainder")
    sa, sb = _shape_of(input), _shape_of(other)
    na, nb = _requires(input), _requires(other)

    def vjp(g):
        gb = sum_to(mul(g, -1) * div(input, other, rounding_mode="floor"), sb) if nb else None
        return (sum_to(g, sa) if na else None), gb

    name = "RemainderBackward1" if isinstance(other, Tensor) else "RemainderBackward0"
    return record(out, (input, other), name, vjp, saved=(input, other) if nb else ())
