"""Gradients: against torch with random cotangents, double backward, and against finite
differences without torch (a VJP check in random directions, float64)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

import reference
from strategies import Case

from .backends import collect_tensors, convert, flat_outputs
from .expect_plugin import REPLAY
from .expectations import LEDGER
from .gradients import compare_grads, grad_run
from .harness import builtin_class, repro, vote_verdict
from .registry import REGISTRY
from .targets import parse_target
from .test_ops import sides

OPS = [op for op in REGISTRY.values()]
IDS = [op.name for op in OPS]
SEEDS = st.integers(0, 2**32 - 1)


def _grad_case(op, data, finite_differences: bool = False):
    case = data.draw(op.cases(mutating=False, autograd=True, finite_differences=finite_differences), label="case")
    assume(op.grad_cases(case))
    return case


def _least_precise(run) -> str:
    """Gradients are only as accurate as the least precise dtype in the computation (leaves and outputs)."""
    from .gradients import GRAD_TOL

    names = [str(x.dtype).removeprefix("torch.") for x in list(run.leaves) + list(run.outputs)]
    names = [n for n in names if n in GRAD_TOL] or ["float64"]
    return max(names, key=lambda n: GRAD_TOL[n])


def _meta_problems(op, case, t, r) -> list[str]:
    problems = []
    T, R = t.backend.label, r.backend.label
    for i, (tm, rm) in enumerate(zip(t.meta, r.meta, strict=True)):
        if tm[:2] != rm[:2]:
            problems.append(f"output {i}: (requires_grad, is_leaf) {T} {tm[:2]} vs {R} {rm[:2]}")
        if tm[2] != rm[2] and t.backend.eager_graph and r.backend.eager_graph:
            problems.append(f"output {i}: grad_fn {T} {tm[2]} vs {R} {rm[2]}")
    return problems


def _raise_problems(t, r, same_class: bool) -> list[str]:
    """Where either side raised: both must (and with the same class, where asked)."""
    T, R = t.backend.label, r.backend.label
    if t.error is None or r.error is None:
        return [f"{t.stage}: {T} {t.error!r}, {R} {r.error!r}"]
    if same_class and builtin_class(t.error) is not builtin_class(r.error):
        return [f"{t.stage}: {T} {t.error!r} vs {R} {r.error!r}"]
    return []


def _first_order(op, case, t, r) -> list[str]:
    if t.error is not None or r.error is not None:
        return _raise_problems(t, r, same_class=True)
    worst = _least_precise(r)
    return _meta_problems(op, case, t, r) + compare_grads(
        t.grads, r.grads, "gradient", lambda i: worst, t.backend.label, r.backend.label
    )


def _second_order(op, case, t, r) -> list[str]:
    if t.error is not None or r.error is not None:
        return _raise_problems(t, r, same_class=False)
    if t.grads2 is None or r.grads2 is None or not t.grads2 or not r.grads2:
        return [] if bool(t.grads2) == bool(r.grads2) else ["only one side produced second-order gradients"]
    worst = _least_precise(r)
    return compare_grads(t.grads2, r.grads2, "second-order gradient", lambda i: worst, t.backend.label, r.backend.label)


def _gradient_check(op, target: str, case, seed: int, second_order: bool) -> list[str]:
    """Gradients of the target against its expected side; torch's eager CPU kernels vote on a disagreement."""
    compare = _second_order if second_order else _first_order
    tgt, exp = sides(target, "gradients")
    t = grad_run(op, case, tgt, seed, second_order=second_order)
    r = grad_run(op, case, exp, seed, second_order=second_order)
    test = "test_double_backward_matches_torch" if second_order else "test_gradients_match_torch"
    problems = LEDGER.excuse(compare(op, case, t, r), t.backend.spec, op.name, test, case)
    if problems and "torch:cpu" not in (t.backend.spec, r.backend.spec):
        eager = grad_run(op, case, parse_target("torch:cpu"), seed, second_order=second_order)
        with_target, with_expected = not compare(op, case, t, eager), not compare(op, case, eager, r)
        problems.append(vote_verdict(t.backend.label, r.backend.label, with_target, with_expected))
    return problems


def gradient_problems(op, target: str, case, seed: int = 0) -> list[str]:
    return _gradient_check(op, target, case, seed, second_order=False)


def double_backward_problems(op, target: str, case, seed: int = 0) -> list[str]:
    return _gradient_check(op, target, case, seed, second_order=True)


