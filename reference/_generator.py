"""torch's CPU generator: the Mersenne Twister, seeding, its saved state, and which kernel set runs.

``at::CPUGeneratorImpl`` is a 32-bit Mersenne Twister (MT19937): ``manual_seed(s)`` initialises its 624
words from the low 32 bits of ``s`` (``init_genrand``) and remembers all 64 bits as ``initial_seed``;
``random()`` is one tempered 32-bit draw and ``random64()`` two of them, the first the high half.  The
generator also holds the second sample of the one-at-a-time normal sampler's last Box-Muller pair.
``get_state``/``set_state`` read and write torch's 5056-byte ``CPUGeneratorImplState``, byte for byte.

The samplers built on it are in ``_random``; how they round depends on the CPU kernel set torch
dispatches to, read here (:func:`cpu_capability`) as torch reads it.
"""

from __future__ import annotations

import builtins
import functools
import os
import struct

import numpy as np

from . import _dtype as D
from ._tensor import Tensor, _check_device

__all__ = [
    "Generator",
    "default_generator",
    "manual_seed",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
]

_N, _M = 624, 397
_DEFAULT_SEED = 67280421310721  # c10::default_rng_seed_val
_STATE_SIZE = 5056  # sizeof(CPUGeneratorImplState)
_UPPER, _LOWER = np.uint32(0x80000000), np.uint32(0x7FFFFFFF)
_MATRIX_A = np.uint32(0x9908B0DF)
_ONE = np.uint32(1)


class _MersenneTwister:
    """``at::mt19937``: 624 words of state, ``left`` draws until the next twist (a draw first
    decrements it and twists at zero), ``next`` the index of the next word."""

    __slots__ = ("seed", "state", "left", "next")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        words = np.empty(_N, np.uint32)
        s = seed & 0xFFFFFFFF
        for j in range(_N):
            words[j] = s
            s = (1812433253 * (s ^ (s >> 30)) + j + 1) & 0xFFFFFFFF
        self.state, self.left, self.next = words, 1, 0

    def copy(self) -> _MersenneTwister:
        other = object.__new__(_MersenneTwister)
        other.seed, other.state, other.left, other.next = self.seed, self.state.copy(), self.left, self.next
        return other

    def _twist(self) -> None:
        """Refill the 624 words: word ``i`` becomes ``w[i+397] ^ (y >> 1) ^ (A if y odd)`` with ``y`` the
        top bit of ``w[i]`` and the low 31 of ``w[i+1]`` (indices mod 624).  In blocks of 227, each of
        which reads only words that are already final."""
        mt = self.state
        for lo, hi, src in ((0, 227, 397), (227, 454, 0), (454, 623, 227)):
            y = (mt[lo:hi] & _UPPER) | (mt[lo + 1 : hi + 1] & _LOWER)
            mt[lo:hi] = mt[src : src + hi - lo] ^ (y >> _ONE) ^ ((y & _ONE) * _MATRIX_A)
        y = (mt[623] & _UPPER) | (mt[0] & _LOWER)
        mt[623] = mt[396] ^ (y >> _ONE) ^ ((y & _ONE) * _MATRIX_A)

    def draw(self, n: int) -> np.ndarray:
        """``n`` tempered 32-bit draws: the words left in the current block, then whole refills, then
        part of one, tempered together."""
        pieces = []
        while n > 0:
            if self.left == 1:  # this draw twists first
                self._twist()
                self.left, self.next = _N + 1, 0
            take = min(n, self.left - 1)
            pieces.append(self.state[self.next : self.next + take].copy())
            n -= take
            self.next += take
            self.left -= take
        if not pieces:
            return np.empty(0, np.uint32)
        y = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
        y ^= y >> np.uint32(11)
        y ^= (y << np.uint32(7)) & np.uint32(0x9D2C5680)
        y ^= (y << np.uint32(15)) & np.uint32(0xEFC60000)
        y ^= y >> np.uint32(18)
        return y


