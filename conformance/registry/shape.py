"""Registry entries of the shape and view ops (reference/_shape.py, strategies/shape.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ._opinfo import OpInfo, _fn_or_method, loop, register


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


def _detach_call(ns, case, args, kwargs):
    x, *rest = args
    if case.form == "function":
        return ns.detach(x, *rest)
    return x.detach(*rest)


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
        "detach",
        _detach_call,
        S.detach_args(),
        S.detach_invalid(),
        oracle=loop(oracles.detach),
        differentiable=False,
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
