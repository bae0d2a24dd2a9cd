"""Run one case on the target and on its expected side, and say precisely how they differ.

The target is whatever ``--target`` names (torch's eager kernels on a device by default) and the
expected side is the reference; messages name both by their target spec.

Every check returns a list of human-readable problems (empty = conforming).
When values differ and the op has a loop-by-loop oracle, the message says
which side the oracle agrees with, i.e. which side is wrong.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from strategies import Case

from . import tolerances
from .backends import collect_tensors, convert, flat_outputs
from .registry import REGISTRY, OpInfo
from .targets import ReferenceSide, Target, expected_side, parse_target


@dataclass
class Run:
    """The result of calling an op on one backend."""

    backend: Target
    inputs: list  # converted positional args, then kwargs values
    outputs: list | None
    error: BaseException | None


def run(op: OpInfo, case: Case, backend: Target) -> Run:
    args = convert(case.args, backend)
    kwargs = convert(case.kwargs, backend)
    inputs = list(args) + list(kwargs.values())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = backend.call(op, case, args, kwargs)
        except Exception as e:  # noqa: BLE001 - errors are data here
            return Run(backend, inputs, None, e)
    return Run(backend, inputs, flat_outputs(out), None)


def run_both(op: OpInfo | str, case: Case, device: str = "cpu", target: str | None = None) -> tuple[Run, Run]:
    """Run ``case`` on a target (torch on ``device`` unless ``target`` names one) and on its expected
    side.  Used by reproductions."""
    op = REGISTRY[op] if isinstance(op, str) else op
    tgt = parse_target(target or f"torch:{device}")
    return run(op, case, tgt), run(op, case, expected_side(tgt))


def tensor_inputs(r: Run) -> list:
    return collect_tensors(r.inputs, r.backend)


# -- values ------------------------------------------------------------------------------


def compare_values(op: OpInfo, case: Case, t: Run, r: Run) -> list[str]:
    T, R = t.backend.label, r.backend.label
    if t.error is not None and op.refusal_conforms(case):
        return compare_errors(op, case, t, r)  # a form torch may refuse: the same refusal conforms
    if t.error is not None:
        return [f"{T} raised {type(t.error).__name__}: {_first_line(t.error)} -- where {R} " + _outcome(r)]
    if r.error is not None:
        return [f"{R} raised {type(r.error).__name__}: {_first_line(r.error)} where {T} succeeded"]
    if len(t.outputs) != len(r.outputs):
        return [f"{T} returned {len(t.outputs)} outputs, {R} {len(r.outputs)}"]
    if op.compare is not None and t.backend.has_data and r.backend.has_data:
        problems = op.compare(op, case, t, r)
    else:
        problems = []
        for i, (to, ro) in enumerate(zip(t.outputs, r.outputs, strict=True)):
            problems += compare_tensor(op, case, t.backend, to, r.backend, ro, f"output {i}", i)
    if problems:
        return problems
    return compare_layouts(t, r)


def compare_layouts(t: Run, r: Run) -> list[str]:
    """Every output's strides, as torch reports them (size-1 and empty dims included), its storage
    offset (where a view starts in its base's memory; 0 for a new tensor), and whether a following
    ``.view(-1)`` succeeds (the layout decides it)."""
    problems = []
    T, R = t.backend.label, r.backend.label
    for i, (to, ro) in enumerate(zip(t.outputs, r.outputs, strict=True)):
        ts, rs = t.backend.strides(to), r.backend.strides(ro)
        if ts != rs:
            problems.append(f"output {i} of shape {tuple(to.shape)}: strides {T} {ts} != {R} {rs}")
        to_off, ro_off = t.backend.storage_offset(to), r.backend.storage_offset(ro)
        if to_off != ro_off:
            problems.append(f"output {i}: storage_offset() {T} {to_off} != {R} {ro_off}")
        tv, rv = t.backend.views_flat(to), r.backend.views_flat(ro)
        if tv != rv:
            problems.append(f"output {i}: .view(-1) {'succeeds' if tv else 'fails'} on {T}, not on {R}")
        # a factory's requires_grad=True makes a leaf that requires grad (a target without the flag: not compared)
        tg, rg = getattr(to, "requires_grad", None), getattr(ro, "requires_grad", None)
        if tg is not None and tg != rg:
            problems.append(f"output {i}: requires_grad {T} {tg} != {R} {rg}")
    return problems


def compare_tensor(op, case, tb: Target, to, rb: Target, ro, label: str, index: int = 0) -> list[str]:
    """Shape, dtype and (where both sides hold data) values of output number ``index``."""
    tshape, rshape = tuple(to.shape), tuple(ro.shape)
    tdt, rdt = tb.dtype_name(to), rb.dtype_name(ro)
    T, R = tb.label, rb.label
    problems = []
    if tshape != rshape:
        problems.append(f"{label}: shape {T} {tshape} != {R} {rshape}")
    if tdt != rdt:
        problems.append(f"{label}: dtype {T} {tdt} != {R} {rdt}")
    if problems or not (tb.has_data and rb.has_data):
        return problems
    device = tb.device if rb.device == "cpu" else rb.device
    ta, ra = tb.to_numpy(to), rb.to_numpy(ro)
    tol = tolerance_for(op, case, tdt, tb.spec)
    scale = op.scale(case) if op.scale is not None and tol.rtol else None
    if isinstance(scale, tuple):  # one scale per output (factorizations of several shapes)
        scale = scale[index]
    if tol.rtol == 0 and tol.atol == 0 and op.signed_zero_free(case, device):
        ta, ra = ta + 0, ra + 0  # adding 0 turns -0.0 into +0.0 on both sides
    bad = tolerances.mismatches(ra, ta, tol, scale)
    if not bad.any():
        return []
    idx = np.argwhere(bad)[:5]
    shown = ", ".join(f"{tuple(int(i) for i in p)}: {T} {ta[tuple(p)]!r} vs {R} {ra[tuple(p)]!r}" for p in idx)
    found = verdict(op, case, ta, ra, tol, scale, T, R, index)
    return [f"{label}: {int(bad.sum())} of {bad.size} values differ ({tol.reason}); {shown}. {found}"]


def tolerance_for(op: OpInfo, case: Case, out_dtype: str, target: str | None = None) -> tolerances.Tolerance:
    """The family's tolerance for the output dtype; an ``out=`` wider than the result (form ``out wider``)
    holds values computed in the inputs' precision, and so may an op that rounds an intermediate before
    promoting (``rounds_at_input_precision``): the loosest of the inputs' dtypes applies there."""
    family = op.family_for(case)
    tol = tolerances.lookup(family, out_dtype, target)
    out_wider = op.signature is not None and op.signature.may_raise(case.form)
    if not (out_wider or op.rounds_at_input_precision(case)):
        return tol
    for a in case.arrays():
        try:
            other = tolerances.lookup(family, a.dtype.name, target)
        except KeyError:  # no row for an input dtype of another category (e.g. float beside complex)
            continue
        tol = max(tol, other, key=lambda t: (t.rtol, t.atol))
    return tol


def verdict(op: OpInfo, case: Case, ta, ra, tol, scale, T: str = "torch", R: str = "reference", index: int = 0) -> str:
    """Ask the loop-by-loop oracle which side is right about output number ``index`` (an oracle of an
    op with several outputs returns a tuple of them)."""
    if op.oracle is None:
        return "No oracle for this op: see the reference's identity checks (test_spec.py)."
    try:
        expected = op.oracle(case, ra.dtype)
        expected = np.asarray(expected[index] if isinstance(expected, tuple | list) else expected)
    except Exception as e:  # noqa: BLE001
        return f"The oracle itself failed ({type(e).__name__}: {e})."
    expected = expected.astype(ra.dtype) if expected.shape == ra.shape else expected
    ok_ref = expected.shape == ra.shape and not tolerances.mismatches(ra, expected, tol, scale).any()
    ok_torch = expected.shape == ta.shape and not tolerances.mismatches(ta, expected, tol, scale).any()
    if ok_ref and not ok_torch:
        return f"VERDICT: the loop-by-loop definition agrees with {R} -> {T} deviates from the specification."
    if ok_torch and not ok_ref:
        return f"VERDICT: the loop-by-loop definition agrees with {T} -> {R} is wrong."
    return "VERDICT: undecided (the loop-by-loop definition agrees with both or neither)."


# -- aliasing ------------------------------------------------------------------------------


def compare_aliasing(op: OpInfo, case: Case, t: Run, r: Run) -> list[str]:
    """For every (output, tensor input) pair: is it the same object / a view / sharing memory, on both sides."""
    if t.error is not None or r.error is not None:
        return compare_values(op, case, t, r)
    problems = []
    T, R = t.backend.label, r.backend.label
    t_in, r_in = tensor_inputs(t), tensor_inputs(r)
    for i, (to, ro) in enumerate(zip(t.outputs, r.outputs, strict=True)):
        for j, (ti, ri) in enumerate(zip(t_in, r_in, strict=True)):
            ta = t.backend.aliasing(to, ti)
            ra = r.backend.aliasing(ro, ri)
            if ta != ra:
                problems.append(f"output {i} vs input {j}: {T} (is input, is view, shares memory) = {ta}, {R} = {ra}")
            elif ra[1] and ro.numel() > 0 and not r.backend.shares_memory(ro, ri):
                problems.append(f"output {i}: {R} marks a view of input {j} whose memory is not shared")
            elif ra[2] and to.ndim == ro.ndim and to.numel() > 0:
                ts, rs = t.backend.strides(to), r.backend.strides(ro)
                diff = [d for d, n in enumerate(to.shape) if n > 1 and ts[d] != rs[d]]
                if diff:
                    problems.append(f"output {i} (a view): strides {T} {ts} != {R} {rs} at dims {diff}")
    return problems


# -- inputs unchanged ---------------------------------------------------------------------


def snapshot(case: Case) -> list[bytes]:
    return [np.ascontiguousarray(a).tobytes() for a in case.arrays()]


def input_bytes(r: Run) -> list[bytes]:
    return [np.ascontiguousarray(r.backend.to_numpy(t)).tobytes() for t in tensor_inputs(r)]


# -- errors --------------------------------------------------------------------------------


def builtin_class(exc: BaseException) -> type:
    """The first built-in exception class in ``exc``'s MRO (torch's LinAlgError -> RuntimeError)."""
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls
    return Exception


def _outcome(r: Run) -> str:
    """What the other side did, for a message."""
    if r.error is not None:
        return f"raised {type(r.error).__name__} ({_first_line(r.error)})"
    return "succeeded"


def compare_errors(op: OpInfo, case: Case, t: Run, r: Run) -> list[str]:
    """Both sides refuse, with the same built-in exception class; the reference's message names the
    problem (``case.expect``)."""
    T, R = t.backend.label, r.backend.label
    if t.error is None:
        return [f"{T} accepted these arguments where {R} " + _outcome(r)]
    if r.error is None:
        return [f"{T} raised {type(t.error).__name__} ({_first_line(t.error)}) but {R} returned a result"]
    tc, rc = builtin_class(t.error), builtin_class(r.error)
    problems = []
    if tc is not rc:
        problems.append(
            f"{T} raised {tc.__name__} ({_first_line(t.error)}), {R} raised {rc.__name__} ({_first_line(r.error)})"
        )
    spec_error = r.error if isinstance(r.backend, ReferenceSide) else t.error
    if case.expect and case.expect.lower() not in str(spec_error).lower():
        problems.append(f"the reference's message does not mention {case.expect!r}: {_first_line(spec_error)}")
    return problems


def _first_line(e: BaseException) -> str:
    s = str(e).strip().splitlines()
    return s[0][:200] if s else ""


# -- reproduction -------------------------------------------------------------------------


def array_source(a: np.ndarray) -> str:
    """Python source that rebuilds ``a`` with the same values *and* layout."""
    from .targets import memory_block

    block, shape, strides = memory_block(a)
    item = a.itemsize
    vals = np.array2string(block, separator=", ", threshold=10**6, max_line_width=10**6, floatmode="unique")
    vals = vals.replace("nan", "np.nan").replace("inf", "np.inf")
    return (
        f"np.lib.stride_tricks.as_strided(np.array({vals}, dtype=np.{a.dtype.name}), "
        f"shape={tuple(shape)}, strides={tuple(s * item for s in strides)})"
    )


def value_source(v) -> str:
    if isinstance(v, np.ndarray):
        return array_source(v)
    if isinstance(v, tuple):
        return "(" + "".join(value_source(x) + ", " for x in v) + ")"
    if isinstance(v, list):
        return "[" + ", ".join(value_source(x) for x in v) + "]"
    if isinstance(v, float) and (np.isnan(v) or np.isinf(v)):
        return f"float({str(v)!r})"
    if isinstance(v, np.dtype):
        return f"np.dtype({v.name!r})"
    return repr(v)


def repro(op: OpInfo, case: Case, target: str, check: str = "values") -> str:
    """Copy-paste code (run from the repository root) that runs the target and its expected side
    and exits non-zero with the same complaint when they still disagree.  Also counts the example."""
    from strategies import example_run

    example_run()
    kw = "{" + ", ".join(f"{k!r}: {value_source(v)}" for k, v in case.kwargs.items()) + "}"
    return remember_case(
        "# reproduction: run from the repository root\n"
        "import numpy as np\n"
        "from strategies import Case\n"
        "from conformance.harness import check_case, run_both\n"
        f"case = Case(args={value_source(case.args)}, kwargs={kw}, expect={case.expect!r}, form={case.form!r}, kind={case.kind!r})\n"
        f"t, r = run_both({op.name!r}, case, target={target!r})\n"
        "print(t.backend.label + ':', t.error if t.error else t.outputs)\n"
        "print(r.backend.label + ':', r.error if r.error else r.outputs)\n"
        f"problems = check_case({op.name!r}, {check!r}, case, t, r)\n"
        "print('\\n'.join(problems) or 'conforms')\n"
        "raise SystemExit(1 if problems else 0)\n"
    )


def last_case_file(worker: str) -> Path | None:
    """Where a worker's last started case is kept (the run's scratch folder), so that a case that
    kills the process is still reported with its reproduction."""
    folder = os.environ.get("CONFORMANCE_CASE_DIR")
    return Path(folder) / f"{worker}.py" if folder else None


def remember_case(source: str) -> str:
    """Keep ``source`` as this process's last started case; returns it."""
    path = last_case_file(os.environ.get("PYTEST_XDIST_WORKER", "main"))
    if path is not None:
        try:
            path.write_text(source)
        except OSError:  # a scratch file is best effort: the run itself must not fail on it
            pass
    return source


def check_case(op: OpInfo | str, check: str, case: Case, t: Run, r: Run) -> list[str]:
    """The problems a generic check finds for an already-run case (used by reproductions)."""
    op = REGISTRY[op] if isinstance(op, str) else op
    if check == "errors":
        return compare_errors(op, case, t, r)
    if check == "aliasing":
        return compare_aliasing(op, case, t, r)
    return compare_values(op, case, t, r)


def third_vote(op: OpInfo, case: Case, check: str, t: Run, r: Run) -> str:
    """torch's eager CPU kernels as the third vote on a disagreement between a target and its expected
    side (nothing to add when one of the two already is torch's eager CPU)."""
    sides = {t.backend.spec, r.backend.spec}
    if "torch:cpu" in sides:
        return ""
    eager = run(op, case, parse_target("torch:cpu"))
    with_target = not check_case(op, check, case, t, eager)
    with_expected = not check_case(op, check, case, eager, r)
    return vote_verdict(t.backend.label, r.backend.label, with_target, with_expected)


def vote_verdict(T: str, R: str, with_target: bool, with_expected: bool) -> str:
    """The third vote in words: whether torch's eager CPU kernels agree with the target ``T``, with
    the expected side ``R``, or with neither."""
    if with_expected and not with_target:
        return f"THIRD VOTE: torch eager CPU agrees with {R} -> {T} diverges from torch's own semantics."
    if with_target and not with_expected:
        return (
            f"THIRD VOTE: torch eager CPU agrees with {T} -> {R} differs from torch here "
            "(a reference bug, or a difference listed in known_differences)."
        )
    return "THIRD VOTE: torch eager CPU agrees with neither side."
