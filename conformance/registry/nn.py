"""Registry entries of nn modules (reference/nn/; their arguments come from the functional op's strategies)."""

from __future__ import annotations

from dataclasses import replace

import strategies as S

from .. import oracles
from ._opinfo import OpInfo, loop, register
from .shape import _flatten_call

register(
    OpInfo(
        "nn.Flatten",
        _flatten_call,
        S.flatten_args().map(lambda c: replace(c, form="module")),
        S.flatten_invalid().map(lambda c: replace(c, form="module")),
        oracle=loop(oracles.flatten),
    )
)
