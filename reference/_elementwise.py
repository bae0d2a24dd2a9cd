"""Elementwise ops: arithmetic with torch's promotion, comparisons, exp, sigmoid, log, abs, where
(clamp, the other elementwise op, is in ``_clamp.py``; dtype conversion is in ``_casting.py``).

Every binary op computes in ``result_type(a, b)`` and broadcasts NumPy-style
(right-aligned, size-1 dims stretch).  Gradients of broadcast inputs are summed
back to the input's shape (:func:`sum_to`).
"""

from __future__ import annotations

import numbers

import numpy as np

from . import _dtype as D
from ._arguments import NOT_GIVEN
from ._autograd_hooks import record, record_unary
from ._casting import cast
from ._layout import iterator_output, lay_out
from ._out import with_out
from ._tensor import Tensor, as_array, tensor_method
from .autograd import engine as _engine

__all__ = [
    "add",
    "sub",
    "mul",
    "div",
    "true_divide",
    "pow",
    "neg",
    "positive",
    "logical_and",
    "exp",
    "sigmoid",
    "tanh",
    "relu",
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
    check_int64(x)


def check_int64(x) -> None:
    """torch reads a Python int argument as int64: one beyond that range is OverflowError, before any
    other check."""
    if type(x) is int and not -(2**63) <= x < 2**63:
        raise OverflowError("int too big to convert")


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


_engine.sum_to = sum_to  # the engine sums a gradient of a broadcast shape back, as torch's validate_outputs


def broadcast_shapes(*shapes) -> tuple[int, ...]:
    """NumPy's broadcasting rule, with torch's RuntimeError on a mismatch (``infer_size``: shapes fold
    left to right; dims compared from the last, and the message names the first mismatch found
    there, as a dim of the broadcast result)."""
    out: tuple[int, ...] = ()
    for shape in shapes:
        a, b = out, tuple(shape)
        n = max(len(a), len(b))
        result = [1] * n
        for i in range(n - 1, -1, -1):
            offset = n - 1 - i
            size_a = a[len(a) - 1 - offset] if len(a) - 1 - offset >= 0 else 1
            size_b = b[len(b) - 1 - offset] if len(b) - 1 - offset >= 0 else 1
            if size_a != size_b and size_a != 1 and size_b != 1:
                raise RuntimeError(
                    f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) at non-singleton "
                    f"dimension {i}"
                )
            result[i] = size_b if size_a == 1 else size_a
        out = tuple(result)
    return out


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
@with_out("add", overlap="iterator")
@iterator_output("input", "other")
def add(input, other, *, alpha=1) -> Tensor:
    """``input + alpha * other`` with type promotion.

    ``alpha`` takes no part in promotion (the result dtype comes from ``input`` and ``other``), but it
    must fit that dtype: no floating ``alpha`` for an integral result, no bool ``alpha`` for a
    non-bool one, no complex ``alpha`` for a real one (RuntimeError).  torch computes
    ``input + alpha * other`` in its "opmath" type (float32 for float16 and bfloat16, the dtype itself
    otherwise), rounding the product and then the sum; its vectorised float loop may fuse the two
    into one rounding (known_differences).  The gradient for ``other`` is ``alpha * grad``.
    """
    return _plus_scaled(input, other, alpha, np.add, "AddBackward0")


def _check_alpha(alpha, dt: D.dtype, fname: str = "add") -> None:
    """torch's ``alpha_check`` plus the conversion of the number to the result dtype (no overflow)."""
    if not isinstance(alpha, numbers.Number):
        raise TypeError(f"{fname}(): argument 'alpha' must be Number, not {type(alpha).__name__}")
    if isinstance(alpha, bool) and dt is not D.bool:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(alpha, complex) and not dt.is_complex:
        raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex number.")
    if isinstance(alpha, float) and not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    D.check_scalar_fits(alpha, dt)


