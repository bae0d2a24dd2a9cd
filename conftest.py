"""Root conftest: loads the suite's plugin early, so ``--device``, ``--check-coverage`` and
``--report-json`` are known whatever paths pytest is given."""

pytest_plugins = ["conformance.plugin"]
