"""Registry entries of nn modules (reference/nn/; their arguments come from the functional op's strategies)."""

from __future__ import annotations

import strategies as S

from .. import oracles
from ._opinfo import Clause, OpInfo, loop, register
from ._perf import wide
from ._signature import Signature


def _flatten_module_perf(ns, T, n: int):
    """An ``nn.Flatten()`` module on a (n/64, 8, 8) batch: the module call's overhead over a view."""
    x = T(wide(n).reshape(-1, 8, 8), True)
    layer = ns.nn.Flatten()
    return lambda: layer(x)


register(
    OpInfo(
        "nn.Flatten",
        Signature("nn.Flatten(input, start_dim=1, end_dim=-1)", module=True),
        S.flatten_args(),
        S.flatten_invalid(),
        oracle=loop(oracles.flatten),
        rule=(
            Clause(
                "start_dim defaults to 1: the batch dim is kept",
                lambda c: "defaults omitted" in c.form and c.args[1] == 1 and c.args[0].ndim > 2,
            ),
            Clause(
                "end_dim defaults to -1: flattening runs to the last dim",
                lambda c: "defaults omitted" in c.form and c.args[2] == -1 and c.args[0].ndim > 2,
            ),
            Clause(
                "an explicit start_dim (0) flattens the batch dim too",
                lambda c: c.args[1] in (0, -c.args[0].ndim) and c.args[0].ndim > 1,
            ),
        ),
        perf=_flatten_module_perf,
    )
)
