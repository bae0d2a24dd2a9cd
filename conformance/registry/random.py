"""Registry entries of torch's CPU samplers (reference/_random.py, strategies/random.py).

A sampler's values are a function of the generator's state, so every call first sets both namespaces'
generators up the same way (the case's :class:`~strategies.random.Seeding`) and then makes the call:
equal values mean the reference reproduces torch's stream bit for bit.  The in-place samplers run on
a clone of the case's tensor (same order of strides), so the case's own tensor is never written.
"""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ._opinfo import Clause, OpInfo, register
from ._perf import wide
from .creation import _options, _with_out


def _seeded_kwargs(ns, seeding, kwargs: dict) -> dict:
    """The case's keywords for ``ns`` (dtype names made dtypes, out= left to the call) and, for a case
    seeded on its own Generator, ``generator=``: ``seeding`` (the call's first argument; a compiled
    call gets its arguments apart from the case) set up right before the call."""
    kw = _options(ns, kwargs)
    gen = seeding.apply(ns)
    if gen is not None:
        kw["generator"] = gen
    return kw


def _sampler_call(name: str):
    """``rand``/``randn`` with the size as a tuple, varargs or ``size=``, or with an out tensor."""

    def call(ns, case: Case, args, kwargs):
        fn = getattr(ns, name)
        _, size = args
        size = tuple(size)
        if case.form.startswith("out"):
            # the out tensor is made first: torch.empty draws nothing, and the seeding must come last
            return _with_out(
                ns, case, kwargs, size, lambda out: fn(size, out=out, **_seeded_kwargs(ns, args[0], kwargs))
            )
        kw = _seeded_kwargs(ns, args[0], kwargs)
        if case.form == "generator type":
            return fn(size, generator=3, **kw)
        if case.form == "varargs":
            return fn(*size, **kw)
        if case.form == "size keyword":
            return fn(size=size, **kw)
        return fn(size, **kw)

    return call


def _randint_call(ns, case: Case, args, kwargs):
    _, low, high, size = args
    if case.form.startswith("out"):
        shape = tuple(size)
        return _with_out(
            ns,
            case,
            kwargs,
            shape,
            lambda out: ns.randint(low, high, shape, out=out, **_seeded_kwargs(ns, args[0], kwargs)),
        )
    kw = _seeded_kwargs(ns, args[0], kwargs)
    if case.form == "high size":
        return ns.randint(high, size, **kw)
    if case.form == "keywords":
        return ns.randint(low=low, high=high, size=size, **kw)
    if case.form == "size keyword":
        return ns.randint(low, high, size=size, **kw)
    return ns.randint(low, high, size, **kw)


def _randperm_call(ns, case: Case, args, kwargs):
    _, n = args
    if case.form.startswith("out"):
        return _with_out(
            ns, case, kwargs, (n,), lambda out: ns.randperm(n, out=out, **_seeded_kwargs(ns, args[0], kwargs))
        )
    return ns.randperm(n, **_seeded_kwargs(ns, args[0], kwargs))


def _bernoulli_call(ns, case: Case, args, kwargs):
    _, p, *number = args
    if case.form == "out":
        return _with_out(
            ns,
            case,
            kwargs,
            tuple(p.shape),
            lambda out: ns.bernoulli(p, out=out, **_seeded_kwargs(ns, args[0], kwargs)),
        )
    kw = _seeded_kwargs(ns, args[0], kwargs)
    return ns.bernoulli(p, *number, **kw)


def _like_call(name: str):
    def call(ns, case: Case, args, kwargs):
        _, x, *bounds = args
        return getattr(ns, name)(x, *bounds, **_seeded_kwargs(ns, args[0], kwargs))

    return call


def _fill_call(name: str):
    """``x.clone().<name>(*params)``: the clone keeps the order of strides (so the draws land in the
    same memory order) and autograd sees a non-leaf."""

    def call(ns, case: Case, args, kwargs):
        _, x, *params = args
        target = x.clone()
        return getattr(target, name)(*params, **_seeded_kwargs(ns, args[0], kwargs))

    return call


def _seeded_row(ns, fn):
    """A perf row's call with ``ns``'s generator seeded when the row is made (outside the timed calls),
    so both sides draw the same stream."""
    ns.manual_seed(0)
    return fn


def _p_inside(case: Case) -> bool:
    """Finite differences move every input by about 1e-6 of the largest one: probabilities at 0 or 1, or
    a large tensor beside them, would step ``p`` outside [0, 1], which torch refuses."""
    floats = [a for a in case.args[1:] if hasattr(a, "dtype") and a.dtype.kind == "f"]
    if any(a.size and float(np.max(np.abs(a))) > 100 for a in floats):
        return False
    return all(bool(((p >= 1e-3) & (p <= 1 - 1e-3)).all()) for p in floats[-1:])


