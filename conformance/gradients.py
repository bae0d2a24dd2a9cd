"""Gradient runs: the same case, cotangents and loss on a target and on its expected side.

Every floating/complex tensor argument becomes a leaf that requires grad.
Outputs get random cotangents (seeded, identical on both sides), not just
``.sum()``.  SVD outputs are gauge-dependent, so for them the cotangent is
applied to gauge-invariant functions (the entry's ``grad_loss``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from strategies import Case

from .backends import collect_tensors, convert, flat_outputs, random_like
from .registry import OpInfo
from .targets import Target


@dataclass
class GradRun:
    backend: Target
    leaves: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    meta: list = field(default_factory=list)  # (requires_grad, is_leaf, grad_fn name) per output
    grads: list = field(default_factory=list)
    grads2: list | None = None
    error: BaseException | None = None
    stage: str = ""


def differentiable(x, backend: Target) -> bool:
    return backend.is_tensor(x) and (x.dtype.is_floating_point or x.dtype.is_complex)


def grad_run(op: OpInfo, case: Case, backend: Target, seed: int, second_order: bool = False) -> GradRun:
    ns = backend.ns
    run = GradRun(backend)
    args = convert(case.args, backend)
    kwargs = convert(case.kwargs, backend)
    run.leaves = [t for t in collect_tensors((args, kwargs), backend) if differentiable(t, backend)]
    for t in run.leaves:
        t.requires_grad_(True)
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            run.stage = "forward"
            outs = [o for o in flat_outputs(backend.call(op, case, args, kwargs)) if backend.is_tensor(o)]
            run.outputs = outs
            run.meta = [(o.requires_grad, o.is_leaf, o.grad_fn.name() if o.grad_fn is not None else None) for o in outs]
            if not run.leaves:
                return run
            if op.grad_loss is not None:
                roots, cots = [op.grad_loss(ns, outs, rng)], [None]
            else:
                roots = [o for o in outs if o.requires_grad]
                cots = [
                    backend.from_array(random_like(rng, tuple(o.shape), np.dtype(backend.dtype_name(o)))) for o in roots
                ]
            if not roots:
                return run
            run.stage = "backward"
            grads = ns.autograd.grad(roots, run.leaves, cots, allow_unused=True, create_graph=second_order)
            run.grads = [None if g is None else backend.to_numpy(g) for g in grads]
            if second_order:
                run.stage = "double backward"
                used = [(g, t) for g, t in zip(grads, run.leaves, strict=True) if g is not None and g.requires_grad]
                if not used:
                    run.grads2 = []
                    return run
                total = None
                for g, _ in used:
                    w = backend.from_array(random_like(rng, tuple(g.shape), np.dtype(backend.dtype_name(g))))
                    term = (g * w).sum()
                    total = term if total is None else total + term
                total = total.real  # a real scalar (the tensor itself when already real)
                g2 = ns.autograd.grad([total], run.leaves, allow_unused=True)
                run.grads2 = [None if g is None else backend.to_numpy(g) for g in g2]
        except Exception as e:  # noqa: BLE001 - errors are compared
            run.error = e
    return run


GRAD_TOL = {"float16": 2e-2, "float32": 2e-4, "complex64": 2e-4, "float64": 1e-9, "complex128": 1e-9}


def compare_grads(a: list, b: list, label: str, dtype_of, T: str = "torch", R: str = "reference") -> list[str]:
    """Gradients of one side (``a``, named ``T``) against the other's (``b``, named ``R``)."""
    problems = []
    for i, (ga, gb) in enumerate(zip(a, b, strict=True)):
        if (ga is None) != (gb is None):
            problems.append(
                f"{label} of input {i}: {T} {'None' if ga is None else 'a tensor'}, {R} {'None' if gb is None else 'a tensor'}"
            )
            continue
        if ga is None:
            continue
        if ga.shape != gb.shape or ga.dtype != gb.dtype:
            problems.append(f"{label} of input {i}: {T} {ga.dtype}{ga.shape} vs {R} {gb.dtype}{gb.shape}")
            continue
        tol = GRAD_TOL.get(dtype_of(i), 2e-4)
        x, y = ga.astype(np.complex128), gb.astype(np.complex128)
        finite = np.isfinite(x) & np.isfinite(y)
        scale = max(1.0, float(np.max(np.abs(x[finite]))) if finite.any() else 1.0)
        with np.errstate(invalid="ignore"):
            close = (np.abs(x - y) <= tol * scale) | (np.isnan(x) & np.isnan(y)) | (np.isinf(x) & (x == y))
        if not close.all():
            p = tuple(int(v) for v in np.argwhere(~close)[0])
            problems.append(
                f"{label} of input {i}: {int((~close).sum())} of {close.size} values differ beyond {tol}*{scale:.3g}; "
                f"at {p}: {T} {ga[p]!r} vs {R} {gb[p]!r}"
            )
    return problems
