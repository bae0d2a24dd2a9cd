"""Registry entries of the norms and distances (reference/_norms.py, strategies/norms.py, oracles/norms.py)."""

from __future__ import annotations

import math

import numpy as np

import strategies as S
from strategies import Case
from strategies.norms import MATRIX_ORDS, VECTOR_ORDS, ord_label

from .. import oracles
from ._opinfo import Clause, OpInfo, loop, register
from ._perf import square, wide
from ._signature import Signature


def _arg(case: Case, position: int, name: str, default):
    if len(case.args) > position:
        return case.args[position]
    return case.kwargs.get(name, default)


def _plan(case: Case, op: str) -> tuple[str, object, object]:
    """Which norm a case computes, as torch's dispatch decides it: ``("vector" | "matrix", ord, dim)``."""
    x = case.args[0]
    if op == "dist":
        return "vector", _arg(case, 2, "p", 2), None
    if op == "linalg.vector_norm":
        return "vector", _arg(case, 1, "ord", 2), _arg(case, 2, "dim", None)
    if op == "linalg.matrix_norm":
        return "matrix", _arg(case, 1, "ord", "fro"), _arg(case, 2, "dim", (-2, -1))
    if op == "linalg.norm":
        o, dim = _arg(case, 1, "ord", None), _arg(case, 2, "dim", None)
        two = (dim is not None and not isinstance(dim, int) and len(dim) == 2) or (dim is None and x.ndim == 2)
        if isinstance(o, str) or (o is not None and two):
            return "matrix", o, dim if dim is not None else (0, 1)
        return "vector", 2 if o is None else o, dim
    p, dim = _arg(case, 1, "p", "fro"), _arg(case, 2, "dim", None)  # torch.norm
    if p == "nuc":
        return "matrix", p, dim if dim is not None else (0, 1)
    return "vector", 2 if p in ("fro", None) else p, dim


def _family(op: str):
    """Counting, largest and smallest magnitudes of real inputs are exact; every sum is a summing op."""

    def family(case: Case) -> str:
        kind, o, _ = _plan(case, op)
        exact = kind == "vector" and float(o) in (0.0, math.inf, -math.inf)
        return "exact" if exact and case.args[0].dtype.kind == "f" else "sum"

    return family


def _scale(op: str):
    """A vector norm's rounding is relative to the norm itself (a sum of non-negative terms); a matrix
    norm's to the sum of |entries| over the matrix, which bounds every matrix norm (the smallest singular
    value of an ill-conditioned matrix is only accurate to eps times the largest)."""

    def scale(case: Case):
        kind, o, dim = _plan(case, op)
        if kind == "vector":
            return None
        x = case.args[0]
        a = np.abs(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64))
        d0, d1 = (d % x.ndim for d in dim)
        keepdim = _arg(case, 3, "keepdim", False)
        with np.errstate(invalid="ignore", over="ignore"):
            return np.nan_to_num(np.sum(a, axis=(d0, d1), keepdims=keepdim), nan=np.inf)

    return scale


def _singular_values_based(op: str):
    def based(case: Case) -> bool:
        kind, o, _ = _plan(case, op)
        return kind == "matrix" and o in ("nuc", 2, -2)

    return based


def _svd_gradient_defined(op: str):
    """The SVD-based norms' gradients use the singular vectors: they are gauge-free only where the
    singular values they involve are non-zero (the nuclear norm at a rank-deficient matrix, or the
    smallest singular value 0, has a subgradient torch picks by LAPACK's vectors)."""
    based = _singular_values_based(op)

    def defined(case: Case) -> bool:
        if not based(case):
            return True
        _, _, dim = _plan(case, op)
        x = case.args[0]
        if x.size == 0 or not np.isfinite(x).all():
            return x.size == 0
        a = np.moveaxis(x.astype(np.complex128), [d % x.ndim for d in dim], [-2, -1])
        s = np.linalg.svd(a, compute_uv=False)
        return bool(np.all(s.min(axis=-1) > 1e-3 * np.maximum(s.max(axis=-1), 1e-30)))

    return defined


def _second_order_comparable(op: str):
    """The reference's SVD backward is first order only (see known_differences); and in half, a
    fractional or negative order's second derivative goes through |x| ** (p - 2) rounded to half at each
    of torch's ops, which no tolerance of the result bounds (25% apart on [55, 0] vs [55.12, 2], p=-2)."""
    based = _singular_values_based(op)

    def comparable(case: Case) -> bool:
        kind, o, _ = _plan(case, op)
        half = any(a.dtype == np.float16 for a in case.arrays())
        return not based(case) and not (half and kind == "vector" and float(o) not in (1.0, 2.0, math.inf, -math.inf))

    return comparable


