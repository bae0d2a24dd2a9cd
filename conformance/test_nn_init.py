"""``nn.init`` and the default initialisation of layers: after the same seed, torch's values bit for bit
(the bounds are Python-float arithmetic rounded into the parameter's dtype, the draws torch's stream),
and torch's errors and warnings."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, note
from hypothesis import strategies as st

import reference
import strategies as S
from strategies.random import SEEDS

_SHAPES = ((3, 4), (4, 3), (2, 3, 5), (6, 2, 3, 3), (0, 3), (3, 0), (5,), ())
_GAINS = ("linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu", "softplus")


def _init_call(draw) -> tuple[str, str, dict]:
    """One init call: the function, its target's shape and dtype, and its keywords."""
    name = draw(
        st.sampled_from(
            ("kaiming_uniform_", "kaiming_normal_", "xavier_uniform_", "xavier_normal_", "uniform_", "normal_")
            + ("constant_", "ones_", "zeros_")
        )
    )
    kw: dict = {}
    if name.startswith("kaiming"):
        kw["a"] = draw(st.sampled_from((0, math.sqrt(5), 0.2, 1)))
        kw["mode"] = draw(st.sampled_from(("fan_in", "fan_out", "FAN_OUT", "fan_avg")))
        kw["nonlinearity"] = draw(st.sampled_from(("leaky_relu", "relu", "tanh", "linear", "softplus")))
    elif name.startswith("xavier"):
        kw["gain"] = draw(st.sampled_from((1.0, 5.0 / 3, math.sqrt(2.0))))
    elif name == "uniform_":
        kw["a"], kw["b"] = draw(st.sampled_from(((0.0, 1.0), (-0.5, 0.5), (-3.0, 2.0))))
    elif name == "normal_":
        kw["mean"], kw["std"] = draw(st.sampled_from(((0.0, 1.0), (0.1, 0.02), (-1.0, 3.0))))
    elif name == "constant_":
        kw["val"] = draw(st.sampled_from((0.5, -2.0, 3)))
    return name, draw(st.sampled_from(_SHAPES)), kw


def _run(ns, name, shape, dtype, kw, seed, on_parameter):
    ns.manual_seed(seed)
    t = ns.empty(shape, dtype=getattr(ns, dtype))
    if on_parameter:
        t = ns.nn.Parameter(t)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = getattr(ns.nn.init, name)(t, **kw)
        except Exception as e:  # noqa: BLE001 - errors are data here
            return ("raised", type(e).__name__, str(e)), [str(w.message) for w in caught]
    values = out.detach().numpy()
    return (
        ("ok", out is t, values.tobytes(), out.requires_grad, out.grad_fn is None),
        [str(w.message) for w in caught],
    )


@given(st.data(), st.sampled_from(SEEDS), st.sampled_from(("float32", "float64")), st.booleans())
def test_init_functions_match_torch(data, seed, dtype, on_parameter):
    """Each init function fills its argument in place (returned as itself, no history, a Parameter stays
    a leaf that requires grad) with torch's values bit for bit; fan computations, gains, modes and the
    zero-element no-op (a warning), and the errors (fewer than 2 dims, unknown mode or nonlinearity)
    are torch's."""
    name, shape, kw = _init_call(data.draw)
    S.record(f"nn.init: {name}")
    if 0 in shape:
        S.record("nn.init: a zero-element tensor")
    note(f"torch.manual_seed({seed}); torch.nn.init.{name}(torch.empty({shape}, dtype=torch.{dtype}), **{kw!r})")
    ours = _run(reference, name, shape, dtype, kw, seed, on_parameter)
    theirs = _run(torch, name, shape, dtype, kw, seed, on_parameter)
    if theirs[0][0] == "raised":
        S.record("nn.init: an error")
        assert ours[0][:2] == theirs[0][:2], f"torch raised {theirs[0][1:]}, reference {ours[0]}"
        assert ours[0][2] == theirs[0][2], "the messages differ"
    else:
        assert ours[0] == theirs[0], f"reference {ours[0][:2]} vs torch {theirs[0][:2]}: values or flags differ"
    assert ours[1] == theirs[1], f"warnings: reference {ours[1]}, torch {theirs[1]}"


