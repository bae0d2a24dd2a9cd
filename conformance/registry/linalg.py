"""Registry entries of linear algebra: einsum, matmul, SVD (reference/linalg.py, _einsum.py, _matmul.py; strategies/linalg.py)."""

from __future__ import annotations

import string

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ..svd_check import svd_comparison, svd_loss
from ._opinfo import OpInfo, loop, register

_LETTERS = string.ascii_uppercase + string.ascii_lowercase


def _to_sublist(term: str) -> list:
    out, i = [], 0
    term = term.replace(" ", "")
    while i < len(term):
        if term.startswith("...", i):
            out.append(Ellipsis)
            i += 3
        else:
            out.append(_LETTERS.index(term[i]))
            i += 1
    return out


def _einsum_call(ns, case, args, kwargs):
    eq, *ops = args
    if case.form == "list":
        return ns.einsum(eq, list(ops))
    if case.form == "sublist":
        lhs, arrow, rhs = eq.replace(" ", "").partition("->")
        flat: list = []
        for op, term in zip(ops, lhs.split(","), strict=True):
            flat += [op, _to_sublist(term)]
        if arrow:
            flat.append(_to_sublist(rhs))
        return ns.einsum(*flat)
    if case.form == "sublist-raw":
        return ns.einsum(*ops)
    return ns.einsum(eq, *ops)


def _einsum_scale(case: Case) -> np.ndarray:
    """sum |terms| of each output element: the einsum of the operands' magnitudes."""
    eq, *ops = case.args
    return oracles.einsum(eq, *[np.abs(o).astype(np.float64) for o in ops])


def _svd_call(variant: str):
    def call(ns, case, args, kwargs):
        (a,) = args
        if variant == "legacy":
            return ns.svd(a, **kwargs)
        if variant == "linalg":
            return ns.linalg.svd(a, **kwargs)
        return ns.linalg.svdvals(a)

    return call


register(
    OpInfo(
        "einsum",
        _einsum_call,
        S.einsum_args(),
        S.einsum_invalid(),
        family="sum",
        oracle=loop(oracles.einsum),
        scale=_einsum_scale,
        # known_differences: with several operands torch names the node after its contraction plan
        plan_dependent_grad_fn=lambda case: len(case.args) > 2,
        events=(
            "einsum: 1 operand(s)",
            "einsum: 2 operand(s)",
            "einsum: 3 operand(s)",
            "einsum: explicit output",
            "einsum: implicit output",
            "einsum: ellipsis",
            "einsum: ellipsis summed",
            "einsum: repeated subscript (diagonal)",
            "einsum: size-1 broadcasting",
            "einsum: empty dim",
            "einsum form: varargs",
            "einsum form: list",
            "einsum form: sublist",
            "einsum form: spaces",
        ),
    )
)


def _distinct_real_singular_values(case: Case) -> bool:
    """Gauge-invariant losses are differentiable only with distinct singular values, and complex SVD
    losses need a real part: gradient tests use real matrices with well-separated singular values."""
    return case.args[0].dtype.kind == "f" and case.kind == "well-separated"


_SVD_KINDS = tuple(
    f"svd: {k}"
    for k in ("tall", "wide", "square", "batched", "empty", "rank-deficient", "well-separated", "ill-conditioned")
) + ("svd: complex",)
for _name, _variant, _outputs, _zero_kw, _events in (
    ("svd", "legacy", ("U", "S", "V"), "compute_uv", _SVD_KINDS + ("svd: compute_uv=False",)),
    ("linalg.svd", "linalg", ("U", "S", "Vh"), None, _SVD_KINDS),
    ("linalg.svdvals", "svdvals", ("S",), None, _SVD_KINDS),
):
    register(
        OpInfo(
            _name,
            _svd_call(_variant),
            S.svd_args(_variant),
            S.svd_invalid(_variant),
            family="svd",
            compare=svd_comparison(_outputs, _zero_kw),
            # the reference's SVD backward is written in NumPy (first order only); torch differentiates it twice
            gradgrad=False,
            grad_loss=svd_loss(_outputs),
            grad_cases=_distinct_real_singular_values,
            events=_events,
        )
    )


def _matmul_call(ns, case, args, kwargs):
    a, b = args
    if case.form == "operator":
        return a @ b
    if case.form == "method":
        return a.matmul(b)
    return ns.matmul(a, b)


def _matmul_scale(case: Case) -> np.ndarray:
    a, b = (np.abs(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)) for x in case.args)
    return np.matmul(a, b)


register(
    OpInfo(
        "matmul",
        _matmul_call,
        S.matmul_args(),
        S.matmul_invalid(),
        family="sum",
        scale=_matmul_scale,
        events=("matmul: dot", "matmul: batched"),
    )
)
