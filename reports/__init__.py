"""Reports: the self-contained HTML conformance report (and the perf report's section)."""

from .html import load_runs, merge, render

__all__ = ["load_runs", "merge", "render"]
