"""OpInfo, the declarative entry every generic test reads, and the shared call helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from hypothesis import strategies as st

from strategies import Case, record

from ._signature import Signature


@dataclass(frozen=True)
class Clause:
    """One clause of an op's rule, and the cases that test it.

    ``reached(case)`` is True for the generated cases that would give a different result if the
    reference broke this clause; each such case records the coverage event ``"<op>: <text>"``, which
    ``--check-coverage`` requires.  Where a strategy already records an event that says exactly
    this, ``event`` names it instead of a predicate."""

    text: str
    reached: Callable[[Case], bool] | None = None
    event: str | None = None


def _always(*_args) -> bool:
    return True


def _never(*_args) -> bool:
    return False


@dataclass(frozen=True, repr=False)
class OpInfo:
    """Everything the generic tests know about one op.  Generic code reads these fields and never
    branches on an op's name: an op's exceptions to the generic rules are declared here."""

    #: torch's qualified name ("gather", "linalg.svd", "nn.Flatten"); ids the tests and the report
    name: str
    #: how torch accepts the op: a :class:`Signature` declaration, from which the call forms (function,
    #: method, alias, operator, in-place, ``out=``; positional, keywords, defaults omitted) and their
    #: coverage events are derived -- or, for irregular signatures, a hand-written
    #: ``call(ns, case, args, kwargs)`` that runs the form the strategy put in ``case.form``
    call: Callable[[Any, Case, tuple, dict], Any] | Signature
    #: valid arguments (reaching the hard cases) and invalid ones (each naming the word its error must contain)
    args: st.SearchStrategy[Case]
    invalid: st.SearchStrategy[Case]
    #: tolerance family in ``conformance/tolerances.py``, or ``family(case) -> str`` where it depends on the case
    family: str | Callable[[Case], str] = "exact"
    #: ``compare(op, case, t_run, r_run) -> problems`` for outputs that are not compared element by element
    #: (decompositions: gauge-invariant); None = every output elementwise to the family's tolerance
    compare: Callable[..., list[str]] | None = None
    #: ``oracle(case, out_dtype) -> ndarray``: the loop-by-loop definition, called as it needs (a tuple of
    #: arrays for an op with several outputs, in order)
    oracle: Callable[[Case, np.dtype], np.ndarray] | None = None
    #: ``scale(case)``: sum |terms| per output element, for the summing families' tolerances (a tuple of
    #: arrays, one per output, for ops whose outputs have different shapes)
    scale: Callable[[Case], np.ndarray] | None = None
    #: False for ops whose outputs never require grad (comparisons, detach)
    differentiable: bool = True
    #: False where torch records a node whose backward raises (``torch::autograd::NotImplemented``):
    #: compared with torch (both raise), never with finite differences or twice
    derivative_implemented: bool = True
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
    #: ``fd_directions(case, directions) -> directions``: the directions finite differences may take, where
    #: torch's gradient is defined on a submanifold only (cholesky and eigh read one triangle but give the
    #: gradient of a function of Hermitian matrices: their directions are made Hermitian)
    fd_directions: Callable[[Case, list], list] | None = None
    #: valid arguments drawn for the finite-difference check instead of ``args``, where ``fd_cases`` would
    #: reject most of ``args``' cases (ties everywhere): the same op, drawn away from its kinks
    fd_args: st.SearchStrategy[Case] | None = None
    #: True for valid cases torch may still refuse by design (a dtype check only some paths of its plan reach):
    #: there the same refusal from both sides conforms, and the reference-only checks pass over the case
    may_refuse: Callable[[Case], bool] = _never
    #: True where the result may carry rounding at a less precise operand's dtype (an intermediate computed
    #: before promotion): the loosest of the operands' tolerances applies
    rounds_at_input_precision: Callable[[Case], bool] = _never
    #: True where the sign of a zero result is unspecified on ``device`` (known_differences)
    signed_zero_free: Callable[[Case, str], bool] = _never
    #: ``(case, out_variant) -> True`` for the out= tensors torch itself mishandles so badly that running
    #: them would crash the suite (heap corruption): ``test_out`` runs those on the reference alone,
    #: which must refuse them (NotImplementedError)
    out_crashes_torch: Callable[[Case, str], bool] = _never
    #: coverage events this op's strategies must reach (required by ``--check-coverage``)
    events: tuple[str, ...] = ()
    #: ``perf(ns, T, n)``: the op's row(s) in the perf report at about ``n`` elements -- a zero-argument
    #: call, a ``PerfRow`` or a dict of named rows (``registry/_perf.py``); ``T(ndarray, requires_grad=False)``
    #: builds a tensor of the measured implementation.  Each row gets a forward measurement, and a
    #: forward+backward one when the op is differentiable.  Every op has one (a meta-test checks).
    perf: Callable[[Any, Callable, int], Any] | None = None
    #: the largest size the perf report measures this op at (ops of cubic cost: SVD, matrix products)
    perf_max_elements: int | None = None
    #: torch's rule for this op, clause by clause, each with the coverage event that proves it was tested
    rule: tuple[Clause, ...] = ()
    #: the declaration ``call`` was derived from (None for a hand-written call)
    signature: Signature | None = None

    def __post_init__(self) -> None:
        events = tuple(self.events) + tuple(self.clause_event(c) for c in self.rule)
        if isinstance(self.call, Signature):
            sig = self.call
            object.__setattr__(self, "signature", sig)
            object.__setattr__(self, "call", sig.call)
            events += sig.events(self.name)
        object.__setattr__(self, "events", tuple(dict.fromkeys(events)))

    def refusal_conforms(self, case: Case) -> bool:
        """Whether torch may refuse this valid case, so that the same refusal on both sides conforms:
        a form torch may refuse (``out wider``) or a case the entry declares in ``may_refuse``."""
        return self.may_refuse(case) or (self.signature is not None and self.signature.may_raise(case.form))

    def family_for(self, case: Case) -> str:
        return self.family(case) if callable(self.family) else self.family

    def clause_event(self, clause: Clause) -> str:
        return clause.event or f"{self.name}: {clause.text}"

    def _clauses_reached(self, case: Case) -> Case:
        for clause in self.rule:
            if clause.reached is not None and clause.reached(case):
                record(self.clause_event(clause))
        return case

    def __repr__(self) -> str:
        return f"REGISTRY[{self.name!r}]"  # what a reproduction needs, not every field

    def cases(
        self, *, mutating: bool = True, autograd: bool = False, finite_differences: bool = False
    ) -> st.SearchStrategy[Case]:
        """Valid cases, each carrying one of the call forms that express it.

        ``mutating=False`` leaves out the forms that write into an input (in-place); ``autograd=True``
        leaves out the forms torch refuses to record a graph for (in-place on a leaf, ``out=``);
        ``finite_differences=True`` draws from ``fd_args`` where the entry has one."""
        args = self.fd_args if finite_differences and self.fd_args is not None else self.args
        key = (self.name, mutating, autograd, args is self.args)
        if key not in _CASES:
            if self.signature is None:
                _CASES[key] = args.map(self._clauses_reached)
            else:
                _CASES[key] = args.flatmap(lambda c: self._with_form(c, True, mutating, autograd))
        return _CASES[key]

    def invalid_cases(self) -> st.SearchStrategy[Case]:
        """Invalid cases, called as function or method, positionally or by keyword."""
        if self.signature is None:
            return self.invalid
        key = (self.name, "invalid")
        if key not in _CASES:
            _CASES[key] = self.invalid.flatmap(lambda c: self._with_form(c, False, False, False))
        return _CASES[key]

    def _with_form(self, case: Case, valid: bool, mutating: bool, autograd: bool) -> st.SearchStrategy[Case]:
        forms = self.signature.forms_for(
            case, valid=valid, mutating=mutating, autograd=autograd, fits_inplace=self._fits_inplace
        )
        # the way of reaching the op first, then the way of passing arguments, so an in-place or operator
        # form is not drowned by the argument styles of the others.  Those forms fit only some cases (a
        # result that fits the first argument, no extra arguments), so they come first: Hypothesis
        # favours the first choices.
        hows = list(dict.fromkeys(f.partition(" + ")[0] for f in forms))
        first = ("inplace operator", "inplace", "operator")
        hows.sort(key=lambda h: first.index(h) if h in first else len(first))
        return (
            st.sampled_from(hows)
            .flatmap(lambda how: st.sampled_from([f for f in forms if f.partition(" + ")[0] == how]))
            .map(lambda form: self._reached(replace(case, form=form), valid))
        )

    def _reached(self, case: Case, valid: bool) -> Case:
        """Record the case's call form, and (valid cases only) the rule clauses it tests."""
        self._recorded(case)
        return self._clauses_reached(case) if valid else case

    def _recorded(self, case: Case) -> Case:
        how, _, style = case.form.partition(" + ")
        record(f"{self.name}: form {how}")
        if "operator" not in how:
            record(f"{self.name}: arguments {style or 'positional'}")
        return case

    def _fits_inplace(self, case: Case) -> bool:
        """torch writes the result into the first argument only when it has that argument's shape,
        its dtype can be cast to that argument's, and no two of its elements share memory."""
        from ..backends import convert
        from ..targets import parse_target

        x = case.args[0] if case.args else None
        if not isinstance(x, np.ndarray) or any(s == 0 and n > 1 for s, n in zip(x.strides, x.shape, strict=True)):
            return False
        import reference

        be = parse_target("reference")
        args, kwargs = convert(case.args, be), convert(case.kwargs, be)
        try:
            with reference.no_grad():
                out = self.call(reference, replace(case, form="function"), args, kwargs)
        except Exception:  # noqa: BLE001 - a case the function form rejects has no in-place form
            return False
        return (
            isinstance(out, reference.Tensor)
            and tuple(out.shape) == x.shape
            and reference.can_cast(out.dtype, args[0].dtype)
        )


_CASES: dict[tuple, st.SearchStrategy[Case]] = {}


def loop(fn: Callable[..., np.ndarray]) -> Callable[[Case, np.dtype], np.ndarray]:
    """An oracle called with the case's own arguments (the output dtype is not needed)."""
    return lambda case, out_dtype: fn(*case.args, **case.kwargs)


REGISTRY: dict[str, OpInfo] = {}


def register(info: OpInfo) -> OpInfo:
    REGISTRY[info.name] = info
    return info
