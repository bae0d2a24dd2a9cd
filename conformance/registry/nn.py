"""Registry entries of nn modules (reference/nn/; their arguments come from the functional op's strategies)."""

from __future__ import annotations

import numpy as np

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


# -- activations ----------------------------------------------------------------------------------------


def _relu_call(ns, case, args, kwargs):
    """torch.relu in each of its forms; the in-place ones write into a clone (the input stays as given)."""
    (x,) = args
    F = ns.nn.functional
    return {
        "function": lambda: ns.relu(x),
        "method": lambda: x.relu(),
        "inplace": lambda: x.clone().relu_(),
        "nn.functional": lambda: F.relu(x),
        "nn.functional inplace": lambda: F.relu(x.clone(), inplace=True),
        "module": lambda: ns.nn.ReLU()(x),
        "module inplace": lambda: ns.nn.ReLU(inplace=True)(x.clone()),
    }[case.form]()


def _no_zero(case) -> bool:
    """relu and leaky_relu have a kink at 0: finite differences are their derivative elsewhere only."""
    x = np.asarray(case.args[0])
    return not np.any(np.abs(x.astype(np.float64)) < 1e-3)


def _beyond(x, bound: float) -> bool:
    finite = np.asarray(x, np.float64)
    finite = finite[np.isfinite(finite)]
    return bool(finite.size and np.max(np.abs(finite)) > bound)


def _activation_perf(fn_of):
    def perf(ns, T, n: int):
        x = T(wide(n), True)
        fn = fn_of(ns)
        return lambda: fn(x)

    return perf


register(
    OpInfo(
        "relu",
        _relu_call,
        S.relu_args(),
        S.relu_invalid(),
        family="exact",
        oracle=oracles.relu,
        fd_cases=_no_zero,
        rule=(
            *(Clause(f"the {f} form", event=f"relu: {f}") for f in S.nn.RELU_FORMS),
            Clause("an integer input keeps its dtype", event="relu: an integer input keeps its dtype"),
            Clause("the gradient at 0 is 0", event="relu: a zero input (gradient 0)"),
        ),
        events=tuple(f"relu invalid: {k}" for k in ("bool", "complex", "not a tensor")),
        perf=_activation_perf(lambda ns: ns.relu),
    )
)


def _leaky_relu_call(ns, case, args, kwargs):
    x, slope = args
    F = ns.nn.functional
    slope_args = () if slope == 0.01 else (slope,)  # the default left out
    return {
        "function": lambda: F.leaky_relu(x, *slope_args),
        "function inplace": lambda: F.leaky_relu(x.clone(), slope, inplace=True),
        "module": lambda: ns.nn.LeakyReLU(*slope_args)(x),
        "module inplace": lambda: ns.nn.LeakyReLU(slope, inplace=True)(x.clone()),
    }[case.form]()


register(
    OpInfo(
        "nn.functional.leaky_relu",
        _leaky_relu_call,
        S.leaky_relu_args(),
        S.leaky_relu_invalid(),
        family="elementwise",
        oracle=oracles.leaky_relu,
        # the in-place form with a negative slope has no backward (torch raises, compared with torch)
        fd_cases=lambda case: _no_zero(case) and not ("inplace" in case.form and case.args[1] < 0),
        gradgrad_cases=lambda case: not ("inplace" in case.form and case.args[1] < 0),
        rule=(
            *(Clause(f"the {f} form", event=f"leaky_relu: {f}") for f in S.nn.LEAKY_RELU_FORMS),
            Clause("the default slope is 0.01", event="leaky_relu: the default slope 0.01"),
            Clause("any slope, negative or above 1", event="leaky_relu: a slope outside [0, 1]"),
            Clause("the gradient at 0 is the slope", event="leaky_relu: a zero input (gradient = slope)"),
        ),
        events=("leaky_relu invalid: an integer input",),
        perf=_activation_perf(lambda ns: lambda x: ns.nn.functional.leaky_relu(x, 0.2)),
    )
)


def _softmax_call(name: str, module: str):
    def call(ns, case, args, kwargs):
        x, dim = args
        F = ns.nn.functional
        dtype = getattr(ns, kwargs["dtype"]) if "dtype" in kwargs else None
        return {
            "function": lambda: getattr(F, name)(x, dim),
            "function dtype": lambda: getattr(F, name)(x, dim, dtype=dtype),
            "torch": lambda: getattr(ns, name)(x, dim),
            "method": lambda: getattr(x, name)(dim),
            "module": lambda: getattr(ns.nn, module)(dim)(x),
            "implicit dim": lambda: getattr(F, name)(x),
        }[case.form]()

    return call


