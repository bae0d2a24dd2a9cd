"""clamp / clip (elementwise domain): limit values to ``[min, max]`` with torch's overloads,
promotion, tie, NaN and min > max rules, and its backward's mask conventions."""

from __future__ import annotations

import builtins

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record
from ._elementwise import _check_operand, _tensors, broadcast_shapes, sum_to
from ._layout import iterator_output
from ._out import with_out
from ._selecting import where
from ._tensor import Tensor, as_array, tensor_method

__all__ = ["clamp", "clip", "clamp_min", "clamp_max"]


def _number_bounds(input, min=None, max=None) -> builtins.bool:
    """torch's Number overload of clamp needs an out= of the result's exact dtype; it is chosen when no
    bound is a tensor, or when a number sits beside a (0-d) tensor bound (see :func:`_pick_overload`)."""
    tensors = [isinstance(b, Tensor) for b in (min, max) if b is not None]
    return not all(tensors) or not tensors


def _clamp_operands(input, min=None, max=None) -> list:
    """The tensors clamp's kernel reads: a 0-d tensor bound beside a number bound is read as a number."""
    bounds = [b for b in (min, max) if b is not None]
    mixed = len(bounds) == 2 and isinstance(bounds[0], Tensor) != isinstance(bounds[1], Tensor)
    return [t for t in (input, *([] if mixed else bounds)) if isinstance(t, Tensor)]


@tensor_method
@with_out("clamp", exact_dtype=_number_bounds, overlap="iterator", operands=_clamp_operands)
def clamp(input: Tensor, min=None, max=None) -> Tensor:
    """Limit ``input`` to ``[min, max]``: ``out = min(max(input, min), max)``.

    - ``min`` and ``max`` may each be None (not both), a Python number or a
      tensor; tensor bounds broadcast with ``input`` and the result takes the
      broadcast shape.
    - The result dtype is ``result_type(input, min, max)``: an integer tensor
      clamped with a float bound becomes float32; a 0-d float64 bound leaves a
      float16 input float16.
    - ``min > max`` gives ``max`` everywhere (max is applied last).
    - NaN propagates, from the input or from either bound.
    - At a tie the input's value is kept, so ``clamp(-0.0, min=0.0)`` is -0.0.
    - Complex inputs raise NotImplementedError; bool inputs need a non-bool
      bound to promote to.
    - A scalar bound must fit the result dtype (uint8 accepts -1 as 255 but not 300).
    - The layout is TensorIterator's over the operands of the overload torch picks: a 0-d tensor
      beside a number is read as a number first, so it does not take part (it matters for empty inputs).
    """
    if isinstance(input, Tensor) and min is not None and max is not None:
        min, max = _pick_overload(input, min, max)
    return _clamp_laid_out(input, min, max)


@iterator_output("input", "min", "max", numbers=False)
def _clamp_laid_out(input: Tensor, min=None, max=None) -> Tensor:
    return _clamp(input, min, max, _clamp_node_name)


