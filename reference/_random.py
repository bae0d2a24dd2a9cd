"""Random numbers as torch's CPU generator makes them, bit for bit.

The generator is ``_generator``'s Mersenne Twister (``random()``: 32 bits, ``random64()``: 64).  Every
distribution is a documented
transformation of those draws, made in the order of the output's elements (TensorIterator's order:
memory order for a dense tensor), on one thread:

- uniform (``rand``, ``uniform_``): float, half -> the low 24 bits of ``random()`` times 2**-24;
  double -> the low 53 bits of ``random64()`` times 2**-53; then ``x * (to - from) + from``;
- normal (``randn``, ``normal_``): Box-Muller.  A contiguous tensor of 16 or more elements is filled
  with uniforms first, then turned into normals 16 at a time (pairs ``j``, ``j + 8``; the last 16 are
  drawn again when the size is not a multiple of 16).  Anything else takes one normal per element from
  ``normal_distribution<double>``, which draws two uniforms, returns ``r cos(theta)`` and caches
  ``r sin(theta)`` in the generator for the next element;
- integers (``randint``): ``random() % range + low``, or ``random64()`` when the range is 2**28 or more;
- ``randperm``: a Fisher-Yates shuffle, swapping position ``i`` with ``i + random() % (n - i)``;
- ``bernoulli``: ``uniform < p``, the uniform a float's when ``p`` is a float tensor, a double's
  when ``p`` is a double tensor or a number.

The roundings depend on the CPU kernel torch dispatches to (``torch.backends.cpu
.get_cpu_capability()``): the AVX2 kernel computes float normals with Cephes polynomials and fuses
``x * (to - from) + from``; the generic one calls libm and does not fuse; the AVX512 one fuses (it is
built with ``-mfma``) and takes the generic float normals (the Cephes kernel is AVX2's only).  MKL's
Bernoulli stream, which torch uses for a number ``p`` on Intel CPUs, is not modelled: the reference
raises NotImplementedError there rather than guess.
"""

from __future__ import annotations

import builtins
import math
import warnings

import numpy as np

from . import _dtype as D
from . import _random_math as RM
from ._creation import _factory_dtype, _leaf, _made, _size, _size_keyword
from ._generator import Generator, _fused, _generator, cpu_capability, mkl_bernoulli
from ._layout import _is_contiguous, check_layout, contiguous_strides, lay_out, like_strides
from ._tensor import Tensor, _check_device, tensor_method

__all__ = [
    "rand",
    "randn",
    "randint",
    "randperm",
    "rand_like",
    "randn_like",
    "randint_like",
    "bernoulli",
]


# -- the layout a kernel fills ------------------------------------------------------------------------
def _order(shape: tuple[int, ...], strides: tuple[int, ...] | None) -> np.ndarray:
    """The C-order positions of a tensor's elements in TensorIterator's order: dimensions from the
    largest stride (outermost) to the smallest (innermost), so a dense tensor is visited in memory order."""
    n = math.prod(shape)
    if strides is None or len(shape) < 2:
        return np.arange(n)
    dims = sorted(range(len(shape)), key=lambda d: -strides[d] if shape[d] != 1 else 0)
    return np.arange(n).reshape(shape).transpose(dims).reshape(-1)


def _placed(values: np.ndarray, shape: tuple[int, ...], strides) -> np.ndarray:
    """``values`` made in TensorIterator's order, as an array in C order of ``shape``."""
    data = np.empty(math.prod(shape), values.dtype)
    data[_order(shape, strides)] = values
    return data.reshape(shape)


