"""Optimizers and training: optimizer configurations, gradient sequences, and whole training programs.

A training program is a list of Python lines (runnable after ``import torch``): seed, a small network
built from the registered layers, random data, a loss, an optimizer (and sometimes a ``StepLR``), then
a few steps of ``zero_grad`` / forward / loss / ``backward`` / ``step``.  Lines that bind ``out`` are
observations (the loss, every parameter, every gradient) compared with torch's after each step.
"""

from __future__ import annotations

from hypothesis import strategies as st

from ._coverage import record
from .random import NUMBER_P

__all__ = ["optimizer_configs", "training_programs", "OPTIMIZERS", "TRAINING_EVENTS"]

OPTIMIZERS = ("SGD", "Adam", "AdamW")


@st.composite
def optimizer_configs(draw, adam_eps: str | None = None) -> tuple[str, str]:
    """``(class name, keyword source)``: SGD with momentum, dampening, nesterov, weight decay and
    maximize; Adam/AdamW with betas, eps, weight decay, amsgrad and maximize.  ``adam_eps`` fixes
    Adam's eps (a training program in float32 needs one well above the gradients' rounding: Adam's
    step ``g / (|g| + eps)`` turns a gradient's last bits into a step of up to ``lr``)."""
    name = draw(st.sampled_from(OPTIMIZERS))
    lr = draw(st.sampled_from((0.1, 0.01, 0.5) if name == "SGD" else (0.1, 0.01)))
    options = [f"lr={lr}"]
    if name == "SGD":
        momentum = draw(st.sampled_from((0.0, 0.9, 0.5)))
        if momentum:
            options.append(f"momentum={momentum}")
            record("optimizer: SGD momentum")
            if draw(st.booleans()):
                options.append("nesterov=True")
                record("optimizer: SGD nesterov")
            elif draw(st.booleans()):
                options.append("dampening=0.1")
                record("optimizer: SGD dampening")
    else:
        if draw(st.booleans()):
            options.append(f"betas=({draw(st.sampled_from((0.8, 0.5)))}, {draw(st.sampled_from((0.9, 0.99)))})")
            record(f"optimizer: {name} betas")
        if draw(st.booleans()):
            options.append("amsgrad=True")
            record(f"optimizer: {name} amsgrad")
        if adam_eps is not None:
            options.append(f"eps={adam_eps}")
        elif draw(st.integers(0, 3)) == 0:
            options.append("eps=0.001")
    if draw(st.integers(0, 2)) == 0:
        options.append(f"weight_decay={draw(st.sampled_from((0.01, 0.1)))}")
        record(f"optimizer: {name} weight decay")
    if draw(st.integers(0, 3)) == 0:
        options.append("maximize=True")
        record(f"optimizer: {name} maximize")
    record(f"optimizer: {name}")
    return name, ", ".join(options)


_ACTIVATIONS = ("torch.nn.ReLU()", "torch.nn.Tanh()", "torch.nn.Sigmoid()", "torch.nn.LeakyReLU(0.1)")

#: loss -> (output width, the target's source for a batch of 8, a layer the network ends with)
_LOSSES = {
    "CrossEntropyLoss": (4, "torch.randint(0, 4, (8,))", None),
    "CrossEntropyLoss(label_smoothing=0.1)": (4, "torch.randint(0, 4, (8,))", None),
    "NLLLoss": (4, "torch.randint(0, 4, (8,))", "torch.nn.LogSoftmax(dim=1)"),
    "MSELoss": (2, "torch.randn(8, 2)", None),
    "L1Loss": (2, "torch.randn(8, 2)", None),
    "BCELoss": (3, "torch.rand(8, 3)", "torch.nn.Sigmoid()"),
    "BCEWithLogitsLoss": (3, "torch.rand(8, 3)", None),
}


