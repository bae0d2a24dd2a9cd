"""``out=`` as a program meets it: every registry op that takes ``out=``, with generated out tensors.

The registry's own ``out`` forms pass an empty ``out``; here the out tensor is what the rules are
about (``reference/_out.py``):

- ``strided``: the result's shape, not contiguous -- written in place, its strides kept;
- ``resized``: non-empty, contiguous, of another shape -- resized in its own memory, with torch's
  deprecation warning (compared: both sides warn or neither);
- ``uncastable``: a dtype the result cannot be cast to -- torch's RuntimeError;
- ``alias``: exactly one of the op's inputs (``torch.add(x, y, out=x)``) -- an elementwise op computes
  in place, others refuse or are not modelled;
- ``partial alias``: an input's memory in column-major order (same bytes, other strides) --
  RuntimeError for elementwise ops and for ops that refuse any overlap;
- ``expanded``: elements sharing memory (a row expanded) -- RuntimeError where torch checks it;
- ``smaller input``: an input of another shape than the result -- an elementwise op cannot resize
  its own input (RuntimeError "output with shape ... doesn't match the broadcast shape").

Compared with torch: the outcome (an error of the same class, or success), the returned object being
``out`` itself, ``out``'s values (the op family's tolerance), shape, dtype and strides, the resize
warning, and every input's values afterwards (an aliased input *is* ``out``).  Where the reference
raises NotImplementedError it declares the case unmodelled (``known_differences``): that is allowed,
a different answer never is.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st

from strategies import Case, record

from .backends import collect_tensors, convert
from .coverage import OUT_EVENTS
from .harness import compare_tensor, repro
from .registry import REGISTRY
from .registry._signature import out_tensor
from .targets import expected_side, parse_target

OUT_OPS = [op for op in REGISTRY.values() if op.signature is not None and op.signature.out]
VARIANTS = tuple(e.removeprefix("out=: ") for e in OUT_EVENTS)

#: a dtype each result dtype cannot be cast to (torch.can_cast is False)
_UNCASTABLE = {
    "uint8": "bool",
    "int8": "bool",
    "int16": "bool",
    "int32": "bool",
    "int64": "bool",
    "float16": "int64",
    "float32": "int64",
    "float64": "int64",
    "complex64": "float64",
    "complex128": "float64",
}


@dataclass
class OutRun:
    error: BaseException | None = None
    out: object = None
    is_out: bool = False
    resize_warned: bool = False
    inputs: list | None = None


def _dtype_name(t) -> str:
    return str(t.dtype).removeprefix("torch.")


def _make_out(ns, variant: str, result, tensors: list):
    """The out tensor of ``variant`` for ``result`` (None where the case has no such tensor)."""
    shape, name = tuple(result.shape), _dtype_name(result)
    if variant == "uncastable":
        return ns.empty(shape, dtype=getattr(ns, _UNCASTABLE[name])) if name in _UNCASTABLE else None
    same = [t for t in tensors if tuple(t.shape) == shape and _dtype_name(t) == name and t.is_contiguous()]
    if variant == "alias":
        return same[0] if same else None
    if variant == "partial alias":
        # the same memory in column-major order: dense, same bytes, other strides (two dims of size > 1)
        wide = [t for t in same if sum(n > 1 for n in t.shape) >= 2 and 0 not in t.shape]
        if not wide:
            return None
        t = wide[0]
        return t.view(tuple(reversed(t.shape))).permute(*reversed(range(t.ndim)))
    if variant == "expanded":  # elements sharing memory: one row repeated (stride 0)
        if len(shape) == 0 or 0 in shape or int(np.prod(shape[:-1])) < 2 and shape[-1] < 2:
            return None
        row = ns.empty(shape[-1:] if int(np.prod(shape[:-1])) > 1 else (1,), dtype=result.dtype)
        return row.expand(*shape)
    if variant == "smaller input":  # an input that must grow into the result (the in-place rule refuses)
        smaller = [t for t in tensors if _dtype_name(t) == name and t.numel() and tuple(t.shape) != shape]
        return smaller[0] if smaller else None
    if variant == "strided" and (not shape or 0 in shape):
        return None
    return out_tensor(ns, variant, shape, result.dtype)


def out_run(op, case: Case, backend, variant: str) -> OutRun | None:
    """Run the function form on ``backend`` with the variant's out tensor (None: the case has none)."""
    ns = backend.ns
    args, kwargs = convert(case.args, backend), convert(case.kwargs, backend)
    tensors = collect_tensors((args, kwargs), backend)
    run = OutRun()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = op.signature.call(ns, case, args, kwargs)
        except Exception:  # noqa: BLE001 - a case the function form refuses has no out= variant
            return None
    if not backend.is_tensor(result):
        return None
    out = _make_out(ns, variant, result, tensors)
    if out is None:
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            written = op.signature.call_out(ns, case, args, kwargs, out)
            run.is_out = written is out
        except Exception as e:  # noqa: BLE001 - errors are compared
            run.error = e
    run.resize_warned = any("was resized" in str(w.message) for w in caught)
    run.out, run.inputs = out, tensors
    return run


