"""Elementwise ops: casts, arithmetic with torch's promotion, comparisons, exp, sigmoid, clamp.

Every binary op computes in ``result_type(a, b)`` and broadcasts NumPy-style
(right-aligned, size-1 dims stretch).  Gradients of broadcast inputs are summed
back to the input's shape (:func:`sum_to`).
"""

from __future__ import annotations

import builtins
import numbers

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record, record_unary
from ._casting import cast
from ._tensor import Tensor, as_array, tensor_method

__all__ = [
    "add",
    "sub",
    "mul",
    "div",
    "true_divide",
    "pow",
    "neg",
    "exp",
    "sigmoid",
    "clamp",
    "clip",
    "clamp_min",
    "clamp_max",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "isnan",
    "isfinite",
    "abs",
    "log",
    "real",
    "imag",
    "where",
    "result_type",
    "promote_types",
]

result_type = D.result_type
promote_types = D.promote_types


def _is_scalar(x) -> bool:
    return isinstance(x, numbers.Number | np.generic) and not isinstance(x, Tensor)


def _check_operand(x, name: str) -> None:
    if not isinstance(x, Tensor) and not _is_scalar(x):
        raise TypeError(f"{name} must be a Tensor or a Python number, not {type(x).__name__}")


def sum_to(g: Tensor, shape: tuple) -> Tensor:
    """Sum a broadcast gradient back to ``shape`` (the adjoint of broadcasting)."""
    shape = tuple(shape)
    if g._data.shape == shape:
        return g
    from ._reduction import sum as tsum
    from ._shape import reshape

    lead = g.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and g.shape[i + lead] != 1)
    out = tsum(g, dim=dims, keepdim=True) if dims else g
    return reshape(out, shape)


def broadcast_shapes(*shapes) -> tuple[int, ...]:
    """NumPy's broadcasting rule, with torch's RuntimeError and message on a mismatch."""
    out: list[int] = []
    for shape in shapes:
        shape = tuple(shape)
        if len(shape) > len(out):
            out = [1] * (len(shape) - len(out)) + out
        for i, s in enumerate(shape):
            j = len(out) - len(shape) + i
            if out[j] == 1:
                out[j] = s
            elif s != 1 and s != out[j]:
                raise RuntimeError(
                    f"The size of tensor a ({out[j]}) must match the size of tensor b ({s}) at non-singleton "
                    f"dimension {i}"
                )
    return tuple(out)


def _binary_arrays(a, b, dtype: D.dtype):
    return as_array(a, dtype), as_array(b, dtype)


def _wrap_result(arr, dtype: D.dtype) -> Tensor:
    return Tensor._wrap(np.asarray(arr, dtype=dtype.np))


def _binary(a, b, np_fn, dtype: D.dtype | None = None, out_dtype: D.dtype | None = None) -> Tensor:
    _check_operand(a, "input")
    _check_operand(b, "other")
    dt = dtype or D.result_type(a, b)
    x, y = _binary_arrays(a, b, dt)
    if x.shape != y.shape and x.ndim and y.ndim:  # anything broadcasts with a 0-d operand
        broadcast_shapes(x.shape, y.shape)
    with np.errstate(all="ignore"):
        res = np_fn(x, y)
    return _wrap_result(res, out_dtype or dt)


def _shape_of(x):
    return x._data.shape if isinstance(x, Tensor) else ()


@tensor_method
def add(input, other, *, alpha=1) -> Tensor:
    """``input + alpha * other`` with type promotion."""
    if alpha != 1:
        other = mul(other, alpha)
    out = _binary(input, other, _plus_alpha_times(np.add))
    sa, sb = _shape_of(input), _shape_of(other)
    na, nb = _requires(input), _requires(other)
    return record(
        out, (input, other), "AddBackward0", lambda g: (sum_to(g, sa) if na else None, sum_to(g, sb) if nb else None)
    )


def _plus_alpha_times(np_fn):
    """torch computes ``a + alpha * b`` even for alpha == 1; for complex operands that
    multiplication is visible: ``0 + (0+inf j)`` gives ``nan+inf j`` (0 * inf in the real part)."""

    def fn(x, y):
        if x.dtype.kind == "c":
            y = y * np.ones((), dtype=x.dtype)
        return np_fn(x, y)

    return fn