def _seed_value(seed, strict: bool) -> int:
    """A seed as torch reads it: ``Generator.manual_seed`` (``strict``) takes a Python int only
    (RuntimeError "manual_seed expected a long, but got <type>" for a bool, float, str or tensor;
    TypeError for a NumPy integer); ``torch.manual_seed`` first applies ``int()``.  Then an int from
    -2**63 to 2**64 - 1 (ValueError beyond), a negative one wrapped to unsigned."""
    if strict:
        if isinstance(seed, np.integer):
            raise TypeError("an integer is required")
        if not isinstance(seed, builtins.int) or isinstance(seed, builtins.bool):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    else:
        seed = builtins.int(seed.item() if isinstance(seed, Tensor) else seed)
    if not -(2**63) <= seed < 2**64:
        raise ValueError("Overflow when unpacking long long")
    return seed % 2**64


class Generator:
    """``torch.Generator``: the CPU generator, a Mersenne Twister seeded with ``67280421310721`` until
    ``manual_seed`` is called.  It also holds the second sample of the last Box-Muller pair of the
    one-at-a-time normal sampler (``normal_distribution<double>``), which the next normal takes first;
    seeding clears it.  Only the CPU generator is modelled."""

    def __init__(self, device="cpu") -> None:
        d = _check_device(device, "Generator")
        if d is not None and d.type != "cpu":  # _check_device already refuses other devices
            raise NotImplementedError(f"a Generator on {d} is not modelled")
        self._mt = _MersenneTwister(_DEFAULT_SEED)
        self._normal: float | None = None  # the cached double normal sample
        self._float_normal = (0.0, False)  # stored in the state; no CPU kernel reads it

    @property
    def device(self):
        from ._tensor import device

        return device("cpu")

    def manual_seed(self, seed) -> Generator:
        """Seed with ``seed`` (an int in [-2**63, 2**64); a negative one counts modulo 2**64; only the
        low 32 bits reach the twister) and forget the cached normal sample."""
        self._mt = _MersenneTwister(_seed_value(seed, strict=True))
        self._normal, self._float_normal = None, (0.0, False)
        return self

    def seed(self) -> int:
        """Seed from the operating system's entropy and return the seed (not reproducible)."""
        value = builtins.int.from_bytes(os.urandom(8), "little")
        self.manual_seed(value)
        return value

    def initial_seed(self) -> int:
        """The seed last set (all 64 bits, as given)."""
        return self._mt.seed

    def get_state(self) -> Tensor:
        """The state as torch's 5056-byte ``CPUGeneratorImplState``: the seed (u64), ``left`` (i32),
        ``seeded`` (i32), ``next`` (u64), the 624 words (each a u64), the legacy normal fields
        (``normal_y`` holds the cached double sample, ``normal_is_valid`` whether there is one), then the
        float sample and its flag."""
        mt = self._mt
        buf = bytearray(_STATE_SIZE)
        struct.pack_into("<QiiQ", buf, 0, mt.seed, mt.left, 1, mt.next)
        buf[24 : 24 + 8 * _N] = mt.state.astype("<u8").tobytes()
        cached = self._normal is not None
        struct.pack_into("<dddi", buf, 24 + 8 * _N, 0.0, self._normal if cached else 0.0, 0.0, builtins.int(cached))
        struct.pack_into("<f?", buf, 5048, *self._float_normal)
        return Tensor._wrap(np.frombuffer(bytes(buf), np.uint8).copy())

    def set_state(self, new_state) -> Generator:
        """Restore a state from :meth:`get_state`: a uint8 tensor (TypeError otherwise) of 5056 bytes
        (RuntimeError otherwise) describing a seeded twister with ``0 < left <= 624`` and ``next <= 624``
        ("Invalid mt19937 state")."""
        if not isinstance(new_state, Tensor) or new_state.dtype is not D.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if new_state.numel() != _STATE_SIZE:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_SIZE} but found the input RNG state size "
                f"to be {new_state.numel()}"
            )
        buf = np.ascontiguousarray(new_state._data).reshape(-1).tobytes()
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", buf, 0)
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        mt = object.__new__(_MersenneTwister)
        mt.seed, mt.left, mt.next = seed, left, nxt
        mt.state = np.frombuffer(buf, "<u8", _N, 24).astype(np.uint32)
        _, normal_y, _, valid = struct.unpack_from("<dddi", buf, 24 + 8 * _N)
        self._mt, self._normal = mt, (normal_y if valid else None)
        value, flag = struct.unpack_from("<f?", buf, 5048)
        self._float_normal = (value, flag)
        return self

    # -- the two primitive draws ------------------------------------------------------------------------
    def _random(self, n: int) -> np.ndarray:
        return self._mt.draw(n)

    def _random64(self, n: int) -> np.ndarray:
        r = self._mt.draw(2 * n).astype(np.uint64)
        return (r[0::2] << np.uint64(32)) | r[1::2]


