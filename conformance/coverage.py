"""The hard cases a complete run must have generated (checked with ``--check-coverage``).

Each op's own events are declared on its registry entry (``OpInfo.events``); this module adds the
events every generator shares (shapes, layouts, special values), those of the generated autograd
programs, the indexing expressions and the generated checkpoints, and is the one list the plugin checks.
"""

from strategies.devices import REQUIRED_EVENTS as DEVICE_EVENTS
from strategies.indexing import INDEX_EVENTS
from strategies.nn_programs import MODULE_PROGRAM_EVENTS
from strategies.optim import TRAINING_EVENTS
from strategies.random import REQUIRED_EVENTS as RANDOM_PROGRAM_EVENTS
from strategies.serialization import REQUIRED_EVENTS as CHECKPOINT_EVENTS

from .programs import REQUIRED_EVENTS as PROGRAM_EVENTS
from .registry import REGISTRY

#: what the shared array and shape strategies must reach across the whole run
SHARED_EVENTS: tuple[str, ...] = (
    "shape: 0-d",
    "shape: empty",
    "shape: size-1 dim",
    "layout: non-contiguous",
    "layout: transposed",
    "layout: sliced",
    "layout: broadcast",
    "value: NaN",
    "value: inf",
    "value: -0.0",
    "dim: negative",
)


#: what the Tensor API error-parity tests must reach (``test_api_errors.py``)
API_ERROR_EVENTS: tuple[str, ...] = (
    "api error: both raise",
    "api error: both succeed",
    "api error: construction",
    "api error: creation size",
    "api error: conversion",
    "api error: copy_",
    *(f"api error: operator {op}" for op in ("+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>", "@")),
)


#: what the repr test must reach (``test_tensor_api.py``)
REPR_EVENTS: tuple[str, ...] = (
    "repr: complex64",
    "repr: complex128",
    "repr: float16",
    "repr: leaf tensor",
    "repr: computed tensor",
)


#: what the out= tensor tests must reach (``test_out.py``; kept here so the list has no test import)
OUT_EVENTS: tuple[str, ...] = tuple(
    f"out=: {v}" for v in ("strided", "resized", "uncastable", "alias", "partial alias", "expanded", "smaller input")
)


#: what the nn.init tests must reach (``test_nn_init.py``)
INIT_EVENTS: tuple[str, ...] = (
    *(
        f"nn.init: {n}"
        for n in (
            "kaiming_uniform_",
            "kaiming_normal_",
            "xavier_uniform_",
            "xavier_normal_",
            "uniform_",
            "normal_",
            "constant_",
            "ones_",
            "zeros_",
        )
    ),
    "nn.init: a zero-element tensor",
    "nn.init: an error",
    "nn.Linear: in_features = 0 (a no-op weight init, a zero bias range)",
)


def _required() -> tuple[str, ...]:
    seen: dict[str, None] = dict.fromkeys(SHARED_EVENTS)
    for op in REGISTRY.values():
        seen.update(dict.fromkeys(op.events))
    seen.update(dict.fromkeys(PROGRAM_EVENTS))
    seen.update(dict.fromkeys(INDEX_EVENTS))
    seen.update(dict.fromkeys(API_ERROR_EVENTS))
    seen.update(dict.fromkeys(REPR_EVENTS))
    seen.update(dict.fromkeys(OUT_EVENTS))
    seen.update(dict.fromkeys(DEVICE_EVENTS))
    seen.update(dict.fromkeys(CHECKPOINT_EVENTS))
    seen.update(dict.fromkeys(RANDOM_PROGRAM_EVENTS))
    seen.update(dict.fromkeys(INIT_EVENTS))
    seen.update(dict.fromkeys(MODULE_PROGRAM_EVENTS))
    seen.update(dict.fromkeys(TRAINING_EVENTS))
    seen.update(dict.fromkeys(("corrupted checkpoint: refused", "corrupted checkpoint: still loads")))
    return tuple(seen)


REQUIRED_EVENTS: tuple[str, ...] = _required()