@tensor_method
def sub(input, other, *, alpha=1) -> Tensor:
    """``input - alpha * other``; torch refuses bool subtraction."""
    _check_operand(input, "input")
    _check_operand(other, "other")
    if _dtype_of(input) is D.bool and _dtype_of(other) is D.bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
            "operator instead."
        )
    if D.bool in (_dtype_of(input), _dtype_of(other)):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, "
            "use the `~` or `logical_not()` operator instead."
        )
    if alpha != 1:
        other = mul(other, alpha)
    out = _binary(input, other, _plus_alpha_times(np.subtract))
    sa, sb = _shape_of(input), _shape_of(other)
    na, nb = _requires(input), _requires(other)
    return record(
        out,
        (input, other),
        "SubBackward0",
        lambda g: (sum_to(g, sa) if na else None, sum_to(neg(g), sb) if nb else None),
    )


def _dtype_of(x):
    return x.dtype if isinstance(x, Tensor) else D.scalar_dtype(x)


@tensor_method
def mul(input, other) -> Tensor:
    """Elementwise product with type promotion."""
    out = _binary(input, other, np.multiply)
    sa, sb = _shape_of(input), _shape_of(other)
    na, nb = _requires(input), _requires(other)  # a gradient no input receives is not computed

    def vjp(g):
        return (sum_to(mul(g, _conj(other)), sa) if na else None, sum_to(mul(g, _conj(input)), sb) if nb else None)

    # torch saves only what the requested gradients need: other for input's, input for other's
    return record(out, (input, other), "MulBackward0", vjp, saved=_saved_for(input, other))


def _conj(x):
    """conj(x) for backward formulas: a differentiable op for complex tensors, ``x`` itself otherwise."""
    if isinstance(x, Tensor) and x.dtype.is_complex:
        return _conj_tensor(x)
    if isinstance(x, complex | np.complexfloating):
        return x.conjugate()
    return x


def _tensors(*xs):
    return tuple(x for x in xs if isinstance(x, Tensor))


def _requires(x) -> bool:
    return isinstance(x, Tensor) and x._requires_grad


def _saved_for(a, b) -> tuple:
    """Tensors a product-like op saves: b when a needs a gradient, a when b does."""
    saved = []
    if _requires(a) and isinstance(b, Tensor):
        saved.append(b)
    if _requires(b) and isinstance(a, Tensor):
        saved.append(a)
    return tuple(saved)


@tensor_method
def div(input, other, *, rounding_mode=None) -> Tensor:
    """True division: integer inputs give the default float dtype."""
    _check_operand(input, "input")
    _check_operand(other, "other")
    if rounding_mode is not None:
        if rounding_mode not in ("trunc", "floor"):
            raise ValueError(
                f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
            )
        dt = D.result_type(input, other)
        fn = np.floor_divide if rounding_mode == "floor" else (lambda x, y: np.trunc(x / y))
        if dt.category <= D.dtype.INT and np.any(as_array(other) == 0):
            raise RuntimeError("ZeroDivisionError")
        return _binary(input, other, fn, dt)
    dt = D.result_type(input, other)
    if dt.category <= D.dtype.INT:
        dt = D.get_default_dtype()
    out = _binary(input, other, np.true_divide, dt)
    sa, sb = _shape_of(input), _shape_of(other)
    na, nb = _requires(input), _requires(other)

    def vjp(g):
        ga = sum_to(div(g, _conj(other)), sa) if na else None
        # from the inputs, not the output (torch saves self and other): an in-place write to the
        # output after the division must not change this gradient
        gb = sum_to(neg(mul(g, _conj(div(div(input, other), other)))), sb) if nb else None
        return ga, gb

    saved = ((other,) if _requires(input) and isinstance(other, Tensor) else ()) + (
        _tensors(input, other) if _requires(other) else ()
    )
    return record(out, (input, other), "DivBackward0", vjp, saved=saved)


true_divide = div