for _name, _module in (("softmax", "Softmax"), ("log_softmax", "LogSoftmax")):
    register(
        OpInfo(
            f"nn.functional.{_name}",
            _softmax_call(_name, _module),
            S.softmax_args(_name),
            S.softmax_invalid(_name),
            family="softmax",
            oracle=getattr(oracles, _name),
            # dtype=float32 computes in float32 whatever the input: finite differences need float64 throughout
            # dtype=float32 computes in float32 whatever the input, and logits beyond 100 make the finite
            # differences' step (relative to |x|) too coarse for a saturated softmax: float64, |x| <= 100 only
            fd_cases=lambda case: case.kwargs.get("dtype") != "float32" and not _beyond(case.args[0], 100.0),
            rule=(
                *(Clause(f"the {f} form", event=f"{_name}: {f}") for f in S.nn.SOFTMAX_FORMS),
                Clause(
                    "the implicit dim is torch's legacy choice",
                    event=f"{_name}: implicit dim (0 for 0-, 1- and 3-d, else 1)",
                ),
                Clause("a negative dim counts from the end", event=f"{_name}: a negative dim"),
                Clause(
                    "large logits stay finite (shifted by the maximum)",
                    event=f"{_name}: large logits (exp would overflow without the shift)",
                ),
                Clause("a -inf logit has probability 0", event=f"{_name}: a -inf logit (probability 0)"),
                Clause("an empty input gives an empty result", event=f"{_name}: an empty input"),
            ),
            events=tuple(f"{_name} invalid: {k}" for k in ("integer input", "dim out of range")),
            perf=_activation_perf(lambda ns, n=_name: lambda x: getattr(ns.nn.functional, n)(x, -1)),
        )
    )


# -- losses -----------------------------------------------------------------------------------------------


def _loss_call(function: str, module: str):
    """``F.<function>(input, target, **options)``, or the module built from the same options; a
    "(constant weight)" form passes the weights detached (torch refuses weights that require grad,
    which the other forms check)."""

    def call(ns, case, args, kwargs):
        x, target = args
        options = dict(kwargs)
        if "(constant weight)" in case.form:
            options = {
                k: (v.detach() if k in ("weight", "pos_weight") and v is not None else v) for k, v in options.items()
            }
        if case.form.startswith("module"):
            return getattr(ns.nn, module)(**options)(x, target)
        return getattr(ns.nn.functional, function)(x, target, **options)

    return call


def _loss_perf(make):
    """A loss on about n elements, forward (and backward) of the input that requires grad."""

    def perf(ns, T, n: int):
        x, target, options = make(ns, T, n)
        fn = getattr(ns.nn.functional, options.pop("fn"))
        return lambda: fn(x, target, **options)

    return perf


def _regression_perf(name):
    def make(ns, T, n):
        return T(wide(n), True), T(wide(n, "float32", -2.0, 2.0)), {"fn": name}

    return make


def _class_perf(name):
    def make(ns, T, n):
        logits = T(wide(n).reshape(-1, 16), True)
        target = T((np.arange(logits.shape[0]) * 7 % 16).astype(np.int64))
        if name == "nll_loss":
            logits = T(wide(n, "float32", -5.0, -0.1).reshape(-1, 16), True)
        return logits, target, {"fn": name}

    return make


def _binary_perf(name):
    def make(ns, T, n):
        low = 0.05 if name == "binary_cross_entropy" else -4.0
        return T(wide(n, "float32", low, 0.95), True), T(wide(n, "float32", 0.0, 1.0)), {"fn": name}

    return make


def _no_tie(case) -> bool:
    """l1_loss has a kink where input == target."""
    x, y = (np.asarray(a, np.float64) for a in case.args)
    return not np.any(np.abs(x - y) < 1e-3)


def _without_weights(case) -> bool:
    """Class weights and ``pos_weight`` are constants to torch (no derivative): finite differences,
    which move every float input, are the derivative only where there are none."""
    return case.kwargs.get("weight") is None and case.kwargs.get("pos_weight") is None


def _inside_unit_interval(case) -> bool:
    """binary_cross_entropy's clamps (log at -100, the gradient's 1e-12) are kinks, and a target moved
    outside [0, 1] is an error: input and target away from 0 and 1 only."""
    return all(bool(np.all((v > 1e-3) & (v < 1 - 1e-3))) for v in (np.asarray(a, np.float64) for a in case.args))


def _nll_backward_exists(case) -> bool:
    """Where torch's nll_loss backward runs (elsewhere compared with torch, which refuses, never with
    finite differences): not a non-contiguous 4-d input (nll_loss2d wants a contiguous gradient), not a
    (1,) target for a (C,) input; and no weights (constants to torch)."""
    x, target = case.args[0], case.args[1]
    refused = (x.ndim == 4 and not x.flags.c_contiguous) or (x.ndim == 1 and target.shape == (1,))
    return _without_weights(case) and not refused


def _smooth_bce(case) -> bool:
    return _inside_unit_interval(case) and _without_weights(case)


def _reduction_clauses(op: str) -> tuple:
    return (
        *(Clause(f"reduction {r}", event=f"{op}: reduction {r}") for r in S.nn.REDUCTIONS),
        *(Clause(f"the {f} form", event=f"{op}: {f}") for f in S.nn.LOSS_FORMS),
    )


