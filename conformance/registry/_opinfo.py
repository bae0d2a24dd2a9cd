"""OpInfo, the declarative entry every generic test reads, and the shared call helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from strategies import Case


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
    #: ``perf(ns, T, n) -> fn``: a zero-argument call of the op at about ``n`` elements, for the perf
    #: report (``T(ndarray, requires_grad=False)`` builds a tensor of ``ns`` on the measured device);
    #: it gets a forward row, and a forward+backward row when the op is differentiable
    perf: Callable[[Any, Callable, int], Callable[[], Any]] | None = None


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


REGISTRY: dict[str, OpInfo] = {}


def register(info: OpInfo) -> OpInfo:
    REGISTRY[info.name] = info
    return info