_STATES = tuple(f"generator state {s}" for s in S.random.PRESTATES)

for _name in ("rand", "randn"):
    register(
        OpInfo(
            f"{_name}",
            _sampler_call(_name),
            S.sampler_args(_name),
            S.sampler_invalid(_name),
            oracle=oracles.rand if _name == "rand" else None,
            differentiable=False,
            rule=(
                *(Clause(s, event=f"{_name}: {s}") for s in _STATES),
                Clause(
                    "complex: real and imaginary parts in turn",
                    event=f"{_name}: a complex dtype (real and imaginary parts drawn in turn)",
                ),
                Clause("float16 is computed in float", event=f"{_name}: float16 (computed in float, rounded)"),
                Clause("out= of the right shape is filled in its memory order", event=f"{_name}: out strided"),
                Clause("a non-empty out= is resized", event=f"{_name}: out resized"),
                Clause("requires_grad=True makes a leaf", event=f"{_name}: requires_grad=True (a leaf)"),
                *(
                    (
                        Clause("block fill", event="randn: the block fill (contiguous, 16 or more elements)"),
                        Clause("tail redrawn", event="randn: the last 16 drawn again (16 does not divide the size)"),
                        Clause("one at a time", event="randn: one normal at a time (fewer than 16, or not contiguous)"),
                    )
                    if _name == "randn"
                    else ()
                ),
            ),
            events=tuple(
                f"{_name} invalid: {d}" for d in ("integer dtype", "negative size", "generator type", "out dtype")
            ),
            perf=lambda ns, T, n, _name=_name: _seeded_row(ns, lambda: getattr(ns, _name)(n)),
        )
    )

register(
    OpInfo(
        "randint",
        _randint_call,
        S.randint_args(),
        S.randint_invalid(),
        oracle=oracles.randint,
        differentiable=False,
        rule=(
            *(Clause(s, event=f"randint: {s}") for s in _STATES),
            Clause("32-bit draws below a range of 2**28", event="randint: 32-bit draws"),
            Clause("64-bit draws from a range of 2**28", event="randint: 64-bit draws (a range of 2**28 or more)"),
            Clause("a negative low", event="randint: a negative low"),
            Clause("bounds that round to 2**63 read as INT64_MIN", event="randint: floating bounds near int64's ends"),
            Clause("a floating dtype holds the integers", event="randint: dtype float32"),
            Clause(
                "a floating dtype's bounds move inward where their neighbours round past them",
                event="randint: float32 bounds beyond 2**24 (moved inward)",
            ),
            Clause("a narrow integer dtype", event="randint: dtype uint8"),
            Clause("out= of the right shape is filled in its memory order", event="randint: out strided"),
        ),
        events=tuple(f"randint invalid: {d}" for d in ("empty range", "beyond dtype", "float bound", "int size")),
        perf=lambda ns, T, n: _seeded_row(ns, lambda: ns.randint(0, 1000, (n,))),
    )
)

register(
    OpInfo(
        "randperm",
        _randperm_call,
        S.randperm_args(),
        S.randperm_invalid(),
        oracle=oracles.randperm,
        differentiable=False,
        rule=(
            *(Clause(s, event=f"randperm: {s}") for s in _STATES),
            Clause("n = 0 is empty", event="randperm: n = 0"),
            Clause("more swaps than one refill", event="randperm: more draws than one refill of the twister"),
            Clause("a floating dtype", event="randperm: dtype float16"),
            Clause("out= of the right shape", event="randperm: out strided"),
        ),
        events=tuple(
            f"randperm invalid: {d}" for d in ("negative", "bool dtype", "too big for float16", "too big for int8")
        ),
        # one Python-level swap per element in the reference: measured at up to 1e5
        perf=lambda ns, T, n: _seeded_row(ns, lambda: ns.randperm(n)),
        perf_max_elements=100_000,
    )
)

register(
    OpInfo(
        "bernoulli",
        _bernoulli_call,
        S.bernoulli_args(),
        S.bernoulli_invalid(),
        oracle=oracles.bernoulli,
        # bernoulli(x, p) with x requiring grad: torch's node raises "derivative ... not implemented",
        # and out= refuses autograd; both are compared by the values test
        grad_cases=lambda c: c.form == "tensor p",
        fd_cases=_p_inside,
        rule=(
            *(Clause(s, event=f"bernoulli: {s}") for s in _STATES),
            Clause("a float p draws a float's uniform", event="bernoulli: p of dtype float32"),
            Clause("a double p draws a double's uniform", event="bernoulli: p of dtype float64"),
            Clause("a half p is read as a float", event="bernoulli: p of dtype float16"),
            Clause(
                "a contiguous result whatever p's layout",
                event="bernoulli: a non-contiguous p (the result is contiguous, p read in its order)",
            ),
            # not generated where torch draws a number p from MKL (Intel CPUs): see strategies.random.NUMBER_P
            *((Clause("a number p", event="bernoulli: number p"),) if S.random.NUMBER_P else ()),
            Clause("out=", event="bernoulli: out"),
        ),
        events=tuple(f"bernoulli invalid: {d}" for d in ("p outside", "integer p", "number p outside")),
        perf=lambda ns, T, n: (lambda p: _seeded_row(ns, lambda: ns.bernoulli(p)))(T(wide(n, low=0.0, high=1.0), True)),
    )
)