def out_problems(op, target: str, case: Case, variant: str) -> list[str]:
    tgt = parse_target(target)
    exp = expected_side(tgt)
    if op.out_crashes_torch(case, variant):
        # never run on torch (it would corrupt the process's memory); the reference must refuse it
        r = out_run(op, case, exp, variant)
        assume(r is not None)
        record("out=: a case torch crashes on, refused by the reference")
        if isinstance(r.error, NotImplementedError):
            return []
        return [f"out={variant}: torch crashes on this out= tensor, and the reference did not refuse it: {r.error!r}"]
    t, r = out_run(op, case, tgt, variant), out_run(op, case, exp, variant)
    assume(t is not None and r is not None)
    T, R = tgt.label, exp.label
    if isinstance(r.error, NotImplementedError):
        record("out=: a case the reference declares unmodelled")
        return []
    if (t.error is None) != (r.error is None):
        err = t.error or r.error
        who = T if t.error is not None else R
        return [f"out={variant}: {who} raised {type(err).__name__}: {err} -- the other side succeeded"]
    if t.error is not None:
        return [] if type(t.error) is type(r.error) else [f"out={variant}: {T} {t.error!r} vs {R} {r.error!r}"]
    problems = []
    if not (t.is_out and r.is_out):
        problems.append(f"out={variant}: returned the out tensor itself: {T} {t.is_out}, {R} {r.is_out}")
    if t.resize_warned != r.resize_warned:
        problems.append(f"out={variant}: resize warning {T} {t.resize_warned}, {R} {r.resize_warned}")
    problems += compare_tensor(op, case, tgt, t.out, exp, r.out, f"out={variant}: out")
    if tgt.strides(t.out) != exp.strides(r.out):
        problems.append(f"out={variant}: out strides {T} {tgt.strides(t.out)} != {R} {exp.strides(r.out)}")
    for i, (ti, ri) in enumerate(zip(t.inputs, r.inputs, strict=True)):
        if ti is t.out:
            continue  # the aliased input is out itself, compared above
        ta, ra = tgt.to_numpy(ti), exp.to_numpy(ri)
        if ta.shape != ra.shape or not np.array_equal(ta, ra, equal_nan=True):
            problems.append(f"out={variant}: input {i} afterwards differs: {T} {ta!r} vs {R} {ra!r}")
    return problems


@pytest.mark.parametrize("op", OUT_OPS, ids=[op.name for op in OUT_OPS])
@given(data=st.data())
def test_out_tensors(op, target, data):
    """``out=`` with strided, resized, uncastable and aliasing out tensors behaves as torch's."""
    if not parse_target(target).has_data:
        pytest.skip(f"not applicable to {target}: out= values and aliasing need data")
    case = data.draw(op.cases(mutating=False, autograd=False), label="case")
    style = (case.form or "").partition(" + ")[2]
    # the function form in the case's argument style (out= needs every argument: sum(x, out=o) is refused)
    case = replace(case, form="function + " + (style if style in ("positional", "keywords") else "positional"))
    variant = data.draw(st.sampled_from(VARIANTS), label="out variant")
    note(repro(op, case, target))
    note(f"out variant: {variant}")
    problems = out_problems(op, target, case, variant)
    record(f"out=: {variant}")
    assert not problems, "\n".join(problems)


def test_uncastable_table_refuses_every_cast():
    """The uncastable dtypes really cannot be cast to (else the variant would test nothing)."""
    import reference

    for src, dst in _UNCASTABLE.items():
        assert not reference.can_cast(getattr(reference, src), getattr(reference, dst)), (src, dst)