@tensor_method
def pow(input, exponent) -> Tensor:
    """``input ** exponent``; integer tensors refuse negative integer exponents."""
    _check_operand(input, "input")
    _check_operand(exponent, "exponent")
    dt = D.result_type(input, exponent)
    if dt is D.bool:
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    if dt.category == D.dtype.INT and np.any(as_array(exponent) < 0):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    out = _binary(input, exponent, np.power, dt)
    sa, sb = _shape_of(input), _shape_of(exponent)

    def vjp(g):
        ga = None
        if isinstance(input, Tensor) and input.requires_grad:
            # d/dx x**p = p * x**(p-1), with torch's convention that it is 0 where p == 0
            if isinstance(exponent, Tensor):
                # torch evaluates ``exponent - 1`` in the exponent's own dtype: a bool exponent raises here
                d = where(eq(exponent, 0), 0, mul(exponent, pow(input, sub(exponent, 1))))
                ga = sum_to(mul(g, _conj(d)), sa)
            elif exponent == 0 and not isinstance(exponent, bool):
                # torch returns plain zeros (no graph) for a zero number exponent (a bool False is not one)
                ga = Tensor._wrap(np.zeros(sa, dtype=g._data.dtype))
            else:
                ga = mul(g, _conj(mul(exponent, pow(input, exponent - 1))))
        gb = None
        if isinstance(exponent, Tensor) and exponent.requires_grad:
            # d/dp x**p = x**p * log(x), evaluated in promote(result, exponent) dtype (a float64 exponent of
            # a complex64 power gets a complex128-accurate gradient); 0 where x == 0 and p >= 0
            wdt = D.promote_types(dt, exponent.dtype)
            base = cast(input, wdt) if isinstance(input, Tensor) and input.dtype is not wdt else input
            base = base if isinstance(base, Tensor) else tensor_of(input, wdt)
            d = mul(out if out.dtype is wdt else cast(out, wdt), log(base))
            d = where(eq(base, 0) & ge(exponent, 0), 0, d)
            gb = sum_to(mul(g, _conj(d)), sb)
        return ga, gb

    if isinstance(exponent, Tensor) and isinstance(input, Tensor):
        name = "PowBackward1"
    elif isinstance(exponent, Tensor):
        name = "PowBackward2"
    else:
        name = "PowBackward0"
    # torch's exponent gradient reads the result too, so it is saved (an in-place write to it breaks backward)
    saved = _tensors(input, exponent) + ((out,) if _requires(exponent) else ())
    return record(out, (input, exponent), name, vjp, saved=saved)


def tensor_of(value, dtype: D.dtype) -> Tensor:
    """A 0-d (or shaped) tensor holding ``value`` in ``dtype``, outside the graph (a helper for backward formulas)."""
    return Tensor._wrap(np.asarray(value, dtype=dtype.np))


def log(input: Tensor) -> Tensor:
    """Natural logarithm, elementwise: integer and bool inputs compute in the default float dtype; ``log(0)`` is ``-inf``, a negative real input gives NaN (no error)."""
    dt = input.dtype if input.dtype.category >= D.dtype.FLOAT else D.get_default_dtype()
    with np.errstate(all="ignore"):
        out = Tensor._wrap(np.log(as_array(input, dt)))
    return record_unary(out, input, "LogBackward0", lambda g: div(g, _conj(input)), saved=(input,))


tensor_method(log)


@tensor_method
def neg(input: Tensor) -> Tensor:
    """``-input``; torch refuses to negate a bool tensor."""
    if input.dtype is D.bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
            "use the `~` or `logical_not()` operator instead."
        )
    out = Tensor._wrap(np.negative(input._data))
    return record_unary(out, input, "NegBackward0", neg)


@tensor_method
def abs(input: Tensor) -> Tensor:
    """``|input|`` elementwise in the input's dtype; a complex input gives its modulus in the matching real dtype; ``abs(-0.0)`` is 0.0; the integer minimum wraps to itself."""
    out = Tensor._wrap(np.abs(input._data))
    return record_unary(
        out, input, "AbsBackward0", lambda g: mul(g, Tensor._wrap(np.sign(input._data))), saved=(input,)
    )


def _check_tensor(input, fname: str) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{fname}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")


def _float_input(input: Tensor, fname: str) -> np.ndarray:
    """Unary float functions compute integer and bool inputs in the default float dtype."""
    _check_tensor(input, fname)
    dt = input.dtype if input.dtype.category >= D.dtype.FLOAT else D.get_default_dtype()
    return as_array(input, dt)


@tensor_method
def exp(input: Tensor) -> Tensor:
    """``e ** input``; integer inputs give the default float dtype."""
    with np.errstate(over="ignore"):
        out = Tensor._wrap(np.exp(_float_input(input, "exp")))
    return record_unary(out, input, "ExpBackward0", lambda g: mul(g, _conj(out)), saved=(out,))


@tensor_method
def sigmoid(input: Tensor) -> Tensor:
    """``1 / (1 + exp(-input))``; integer inputs give the default float dtype."""
    x = _float_input(input, "sigmoid")
    cx = x.astype(np.float32) if x.dtype == np.float16 else x  # half is computed in float and rounded once
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        # exp(-x) overflowing to inf for very negative x gives 1 / inf = 0, the right limit
        res = 1 / (1 + np.exp(-cx))
    out = Tensor._wrap(res.astype(x.dtype, copy=False))

    def vjp(g):
        return mul(g, _conj(mul(out, sub(1, out))))

    return record_unary(out, input, "SigmoidBackward0", vjp, saved=(out,))


