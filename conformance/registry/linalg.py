"""Registry entries of linear algebra: einsum, matmul, SVD (reference/linalg.py, _einsum.py, _matmul.py; strategies/linalg.py)."""

from __future__ import annotations

import operator
import string

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ..svd_check import svd_comparison, svd_loss
from ._opinfo import Clause, OpInfo, loop, register
from ._perf import square, wide
from ._signature import Signature

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


#: the dtypes einsum computes in whatever its plan: narrower integers and bool keep their dtype through a
#: pairwise product (bmm) but become int64 through a sum, and bool cannot be summed
_EINSUM_PLAN_FREE = {np.dtype(n) for n in ("float32", "float64", "complex64", "complex128", "int64")}


def _einsum_may_refuse(case: Case) -> bool:
    """Operands of several dtypes, narrower integers and bool reach bmm's one-dtype check (or its
    missing bool kernel) on some plans only: torch refuses those, and the reference must too."""
    dtypes = {op.dtype for op in case.args[1:]}
    return len(dtypes) > 1 or not dtypes <= _EINSUM_PLAN_FREE


def _einsum_scale(case: Case) -> np.ndarray:
    """sum |terms| of each output element: the einsum of the operands' magnitudes."""
    eq, *ops = case.args
    return oracles.einsum(eq, *[np.abs(o).astype(np.float64) for o in ops])


def _einsum_perf(ns, T, n: int):
    """A matrix product of two sqrt(n)-square matrices (one bmm) and a column sum (one sum)."""
    a, b, x = T(square(n), True), T(square(n, seed=1), True), T(wide(n), True)
    return {"einsum ij,jk->ik": lambda: ns.einsum("ij,jk->ik", a, b), "einsum ij->j": lambda: ns.einsum("ij->j", x)}


register(
    OpInfo(
        "einsum",
        _einsum_call,
        S.einsum_args(),
        S.einsum_invalid(),
        family="sum",
        oracle=loop(oracles.einsum),
        scale=_einsum_scale,
        may_refuse=_einsum_may_refuse,
        # mixed operands: a pairwise product of the less precise ones is rounded before a later promotion
        rounds_at_input_precision=lambda case: len({op.dtype for op in case.args[1:]}) > 1,
        rule=(
            Clause(
                "without ->, the output lists the subscripts that appear once, sorted", event="einsum: implicit output"
            ),
            Clause(
                "with ->, the output follows the given subscripts; the others are summed",
                event="einsum: explicit output",
            ),
            Clause(
                "a subscript repeated within one operand takes its diagonal",
                event="einsum: repeated subscript (diagonal)",
            ),
            Clause(
                "... stands for the broadcast batch dims, kept in front of an implicit output", event="einsum: ellipsis"
            ),
            Clause("... left out of an explicit output is summed", event="einsum: ellipsis summed"),
            Clause("a size-1 dim broadcasts against the same subscript elsewhere", event="einsum: size-1 broadcasting"),
            Clause("a subscript of size 0 gives an empty or zero result", event="einsum: empty dim"),
            Clause("one operand: a permutation, trace or sum", event="einsum: 1 operand(s)"),
            Clause("two operands: a contraction", event="einsum: 2 operand(s)"),
            Clause(
                "three operands: contracted left to right (torch's plan without opt_einsum), so the result's "
                "strides and graph come from the last pairwise product",
                event="einsum: 3 operand(s)",
            ),
            Clause(
                "a pair whose right side's kept dims all come before the left's swaps roles in bmm (so the "
                "product is written in output order)",
                event="einsum: output lists a later operand's labels first",
            ),
            Clause(
                "narrower integers keep their dtype through a pairwise product (bmm) and become int64 where a "
                "label summed by one operand alone goes through sum; bool multiplies but has no bmm",
                event="einsum: narrow integer or bool operands",
            ),
            Clause(
                "operands of different dtypes promote in a broadcast product (nothing summed) and are refused at "
                "a pairwise contraction, which needs one dtype",
                event="einsum: mixed operand dtypes",
            ),
            Clause("operands may come as varargs, a list, or sublists of integers", event="einsum form: sublist"),
        ),
        events=("einsum form: varargs", "einsum form: list", "einsum form: spaces"),
        perf=_einsum_perf,
    )
)


def _distinct_real_singular_values(case: Case) -> bool:
    """Gauge-invariant losses are differentiable only with distinct singular values, and complex SVD
    losses need a real part: gradient tests use real matrices with well-separated singular values."""
    return case.args[0].dtype.kind == "f" and case.kind == "well-separated"


def _shape_kind(case: Case) -> str:
    m, n = case.args[0].shape[-2:]
    return "tall" if m > n else "wide" if m < n else "square"