for _name, _module in (("mse_loss", "MSELoss"), ("l1_loss", "L1Loss")):
    register(
        OpInfo(
            f"nn.functional.{_name}",
            _loss_call(_name, _module),
            S.regression_loss_args(_name),
            S.regression_loss_invalid(_name),
            family="loss",
            oracle=getattr(oracles, _name),
            fd_cases=_no_tie if _name == "l1_loss" else (lambda case: True),
            # the weighted mean sum(w e) / sum(w): its second derivative in w cancels to zero in exact
            # arithmetic, leaving float32 rounding of terms of size e / w -- compared in float64 only
            gradgrad_cases=lambda case: case.kwargs.get("weight") is None or case.args[0].dtype == np.float64,
            rule=(
                *_reduction_clauses(_name),
                *(
                    Clause(f"a target of {k}", event=f"{_name}: target {k}")
                    for k in ("same shape", "broadcast", "other dtype", "weighted")
                ),
                *(
                    (Clause("the gradient at a tie is 0", event="l1_loss: input == target (gradient 0)"),)
                    if _name == "l1_loss"
                    else ()
                ),
            ),
            events=tuple(f"{_name} invalid: {k}" for k in S.nn.REGRESSION_INVALID),
            perf=_loss_perf(_regression_perf(_name)),
        )
    )

_CLASS_LAYOUTS = ("(N, C)", "(C,)", "(N, C, d)", "(N, C, d1, d2)")


register(
    OpInfo(
        "nn.functional.nll_loss",
        _loss_call("nll_loss", "NLLLoss"),
        S.nll_loss_args(),
        S.nll_loss_invalid(),
        family="loss",
        oracle=oracles.nll_loss,
        fd_cases=_nll_backward_exists,
        rule=(
            *_reduction_clauses("nll_loss"),
            *(Clause(f"an input of shape {k}", event=f"nll_loss: input {k}") for k in _CLASS_LAYOUTS),
            Clause("a 1-element 1-d target reads as 0-d", event="nll_loss: a 1-element 1-d target for a 1-d input"),
            Clause("an ignored target adds 0 and leaves the mean's denominator", event="nll_loss: an ignored target"),
            Clause("every target ignored: the mean is NaN", event="nll_loss: every target ignored"),
            Clause("class weights scale the terms and the mean's denominator", event="nll_loss: class weights"),
        ),
        events=tuple(f"nll_loss invalid: {k}" for k in S.nn.NLL_INVALID),
        perf=_loss_perf(_class_perf("nll_loss")),
    )
)

register(
    OpInfo(
        "nn.functional.cross_entropy",
        _loss_call("cross_entropy", "CrossEntropyLoss"),
        S.cross_entropy_args(),
        S.cross_entropy_invalid(),
        family="loss",
        oracle=oracles.cross_entropy,
        # label smoothing with a (1,) target for a (C,) input: torch's in-place masking fails (both refuse)
        may_refuse=lambda case: case.args[0].ndim == 1 and case.args[1].shape == (1,),
        fd_cases=_nll_backward_exists,
        # log_softmax runs in the input's dtype before float64 probabilities promote the result
        rounds_at_input_precision=lambda case: (
            case.args[0].dtype != case.args[1].dtype and case.args[1].dtype.kind == "f"
        ),
        rule=(
            *_reduction_clauses("cross_entropy"),
            *(Clause(f"an input of shape {k}", event=f"cross_entropy: input {k}") for k in _CLASS_LAYOUTS),
            Clause(
                "a 1-element 1-d target reads as 0-d", event="cross_entropy: a 1-element 1-d target for a 1-d input"
            ),
            Clause("class indices as the target", event="cross_entropy: class indices as the target"),
            Clause("class probabilities as the target", event="cross_entropy: class probabilities as the target"),
            Clause("label smoothing mixes in the uniform distribution", event="cross_entropy: label smoothing"),
            Clause("an ignored target", event="cross_entropy: an ignored target"),
            Clause("every target ignored", event="cross_entropy: every target ignored"),
            Clause("class weights", event="cross_entropy: class weights"),
            Clause("large logits stay finite", event="cross_entropy: large logits (stable through log_softmax)"),
        ),
        events=tuple(f"cross_entropy invalid: {k}" for k in S.nn.CROSS_ENTROPY_INVALID),
        perf=_loss_perf(_class_perf("cross_entropy")),
    )
)

register(
    OpInfo(
        "nn.functional.binary_cross_entropy",
        _loss_call("binary_cross_entropy", "BCELoss"),
        S.binary_cross_entropy_args(),
        S.binary_cross_entropy_invalid(),
        family="loss",
        oracle=oracles.binary_cross_entropy,
        fd_cases=_smooth_bce,
        gradgrad_cases=_inside_unit_interval,  # torch's second-order formula at the clamps is its own
        rule=(
            *_reduction_clauses("binary_cross_entropy"),
            Clause(
                "the logs are clamped at -100",
                event="binary_cross_entropy: an input at 0 or 1 (log clamped at -100)",
            ),
            Clause("a weight broadcast to the target", event="binary_cross_entropy: weight"),
        ),
        events=tuple(f"binary_cross_entropy invalid: {k}" for k in S.nn.BCE_INVALID),
        perf=_loss_perf(_binary_perf("binary_cross_entropy")),
    )
)

