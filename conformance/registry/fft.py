"""Registry entries of torch.fft (reference/fft.py, strategies/fft.py, oracles/fft.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case
from strategies.fft import MULTI_DIM_OPS, NORMS, ONE_DIM_OPS

from .. import oracles
from ._opinfo import Clause, OpInfo, loop, register
from ._perf import rng, wide
from ._signature import Signature


def _bound(op: str):
    """Each output's sum of |terms| times the normalization: the FFT's rounding is relative to it (an
    output near 0 is a cancellation of large terms)."""

    def scale(case: Case) -> np.ndarray:
        return oracles.fft_bound(op, case.args[0], case.kwargs)

    return scale


def _norm_events(op: str) -> tuple[str, ...]:
    return tuple(f"{op}: norm={n}" for n in NORMS + ("omitted",))


def _length_events(op: str) -> tuple[str, ...]:
    return (
        f"{op}: odd length",
        f"{op}: even length",
        f"{op}: n shorter than the input",
        f"{op}: n longer than the input",
        f"{op}: length 1",
    )


def _input_events(op: str, kind: str) -> tuple[str, ...]:
    kinds = ("real", "integer or bool") if kind == "r2c" else ("real", "complex", "integer or bool")
    return tuple(f"{op}: {k} input" for k in kinds)


_KIND_RULE = {
    "c2c": (
        Clause("a real input gives the full spectrum, complex64 from float32", lambda c: c.args[0].dtype.kind != "c"),
        Clause("integers and bool are transformed as the default float dtype", lambda c: c.args[0].dtype.kind in "iub"),
    ),
    "r2c": (
        Clause("only bins 0 .. n // 2 are returned (the rest mirror them)", lambda c: True),
        Clause("integers and bool are transformed as the default float dtype", lambda c: c.args[0].dtype.kind in "iub"),
    ),
    "c2r": (
        Clause(
            "n is the output's length, default 2 * (m - 1); the input is cropped or padded to n // 2 + 1 bins",
            lambda c: True,
        ),
        Clause(
            "the imaginary parts of bin 0 and of the Nyquist bin are not read",
            lambda c: c.args[0].dtype.kind == "c",
        ),
        Clause("a real input is transformed as complex", lambda c: c.args[0].dtype.kind != "c"),
    ),
}
_LAYOUT_RULE = Clause(
    "transformed dims innermost, the others outside them in the input's order of strides",
    lambda c: c.args[0].ndim > 1,
)


def _one_dim_perf(op: str, kind: str):
    """The transform of each 64-long row of an (n/64, 64) float32 (complex64) signal, and the same along
    the rows' dim (a strided transform)."""

    def perf(ns, T, n: int):
        x = wide(n)
        if kind != "r2c":
            x = (x + 1j * wide(n, low=-2.0)).astype(np.complex64)
        if kind == "c2r":
            x = x[:, :33]  # 33 bins: a 64-long real output
        t = T(np.ascontiguousarray(x), True)
        fn = getattr(ns.fft, op.removeprefix("fft."))
        return {f"{op} (rows)": lambda: fn(t), f"{op} (dim 0)": lambda: fn(t, dim=0)}

    return perf


def _transform(op: str, kind: str, signature: str, args, invalid, clauses, events=(), perf=None) -> OpInfo:
    """A transform's entry: the summing tolerance relative to each output's sum of |terms|, the loop
    definition, and the clauses and events every transform of its kind shares."""
    return OpInfo(
        op,
        Signature(signature),
        args,
        invalid,
        family="fft",
        scale=_bound(op),
        oracle=loop(oracles.fft_transform(op)),
        rule=(*_KIND_RULE[kind], _LAYOUT_RULE, *clauses),
        events=_norm_events(op) + _length_events(op) + _input_events(op, kind) + tuple(events),
        perf=perf,
    )


for _op, _kind in ONE_DIM_OPS.items():
    register(
        _transform(
            _op,
            _kind,
            f"{_op}(input, n=None, dim=-1, norm=None)",
            S.fft_args(_op),
            S.fft_invalid(_op),
            (
                Clause("n crops the signal (a view)", event=f"{_op}: n shorter than the input"),
                Clause("n zero-pads the signal", event=f"{_op}: n longer than the input"),
                Clause("norm='forward' divides the forward transform by n", event=f"{_op}: norm=forward"),
                Clause("norm='ortho' divides both directions by sqrt(n)", event=f"{_op}: norm=ortho"),
            ),
            perf=_one_dim_perf(_op, _kind),
        )
    )