REPLAY.update(test_gradients_match_torch=gradient_problems, test_double_backward_matches_torch=double_backward_problems)


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data(), seed=SEEDS)
def test_gradients_match_torch(op, target, data, seed):
    """requires_grad, is_leaf and grad_fn of outputs; gradients for random cotangents."""
    sides(target, "gradients")
    case = _grad_case(op, data)
    note(repro(op, case, target))
    problems = gradient_problems(op, target, case, seed)
    assert not problems, "\n".join(problems)


SECOND_ORDER = [op for op in OPS if op.gradgrad and op.derivative_implemented]


@pytest.mark.parametrize("op", SECOND_ORDER, ids=[op.name for op in SECOND_ORDER])
@given(data=st.data(), seed=SEEDS)
def test_double_backward_matches_torch(op, target, data, seed):
    """Gradients of (random weights . first gradients), with create_graph=True."""
    sides(target, "gradients")
    case = _grad_case(op, data)
    assume(op.gradgrad_cases(case))
    note(repro(op, case, target))
    problems = double_backward_problems(op, target, case, seed)
    assert not problems, "\n".join(problems)


def test_svd_double_backward_is_reported_not_silently_wrong():
    A = reference.randn(3, 3, dtype=reference.float64, requires_grad=True)
    (g,) = reference.autograd.grad(reference.linalg.svdvals(A).sum(), A, create_graph=False)
    with pytest.raises(NotImplementedError, match="first-order"):
        reference.autograd.grad(reference.linalg.svdvals(A).sum(), A, create_graph=True)
    assert g.shape == A.shape


# -- finite differences: the reference alone ---------------------------------------------