register(
    OpInfo(
        "nn.functional.binary_cross_entropy_with_logits",
        _loss_call("binary_cross_entropy_with_logits", "BCEWithLogitsLoss"),
        S.binary_cross_entropy_with_logits_args(),
        S.binary_cross_entropy_with_logits_invalid(),
        family="loss",
        oracle=oracles.binary_cross_entropy_with_logits,
        # log_sigmoid is computed in the input's dtype before a float64 target promotes the result
        rounds_at_input_precision=lambda case: case.args[0].dtype != case.args[1].dtype,
        fd_cases=_without_weights,
        rule=(
            *_reduction_clauses("binary_cross_entropy_with_logits"),
            Clause("a weight", event="binary_cross_entropy_with_logits: weight"),
            Clause(
                "pos_weight scales the positive term per class", event="binary_cross_entropy_with_logits: pos_weight"
            ),
            Clause("large logits stay finite", event="binary_cross_entropy_with_logits: large logits (no overflow)"),
            Clause(
                "a target of another dtype promotes",
                event="binary_cross_entropy_with_logits: a target of another dtype (promoted)",
            ),
        ),
        events=tuple(f"binary_cross_entropy_with_logits invalid: {k}" for k in S.nn.BCEL_INVALID),
        perf=_loss_perf(_binary_perf("binary_cross_entropy_with_logits")),
    )
)


# -- reshaping, lookup and normalization layers ------------------------------------------------------------


def _spread_slices(case) -> bool:
    """Every normalized slice has a variance well above rounding (finite differences and second
    derivatives are then the derivative, not rounding amplified by 1/sqrt(eps))."""
    x, normalized = np.asarray(case.args[0], np.float64), case.args[1]
    if x.size == 0:
        return True
    width = int(np.prod(normalized))
    flat = x.reshape(-1, width)
    return bool(width > 1 and np.all(flat.var(axis=1) > 1e-2))


def _spread_channels(case) -> bool:
    """Every channel varies well above rounding (second derivatives are then not rounding amplified
    by 1/sqrt(eps))."""
    x = np.asarray(case.args[0], np.float64)
    if x.size == 0:
        return True
    return bool(np.all(np.var(x, axis=tuple(d for d in range(x.ndim) if d != 1)) > 1e-2))


def _unflatten_call(ns, case, args, kwargs):
    x, dim, sizes = args
    return ns.nn.Unflatten(dim, sizes)(x)


def _unflatten_perf(ns, T, n: int):
    x = T(wide(n), True)
    layer = ns.nn.Unflatten(1, (8, 8))
    return lambda: layer(x)


register(
    OpInfo(
        "nn.Unflatten",
        _unflatten_call,
        S.unflatten_args(),
        S.unflatten_invalid(),
        oracle=lambda case, out_dtype: oracles.unflatten(*case.args),
        rule=(
            Clause("a -1 size is inferred", event="Unflatten: a -1 size inferred"),
            Clause("sizes may be a list", event="Unflatten: sizes as a list"),
            Clause("a negative dim counts from the end", event="Unflatten: a negative dim"),
        ),
        events=tuple(f"Unflatten invalid: {k}" for k in S.nn.UNFLATTEN_INVALID),
        perf=_unflatten_perf,
    )
)


def _embedding_call(ns, case, args, kwargs):
    """``F.embedding(indices, table)`` or ``nn.Embedding(..., _weight=table)``; with ``max_norm`` the
    table is renormalised in place, so a clone of it is given (the case's own stays as it was)."""
    idx, table = args
    if kwargs.get("max_norm") is not None:
        table = table.clone()
    if case.form == "module":
        layer = ns.nn.Embedding(table.shape[0], table.shape[1], _weight=table, **kwargs)
        return layer(idx)
    return ns.nn.functional.embedding(idx, table, **kwargs)


