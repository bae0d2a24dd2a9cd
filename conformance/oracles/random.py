"""Loop-by-loop definitions of torch's CPU samplers, on an independent Mersenne Twister.

The twister here is CPython's own (``random.Random``, whose ``getrandbits(32)`` is MT19937's tempered
output), given the state torch's ``manual_seed`` makes (``init_genrand`` on the seed's low 32 bits,
written out below word by word), so the reference's vectorised twister is checked against another
implementation.  Each definition then applies torch's documented transformation one element at a
time, in the order torch's kernel visits the output (its memory order), with exact rational arithmetic
where torch fuses a multiply-add.
"""

from __future__ import annotations

import math
import os
import random
from fractions import Fraction

import numpy as np

__all__ = [
    "rand",
    "randint",
    "randperm",
    "bernoulli",
    "rand_like",
    "randint_like",
    "uniform_",
    "bernoulli_",
    "twister",
    "fused",
]


class _Twister:
    """MT19937 seeded as ``at::mt19937`` is, drawing through CPython's implementation."""

    def __init__(self, seed: int) -> None:
        words = [seed & 0xFFFFFFFF]
        for i in range(1, 624):
            prev = words[-1]
            words.append((1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF)
        self._py = random.Random()
        self._py.setstate((3, tuple(words) + (624,), None))  # index 624: the first draw twists
        self.cached_normal: float | None = None

    def random(self) -> int:
        return self._py.getrandbits(32)

    def random64(self) -> int:
        hi = self.random()
        return (hi << 32) | self.random()

    def uniform_float(self) -> float:
        return (self.random() & 0xFFFFFF) / 2**24

    def uniform_double(self) -> float:
        return (self.random64() & (2**53 - 1)) / 2**53


def twister(seeding) -> _Twister:
    """A twister standing where a case's :class:`~strategies.random.Seeding` leaves torch's."""
    tw = _Twister(seeding.seed % 2**64)
    if seeding.state == "cached normal":  # one normal_distribution<double> sample: two doubles, one cached
        u1, u2 = tw.uniform_double(), tw.uniform_double()
        tw.cached_normal = math.sqrt(-2.0 * math.log1p(-u2)) * math.sin(2.0 * math.pi * u1)
    elif seeding.state == "mid-stream":
        for _ in range(seeding.skip):
            tw.random()
    return tw


def _memory_order(shape: tuple[int, ...], strides) -> list[tuple[int, ...]]:
    """The positions of a tensor in the order of its memory: outer dimensions have larger strides."""
    positions = [tuple(p) for p in np.ndindex(*shape)] if shape else [()]
    if strides is None:
        return positions
    return sorted(positions, key=lambda pos: sum(i * st for i, st in zip(pos, strides, strict=True)))


def _out_strides(case, shape):
    """The strides of the out= tensor the registry's call makes for "out strided": the reversed
    permutation of a contiguous tensor (dimension ``d`` has stride ``prod(shape[:d])``); every other
    element of a 1-d one keeps C order."""
    if case.form != "out strided" or len(shape) < 2:
        return None
    return tuple(int(np.prod(shape[:d])) for d in range(len(shape)))


def _round_float32(x: Fraction) -> np.float32:
    """The float32 nearest ``x`` (ties to even), decided exactly."""
    f = np.float32(float(x))
    best = f
    for g in (np.nextafter(f, np.float32(-np.inf)), np.nextafter(f, np.float32(np.inf))):
        d_g, d_b = abs(Fraction(float(g)) - x), abs(Fraction(float(best)) - x)
        if d_g < d_b or (d_g == d_b and int(g.view(np.uint32)) % 2 == 0):
            best = g
    return best


def fused(a, b, c, dtype: np.dtype):
    """``a * b + c`` rounded once to ``dtype`` (float32 or float64), from exact rationals."""
    exact = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    if np.dtype(dtype) == np.float64:
        return np.float64(float(exact))  # Fraction -> float rounds correctly
    return _round_float32(exact)


def _uniform_value(tw: _Twister, dtype: np.dtype, low: float, high: float, fuse: bool):
    """One element of ``uniform_(low, high)`` in ``dtype``: the float (or double) uniform, scaled in that
    precision, cast, and the upper bound mapped to the lower one."""
    double = dtype == np.float64
    op = np.float64 if double else np.float32
    x = op(tw.uniform_double() if double else tw.uniform_float())
    lo, hi = op(low), op(high)
    if (lo, hi) == (0, 1):
        v = x
    elif fuse:
        v = fused(x, hi - lo, lo, np.dtype(op))
    else:
        v = op(op(x * op(hi - lo)) + lo)
    v = np.asarray(v).astype(dtype)
    return dtype.type(low) if v == dtype.type(high) else v


def _uniform_tensor(tw, shape, strides, dtype: np.dtype, low: float, high: float, fuse: bool) -> np.ndarray:
    if dtype.kind == "c":  # the real view: (re, im) of each element in turn
        part = np.dtype(f"float{dtype.itemsize * 4}")
        real_strides = None if strides is None else (*(2 * s for s in strides), 1)
        pairs = _uniform_tensor(tw, (*shape, 2), real_strides, part, low, high, fuse)
        return pairs[..., 0] + 1j * pairs[..., 1].astype(dtype)
    out = np.empty(shape, dtype)
    for pos in _memory_order(shape, strides):
        out[pos] = _uniform_value(tw, dtype, low, high, fuse)
    return out


def _fuses() -> bool:
    """Whether torch's kernel here rounds ``x * (to - from) + from`` once: its AVX2 and AVX512 builds
    contract the multiply-add, its generic build does not (``ATEN_CPU_CAPABILITY=default`` forces it)."""
    forced = os.environ.get("ATEN_CPU_CAPABILITY")
    if forced in ("default", "avx2", "avx512"):
        return forced != "default"
    with open("/proc/cpuinfo") as f:
        flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    return "avx2" in flags and "fma" in flags


def rand(case, out_dtype):
    seeding, size = case.args
    shape = tuple(size)
    return _uniform_tensor(twister(seeding), shape, _out_strides(case, shape), np.dtype(out_dtype), 0.0, 1.0, False)


def rand_like(case, out_dtype):
    seeding, x = case.args[:2]
    return _uniform_tensor(twister(seeding), x.shape, _like_strides(x), np.dtype(out_dtype), 0.0, 1.0, False)


def uniform_(case, out_dtype):
    seeding, x, low, high = case.args
    fuse = (low, high) != (0.0, 1.0) and _fuses()
    return _uniform_tensor(twister(seeding), x.shape, x.strides, np.dtype(out_dtype), low, high, fuse)


def _like_strides(x: np.ndarray):
    """The order ``*_like`` and ``bernoulli`` fill their result in: ``preserve_format`` keeps a dense
    input's layout and makes any other dense in the same order of strides, so the memory order is
    ``x``'s own order of strides either way."""
    return x.strides


def _ints(tw: _Twister, n: int, low: int, high: int) -> list[int]:
    span = high - low
    out = []
    for _ in range(n):
        draw = tw.random64() if span >= 2**28 else tw.random()
        value = (draw % span + low) % 2**64
        out.append(value - 2**64 if value >= 2**63 else value)
    return out


def _moved_bounds(low: int, high: int, dtype: np.dtype) -> tuple[int, int]:
    """torch's bounds for a floating dtype: when ``low + 1`` rounds to below ``low`` in the dtype, ``low``
    becomes that rounded value plus one step of the dtype's spacing around it (``2**(e - digits + 1)``
    for ``|low + 1|`` in ``[2**e, 2**(e+1))``); ``high`` the same way downward."""
    if dtype.kind != "f":
        return low, high
    digits = np.finfo(dtype).nmant + 1

    def back(v: int) -> int:  # the integer rounded into the dtype and cast back: 2**63 and beyond wrap to -2**63
        r = float(np.array(v, dtype=np.int64).astype(dtype))
        return int(r) if math.isfinite(r) and -(2**63) <= r < 2**63 else -(2**63)

    if back(low + 1) < low:
        low = back(low + 1) + 2 ** (math.floor(math.log2(abs(low + 1))) - digits + 1)
    if back(high - 1) >= high:
        high = back(high - 1) - 2 ** (math.floor(math.log2(abs(high - 1))) - digits + 1)
    return low, high


def randint(case, out_dtype):
    seeding, low, high, size = case.args
    low, high = _moved_bounds(low, high, np.dtype(out_dtype))
    shape = tuple(size)
    order = _memory_order(shape, _out_strides(case, shape))
    out = np.empty(shape, out_dtype)
    for pos, v in zip(order, _ints(twister(seeding), len(order) if shape else 1, low, high), strict=True):
        out[pos] = v
    return out


def randint_like(case, out_dtype):
    seeding, x, *bounds = case.args
    low, high = _moved_bounds(*((0, bounds[0]) if len(bounds) == 1 else bounds), np.dtype(out_dtype))
    order = _memory_order(x.shape, _like_strides(x))
    out = np.empty(x.shape, out_dtype)
    for pos, v in zip(order, _ints(twister(seeding), len(order), low, high), strict=True):
        out[pos] = v
    return out


def randperm(case, out_dtype):
    seeding, n = case.args
    tw = twister(seeding)
    perm = list(range(n))
    for i in range(n - 1):
        j = i + tw.random() % (n - i)
        perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, dtype=out_dtype)


