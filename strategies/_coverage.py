"""Coverage events: which hard cases a run actually generated.

``record(label)`` is a Hypothesis ``event`` (shown by ``--hypothesis-show-statistics``)
and also a count in this process, so the suite can prove at the end of a run
that every required case was reached.
"""

from __future__ import annotations

from collections import Counter

import hypothesis

SEEN: Counter[str] = Counter()


def record(label: str) -> None:
    SEEN[label] += 1
    try:
        hypothesis.event(label)
    except Exception:  # outside a Hypothesis test (e.g. strategy.example()): count only
        pass


def reset() -> None:
    SEEN.clear()


#: examples run by the suite's tests in this process (each test calls :func:`example_run` once per example)
EXAMPLES = [0]


def example_run() -> None:
    EXAMPLES[0] += 1