@st.composite
def _convolutional_front(draw, kind: str):
    """A convolution (default-initialised after the seed), an activation and a Flatten, with the data it
    reads and the width it hands on: (layers, data source, width)."""
    channels = draw(st.integers(1, 3))
    act = draw(st.sampled_from(_ACTIVATIONS))
    if kind == "Conv1d":
        k, stride, pad = draw(st.integers(2, 3)), draw(st.integers(1, 2)), draw(st.integers(0, 1))
        conv = f"torch.nn.Conv1d(2, {channels}, {k}, stride={stride}, padding={pad})"
        return [conv, act, "torch.nn.Flatten()"], "torch.randn(8, 2, 5)", channels * ((5 + 2 * pad - k) // stride + 1)
    if kind == "Conv2d":
        stride = draw(st.integers(1, 2))
        pad = draw(st.sampled_from((0, 1, "'same'") if stride == 1 else (0, 1)))
        size = 4 if pad == "'same'" else (4 + 2 * pad - 3) // stride + 1
        conv = f"torch.nn.Conv2d(1, {channels}, 3, stride={stride}, padding={pad})"
        return [conv, act, "torch.nn.Flatten()"], "torch.randn(8, 1, 4, 4)", channels * size * size
    conv = f"torch.nn.ConvTranspose2d(2, {channels}, 2, stride=2)"
    return [conv, act, "torch.nn.Flatten()"], "torch.randn(8, 2, 2, 2)", channels * 16


@st.composite
def training_programs(draw, dropout: bool = NUMBER_P) -> list[str]:
    """A seeded network (sometimes a Conv1d, Conv2d or ConvTranspose2d front; Linear layers of width 2..6
    with activations, sometimes Dropout -- its mask
    is MKL's on Intel CPUs, not generated there), data, a loss, an optimizer (two parameter groups
    sometimes, a StepLR sometimes) and 1..4 steps."""
    loss = draw(st.sampled_from(list(_LOSSES)[::-1]))  # the last ones first: Hypothesis favours early choices
    width_out, target, last = _LOSSES[loss]
    record(f"training: {loss.split('(')[0]}")
    dtype = draw(st.sampled_from(("float32", "float64")))
    record(f"training: {dtype}")
    lines = [f"torch.manual_seed({draw(st.integers(0, 2**32 - 1))})"]
    if dtype == "float64":
        lines.append("torch.set_default_dtype(torch.float64)")
    layers, width, data = [], 5, "torch.randn(8, 5)"
    front = draw(st.sampled_from((None, None, "Conv1d", "Conv2d", "ConvTranspose2d")))
    if front is not None:
        layers, data, width = draw(_convolutional_front(front))
        record(f"training: {front}")
    for _ in range(draw(st.integers(1, 3))):
        out = draw(st.integers(2, 6))
        layers += [f"torch.nn.Linear({width}, {out})", draw(st.sampled_from(_ACTIVATIONS))]
        if draw(st.integers(0, 3)) == 0:
            norm = draw(st.sampled_from(("BatchNorm1d", "LayerNorm")))
            layers.append(f"torch.nn.{norm}({out})")
            record(f"training: {norm}")
        if dropout and draw(st.integers(0, 3)) == 0:
            layers.append("torch.nn.Dropout(0.3)")
            record("training: dropout")
        width = out
    layers.append(f"torch.nn.Linear({width}, {width_out})")
    if last:
        layers.append(last)
    lines.append(f"net = torch.nn.Sequential({', '.join(layers)})")
    lines += [f"x = {data}", f"y = {target}", f"loss_fn = torch.nn.{loss if '(' in loss else loss + '()'}"]
    name, options = draw(optimizer_configs(adam_eps="0.001" if dtype == "float32" else None))
    plain = False
    if draw(st.integers(0, 3)) == 0:
        record("training: two parameter groups")
        lines.append(
            f"opt = torch.optim.{name}([{{'params': list(net.parameters())[:2]}}, "
            f"{{'params': list(net.parameters())[2:], 'lr': 0.05}}], {options})"
        )
    elif draw(st.integers(0, 3)) == 0:
        record("training: named parameters")
        lines.append(f"opt = torch.optim.{name}(net.named_parameters(), {options})")
    else:
        plain = True
        lines.append(f"opt = torch.optim.{name}(net.parameters(), {options})")
    scheduler = draw(st.integers(0, 2)) == 0
    if scheduler:
        record("training: StepLR")
        lines.append("sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)")
    if draw(st.integers(0, 4)) == 0:
        lines.append("net.eval()")
        record("training: evaluation mode")
    for _ in range(draw(st.integers(1, 4))):
        lines += [
            "opt.zero_grad()",
            "loss = loss_fn(net(x), y)",
            "out = loss",
            "loss.backward()",
            "out = [p.grad for p in net.parameters()]",
            "opt.step()",
            "out = list(net.parameters())",
        ]
        if scheduler:
            lines += ["sched.step()", "out = sched.get_last_lr()"]
    lines.append("out = opt.state_dict()")
    if plain and draw(st.integers(0, 3)) == 0:
        record("training: a state dict loaded into a second optimizer (sharing its tensors)")
        lines += [
            f"opt2 = torch.optim.{name}(net.parameters(), {options})",
            "opt2.load_state_dict(opt.state_dict())",
            "opt2.step()",
            "out = opt.state_dict()",
        ]
    return lines


TRAINING_EVENTS: tuple[str, ...] = (
    *(f"training: {loss.split('(')[0]}" for loss in _LOSSES),
    "training: float32",
    "training: float64",
    *(("training: dropout",) if NUMBER_P else ()),
    "training: two parameter groups",
    "training: BatchNorm1d",
    "training: LayerNorm",
    *(f"training: {front}" for front in ("Conv1d", "Conv2d", "ConvTranspose2d")),
    "training: named parameters",
    "training: a state dict loaded into a second optimizer (sharing its tensors)",
    "training: StepLR",
    "training: evaluation mode",
    *(f"optimizer: {name}" for name in OPTIMIZERS),
    "optimizer: SGD momentum",
    "optimizer: SGD nesterov",
    "optimizer: SGD dampening",
    *(f"optimizer: {name} {what}" for name in ("Adam", "AdamW") for what in ("betas", "amsgrad")),
    *(f"optimizer: {name} {what}" for name in OPTIMIZERS for what in ("weight decay", "maximize")),
)