# -- the distributions (each returns n values in the order they are made) -----------------------------
def _uniform01(gen: Generator, n: int, double: bool) -> np.ndarray:
    if double:
        return (gen._random64(n) & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0**-53
    return ((gen._random(n) & np.uint32((1 << 24) - 1)).astype(np.float64) * 2.0**-24).astype(np.float32)


def _uniform(gen: Generator, n: int, dt: D.dtype, low: float, high: float) -> np.ndarray:
    """``uniform_real_distribution<opmath>(from, to)`` cast to ``dt``: ``x * (to - from) + from`` in
    float (double for float64), and a result that rounds to ``to`` is ``from`` instead."""
    double = dt.np == np.float64
    x = _uniform01(gen, n, double)
    op = np.float64 if double else np.float32
    lo, hi = op(low), op(high)
    if lo == 0 and hi == 1:  # x * 1 + 0: exact however it is computed
        v = x
    elif lo == hi:  # x * 0 + from: exact too
        v = np.full_like(x, lo)
    elif _fused("uniform_"):
        v = (RM.fma64 if double else RM.fma32)(x, hi - lo, lo)
    else:
        v = x * (hi - lo) + lo
    with np.errstate(over="ignore", invalid="ignore"):  # beyond the dtype: inf, as torch's cast gives
        v = v.astype(dt.np)
    return np.where(v == dt.np.type(high), dt.np.type(low), v)


def _normal_one_at_a_time(gen: Generator, n: int, mean: float, std: float) -> np.ndarray:
    """``normal_distribution<double>`` ``n`` times: the generator's cached sample first, then pairs:
    two 53-bit uniforms ``u1, u2`` give ``r = sqrt(-2 log1p(-u2))``, ``theta = 2 pi u1``, and the
    samples ``r cos(theta)`` then ``r sin(theta)``; an odd count leaves the last ``r sin(theta)``
    cached.  Then ``value * std + mean`` (fused where torch's kernel fuses)."""
    out = np.empty(n, np.float64)
    start = 0
    if n and gen._normal is not None:
        out[0], gen._normal, start = gen._normal, None, 1
    pairs = (n - start + 1) // 2
    if pairs:
        u = _uniform01(gen, 2 * pairs, True)
        u1, u2 = u[0::2], u[1::2]
        r = np.sqrt(-2.0 * RM.libm.double(RM.log1p, -u2))
        theta = 2.0 * math.pi * u1
        both = np.empty(2 * pairs, np.float64)
        both[0::2] = r * RM.libm.double(RM.cos, theta)
        both[1::2] = r * RM.libm.double(RM.sin, theta)
        out[start:] = both[: n - start]
        if (n - start) % 2:
            gen._normal = float(both[-1])
    if mean == 0 and std == 1:
        return out
    return RM.fma64(out, std, mean) if _fused("normal_") else out * std + mean


def _box_muller16(block: np.ndarray, mean, std, double: bool) -> np.ndarray:
    """torch's ``NormalFill16`` on rows of 16 uniforms: ``u1 = 1 - x[j]``, ``u2 = x[j + 8]``,
    ``r = sqrt(-2 log u1)``, ``theta = 2 pi u2``; ``x[j] = fma(r cos(theta), std, mean)`` and
    ``x[j + 8] = fma(r sin(theta), std, mean)``."""
    u1, u2 = 1 - block[:, :8], block[:, 8:]
    if double:
        r = np.sqrt(-2.0 * RM.libm.double(RM.log, u1))
        theta = 2.0 * math.pi * u2
        c, s = RM.libm.double(RM.cos, theta), RM.libm.double(RM.sin, theta)
        fma = RM.fma64
    elif cpu_capability() == "AVX2":  # the AVX2 kernel: Cephes polynomials, pi rounded to float first
        r = np.sqrt(np.float32(-2) * RM.cephes_log(u1))
        s, c = RM.cephes_sincos(np.float32(2.0 * math.pi) * u2)
        fma = RM.fma32
    elif cpu_capability() is None:
        raise NotImplementedError("randn/normal_: which CPU kernel torch runs here (its features) is unknown")
    else:  # the generic kernel: libm's logf/cosf/sinf, theta computed in double
        r = np.sqrt(np.float32(-2) * RM.libm.single("logf", u1))
        theta = (2.0 * math.pi * u2.astype(np.float64)).astype(np.float32)
        c, s = RM.libm.single("cosf", theta), RM.libm.single("sinf", theta)
        fma = RM.fma32
    out = np.empty_like(block)
    out[:, :8] = fma(r * c, std, mean)
    out[:, 8:] = fma(r * s, std, mean)
    return out


def _normal_fill(gen: Generator, n: int, dt: D.dtype, mean: float, std: float) -> np.ndarray:
    """``normal_fill`` (a contiguous tensor of 16 or more): float and double draw all ``n`` uniforms
    first, half draws 16 at a time; then Box-Muller on each block of 16; when 16 does not divide ``n``
    the last 16 are drawn again and recomputed.  Half is computed in float and rounded at the end."""
    double = dt.np == np.float64
    op = np.float64 if double else np.float32
    m, s = op(mean), op(std)
    whole = n // 16
    if dt.np == np.float16:
        data = np.empty(n, np.float32)
        for i in range(whole):
            data[16 * i : 16 * i + 16] = _box_muller16(_uniform01(gen, 16, False)[None], m, s, False)[0]
    else:
        data = _uniform01(gen, n, double)
        data[: 16 * whole] = _box_muller16(data[: 16 * whole].reshape(whole, 16), m, s, double).reshape(-1)
    if n % 16:
        data[n - 16 :] = _box_muller16(_uniform01(gen, 16, double)[None], m, s, double)[0]
    with np.errstate(over="ignore", invalid="ignore"):
        return data.astype(dt.np)


def _normal_values(gen: Generator, shape, strides, dt: D.dtype, mean: float, std: float) -> np.ndarray:
    """A tensor's normals in C order: ``normal_fill`` for a contiguous tensor of 16 or more elements,
    else one at a time in TensorIterator's order."""
    n = math.prod(shape)
    if n >= 16 and (strides is None or _is_contiguous(shape, strides)):
        return _normal_fill(gen, n, dt, mean, std).reshape(shape)
    with np.errstate(over="ignore", invalid="ignore"):
        values = _normal_one_at_a_time(gen, n, mean, std).astype(dt.np)
    return _placed(values, shape, strides)


def _real_view(shape, strides, dt: D.dtype):
    """A complex tensor's kernels run on ``view_as_real``: a last dimension of 2, strides in reals."""
    strides = None if strides is None else (*(2 * st for st in strides), 1)
    return (*shape, 2), strides, dt.to_real()


def _complex_from(values: np.ndarray, dt: D.dtype) -> np.ndarray:
    return np.ascontiguousarray(values.astype(dt.to_real().np)).view(dt.np)[..., 0]


def _check_float_kernel(dt: D.dtype, kernel: str) -> None:
    if dt.category < D.dtype.FLOAT:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt._torch_name}'")