@given(st.sampled_from(_GAINS), st.sampled_from((None, 0.2, 1, True, "x")))
def test_calculate_gain_matches_torch(nonlinearity, param):
    """``calculate_gain``: the same float, or the same ValueError."""
    results = []
    for ns in (torch, reference):
        try:
            results.append(("ok", ns.nn.init.calculate_gain(nonlinearity, param)))
        except ValueError as e:
            results.append(("raised", str(e)))
    assert results[0] == results[1]


@given(
    st.sampled_from(SEEDS),
    st.integers(0, 9),
    st.integers(1, 9),
    st.booleans(),
    st.sampled_from(("float32", "float64")),
)
def test_linear_default_parameters_match_torch(seed, in_features, out_features, bias, dtype):
    """``nn.Linear``'s default weight and bias after ``manual_seed`` equal torch's bit for bit (kaiming
    uniform with a = sqrt(5), then the bias on +-1/sqrt(fan_in)), and the generator ends where torch's
    does."""
    if in_features == 0:
        S.record("nn.Linear: in_features = 0 (a no-op weight init, a zero bias range)")
    found = []
    for ns in (torch, reference):
        ns.manual_seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = ns.nn.Linear(in_features, out_features, bias=bias, dtype=getattr(ns, dtype))
        found.append(
            (
                layer.weight.detach().numpy().tobytes(),
                None if layer.bias is None else layer.bias.detach().numpy().tobytes(),
                bytes(ns.get_rng_state().numpy()),
            )
        )
    assert found[0][:2] == found[1][:2], "default parameters differ from torch's"
    assert found[0][2] == found[1][2], "the generator's state after construction differs from torch's"
    assert np.isfinite(np.frombuffer(found[1][0], dtype=dtype)).all()


@pytest.mark.parametrize(
    "source",
    [
        "torch.nn.Embedding(7, 3)",
        "torch.nn.Embedding(20, 5, padding_idx=2)",
        "torch.nn.Embedding(4, 2, padding_idx=-1, dtype=torch.float64)",
        "torch.nn.LayerNorm((2, 3))",
        "torch.nn.BatchNorm2d(4)",
        "torch.nn.Conv2d(4, 6, 3, padding=1)",
        "torch.nn.Conv2d(4, 6, (1, 3), dilation=2, groups=2, bias=False, dtype=torch.float64)",
        "torch.nn.Conv1d(4, 6, 3, stride=2, padding='valid')",
        "torch.nn.Conv2d(2, 4, 3, padding='same')",
        "torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1)",
        "torch.nn.ConvTranspose2d(4, 6, (2, 3), groups=2, dilation=(1, 2))",
        "torch.nn.Bilinear(3, 5, 2)",
        "torch.nn.Bilinear(4, 1, 3, bias=False, dtype=torch.float64)",
        "torch.nn.MaxPool2d(2)",
        "torch.nn.MaxPool2d((2, 3), stride=1, padding=1, dilation=2, return_indices=True, ceil_mode=True)",
        "torch.nn.AvgPool2d(2)",
        "torch.nn.AvgPool2d((2, 3), 1, 1, True, False, 2)",
    ],
)
def test_layer_default_parameters_match_torch(source):
    """After manual_seed, a layer's default parameters and buffers are torch's bit for bit (Embedding's
    table is normal_ draws with the padding row zeroed), and the generator ends in torch's state."""
    seen = []
    for ns in (torch, reference):
        ns.manual_seed(11)
        layer = eval(source, {"torch": ns})  # noqa: S307 - a fixed line of this test
        state = [(k, v.dtype, v.numpy().tobytes()) for k, v in layer.state_dict().items()]
        seen.append((repr(layer), [(k, str(d), b) for k, d, b in state], bytes(ns.get_rng_state().numpy())))
    assert seen[1] == seen[0]