def _embedding_perf(ns, T, n: int):
    table = T(wide(4096 * 16).reshape(4096, 16), True)
    idx = T((np.arange(max(n // 16, 1)) * 7919 % 4096).astype(np.int64))
    return lambda: ns.nn.functional.embedding(idx, table)


register(
    OpInfo(
        "nn.functional.embedding",
        _embedding_call,
        S.embedding_args(),
        S.embedding_invalid(),
        oracle=lambda case, out_dtype: oracles.embedding(case),
        # rows are copies, except where max_norm scales them (a product, rounded)
        family=lambda case: "exact" if case.kwargs.get("max_norm") is None else "elementwise",
        # max_norm renormalises rows by their norm (a scale torch treats as a constant), and
        # scale_grad_by_freq divides the gradient by a count: neither is a derivative
        # (the module form's table is a new Parameter sharing the case's memory: no gradient flows back to it)
        fd_cases=lambda case: (
            case.form == "function"
            and all(case.kwargs.get(k) is None for k in ("max_norm", "scale_grad_by_freq", "padding_idx"))
        ),
        rule=(
            *(Clause(f"the {f} form", event=f"embedding: {f}") for f in S.nn.EMBEDDING_FORMS),
            Clause("the padding row gets no gradient", event="embedding: padding_idx (no gradient for its row)"),
            Clause("scale_grad_by_freq divides by the index's count", event="embedding: scale_grad_by_freq"),
            Clause(
                "max_norm renormalises the rows looked up", event="embedding: max_norm (rows renormalised in place)"
            ),
            Clause("a repeated index's gradients add up", event="embedding: a repeated index (gradients add up)"),
            Clause("int32 indices", event="embedding: int32 indices"),
        ),
        events=tuple(f"embedding invalid: {k}" for k in S.nn.EMBEDDING_INVALID),
        perf=_embedding_perf,
    )
)


def _layer_norm_call(ns, case, args, kwargs):
    x, normalized, w, b, eps = args
    F = ns.nn.functional
    if case.form == "function":
        return F.layer_norm(x, normalized, eps=eps)
    if case.form == "function affine":
        return F.layer_norm(x, normalized, w, b, eps)
    options = {"bias": False} if case.form == "module without bias" else {}
    if case.form == "module without affine":
        options = {"elementwise_affine": False}
    return ns.nn.LayerNorm(normalized, eps=eps, dtype=x.dtype, device=x.device, **options)(x)


def _layer_norm_perf(ns, T, n: int):
    x = T(wide(n), True)
    w, b = T(np.ones(64, np.float32), True), T(np.zeros(64, np.float32), True)
    return lambda: ns.nn.functional.layer_norm(x, (64,), w, b)


register(
    OpInfo(
        "nn.functional.layer_norm",
        _layer_norm_call,
        S.layer_norm_args(),
        S.layer_norm_invalid(),
        family="softmax",
        oracle=lambda case, out_dtype: oracles.layer_norm(case),
        # a slice of (nearly) equal values: rstd = 1/sqrt(eps) amplifies float32 rounding of x - mean
        fd_cases=_spread_slices,
        gradgrad_cases=_spread_slices,
        rule=(
            *(Clause(f"the {f} form", event=f"layer_norm: {f}") for f in S.nn.LAYER_NORM_FORMS),
            Clause("one value per slice normalizes to 0", event="layer_norm: one value per slice (variance 0)"),
            Clause("the mean is subtracted first", event="layer_norm: a large offset (the mean is subtracted first)"),
        ),
        events=tuple(f"layer_norm invalid: {k}" for k in S.nn.LAYER_NORM_INVALID),
        perf=_layer_norm_perf,
    )
)


def _batch_norm_call(ns, case, args, kwargs):
    """The function in training (returning the output and the updated running statistics, updated in
    clones) or evaluation, or a BatchNorm1d/2d module in training (output, running statistics and
    num_batches_tracked), evaluation (its running statistics set from the case) or without running
    statistics."""
    x, (rm, rv), w, b, momentum = args
    F, nn = ns.nn.functional, ns.nn
    if case.form.startswith("function"):
        training = case.form == "function training"
        m, v = (None, None) if rm is None else (rm.detach().clone(), rv.detach().clone())
        out = F.batch_norm(x, m, v, w, b, training=training, momentum=momentum if momentum is not None else 0.1)
        return (out, m, v) if training else out
    wants_2d = "2d" in case.form or (x.ndim == 4 and "1d" not in case.form)
    layer_class = nn.BatchNorm2d if wants_2d else nn.BatchNorm1d
    channels = x.shape[1] if x.ndim > 1 else 1
    if case.form == "module without running statistics":
        return layer_class(channels, momentum=momentum, track_running_stats=False, dtype=x.dtype, device=x.device)(x)
    layer = layer_class(channels, momentum=momentum, dtype=x.dtype, device=x.device)
    if "evaluation" in case.form:
        with ns.no_grad():
            layer.running_mean.copy_(rm)
            layer.running_var.copy_(rv)
        return layer.eval()(x)
    return layer(x), layer.running_mean, layer.running_var, layer.num_batches_tracked


def _batch_norm_perf(ns, T, n: int):
    x = T(wide(n).reshape(-1, 16, 4), True)
    w, b = T(np.ones(16, np.float32), True), T(np.zeros(16, np.float32), True)
    return lambda: ns.nn.functional.batch_norm(x, None, None, w, b, training=True)


register(
    OpInfo(
        "nn.functional.batch_norm",
        _batch_norm_call,
        S.batch_norm_args(),
        S.batch_norm_invalid(),
        family="softmax",
        oracle=lambda case, out_dtype: oracles.batch_norm(case),
        gradgrad_cases=_spread_channels,
        # the other forms return running statistics updated outside autograd, or read the case's running
        # statistics as constants (detached, copied into buffers): no derivative for finite differences to see
        fd_cases=lambda case: case.form == "module without running statistics",
        rule=(
            *(Clause(f"the {f} form", event=f"batch_norm: {f}") for f in S.nn.BATCH_NORM_FORMS),
            Clause("momentum None averages cumulatively", event="batch_norm: momentum None (a cumulative average)"),
        ),
        events=tuple(f"batch_norm invalid: {k}" for k in S.nn.BATCH_NORM_INVALID),
        perf=_batch_norm_perf,
    )
)


# -- convolutions ---------------------------------------------------------------------------------------------

_CONV_KEYWORDS = ("stride", "padding", "dilation", "groups")
_CONV_TRANSPOSE_KEYWORDS = ("stride", "padding", "output_padding", "groups", "dilation")


def _conv_module(ns, case, args, module_name: str, transposed: bool):
    """The module with the case's geometry, its parameters set to the case's weight and bias (copied under
    no_grad: the gradient tests then see the input's gradient through the module)."""
    x, w, b, *geometry = args
    options = dict(zip(_CONV_TRANSPOSE_KEYWORDS if transposed else _CONV_KEYWORDS, geometry, strict=True))
    groups = options["groups"]
    if transposed:
        in_channels, out_channels = w.shape[0], w.shape[1] * max(groups, 1)
    else:
        in_channels, out_channels = w.shape[1] * max(groups, 1), w.shape[0]
    in_channels = case.kwargs.get("in_channels", in_channels)
    extra = {"padding_mode": case.kwargs["padding_mode"]} if "padding_mode" in case.kwargs else {}
    if "output_size" in case.kwargs:  # the size decides the output_padding: the module's own is not used
        options["output_padding"] = 0
    layer = getattr(ns.nn, module_name)(
        in_channels,
        out_channels,
        tuple(w.shape[2:]),
        bias=b is not None,
        dtype=w.dtype,
        device=w.device,
        **options,
        **extra,
    )
    with ns.no_grad():
        layer.weight.copy_(w)
        if b is not None:
            layer.bias.copy_(b)
    if "output_size" in case.kwargs:
        return layer(x, output_size=case.kwargs["output_size"])
    return layer(x)


def _conv_call(fname: str, module_name: str, transposed: bool = False):
    keywords = _CONV_TRANSPOSE_KEYWORDS if transposed else _CONV_KEYWORDS

    def call(ns, case, args, kwargs):
        """``F.<fname>`` with positional arguments or keywords, or the ``nn.<module_name>`` module."""
        if case.form == "module":
            return _conv_module(ns, case, args, module_name, transposed)
        fn = getattr(ns.nn.functional, fname)
        if case.form == "function keywords":
            x, w, b, *geometry = args
            return fn(x, w, bias=b, **dict(zip(keywords, geometry, strict=True)))
        return fn(*args)

    return call


def _not_the_module(case) -> bool:
    """The module copies the case's weight and bias into its own parameters: finite differences in
    them reach the output, the case's tensors get no gradient (the input's is checked by the forms
    that pass them)."""
    return case.form != "module"


def _conv_perf(fname: str, transposed: bool = False):
    def perf(ns, T, n: int):
        """A 3x3 convolution, 16 channels in and out, on a (n / 4096, 16, 16, 16) batch."""
        batch = max(n // 4096, 1)
        x = wide(batch * 4096).reshape((batch, 16, 16, 16) if fname != "conv1d" else (batch, 16, 256))
        x = T(x, True)
        shape = (16, 16, 3, 3) if fname != "conv1d" else (16, 16, 3)
        w = T(np.random.default_rng(1).standard_normal(shape).astype(np.float32) * 0.1, True)
        fn = getattr(ns.nn.functional, fname)
        return lambda: fn(x, w, None, 1, 1)

    return perf


def _conv_rule(name: str, transposed: bool) -> tuple:
    common = (
        *(Clause(f"the {f} form", event=f"{name}: {f}") for f in S.nn.CONV_FORMS),
        Clause("channels split into groups", event=f"{name}: groups"),
        Clause("a stride skips positions", event=f"{name}: a stride"),
        Clause("a dilation spreads the taps", event=f"{name}: a dilation"),
        Clause("without a bias", event=f"{name}: no bias"),
        Clause("a batch of 0 gives an empty output", event=f"{name}: a batch of 0"),
    )
    if not transposed:
        common += tuple(
            Clause(f"padding_mode {m}: F.pad in that mode, then no padding", event=f"{name}: padding_mode {m}")
            for m in ("reflect", "replicate", "circular")
        )
    if name == "conv1d":
        return common + (Clause("an unbatched input", event=f"{name}: an unbatched input"),)
    layout = (
        Clause(
            "a channels-last input gives a channels-last output",
            event=f"{name}: a channels-last input (a channels-last output)",
        ),
        Clause(
            "a channels-last weight gives a channels-last output",
            event=f"{name}: a channels-last weight (a channels-last output)",
        ),
        Clause("an unbatched input", event=f"{name}: an unbatched input"),
    )
    if transposed:
        return (
            common
            + layout
            + (
                Clause("output_padding adds trailing rows and columns", event=f"{name}: output_padding"),
                Clause(
                    "the module's output_size picks the output_padding", event=f"{name}: a module given output_size"
                ),
            )
        )
    return (
        common
        + layout
        + (
            Clause("padding='valid' is no padding", event=f"{name}: padding='valid'"),
            Clause("padding='same' keeps the size", event=f"{name}: padding='same'"),
            Clause(
                "padding='same' with an odd total pads one more on the right",
                event=f"{name}: padding='same', an odd total (one more on the right)",
            ),
        )
    )


for _fname, _module, _dims in (("conv1d", "Conv1d", 1), ("conv2d", "Conv2d", 2)):
    register(
        OpInfo(
            f"nn.functional.{_fname}",
            _conv_call(_fname, _module),
            S.conv_args(_dims),
            S.conv_invalid(_dims),
            family="sum",
            scale=oracles.convolution_scale,
            oracle=lambda case, out_dtype: oracles.convolution(case),
            fd_cases=_not_the_module,
            rule=_conv_rule(_fname, False),
            events=tuple(f"{_fname} invalid: {k}" for k in S.nn.CONV_INVALID),
            perf=_conv_perf(_fname),
        )
    )

register(
    OpInfo(
        "nn.functional.conv_transpose2d",
        _conv_call("conv_transpose2d", "ConvTranspose2d", transposed=True),
        S.conv_args(2, transposed=True),
        S.conv_transpose_invalid(),
        family="sum",
        scale=oracles.convolution_scale,
        oracle=lambda case, out_dtype: oracles.convolution(case),
        fd_cases=_not_the_module,
        rule=_conv_rule("conv_transpose2d", True),
        events=tuple(f"conv_transpose2d invalid: {k}" for k in S.nn.CONV_TRANSPOSE_INVALID),
        perf=_conv_perf("conv_transpose2d", transposed=True),
    )
)


# -- pooling -------------------------------------------------------------------------------------------------

_MAX_POOL_KEYWORDS = ("kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices")
_AVG_POOL_KEYWORDS = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override")


def _pool_call(fname: str, module_name: str, keywords: tuple):
    def call(ns, case, args, kwargs):
        """``F.<fname>`` with positional arguments or keywords, or the ``nn.<module_name>`` module."""
        x, *options = args
        named = dict(zip(keywords, options, strict=True))
        if case.form == "module":
            return getattr(ns.nn, module_name)(**named)(x)
        fn = getattr(ns.nn.functional, fname)
        return fn(x, **named) if case.form == "function keywords" else fn(x, *options)

    return call


def _pool_perf(fname: str):
    def perf(ns, T, n: int):
        """A 2x2 window, stride 2, on a (n / 4096, 16, 16, 16) batch."""
        batch = max(n // 4096, 1)
        x = T(wide(batch * 4096).reshape(batch, 16, 16, 16), True)
        fn = getattr(ns.nn.functional, fname)
        return lambda: fn(x, 2)

    return perf


def _pool_rule(name: str, options: tuple) -> tuple:
    return (
        *(Clause(f"the {f} form", event=f"{name}: {f}") for f in S.nn.POOL_FORMS),
        Clause("an unbatched (3-d) input", event=f"{name}: an unbatched input"),
        Clause("a batch of 0 gives an empty output", event=f"{name}: a batch of 0"),
        Clause("a channels-last input gives a channels-last output", event=f"{name}: a channels-last input"),
        *(Clause(text, event=f"{name}: {event}") for event, text in options),
    )


register(
    OpInfo(
        "nn.functional.max_pool2d",
        _pool_call("max_pool2d", "MaxPool2d", _MAX_POOL_KEYWORDS),
        S.max_pool_args(),
        S.max_pool_invalid(),
        oracle=oracles.max_pool2d,
        # a tie between the largest values of a window is a kink: finite differences see the mean of
        # the one-sided derivatives, torch's gradient goes to the first position
        fd_cases=lambda case: case.args[0].dtype.kind == "f" and np.isfinite(case.args[0]).all() and not _ties(case),
        fd_args=S.max_pool_args(distinct=True),
        # a window of padding only: torch sends its gradient past the input's plane (known_differences)
        grad_cases=lambda case: not _padding_only(case),
        rule=_pool_rule(
            "max_pool2d",
            (
                ("NaN in a window (it wins; the last one's index)", "a NaN wins (the last NaN's position)"),
                ("tied values (the first position wins)", "a tie keeps the first position"),
                ("ceil_mode", "ceil_mode adds a last window that starts inside the input"),
                ("a dilation", "a dilation spreads the taps"),
                ("padding", "padding is never chosen"),
                ("a window of padding only (the lowest value)", "a window of padding only: the lowest value"),
                ("the stride defaults to the kernel", "no stride: the kernel's size"),
                ("indices returned", "return_indices gives the positions (row * W + col) as int64"),
            ),
        ),
        events=tuple(f"max_pool2d invalid: {k}" for k in S.nn.MAX_POOL_INVALID),
        perf=_pool_perf("max_pool2d"),
    )
)


def _padding_only(case) -> bool:
    kernel, stride, padding, dilation, _ = oracles.nn._pool_geometry(case, dilated=True)
    return S.nn._padding_only_window(case.args[0].shape[-2:], kernel, stride, padding, dilation, case.args[5])


def _ties(case) -> bool:
    x = case.args[0]
    return x.size > 0 and len(np.unique(x)) < x.size


register(
    OpInfo(
        "nn.functional.avg_pool2d",
        _pool_call("avg_pool2d", "AvgPool2d", _AVG_POOL_KEYWORDS),
        S.avg_pool_args(),
        S.avg_pool_invalid(),
        family="sum",
        scale=oracles.avg_pool2d_scale,
        oracle=oracles.avg_pool2d,
        rule=_pool_rule(
            "avg_pool2d",
            (
                ("ceil_mode", "ceil_mode: the divisor stops at the padding's edge"),
                ("count_include_pad=False", "count_include_pad=False divides by the taps inside the input"),
                ("divisor_override", "divisor_override replaces the divisor"),
                ("int64 (the quotient rounded toward zero)", "int64 divides as C++ integers (toward zero)"),
                ("padding", "padding reads zeros"),
            ),
        ),
        events=tuple(f"avg_pool2d invalid: {k}" for k in S.nn.AVG_POOL_INVALID),
        perf=_pool_perf("avg_pool2d"),
    )
)


# -- bilinear ------------------------------------------------------------------------------------------------


def _bilinear_call(ns, case, args, kwargs):
    """``F.bilinear`` positionally or by keyword, or an ``nn.Bilinear`` holding the case's weight and bias
    (copied under no_grad: the gradient tests see the inputs' gradients through it)."""
    x1, x2, w, b = args
    if case.form == "module":
        layer = ns.nn.Bilinear(*w.shape[1:], w.shape[0], bias=b is not None, dtype=w.dtype, device=w.device)
        with ns.no_grad():
            layer.weight.copy_(w)
            if b is not None:
                layer.bias.copy_(b)
        return layer(x1, x2)
    if case.form == "function keywords":
        return ns.nn.functional.bilinear(input1=x1, input2=x2, weight=w, bias=b)
    return ns.nn.functional.bilinear(x1, x2, w, b)


def _bilinear_perf(ns, T, n: int):
    """Rows of 16 and 16 features into 16 outputs, n / 256 rows."""
    rows = max(n // 256, 1)
    draw = np.random.default_rng(2).uniform
    x1, x2 = T(draw(-1, 1, (rows, 16)).astype(np.float32), True), T(draw(-1, 1, (rows, 16)).astype(np.float32), True)
    w = T(np.random.default_rng(1).standard_normal((16, 16, 16)).astype(np.float32) * 0.1, True)
    return lambda: ns.nn.functional.bilinear(x1, x2, w)


register(
    OpInfo(
        "nn.functional.bilinear",
        _bilinear_call,
        S.bilinear_args(),
        S.bilinear_invalid(),
        family="sum",
        scale=oracles.bilinear_scale,
        oracle=lambda case, out_dtype: oracles.bilinear(case),
        fd_cases=_not_the_module,
        rule=(
            *(Clause(f"the {f} form", event=f"bilinear: {f}") for f in S.nn.BILINEAR_FORMS),
            *(Clause(f"{n} leading dims", event=f"bilinear: {n} leading dims") for n in (0, 1, 2)),
            Clause("a batch of 0 gives an empty output", event="bilinear: 1 leading dims (a batch of 0)"),
            Clause("without a bias", event="bilinear: no bias"),
            Clause("integers contract exactly", event="bilinear: int64"),
        ),
        events=tuple(f"bilinear invalid: {k}" for k in S.nn.BILINEAR_INVALID),
        perf=_bilinear_perf,
    )
)


# -- padding -------------------------------------------------------------------------------------------------


def _pad_call(ns, case, args, kwargs):
    """``F.pad`` positionally or by keyword."""
    x, pads, mode = args
    if case.form == "keywords":
        return ns.nn.functional.pad(input=x, pad=pads, mode=mode, **kwargs)
    return ns.nn.functional.pad(x, pads, mode, *kwargs.values())


def _pad_perf(ns, T, n: int):
    """One element of padding around (n / 4096, 16, 16, 16) planes, in each mode."""
    batch = max(n // 4096, 1)
    x = T(wide(batch * 4096).reshape(batch, 16, 16, 16), True)
    return {
        f"pad {mode}": (lambda m: lambda: ns.nn.functional.pad(x, (1, 1, 1, 1), m))(mode) for mode in S.nn.PAD_MODES
    }


register(
    OpInfo(
        "nn.functional.pad",
        _pad_call,
        S.pad_args(),
        S.pad_invalid(),
        oracle=lambda case, out_dtype: oracles.pad(case),
        rule=(
            *(Clause(f"{m} padding", event=f"pad: {m}") for m in S.nn.PAD_MODES),
            *(Clause(f"{k} padded dims", event=f"pad: {k} padded dims") for k in (1, 2, 3)),
            Clause("negative constant pads crop", event="pad: a negative pad (a crop)"),
            Clause(
                "no positive pad: a clone of the cropped input (its layout kept)",
                event="pad: no positive pad (a clone of the cropped input)",
            ),
            Clause("reflect pads up to the dim's size - 1", event="pad: reflect by the dim's size - 1 (the largest)"),
            Clause("circular pads up to the dim's size", event="pad: circular by the dim's size (wrapping once)"),
            Clause(
                "a channels-last input stays channels-last (not circular)",
                event="pad: a channels-last input (kept by constant, reflect and replicate)",
            ),
            Clause(
                "a channels-last-3d input stays channels-last-3d (not circular)",
                event="pad: a channels-last-3d input (kept by constant, reflect and replicate)",
            ),
            Clause(
                "the fill value is cast to the dtype", event="pad: a float value into an integer tensor (truncated)"
            ),
            Clause("an empty batch", event="pad: an empty batch"),
        ),
        events=tuple(f"pad invalid: {k}" for k in S.nn.PAD_INVALID),
        perf=_pad_perf,
    )
)
