"""The op registry: one declarative entry per op drives every generic test.

An entry says how to call the op on either namespace (``torch`` or
``reference``) in each of its call forms, which strategies generate valid and
invalid arguments, how to compare outputs (tolerance family, or ``svd`` for
gauge-invariant comparison), and which loop-by-loop oracle defines it.

Adding an op = one ``OpInfo`` here + its strategies in ``strategies.ops``.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

import strategies as S
from strategies import Case

from . import oracles
from .svd_check import svd_comparison, svd_loss


def _always(*_args) -> bool:
    return True


def _never(*_args) -> bool:
    return False


@dataclass(frozen=True)
class OpInfo:
    """Everything the generic tests know about one op.  Generic code reads these fields and never
    branches on an op's name: an op's exceptions to the generic rules are declared here."""

    #: torch's qualified name ("gather", "linalg.svd", "nn.Flatten"); ids the tests and the report
    name: str
    #: ``call(ns, case, args, kwargs)`` runs the case's call form on namespace ``ns`` (torch or reference)
    call: Callable[[Any, Case, tuple, dict], Any]
    #: valid arguments (reaching the hard cases) and invalid ones (each naming the word its error must contain)
    args: st.SearchStrategy[Case]
    invalid: st.SearchStrategy[Case]
    #: tolerance family in ``conformance/tolerances.py``
    family: str = "exact"
    #: ``compare(op, case, t_run, r_run) -> problems`` for outputs that are not compared element by element
    #: (decompositions: gauge-invariant); None = every output elementwise to the family's tolerance
    compare: Callable[..., list[str]] | None = None
    #: ``oracle(case, out_dtype) -> ndarray``: the loop-by-loop definition, called as it needs
    oracle: Callable[[Case, np.dtype], np.ndarray] | None = None
    #: ``scale(case)``: sum |terms| per output element, for the summing families' tolerances
    scale: Callable[[Case], np.ndarray] | None = None
    #: False for ops whose outputs never require grad (comparisons, detach)
    differentiable: bool = True
    #: False where the reference's backward is first-order only (it raises NotImplementedError under create_graph)
    gradgrad: bool = True
    #: ``loss(ns, outputs, rng) -> scalar`` for gradient tests; None = random cotangents on every output
    grad_loss: Callable | None = None
    #: which valid cases the gradient tests use (e.g. distinct singular values for gauge-invariant losses)
    grad_cases: Callable[[Case], bool] = _always
    #: which cases the double-backward test uses (points where torch's second-order formula is a convention)
    gradgrad_cases: Callable[[Case], bool] = _always
    #: where finite differences are a derivative: False at kinks/ties, and where torch's backward itself raises
    fd_cases: Callable[[Case], bool] = _always
    #: True where the grad_fn name depends on torch's internal plan (known_differences), so it is not compared
    plan_dependent_grad_fn: Callable[[Case], bool] = _never
    #: True where the sign of a zero result is unspecified on ``device`` (known_differences)
    signed_zero_free: Callable[[Case, str], bool] = _never
    #: coverage events this op's strategies must reach (required by ``--check-coverage``)
    events: tuple[str, ...] = ()


def loop(fn: Callable[..., np.ndarray]) -> Callable[[Case, np.dtype], np.ndarray]:
    """An oracle called with the case's own arguments (the output dtype is not needed)."""
    return lambda case, out_dtype: fn(*case.args, **case.kwargs)


def _fn_or_method(fn_name: str, method_name: str | None = None):
    def call(ns, case: Case, args: tuple, kwargs: dict):
        if case.form == "method":
            x, *rest = args
            return getattr(x, method_name or fn_name)(*rest, **kwargs)
        return _resolve(ns, fn_name)(*args, **kwargs)

    return call


def _resolve(ns, dotted: str):
    obj = ns
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _flatten_call(ns, case, args, kwargs):
    x, s, e = args
    if case.form == "method":
        return x.flatten(s, e)
    if case.form == "module":
        return ns.nn.Flatten(s, e)(x)
    return ns.flatten(x, s, e)


def _permute_call(ns, case, args, kwargs):
    x, dims = args
    if case.form == "varargs":
        return x.permute(*dims)
    if case.form == "tuple":
        return x.permute(dims)
    return ns.permute(x, dims)


def _clamp_signed_zero_free(case: Case, device: str) -> bool:
    """known_differences: the sign of a zero at a tie is the input's on CPU with number bounds only;
    CUDA kernels, and CPU's vectorised loop with tensor bounds, may return the bound's zero."""
    tensor_bound = any(isinstance(b, np.ndarray) for b in case.kwargs.values())
    return device.startswith("cuda") or tensor_bound


