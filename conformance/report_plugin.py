"""Result capture: one JSON file per run, for the HTML report.

For every test case it records the op, the check, the target, the outcome,
the duration, how many Hypothesis examples ran, the coverage events those
examples produced (dtypes included), and for a failure the falsifying example
with its copy-paste reproduction.  It works under pytest-xdist: workers attach
their data to the test reports (``user_properties`` travel to the controller),
and the controller writes the file.  A run that lost a worker, or recorded
fewer results than it collected, says so in the file.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import strategies
from reports.machine import cpu_model

KEY = "conformance"

CHECK_NAMES = {
    "test_values": "values",
    "test_aliasing": "aliasing",
    "test_inputs_unchanged": "inputs unchanged",
    "test_errors": "errors",
    "test_gradients_match_torch": "gradients",
    "test_double_backward_matches_torch": "double backward",
    "test_gradients_match_finite_differences": "finite differences",
    "test_autograd_programs_match_torch": "programs",
    "test_scenario": "scenario",
}

MODULE_OPS = {
    "test_tensor_api": "Tensor API",
    "test_autograd_semantics": "autograd",
    "test_programs": "autograd programs",
    "test_golden": "golden examples",
    "test_strategies": "strategies",
    "test_purity": "purity",
    "test_report": "report",
    "test_serialization": "save/load",
    "test_perf": "perf",
}


def classify(item) -> dict:
    """(op, check, target) of a test item, from its parameters or its name.  Tests that are not run
    per target (the reference's own verification against torch) count as ``torch:cpu``; a target
    without data has its value check reported as a metadata check."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    fn = item.originalname if hasattr(item, "originalname") else item.name
    module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
    op = params.get("op")
    op_name = getattr(op, "name", None)
    check = CHECK_NAMES.get(fn, fn.removeprefix("test_").replace("_", " "))
    # a test generated for one registry op names it (test_spec's loop-definition tests)
    declared = getattr(getattr(item, "obj", None), "registry_op", None)
    if op_name is None and declared is not None:
        op_name, check = declared, "loop definition"
    if op_name is None:
        if module == "test_spec":
            op_name = "svd" if "svd" in fn else "spec"
        else:
            op_name = MODULE_OPS.get(module, module.removeprefix("test_"))
        if fn == "test_scenario":
            check = f"scenario: {params.get('name', '')}"
    target = params.get("target", "torch:cpu")
    if check == "values" and not _has_data(target):
        check = "metadata (values n/a)"
    return {"op": op_name, "check": check, "target": target, "test": fn}


def _has_data(spec: str) -> bool:
    from .targets import parse_target

    try:
        return parse_target(spec).has_data
    except Exception:  # noqa: BLE001 - an unavailable target's cases are skipped anyway
        return True


def classify_nodeid(nodeid: str) -> dict:
    """(op, check, target) from a node id like ``conformance/test_ops.py::test_values[torch:cpu-gather]``."""
    name = nodeid.split("::")[-1]
    fn, _, params = name.partition("[")
    params = params.rstrip("]")
    target, op = "torch:cpu", None
    if params:
        first, _, rest = params.partition("-")
        if (":" in first or first in ("meta", "fake", "reference")) and rest:
            target, op = first, rest
        else:
            op = params
    return {
        "op": op or nodeid.split("::")[0],
        "check": CHECK_NAMES.get(fn, fn.removeprefix("test_")),
        "target": target,
        "test": fn,
    }


def _overrides() -> list[dict]:
    from .tolerances import TARGET_OVERRIDES, USER_OVERRIDES

    return [
        {
            "target": o.target,
            "family": o.family,
            "dtype": o.dtype,
            "rtol": o.tolerance.rtol,
            "atol": o.tolerance.atol,
            "reason": o.tolerance.reason,
            "source": o.source,
        }
        for o in USER_OVERRIDES + TARGET_OVERRIDES
    ]


def _targets(config) -> list[str]:
    from .plugin import requested_targets

    return requested_targets(config)


def environment(config) -> dict:
    env = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "argv": sys.argv[1:],
        "profile": _profile(config),
        "seed": getattr(config.option, "hypothesis_seed", None),
        "device_option": config.getoption("--device"),
        "targets": _targets(config),
        "expect_file": config.getoption("--expect"),
        "tolerance_overrides": _overrides(),
        "xdist_workers": getattr(config.option, "numprocesses", None),
    }
    for mod in ("numpy", "hypothesis", "pytest"):
        try:
            env[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001
            env[mod] = None
    try:
        import torch

        env["torch"] = torch.__version__
        env["torch_threads"] = torch.get_num_threads()
        env["cuda_available"] = torch.cuda.is_available()
        env["cuda_device"] = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    except Exception as e:  # noqa: BLE001
        env["torch"] = f"unavailable: {e}"
    return env


def _profile(config) -> str:
    from hypothesis import settings

    return getattr(config.option, "hypothesis_profile", None) or settings._current_profile or "default"


_REPRO = re.compile(
    r"# reproduction: run from the repository root\n.*?raise SystemExit\(1 if problems else 0\)\n", re.S
)


def extract_reproduction(text: str) -> str | None:
    found = _REPRO.findall(text.replace("\nE       ", "\n").replace("\nE   ", "\n"))
    return found[-1] if found else None


def _operator_coverage() -> dict | None:
    from .op_coverage import coverage

    try:
        return coverage()
    except ImportError:  # no torch here: nothing to count against
        return None


def _compile_target(item):
    """The compile target a test item runs on, if any."""
    spec = getattr(getattr(item, "callspec", None), "params", {}).get("target")
    if not isinstance(spec, str) or not spec.startswith("compile:"):
        return None
    from .targets import parse_target

    return parse_target(spec)


class ResultCapture:
    def __init__(self, config) -> None:
        self.config = config
        self.path = config.getoption("--report-json")
        self.results: dict[str, dict] = {}
        self.collected: set[str] = set()
        self.crashed: list[str] = []
        self.crash_cases: dict[str, str] = {}
        self.started = time.time()
        self.is_worker = hasattr(config, "workerinput")

    # -- on the process that runs the test (a worker under xdist) --
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        before = Counter(strategies.SEEN)
        examples = strategies.EXAMPLES[0]
        compiler = _compile_target(item)
        compiled = sum(compiler.compiles.values()) if compiler else 0
        yield
        item._conformance = {
            "events": dict(Counter(strategies.SEEN) - before),
            "examples": strategies.EXAMPLES[0] - examples,
        }
        if compiler:  # graphs torch.compile built for this test: its (re)compilations
            item._conformance["compiles"] = sum(compiler.compiles.values()) - compiled

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        data = classify(item)
        data.update(getattr(item, "_conformance", {}) if call.when == "call" else {})
        report.user_properties.append((KEY, json.dumps(data)))

    # -- on the controller (or the only process) --
    def pytest_collection_finish(self, session):
        self.collected.update(item.nodeid for item in session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        self.collected.update(ids)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        if error:
            self.crashed.append(f"{getattr(node, 'gateway', node).id}: {str(error).strip()[:300]}")

    @pytest.hookimpl(optionalhook=True)
    def pytest_handlecrashitem(self, crashitem, report, sched):
        self.crashed.append(f"worker crashed while running {crashitem}")
        from .harness import last_case_file

        worker = getattr(getattr(getattr(report, "node", None), "gateway", None), "id", None)
        path = last_case_file(worker) if worker else None
        if path is not None and path.exists():  # the case that was running: the crash has a reproduction
            self.crash_cases[crashitem] = path.read_text()

    def pytest_runtest_logreport(self, report):
        if self.is_worker:
            return
        relevant = report.when == "call" or report.outcome != "passed"
        if not relevant:
            return
        data = {}
        for key, value in report.user_properties:
            if key == KEY:
                data = json.loads(value)
        if not data:  # e.g. the report xdist makes for a crashed worker carries no properties
            data = classify_nodeid(report.nodeid)
        prev = self.results.get(report.nodeid)
        if prev is not None and prev["outcome"] == "failed":
            return  # keep the first failure (e.g. a call failure over a teardown one)
        outcome = report.outcome
        if report.when != "call" and report.failed:
            outcome = "error"
        if report.skipped and getattr(report, "wasxfail", None):
            outcome = "xfailed"  # every problem was covered by an expected failure (--expect)
        longrepr = str(report.longrepr) if report.failed or report.skipped else ""
        if "crashed" in longrepr and "worker" in longrepr:
            self.crashed.append(f"{report.nodeid}: {longrepr.strip().splitlines()[-1][:200]}")
        result = {
            "nodeid": report.nodeid,
            "op": data.get("op") or report.nodeid.split("::")[0],
            "check": data.get("check", "?"),
            "target": data.get("target", "torch:cpu"),
            "outcome": outcome,
            "duration": round(report.duration, 4),
            "examples": data.get("examples", 0),
            "events": data.get("events", {}),
        }
        if "compiles" in data:
            result["compiles"] = data["compiles"]
        if outcome == "xfailed":
            result["reason"] = report.wasxfail
        elif report.skipped:
            result["reason"] = _skip_reason(report)
        if report.failed:
            result["message"] = longrepr[-6000:]
            result["reproduction"] = extract_reproduction(longrepr) or self.crash_cases.get(report.nodeid)
        self.results[report.nodeid] = result

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if self.is_worker or not self.path:
            return
        missing = sorted(self.collected - set(self.results))
        events = getattr(self.config, "_conformance_events", {})
        from .coverage import REQUIRED_EVENTS

        doc = {
            "schema": 1,
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "environment": environment(self.config),
            "duration_s": round(time.time() - self.started, 2),
            "exitstatus": int(exitstatus),
            "collected": len(self.collected),
            "recorded": len(self.results),
            "missing": missing,
            "crashed": self.crashed,
            "complete": not missing and not self.crashed,
            "coverage_events": events,
            "required_events_missing": [e for e in REQUIRED_EVENTS if not events.get(e)],
            "results": list(self.results.values()),
            "operator_coverage": _operator_coverage(),
        }
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc, indent=1, default=str))
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None:
            state = "complete" if doc["complete"] else "INCOMPLETE"
            tr.write_line(f"conformance results ({state}, {len(self.results)} cases) written to {path}")
            if not doc["complete"] and exitstatus == 0:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED  # a run that lost cases is not green


def _skip_reason(report) -> str:
    lr = report.longrepr
    if isinstance(lr, tuple) and len(lr) == 3:
        return str(lr[2]).removeprefix("Skipped: ")
    return str(lr)
