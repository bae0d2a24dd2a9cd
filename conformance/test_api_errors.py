"""Error parity for the Tensor API around the ops: generated calls that torch may refuse.

Each test builds one expression (construction, conversion, ``copy_``, a Python operator or its
in-place form) from generated operands -- tensors of any dtype and shape, and things that are not
tensors at all -- and evaluates it under torch and under the reference.  Both must raise the same
exception class, or both succeed with the same value, shape and dtype.  Every failure prints the
expression and its operands, runnable with ``import torch``.
"""

from __future__ import annotations

import warnings

import numpy as np
import torch
from hypothesis import given, note, settings
from hypothesis import strategies as st

import reference
import strategies as S

from .targets import Target, parse_target

TORCH, REF = parse_target("torch:cpu"), parse_target("reference")

_OPERATORS = ("+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>", "@", "==", "<")
_NOT_TENSORS = (None, "a", [1, 2], (1.5,), {"k": 1}, 2.5, -3, True, 1 + 2j, 10**30)


def _evaluate(backend: Target, expr: str, env: dict):
    scope = {"torch": backend.ns}
    for k, v in env.items():
        scope[k] = backend.from_array(v) if isinstance(v, np.ndarray) else v
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(expr, scope)
        except Exception as e:  # noqa: BLE001 -- the class is what is compared
            return e
    return scope.get("out")


def _compare(expr: str, env: dict) -> None:
    note(_reproduction(expr, env))
    t, r = _evaluate(TORCH, expr, env), _evaluate(REF, expr, env)
    if isinstance(r, NotImplementedError) and "not modelled" in str(r):
        S.record("api error: not modelled by the reference (known_differences)")  # e.g. complex32
        return
    if isinstance(t, BaseException) or isinstance(r, BaseException):
        assert isinstance(t, BaseException), f"the reference raised {type(r).__name__}: {r}; torch gave {t!r}"
        assert isinstance(r, BaseException), f"torch raised {type(t).__name__}: {t}; the reference gave {r!r}"
        assert type(r) is type(t), f"torch raised {type(t).__name__}: {t}; the reference {type(r).__name__}: {r}"
        S.record("api error: both raise")
        return
    S.record("api error: both succeed")
    if isinstance(t, torch.Tensor):
        assert isinstance(r, reference.Tensor), f"torch gave a tensor, the reference {r!r}"
        assert tuple(r.shape) == tuple(t.shape) and str(r.dtype) == str(t.dtype), (t, r)
        rv, tv = REF.to_numpy(r), TORCH.to_numpy(t)
        if tv.dtype.kind in "fc":  # values are the registry tests' business (with their tolerance table)
            np.testing.assert_allclose(rv, tv, rtol=1e-5, atol=1e-6, equal_nan=True)
        else:
            assert np.array_equal(rv, tv), (t, r)
    else:
        assert repr(r) == repr(t), (t, r)


def _reproduction(expr: str, env: dict) -> str:
    lines = ["# reproduction (with `import torch`, or `import reference as torch`)", "import numpy as np, torch"]
    for k, v in env.items():
        if isinstance(v, np.ndarray):
            lines.append(
                f"{k} = torch.from_numpy(np.array({v.tolist()!r}, dtype=np.{v.dtype.name}).reshape({v.shape}))"
            )
        else:
            lines.append(f"{k} = {v!r}")
    return "\n".join(lines + [expr])


def _operand():
    small = S.shapes(max_dims=2, max_side=3)
    tensors = S.arrays(
        S.dtypes(("bool", "uint8", "int32", "int64", "float32", "float64", "complex64")), small, specials=False
    )
    return st.one_of(tensors, st.sampled_from(_NOT_TENSORS))


@settings(max_examples=max(settings.default.max_examples, 300))  # cheap; 15 operators x dtypes x operands
@given(st.sampled_from(_OPERATORS), S.arrays(S.dtypes(), S.shapes(max_dims=2, max_side=3), specials=False), _operand())
def test_operator_errors_match_torch(op, x, y):
    """``x op y`` and ``x op= y`` for every operator, with operands of any dtype and shape (broadcasting
    or not) and with non-tensor operands.  (NumPy array operands are not generated: with one, NumPy's
    ufuncs and torch's ``__array_wrap__`` take part -- see known_differences.)"""
    S.record(f"api error: operator {op}")
    _compare(f"out = x {op} y", {"x": x, "y": y})
    _compare(f"x {op}= y\nout = x", {"x": x, "y": y})


_DATA = st.one_of(
    st.lists(st.integers(-300, 300), max_size=3),
    st.lists(st.lists(st.integers(-3, 3), max_size=2), max_size=2),  # ragged sometimes
    st.lists(st.one_of(st.booleans(), st.floats(-2, 2, width=32), st.integers(-2, 2)), max_size=3),
    st.sampled_from([[1, [2]], "ab", None, [None], [[1, 2], [3]], [1 + 1j, 2], 2**63, [2**40]]),
)


@given(_DATA, st.sampled_from([None, "uint8", "int8", "int32", "int64", "float16", "float32", "bool", "complex64"]))
def test_construction_errors_match_torch(data, dtype):
    """``torch.tensor(data, dtype=...)`` for ragged, mixed, overflowing and non-numeric data."""
    S.record("api error: construction")
    arg = "" if dtype is None else f", dtype=torch.{dtype}"
    _compare(f"out = torch.tensor(data{arg})", {"data": data})


@given(
    st.sampled_from(["zeros", "ones"]),  # not empty(): its values are uninitialised
    st.one_of(
        st.lists(st.integers(-2, 3), max_size=3),
        st.sampled_from([(2.5,), ("a",), ([2, 3],), ((2, -1),), (None,), (True, 2)]),
    ),
)
def test_creation_size_errors_match_torch(fn, size):
    """``torch.zeros(*size)`` with negative, float, string, nested and bool sizes."""
    S.record("api error: creation size")
    _compare(f"out = torch.{fn}(*size)", {"size": tuple(size)})


@given(
    S.arrays(S.dtypes(), S.shapes(max_dims=2, max_side=3), specials=False),
    st.sampled_from(["float", "int", "bool", "complex", "item", "index", "len"]),
)
def test_conversion_errors_match_torch(x, how):
    """Python conversions of tensors with 0, 1 or many elements (and 0-d ones)."""
    S.record("api error: conversion")
    expr = {"index": "out = [10, 11, 12, 13][x]", "len": "out = len(x)", "item": "out = x.item()"}.get(
        how, f"out = {how}(x)"
    )
    _compare(expr, {"x": x})


@given(S.arrays(S.dtypes(), S.shapes(max_dims=2, max_side=3), specials=False), _operand())
def test_copy_errors_match_torch(x, src):
    """``x.copy_(src)``: shapes that broadcast or not, other dtypes (complex into real), non-tensors."""
    S.record("api error: copy_")
    _compare("x.copy_(src)\nout = x", {"x": x, "src": src})