def _uniform_values(gen, shape, strides, dt: D.dtype, low: float, high: float) -> np.ndarray:
    if dt.is_complex:
        rshape, rstrides, rdt = _real_view(shape, strides, dt)
        return _complex_from(_uniform_values(gen, rshape, rstrides, rdt, low, high), dt)
    return _placed(_uniform(gen, math.prod(shape), dt, low, high), shape, strides)


def _normal_any(gen, shape, strides, dt: D.dtype, mean: float, std: float) -> np.ndarray:
    if dt.is_complex:  # real and imaginary parts each get half the variance
        rshape, rstrides, rdt = _real_view(shape, strides, dt)
        return _complex_from(_normal_any(gen, rshape, rstrides, rdt, mean, std / math.sqrt(2)), dt)
    return _normal_values(gen, shape, strides, dt, mean, std)


def _check_uniform_bounds(dt: D.dtype, low: float, high: float) -> None:
    """torch's ``check_uniform_bounds``: ``from`` and ``to`` within the dtype's finite range,
    ``from <= to``, and ``to - from`` not beyond the largest finite value."""
    _check_float_kernel(dt, "check_uniform_bounds")
    real = dt.to_real()
    info = np.finfo(real.np)
    name = {"Half": "c10::Half", "Float": "float", "Double": "double"}[real._torch_name]
    lowest, largest = builtins.float(info.min), builtins.float(info.max)  # compared in double, as torch does
    for arg, v in (("from", low), ("to", high)):
        if not (lowest <= v <= largest):
            raise RuntimeError(f"{arg} is out of bounds for {name}")
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={low:g} > to={high:g}")
    if high - low > largest:
        raise RuntimeError(
            f"uniform_ expects to-from <= std::numeric_limits<{real._torch_name}>::max(), but found to={high:g} "
            f"and from={low:g} which result in to-from to exceed the limit"
        )


# -- factories -----------------------------------------------------------------------------------------
def _target_layout(shape: tuple[int, ...], out) -> tuple[int, ...] | None:
    """The strides a factory's kernel fills: ``out``'s when it already has the shape (it is not
    resized), else contiguous.  ``out``'s refusals (it requires grad; its elements share memory) come
    first: torch raises them before its kernel draws anything."""
    if out is None or not isinstance(out, Tensor):
        return None
    from .autograd.graph import is_grad_enabled

    if out.requires_grad and is_grad_enabled() and out.grad_fn is None:
        raise RuntimeError(
            "functions with out=... arguments don't support automatic differentiation, but one of the arguments "
            "requires grad."
        )
    if tuple(out.shape) == shape:
        out._writable_data()
        return tuple(out.stride())
    return None


def _factory_setup(name, size, kw, out, dtype, layout, device, generator):
    _check_device(device, name)
    check_layout(layout)
    gen = _generator(generator, name)
    if "size" in kw and not isinstance(kw["size"], tuple | list):  # size= is never a lone int
        raise TypeError(f"{name}(): argument 'size' must be tuple of ints, not {type(kw['size']).__name__}")
    shape = _size(size, name, **_size_keyword(kw, name))
    dt = _factory_dtype(name, dtype, out, D.get_default_dtype())
    return gen, shape, dt