def _as_float64(value):
    """Floating arrays (and dtype= arguments, which follow their inputs) widened to float64, complex ones
    to complex128."""
    wide = {"f": np.float64, "c": np.complex128}
    if isinstance(value, np.ndarray) and value.dtype.kind in wide:
        return value.astype(wide[value.dtype.kind])
    if isinstance(value, np.dtype) and value.kind in wide:
        return np.dtype(wide[value.kind])
    if isinstance(value, tuple):
        return tuple(_as_float64(v) for v in value)
    if isinstance(value, list):
        return [_as_float64(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_float64(v) for k, v in value.items()}
    return value


def _float_arrays(case: Case) -> list[np.ndarray]:
    return [a for a in case.arrays() if a.dtype in (np.float64, np.complex128)]


def _real_view(o) -> np.ndarray:
    """An output as real numbers: a complex one as its real parts, then its imaginary parts."""
    a = o.numpy().reshape(-1)
    return np.concatenate([a.real, a.imag]) if a.dtype.kind == "c" else a.astype(np.float64)


def _evaluate(op, case: Case, loss_rng_seed: int):
    """Reference outputs as one flat float64 vector (or the SVD loss), without autograd."""
    be = parse_target("reference")
    with reference.no_grad():
        outs = [
            o
            for o in flat_outputs(op.call(reference, case, convert(case.args, be), convert(case.kwargs, be)))
            if isinstance(o, reference.Tensor)
        ]
        if op.grad_loss is not None:
            return np.array([op.grad_loss(reference, outs, np.random.default_rng(loss_rng_seed)).item()])
    return np.concatenate(
        [_real_view(o) for o in outs if o.dtype.is_floating_point or o.dtype.is_complex] or [np.zeros(0)]
    )


def _shifted(case: Case, directions, h: float) -> Case:
    it = iter(directions)

    def shift(v):
        if isinstance(v, np.ndarray) and v.dtype in (np.float64, np.complex128):
            # in v's own order of strides: an op may depend on the layout (a sampler fills memory order)
            out = np.empty_like(v)
            out[...] = v + h * next(it)
            return out
        if isinstance(v, tuple):
            return tuple(shift(x) for x in v)
        if isinstance(v, list):
            return [shift(x) for x in v]
        return v

    args = shift(case.args)
    kwargs = {k: shift(v) for k, v in case.kwargs.items()}
    return replace(case, args=args, kwargs=kwargs)


DIFFERENTIABLE = [op for op in OPS if op.differentiable and op.derivative_implemented]


def _half_under_ci(test):
    """The ci profile gives the finite-difference check half its examples (30): CI's 20-minute budget on
    2 cores.  It checks the reference alone, so every op's VJP still meets ~30 random directions per run
    on top of the comparison with torch's gradients (60); dev and thorough run their full counts."""
    if settings.get_current_profile_name() == "ci":
        return settings(max_examples=settings.default.max_examples // 2)(test)
    return test


@pytest.mark.parametrize("op", DIFFERENTIABLE, ids=[op.name for op in DIFFERENTIABLE])
@_half_under_ci
@given(data=st.data(), seed=SEEDS)
def test_gradients_match_finite_differences(op, data, seed):
    """<u, J v> by central differences equals <VJP(u), v> in float64, in random directions u, v.

    Complex inputs and outputs count as pairs of real numbers: a complex input moves in a complex
    direction, a complex output contributes ``Re(conj(w) o)``, and torch's gradient ``g`` of a real loss
    (``dL/dRe + i dL/dIm``) gives the directional derivative ``Re(conj(g) v)``."""
    case = _grad_case(op, data, finite_differences=True)
    assume(not op.may_refuse(case))  # finite differences need a value
    case = replace(case, args=_as_float64(case.args), kwargs=_as_float64(case.kwargs))
    xs = _float_arrays(case)
    assume(xs and all(np.isfinite(a).all() for a in xs) and all(a.size for a in xs))
    assume(op.fd_cases(case))
    rng = np.random.default_rng(seed)
    v = [rng.standard_normal(a.shape) + (1j * rng.standard_normal(a.shape) if a.dtype.kind == "c" else 0) for a in xs]
    if op.fd_directions is not None:
        v = op.fd_directions(case, v)
    vmax = max(float(np.max(np.abs(d))) for d in v)
    h = 1e-6 * max(1.0, max(float(np.max(np.abs(a))) for a in xs))  # a step relative to the inputs' size
    f0 = _evaluate(op, case, seed)
    fp = _evaluate(op, _shifted(case, v, h), seed)
    fm = _evaluate(op, _shifted(case, v, -h), seed)
    assume(f0.size and np.isfinite(f0).all() and np.isfinite(fp).all() and np.isfinite(fm).all())
    # a kink (clamp at a bound, ...) between x-h and x+h shows as a second difference of order h
    # (a smooth function gives order h^2): skip those points
    assume(float(np.max(np.abs(fp - 2 * f0 + fm))) <= 1e-3 * h * vmax)
    u = rng.standard_normal(f0.shape)
    fd = float(u @ ((fp - fm) / (2 * h)))
    cancellation = 8 * np.finfo(np.float64).eps * float(np.abs(u) @ np.abs(f0)) / h

    be = parse_target("reference")
    args, kwargs = convert(case.args, be), convert(case.kwargs, be)
    leaves = [t for t in collect_tensors((args, kwargs), be) if t.dtype in (reference.float64, reference.complex128)]
    for t in leaves:
        t.requires_grad_(True)
    outs = [o for o in flat_outputs(op.call(reference, case, args, kwargs)) if isinstance(o, reference.Tensor)]
    if op.grad_loss is not None:
        loss = op.grad_loss(reference, outs, np.random.default_rng(seed))
        loss = loss * float(u[0])
    else:
        pieces, offset = [], 0
        for o in outs:
            if not (o.dtype.is_floating_point or o.dtype.is_complex):
                continue
            n = o.numel()
            shape = tuple(o.shape)
            if o.dtype.is_complex:  # Re(conj(w) o): the weights of the real parts, then the imaginary ones
                w = np.conj(u[offset : offset + n] + 1j * u[offset + n : offset + 2 * n]).reshape(shape)
                offset += 2 * n
                if o.requires_grad:
                    pieces.append((o * reference.from_numpy(w.astype(np.complex128))).real.sum())
                continue
            w = u[offset : offset + n].reshape(shape).astype(o.numpy(force=True).dtype)
            offset += n
            if o.requires_grad:
                pieces.append((o * reference.from_numpy(w)).sum())
        assume(pieces)
        loss = pieces[0]
        for p in pieces[1:]:
            loss = loss + p
    grads = reference.autograd.grad(loss, leaves, allow_unused=True)
    ad = sum(float(np.sum(np.real(np.conj(g.numpy()) * d))) for g, d in zip(grads, v, strict=True) if g is not None)
    bound = sum(float(np.sum(np.abs(g.numpy() * d))) for g, d in zip(grads, v, strict=True) if g is not None)
    note(f"finite differences {fd!r}, reverse mode {ad!r}, step {h!r} on {case!r}")
    assert abs(fd - ad) <= 1e-5 * (1.0 + bound + abs(fd)) + cancellation, f"VJP {ad} != finite differences {fd}"