def _backward_defined(case: Case) -> bool:
    """dist's backward raises for p=0 and for a real operand beside a complex one (torch's engine refuses
    the complex gradient DistBackward0 hands it): no derivative to take finite differences of."""
    x, y = case.arrays()[:2]
    return float(_arg(case, 2, "p", 2)) != 0 and (x.dtype.kind == "c") == (y.dtype.kind == "c")


def _ord_events(op: str, ords, name: str = "ord") -> tuple[str, ...]:
    return tuple(f"{op}: {name}={ord_label(o)}" for o in ords)


def _value_events(op: str) -> tuple[str, ...]:
    return (f"{op}: zero input", f"{op}: tied largest magnitudes", f"{op}: NaN or infinity")


_DIM_RULE = (
    Clause(
        "no dim, None or () reduces every dim", lambda c: c.args[0].ndim > 1 and _arg(c, 2, "dim", None) in (None, ())
    ),
    Clause("keepdim keeps each reduced dim with size 1", lambda c: _arg(c, 3, "keepdim", False) and c.args[0].ndim > 0),
)
_VECTOR_RULE = (
    Clause("ord=0 counts the non-zero elements and has no gradient", event="linalg.vector_norm: ord=0"),
    Clause(
        "ord=inf is the largest |x| (the gradient split between ties)",
        event="linalg.vector_norm: tied largest magnitudes",
    ),
    Clause("the gradient at a zero vector is 0 (torch's subgradient)", event="linalg.vector_norm: zero input"),
    Clause(
        "an empty reduction is 0 for the orders with an identity (0 and the positive ones)",
        event="linalg.vector_norm: empty input",
    ),
    Clause("complex inputs give real norms of |z|", lambda c: c.args[0].dtype.kind == "c"),
    Clause("half is accumulated in float32 and rounded once", lambda c: c.args[0].dtype == np.float16),
    Clause("dtype= casts the input first (a widening only)", event="norm: dtype= widens the input"),
)


def _vector_norm_perf(ns, T, n: int):
    """The 2-norm of each row of an (n/64, 64) float32 tensor, and the 1- and inf-norms of the whole."""
    x = T(wide(n), True)
    return {
        "vector_norm ord=2 dim=1": lambda: ns.linalg.vector_norm(x, 2, 1),
        "vector_norm ord=1": lambda: ns.linalg.vector_norm(x, 1),
        "vector_norm ord=inf": lambda: ns.linalg.vector_norm(x, math.inf),
    }


register(
    OpInfo(
        "linalg.vector_norm",
        Signature("linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None)", out=True),
        S.vector_norm_args(),
        S.vector_norm_invalid(),
        family=_family("linalg.vector_norm"),
        gradgrad_cases=_second_order_comparable("linalg.vector_norm"),
        oracle=loop(oracles.vector_norm),
        rule=_DIM_RULE + _VECTOR_RULE,
        events=_ord_events("linalg.vector_norm", VECTOR_ORDS) + _value_events("linalg.vector_norm"),
        perf=_vector_norm_perf,
    )
)

_MATRIX_RULE = (
    Clause("'fro' is the 2-norm of the matrix's entries", event="linalg.matrix_norm: ord='fro'"),
    Clause("'nuc' is the sum of the singular values", event="linalg.matrix_norm: ord='nuc'"),
    Clause("2 and -2 are the largest and smallest singular values", event="linalg.matrix_norm: ord=-2"),
    Clause("1 and -1 are the largest and smallest column sums of |A|", event="linalg.matrix_norm: ord=-1"),
    Clause("inf and -inf are the largest and smallest row sums of |A|", event="linalg.matrix_norm: ord=-inf"),
    Clause(
        "dim picks the two dims spanning each matrix, in either order",
        event="linalg.matrix_norm: dims other than the last two",
    ),
    Clause("the largest of an empty set is 0; the smallest raises", event="linalg.matrix_norm: empty matrix"),
    Clause("a batch of matrices gives one norm each", event="linalg.matrix_norm: batched"),
    Clause("keepdim keeps both reduced dims with size 1", lambda c: _arg(c, 3, "keepdim", False)),
)


