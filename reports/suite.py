"""What the reports say about a conformance run itself (read by the perf report and the page)."""

from __future__ import annotations


def suite_run(run: dict) -> dict:
    """How long a conformance run took and how it ran (the perf report states the suite's wall time)."""
    env = run.get("environment", {})
    return {
        "duration_s": run.get("duration_s"),
        "profile": env.get("profile"),
        "xdist_workers": env.get("xdist_workers"),
        "cpu_count": env.get("cpu_count"),
        "cases": run.get("collected"),
    }