for _name, _oracle in (("rand_like", oracles.rand_like), ("randn_like", None), ("randint_like", oracles.randint_like)):
    register(
        OpInfo(
            _name,
            _like_call(_name),
            S.like_args(_name),
            S.like_invalid(_name),
            oracle=_oracle,
            differentiable=False,
            rule=(
                *(Clause(s, event=f"{_name}: {s}") for s in _STATES),
                Clause(
                    "a non-contiguous input's layout, filled in memory order",
                    event=f"{_name}: a non-contiguous input (the result keeps a dense layout, filled in memory order)",
                ),
                *(
                    (
                        Clause(
                            "not contiguous: one at a time",
                            event="randn_like: 16 or more elements not contiguous (one at a time)",
                        ),
                    )
                    if _name == "randn_like"
                    else ()
                ),
            ),
            events=(f"{_name} invalid: {'empty range' if _name == 'randint_like' else 'integer dtype'}",),
            perf=lambda ns, T, n, _name=_name: (
                lambda x: _seeded_row(
                    ns,
                    (lambda: getattr(ns, _name)(x, 10)) if _name == "randint_like" else (lambda: getattr(ns, _name)(x)),
                )
            )(T(wide(n))),
        )
    )

for _name, _oracle in (("normal_", None), ("uniform_", oracles.uniform_), ("bernoulli_", oracles.bernoulli_)):
    register(
        OpInfo(
            f"Tensor.{_name}",
            _fill_call(_name),
            S.fill_args(_name),
            S.fill_invalid(_name),
            oracle=_oracle,
            # bernoulli_ on an integer tensor with p requiring grad: torch marks the integer result as
            # requiring grad and its backward fails an internal assert (refused by the reference, listed
            # in known_differences)
            grad_cases=lambda c: c.args[1].dtype.kind in "fc",
            fd_cases=_p_inside if _name == "bernoulli_" else (lambda c: True),
            rule=(
                *(Clause(s, event=f"{_name}: {s}") for s in _STATES),
                Clause("filled in memory order", event=f"{_name}: a non-contiguous tensor (filled in memory order)"),
                *{
                    "normal_": (
                        Clause("block fill", event="normal_: the block fill (contiguous, 16 or more elements)"),
                        Clause(
                            "one at a time", event="normal_: one normal at a time (fewer than 16, or not contiguous)"
                        ),
                        Clause("mean and std (fused)", event="normal_: a mean and std other than 0 and 1"),
                        Clause(
                            "a double's extreme mean or std",
                            event="normal_: a double's extreme mean or std (near overflow, subnormal)",
                        ),
                    ),
                    "uniform_": (
                        Clause("bounds (fused)", event="uniform_: bounds other than 0 and 1"),
                        Clause(
                            "a double's extreme bounds",
                            event="uniform_: a double's extreme bounds (near overflow, subnormal)",
                        ),
                    ),
                    "bernoulli_": (
                        *((Clause("a number p", event="bernoulli_: a number p"),) if S.random.NUMBER_P else ()),
                        Clause("a float tensor p", event="bernoulli_: a tensor p of dtype float32"),
                        Clause("a double tensor p", event="bernoulli_: a tensor p of dtype float64"),
                        Clause("p broadcast", event="bernoulli_: p broadcast to the tensor"),
                    ),
                }[_name],
            ),
            events=tuple(
                f"{_name} invalid: {d}"
                for d in {
                    "normal_": ("negative std", "integer tensor"),
                    "uniform_": ("from above to", "range too wide", "infinite bound", "integer tensor"),
                    "bernoulli_": ("complex tensor", "number p outside", "p does not expand"),
                }[_name]
            ),
            # on a clone of an input that requires grad: the forward+backward row differentiates through it
            perf=lambda ns, T, n, _name=_name: (
                lambda x: _seeded_row(
                    ns,
                    lambda: getattr(x.clone(), _name)(0.5) if _name == "bernoulli_" else getattr(x.clone(), _name)(),
                )
            )(T(wide(n), True)),
        )
    )
