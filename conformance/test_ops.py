"""Generic tests over the registry: values/shape/dtype, aliasing, input immutability, error parity."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from .backends import Backend
from .harness import (
    compare_aliasing,
    compare_errors,
    compare_values,
    input_bytes,
    repro,
    run,
    snapshot,
)
from .registry import REGISTRY

OPS = list(REGISTRY.values())
IDS = [op.name for op in OPS]


def _fail(problems: list[str]) -> None:
    # AssertionError (not pytest.fail) so Hypothesis shrinks the case and prints the reproduction
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_values(op, device, data):
    """Same values (to the op family's tolerance), shape and dtype as torch."""
    case = data.draw(op.cases(), label="case")
    note(repro(op, case, device))
    t = run(op, case, Backend("torch", device))
    r = run(op, case, Backend("reference"))
    _fail(compare_values(op, case, t, r, device))


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_aliasing(op, device, data):
    """An output is the input itself / a view / shares memory exactly when torch's is; view strides match."""
    case = data.draw(op.cases(), label="case")
    note(repro(op, case, device, "aliasing"))
    t = run(op, case, Backend("torch", device))
    r = run(op, case, Backend("reference"))
    _fail(compare_aliasing(op, case, t, r))


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_inputs_unchanged(op, data):
    """The reference never writes into its inputs (checked on the reference alone; in-place forms aside)."""
    case = data.draw(op.cases(mutating=False), label="case")
    note(repro(op, case, "cpu"))
    before = snapshot(case)
    r = run(op, case, Backend("reference"))
    # a case torch may refuse (out= of a dtype the op does not take...) is compared in test_values
    assume(r.error is None or not op.refusal_conforms(case))
    assert r.error is None, f"reference raised {r.error!r}"
    assert snapshot(case) == before, "the case's own arrays were modified"
    assert input_bytes(r) == before, "the reference modified an input tensor"


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_errors(op, device, data):
    """Generated invalid arguments: torch raises, and the reference raises the same class naming the problem."""
    case = data.draw(op.invalid_cases(), label="invalid case")
    note(repro(op, case, device, "errors"))
    t = run(op, case, Backend("torch", device))
    r = run(op, case, Backend("reference"))
    _fail(compare_errors(op, case, t, r))