def rand(
    *size,
    generator=None,
    out=None,
    dtype: D.dtype | None = None,
    layout=None,
    device=None,
    requires_grad: bool = False,
    **kw,
) -> Tensor:
    """Uniform samples on [0, 1) of ``size`` (as :func:`zeros` reads it), from ``generator`` (the
    default one when None): float and half take 24 random bits per element, double 53; complex
    dtypes draw the real and imaginary parts in turn.  An integer or bool dtype is NotImplementedError
    (``"check_uniform_bounds" not implemented``)."""
    gen, shape, dt = _factory_setup("rand", size, kw, out, dtype, layout, device, generator)
    _check_float_kernel(dt, "check_uniform_bounds")
    data = _uniform_values(gen, shape, _target_layout(shape, out), dt, 0.0, 1.0)
    return _made(data, out, requires_grad, "rand")


def randn(
    *size,
    generator=None,
    out=None,
    dtype: D.dtype | None = None,
    layout=None,
    device=None,
    requires_grad: bool = False,
    **kw,
) -> Tensor:
    """Standard normal samples of ``size``: a contiguous result of 16 or more elements is filled by
    Box-Muller in blocks of 16 (the last 16 redrawn when 16 does not divide the size), a smaller one
    takes one normal per element with the generator's cached second sample first.  Complex dtypes:
    real and imaginary parts each of variance 1/2.  Integer dtypes: NotImplementedError
    (``"normal_kernel_cpu" not implemented``)."""
    gen, shape, dt = _factory_setup("randn", size, kw, out, dtype, layout, device, generator)
    _check_float_kernel(dt, "normal_kernel_cpu")
    data = _normal_any(gen, shape, _target_layout(shape, out), dt, 0.0, 1.0)
    return _made(data, out, requires_grad, "randn")


_INT_NAMES = {"Byte": "unsigned char", "Char": "signed char", "Short": "short", "Int": "int", "Long": "long"}


def _check_random_bounds(dt: D.dtype, low: int, high: int) -> None:
    """torch's ``check_from_to_in_range``: ``from`` and ``to - 1`` must be values of the dtype
    (RuntimeError); for a floating dtype beyond ``±2**digits`` only a warning (the integers there
    are not all representable)."""
    last = high - 1
    if dt.category == D.dtype.FLOAT:
        info = np.finfo(dt.np)
        name = {"Half": "c10::Half", "Float": "float", "Double": "double"}[dt._torch_name]
        lowest, largest = builtins.float(info.min), builtins.float(info.max)  # compared in double
        for arg, v in (("from", low), ("to - 1", last)):
            if not lowest <= v <= largest:
                raise RuntimeError(f"{arg} is out of bounds for {name}")
        digits = info.nmant + 1
        for arg, v in (("from", low), ("to - 1", last)):
            if not -(2**digits) <= v <= 2**digits:
                warnings.warn(
                    f"{arg} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations {name} "
                    "can support discrete uniform distribution only within this range. This warning will "
                    "become an error in version 1.7 release, please fix the code in advance",
                    UserWarning,
                    stacklevel=3,
                )
        return
    if dt.is_complex:
        raise RuntimeError("check_random_bounds handles only integral, floating-point and boolean types")
    if dt is D.bool:
        lo_, hi_, name = 0, 1, "bool"
    else:
        info = np.iinfo(dt.np)
        lo_, hi_, name = builtins.int(info.min), builtins.int(info.max), _INT_NAMES[dt._torch_name]
    for arg, v in (("from", low), ("to - 1", last)):
        if not lo_ <= v <= hi_:
            raise RuntimeError(f"{arg} is out of bounds for {name}")


def _float_bounds(dt: D.dtype, low: int, high: int) -> tuple[int, int]:
    """torch's ``update_from``/``update_to`` for a floating dtype: where ``low + 1`` (``high - 1``) rounds
    past ``low`` (``high``) in the dtype, the bound moves inward to the next value whose neighbours stay
    inside, by ``2**(floor(log2|bound -+ 1|) - digits + 1)`` from the rounded value; the range drawn from
    is the moved one."""
    if dt.category != D.dtype.FLOAT:
        return low, high
    digits = np.finfo(dt.np).nmant + 1

    def rounded(v: int) -> int:
        """static_cast<int64_t>(static_cast<scalar_t>(v)): int64 straight to the dtype (one rounding);
        a float beyond int64 (2**63, inf) reads as x86's INT64_MIN."""
        with np.errstate(over="ignore"):
            r = np.array(v, dtype=np.int64).astype(dt.np).item()
        return builtins.int(r) if math.isfinite(r) and -(2**63) <= r < 2**63 else -(2**63)

    up = rounded(low + 1)
    if up < low:
        low = up + (1 << (max(abs(low + 1).bit_length() - 1, 0) - digits + 1))
    down = rounded(high - 1)
    if down >= high:
        high = down - (1 << (max(abs(high - 1).bit_length() - 1, 0) - digits + 1))
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from={low} >= "
            f"to={high}"
        )
    return low, high


