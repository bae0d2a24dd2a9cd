"""torch's CPU generator, checked two ways: generated programs of sampler calls against torch (values
and the generator's state bytes after every step), and the pieces of the reference against
independent definitions without torch (CPython's own Mersenne Twister, exact rational arithmetic for
the fused multiply-adds, a one-element-at-a-time Box-Muller)."""

from __future__ import annotations

import math
import struct
import warnings
from fractions import Fraction

import numpy as np
import pytest
import torch
from hypothesis import example, given, note, settings
from hypothesis import strategies as st

import reference
import strategies as S
from reference import _generator as G
from reference import _random_math as RM
from strategies import example_run
from strategies.random import SEEDS

from .oracles import random as O


def _observe(ns, program: list[str]) -> list[tuple]:
    """Each step's outcome (the result's values, dtype, shape and strides, or the exception class) and
    the bytes of both generators' states after it."""
    env: dict = {"torch": ns}
    seen = []
    for line in program:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                value = eval(line, env)  # noqa: S307 - the generated program's own lines
                if isinstance(value, ns.Tensor):
                    data = value.detach().numpy().copy()
                    value = (data.tobytes(), str(data.dtype), data.shape, tuple(value.stride()))
                else:
                    value = None
                outcome = ("ok", value)
            except Exception as e:  # noqa: BLE001 - errors are data here
                outcome = ("raised", type(e).__name__)
        state = bytes(ns.get_rng_state().numpy()), bytes(env["g"].get_state().numpy()) if "g" in env else b""
        if "x" in env:  # a tensor a step wrote into before it raised
            state += (env["x"].numpy().tobytes(),)
        seen.append((line, outcome, state))
    return seen


@settings(max_examples=max(settings.default.max_examples, 200))
@given(S.programs())
def test_random_programs_match_torch(program):
    """Every step of a generated program gives torch's values bit for bit, and leaves both generators
    (the default one and a second ``Generator``) in torch's state, byte for byte."""
    example_run()
    note("# the program (runs as is with `import torch`, or with `import reference as torch`):\n" + "\n".join(program))
    ours, theirs = _observe(reference, program), _observe(torch, program)
    for (line, out_r, state_r), (_, out_t, state_t) in zip(ours, theirs, strict=True):
        assert out_r[0] == out_t[0], f"{line}: reference {out_r} but torch {out_t}"
        if out_r[0] == "raised":
            assert out_r[1] == out_t[1], f"{line}: reference raised {out_r[1]}, torch {out_t[1]}"
            continue
        if out_r[1] is not None:
            assert out_r[1][1:] == out_t[1][1:], f"{line}: dtype/shape/strides {out_r[1][1:]} != torch {out_t[1][1:]}"
            assert out_r[1][0] == out_t[1][0], f"{line}: values differ from torch's bit for bit"
        assert state_r == state_t, f"{line}: the generator's state differs from torch's afterwards"


# -- the generator's own API -----------------------------------------------------------------------
def _outcome(fn):
    try:
        return ("ok", fn())
    except Exception as e:  # noqa: BLE001
        return ("raised", type(e).__name__)


@given(
    st.one_of(
        st.integers(-(2**64), 2**65),
        st.sampled_from((1.5, -2.5, True, "3", 2.0**63)),
        st.sampled_from(SEEDS),
    ),
    st.booleans(),
)
def test_seeding_arguments_match_torch(seed, on_generator):
    """``manual_seed`` (which reads its argument with ``int()``) and ``Generator.manual_seed`` (which
    refuses floats) accept and refuse the same seeds as torch, and store the same ``initial_seed``."""
    if isinstance(seed, int) and not isinstance(seed, bool) and not -(2**63) <= seed < 2**64:
        S.record("random: a seed beyond [-2**63, 2**64) (ValueError)")
    results = []
    for ns in (torch, reference):
        if on_generator:
            results.append(_outcome(lambda ns=ns: ns.Generator().manual_seed(seed).initial_seed()))
        else:
            results.append(_outcome(lambda ns=ns: (ns.manual_seed(seed), ns.initial_seed())[1]))
    assert results[0] == results[1], f"seed {seed!r}: torch {results[0]}, reference {results[1]}"


