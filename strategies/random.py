"""Random: the samplers of torch's CPU generator, and the generator's state around them.

A sampler's semantics live as much in the generator's state as in its arguments, so every case
carries a :class:`Seeding`: the seed (including ones that differ only above bit 32, negative ones and
2**63), and what happened since (nothing; a one-element normal that left Box-Muller's second sample
cached in the generator; a run of draws that crosses the twister's 624-word refill; a separate
``Generator`` object passed as ``generator=``).  Sizes sit around the normal sampler's switch at 16
contiguous elements and its blocks of 16; integer ranges around the 2**28 switch to 64-bit draws;
layouts are contiguous, transposed or sliced, because a sampler fills its output in memory order and a
non-contiguous normal takes the one-at-a-time path.

:func:`programs` generates whole programs of sampler calls, seedings and state save/restores, compared
step by step (values and the generator's state bytes) in ``conformance/test_random.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from ._arrays import arrays
from ._case import Case
from ._coverage import record

__all__ = [
    "Seeding",
    "seedings",
    "sampler_args",
    "sampler_invalid",
    "randint_args",
    "randint_invalid",
    "randperm_args",
    "randperm_invalid",
    "bernoulli_args",
    "bernoulli_invalid",
    "like_args",
    "like_invalid",
    "fill_args",
    "fill_invalid",
    "programs",
]


def _number_p_modelled() -> bool:
    """bernoulli with a number ``p`` draws from MKL's stream on Intel CPUs, which the reference does not
    model (it raises NotImplementedError, a known difference): there, such cases are not generated."""
    from reference._generator import mkl_bernoulli

    return not mkl_bernoulli()


NUMBER_P = _number_p_modelled()
SAMPLER_DTYPES = ("float32", "float64", "float16", "complex64", "complex128")
#: seeds worth naming: the same low 32 bits (2**32 + 5 is 5's stream), 2**63 and 2**64 - 1 (negative as
#: int64), -1 (wrapped to 2**64 - 1)
SEEDS = (0, 1, 5, 2**32 + 5, 2**63, 2**64 - 1, -1, 42)
#: sizes around the normal sampler's switch (16 contiguous elements) and its blocks of 16
SIZES = ((), (0,), (1,), (3,), (15,), (16,), (17,), (31,), (33,), (4, 4), (3, 7), (2, 3, 5), (5, 9))
PRESTATES = ("fresh", "cached normal", "mid-stream", "generator")


@dataclass(frozen=True)
class Seeding:
    """How the generator stands before the call: ``manual_seed(seed)``, then nothing (``fresh``), a
    one-element double normal (``cached normal``: the pair's second sample waits in the generator),
    ``skip`` float uniforms (``mid-stream``: across the 624-word refill), or a new ``Generator``
    seeded with ``seed`` and passed as ``generator=`` (``generator``)."""

    seed: int
    state: str = "fresh"
    skip: int = 0

    def apply(self, ns):
        """Set ``ns``'s generator up; returns the Generator to pass as ``generator=``, or None."""
        if self.state == "generator":
            return ns.Generator().manual_seed(self.seed)
        ns.manual_seed(self.seed)
        if self.state == "cached normal":
            ns.randn(1, dtype=ns.float64)
        elif self.state == "mid-stream":
            ns.rand(self.skip)
        return None

    def __repr__(self) -> str:
        extra = f", skip={self.skip}" if self.state == "mid-stream" else ""
        return f"Seeding({self.seed}, {self.state!r}{extra})"


@st.composite
def seedings(draw, op: str, states: tuple[str, ...] = PRESTATES) -> Seeding:
    """A :class:`Seeding` (``states``: the ones the op can take; an op without ``generator=`` leaves out
    ``"generator"``)."""
    seed = draw(st.one_of(st.sampled_from(SEEDS), st.integers(0, 2**64 - 1)))
    state = draw(st.sampled_from(states))
    record(f"{op}: generator state {state}")
    if seed >= 2**32 or seed < 0:
        record("random: a seed beyond 32 bits (only the low 32 bits reach the twister)")
    return Seeding(seed, state, draw(st.integers(600, 640)) if state == "mid-stream" else 0)


def _out_form(draw, op: str, kwargs: dict, dtype: str | None, choices) -> str:
    form = draw(st.sampled_from(("tuple", "varargs", "size keyword", "out", "out strided", "out resized")))
    if form.startswith("out"):
        kwargs["out"] = dtype or draw(st.sampled_from(choices))
        record(f"{op}: {form}")
    return form


def _record_normal_path(op: str, size: tuple[int, ...], contiguous: bool) -> None:
    n = int(np.prod(size))
    if n >= 16 and contiguous:
        record(f"{op}: the block fill (contiguous, 16 or more elements)")
        if n % 16:
            record(f"{op}: the last 16 drawn again (16 does not divide the size)")
    elif n:
        record(f"{op}: one normal at a time (fewer than 16, or not contiguous)")


@st.composite
def sampler_args(draw, op: str) -> Case:
    """``rand``/``randn``: a size around the switch at 16, a floating or complex dtype (or the default),
    the size as a tuple, varargs or ``size=``, or an out tensor (empty, strided -- filled in its memory
    order -- or resized)."""
    seeding = draw(seedings(op))
    size = draw(st.sampled_from(SIZES))
    dtype = draw(st.sampled_from((None,) + SAMPLER_DTYPES))
    kwargs: dict = {}
    if dtype is not None:
        kwargs["dtype"] = dtype
    form = _out_form(draw, op, kwargs, dtype, SAMPLER_DTYPES)
    if form == "varargs" and not size:
        form = "tuple"
    if not form.startswith("out") and draw(st.integers(0, 3)) == 0:
        kwargs["requires_grad"] = True
        record(f"{op}: requires_grad=True (a leaf)")
    real = (dtype or kwargs.get("out") or "float32").startswith("float")
    if not real:
        record(f"{op}: a complex dtype (real and imaginary parts drawn in turn)")
    if (dtype or kwargs.get("out")) == "float16":
        record(f"{op}: float16 (computed in float, rounded)")
    if op == "randn":
        n = int(np.prod(size)) * (1 if real else 2)
        _record_normal_path(op, (n,), form != "out strided" or len(size) < 2)
    return Case((seeding, size), kwargs, form=form)


@st.composite
def sampler_invalid(draw, op: str) -> Case:
    """An integer or bool dtype (no kernel: NotImplementedError), a negative size, a generator that is
    not a Generator, dtype= that out= does not have."""
    defect = draw(st.sampled_from(("integer dtype", "negative size", "generator type", "out dtype")))
    record(f"{op} invalid: {defect}")
    seeding = Seeding(draw(st.sampled_from(SEEDS)))
    if defect == "integer dtype":
        dt = draw(st.sampled_from(("int64", "int32", "uint8", "bool")))
        return Case((seeding, (3,)), {"dtype": dt}, form="tuple", expect="not implemented")
    if defect == "negative size":
        return Case((seeding, (2, -1)), form="tuple", expect="negative")
    if defect == "generator type":
        return Case((seeding, (3,)), form="generator type", expect="generator")
    return Case((seeding, (3,)), {"dtype": "float64", "out": "float32"}, form="out", expect="dtype")


# -- randint ----------------------------------------------------------------------------------------
INT_SPANS = (1, 2, 7, 1000, 2**28 - 1, 2**28, 2**33)
RANDINT_DTYPES = ("int64", "int32", "int16", "uint8", "int8", "float32", "float64")


@st.composite
def randint_args(draw) -> Case:
    """``randint(low, high, size)`` or ``randint(high, size)``: ranges on both sides of the 2**28 switch
    to 64-bit draws, negative lows, and dtypes the bounds fit (floating ones within the integers they
    hold exactly, and beyond them for float32's moved bounds)."""
    seeding = draw(seedings("randint"))
    form = draw(st.sampled_from(("low high size", "high size", "keywords", "size keyword", "out", "out strided")))
    span = draw(st.sampled_from(INT_SPANS))
    dtype = draw(st.sampled_from((None,) + RANDINT_DTYPES))
    dt = np.dtype(dtype or "int64")
    if dt.kind in "iu":
        info = np.iinfo(dt)
        lowest, highest = int(info.min), min(int(info.max) + 1, 2**63 - 1)  # high itself is an int64
    else:
        exact = 2 ** (np.finfo(dt).nmant + 1)
        lowest, highest = -exact, exact + 1
        if dt == np.float32 and draw(st.booleans()):  # beyond 2**24: bounds move inward (only a warning)
            lowest, highest = -(2**40), 2**40
            span = max(span, 2**19)  # wider than the two float32 spacings (<= 2**17 here) the bounds may move
            record("randint: float32 bounds beyond 2**24 (moved inward)")
        elif dt != np.float16 and form != "high size" and draw(st.integers(0, 3)) == 0:
            # near int64's ends a bound rounds to 2**63, which C++ casts back to INT64_MIN
            low, high = draw(
                st.sampled_from(((0, 2**63 - 1), (2**63 - 2**40, 2**63 - 1), (-(2**63), -(2**63) + 2**40)))
            )
            record("randint: floating bounds near int64's ends")
            kwargs = {"dtype": dtype}
            if form.startswith("out"):
                kwargs["out"] = dtype
            return Case((seeding, low, high, draw(st.sampled_from(SIZES))), kwargs, form=form)
    if form == "high size":
        lowest = 0
    span = min(span, highest - lowest)
    low = 0 if form == "high size" else draw(st.integers(lowest, highest - span))
    record(f"randint: {'64-bit draws (a range of 2**28 or more)' if span >= 2**28 else '32-bit draws'}")
    if low < 0:
        record("randint: a negative low")
    size = draw(st.sampled_from(SIZES))
    kwargs: dict = {}
    if dtype is not None:
        kwargs["dtype"] = dtype
        record(f"randint: dtype {dtype}")
    if form.startswith("out"):
        kwargs["out"] = dtype or "int64"
        record(f"randint: {form}")
    return Case((seeding, low, low + span, size), kwargs, form=form)


@st.composite
def randint_invalid(draw) -> Case:
    """``low >= high``, ``high - 1`` or ``low`` beyond the dtype, a float bound, a lone int size."""
    defect = draw(st.sampled_from(("empty range", "beyond dtype", "float bound", "int size")))
    record(f"randint invalid: {defect}")
    seeding = Seeding(draw(st.sampled_from(SEEDS)))
    if defect == "empty range":
        low = draw(st.integers(-5, 5))
        return Case((seeding, low, low - draw(st.integers(0, 3)), (3,)), form="low high size", expect="from")
    if defect == "beyond dtype":
        dt, low, high = draw(st.sampled_from((("uint8", 0, 300), ("uint8", -1, 3), ("int8", 0, 200), ("bool", 0, 3))))
        return Case((seeding, low, high, (3,)), {"dtype": dt}, form="low high size", expect="out of bounds")
    if defect == "float bound":
        return Case((seeding, 0, 3.5, (3,)), form="low high size", expect="high")
    return Case((seeding, 0, 3, 3), form="low high size", expect="size")


# -- randperm ---------------------------------------------------------------------------------------
@st.composite
def randperm_args(draw) -> Case:
    """``randperm(n)`` for small and empty ``n`` and any dtype that holds ``n - 1``."""
    seeding = draw(seedings("randperm"))
    n = draw(st.sampled_from((0, 1, 2, 3, 10, 17, 100, 700)))
    dtype = draw(st.sampled_from((None, "int64", "int32", "int16", "uint8", "float32", "float64", "float16")))
    if dtype in ("uint8",) and n > 256:
        n = 256
    kwargs: dict = {}
    if dtype is not None:
        kwargs["dtype"] = dtype
        record(f"randperm: dtype {dtype}")
    if n == 0:
        record("randperm: n = 0")
    if n > 624:
        record("randperm: more draws than one refill of the twister")
    form = draw(st.sampled_from(("positional", "out", "out strided")))
    if form.startswith("out"):
        kwargs["out"] = dtype or "int64"
        record(f"randperm: {form}")
    return Case((seeding, n), kwargs, form=form)


@st.composite
def randperm_invalid(draw) -> Case:
    """A negative ``n``, bool or complex dtypes (no kernel), ``n`` too big for the dtype."""
    defect = draw(st.sampled_from(("negative", "bool dtype", "too big for float16", "too big for int8")))
    record(f"randperm invalid: {defect}")
    seeding = Seeding(draw(st.sampled_from(SEEDS)))
    if defect == "negative":
        return Case((seeding, -draw(st.integers(1, 5))), form="positional", expect="negative")
    if defect == "bool dtype":
        dt = draw(st.sampled_from(("bool", "complex64")))
        return Case((seeding, 3), {"dtype": dt}, form="positional", expect="not implemented")
    if defect == "too big for float16":
        return Case((seeding, 2050 + draw(st.integers(0, 10))), {"dtype": "float16"}, form="positional", expect="Half")
    return Case((seeding, 129 + draw(st.integers(0, 10))), {"dtype": "int8"}, form="positional", expect="overflow")


# -- bernoulli ---------------------------------------------------------------------------------------
def _probabilities(dtype: str) -> st.SearchStrategy:
    return st.one_of(st.sampled_from((0.0, 1.0, 0.5)), st.floats(0, 1, width=np.dtype(dtype).itemsize * 8))


@st.composite
def bernoulli_args(draw) -> Case:
    """``bernoulli(p)`` with a float16/32/64 tensor of probabilities (0 and 1 included; the uniform is a
    float's for float ``p``, a double's for double), any layout (filled in memory order), or
    ``bernoulli(x, p)`` with a number."""
    seeding = draw(seedings("bernoulli"))
    dtype = draw(st.sampled_from(("float32", "float64", "float16")))
    shape = draw(st.sampled_from(((), (0,), (5,), (3, 4), (2, 3, 2))))
    p = draw(arrays(dtype, shape, elements_strategy=_probabilities(dtype), layouts=("contiguous", "transposed")))
    record(f"bernoulli: p of dtype {dtype}")
    if p.ndim >= 2 and not p.flags.c_contiguous:
        record("bernoulli: a non-contiguous p (the result is contiguous, p read in its order)")
    form = draw(st.sampled_from(("tensor p", "out") + (("number p",) if NUMBER_P else ())))
    record(f"bernoulli: {form}")
    if form == "number p":
        return Case((seeding, p, draw(_probabilities("float64"))), form=form)
    return Case((seeding, p), {"out": dtype} if form == "out" else {}, form=form)


@st.composite
def bernoulli_invalid(draw) -> Case:
    """Probabilities outside [0, 1] (NaN included), an integer tensor of probabilities, a number ``p``
    outside [0, 1]."""
    defect = draw(st.sampled_from(("p outside", "integer p", "number p outside")))
    record(f"bernoulli invalid: {defect}")
    seeding = Seeding(draw(st.sampled_from(SEEDS)))
    if defect == "p outside":
        bad = draw(st.sampled_from((1.5, -0.25, float("nan"))))
        return Case((seeding, np.array([0.5, bad], np.float32)), form="tensor p", expect="p_in", kind="value")
    if defect == "integer p":
        return Case((seeding, np.array([1, 0], np.int64)), form="tensor p", expect="not implemented")
    return Case((seeding, np.zeros(3, np.float32), draw(st.sampled_from((1.5, -0.5)))), form="number p", expect="p")


# -- rand_like / randn_like / randint_like -----------------------------------------------------------
@st.composite
def like_args(draw, op: str) -> Case:
    """``*_like`` of an input of any layout (the result is made in the input's dense order, or
    contiguous when the input is not dense, and filled in memory order), with ``dtype=`` sometimes."""
    seeding = draw(seedings(op))
    shape = draw(st.sampled_from(((), (5,), (4, 4), (3, 7), (5, 4), (2, 3, 5))))
    names = SAMPLER_DTYPES if op != "randint_like" else ("int64", "int32", "float32", "float64")
    dtype = draw(st.sampled_from(names))
    x = draw(arrays(dtype, shape, layouts=("contiguous", "transposed", "sliced")))
    kwargs: dict = {}
    if draw(st.booleans()):
        kwargs["dtype"] = draw(st.sampled_from(names))
    if x.ndim >= 2 and not x.flags.c_contiguous:
        record(f"{op}: a non-contiguous input (the result keeps a dense layout, filled in memory order)")
        if op == "randn_like" and x.size >= 16:
            record("randn_like: 16 or more elements not contiguous (one at a time)")
    args = (seeding, x) if op != "randint_like" else (seeding, x, *draw(st.sampled_from(((10,), (-3, 4), (0, 2**30)))))
    return Case(args, kwargs, form="positional")


@st.composite
def like_invalid(draw, op: str) -> Case:
    """An integer input or dtype for rand_like/randn_like (no kernel); an empty range for randint_like."""
    seeding = Seeding(draw(st.sampled_from(SEEDS)))
    if op == "randint_like":
        record("randint_like invalid: empty range")
        return Case((seeding, np.zeros(3, np.float32), 3, 3), form="positional", expect="from")
    record(f"{op} invalid: integer dtype")
    return Case((seeding, np.zeros(3, np.int64)), form="positional", expect="not implemented")


# -- normal_ / uniform_ / bernoulli_ -----------------------------------------------------------------
@st.composite
def fill_args(draw, op: str) -> Case:
    """An in-place sampler on a tensor of any dense or sliced layout (the draws follow memory order; a
    non-contiguous normal_ goes one at a time), with non-default parameters (whose arithmetic torch's
    AVX2 kernel fuses)."""
    seeding = draw(seedings(op))
    shape = draw(st.sampled_from(((), (5,), (16,), (17,), (4, 4), (3, 7), (5, 4), (2, 3, 5))))
    names = SAMPLER_DTYPES if op != "bernoulli_" else ("float32", "float64", "int64", "uint8", "bool")
    dtype = draw(st.sampled_from(names))
    x = draw(arrays(dtype, shape, layouts=("contiguous", "transposed", "sliced")))
    contiguous = x.flags.c_contiguous
    if not contiguous and x.size > 1:
        record(f"{op}: a non-contiguous tensor (filled in memory order)")
    # a double's ends of range: near overflow and subnormal, where a fused multiply-add is hardest to get right
    extreme = dtype in ("float64", "complex128") and draw(st.integers(0, 3)) == 0
    if op == "normal_":
        params = (draw(st.sampled_from((0.0, 0.5, -3.0))), draw(st.sampled_from((1.0, 0.0, 2.5, 1e-3))))
        if extreme:
            params = draw(st.sampled_from(((1e307, 1e307), (0.0, 5e-324), (1e-310, 1e-309), (-1e300, 1e305))))
            record("normal_: a double's extreme mean or std (near overflow, subnormal)")
        _record_normal_path(op, shape, contiguous)
        if params != (0.0, 1.0):
            record("normal_: a mean and std other than 0 and 1")
    elif op == "uniform_":
        low = draw(st.sampled_from((0.0, -2.0, 0.25, -1e3)))
        params = (low, low + draw(st.sampled_from((1.0, 3.5, 0.0, 1e3))))
        if extreme:
            params = draw(st.sampled_from(((1e300, 1e301), (1e-310, 2e-310), (-5e-324, 5e-324), (-1e307, 1e307))))
            record("uniform_: a double's extreme bounds (near overflow, subnormal)")
        if params != (0.0, 1.0):
            record("uniform_: bounds other than 0 and 1")
    else:
        if NUMBER_P and draw(st.booleans()):
            params = (draw(_probabilities("float64")),)
            record("bernoulli_: a number p")
        else:
            pdt = draw(st.sampled_from(("float32", "float64")))
            pshape = draw(st.sampled_from((shape, shape[1:], ())))
            params = (draw(arrays(pdt, pshape, elements_strategy=_probabilities(pdt), layouts=("contiguous",))),)
            record(f"bernoulli_: a tensor p of dtype {pdt}")
            if pshape != shape:
                record("bernoulli_: p broadcast to the tensor")
    return Case((seeding, x, *params), form="method")


@st.composite
def fill_invalid(draw, op: str) -> Case:
    """normal_: a negative std or an integer tensor; uniform_: ``from > to``, a range beyond the dtype's
    largest value, an infinite bound, an integer tensor; bernoulli_: ``p`` outside [0, 1], a ``p`` that
    does not expand to the tensor."""
    seeding = Seeding(draw(st.sampled_from(SEEDS)))
    x = np.zeros(3, np.float32)
    if op == "normal_":
        defect = draw(st.sampled_from(("negative std", "integer tensor")))
        record(f"normal_ invalid: {defect}")
        if defect == "negative std":
            return Case((seeding, x, 0.0, -draw(st.sampled_from((1.0, 1e-3)))), form="method", expect="std")
        return Case((seeding, np.zeros(3, np.int64)), form="method", expect="not implemented")
    if op == "uniform_":
        defect = draw(st.sampled_from(("from above to", "range too wide", "infinite bound", "integer tensor")))
        record(f"uniform_ invalid: {defect}")
        if defect == "from above to":
            return Case((seeding, x, 2.0, 1.0), form="method", expect="from")
        if defect == "range too wide":
            return Case((seeding, x, -3e38, 3e38), form="method", expect="to-from")
        if defect == "infinite bound":
            return Case((seeding, x, 0.0, float("inf")), form="method", expect="to")
        return Case((seeding, np.zeros(3, np.int64)), form="method", expect="not implemented")
    defect = draw(st.sampled_from(("complex tensor", "number p outside", "p does not expand")))
    record(f"bernoulli_ invalid: {defect}")
    if defect == "complex tensor":  # no bernoulli kernel for complex tensors
        return Case((seeding, np.zeros(3, np.complex64), 0.5), form="method", expect="not implemented")
    if defect == "number p outside":
        return Case((seeding, x, draw(st.sampled_from((1.5, -0.5)))), form="method", expect="p")
    return Case((seeding, x, np.full(2, 0.5, np.float32)), form="method", expect="size")


# -- programs ----------------------------------------------------------------------------------------
_STEPS = (
    "seed",
    "rand",
    "randn",
    "randint",
    "randperm",
    "bernoulli",
    "bernoulli_",
    "normal_",
    "uniform_",
    "state",
    "bad p",
    "refused",
)
#: what a run of the generated programs must reach (``conformance/test_random.py``)
REQUIRED_EVENTS: tuple[str, ...] = (
    *(f"random program: {k}" for k in _STEPS),
    "random program: a state restored",
    "random program: a step on the second Generator",
    *(f"random program: {k} on a non-contiguous tensor" for k in ("normal_", "uniform_", "bernoulli_")),
)


@st.composite
def _step(draw) -> str:
    kind = draw(st.sampled_from(_STEPS))
    size = draw(st.sampled_from(SIZES))
    dtype = draw(st.sampled_from(SAMPLER_DTYPES))
    gen = draw(st.sampled_from(("", ", generator=g")))
    record(f"random program: {kind}")
    if gen and kind not in ("seed", "state"):
        record("random program: a step on the second Generator")
    if kind == "seed":
        return f"torch.manual_seed({draw(st.sampled_from(SEEDS))})"
    if kind == "state":
        saved = draw(st.sampled_from(("saved", "torch.get_rng_state()")))
        record("random program: a state restored")
        return f"torch.set_rng_state({saved})"
    if kind == "bad p":  # torch checks each p as it comes: the elements before a bad one are written
        return f"(x := torch.full((6,), 7.0)).bernoulli_(torch.rand(6{gen}) * 3 - 1{gen}), x"
    if kind == "refused":  # refused before any draw: the generator does not move
        target = draw(
            st.sampled_from(
                ("torch.zeros(3).expand(4, 3)", "torch.ones(2, requires_grad=True)", "torch.zeros(3, 2).t()")
            )
        )
        return f"{target}.{draw(st.sampled_from(('uniform_()', 'normal_()', 'bernoulli_(torch.tensor(0.5))')))}"
    if kind in ("rand", "randn"):
        return f"torch.{kind}({size}, dtype=torch.{dtype}{gen})"
    if kind == "randint":
        low = draw(st.sampled_from((0, -7, -(2**40))))
        return f"torch.randint({low}, {low + draw(st.sampled_from(INT_SPANS))}, {size}{gen})"
    if kind == "randperm":
        return f"torch.randperm({draw(st.sampled_from((0, 1, 5, 100)))}{gen})"
    if kind == "bernoulli":
        pdt = draw(st.sampled_from(("float32", "float64")))
        return f"torch.bernoulli(torch.rand({size}, dtype=torch.{pdt}){gen})"
    layout = draw(st.sampled_from({1: ("", "[::2]"), 2: ("", ".t()", "[::2]")}.get(len(size), ("",))))
    if layout:
        record(f"random program: {kind} on a non-contiguous tensor")
    target = f"torch.zeros({size}, dtype=torch.{dtype if kind != 'bernoulli_' else 'float32'}){layout}"
    if kind == "bernoulli_":
        p = draw(st.sampled_from((0.0, 0.3, 1.0)))
        # where a number p is not modelled (MKL on Intel), a 0-d tensor p: the twister path, any shape
        return f"{target}.bernoulli_({p if NUMBER_P else f'torch.tensor({p})'}{gen})"
    if kind == "normal_":
        return f"{target}.normal_({draw(st.sampled_from((0.0, 1.5)))}, {draw(st.sampled_from((1.0, 0.5)))}{gen})"
    return f"{target}.uniform_({draw(st.sampled_from((0.0, -1.0)))}, {draw(st.sampled_from((1.0, 2.0)))}{gen})"


@st.composite
def programs(draw, max_steps: int = 8) -> list[str]:
    """A program of sampler calls on the default generator and on a second ``Generator`` ``g``,
    reseedings and state restores (``saved`` is the default generator's state after the setup), as
    source lines runnable with ``torch`` bound to either namespace."""
    seed = draw(st.sampled_from(SEEDS))
    setup = [
        f"torch.manual_seed({seed})",
        f"g = torch.Generator().manual_seed({draw(st.sampled_from(SEEDS))})",
        "saved = torch.get_rng_state()",
    ]
    return setup + [draw(_step()) for _ in range(draw(st.integers(1, max_steps)))]