def _int_arg(name: str, v, arg: str) -> int:
    if isinstance(v, Tensor) and v.numel() == 1 and v.dtype.category <= D.dtype.INT:
        v = v.item()
    if isinstance(v, builtins.bool) or not isinstance(v, builtins.int | np.integer):
        raise TypeError(f"{name}(): argument '{arg}' must be int, not {type(v).__name__}")
    v = builtins.int(v)
    if not -(2**63) <= v < 2**63:
        raise ValueError("Overflow when unpacking long long")
    return v


def _randint_values(gen: Generator, n: int, low: int, high: int) -> np.ndarray:
    span = high - low
    if span >= 1 << 28:
        draws = gen._random64(n)
    else:
        draws = gen._random(n).astype(np.uint64)
    # (draw % range) + base in uint64 arithmetic, then read as int64
    return ((draws % np.uint64(span)) + np.uint64(low % 2**64)).view(np.int64)


def _overload(args: tuple, kw: dict, overloads: tuple[tuple[str, ...], ...], name: str) -> dict:
    """Bind positional and keyword arguments to the first of torch's overloads (parameter names in
    order) that takes them all: each parameter once, none missing; TypeError otherwise."""
    for names in overloads:
        if len(args) > len(names):
            continue
        bound = dict(zip(names, args, strict=False))
        if any(k not in names or k in bound for k in kw):
            continue
        bound.update(kw)
        if all(n in bound for n in names):
            return bound
    given = ", ".join([type(a).__name__ for a in args] + [f"{k}={type(v).__name__}" for k, v in kw.items()])
    raise TypeError(f"{name}() received an invalid combination of arguments - got ({given})")


def randint(*args, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, **kw):
    """Integers uniform on ``[low, high)``: ``randint(high, size)`` or ``randint(low, high, size)``
    (``size`` a sequence; ``low``/``high``/``size`` also by keyword).  Each element is
    ``random() % (high - low) + low``, or ``random64()`` when ``high - low >= 2**28`` (so not exactly
    uniform).  The dtype is ``dtype``, else ``out``'s, else int64; ``from`` and ``to - 1`` must fit it
    (RuntimeError "... is out of bounds for ..."); ``low >= high`` is RuntimeError.  For a floating dtype
    a bound whose neighbour rounds past it moves inward first (``_float_bounds``), which changes the
    range the draws are reduced by."""
    name = "randint"
    bound = _overload(args, kw, (("high", "size"), ("low", "high", "size")), name)
    low, high, size = bound.get("low"), bound["high"], bound["size"]
    if not isinstance(size, tuple | list) and not hasattr(size, "__len__"):
        raise TypeError(f"{name}() received an invalid combination of arguments - 'size' must be a tuple of ints")
    low = 0 if low is None else _int_arg(name, low, "low")
    high = _int_arg(name, high, "high")
    _check_device(device, name)
    check_layout(layout)
    gen = _generator(generator, name)
    shape = _size((size,), name, varargs=False)
    dt = _factory_dtype(name, dtype, out, D.int64)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    low, high = _float_bounds(dt, low, high)
    _check_random_bounds(dt, low, high)
    values = _randint_values(gen, math.prod(shape), low, high)
    data = _placed(values.astype(dt.np), shape, _target_layout(shape, out))
    return _made(data, out, requires_grad, name)


