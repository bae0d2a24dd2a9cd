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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

import strategies as S
from strategies import Case

from . import oracles


@dataclass(frozen=True)
class OpInfo:
    name: str
    call: Callable[[Any, Case, tuple, dict], Any]
    args: st.SearchStrategy[Case]
    invalid: st.SearchStrategy[Case]
    family: str = "exact"
    compare: str = "values"
    oracle: Callable[..., np.ndarray] | None = None
    scale: Callable[[Case], np.ndarray] | None = None
    #: forms the valid strategy can produce (documentation and the report)
    forms: tuple[str, ...] = ()
    #: False for ops whose outputs never require grad (comparisons, detach)
    differentiable: bool = True
    notes: str = ""
    extra: dict = field(default_factory=dict)


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


def _einsum_oracle(eq, *ops, **_):
    return oracles.einsum(eq, *ops)


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
        oracle=oracles.gather,
        forms=("function", "method"),
    )
)
register(
    OpInfo(
        "squeeze",
        _fn_or_method("squeeze"),
        S.squeeze_args(),
        S.squeeze_invalid(),
        oracle=oracles.squeeze,
        forms=("function", "method"),
    )
)
register(
    OpInfo(
        "unsqueeze",
        _fn_or_method("unsqueeze"),
        S.unsqueeze_args(),
        S.unsqueeze_invalid(),
        oracle=oracles.unsqueeze,
        forms=("function", "method"),
    )
)
register(
    OpInfo(
        "flatten",
        _flatten_call,
        S.flatten_args().filter(lambda c: c.form != "module"),
        S.flatten_invalid().filter(lambda c: c.form != "module"),
        oracle=oracles.flatten,
        forms=("function", "method"),
    )
)
register(
    OpInfo(
        "nn.Flatten",
        _flatten_call,
        S.flatten_args().map(lambda c: Case(c.args, c.kwargs, c.expect, "module")),
        S.flatten_invalid().map(lambda c: Case(c.args, c.kwargs, c.expect, "module")),
        oracle=oracles.flatten,
        forms=("module",),
    )
)
register(
    OpInfo(
        "permute",
        _permute_call,
        S.permute_args(),
        S.permute_invalid(),
        oracle=oracles.permute,
        forms=("varargs", "tuple", "function"),
    )
)
register(
    OpInfo(
        "clamp",
        _clamp_call,
        S.clamp_args(),
        S.clamp_invalid(),
        oracle=oracles.clamp,
        forms=("function", "method", "clip", "keywords"),
    )
)
register(
    OpInfo(
        "einsum",
        _einsum_call,
        S.einsum_args(),
        S.einsum_invalid(),
        family="sum",
        oracle=_einsum_oracle,
        scale=_einsum_scale,
        forms=("varargs", "list", "sublist"),
    )
)
register(OpInfo("svd", _svd_call("legacy"), S.svd_args("legacy"), S.svd_invalid("legacy"), family="svd", compare="svd"))
register(
    OpInfo(
        "linalg.svd", _svd_call("linalg"), S.svd_args("linalg"), S.svd_invalid("linalg"), family="svd", compare="svd"
    )
)
register(
    OpInfo(
        "linalg.svdvals",
        _svd_call("svdvals"),
        S.svd_args("svdvals"),
        S.svd_invalid("svdvals"),
        family="svd",
        compare="svd",
    )
)
register(
    OpInfo(
        "detach",
        _detach_call,
        S.detach_args(),
        S.detach_invalid(),
        oracle=oracles.detach,
        forms=("method", "function"),
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


for _op, _family in (
    ("add", "exact"),
    ("sub", "exact"),
    ("mul", "elementwise"),
    ("div", "elementwise"),
    ("pow", "elementwise"),
    ("eq", "exact"),
    ("lt", "exact"),
):
    _names = S.ALL_DTYPES if _op not in ("lt",) else tuple(d for d in S.ALL_DTYPES if not d.startswith("complex"))
    register(
        OpInfo(
            _op,
            _binary_call(_op),
            S.binary_args(_op, _names),
            S.binary_invalid(_op),
            family=_family,
            forms=("function", "operator"),
            differentiable=_op not in ("eq", "lt"),
            notes="type promotion across tensors, 0-d tensors and Python scalars",
        )
    )


def _unary_call(name: str):
    def call(ns, case, args, kwargs):
        (x,) = args
        return getattr(x, name)() if case.form == "method" else getattr(ns, name)(x)

    return call


for _op in ("exp", "sigmoid"):
    register(
        OpInfo(
            _op, _unary_call(_op), S.unary_args(), S.unary_invalid(), family="elementwise", forms=("function", "method")
        )
    )


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
        forms=("varargs", "tuple"),
    )
)
register(
    OpInfo(
        "view",
        _reshape_call("view"),
        S.reshape_args("view").filter(_viewable),
        S.reshape_invalid("view"),
        forms=("varargs", "tuple"),
        notes="valid cases are those NumPy can reshape without a copy; torch must agree",
    )
)


def _transpose_call(ns, case, args, kwargs):
    if case.form == "t":
        return args[0].t()
    x, d0, d1 = args
    return x.transpose(d0, d1) if case.form == "method" else ns.transpose(x, d0, d1)


register(
    OpInfo("transpose", _transpose_call, S.transpose_args(), S.transpose_invalid(), forms=("function", "method", "t"))
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
        forms=("function", "operator", "method"),
    )
)