def _clamp(input: Tensor, min, max, node_name) -> Tensor:
    """:func:`clamp`'s rule, recording the node ``node_name(min, max)`` names (clamp, clamp_min and
    clamp_max are distinct overloads in torch's graph)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"clamp(): argument 'input' must be Tensor, not {type(input).__name__}")
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    for name, b in (("min", min), ("max", max)):
        if b is not None:
            _check_operand(b, name)
    min, max = _pick_overload(input, min, max)
    dt = D.result_type(input, min, max)
    if dt.is_complex or input.dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")
    if dt is D.bool:
        raise NotImplementedError(
            f"\"clamp_{'min' if min is not None else 'max'}_scalar_cpu\" not implemented for 'Bool'"
        )
    x = as_array(input, dt)
    lo = _bound(min, dt, "min")
    hi = _bound(max, dt, "max")
    broadcast_shapes(x.shape, *(np.shape(b) for b in (lo, hi) if b is not None))
    if not isinstance(min, Tensor) and not isinstance(max, Tensor):
        arr = _clamp_scalar_bounds(x, lo, hi)
    else:
        with np.errstate(invalid="ignore"):
            r = x if lo is None else np.where((x < lo) | _isnan(lo), lo, x)
            r = r if hi is None else np.where((r > hi) | _isnan(hi), hi, r)
        shape = np.broadcast_shapes(x.shape, *(np.shape(b) for b in (lo, hi) if b is not None))
        arr = np.array(np.broadcast_to(r, shape), dtype=dt.np, order="K")
    out = Tensor._wrap(arr)
    vjp = _clamp_vjp(input, min, max, out)
    return record(out, (input, min, max), node_name(min, max), vjp, saved=_tensors(input, min, max))


def _clamp_scalar_bounds(x: np.ndarray, lo, hi) -> np.ndarray:
    """The same rule for Python-number bounds, fast.  ``clip(x, lo, hi)``, that is
    ``minimum(maximum(x, lo), hi)``, agrees
    with torch bit for bit unless a bound is a (signed) zero: a tie with a non-zero bound joins
    equal bits, but NumPy returns the *bound* on a tie, so -0.0 vs 0.0 would flip.  With a zero
    bound, the bound replaces an element only where it is strictly beyond it (ties keep x)."""
    if all(b is None or b != 0 for b in (lo, hi)):  # NaN != 0, and clip propagates NaN
        # np.clip is documented as minimum(maximum(x, lo), hi) (max applied last), in one pass
        return np.clip(x, lo, hi)
    r = x.copy(order="K")
    with np.errstate(invalid="ignore"):
        for bound, beyond in ((lo, np.less), (hi, np.greater)):
            if bound is None:
                continue
            if bound.dtype.kind in "fc" and np.isnan(bound):
                r[...] = bound  # a NaN bound makes everything NaN
            else:
                np.copyto(r, bound, where=beyond(r, bound))
    return r


def _pick_overload(input: Tensor, min, max):
    """torch has two overloads, clamp(Tensor, Tensor?, Tensor?) and clamp(Tensor, Number?, Number?).

    A Python number next to a tensor bound selects the Number overload, which
    accepts a *0-d* tensor as a number (so it then promotes like a Python
    scalar); any other tensor there is a TypeError.
    """
    if isinstance(min, Tensor) == isinstance(max, Tensor) or min is None or max is None:
        return min, max
    t = min if isinstance(min, Tensor) else max
    if t.ndim != 0 or t.requires_grad:  # torch reads a tensor as a Number only if 0-d and not requiring grad
        raise TypeError(
            "clamp() received an invalid combination of arguments - got (Tensor, "
            f"{_argtype(min)}, {_argtype(max)}), but expected one of:\n"
            " * (Tensor input, Tensor min = None, Tensor max = None)\n"
            " * (Tensor input, Number min = None, Number max = None)"
        )
    return (min.item() if min is t else min), (max.item() if max is t else max)


def _argtype(v) -> str:
    return "Tensor" if isinstance(v, Tensor) else type(v).__name__


def _bound(b, dt: D.dtype, name: str):
    if b is None:
        return None
    if isinstance(b, Tensor):
        return as_array(b, dt)
    return np.asarray(D.check_scalar_fits(b, dt, "value"), dtype=dt.np) if not _wraps(b, dt) else _wrapped(b, dt)


def _wraps(b, dt: D.dtype) -> builtins.bool:
    return dt.category == D.dtype.INT and not dt.is_signed and isinstance(b, builtins.int) and b < 0


def _wrapped(b, dt: D.dtype):
    D.check_scalar_fits(b, dt, "value")
    return np.asarray(b % (np.iinfo(dt.np).max + 1), dtype=dt.np)


def _isnan(b):
    return np.isnan(b) if b.dtype.kind in "fc" else False


def _clamp_node_name(min, max) -> str:
    return "ClampBackward0" if isinstance(min, Tensor) or isinstance(max, Tensor) else "ClampBackward1"


def _clamp_vjp(input, min, max, out):
    """torch's clamp backward.

    The input gets the gradient where ``min <= x <= max`` (inclusive, so ties
    go to the input); a tensor ``min`` where ``x < min`` and ``min < max``; a
    tensor ``max`` where ``x > max`` or ``max < min`` (so when min > max, max
    takes it all).  NaN compares false everywhere: a NaN input passes nothing.
    """
    x = input._data
    wants = [isinstance(t, Tensor) and t.requires_grad for t in (input, min, max)]

    dt = out.dtype

    def vjp(g):
        if isinstance(min, Tensor) and isinstance(max, Tensor):
            _clamp_backward_shape_check(input, min, max, wants)
        # compared in the result dtype, as torch does (a denormal float bound becomes -0.0 in half)
        lo = None if min is None else _bound(min, dt, "min")
        hi = None if max is None else _bound(max, dt, "max")
        with np.errstate(invalid="ignore"):
            to_x = np.ones(out.shape, dtype=builtins.bool)
            if lo is not None:
                to_x = to_x & (x >= lo)
            if hi is not None:
                to_x = to_x & (x <= hi)
            to_lo = (x < lo) & (lo < hi) if lo is not None and hi is not None else (x < lo if lo is not None else None)
            to_hi = (x > hi) | (hi < lo) if lo is not None and hi is not None else (x > hi if hi is not None else None)

        def part(mask, like):
            return sum_to(where(Tensor._wrap(np.asarray(mask)), g, 0), tuple(like.shape))

        gx = part(to_x, input) if wants[0] else None
        gmin = part(to_lo, min) if wants[1] else None
        gmax = part(to_hi, max) if wants[2] else None
        return gx, gmin, gmax

    return vjp


def _clamp_backward_shape_check(input: Tensor, min: Tensor, max: Tensor, wants) -> None:
    """torch's clamp backward with two tensor bounds combines masks *in place*
    (``(x >= min).logical_and_(x <= max)`` and similar), so it raises when the
    second mask's broadcast shape is larger than the first's."""
    x, lo, hi = (tuple(t.shape) for t in (input, min, max))
    pairs = [
        (broadcast_shapes(x, lo), broadcast_shapes(x, hi)),  # the input's gradient
        (broadcast_shapes(x, lo), broadcast_shapes(lo, hi)),  # min's
        (broadcast_shapes(x, hi), broadcast_shapes(hi, lo)),  # max's
    ]
    for want, (first, second) in zip(wants, pairs, strict=True):
        if want and broadcast_shapes(first, second) != first:
            raise RuntimeError(
                f"output with shape {list(first)} doesn't match the broadcast shape {list(broadcast_shapes(first, second))}"
            )


@tensor_method
@iterator_output("input", "min", numbers=False)
def clamp_min(input: Tensor, min) -> Tensor:
    """``clamp(input, min=min)``, recorded as ClampMinBackward0 (number) or ClampMinBackward1 (tensor)."""
    return _clamp(input, min, None, lambda lo, _: f"ClampMinBackward{int(isinstance(lo, Tensor))}")


@tensor_method
@iterator_output("input", "max", numbers=False)
def clamp_max(input: Tensor, max) -> Tensor:
    """``clamp(input, max=max)``, recorded as ClampMaxBackward0 (number) or ClampMaxBackward1 (tensor)."""
    return _clamp(input, None, max, lambda _, hi: f"ClampMaxBackward{int(isinstance(hi, Tensor))}")


@with_out("clip", exact_dtype=_number_bounds, overlap="iterator", operands=_clamp_operands)
def clip(input: Tensor, min=None, max=None) -> Tensor:
    """Alias of :func:`clamp`."""
    return clamp(input, min, max)


tensor_method(clip, name="clip")