def _bernoulli_tensor(tw, p: np.ndarray, shape, strides, out_dtype) -> np.ndarray:
    pb = np.broadcast_to(p, shape)
    out = np.empty(shape, out_dtype)
    for pos in _memory_order(shape, strides):
        if p.dtype == np.float64:
            out[pos] = tw.uniform_double() < float(pb[pos])
        else:  # a float's uniform against p read as a float
            out[pos] = np.float32(tw.uniform_float()) < np.float32(pb[pos])
    return out


def _bernoulli_number(tw, p: float, shape, strides, out_dtype) -> np.ndarray:
    out = np.empty(shape, out_dtype)
    for pos in _memory_order(shape, strides):
        out[pos] = tw.uniform_double() < p
    return out


def bernoulli(case, out_dtype):
    seeding, p, *number = case.args
    tw = twister(seeding)
    strides = None  # a contiguous result whatever p's layout, filled in C order
    if number:
        return _bernoulli_number(tw, number[0], p.shape, strides, out_dtype)
    return _bernoulli_tensor(tw, p, p.shape, strides, out_dtype)


def bernoulli_(case, out_dtype):
    seeding, x, p = case.args
    tw = twister(seeding)
    if isinstance(p, np.ndarray):
        return _bernoulli_tensor(tw, p, x.shape, x.strides, out_dtype)
    return _bernoulli_number(tw, p, x.shape, x.strides, out_dtype)