_STATE_DEFECTS = ("left 0", "left 625", "not seeded", "next 625", "wrong size", "wrong dtype", "cached normal")


@given(st.sampled_from(_STATE_DEFECTS), st.sampled_from(SEEDS), st.floats(-4, 4))
def test_set_state_matches_torch(defect, seed, cached):
    """``set_rng_state`` with edited states: torch's checks (size, dtype, a seeded twister with
    ``0 < left <= 624`` and ``next <= 624``) and a cached normal sample written into the legacy field
    (the next one-element normal returns it)."""
    S.record(f"random: set_rng_state with {defect}")
    torch.manual_seed(seed)
    raw = bytearray(bytes(torch.get_rng_state().numpy()))
    field = {
        "left 0": (8, "<i", 0),
        "left 625": (8, "<i", 625),
        "not seeded": (12, "<i", 0),
        "next 625": (16, "<Q", 625),
    }
    if defect in field:
        offset, fmt, value = field[defect]
        struct.pack_into(fmt, raw, offset, value)
    elif defect == "cached normal":
        struct.pack_into("<dddi", raw, 5016, 0.0, cached, 0.0, 1)
    results = []
    for ns in (torch, reference):
        if defect == "wrong size":
            state = ns.zeros(10, dtype=ns.uint8)
        elif defect == "wrong dtype":
            state = ns.zeros(5056)
        else:
            state = ns.from_numpy(np.frombuffer(bytes(raw), np.uint8).copy())
        results.append(
            _outcome(lambda ns=ns, state=state: (ns.set_rng_state(state), ns.randn(1, dtype=ns.float64).tolist())[1])
        )
    assert results[0] == results[1], f"{defect}: torch {results[0]}, reference {results[1]}"


def test_cpu_capability_matches_torch():
    """The reference reads the same CPU kernel set torch runs here: the roundings of the samplers
    depend on it."""
    assert reference.backends.cpu.get_cpu_capability() == torch.backends.cpu.get_cpu_capability()


def test_generator_defaults_match_torch():
    """A new Generator starts from torch's default seed, and its state is torch's."""
    assert reference.Generator().initial_seed() == torch.Generator().initial_seed()
    assert bytes(reference.Generator().get_state().numpy()) == bytes(torch.Generator().get_state().numpy())