def randperm(
    n, *, generator=None, out=None, dtype: D.dtype | None = None, layout=None, device=None, requires_grad=False, **kw
) -> Tensor:
    """A random permutation of ``0 .. n-1``: starting from the identity, for ``i`` from 0 to ``n - 2``
    swap positions ``i`` and ``i + random() % (n - i)``.  The dtype is ``dtype``, else ``out``'s, else
    int64; ``n - 1`` must fit an integer dtype ("value cannot be converted ... without overflow"), a
    floating dtype holds at most ``2**digits + 1`` ("n cannot be greater than 2049 for Half type."); bool
    and complex are NotImplementedError; a negative ``n`` is "Trying to create tensor with negative
    dimension"."""
    name = "randperm"
    if set(kw) - {"pin_memory"}:
        raise TypeError(f"{name}() got an unexpected keyword argument '{sorted(set(kw) - {'pin_memory'})[0]}'")
    n = _int_arg(name, n, "n")
    _check_device(device, name)
    check_layout(layout)
    gen = _generator(generator, name)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dt = _factory_dtype(name, dtype, out, D.int64)
    if dt is D.bool or dt.is_complex:
        raise NotImplementedError(f"\"randperm\" not implemented for '{dt._torch_name}'")
    if dt.category == D.dtype.FLOAT:
        limit = 2 ** (np.finfo(dt.np).nmant + 1) + 1
        if n > limit:
            kind = {"Half": "Half", "Float": "Float", "Double": "Double"}[dt._torch_name]
            raise RuntimeError(f"n cannot be greater than {limit} for {kind} type.")
    else:
        D.checked_convert(n - 1 if n > 0 else n, dt)
    perm = np.arange(n, dtype=np.int64)
    draws = gen._random(max(n - 1, 0)).tolist()
    for i, r in enumerate(draws):
        j = i + r % (n - i)
        perm[i], perm[j] = perm[j], perm[i]
    data = _placed(perm.astype(dt.np), (n,), _target_layout((n,), out))
    return _made(data, out, requires_grad, name)


# -- *_like factories ----------------------------------------------------------------------------------
def _like_setup(name, input, dtype, layout, device, memory_format):
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    _check_device(device, name)
    check_layout(layout)
    shape = tuple(input.shape)
    return shape, dtype or input.dtype, like_strides(shape, input.stride(), memory_format)


def _strided(data: np.ndarray, strides) -> Tensor:
    return Tensor._wrap(lay_out(data, strides), laid_out=True)


def _like_made(data: np.ndarray, strides, requires_grad: bool) -> Tensor:
    return _leaf(_strided(data, strides), requires_grad)


def rand_like(
    input, *, generator=None, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None
) -> Tensor:
    """:func:`rand` of ``input``'s shape, dtype (unless ``dtype``) and layout (``memory_format``, as
    ``empty_like``): the uniforms go in the new tensor's memory order."""
    shape, dt, strides = _like_setup("rand_like", input, dtype, layout, device, memory_format)
    gen = _generator(generator, "rand_like")
    _check_float_kernel(dt, "check_uniform_bounds")
    return _like_made(_uniform_values(gen, shape, strides, dt, 0.0, 1.0), strides, requires_grad)


def randn_like(
    input, *, generator=None, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None
) -> Tensor:
    """:func:`randn` of ``input``'s shape, dtype and layout: a new tensor that is not contiguous (say
    ``input`` is transposed) takes the one-at-a-time normal path, even with 16 or more elements."""
    shape, dt, strides = _like_setup("randn_like", input, dtype, layout, device, memory_format)
    gen = _generator(generator, "randn_like")
    _check_float_kernel(dt, "normal_kernel_cpu")
    return _like_made(_normal_any(gen, shape, strides, dt, 0.0, 1.0), strides, requires_grad)


def randint_like(
    input, *args, generator=None, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None, **kw
) -> Tensor:
    """:func:`randint` of ``input``'s shape, dtype (a float input gives floats) and layout:
    ``randint_like(input, high)`` or ``randint_like(input, low, high)`` (``low``/``high`` by keyword too)."""
    bound = _overload(args, kw, (("high",), ("low", "high")), "randint_like")
    low, high = bound.get("low", 0), bound["high"]
    low, high = _int_arg("randint_like", low, "low"), _int_arg("randint_like", high, "high")
    shape, dt, strides = _like_setup("randint_like", input, dtype, layout, device, memory_format)
    gen = _generator(generator, "randint_like")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    low, high = _float_bounds(dt, low, high)
    _check_random_bounds(dt, low, high)
    values = _randint_values(gen, math.prod(shape), low, high).astype(dt.np)
    return _like_made(_placed(values, shape, strides), strides, requires_grad)


# -- in-place samplers and bernoulli -------------------------------------------------------------------
def _sampled_inplace(self: Tensor, node: str, values_for, extra: tuple = ()) -> Tensor:
    """Overwrite ``self`` with samples made for its own layout; under autograd the old value (and
    ``extra`` tensors) get a zero gradient through ``node``."""
    from ._autograd_hooks import record
    from ._inplace import _check_inplace_allowed, inplace

    _check_inplace_allowed(self)  # before any draw: torch refuses before its kernel runs
    self._writable_data()  # an expanded tensor (elements sharing memory) too
    values = values_for(tuple(self.shape), tuple(self.stride()))

    def replaced(old: Tensor, *operands) -> Tensor:
        out = Tensor._wrap(np.asarray(values, dtype=old._data.dtype).reshape(old.shape))
        inputs = (old, *operands)
        return record(
            out,
            inputs,
            node,
            lambda g: tuple(Tensor._wrap(np.zeros(t.shape, dtype=t._data.dtype)) for t in inputs),
        )

    return inplace(self, replaced, *extra, check_cast=False, elementwise=False)


