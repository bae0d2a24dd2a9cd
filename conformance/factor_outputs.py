"""What every gauge-invariant comparison of a factorization checks first: the promised shapes and dtypes."""

from __future__ import annotations


def shape_and_dtype_problems(t, r) -> list[str]:
    """Each output's shape and dtype, side by side (the values are compared by the op's own check)."""
    problems = []
    for i, (to, ro) in enumerate(zip(t.outputs, r.outputs, strict=True)):
        if tuple(to.shape) != tuple(ro.shape):
            problems.append(f"output {i}: shape torch {tuple(to.shape)} != reference {tuple(ro.shape)}")
        if t.backend.dtype_name(to) != r.backend.dtype_name(ro):
            problems.append(f"output {i}: dtype {t.backend.dtype_name(to)} != {r.backend.dtype_name(ro)}")
    return problems
