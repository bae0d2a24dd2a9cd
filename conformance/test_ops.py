"""Generic tests over the registry: values/shape/dtype, aliasing, input immutability, error parity.

Each check runs on every ``--target`` (torch's eager kernels on the available devices by default)
against its expected side (the reference); on a disagreement torch's eager CPU kernels vote too.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from .expect_plugin import REPLAY
from .expectations import LEDGER
from .harness import (
    compare_aliasing,
    compare_errors,
    compare_values,
    input_bytes,
    repro,
    run,
    snapshot,
    third_vote,
)
from .registry import REGISTRY
from .targets import expected_side, parse_target

OPS = list(REGISTRY.values())
IDS = [op.name for op in OPS]


def unexcused(problems: list[str], op, case, check: str, t, r, test: str) -> list[str]:
    """The problems no expected failure covers (``--expect``), with the third vote when any remain."""
    problems = LEDGER.excuse(problems, t.backend.spec, op.name, test, case)
    if problems:
        vote = third_vote(op, case, check, t, r)
        problems = problems + ([vote] if vote else [])
    return problems


def _fail(problems: list[str]) -> None:
    # AssertionError (not pytest.fail) so Hypothesis shrinks the case and prints the reproduction
    assert not problems, "\n".join(problems)


def values_problems(op, target: str, case) -> list[str]:
    tgt, exp = sides(target, "values")
    t, r = run(op, case, tgt), run(op, case, exp)
    return unexcused(compare_values(op, case, t, r), op, case, "values", t, r, "test_values")


def aliasing_problems(op, target: str, case) -> list[str]:
    tgt, exp = sides(target, "aliasing")
    t, r = run(op, case, tgt), run(op, case, exp)
    return unexcused(compare_aliasing(op, case, t, r), op, case, "aliasing", t, r, "test_aliasing")


def errors_problems(op, target: str, case) -> list[str]:
    tgt, exp = sides(target, "errors")
    t, r = run(op, case, tgt), run(op, case, exp)
    return unexcused(compare_errors(op, case, t, r), op, case, "errors", t, r, "test_errors")


REPLAY.update(test_values=values_problems, test_aliasing=aliasing_problems, test_errors=errors_problems)


def sides(spec: str, check: str):
    """The target a test runs on and its expected side; the test is skipped, as "not applicable",
    where the check does not apply to the target (never counted as passed)."""
    target = parse_target(spec)
    why = target.not_applicable(check)
    if why:
        pytest.skip(f"not applicable to {spec}: {why}")
    return target, expected_side(target)


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_values(op, target, data):
    """Same values (to the op family's tolerance), shape, dtype and strides as the expected side
    (a target without data: the same metadata)."""
    sides(target, "values")
    case = data.draw(op.cases(), label="case")
    note(repro(op, case, target))
    _fail(values_problems(op, target, case))


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_aliasing(op, target, data):
    """An output is the input itself / a view / shares memory exactly when the expected side's is;
    view strides match."""
    sides(target, "aliasing")
    case = data.draw(op.cases(), label="case")
    note(repro(op, case, target, "aliasing"))
    _fail(aliasing_problems(op, target, case))


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_inputs_unchanged(op, data):
    """The reference never writes into its inputs (checked on the reference alone; in-place forms aside)."""
    case = data.draw(op.cases(mutating=False), label="case")
    note(repro(op, case, "cpu"))
    before = snapshot(case)
    r = run(op, case, parse_target("reference"))
    # a case torch may refuse (out= of a dtype the op does not take...) is compared in test_values
    assume(r.error is None or not op.refusal_conforms(case))
    assert r.error is None, f"reference raised {r.error!r}"
    assert snapshot(case) == before, "the case's own arrays were modified"
    assert input_bytes(r) == before, "the reference modified an input tensor"


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_errors(op, target, data):
    """Generated invalid arguments: both sides raise the same class; the reference's message names the problem."""
    tgt, _ = sides(target, "errors")
    case = data.draw(op.invalid_cases(), label="invalid case")
    # a defect in the values (an index out of range) cannot be seen by a target without data
    assume(tgt.has_data or case.kind != "value")
    note(repro(op, case, target, "errors"))
    _fail(errors_problems(op, target, case))