def _fused_multiply_add() -> bool:
    """Whether torch's CPU kernels round ``a + alpha * b`` once: its AVX2 and AVX512 kernels are built
    with FMA (``vec::fmadd``, and GCC contracts the scalar tail), measured bit for bit; the generic
    kernel rounds the product first.  Elsewhere (a CPU whose kernel set is unknown) the reference
    rounds twice, within the "fused" tolerance of either."""
    from ._generator import cpu_capability

    return cpu_capability() in ("AVX2", "AVX512")


def _fma(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``a * b + c`` rounded once, in float32 or float64."""
    from ._random_math import fma32, fma64

    out = (fma32 if c.dtype == np.float32 else fma64)(a, b, c)
    return np.asarray(out, dtype=c.dtype).reshape(c.shape)


def _plus_scaled(input, other, alpha, np_fn, node: str) -> Tensor:
    """``np_fn(input, alpha * other)`` in the promoted dtype of ``input`` and ``other``: on the CPUs
    where torch's kernel fuses it (AVX2, AVX512) the product and the sum are rounded once -- torch's
    value bit for bit for a tensor ``other``; for a number ``other`` torch's auto-vectorised remainder
    loop (the last ``n mod 16`` floats) rounds some products first, within the "fused" tolerance.

    torch computes ``a + alpha * b`` even for alpha == 1; for complex operands that multiplication is
    visible: ``0 + (0+inf j)`` gives ``nan+inf j`` (0 * inf in the real part)."""
    _check_operand(input, "input")
    _check_operand(other, "other")
    dt = D.result_type(input, other)
    _check_alpha(alpha, dt, node[:3].lower())

    def fn(x, y):
        if x.dtype.kind in "fc":
            opmath = np.float32 if x.dtype.itemsize < 4 and x.dtype.kind == "f" else x.dtype
            x, y = x.astype(opmath), y.astype(opmath)
            if x.dtype.kind == "f" and alpha != 1 and _fused_multiply_add():
                scale = np.asarray(alpha if np_fn is np.add else -alpha, dtype=opmath)
                return _fma(*np.broadcast_arrays(scale, y, x))
            return np_fn(x, y * np.asarray(alpha, dtype=opmath) if (alpha != 1 or x.dtype.kind == "c") else y)
        if x.dtype.kind == "b":  # bool + alpha * bool: True where either term is
            return np.logical_or(x, y & (alpha != 0))
        if alpha == 1:
            return np_fn(x, y)
        return np_fn(x, y * np.asarray(alpha).astype(x.dtype))  # integer arithmetic wraps as in torch

    out = _binary(input, other, fn, dt)
    sa, sb = _shape_of(input), _shape_of(other)
    na, nb = _requires(input), _requires(other)
    sign = -1 if np_fn is np.subtract else 1

    def vjp(g):
        gb = None
        if nb:
            scale = sign * (alpha.conjugate() if isinstance(alpha, complex) else alpha)
            gb = sum_to(g if scale == 1 else mul(g, scale), sb)
        return (sum_to(g, sa) if na else None), gb

    return record(out, (input, other), node, vjp)


@tensor_method
@with_out("sub", overlap="iterator")
@iterator_output("input", "other")
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
    return _plus_scaled(input, other, alpha, np.subtract, "SubBackward0")


def rsub(input, other, *, alpha=1) -> Tensor:
    """``other - alpha * input``: what ``number - tensor`` runs (``Tensor.__rsub__``), recorded as
    RsubBackward1 (number ``other``) or RsubBackward0 (tensor ``other``); bool operands refused as
    in :func:`sub`."""
    _check_operand(input, "input")
    _check_operand(other, "other")
    if D.bool in (_dtype_of(input), _dtype_of(other)):
        return sub(other, input, alpha=alpha)  # raises sub's bool error
    return _plus_scaled(other, input, alpha, np.subtract, f"RsubBackward{0 if isinstance(other, Tensor) else 1}")


def reciprocal_times(input: Tensor, other) -> Tensor:
    """``other / input`` as ``Tensor.__rtruediv__`` computes it: ``input.reciprocal() * other`` (two
    roundings, and the graph MulBackward0 over ReciprocalBackward0); integer inputs give the
    default float dtype."""
    dt = input.dtype if input.dtype.is_floating_point or input.dtype.is_complex else D.get_default_dtype()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r = Tensor._wrap(np.reciprocal(as_array(input, dt)))
    r = record_unary(r, input, "ReciprocalBackward0", lambda g: mul(neg(g), _conj(mul(r, r))), saved=(r,))
    return mul(r, other)


def _dtype_of(x):
    return x.dtype if isinstance(x, Tensor) else D.scalar_dtype(x)


@tensor_method
@with_out("mul", overlap="iterator")
@iterator_output("input", "other")
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
    return isinstance(x, Tensor) and x.requires_grad


def _saved_for(a, b) -> tuple:
    """Tensors a product-like op saves: b when a needs a gradient, a when b does.  A Python number
    operand is saved too, as the 0-d tensor torch wraps it in: so the node frees saved tensors
    after a backward pass, and a second pass through it raises as in torch."""
    saved = []
    if _requires(a) and b is not None:
        saved.append(b if isinstance(b, Tensor) else Tensor._wrap(np.asarray(b)))
    if _requires(b) and a is not None:
        saved.append(a if isinstance(a, Tensor) else Tensor._wrap(np.asarray(a)))
    return tuple(saved)


def division_dtype(input, other, kernel: str) -> D.dtype:
    """The promoted dtype of a rounded division or remainder, after torch's checks: shapes broadcast
    (RuntimeError), and the kernel exists for neither bool nor complex (NotImplementedError)."""
    dt = D.result_type(input, other)
    broadcast_shapes(_shape_of(input), _shape_of(other))  # shapes first, as TensorIterator checks them
    if dt is D.bool or dt.is_complex:
        raise NotImplementedError(f"\"{kernel}_cpu\" not implemented for '{dt._torch_name}'")
    return dt


def integer_division_operands(input, other, dt: D.dtype) -> tuple[np.ndarray, np.ndarray]:
    """Broadcast integer operands; a zero divisor among the computed elements raises as torch does
    (an empty result never raises)."""
    x, y = np.broadcast_arrays(as_array(input, dt), as_array(other, dt))
    if np.any(y == 0):
        raise RuntimeError("ZeroDivisionError")
    return x, y


def _rounded_division(input, other, mode: str) -> Tensor:
    """torch's ``div_trunc``/``div_floor`` kernels, in the promoted dtype (no true-division float).

    Integers: exact, and a zero divisor raises RuntimeError("ZeroDivisionError").  Floats: computed in
    torch's opmath type (float32 for float16), where a number or 0-d tensor divisor keeps its own value
    instead of being rounded to float16 first; floor uses Python's rule through ``fmod`` (``a - fmod(a, b)``
    divided by ``b``, one less where the remainder's sign differs from ``b``'s, rounded to the nearest
    integer), and ``x / 0`` is inf or NaN.  Bool and complex operands are not implemented in torch.
    """
    dt = division_dtype(input, other, f"div_{mode}")
    if dt.category <= D.dtype.INT:
        x, y = integer_division_operands(input, other, dt)
        q = np.floor_divide(x, y)
        if mode == "trunc":  # round towards zero: one more where the exact quotient was negative
            q = q + ((np.remainder(x, y) != 0) & ((x < 0) != (y < 0))).astype(q.dtype)
        return _wrap_result(q, dt)
    opmath = np.float32 if dt.itemsize < 4 else dt.np
    x = as_array(input, dt).astype(opmath)
    y_scalar = not isinstance(other, Tensor) or other.ndim == 0
    y = (as_array(other) if y_scalar else as_array(other, dt)).astype(opmath)
    with np.errstate(all="ignore"):
        if mode == "trunc":
            q = np.trunc(x / y)
        else:
            mod = np.fmod(x, y)
            div = (x - mod) / y
            div = np.where((mod != 0) & ((y < 0) != (mod < 0)), div - 1, div)
            floor = np.floor(div)
            floor = np.where(div - floor > 0.5, floor + 1, floor)
            q = np.where(div != 0, floor, np.copysign(np.zeros_like(div), x / y))
            q = np.where(y == 0, x / y, q)
    return _wrap_result(np.broadcast_arrays(q, x, y)[0], dt)


@tensor_method
@with_out("div", overlap="iterator")
@iterator_output("input", "other")
def div(input, other, *, rounding_mode=NOT_GIVEN) -> Tensor:
    """True division: integer inputs give the default float dtype.

    ``rounding_mode="trunc"``/``"floor"`` rounds the quotient and keeps the promoted dtype; its
    gradient is zero.  Passing ``rounding_mode`` at all (``None`` included) selects torch's
    ``div.Tensor_mode`` overload, recorded as ``DivBackward2`` instead of ``DivBackward0``.
    """
    _check_operand(input, "input")
    _check_operand(other, "other")
    node = "DivBackward0" if rounding_mode is NOT_GIVEN else "DivBackward2"
    if rounding_mode is not NOT_GIVEN and rounding_mode is not None:
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(
                f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'"
            )
        out = _rounded_division(input, other, rounding_mode)
        sa, sb = _shape_of(input), _shape_of(other)
        na, nb = _requires(input), _requires(other)

        def zero_vjp(g):  # a rounded quotient is piecewise constant: torch's gradient is zero everywhere
            def zeros(shape):
                return Tensor._wrap(np.zeros(shape, dtype=g._data.dtype))

            return (zeros(sa) if na else None), (zeros(sb) if nb else None)

        # torch saves ``other`` (a later in-place write to it is an error at backward time)
        return record(out, (input, other), node, zero_vjp, saved=_tensors(other))
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
    return record(out, (input, other), node, vjp, saved=saved)


true_divide = div


def _complex_power_overflow(out: Tensor, input, exponent, dt: D.dtype) -> Tensor:
    """Where a complex power is not finite, torch's value is ``exp(y * log(x))`` computed in the dtype
    (an overflow gives ``inf-0j`` where NumPy's power gives ``inf+nanj``)."""
    x = np.broadcast_to(np.asarray(as_array(input), dtype=dt.np), out.shape)
    y = np.broadcast_to(np.asarray(as_array(exponent), dtype=dt.np), out.shape)
    bad = ~np.isfinite(out._data) & np.isfinite(x) & np.isfinite(y)  # overflows only
    if not bad.any():
        return out
    with np.errstate(all="ignore"):
        fixed = np.exp(y[bad] * np.log(x[bad])).astype(dt.np)
    data = np.array(out._data)
    data[bad] = fixed
    return Tensor._wrap(lay_out(data, out.stride()), laid_out=True)


def _check_underflowing_exponent(input, exponent, dt: D.dtype) -> None:
    """A nonzero Python exponent that rounds to 0 in a floating result dtype (``x ** 1e-50`` in float32):
    torch's vectorised loop raises to the rounded 0 (``0 ** 0 == 1``) and its scalar loop to the double
    (``0 ** 1e-50 == 0``), so a zero, infinite or NaN base gets 1 or not by its position.  Refused
    there (NotImplementedError, known_differences); every other base gives 1 either way."""
    if not isinstance(input, Tensor) or isinstance(exponent, Tensor) or dt.category != D.dtype.FLOAT:
        return
    opmath = np.float32 if dt is D.float16 else dt.np.type  # float16 computes in float
    if isinstance(exponent, bool) or exponent == 0 or opmath(exponent) != 0:
        return
    base = input._data
    if base.size and not np.all(np.isfinite(base) & (base != 0)):
        raise NotImplementedError(
            f"pow with the exponent {exponent!r}, 0 in {dt.name}, and a zero or non-finite base is not modelled "
            "(torch's vectorised and scalar loops disagree)"
        )


@tensor_method
@with_out("pow", overlap="iterator")
@iterator_output("input", "exponent", numbers=False)
def pow(input, exponent) -> Tensor:
    """``input ** exponent`` with type promotion.

    Integers: a negative *number* exponent is refused (RuntimeError), but a negative element of an
    exponent *tensor* is computed as integer division would have it: ``1 ** -n == 1``,
    ``(-1) ** -n == +-1`` by parity, and 0 for every other base (0 included)."""
    _check_operand(input, "input")
    _check_operand(exponent, "exponent")
    dt = D.result_type(input, exponent)
    if dt is D.bool:
        raise NotImplementedError("\"pow\" not implemented for 'Bool'")
    integral = dt.category == D.dtype.INT
    if integral and not isinstance(exponent, Tensor) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if dt.is_complex:
        base = as_array(input)
        if base.size and not np.all(np.isfinite(base) & (base != 0)):
            raise NotImplementedError(
                "complex pow with a zero or non-finite base is not modelled by the reference (torch computes "
                "exp(exponent * log(base)), NaN at 0; see known_differences)"
            )
    _check_underflowing_exponent(input, exponent, dt)
    out = _binary(input, exponent, _integer_power if integral else np.power, dt)
    if dt.is_complex and not np.all(np.isfinite(out._data)):
        out = _complex_power_overflow(out, input, exponent, dt)
    sa, sb = _shape_of(input), _shape_of(exponent)

    def vjp(g):
        ga = None
        if isinstance(input, Tensor) and input.requires_grad:
            # d/dx x**p = p * x**(p-1), with torch's convention that it is 0 where p == 0
            if isinstance(exponent, Tensor):
                # torch evaluates ``exponent - 1`` in the exponent's own dtype: a bool exponent raises here
                from ._selecting import where

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
            # torch's condition: a zero base and a real, non-negative exponent (imag == 0 for complex ones)
            if exponent.dtype.is_complex:
                real_nonneg = eq(imag(exponent), 0) & ge(real(exponent), 0)
            else:
                real_nonneg = ge(exponent, 0)
            from ._selecting import where

            d = where(eq(base, 0) & real_nonneg, 0, d)
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


def _integer_power(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Integer ``x ** y`` (wrapping on overflow) where ``y`` may hold negatives (see :func:`pow`)."""
    negative = y < 0
    if not np.any(negative):
        return np.power(x, y)
    whole = np.power(x, np.where(negative, 0, y))
    odd = (y % 2) != 0
    inverse = np.where(x == 1, 1, np.where(x == -1, np.where(odd, -1, 1), 0)).astype(whole.dtype)
    return np.where(negative, inverse, whole)


def tensor_of(value, dtype: D.dtype) -> Tensor:
    """A 0-d (or shaped) tensor holding ``value`` in ``dtype``, outside the graph (a helper for backward formulas)."""
    return Tensor._wrap(np.asarray(value, dtype=dtype.np))


def scaled_gradient(g, scale, depends_on, name: str):
    """``g * scale`` (``scale`` a constant array: a mask, a slope) as a backward formula that reads
    ``depends_on`` (the forward's input or result) the way torch's does (``threshold_backward``,
    ``leaky_relu_backward``, ``nll_loss_backward``): the gradient then requires grad whenever
    ``depends_on`` does, and its own derivative is ``scale`` for ``g`` and zero for ``depends_on``."""
    out = mul(g.detach(), tensor_of(np.asarray(scale), g.dtype))

    def vjp(gg):
        return mul(gg, tensor_of(np.asarray(scale), gg.dtype)), Tensor._wrap(np.zeros_like(depends_on._data))

    return record(out, (g, depends_on), name, vjp)


def log(input: Tensor) -> Tensor:
    """Natural logarithm, elementwise: integer and bool inputs compute in the default float dtype; ``log(0)`` is ``-inf``, a negative real input gives NaN (no error)."""
    dt = input.dtype if input.dtype.category >= D.dtype.FLOAT else D.get_default_dtype()
    with np.errstate(all="ignore"):
        out = Tensor._wrap(np.log(as_array(input, dt)))
    return record_unary(out, input, "LogBackward0", lambda g: div(g, _conj(input)), saved=(input,))


tensor_method(log)


@tensor_method
@iterator_output("input", "other")
def positive(input: Tensor) -> Tensor:
    """``+input``: the tensor itself (the same object); torch refuses it for a bool tensor."""
    _check_tensor(input, "positive")
    if input.dtype is D.bool:
        raise RuntimeError(
            "The `+` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` "
            "or `logical_not()` operator instead."
        )
    return input


@tensor_method
@iterator_output("input", "other")
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
@iterator_output("input", "other")
def abs(input: Tensor) -> Tensor:
    """``|input|`` elementwise in the input's dtype; a complex input gives its modulus in the matching real dtype; ``abs(-0.0)`` is 0.0; the integer minimum wraps to itself."""
    out = Tensor._wrap(np.abs(input._data))

    def vjp(g):  # g * sgn(x); for a real x its own derivative is 0 (torch: a ZeroTensor), not none
        if input.dtype.is_complex:
            return mul(g, Tensor._wrap(np.sign(input._data)))
        return scaled_gradient(g, np.sign(input._data), input, "MulBackward0")

    return record_unary(out, input, "AbsBackward0", vjp, saved=(input,))


def _check_tensor(input, fname: str) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{fname}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")


def _float_input(input: Tensor, fname: str) -> np.ndarray:
    """Unary float functions compute integer and bool inputs in the default float dtype."""
    _check_tensor(input, fname)
    dt = input.dtype if input.dtype.category >= D.dtype.FLOAT else D.get_default_dtype()
    return as_array(input, dt)


@tensor_method
@with_out("exp", overlap="iterator")
@iterator_output("input")
def exp(input: Tensor) -> Tensor:
    """``e ** input``; integer inputs give the default float dtype."""
    with np.errstate(over="ignore", invalid="ignore"):  # inf and NaN results, silently, as torch
        out = Tensor._wrap(np.exp(_float_input(input, "exp")))
    return record_unary(out, input, "ExpBackward0", lambda g: mul(g, _conj(out)), saved=(out,))


@tensor_method
@with_out("sigmoid", overlap="iterator")
@iterator_output("input")
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


@tensor_method
@with_out("tanh", overlap="iterator")
@iterator_output("input")
def tanh(input: Tensor) -> Tensor:
    """The hyperbolic tangent; integer inputs give the default float dtype, half is computed in float
    and rounded once.  The gradient is ``g * (1 - tanh(x)**2)``, from the saved result."""
    x = _float_input(input, "tanh")
    cx = x.astype(np.float32) if x.dtype == np.float16 else x
    out = Tensor._wrap(np.tanh(cx).astype(x.dtype, copy=False))

    def vjp(g):
        return mul(g, _conj(sub(1, mul(out, out))))

    return record_unary(out, input, "TanhBackward0", vjp, saved=(out,))


@tensor_method
@iterator_output("input")
def relu(input: Tensor) -> Tensor:
    """``max(x, 0)`` in the input's dtype (integers included): a negative element becomes 0, while 0,
    -0.0 and NaN stay as they are (torch's ``clamp_min(x, 0)``, no NaN check).  bool is RuntimeError
    "Boolean inputs not supported for relu"; complex has no order (NotImplementedError).  The gradient
    is ``g`` except where the result is <= 0 (0 at x = 0; NaN passes ``g``)."""
    _check_tensor(input, "relu")
    if input.dtype is D.bool:
        raise RuntimeError("Boolean inputs not supported for relu")
    if input.dtype.is_complex:
        raise NotImplementedError("clamp is not supported for complex types")
    x = input._data
    out = Tensor._wrap(np.where(x < 0, np.zeros((), x.dtype), x))

    def vjp(g):  # threshold_backward(g, result, 0): NaN passes the gradient
        return scaled_gradient(g, ~(out._data <= 0), out, "ThresholdBackwardBackward0")

    return record_unary(out, input, "ReluBackward0", vjp, saved=(out,))


# -- comparisons -------------------------------------------------------------------


def _compare(np_fn, name: str):
    ordering = name in ("lt", "le", "gt", "ge")

    @with_out(name, differentiable=False, overlap="iterator")
    @iterator_output("input", "other", common_dtype=D.result_type)
    def op(input, other) -> Tensor:
        _check_operand(input, "input")
        _check_operand(other, "other")
        dt = D.result_type(input, other)
        if ordering and dt.is_complex:  # complex numbers have no order
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dt._torch_name}'")
        return _binary(input, other, np_fn, dt, out_dtype=D.bool)

    return op


def comparison_operator(fn):
    """``x == "a"`` is False in torch (Python's fallback), not an error: defer to NotImplemented."""

    def dunder(self, other):
        if not isinstance(other, Tensor) and not _is_scalar(other):
            return NotImplemented
        return fn(self, other)

    return dunder


eq = tensor_method(_compare(np.equal, "eq"), name="eq")
ne = tensor_method(_compare(np.not_equal, "ne"), name="ne")
lt = tensor_method(_compare(np.less, "lt"), name="lt")
le = tensor_method(_compare(np.less_equal, "le"), name="le")
gt = tensor_method(_compare(np.greater, "gt"), name="gt")
ge = tensor_method(_compare(np.greater_equal, "ge"), name="ge")


@tensor_method
@iterator_output("input", "other")
def isnan(input: Tensor) -> Tensor:
    """A bool tensor, True where ``input`` is NaN (for complex: where either part is); always False for integers."""
    return Tensor._wrap(np.isnan(input._data))


@tensor_method
@iterator_output("input", "other")
def isfinite(input: Tensor) -> Tensor:
    """A bool tensor, True where ``input`` is neither NaN nor +-inf (complex: both parts finite); always True for integers."""
    return Tensor._wrap(np.isfinite(input._data))


@tensor_method
@iterator_output("input", "other")
def logical_and(input: Tensor, other: Tensor) -> Tensor:
    """A bool tensor, ``bool(input) and bool(other)`` elementwise with broadcasting (non-zero counts as True; NaN is True)."""
    return Tensor._wrap(np.logical_and(as_array(input), as_array(other)))


def _conj_tensor(x: Tensor) -> Tensor:
    """Complex conjugate as a new tensor (identity for real tensors, which are returned as is)."""
    if not x.dtype.is_complex:
        return x
    out = Tensor._wrap(np.conj(x._data))
    return record_unary(out, x, "ConjBackward0", _conj_tensor)


def real(input: Tensor) -> Tensor:
    """The real part, a view (torch: ``select(view_as_real(z), -1, 0)``: strides doubled, the same
    storage, writes go through; recorded as SelectBackward0); for a real tensor, the tensor itself."""
    if not input.dtype.is_complex:
        return input
    cdt = input.dtype
    return record_unary(input._view(input._data.real), input, "SelectBackward0", lambda g: cast(g, cdt))


def imag(input: Tensor) -> Tensor:
    """The imaginary part, a view one real element into each complex one (complex tensors only, as in
    torch); its gradient flows back as ``g * 1j``."""
    if not input.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    cdt = input.dtype
    return record_unary(input._view(input._data.imag), input, "SelectBackward0", lambda g: mul(cast(g, cdt), 1j))


tensor_method(property(real), name="real")
tensor_method(property(imag), name="imag")