def _clamp_differentiable_here(case: Case) -> bool:
    """Finite differences give clamp's derivative only away from the bounds: at ``x == min`` or
    ``x == max`` (and where ``min >= max``) torch's gradient is a convention.  Cases where torch's
    backward itself raises are excluded too (their parity is checked against torch): two tensor
    bounds where a bound is smaller than the broadcast output (torch combines masks in place), and a
    0-d float bound beside a number bound (once it requires grad, no overload matches)."""
    x = np.asarray(case.args[0], dtype=np.float64)
    lo, hi = case.kwargs["min"], case.kwargs["max"]
    bounds = [np.asarray(b, dtype=np.float64) for b in (lo, hi) if b is not None]
    with np.errstate(invalid="ignore"):
        if any(np.any(np.broadcast_arrays(x, b)[0] == b) for b in bounds):
            return False
        if len(bounds) == 2 and np.any(bounds[0] >= bounds[1]):
            return False
    arrays = [b for b in (lo, hi) if isinstance(b, np.ndarray)]
    if len(arrays) == 2:
        full = np.broadcast_shapes(x.shape, lo.shape, hi.shape)
        if np.broadcast_shapes(x.shape, lo.shape) != full or np.broadcast_shapes(x.shape, hi.shape) != full:
            return False
    numbers = [b for b in (lo, hi) if b is not None and not isinstance(b, np.ndarray)]
    return not (arrays and numbers and any(a.dtype.kind == "f" for a in arrays))


def _clamp_call(ns, case, args, kwargs):
    (x,) = args
    lo, hi = kwargs["min"], kwargs["max"]
    if case.form == "method":
        return x.clamp(lo, hi)
    if case.form == "clip":
        return ns.clip(x, min=lo, max=hi)
    if case.form == "keywords":
        kw = {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}
        return x.clamp(**kw)
    return ns.clamp(x, lo, hi)


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


def _detach_call(ns, case, args, kwargs):
    x, *rest = args
    if case.form == "function":
        return ns.detach(x, *rest)
    return x.detach(*rest)


REGISTRY: dict[str, OpInfo] = {}


def register(info: OpInfo) -> OpInfo:
    REGISTRY[info.name] = info
    return info


register(
    OpInfo(
        "gather",
        _fn_or_method("gather"),
        S.gather_args(),
        S.gather_invalid(),
        oracle=loop(oracles.gather),
        events=(
            "gather: duplicate indices",
            "gather: empty index",
            "gather: 0-d input",
            "gather: index smaller than input",
            "gather: index longer along dim",
            "gather: int32 index",
        ),
    )
)
register(
    OpInfo(
        "squeeze",
        _fn_or_method("squeeze"),
        S.squeeze_args(),
        S.squeeze_invalid(),
        oracle=loop(oracles.squeeze),
        events=(
            "squeeze: all dims",
            "squeeze: tuple dims",
            "squeeze: dim not size 1 (no-op)",
            "squeeze: 0-d",
        ),
    )
)
register(
    OpInfo(
        "unsqueeze",
        _fn_or_method("unsqueeze"),
        S.unsqueeze_args(),
        S.unsqueeze_invalid(),
        oracle=loop(oracles.unsqueeze),
        events=(
            "unsqueeze: at end",
            "unsqueeze: at front",
        ),
    )
)
register(
    OpInfo(
        "flatten",
        _flatten_call,
        S.flatten_args().filter(lambda c: c.form != "module"),
        S.flatten_invalid().filter(lambda c: c.form != "module"),
        oracle=loop(oracles.flatten),
        events=(
            "flatten: start == end",
            "flatten: 0-d",
        ),
    )
)
register(
    OpInfo(
        "nn.Flatten",
        _flatten_call,
        S.flatten_args().map(lambda c: Case(c.args, c.kwargs, c.expect, "module")),
        S.flatten_invalid().map(lambda c: Case(c.args, c.kwargs, c.expect, "module")),
        oracle=loop(oracles.flatten),
    )
)
register(
    OpInfo(
        "permute",
        _permute_call,
        S.permute_args(),
        S.permute_invalid(),
        oracle=loop(oracles.permute),
        events=("permute: mixed-sign dims",),
    )
)
register(
    OpInfo(
        "clamp",
        _clamp_call,
        S.clamp_args(),
        S.clamp_invalid(),
        oracle=lambda case, out_dtype: oracles.clamp(*case.args, **case.kwargs, out_dtype=out_dtype),
        signed_zero_free=_clamp_signed_zero_free,
        fd_cases=_clamp_differentiable_here,
        events=(
            "clamp: tie at bound",
            "clamp: min > max",
            "clamp: NaN bound",
            "clamp: integer input, float bound (promotes)",
            "clamp: bound broadcasts the output",
            "clamp: 0-d tensor bound",
        ),
    )
)
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
    return case.args[0].dtype.kind == "f" and case.form == "well-separated"


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
register(
    OpInfo(
        "detach",
        _detach_call,
        S.detach_args(),
        S.detach_invalid(),
        oracle=loop(oracles.detach),
        differentiable=False,
    )
)


# -- the ops a torch program needs around the core ones ----------------------------------------

_OPERATORS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
}


def _binary_call(name: str):
    def call(ns, case, args, kwargs):
        a, b = args
        if case.form == "operator":
            return _OPERATORS[name](a, b)
        return getattr(ns, name)(a, b)

    return call