# -- without torch ----------------------------------------------------------------------------------
@given(st.sampled_from(SEEDS) | st.integers(0, 2**64 - 1), st.integers(1, 3000))
def test_twister_matches_cpython(seed, n):
    """The reference's vectorised twister (refills in blocks) gives CPython's MT19937 draws, seeded as
    torch seeds it, across several refills and in uneven pieces."""
    ours = G._MersenneTwister(seed)
    theirs = O.twister(S.Seeding(seed))
    first = ours.draw(n // 3)
    rest = ours.draw(n - n // 3)
    assert np.concatenate([first, rest]).tolist() == [theirs.random() for _ in range(n)]


_FLOATS32 = st.floats(-1e6, 1e6, width=32) | st.sampled_from((0.5, 1.0, 2.0**-24, 1 - 2.0**-24, 3.0, -0.75))


@example(1 + 2.0**-12, 1 + 2.0**-12, 2.0**-60)  # a*b halfway between floats; c breaks the tie upward
@example(1 + 2.0**-12, 1 + 2.0**-12, -(2.0**-60))  # ... and downward
@given(_FLOATS32, _FLOATS32, _FLOATS32)
def test_fma32_is_exactly_rounded(a, b, c):
    """The emulated float32 fused multiply-add equals the exact ``a * b + c`` rounded once."""
    got = RM.fma32(np.float32(a), np.float32(b), np.float32(c))
    assert got == O.fused(np.float32(a), np.float32(b), np.float32(c), np.dtype(np.float32))


@given(st.floats(-1e100, 1e100), st.floats(-1e100, 1e100), st.floats(-1e100, 1e100))
def test_fma64_is_exactly_rounded(a, b, c):
    """The emulated float64 fused multiply-add equals the exact ``a * b + c`` rounded once."""
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if abs(exact) > Fraction(np.finfo(np.float64).max):
        return
    assert float(RM.fma64(a, b, c)) == float(exact)


@given(st.floats(2.0**-30, 1.0, width=32))
def test_cephes_log_is_a_logarithm(x):
    """The transcribed Cephes log is within 2 ulp of the true logarithm (a check of the transcription:
    torch's exact bits are compared in the programs above)."""
    got = float(RM.cephes_log(np.array([x], np.float32))[0])
    want = math.log(x)
    assert abs(got - want) <= 2 * float(np.spacing(np.float32(abs(want) or 1e-30))) + 1e-12


@given(st.floats(0, 6.283180236816406, width=32))
def test_cephes_sincos_is_sine_and_cosine(x):
    """The transcribed Cephes sine and cosine are within 2e-7 of the true ones on [0, 2 pi]."""
    s, c = RM.cephes_sincos(np.array([x], np.float32))
    assert abs(float(s[0]) - math.sin(x)) <= 2e-7 and abs(float(c[0]) - math.cos(x)) <= 2e-7


@given(st.sampled_from(SEEDS), st.integers(1, 40), st.sampled_from(("fresh", "cached normal")))
def test_double_normals_match_box_muller(seed, n, state):
    """``randn`` in float64, on the one-at-a-time path (fewer than 16) and the block path, equals
    Box-Muller written out element by element on CPython's twister."""
    seeding = S.Seeding(seed, state)
    seeding.apply(reference)
    got = reference.randn(n, dtype=reference.float64).numpy()
    tw = O.twister(seeding)
    if n < 16:
        want = []
        for _ in range(n):
            if tw.cached_normal is not None:
                want.append(tw.cached_normal)
                tw.cached_normal = None
                continue
            u1, u2 = tw.uniform_double(), tw.uniform_double()
            r = math.sqrt(-2.0 * math.log1p(-u2))
            tw.cached_normal = r * math.sin(2.0 * math.pi * u1)
            want.append(r * math.cos(2.0 * math.pi * u1))
    else:
        u = [tw.uniform_double() for _ in range(n)]
        tail = [tw.uniform_double() for _ in range(16)] if n % 16 else []

        def block(v):
            out = list(v)
            for j in range(8):
                r = math.sqrt(-2.0 * math.log(1 - v[j]))
                theta = 2.0 * math.pi * v[j + 8]
                out[j], out[j + 8] = r * math.cos(theta), r * math.sin(theta)
            return out

        want = []
        for i in range(0, n - 15, 16):
            want += block(u[i : i + 16])
        if tail:
            want = (want + [0.0] * 16)[: n - 16] + block(tail)
    assert got.tolist() == want


@pytest.mark.parametrize("name", ["rand", "randn", "randint", "randperm", "bernoulli"])
def test_samplers_are_reproducible(name):
    """The same seed gives the same numbers, a different seed other ones (the reference's own contract)."""
    make = {
        "rand": lambda: reference.rand(50),
        "randn": lambda: reference.randn(50),
        "randint": lambda: reference.randint(0, 1000, (50,)),
        "randperm": lambda: reference.randperm(50),
        "bernoulli": lambda: reference.bernoulli(reference.full((50,), 0.5)),
    }[name]
    reference.manual_seed(3)
    a = make().numpy()
    reference.manual_seed(3)
    b = make().numpy()
    reference.manual_seed(4)
    c = make().numpy()
    assert np.array_equal(a, b) and not np.array_equal(a, c)


@pytest.mark.skipif(S.random.NUMBER_P, reason="this CPU is not Intel: torch draws a number p from the twister")
def test_number_p_bernoulli_is_refused_on_intel():
    """On an Intel CPU torch's MKL build draws ``bernoulli_(p)`` for a number p from MKL's MCG31 stream,
    which the reference does not model: it refuses (NotImplementedError naming it) instead of guessing."""
    with pytest.raises(NotImplementedError, match="MKL"):
        reference.zeros(3).bernoulli_(0.5)
    with pytest.raises(NotImplementedError, match="MKL"):
        reference.nn.functional.dropout(reference.ones(3), 0.5)
