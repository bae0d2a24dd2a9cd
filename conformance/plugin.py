"""The suite's pytest plugin: ``--target``/``--device``, Hypothesis profiles, the coverage-event ledger,
result capture.

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
# a slow target (compile:inductor compiles every new case) in a CI budget: few examples, reproducible
# (no shrinking: each shrink step would compile again; the failing example is reported as drawn)
settings.register_profile(
    "smoke", max_examples=4, derandomize=True, phases=[Phase.explicit, Phase.reuse, Phase.generate], **_COMMON
)
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
        "--target",
        action="append",
        default=None,
        metavar="SPEC",
        help="the implementation under test (repeatable; env CONFORMANCE_TARGET, comma-separated): "
        "torch:DEVICE (any device string torch accepts), meta, fake, compile:BACKEND[:DEVICE][:dynamic], "
        "module:DOTTED.NAME.  Default: torch's eager kernels per --device",
    )
    group.addoption(
        "--expect",
        default=os.environ.get("CONFORMANCE_EXPECT"),
        metavar="FILE",
        help="expected failures (TOML; per target glob, op, check, optional dtype, mandatory reason): covered "
        "problems are excused, a stored example that conforms now fails as unexpectedly passed",
    )
    group.addoption(
        "--update-expect",
        action="store_true",
        default=False,
        help="write the --expect FILE from this run: entries still failing, plus one per new failing check",
    )
    group.addoption(
        "--device",
        default=os.environ.get("CONFORMANCE_DEVICE", "auto"),
        choices=("auto", "cpu", "cuda", "all"),
        help="shorthand for torch targets when no --target is given: auto/all = torch:cpu plus torch:cuda "
        "(cuda cases skip when no GPU); cpu; cuda = only torch:cuda, an error when no GPU is present",
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


def requested_targets(config) -> list[str]:
    """The target specs of this run: ``--target`` (or CONFORMANCE_TARGET), else ``--device``'s torch ones."""
    specs = config.getoption("--target") or [
        s for s in os.environ.get("CONFORMANCE_TARGET", "").split(",") if s.strip()
    ]
    if specs:
        return [s.strip() for s in specs]
    choice = config.getoption("--device")
    return {"cpu": ["torch:cpu"], "cuda": ["torch:cuda"]}.get(choice, ["torch:cpu", "torch:cuda"])


def _check_targets(config) -> None:
    """Every explicitly requested target must run here: one clear line otherwise, never a silent skip."""
    from .targets import TargetUnavailable, parse_target

    explicit = bool(config.getoption("--target") or os.environ.get("CONFORMANCE_TARGET", "").strip())
    for spec in requested_targets(config):
        if not explicit and spec == "torch:cuda" and config.getoption("--device") != "cuda":
            continue  # --device auto: cuda cases are skipped with the reason when there is no GPU
        try:
            parse_target(spec)
        except (TargetUnavailable, ValueError) as e:
            raise pytest.UsageError(f"target {spec}: {e}") from None


def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        # this run's scratch folder (workers inherit it): each process keeps its last started case there
        import tempfile

        os.environ["CONFORMANCE_CASE_DIR"] = tempfile.mkdtemp(prefix="conformance-cases-")
    _pin_einsum_plan()
    _check_targets(config)
    config._conformance_events = {}
    from .expect_plugin import ExpectPlugin
    from .expectations import ExpectationError
    from .report_plugin import ResultCapture

    path = config.getoption("--expect")
    if config.getoption("--update-expect") and not path:
        raise pytest.UsageError("--update-expect needs --expect FILE (the file to write)")
    try:
        config.pluginmanager.register(ExpectPlugin(config, path, config.getoption("--update-expect")), "expect")
    except ExpectationError as e:
        raise pytest.UsageError(str(e)) from None

    config.pluginmanager.register(ResultCapture(config), "conformance-results")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistEvents(config), "conformance-xdist-events")


def pytest_generate_tests(metafunc):
    if "target" not in metafunc.fixturenames:
        return
    ok, why = _cuda_available()
    params = [
        pytest.param(s, marks=pytest.mark.skip(reason=why)) if s == "torch:cuda" and not ok else s
        for s in requested_targets(metafunc.config)
    ]
    metafunc.parametrize("target", params)


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
        if config.getoption("--check-coverage"):
            tr.write_line(f"required events FAILED: {', '.join(missing)}", red=True)
        else:  # a partial run: say how many, not every name (--check-coverage lists them)
            tr.write_line(f"{len(missing)} of {len(REQUIRED_EVENTS)} required events not reached (a partial run?)")
    else:
        tr.write_line(f"all {len(REQUIRED_EVENTS)} required events (*) reached", green=True)
