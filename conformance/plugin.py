"""The suite's pytest plugin: ``--device``, Hypothesis profiles, the coverage-event ledger, result capture.

Loaded by the root ``conftest.py`` so its options exist before pytest looks into ``conformance/``.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, Phase, settings

import strategies

from .coverage import REQUIRED_EVENTS

_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile("ci", max_examples=60, derandomize=True, **_COMMON)
settings.register_profile("dev", max_examples=100, **_COMMON)
settings.register_profile(
    "thorough",
    max_examples=1000,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    **_COMMON,
)
settings.load_profile(os.environ.get("CONFORMANCE_PROFILE", "dev"))


def pytest_addoption(parser):
    group = parser.getgroup("conformance")
    group.addoption(
        "--device",
        default=os.environ.get("CONFORMANCE_DEVICE", "auto"),
        choices=("auto", "cpu", "cuda", "all"),
        help="torch device(s) to compare against: auto/all = cpu plus cuda (cuda cases skip when no GPU); "
        "cuda = only cuda, and an error when no GPU is present",
    )
    group.addoption(
        "--report-json",
        default=os.environ.get("CONFORMANCE_REPORT_JSON"),
        metavar="PATH",
        help="write the run's results (per op, check, device; failures with reproductions) as JSON for reports/",
    )
    group.addoption(
        "--check-coverage",
        action="store_true",
        default=False,
        help="fail the run unless every required coverage event (0-d, empty, NaN, ties...) was generated",
    )


def _cuda_available() -> tuple[bool, str]:
    try:
        import torch
    except ImportError:
        return False, "torch is not installed"
    if torch.cuda.is_available():
        return True, ""
    return (
        False,
        f"no CUDA device: torch {torch.__version__} reports torch.cuda.is_available() == False (built with CUDA {torch.version.cuda})",
    )


def _pin_einsum_plan() -> None:
    """The reference specifies einsum's left-to-right contraction (torch's plan when the opt_einsum
    package is absent, see known_differences); with opt_einsum installed torch would pick its own order
    for three or more operands, so the torch side is pinned to the specified plan."""
    try:
        import torch
    except ImportError:
        return
    torch.backends.opt_einsum.enabled = False


def pytest_configure(config):
    _pin_einsum_plan()
    choice = config.getoption("--device")
    if choice == "cuda":
        ok, why = _cuda_available()
        if not ok:
            raise pytest.UsageError(f"--device cuda was requested but {why}")
    config._conformance_events = {}
    from .report_plugin import ResultCapture

    config.pluginmanager.register(ResultCapture(config), "conformance-results")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistEvents(config), "conformance-xdist-events")


def pytest_generate_tests(metafunc):
    if "device" not in metafunc.fixturenames:
        return
    choice = metafunc.config.getoption("--device")
    devices = {"cpu": ["cpu"], "cuda": ["cuda"], "auto": ["cpu", "cuda"], "all": ["cpu", "cuda"]}[choice]
    ok, why = _cuda_available()
    params = [pytest.param(d, marks=pytest.mark.skip(reason=why)) if d == "cuda" and not ok else d for d in devices]
    metafunc.parametrize("device", params)


class _XdistEvents:
    """Collects each worker's coverage counts on the controller."""

    def __init__(self, config):
        self.config = config

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        counts = json.loads(getattr(node, "workeroutput", {}).get("coverage_events", "{}"))
        for k, v in counts.items():
            self.config._conformance_events[k] = self.config._conformance_events.get(k, 0) + v


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker: hand the counts to the controller
        config.workeroutput["coverage_events"] = json.dumps(dict(strategies.SEEN))
        return
    events = config._conformance_events
    for k, v in strategies.SEEN.items():
        events[k] = events.get(k, 0) + v
    missing = [e for e in REQUIRED_EVENTS if not events.get(e)]
    config._conformance_missing = missing
    if config.getoption("--check-coverage") and missing and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    events = getattr(config, "_conformance_events", {})
    if not events:
        return
    tr = terminalreporter
    tr.section("coverage events (hard cases generated)")
    width = max(len(k) for k in events)
    for k in sorted(events):
        mark = "*" if k in REQUIRED_EVENTS else " "
        tr.write_line(f"{mark} {k:<{width}}  {events[k]}")
    missing = getattr(config, "_conformance_missing", [])
    if missing:
        level = "FAILED" if config.getoption("--check-coverage") else "not reached"
        tr.write_line(f"required events {level}: {', '.join(missing)}", red=True)
    else:
        tr.write_line(f"all {len(REQUIRED_EVENTS)} required events (*) reached", green=True)