def _float_arg(name: str, v, arg: str) -> float:
    """A ``double`` argument as torch's parser reads it: a real number or a 0-d tensor; TypeError else."""
    if isinstance(v, Tensor) and v.ndim == 0 and not v.dtype.is_complex and not v.requires_grad:
        return builtins.float(v.item())  # a 0-d tensor that does not require grad counts as its value
    if isinstance(v, builtins.bool | builtins.int | builtins.float | np.integer | np.floating):
        return builtins.float(v)
    raise TypeError(f"{name}(): argument '{arg}' must be float, not {type(v).__name__}")


@tensor_method
def uniform_(self: Tensor, *args, generator=None, **kw) -> Tensor:
    """Fill with uniforms on ``[from, to)`` in TensorIterator's order (``from``/``to`` as keywords
    too).  ``from``/``to`` must be finite values of the dtype, ``from <= to`` and ``to - from`` finite
    (RuntimeError); integer dtypes are NotImplementedError.  The fill is ``x * (to - from) + from``
    rounded in float (double for float64), fused on torch's AVX2 kernel.  Autograd: UniformBackward0,
    a zero gradient."""
    bound = {"from": 0.0, "to": 1.0, **_overload(args, kw, (("from", "to"), ("from",), ()), "uniform_")}
    low, high = _float_arg("uniform_", bound["from"], "from"), _float_arg("uniform_", bound["to"], "to")
    gen = _generator(generator, "uniform_")
    _check_uniform_bounds(self.dtype, low, high)
    return _sampled_inplace(
        self, "UniformBackward0", lambda shape, st: _uniform_values(gen, shape, st, self.dtype, low, high)
    )


