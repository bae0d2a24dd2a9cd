"""The call forms derived from a Signature declaration: which forms a case gets, and the calls they make."""

from __future__ import annotations

import operator
from types import SimpleNamespace

import numpy as np

from strategies import Case

from .registry import REGISTRY
from .registry._signature import Signature


class _Recorder:
    """Stands for a tensor and a namespace: every call is recorded as (name, args, kwargs)."""

    def __init__(self, log):
        self.log = log

    def __getattr__(self, name):
        return lambda *a, **k: self.log.append((name, a, k)) or self

    def __add__(self, other):
        self.log.append(("+", (self, other), {}))
        return self


def _calls(sig: Signature, case: Case, form: str):
    log: list = []
    x = _Recorder(log)
    ns = SimpleNamespace(**{n: getattr(x, n) for n in ("add", "sum", "clip")}, empty=lambda *a, **k: x)
    sig.call(ns, Case(case.args, case.kwargs, form=form), (x, *case.args[1:]), dict(case.kwargs))
    return log


ADD = Signature("add(input, other, *, alpha=1)", method=True, inplace=True, operator=operator.add, out=True)
SUM = Signature("sum(input, dim=None, keepdim=False, *, dtype=None)", method=True)


def test_parse_keeps_torch_names_defaults_and_keyword_only():
    assert [(p.name, p.required, p.keyword_only) for p in ADD.params] == [
        ("input", True, False),
        ("other", True, False),
        ("alpha", False, True),
    ]
    assert Signature("squeeze(input, dim=...)").styles() == ["positional", "keywords"]  # nothing to omit
    assert "defaults omitted" in SUM.styles()


def test_argument_styles_make_the_calls_torch_accepts():
    x = np.zeros(2, np.float32)
    case = Case((x, 1), {"alpha": 1})
    name, args, kwargs = _calls(ADD, case, "function")[0]
    assert name == "add" and args[1:] == (1,) and kwargs == {"alpha": 1}
    name, args, kwargs = _calls(ADD, case, "function + keywords")[0]
    assert name == "add" and len(args) == 0 and set(kwargs) == {"input", "other", "alpha"}
    name, args, kwargs = _calls(ADD, case, "method + defaults omitted")[0]
    assert name == "add" and args == (1,) and kwargs == {}  # alpha=1 left out
    name, args, kwargs = _calls(ADD, case, "inplace")[0]
    assert name == "add_" and args == (1,) and kwargs == {"alpha": 1}  # keyword-only stays a keyword
    assert _calls(ADD, case, "operator")[0][0] == "+"


def test_defaults_are_spelled_out_or_omitted():
    x = np.zeros((2, 2), np.float32)
    name, args, kwargs = _calls(SUM, Case((x,)), "method")[0]
    assert args == (None, False) and kwargs == {"dtype": None}  # the dim overload, every default explicit
    name, args, kwargs = _calls(SUM, Case((x,), {"keepdim": True}), "method + defaults omitted")[0]
    assert args == () and kwargs == {"keepdim": True}  # dim omitted, so keepdim must go by name


def test_forms_for_a_case_exclude_what_torch_refuses():
    x = np.zeros((2, 3), np.float32)
    fits = lambda case: True  # noqa: E731
    forms = ADD.forms_for(Case((x, 1), {"alpha": 2}), valid=True, mutating=True, autograd=False, fits_inplace=fits)
    assert "operator" not in forms  # ``a + b`` cannot say alpha=2
    assert "out + defaults omitted" not in forms
    pure = ADD.forms_for(Case((x, 1)), valid=True, mutating=False, autograd=True, fits_inplace=fits)
    assert not any(f.startswith(("inplace", "out")) for f in pure)
    invalid = ADD.forms_for(Case((x, 1)), valid=False, mutating=True, autograd=False, fits_inplace=fits)
    assert {f.partition(" + ")[0] for f in invalid} == {"function", "method"}
    extra = ADD.forms_for(Case((x, 1, 2, 3)), valid=False, mutating=True, autograd=False, fits_inplace=fits)
    assert extra == ["function", "method"]  # more arguments than torch's signature: called as generated


def test_inplace_forms_need_a_result_that_fits_the_first_argument():
    add = REGISTRY["add"]
    fits = add._fits_inplace
    assert fits(Case((np.zeros((2, 3), np.float32), np.ones(3, np.float32))))
    assert not fits(Case((np.zeros(3, np.float32), np.ones((2, 3), np.float32))))  # broadcast grows the result
    assert not fits(Case((np.zeros(3, np.int64), 1.5)))  # a float result does not fit an int64 tensor
    assert not fits(Case((np.broadcast_to(np.float32(0), (3,)), 1.0)))  # elements sharing memory


def test_every_signature_entry_requires_an_event_per_form():
    for op in REGISTRY.values():
        if op.signature is None:
            continue
        for how in op.signature.hows():
            assert f"{op.name}: form {how}" in op.events
        for style in op.signature.styles():
            assert f"{op.name}: arguments {style}" in op.events


def test_every_op_states_its_rule_clause_by_clause():
    """Each registered op's rule is split into clauses, each with a required coverage event."""
    for op in REGISTRY.values():
        assert op.rule, f"{op.name} has no rule clauses"
        for clause in op.rule:
            assert (clause.reached is None) != (clause.event is None), f"{op.name}: {clause.text}"
            assert op.clause_event(clause) in op.events
