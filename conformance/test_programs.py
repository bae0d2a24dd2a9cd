"""Hypothesis-generated autograd programs: the same source runs on torch and on the reference."""

from __future__ import annotations

import torch
from hypothesis import given, note, settings

import reference
from strategies import example_run

from .programs import differences, programs, run


# programs are cheap and each feature is one draw among many: at least 500 per run, whatever the profile
@settings(max_examples=max(settings.default.max_examples, 500))
@given(programs())
def test_autograd_programs_match_torch(prog):
    """Values, requires_grad, is_leaf, grad_fn names, leaf gradients and raised errors agree line by line."""
    example_run()
    note("# the program (runs as is with `import torch`, or with `import reference as torch`):\n" + prog.source())
    problems = differences(run(prog, torch), run(prog, reference))
    assert not problems, "\n".join(problems)