def _multi_dim_perf(op: str, kind: str):
    """The 2-d transform of a sqrt(n)-square float32 (complex64) signal."""

    def perf(ns, T, n: int):
        side = max(int(np.sqrt(n)), 2)
        x = rng().standard_normal((side, side)).astype(np.float32)
        if kind != "r2c":
            x = (x + 1j * rng().standard_normal((side, side))).astype(np.complex64)
        t = T(x, True)
        fn = getattr(ns.fft, op.removeprefix("fft."))
        return lambda: fn(t)

    return perf


for _op, (_kind, _default) in MULTI_DIM_OPS.items():
    register(
        _transform(
            _op,
            _kind,
            f"{_op}(input, s=None, dim={_default!r}, norm=None)",
            S.fftn_args(_op),
            S.fftn_invalid(_op),
            (
                Clause("s crops or zero-pads each transformed dim", event=f"{_op}: s given"),
                Clause("-1 in s keeps that dim's length", event=f"{_op}: -1 in s keeps a length"),
                Clause(
                    "the dims' order does not change the values, only the layout", event=f"{_op}: dims out of order"
                ),
                Clause("norm divides by the product of the lengths", event=f"{_op}: norm=forward"),
            ),
            events=(f"{_op}: no dims to transform (a copy)",) if _kind == "c2c" and _default is None else (),
            perf=_multi_dim_perf(_op, _kind),
        )
    )


def _frequencies_perf(op: str):
    def perf(ns, T, n: int):
        fn = getattr(ns.fft, op.removeprefix("fft."))
        return lambda: fn(n, 0.5)

    return perf


for _op in ("fft.fftfreq", "fft.rfftfreq"):
    register(
        OpInfo(
            _op,
            Signature(f"{_op}(n, d=1.0, *, dtype=None, requires_grad=False)"),
            S.fftfreq_args(_op),
            S.fftfreq_invalid(_op),
            family="frequencies",
            oracle=loop(getattr(oracles, _op.removeprefix("fft."))),
            differentiable=False,
            rule=(
                Clause("k / (n d), the default dtype unless dtype= says otherwise", lambda c: True),
                Clause(
                    "d = 0 gives infinite frequencies (and NaN for k = 0)", event=f"{_op}: d=0 (infinite frequencies)"
                ),
                Clause("requires_grad=True makes a leaf", event=f"{_op}: requires_grad=True"),
                Clause("n = 0 is empty (fftfreq) or one NaN bin (rfftfreq)", event=f"{_op}: empty n"),
            ),
            events=(f"{_op}: odd n", f"{_op}: even n", f"{_op}: negative d", f"{_op}: dtype=float16"),
            perf=_frequencies_perf(_op),
        )
    )


def _shift_perf(op: str):
    def perf(ns, T, n: int):
        x = T(wide(n), True)
        fn = getattr(ns.fft, op.removeprefix("fft."))
        return lambda: fn(x)

    return perf


for _op in ("fft.fftshift", "fft.ifftshift"):
    register(
        OpInfo(
            _op,
            Signature(f"{_op}(input, dim=None)"),
            S.fftshift_args(_op),
            S.fftshift_invalid(_op),
            oracle=loop(getattr(oracles, _op.removeprefix("fft."))),
            rule=(
                Clause("a roll by n // 2 ((n + 1) // 2 for ifftshift) of each dim", lambda c: True),
                Clause("every dim when dim is None", event=f"{_op}: dim as none"),
                Clause("a dim named twice is rolled twice", event=f"{_op}: a dim named twice (rolled twice)"),
                Clause("fftshift and ifftshift differ for odd lengths", event=f"{_op}: an odd length"),
            ),
            events=(f"{_op}: dim as int", f"{_op}: dim as tuple", f"{_op}: an even length"),
            perf=_shift_perf(_op),
        )
    )