# -- comparisons -------------------------------------------------------------------


def _compare(np_fn):
    def op(input, other) -> Tensor:
        _check_operand(input, "input")
        _check_operand(other, "other")
        dt = D.result_type(input, other)
        return _binary(input, other, np_fn, dt, out_dtype=D.bool)

    return op


def comparison_operator(fn):
    """``x == "a"`` is False in torch (Python's fallback), not an error: defer to NotImplemented."""

    def dunder(self, other):
        if not isinstance(other, Tensor) and not _is_scalar(other):
            return NotImplemented
        return fn(self, other)

    return dunder


eq = tensor_method(_compare(np.equal), name="eq")
ne = tensor_method(_compare(np.not_equal), name="ne")
lt = tensor_method(_compare(np.less), name="lt")
le = tensor_method(_compare(np.less_equal), name="le")
gt = tensor_method(_compare(np.greater), name="gt")
ge = tensor_method(_compare(np.greater_equal), name="ge")


@tensor_method
def isnan(input: Tensor) -> Tensor:
    """A bool tensor, True where ``input`` is NaN (for complex: where either part is); always False for integers."""
    return Tensor._wrap(np.isnan(input._data))


@tensor_method
def isfinite(input: Tensor) -> Tensor:
    """A bool tensor, True where ``input`` is neither NaN nor +-inf (complex: both parts finite); always True for integers."""
    return Tensor._wrap(np.isfinite(input._data))


def logical_and(input: Tensor, other: Tensor) -> Tensor:
    """A bool tensor, ``bool(input) and bool(other)`` elementwise with broadcasting (non-zero counts as True; NaN is True)."""
    return Tensor._wrap(np.logical_and(as_array(input), as_array(other)))


tensor_method(logical_and, name="__and__")


def where(condition: Tensor, input, other) -> Tensor:
    """``input`` where ``condition`` holds, else ``other`` (broadcast, promoted)."""
    if condition.dtype is not D.bool:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.dtype.name}"
        )
    dt = D.result_type(input, other)
    out = Tensor._wrap(np.where(condition._data, as_array(input, dt), as_array(other, dt)))
    sa, sb = _shape_of(input), _shape_of(other)
    na, nb = _requires(input), _requires(other)

    def vjp(g):
        ga = sum_to(where(condition, g, 0), sa) if na else None
        gb = sum_to(where(condition, 0, g), sb) if nb else None
        return ga, gb

    return record(out, (input, other), "WhereBackward0", vjp)


# -- clamp ---------------------------------------------------------------------------


@tensor_method
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
    """
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
    return record(out, (input, min, max), _clamp_node_name(min, max), vjp, saved=_tensors(input, min, max))


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
def clamp_min(input: Tensor, min) -> Tensor:
    """``clamp(input, min=min)``."""
    return clamp(input, min=min)


@tensor_method
def clamp_max(input: Tensor, max) -> Tensor:
    """``clamp(input, max=max)``."""
    return clamp(input, max=max)


def clip(input: Tensor, min=None, max=None) -> Tensor:
    """Alias of :func:`clamp`."""
    return clamp(input, min, max)


tensor_method(clip, name="clip")


def _conj_tensor(x: Tensor) -> Tensor:
    """Complex conjugate as a new tensor (identity for real tensors, which are returned as is)."""
    if not x.dtype.is_complex:
        return x
    out = Tensor._wrap(np.conj(x._data))
    return record_unary(out, x, "ConjBackward0", _conj_tensor)


def real(input: Tensor) -> Tensor:
    """The real part; for a real tensor, the tensor itself."""
    if not input.dtype.is_complex:
        return input
    out = Tensor._wrap(input._data.real.copy())
    cdt = input.dtype
    return record_unary(out, input, "RealBackward0", lambda g: cast(g, cdt))


def imag(input: Tensor) -> Tensor:
    """The imaginary part (complex tensors only, as in torch)."""
    if not input.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    out = Tensor._wrap(input._data.imag.copy())
    cdt = input.dtype
    return record_unary(out, input, "ImagBackward0", lambda g: mul(cast(g, cdt), -1j))


tensor_method(property(real), name="real")
tensor_method(property(imag), name="imag")
