"""A pytest run of this suite in a child process, for the tests of the suite's own pipeline
(targets, expectations, the report): each gets a clean interpreter, its own xdist workers and its
own JSON, exactly as a user's command line would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_pytest(*args: str, json_path: Path | None = None, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m pytest ARGS`` from the repository root with the ci profile (derandomized)."""
    env = dict(os.environ, **(env_extra or {}))
    env.pop("PYTEST_XDIST_WORKER", None)  # the child is a run of its own, not one of our workers
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--hypothesis-profile", "ci"]
    if json_path is not None:
        cmd += ["--report-json", str(json_path)]
    return subprocess.run([*cmd, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
