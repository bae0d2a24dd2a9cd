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


def _dropout_call(ns, case, args, kwargs):
    """``F.dropout`` (training, evaluating, or in place on a clone) or an ``nn.Dropout`` in train or eval
    mode, right after the case's generator set-up."""
    seeding, x, p = args
    seeding.apply(ns)
    F = ns.nn.functional
    if case.form == "function eval":
        return F.dropout(x, p, training=False)
    if case.form == "function inplace":
        return F.dropout(x.clone(), p, inplace=True)
    if case.form.startswith("module"):
        layer = ns.nn.Dropout(p)
        return (layer if case.form == "module train" else layer.eval())(x)
    return F.dropout(x, p)


def _p_is_a_number(case) -> bool:
    return not hasattr(case.args[2], "shape")


def _dropout_perf(ns, T, n: int):
    x = T(wide(n), True)
    ns.manual_seed(0)
    return lambda: ns.nn.functional.dropout(x, 0.5)


register(
    OpInfo(
        "nn.functional.dropout",
        _dropout_call,
        S.dropout_args(),
        S.dropout_invalid(),
        oracle=oracles.dropout,
        # a 0-d tensor p that requires grad is no double to torch's parser (TypeError, compared by the
        # values and errors tests): the gradient tests take p as a number
        grad_cases=_p_is_a_number,
        fd_cases=_p_is_a_number,
        rule=(
            *(Clause(f"the {f} form", event=f"dropout: {f}") for f in S.nn.DROPOUT_FORMS),
            Clause("evaluation mode returns the input itself", event="dropout: evaluation mode (the input itself)"),
            Clause("p = 0 returns the input itself", event="dropout: p = 0 (the input itself)"),
            Clause("p = 1 multiplies by zero", event="dropout: p = 1 (multiplied by zero)"),
            Clause("a 0-d tensor p is read as a double", event="dropout: p as a 0-d tensor"),
            # the mask comes from bernoulli_ with a number p: MKL's stream on Intel CPUs (not generated there)
            *(
                (
                    Clause("a mask scaled by 1 / (1 - p)", event="dropout: a mask drawn (scaled by 1 / (1 - p))"),
                    Clause(
                        "the mask follows the input's memory order",
                        event="dropout: a mask in a non-contiguous input's memory order",
                    ),
                )
                if S.random.NUMBER_P
                else ()
            ),
            *(
                Clause(f"generator state {s}", event=f"dropout: generator state {s}")
                for s in ("fresh", "cached normal", "mid-stream")
            ),
        ),
        events=tuple(f"dropout invalid: p outside [0, 1] ({f})" for f in ("function", "module train")),
        perf=_dropout_perf,
    )
)
