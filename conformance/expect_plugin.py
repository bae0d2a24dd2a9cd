"""``--expect FILE`` / ``--update-expect``: expected failures applied to the generic tests (see
``expectations`` for the file and its rules).  Registered by ``plugin.pytest_configure``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from . import expectations as X

#: test function -> fn(op, target_spec, case) -> problems (after expectations), for stored examples
REPLAY: dict = {}


def _item_key(item) -> tuple[str, str, str] | None:
    """(target, op, test) of a generic test item; None for other tests."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    op, target = params.get("op"), params.get("target")
    name = getattr(item, "originalname", item.name)
    if op is None or target is None or name not in X.FAMILY:
        return None
    return target, op.name, name


class ExpectPlugin:
    def __init__(self, config, path: str | None, update: bool):
        from .registry import REGISTRY

        self.config, self.path, self.update = config, path, update
        self.results_new: list[dict] = []
        self.kept: set[int] = set()
        self.applied: set[int] = set()
        if path and (Path(path).exists() or not update):
            X.LEDGER.entries = X.load(path, list(REGISTRY))
        self.entries = X.LEDGER.entries

    # -- on the process that runs the test --
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        key = _item_key(item)
        if key is not None:
            target, op, test = key
            for e in self.entries:
                if e.replays_in(target, op, test) and test in REPLAY:
                    # the stored falsifying example first: whether the failure is still there does not
                    # depend on the random search (its problems are excused or fail the test as usual)
                    problems = REPLAY[test](item.callspec.params["op"], target, X.case_from_data(json.loads(e.example)))
                    if problems:
                        raise AssertionError("stored example of an expected failure:\n" + "\n".join(problems))
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        key = _item_key(item)
        if call.when != "call" or key is None:
            return
        hits = X.LEDGER.hits.pop(item.nodeid, set())
        candidates = X.LEDGER.candidates.pop(item.nodeid, [])
        applicable = [e for e in self.entries if e.applies_to(*key)]
        report.user_properties.append(("expect", json.dumps({"hits": sorted(hits), "candidates": candidates})))
        if not report.passed:
            return
        if hits:
            report.outcome = "skipped"
            report.wasxfail = "; ".join(e.describe() for e in self.entries if e.index in hits)
            return
        stale = [e for e in applicable if e.replays_in(*key)]
        if stale:  # its stored example conforms now: strict
            report.outcome = "failed"
            report.longrepr = "[XPASS(strict)] the expected failure did not happen: " + "; ".join(
                e.describe() for e in stale
            )

    # -- on the controller (or the only process) --
    def pytest_collection_modifyitems(self, config, items):
        for item in items:
            key = _item_key(item)
            if key is not None:
                self.applied.update(e.index for e in self.entries if e.applies_to(*key))

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        from .report_plugin import classify_nodeid

        for nodeid in ids:
            c = classify_nodeid(nodeid)
            self.applied.update(e.index for e in self.entries if e.applies_to(c["target"], c["op"], c["test"]))

    def pytest_runtest_logreport(self, report):
        if report.when != "call":
            return
        for name, value in report.user_properties:
            if name == "expect":
                data = json.loads(value)
                self.kept.update(data["hits"])
                if report.failed:
                    self.results_new += data["candidates"]

    def unmatched(self) -> list[X.Expectation]:
        return [e for e in self.entries if e.index not in self.applied]

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if hasattr(self.config, "workerinput") or not self.update or not self.path:
            return
        seen, new = set(), []
        for c in self.results_new:
            k = (c["target"], c["op"], c["check"])
            if k not in seen:
                seen.add(k)
                new.append(c)
        X.write(self.path, [e for e in self.entries if e.index in self.kept], new)

    def pytest_terminal_summary(self, terminalreporter):
        if not self.entries and not self.update:
            return
        tr = terminalreporter
        tr.section("expected failures")
        tr.write_line(f"{len(self.entries)} entries from {self.path}; {len(self.kept)} excused a failure in this run")
        for e in self.unmatched():
            tr.write_line(f"matches no test of this run: {e.describe()}", yellow=True)
        if self.update:
            tr.write_line(f"--update-expect: wrote {self.path}")