@tensor_method
def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Fill with normals of ``mean`` and ``std``: ``normal_fill`` when ``self`` is contiguous with 16 or
    more elements, else one at a time in TensorIterator's order (see :func:`randn`).  ``std < 0`` is
    RuntimeError; integer dtypes are NotImplementedError; complex tensors fill their real view with
    ``std / sqrt(2)``.  Autograd: NormalBackward0, a zero gradient."""
    mean, std = _float_arg("normal_", mean, "mean"), _float_arg("normal_", std, "std")
    gen = _generator(generator, "normal_")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    _check_float_kernel(self.dtype, "normal_kernel_cpu")
    return _sampled_inplace(
        self, "NormalBackward0", lambda shape, st: _normal_any(gen, shape, st, self.dtype, mean, std)
    )


def _bernoulli_scalar_values(gen: Generator, shape, strides, p: float) -> np.ndarray:
    if mkl_bernoulli():
        raise NotImplementedError(
            "bernoulli_(p) with a number p: on an Intel CPU torch draws from MKL's MCG31 stream, which is not modelled"
        )
    u = _uniform01(gen, math.prod(shape), True)
    return _placed(u < p, shape, strides)


class _StoppedAt(Exception):
    """A probability outside [0, 1] met by the kernel: the draws made before it, at their C-order
    positions (torch checks each ``p`` as it comes, so the elements before were drawn and written)."""

    def __init__(self, positions: np.ndarray, values: np.ndarray) -> None:
        super().__init__()
        self.positions, self.values = positions, values


_BAD_P = (
    "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  "
    "If so, please report an enhancement request to PyTorch.)"
)


def _bernoulli_tensor_values(gen: Generator, shape, strides, p: Tensor) -> np.ndarray:
    """Each element ``uniform < p`` with the uniform of ``p``'s precision: a double's (53 bits) for a
    float64 ``p``, else a float's (24 bits), drawn in the output's TensorIterator order.  A ``p`` outside
    [0, 1] (NaN included) stops the loop there: :class:`_StoppedAt` carries what was drawn before it."""
    pd = np.broadcast_to(p._data, shape)
    order = _order(shape, strides)
    double = p.dtype.np == np.float64
    pv = pd.reshape(-1)[order].astype(np.float64 if double else np.float32)
    bad = np.flatnonzero(~((pv >= 0) & (pv <= 1)))
    k = int(bad[0]) if bad.size else pv.size
    drawn = _uniform01(gen, k, double) < pv[:k]
    if bad.size:
        raise _StoppedAt(order[:k], drawn)
    return _placed(drawn, shape, strides)


def _check_p_tensor(p: Tensor) -> None:
    if p.dtype.category != D.dtype.FLOAT:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{p.dtype._torch_name}'")


def _check_bernoulli_self(dt: D.dtype, kernel: str) -> None:
    if dt.is_complex:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt._torch_name}'")


def _check_p_number(p) -> float:
    if isinstance(p, str) or not isinstance(p, builtins.int | builtins.float | np.number):
        raise TypeError(f"bernoulli_(): argument 'p' must be float, not {type(p).__name__}")
    p = builtins.float(p)
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    return p


@tensor_method
def bernoulli_(self: Tensor, p=0.5, *, generator=None) -> Tensor:
    """Fill with 0/1 draws, 1 with probability ``p``: a number in [0, 1] (BernoulliBackward2) or a
    floating tensor that expands to ``self``'s shape (BernoulliBackward1; its values in [0, 1]).  Any
    dtype of ``self`` holds the result.  Autograd: zero gradients."""
    gen = _generator(generator, "bernoulli_")
    if isinstance(p, Tensor):
        from ._shape import expand

        expand(p, tuple(self.shape))  # torch's expand_inplace: its RuntimeError when p does not expand
        _check_bernoulli_self(self.dtype, "bernoulli_tensor_cpu_self_")
        _check_p_tensor(p)
        from .autograd.graph import is_grad_enabled

        if p.requires_grad and is_grad_enabled() and self.dtype.category < D.dtype.FLOAT:
            raise NotImplementedError(
                "bernoulli_ of an integer or bool tensor with a p that requires grad: torch marks the integer "
                "result as requiring grad (its backward then fails an internal assert); not modelled"
            )
        try:
            return _sampled_inplace(
                self,
                "BernoulliBackward1",
                lambda shape, st: _bernoulli_tensor_values(gen, shape, st, p).astype(self._data.dtype),
                (p,),
            )
        except _StoppedAt as stop:  # the elements before the bad p were drawn and written
            data = self._writable_data()
            data[np.unravel_index(stop.positions, data.shape)] = stop.values.astype(data.dtype)
            self._bump_version()
            raise RuntimeError(_BAD_P) from None
    q = _check_p_number(p)
    _check_bernoulli_self(self.dtype, "bernoulli_scalar_cpu_")
    return _sampled_inplace(
        self,
        "BernoulliBackward2",
        lambda shape, st: _bernoulli_scalar_values(gen, shape, st, q).astype(self._data.dtype),
    )


@tensor_method
def bernoulli(input: Tensor, p=None, *, generator=None, out=None) -> Tensor:
    """0/1 draws of ``input``'s shape and dtype with probabilities ``input`` (a floating tensor with
    values in [0, 1], RuntimeError otherwise; integer ``input`` is NotImplementedError), or with the
    number ``p`` for every element.  The result is contiguous whatever ``input``'s layout (``out``'s
    strides when it has the shape) and filled in its memory order.  Autograd: BernoulliBackward0, a zero gradient
    for ``input``; with a number ``p`` torch has no derivative (a NotImplemented node); ``out=`` with an
    ``input`` that requires grad is refused."""
    from ._autograd_hooks import record_not_implemented, record_unary
    from .autograd.graph import is_grad_enabled

    if not isinstance(input, Tensor):
        raise TypeError(f"bernoulli(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    gen = _generator(generator, "bernoulli")
    shape = tuple(input.shape)
    strides = _target_layout(shape, out) or contiguous_strides(shape)  # LEGACY_CONTIGUOUS, not input's layout
    if out is not None and input.requires_grad and is_grad_enabled():
        raise RuntimeError(
            "bernoulli(): functions with out=... arguments don't support automatic differentiation, but one of "
            "the arguments requires grad."
        )
    if p is not None:
        q = _check_p_number(_float_arg("bernoulli", p, "p"))
        _check_bernoulli_self(input.dtype, "bernoulli_scalar_cpu_")
        values = _bernoulli_scalar_values(gen, shape, strides, q).astype(input._data.dtype)
        if out is not None:
            return _made(values, out, False, "bernoulli")
        return record_not_implemented(_strided(values, strides), (input,), "bernoulli")
    _check_bernoulli_self(input.dtype, "bernoulli_tensor_cpu_self_")
    _check_p_tensor(input)
    try:
        values = _bernoulli_tensor_values(gen, shape, strides, input).astype(input._data.dtype)
    except _StoppedAt:  # the draws before the bad p were made (the generator moved on)
        raise RuntimeError(_BAD_P) from None
    if out is not None:
        return _made(values, out, False, "bernoulli")
    return record_unary(
        _strided(values, strides),
        input,
        "BernoulliBackward0",
        lambda g: Tensor._wrap(np.zeros(g.shape, dtype=g._data.dtype)),
    )
