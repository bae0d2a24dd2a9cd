"""What the reports say about a conformance run itself (read by the perf report and the page)."""

from __future__ import annotations

from collections import defaultdict


def suite_run(run: dict) -> dict:
    """How long a conformance run took, how it ran, and its throughput: generated examples per second
    per core (the examples of every test over the seconds its tests ran, each test on one core;
    per target too, as a slow device or a compiler makes a run slow)."""
    env = run.get("environment", {})
    examples, seconds = defaultdict(int), defaultdict(float)
    for r in run.get("results", ()):
        target = r.get("target", "torch:cpu")
        examples[target] += int(r.get("examples") or 0)
        seconds[target] += float(r.get("duration") or 0.0)
    total_examples, total_seconds = sum(examples.values()), sum(seconds.values())
    return {
        "duration_s": run.get("duration_s"),
        "profile": env.get("profile"),
        "xdist_workers": env.get("xdist_workers"),
        "cpu_count": env.get("cpu_count"),
        "cases": run.get("collected"),
        "examples": total_examples,
        "examples_per_core_s": total_examples / total_seconds if total_seconds else None,
        "per_target": {
            t: {"examples": examples[t], "examples_per_core_s": examples[t] / seconds[t] if seconds[t] else None}
            for t in sorted(examples)
        },
    }
