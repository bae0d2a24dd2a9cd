"""The perf report's runner and rows, tested for what they compute -- never for how fast anything is.

Every registry op declares perf rows; each row computes the same result in the reference and in
torch (a row that measured different work on the two sides would make its ratio meaningless); the
round-robin runner interleaves implementations and derives each ratio round by round; a run with
targets records their throughput and compile times; a perf JSON the page cannot read fails with one line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conformance.registry import REGISTRY
from conformance.registry._perf import PerfRow, perf_rows
from reports import perf
from reports.perf_html import NotAPerfFile, check_perf_doc, render_perf_page

torch = pytest.importorskip("torch", reason="the perf rows are compared with torch")
import reference  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_every_registry_op_declares_a_perf_row():
    missing = [name for name, op in REGISTRY.items() if op.perf is None]
    assert not missing, f"ops without a perf row (OpInfo.perf): {missing}"


def _as_numpy(x):
    if isinstance(x, tuple | list):
        return [_as_numpy(v) for v in x]
    if hasattr(x, "resolve_conj"):  # torch's lazy conjugates (ifft of a real input) have no NumPy view
        x = x.resolve_conj()
    return np.asarray(x.detach().numpy() if hasattr(x, "detach") else x)


# parametrized by ``entry``, not ``op``: these check the perf rows, and belong with the self-tests
@pytest.mark.parametrize("entry", list(REGISTRY.values()), ids=lambda op: op.name)
def test_perf_rows_do_the_same_work_on_both_sides(entry):
    """At a small size, each row's call gives the same shapes and dtypes (and, for the exact-value
    rows, values) in the reference and in torch: the ratio compares like with like."""
    op, n, rows = entry, 256, {}
    for ns, make in ((reference, reference.from_numpy), (torch, torch.from_numpy)):

        def T(arr, requires_grad=False, ns=ns, make=make):
            t = make(np.ascontiguousarray(arr).copy())
            return t.requires_grad_(True) if requires_grad and op.differentiable else t

        rows[ns.__name__] = perf_rows(op.name, op.perf(ns, T, n))
    assert rows["reference"].keys() == rows["torch"].keys()
    for name, row in rows["reference"].items():
        assert isinstance(row, PerfRow)
        ref_out, torch_out = _as_numpy(row.fn()), _as_numpy(rows["torch"][name].fn())
        ref_flat = ref_out if isinstance(ref_out, list) else [ref_out]
        torch_flat = torch_out if isinstance(torch_out, list) else [torch_out]
        assert [a.shape for a in ref_flat] == [b.shape for b in torch_flat], name
        assert [a.dtype for a in ref_flat] == [b.dtype for b in torch_flat], name
        if op.family == "exact":
            for a, b in zip(ref_flat, torch_flat, strict=True):
                np.testing.assert_array_equal(a, b, err_msg=name)


class _FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_runner_interleaves_round_by_round_with_a_rotating_start():
    clock = _FakeClock()
    calls = []

    def fn(key, cost):
        def call():
            calls.append(key)
            clock.now += cost

        return call

    impls = {k: perf.Impl(k, k, None, lambda a: a) for k in ("a", "b", "c")}
    fns = {"a": fn("a", 2e-3), "b": fn("b", 4e-3), "c": fn("c", 1e-3)}
    times, per_block = perf.interleaved(impls, fns, min_time=0.0, clock=clock)
    assert per_block == {"a": 1, "b": 1, "c": 1}  # each call already lasts >= 1 ms
    timed = calls[2 * 3 :]  # after each one's warm-up and one-call calibration
    rounds = [timed[i : i + 3] for i in range(0, len(timed), 3)]
    assert len(rounds) == perf.MIN_ROUNDS
    assert [r[0] for r in rounds] == ["a", "b", "c", "a", "b"]  # who goes first rotates
    assert all(sorted(r) == ["a", "b", "c"] for r in rounds)  # one block of each per round
    assert times["b"] == pytest.approx([4e-3] * perf.MIN_ROUNDS)


def test_a_ratio_is_taken_round_by_round():
    """A drift that slows both sides in one round cancels in that round's ratio; its spread is the
    IQR of the per-round ratios, not of the two medians."""
    torch_1 = [1.0, 2.0, 4.0, 8.0, 16.0]
    ref = [2.0, 4.0, 8.0, 16.0, 32.0]
    r = perf.ratio_summary(torch_1, ref)
    assert r["median"] == pytest.approx(0.5) and r["iqr"] == pytest.approx(0.0)
    r = perf.ratio_summary([1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 4.0, 8.0])
    assert r["median"] == pytest.approx(np.median([1, 0.5, 0.25, 0.125]))
    assert r["q3"] - r["q1"] == pytest.approx(r["iqr"]) and r["iqr"] > 0


@pytest.fixture(scope="module")
def small_run():
    """Two rows at one size, with a library target and a compiler target (eager backend: quick)."""
    return perf.run(
        min_time=0.0,
        targets=("module:reference", "compile:eager"),
        sizes=[256],
        ops=["add", "permute"],
        progress=lambda *_: None,
        checkpoint_megabytes=4,
    )


def test_a_run_measures_every_target_beside_torch_and_times_compilation(small_run):
    doc = small_run
    assert set(doc["implementations"]) >= {"reference", "torch_1", "torch_all", "target:module:reference"}
    assert set(doc["forward"]) == {"add", "permute (view)", "permute+contiguous"}
    assert set(doc["forward_backward"]) == {"add", "permute (view)", "permute+contiguous"}
    for section in ("forward", "forward_backward"):
        for e in doc[section].values():
            for key in doc["implementations"]:
                stats = e["times"][key][0]
                assert stats["blocks"] >= perf.MIN_ROUNDS and stats["q1"] <= stats["median"] <= stats["q3"]
            assert set(e["ratios"]) == set(doc["implementations"]) - {"torch_1"}
            # only the compiler has a compile time, one per size
            assert list(e["compile_s"]) == ["target:compile:eager"] and len(e["compile_s"]["target:compile:eager"]) == 1
    assert doc["forward"]["permute+contiguous"]["bytes_moved"] == [8 * 216]  # a 6x6x6 float32 cube
    heads = doc["target_headline"]
    assert set(heads) == {"module:reference", "compile:eager"}
    assert {r["op"] for r in heads["compile:eager"]["rows"]} == set(doc["forward"])
    assert all(r["compile_s"] > 0 for r in heads["compile:eager"]["rows"])
    assert all(r["compile_s"] is None for r in heads["module:reference"]["rows"])
    ck = doc["checkpoint_io"]
    assert ck["tensors"] == 2 and ck["megabytes"] == pytest.approx(4.004)
    assert all(ck[w][k]["MBps"] > 0 for w in ("load", "save") for k in ("reference", "torch_1"))
    steps = doc["training_steps"]
    for name in perf.TRAINING_STEPS:
        assert (
            all(steps[name][k]["median"] > 0 for k in ("reference", "torch_1")) and steps[name]["ratio"]["median"] > 0
        )
    page = render_perf_page(json.loads(json.dumps(doc)))  # what goes to disk and back
    assert "Target compile:eager" in page and "compile time" in page and "[IQR]" in page
    assert "checkpoint-io" in page and "training-steps" in page and "MLP step, Adam" in page


def test_a_perf_json_the_page_cannot_read_fails_with_one_line(tmp_path, small_run):
    with pytest.raises(NotAPerfFile, match="not a perf report"):
        check_perf_doc(["a list"])
    old = dict(small_run, schema=1)
    with pytest.raises(NotAPerfFile, match="schema 1"):
        check_perf_doc(old)
    broken = dict(small_run, forward={"add": {"sizes": "x"}})
    with pytest.raises(NotAPerfFile, match="'forward'"):
        check_perf_doc(broken)
    run_json = tmp_path / "results-cpu.json"
    run_json.write_text(json.dumps({"schema": 1, "environment": {}, "results": [], "collected": 0}))
    bad = tmp_path / "perf.json"
    bad.write_text("{not json")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "reports",
            "render",
            str(run_json),
            "--perf",
            str(bad),
            "--out",
            str(tmp_path / "r.html"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "not a perf report" in proc.stderr
