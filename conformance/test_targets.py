"""The pluggable implementation under test: target specs, their refusals, a deliberately broken target
found and reproduced end to end, and targets without data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from reports.html import NotAResultFile, load_runs

from .harness import check_case, run_both
from .pytest_runs import run_pytest
from .targets import MetaTarget, TargetUnavailable, expected_side, parse_target

ROOT = Path(__file__).resolve().parents[1]
BROKEN = "module:conformance.fixtures.broken_lib"


@pytest.mark.parametrize(
    ("spec", "error", "words"),
    [
        ("torch:xyz", TargetUnavailable, "device string 'xyz'"),
        ("module:no_such_module_here", TargetUnavailable, "cannot import module 'no_such_module_here'"),
        ("module:json", TargetUnavailable, "no Tensor class"),
        ("compile:no_such_backend", TargetUnavailable, "no backend 'no_such_backend'"),
        ("tpu-ish", ValueError, "unknown target 'tpu-ish'"),
    ],
)
def test_unusable_targets_say_why_in_one_line(spec, error, words):
    with pytest.raises(error) as info:
        parse_target(spec)
    message = str(info.value)
    assert words in message and "\n" not in message


def test_expected_sides():
    assert expected_side(parse_target("torch:cpu")).spec == "reference"
    assert expected_side(parse_target("meta")).spec == "reference"
    # the reference as the implementation under test is compared with torch's eager kernels
    assert expected_side(parse_target("module:reference")).spec == "torch:cpu"


def test_meta_tensors_keep_layout_and_views_without_data():
    arr = np.arange(24, dtype=np.float32).reshape(2, 3, 4).transpose(2, 0, 1)[::2]
    meta = MetaTarget()
    t = meta.from_array(arr)
    assert t.device.type == "meta" and tuple(t.shape) == arr.shape
    assert meta.strides(t) == tuple(s // 4 for s in arr.strides)
    v = t.transpose(0, 1)
    assert meta.aliasing(v, t) == (False, True, True)
    assert meta.aliasing(t + 1, t) == (False, False, False)
    assert meta.not_applicable("gradients") and meta.not_applicable("values") is None


def _pytest(*args, env_extra=None, json_path=None):
    return run_pytest(*args, json_path=json_path, env_extra=env_extra)


def test_an_unavailable_target_stops_the_run_with_one_clear_line():
    proc = _pytest("--target", "torch:xyz", "conformance/test_ops.py", "-k", "gather")
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "torch:xyz" in line]
    assert lines and "not accept the device string" in lines[0], proc.stderr


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("broken") / "broken.json"
    proc = _pytest(
        "--target", BROKEN, "conformance/test_ops.py", "-k", "test_values and (add or gather)", json_path=out
    )
    return proc, json.loads(out.read_text())


def test_a_nonconforming_target_fails_with_a_third_vote(broken_run):
    proc, doc = broken_run
    assert proc.returncode == 1, proc.stdout[-3000:]
    by = {(r["op"], r["target"]): r for r in doc["results"]}
    bad, good = by[("add", BROKEN)], by[("gather", BROKEN)]
    assert bad["outcome"] == "failed" and good["outcome"] == "passed"
    assert f"THIRD VOTE: torch eager CPU agrees with reference -> {BROKEN} diverges" in bad["message"]
    assert doc["environment"]["targets"] == [BROKEN]


def test_its_reproduction_fails_the_same_way_on_its_own(broken_run):
    _, doc = broken_run
    bad = next(r for r in doc["results"] if r["op"] == "add")
    proc = subprocess.run([sys.executable, "-c", bad["reproduction"]], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    complaint = proc.stdout.strip().splitlines()[-1]
    assert complaint.split(";")[0] in bad["message"]
    # and conforms once the bug is gone
    fixed = subprocess.run(
        [sys.executable, "-c", bad["reproduction"]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, BROKEN_LIB_FIXED="1"),
    )
    assert fixed.returncode == 0 and fixed.stdout.strip().endswith("conforms"), fixed.stdout + fixed.stderr


def test_module_reference_compares_the_reference_with_torch():
    from strategies import Case

    case = Case((np.arange(6.0).reshape(2, 3), 1), form="function + positional")
    t, r = run_both("sum", case, target="module:reference")
    assert t.backend.spec == "module:reference" and r.backend.spec == "torch:cpu"
    assert check_case("sum", "values", case, t, r) == []


def test_node_ids_name_their_target():
    from .report_plugin import classify_nodeid

    assert classify_nodeid("conformance/test_ops.py::test_values[meta-add]")["target"] == "meta"
    assert classify_nodeid("conformance/test_ops.py::test_values[torch:cuda:1-add]")["target"] == "torch:cuda:1"


@pytest.mark.parametrize(
    "content",
    ["[1, 2]", '{"results": [{"op": 1}]}', "not json", '{"no": "results"}', '{"results": [{"op": "a", "check": "b"}]}'],
)
def test_the_report_refuses_what_is_not_a_result_file(tmp_path, content):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(NotAResultFile, match="not a conformance result file"):
        load_runs([bad])
    proc = subprocess.run(
        [sys.executable, "-m", "reports", "render", str(bad), "--out", str(tmp_path / "r.html")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "not a conformance result file" in proc.stderr


def test_a_sharded_run_merges_into_one_report(tmp_path):
    """pytest-split shards (one per CI machine), each writing its JSON; the report merges them."""
    pytest.importorskip("pytest_split", reason="pytest-split is a dev extra (pip install -e '.[dev]')")
    docs = []
    for group in (1, 2):
        out = tmp_path / f"shard-{group}.json"
        proc = _pytest(
            "--splits",
            "2",
            "--group",
            str(group),
            "conformance/test_ops.py",
            "-k",
            "gather or index_select",
            json_path=out,
        )
        assert proc.returncode == 0, proc.stdout[-2000:]
        docs.append(json.loads(out.read_text()))
    ids = [{r["nodeid"] for r in d["results"]} for d in docs]
    assert ids[0] and ids[1] and not ids[0] & ids[1]  # two disjoint halves
    whole = _pytest("--collect-only", "-q", "conformance/test_ops.py", "-k", "gather or index_select")
    collected = {line for line in whole.stdout.splitlines() if "::" in line}
    assert ids[0] | ids[1] == collected
    runs = load_runs([tmp_path / "shard-1.json", tmp_path / "shard-2.json"])
    from reports import render

    page = render(runs)
    assert page.count("class='cell'") == 2 * 2  # gather and index_select x torch:cpu and torch:cuda