_SVD_RULE = (
    Clause("singular values are real, non-negative and descending", event="svd: well-separated"),
    Clause("a complex input gives real singular values and complex vectors", event="svd: complex"),
    Clause("zero singular values of a rank-deficient input are returned as (near) 0", event="svd: rank-deficient"),
    Clause("tiny singular values keep their relative accuracy order", event="svd: ill-conditioned"),
    Clause("a batch of matrices is decomposed matrix by matrix", event="svd: batched"),
    Clause("an empty matrix gives empty factors", event="svd: empty"),
    Clause("k = min(m, n) singular values for tall and wide inputs", event="svd: tall"),
    Clause("wide inputs too", event="svd: wide"),
    Clause("square inputs", event="svd: square"),
)
_SVD_VARIANT_RULES = {
    "legacy": (
        Clause("V is returned, not its conjugate transpose", lambda c: c.kwargs.get("compute_uv", True)),
        Clause(
            "some=True (default) gives reduced U and V, some=False square ones",
            lambda c: not c.kwargs.get("some", True) and _shape_kind(c) != "square",
        ),
        Clause("compute_uv=False gives zero-filled U and V", event="svd: compute_uv=False"),
    ),
    "linalg": (
        Clause(
            "full_matrices=True (default) gives square U and Vh",
            lambda c: c.kwargs.get("full_matrices", True) and _shape_kind(c) != "square",
        ),
        Clause(
            "full_matrices=False gives U (m, k) and Vh (k, n)",
            lambda c: c.kwargs.get("full_matrices") is False and _shape_kind(c) != "square",
        ),
    ),
    "svdvals": (Clause("only S is returned, the same as linalg.svd's", event="svd: well-separated"),),
}
_SVD_SIGNATURES = {
    "legacy": Signature("svd(input, some=True, compute_uv=True)", method=True),
    "linalg": Signature("linalg.svd(A, full_matrices=True, *, driver=None)"),
    "svdvals": Signature("linalg.svdvals(A, *, driver=None)"),
}


def _svd_perf(name: str):
    """The op on a square float32 matrix of about n elements (reduced factors where there is a choice)."""
    kwargs = {"full_matrices": False} if name == "linalg.svd" else {}

    def perf(ns, T, n: int):
        A = T(square(n), True)
        fn = operator.attrgetter(name)(ns)
        return lambda: fn(A, **kwargs)

    return perf


for _name, _variant, _outputs, _zero_kw in (
    ("svd", "legacy", ("U", "S", "V"), "compute_uv"),
    ("linalg.svd", "linalg", ("U", "S", "Vh"), None),
    ("linalg.svdvals", "svdvals", ("S",), None),
):
    register(
        OpInfo(
            _name,
            _SVD_SIGNATURES[_variant],
            S.svd_args(_variant),
            S.svd_invalid(_variant),
            family="svd",
            compare=svd_comparison(_outputs, _zero_kw),
            # the reference's SVD backward is written in NumPy (first order only); torch differentiates it twice
            gradgrad=False,
            grad_loss=svd_loss(_outputs),
            grad_cases=_distinct_real_singular_values,
            rule=_SVD_RULE + _SVD_VARIANT_RULES[_variant],
            perf=_svd_perf(_name),
            perf_max_elements=2**20,
        )
    )


def _empty_inner(case: Case) -> bool:
    a, b = case.args
    outer = a.shape[:-1] + (b.shape[-1:] if b.ndim >= 2 else ())
    return a.shape[-1] == 0 and all(s > 0 for s in outer)


def _matmul_scale(case: Case) -> np.ndarray:
    a, b = (np.abs(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)) for x in case.args)
    return np.matmul(a, b)


def _matmul_perf(ns, T, n: int):
    """The product of two sqrt(n)-square float32 matrices."""
    a, b = T(square(n), True), T(square(n, seed=1), True)
    return lambda: ns.matmul(a, b)


register(
    OpInfo(
        "matmul",
        Signature("matmul(input, other)", method=True, operator=operator.matmul, out=True),
        S.matmul_args(),
        S.matmul_invalid(),
        family="sum",
        scale=_matmul_scale,
        rule=(
            Clause("1-d @ 1-d is the dot product (0-d)", event="matmul: dot"),
            Clause("a 1-d first operand is a row vector whose dim is removed afterwards", event="matmul: vm"),
            Clause("a 1-d second operand is a column vector whose dim is removed afterwards", event="matmul: mv"),
            Clause("2-d @ 2-d is the matrix product", event="matmul: mm"),
            Clause(
                "batch dims broadcast (a missing batch dim stretches)",
                lambda c: min(v.ndim for v in c.args) >= 2 and c.args[0].shape[:-2] != c.args[1].shape[:-2],
            ),
            Clause("an inner size of 0 gives zeros, not an empty result", _empty_inner),
            Clause(
                "the result is a new contiguous tensor whatever the operands' layouts (batched operands too)",
                lambda c: max(v.ndim for v in c.args) > 2 and not all(v.flags.c_contiguous for v in c.args),
            ),
        ),
        perf=_matmul_perf,
    )
)
