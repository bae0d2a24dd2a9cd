"""The implementation under test is pluggable: ``--target SPEC`` (repeatable, or ``CONFORMANCE_TARGET``,
comma-separated).

=========================  ==============================================================
``torch:DEVICE``           torch's eager kernels on any device string torch accepts
``meta``, ``fake``         meta kernels / fake tensors: metadata and errors, no values
``compile:BACKEND[:DEV]``  each op's call wrapped in ``torch.compile`` (``inductor``,
                           ``aot_eager``, ``eager``...); append ``:dynamic`` for dynamic shapes
``module:DOTTED.NAME``     a torch-like library (``module:reference`` is the reference)
=========================  ==============================================================

Every target is compared with an *expected side*: the reference (the executable specification),
or, for ``module:reference``, torch's eager CPU kernels.  When they disagree, torch's eager CPU
kernels (and the loop-by-loop oracle, for values) give the third vote.
"""

from __future__ import annotations

from .base import CHECKS, ReferenceSide, Target, memory_block
from .module import ModuleTarget, ReferenceModuleTarget
from .torch_side import CompileTarget, FakeTarget, MetaTarget, TargetUnavailable, TorchTarget

__all__ = [
    "CHECKS",
    "CompileTarget",
    "FakeTarget",
    "MetaTarget",
    "ModuleTarget",
    "ReferenceSide",
    "Target",
    "TargetUnavailable",
    "TorchTarget",
    "expected_side",
    "memory_block",
    "parse_target",
]

_CACHE: dict[str, Target] = {}


def parse_target(spec: str) -> Target:
    """The target a spec string names (one instance per spec and process); ``TargetUnavailable``
    with a one-line reason when it cannot run here, ``ValueError`` for a malformed spec."""
    spec = spec.strip()
    if spec in _CACHE:
        return _CACHE[spec]
    kind, _, rest = spec.partition(":")
    if kind == "torch" and rest:
        target: Target = TorchTarget(rest)
    elif kind in ("cpu", "cuda") or spec.startswith("cuda:"):  # --device shorthands
        target = TorchTarget(spec)
    elif spec == "meta":
        target = MetaTarget()
    elif spec == "fake":
        target = FakeTarget()
    elif kind == "compile" and rest:
        parts = rest.split(":")
        dynamic = parts[-1] == "dynamic"
        parts = parts[:-1] if dynamic else parts
        target = CompileTarget(parts[0], ":".join(parts[1:]) or "cpu", dynamic=True if dynamic else None)
    elif kind == "module" and rest:
        target = ReferenceModuleTarget() if rest == "reference" else ModuleTarget(rest)
    elif spec == "reference":
        target = ReferenceSide()
    else:
        raise ValueError(
            f"unknown target {spec!r}: expected torch:DEVICE, meta, fake, compile:BACKEND[:DEVICE][:dynamic] or "
            "module:DOTTED.NAME"
        )
    _CACHE[spec] = _CACHE[target.spec] = target
    return target


def expected_side(target: Target) -> Target:
    """What ``target`` is compared with: the reference, except for the reference itself (torch CPU)."""
    if isinstance(target, ReferenceSide):
        return parse_target("torch:cpu")
    return parse_target("reference")