def _matrix_norm_perf(ns, T, n: int):
    """The Frobenius, 1- and nuclear norms of a sqrt(n)-square float32 matrix."""
    A = T(square(n), True)
    return {
        "matrix_norm fro": lambda: ns.linalg.matrix_norm(A),
        "matrix_norm 1": lambda: ns.linalg.matrix_norm(A, 1),
        "matrix_norm nuc": lambda: ns.linalg.matrix_norm(A, "nuc"),
    }


def _gradient_entries(op: str) -> dict:
    return {
        "grad_cases": _svd_gradient_defined(op),
        "gradgrad_cases": _second_order_comparable(op),
        "family": _family(op),
        "scale": _scale(op),
    }


register(
    OpInfo(
        "linalg.matrix_norm",
        Signature("linalg.matrix_norm(input, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None)", out=True),
        S.matrix_norm_args(),
        S.matrix_norm_invalid(),
        oracle=loop(oracles.matrix_norm),
        rule=_MATRIX_RULE,
        events=_ord_events("linalg.matrix_norm", MATRIX_ORDS) + _value_events("linalg.matrix_norm"),
        perf=_matrix_norm_perf,
        perf_max_elements=2**20,
        **_gradient_entries("linalg.matrix_norm"),
    )
)


def _linalg_norm_perf(ns, T, n: int):
    """The default (2-) norm of an (n/64, 64) float32 tensor."""
    x = T(wide(n), True)
    return lambda: ns.linalg.norm(x)


register(
    OpInfo(
        "linalg.norm",
        Signature("linalg.norm(input, ord=None, dim=None, keepdim=False, *, dtype=None)", out=True),
        S.linalg_norm_args(),
        S.linalg_norm_invalid(),
        oracle=loop(oracles.linalg_norm),
        rule=(
            Clause("ord=None is the 2-norm of every element, whatever the rank", event="linalg.norm: ord=None"),
            Clause("a 1-d input or one dim: a vector norm", event="linalg.norm: a vector order"),
            Clause("a 2-d input or two dims with an ord: a matrix norm", event="linalg.norm: a matrix order"),
        ),
        events=_ord_events("linalg.norm", VECTOR_ORDS + MATRIX_ORDS) + _value_events("linalg.norm"),
        perf=_linalg_norm_perf,
        **_gradient_entries("linalg.norm"),
    )
)


def _legacy_norm_perf(ns, T, n: int):
    """``torch.norm`` ('fro') of an (n/64, 64) float32 tensor."""
    x = T(wide(n), True)
    return lambda: ns.norm(x)


register(
    OpInfo(
        "norm",
        Signature("norm(input, p='fro', dim=None, keepdim=False, *, dtype=None)", method=True, out=True),
        S.legacy_norm_args(),
        S.legacy_norm_invalid(),
        oracle=loop(oracles.legacy_norm),
        rule=(
            Clause("'fro' is the 2-norm over the given dims, any number of them", event="norm: p='fro'"),
            Clause("'nuc' is the matrix nuclear norm", event="norm: p='nuc'"),
            Clause("p=None is the 2-norm", event="norm: p=None"),
            Clause("dim=[] reduces every dim", event="norm: dim=[] (every dim)"),
        ),
        events=_ord_events("norm", VECTOR_ORDS, "p") + ("norm: zero input", "norm: tied largest magnitudes"),
        perf=_legacy_norm_perf,
        **_gradient_entries("norm"),
    )
)


def _dist_perf(ns, T, n: int):
    """The 2-distance between two (n/64, 64) float32 tensors."""
    x, y = T(wide(n), True), T(wide(n, low=0.0), True)
    return lambda: ns.dist(x, y)


register(
    OpInfo(
        "dist",
        Signature("dist(input, other, p=2)", method=True),
        S.dist_args(),
        S.dist_invalid(),
        family=_family("dist"),
        gradgrad_cases=_second_order_comparable("dist"),
        fd_cases=_backward_defined,
        oracle=loop(oracles.dist),
        rule=(
            Clause("the p-norm of every element of input - other (broadcast)", event="dist: broadcast operands"),
            Clause("equal operands: 0, with a zero gradient for p >= 1", event="dist: equal operands"),
            Clause("operands of two dtypes are promoted first", event="dist: operands of two dtypes"),
        ),
        events=_ord_events("dist", VECTOR_ORDS, "p"),
        perf=_dist_perf,
    )
)