def _pow_positive_finite_base(case: Case) -> bool:
    """known_differences: pow's second order at a negative or non-finite base with a zero exponent
    differs (torch's masked formula vs the reference's where()); double backward keeps the base positive."""
    base = case.args[0]
    return not isinstance(base, np.ndarray) or bool(np.all(np.isfinite(base)) and np.all(np.real(base) > 0))


def _pow_number_exponent_or_float(case: Case) -> bool:
    """torch's pow backward treats a bool exponent False as a number != 0 (``0 * x**-1`` is NaN at
    x == 0) and raises for a bool tensor exponent (bool subtraction): no derivative to compare there."""
    e = case.args[1]
    return not isinstance(e, bool) and not (isinstance(e, np.ndarray) and e.dtype == np.bool_)


_REAL_DTYPES = tuple(d for d in S.ALL_DTYPES if not d.startswith("complex"))
_PROMOTION = ("promotion: mixed categories", "promotion: lower-priority operand", "promotion: 0-d tensor operand")
for _op, _family, _names, _extra in (
    ("add", "exact", S.ALL_DTYPES, {}),
    ("sub", "exact", S.ALL_DTYPES, {}),
    ("mul", "elementwise", S.ALL_DTYPES, {}),
    ("div", "elementwise", S.ALL_DTYPES, {}),
    (
        "pow",
        "elementwise",
        S.ALL_DTYPES,
        {"gradgrad_cases": _pow_positive_finite_base, "fd_cases": _pow_number_exponent_or_float},
    ),
    ("eq", "exact", S.ALL_DTYPES, {"differentiable": False}),
    ("lt", "exact", _REAL_DTYPES, {"differentiable": False}),
):
    register(
        OpInfo(
            _op,
            _binary_call(_op),
            S.binary_args(_op, _names),
            S.binary_invalid(_op),
            family=_family,
            events=_PROMOTION,
            **_extra,
        )
    )


def _unary_call(name: str):
    def call(ns, case, args, kwargs):
        (x,) = args
        return getattr(x, name)() if case.form == "method" else getattr(ns, name)(x)

    return call


for _op in ("exp", "sigmoid"):
    register(OpInfo(_op, _unary_call(_op), S.unary_args(), S.unary_invalid(), family="elementwise"))


def _reduction_call(name: str):
    def call(ns, case, args, kwargs):
        x, *rest = args
        if case.form == "method":
            return getattr(x, name)(*rest, **kwargs)
        return getattr(ns, name)(x, *rest, **kwargs)

    return call


def _sum_scale(case: Case) -> np.ndarray:
    x, *rest = case.args
    dim = rest[0] if rest else None
    a = np.abs(x.astype(np.complex128 if x.dtype.kind == "c" else np.float64))
    if dim is None or dim == ():
        dims = tuple(range(x.ndim))
    else:
        dims = (dim,) if isinstance(dim, int) else dim
    return np.sum(
        a, axis=tuple(d % max(x.ndim, 1) for d in dims) if x.ndim else None, keepdims=case.kwargs.get("keepdim", False)
    )


def _mean_scale(case: Case) -> np.ndarray:
    x, *rest = case.args
    n = _sum_scale(Case((np.ones_like(x, dtype=np.float64),) + tuple(rest), case.kwargs))
    with np.errstate(invalid="ignore", divide="ignore"):
        return _sum_scale(case) / np.maximum(n, 1)


register(
    OpInfo(
        "sum",
        _reduction_call("sum"),
        S.reduction_args("sum"),
        S.reduction_invalid("sum"),
        family="sum",
        scale=_sum_scale,
    )
)
register(
    OpInfo(
        "mean",
        _reduction_call("mean"),
        S.reduction_args("mean"),
        S.reduction_invalid("mean"),
        family="sum",
        scale=_mean_scale,
    )
)


def _reshape_call(name: str):
    def call(ns, case, args, kwargs):
        x, shape = args
        if case.form == "varargs":
            return getattr(x, name)(*shape)
        return getattr(x, name)(shape)

    return call


def _viewable(case: Case) -> bool:
    x, shape = case.args
    try:
        np.reshape(
            x,
            tuple(x.size // max(1, int(np.prod([s for s in shape if s != -1]))) if s == -1 else s for s in shape),
            copy=False,
        )
    except ValueError:
        return False
    return True


register(
    OpInfo(
        "reshape",
        _reshape_call("reshape"),
        S.reshape_args("reshape"),
        S.reshape_invalid("reshape"),
    )
)
register(
    OpInfo(
        "view",
        _reshape_call("view"),
        S.reshape_args("view").filter(_viewable),
        S.reshape_invalid("view"),
    )
)


def _transpose_call(ns, case, args, kwargs):
    if case.form == "t":
        return args[0].t()
    x, d0, d1 = args
    return x.transpose(d0, d1) if case.form == "method" else ns.transpose(x, d0, d1)


register(OpInfo("transpose", _transpose_call, S.transpose_args(), S.transpose_invalid()))


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