default_generator = Generator()


def manual_seed(seed) -> Generator:
    """Seed the default generator (``seed`` read with ``int()`` first, so ``1.5`` seeds 1) and return it."""
    return default_generator.manual_seed(_seed_value(seed, strict=False))


def seed() -> int:
    """Seed the default generator non-deterministically and return the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The default generator's seed."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The default generator's state (see :meth:`Generator.get_state`)."""
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    """Restore the default generator's state (see :meth:`Generator.set_state`)."""
    default_generator.set_state(new_state)


def _generator(gen, fname: str) -> Generator:
    if gen is None:
        return default_generator
    if not isinstance(gen, Generator):
        raise TypeError(f"{fname}(): argument 'generator' must be torch.Generator, not {type(gen).__name__}")
    return gen


# -- which kernel torch runs --------------------------------------------------------------------------
@functools.cache  # the CPU does not change while a process runs: read /proc/cpuinfo once
def _cpu_facts() -> tuple[str | None, frozenset[str]]:
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
    except OSError:
        return None, frozenset()
    vendor, flags = None, frozenset()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "vendor_id" and vendor is None:
            vendor = value.strip()
        elif key.strip() == "flags" and not flags:
            flags = frozenset(value.split())
    return vendor, flags


def mkl_bernoulli() -> bool:
    """Whether torch draws ``bernoulli_`` with a number ``p`` from MKL's stream instead of the twister:
    its MKL builds do on a CPU whose vendor (cpuinfo's, of processor 0) is Intel."""
    vendor, _ = _cpu_facts()
    return vendor == "GenuineIntel"


def cpu_capability() -> str | None:
    """The CPU kernel set torch dispatches to: ``ATEN_CPU_CAPABILITY`` when it names one (``default``,
    ``avx2``, ``avx512``), else AVX512 when the CPU has avx512vl/bw/dq and fma, AVX2 when it has avx2
    and fma, DEFAULT otherwise; None where the CPU's features cannot be read."""
    env = os.environ.get("ATEN_CPU_CAPABILITY")
    if env in ("default", "avx2", "avx512"):
        return env.upper()
    _, flags = _cpu_facts()
    if not flags:
        return None
    if {"avx512vl", "avx512bw", "avx512dq", "fma"} <= flags:
        return "AVX512"
    if {"avx2", "fma"} <= flags:
        return "AVX2"
    return "DEFAULT"


def _fused(what: str) -> bool:
    """Whether torch's kernel fuses ``a * b + c``: GCC contracts it where the kernel is built with
    ``-mfma`` (the AVX2 kernels, measured, and the AVX512 ones, built with the same flag); the generic
    kernel has no FMA (measured with ``ATEN_CPU_CAPABILITY=default``)."""
    cap = cpu_capability()
    if cap in ("AVX2", "AVX512"):
        return True
    if cap == "DEFAULT":
        return False
    raise NotImplementedError(f"{what}: which CPU kernel torch runs here (the CPU's features) is unknown")
