"""The report pipeline end to end: capture under xdist (with a failing op and a crashed worker),
reproductions that fail the same way, merging runs, and the HTML in a real headless browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.pytest_runs import run_pytest
from reports import load_runs, render

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = "conformance.fixtures.nonconforming"


def _pytest(tmp: Path, name: str, *args, env_extra=None) -> tuple[int, dict, str]:
    out = tmp / f"{name}.json"
    proc = run_pytest("-p", FIXTURE, *args, json_path=out, env_extra=env_extra)
    return proc.returncode, json.loads(out.read_text()), proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory):
    """An xdist run with a non-conforming op and a worker that dies."""
    tmp = tmp_path_factory.mktemp("runs")
    code, doc, log = _pytest(
        tmp,
        "broken",
        "-n",
        "2",
        "conformance/test_ops.py",
        "-k",
        "(fixture and values) or (gather and values)",
        env_extra={"CONFORMANCE_CRASH_FIXTURE": "1"},
    )
    return tmp, code, doc, log


def test_capture_under_xdist_reports_failure_and_crash(broken_run):
    _, code, doc, log = broken_run
    assert code != 0, log
    by = {(r["op"], r["check"], r["target"]): r for r in doc["results"]}
    bad = by[("fixture.nonconforming_clamp", "values", "torch:cpu")]
    assert bad["outcome"] == "failed" and bad["reproduction"]
    assert by[("gather", "values", "torch:cpu")]["outcome"] == "passed"
    assert by[("gather", "values", "torch:cpu")]["examples"] > 0
    assert by[("gather", "values", "torch:cpu")]["events"], "per-test coverage events are recorded"
    assert doc["crashed"], "a lost worker must be reported"
    assert doc["complete"] is False
    crash = by[("fixture.crashing_op", "values", "torch:cpu")]
    assert crash["outcome"] in ("failed", "error")
    # attributed to its op and its case: the case the worker was running comes with a reproduction
    assert "run_both('fixture.crashing_op'" in (crash.get("reproduction") or ""), crash
    assert doc["environment"]["torch"] and doc["environment"]["profile"] == "ci"


def test_reproduction_runs_and_fails_the_same_way(broken_run):
    _, _, doc, _ = broken_run
    bad = next(r for r in doc["results"] if r["op"] == "fixture.nonconforming_clamp" and r["check"] == "values")
    code = f"import {FIXTURE}\n" + bad["reproduction"]
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    complaint = proc.stdout.strip().splitlines()[-1]
    assert complaint.split(";")[0] in bad["message"], (complaint, bad["message"][-2000:])


def test_merge_runs_from_two_machines(broken_run, tmp_path):
    tmp, _, doc, _ = broken_run
    cuda = json.loads(json.dumps(doc))
    for r in cuda["results"]:
        r["target"] = "torch:cuda"
    cuda["environment"]["cuda_device"] = "a GPU machine"
    old = json.loads(json.dumps(doc))  # a file from before targets existed names a device
    for r in old["results"]:
        r.pop("target")
        r["device"] = "cpu"
    a, b, c = tmp_path / "cpu.json", tmp_path / "cuda.json", tmp_path / "old.json"
    a.write_text(json.dumps(doc))
    b.write_text(json.dumps(cuda))
    c.write_text(json.dumps(old))
    page = render(load_runs([a, b, c]))
    assert "<th>torch:cpu</th>" in page and "<th>torch:cuda</th>" in page and "<th>cpu</th>" not in page
    assert page.count("class='cell'") == 2 * len({r["op"] for r in doc["results"]})
    assert "a GPU machine" in page


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_html_in_headless_chromium(broken_run, tmp_path):
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium (installed by .ci/run)")
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")
    _, _, doc, _ = broken_run
    src = tmp_path / "run.json"
    src.write_text(json.dumps(doc))
    page = tmp_path / "report.html"
    page.write_text(render(load_runs([src])))
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run(
        [browser, *CHROME_FLAGS, *profile, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert 'id="grid"' in dom and 'data-status="failed"' in dom and 'data-status="passed"' in dom
    assert "fixture.nonconforming_clamp" in dom and 'class="reproduction"' in dom
    assert "run_both(&#39;fixture.nonconforming_clamp&#39;" in dom or "run_both('fixture.nonconforming_clamp'" in dom
    assert 'id="incomplete"' in dom  # the crashed worker is shown, not hidden
    shot_dir = ROOT / "results"
    shot_dir.mkdir(exist_ok=True)
    shot = shot_dir / "report-screenshot.png"
    subprocess.run(
        [browser, *CHROME_FLAGS, *profile, "--window-size=1280,1400", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.exists() and shot.stat().st_size > 10_000


def test_baseline_marks_what_regressed_and_what_got_fixed(broken_run, tmp_path):
    from reports.html import baseline_changes

    _, _, doc, _ = broken_run
    old = json.loads(json.dumps(doc))
    for r in old["results"]:  # in the baseline, gather failed and the clamp fixture passed
        if r["op"] == "gather" and r["outcome"] == "passed":
            r["outcome"] = "failed"
        if r["op"] == "fixture.nonconforming_clamp":
            r["outcome"] = "passed"
    a, b = tmp_path / "new.json", tmp_path / "old.json"
    a.write_text(json.dumps(doc))
    b.write_text(json.dumps(old))
    changes = baseline_changes(load_runs([b]), load_runs([a]))
    assert ("fixture.nonconforming_clamp", "values", "torch:cpu") in changes["regressed"]
    assert ("gather", "values", "torch:cpu") in changes["fixed"]
    page = render(load_runs([a]), baseline=load_runs([b]))
    assert "Since the baseline" in page
    assert f"{len(changes['regressed'])} regressed" in page and f"{len(changes['fixed'])} fixed" in page


def test_operator_coverage_is_counted_against_the_installed_torch(broken_run):
    from conformance.op_coverage import coverage

    _, _, doc, _ = broken_run
    cov = doc["operator_coverage"]
    assert cov == json.loads(json.dumps(coverage()))
    assert "add" in cov["torch"]["covered"] and "clip" in cov["torch"]["covered"]  # an alias counts
    assert "cat" in cov["torch"]["covered"] and "concat" in cov["torch"]["covered"]  # aliases too
    assert "kron" in cov["torch"]["not_covered"] and "linalg.svd" in cov["linalg"]["covered"]
    page = render(load_runs([_write(doc)]))
    assert "Operator coverage" in page


def _write(doc) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "run.json"
    path.write_text(json.dumps(doc))
    return path
