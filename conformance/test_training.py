"""Optimizers, schedulers and training, checked against torch and without it.

- an optimizer step on given gradients: SGD's parameters and every optimizer's state bit for bit
  (Adam's parameters within a few ulp: torch's CPU ``sqrt`` is MKL's, not correctly rounded);
- the optimizers' updates against a loop-by-loop float64 definition of torch's documented algorithms;
- generated training programs (``strategies/optim.py``): the loss, every gradient and every parameter
  after each step, and the optimizer's state dict at the end, against torch;
- the source notes' training programs, run under both namespaces.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, note, settings
from hypothesis import strategies as st

import reference
import strategies as S
from strategies import example_run

from .tolerances import lookup, mismatches


def _summary(ns, value):
    if isinstance(value, ns.Tensor):
        return ("tensor", str(value.dtype), tuple(value.shape), value.detach().numpy().copy())
    if isinstance(value, list | tuple):
        return tuple(_summary(ns, v) for v in value)
    if isinstance(value, dict):
        return tuple((repr(k), _summary(ns, v)) for k, v in value.items())
    return repr(value)


def _run(ns, program: list[str]) -> list[tuple]:
    env = {"torch": ns}
    seen = []
    default = ns.get_default_dtype()
    try:
        for line in program:
            seen.append((line, _execute(ns, env, line)))
    finally:
        ns.set_default_dtype(default)  # a program may change it
    return seen


def _close(a, b, line: str, family: str) -> None:
    """Observations equal, tensors within ``family``'s tolerance for their dtype."""
    if isinstance(a, tuple) and a and a[0] == "tensor":
        assert isinstance(b, tuple) and b[:3] == a[:3], f"{line}: reference {b[:3]} but torch {a[:3]}"
        tol = lookup(family, a[1].removeprefix("torch."))
        bad = mismatches(b[3], a[3], tol)
        assert not bad.any(), f"{line}: {int(bad.sum())} values differ beyond {family} tolerance ({tol.reason})"
        return
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        for x, y in zip(a, b, strict=True):
            _close(x, y, line, family)
        return
    assert a == b, f"{line}: reference {b!r} but torch {a!r}"


def _execute(ns, env: dict, line: str) -> tuple:
    env.pop("out", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(line, env)  # noqa: S102 - the generated program's own lines
            return ("ok", _summary(ns, env["out"]) if "out" in env else None)
        except Exception as e:  # noqa: BLE001 - errors are data here
            return ("raised", type(e).__name__, str(e))


def _sync(env_t: dict, env_r: dict) -> None:
    """Put torch's parameters and optimizer state into the reference's, so that the next step starts
    from the same point (each step is compared on its own: rounding differences do not compound, and
    a ReLU or an L1 kink within rounding of a pre-activation cannot flip a later step)."""
    params_t, params_r = list(env_t["net"].parameters()), list(env_r["net"].parameters())
    with reference.no_grad():
        for pt, pr in zip(params_t, params_r, strict=True):
            pr.copy_(reference.tensor(pt.detach().numpy().copy()))
            for key, value in env_t["opt"].state.get(pt, {}).items():
                if isinstance(value, torch.Tensor):
                    env_r["opt"].state[pr][key].copy_(reference.tensor(value.numpy().copy()))


@settings(max_examples=max(settings.default.max_examples, 60), deadline=None)
@given(S.optim.training_programs())
def test_training_programs_match_torch(program):
    """A generated training program gives torch's loss, gradients and parameters after every step
    (within the matrix products' rounding; each step starts from torch's parameters and optimizer
    state), the same learning rates and the same state dict."""
    example_run()
    note("# the program (runs as is after `import torch`, or with `import reference as torch`):\n" + "\n".join(program))
    env_t, env_r = {"torch": torch}, {"torch": reference}
    defaults = torch.get_default_dtype(), reference.get_default_dtype()
    try:
        for line in program:
            out_t, out_r = _execute(torch, env_t, line), _execute(reference, env_r, line)
            assert out_r[0] == out_t[0], f"{line}: reference {out_r} but torch {out_t}"
            if out_t[0] == "raised":
                assert out_r[1:] == out_t[1:], f"{line}: reference raised {out_r[1:]}, torch {out_t[1:]}"
            else:
                _close(out_t[1], out_r[1], line, "training")
            if line == "opt.step()" and out_t[0] == "ok":
                _sync(env_t, env_r)
    finally:
        torch.set_default_dtype(defaults[0])
        reference.set_default_dtype(defaults[1])


# -- one optimizer step on given gradients ------------------------------------------------------------


@st.composite
def _step_programs(draw) -> list[str]:
    """Parameters of float32/float64, gradients given exactly (some None, some zero, some huge or tiny),
    an optimizer and up to 5 steps; every parameter and the state after each."""
    name, options = draw(S.optim.optimizer_configs())
    dtype = draw(st.sampled_from(("float32", "float64")))
    shapes = draw(st.lists(st.sampled_from(((3,), (37,), (5, 3), (16,), (1,), (2, 2, 2))), min_size=1, max_size=3))
    lines = [f"torch.manual_seed({draw(st.integers(0, 2**31))})"]
    lines += [f"p{i} = torch.nn.Parameter(torch.randn({s}, dtype=torch.{dtype}))" for i, s in enumerate(shapes)]
    params = ", ".join(f"p{i}" for i in range(len(shapes)))
    lines.append(f"opt = torch.optim.{name}([{params}], {options})")
    for _ in range(draw(st.integers(1, 5))):
        for i, s in enumerate(shapes):
            kind = draw(st.sampled_from(("randn", "randn", "zero", "none", "scaled")))
            if kind == "none":
                lines.append(f"p{i}.grad = None")
            elif kind == "zero":
                lines.append(f"p{i}.grad = torch.zeros({s}, dtype=torch.{dtype})")
            else:
                scale = draw(st.sampled_from((1e-6, 1e3))) if kind == "scaled" else 1
                lines.append(f"p{i}.grad = torch.randn({s}, dtype=torch.{dtype}) * {scale}")
        lines += ["opt.step()", f"out = [{params}]", "out = opt.state_dict()['state']"]
    return lines


@settings(max_examples=max(settings.default.max_examples, 100), deadline=None)
@given(_step_programs())
def test_optimizer_steps_match_torch(program):
    """Steps on given gradients: SGD's parameters and state, and Adam's moment estimates and step counts
    are torch's bit for bit; Adam's parameters are within a few ulp (torch's CPU sqrt of the second
    moment goes through MKL, which is not correctly rounded), and so are its moments where L2 weight
    decay feeds the parameters back into them."""
    example_run()
    note("# the program:\n" + "\n".join(program))
    source = "\n".join(program)
    sgd = "optim.SGD" in source
    # Adam's L2 weight decay feeds the parameter (a few ulp apart after a step) into the moments
    state_exact = sgd or "optim.AdamW" in source or "weight_decay" not in source
    theirs, ours = _run(torch, program), _run(reference, program)
    for (line, out_t), (_, out_r) in zip(theirs, ours, strict=True):
        assert out_r[0] == out_t[0], f"{line}: reference {out_r} but torch {out_t}"
        if out_t[0] == "raised":
            assert out_r[1:] == out_t[1:], f"{line}: reference raised {out_r[1:]}, torch {out_t[1:]}"
        elif sgd or ("state" in line and state_exact):
            _close(out_t[1], out_r[1], line, "exact")
        else:
            _close(out_t[1], out_r[1], line, "optimizer")


# -- the optimizers' algorithms, without torch ---------------------------------------------------------


def _sgd_oracle(p, grads, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False):
    """torch's SGD, element by element in float64 (the algorithm of its documentation)."""
    p = list(p)
    buf = None
    for g in grads:
        g = [-v if maximize else v for v in g]
        g = [gi + weight_decay * pi for gi, pi in zip(g, p, strict=True)]
        if momentum:
            buf = (
                list(g) if buf is None else [momentum * b + (1 - dampening) * gi for b, gi in zip(buf, g, strict=True)]
            )
            g = [gi + momentum * b for gi, b in zip(g, buf, strict=True)] if nesterov else buf
        p = [pi - lr * gi for pi, gi in zip(p, g, strict=True)]
    return p


def _adam_oracle(
    p, grads, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False, decoupled=False
):
    """torch's Adam/AdamW, element by element in float64 (the algorithm of its documentation)."""
    b1, b2 = betas
    p = list(p)
    m = [0.0] * len(p)
    v = [0.0] * len(p)
    vmax = [0.0] * len(p)
    for t, g in enumerate(grads, start=1):
        g = [-x if maximize else x for x in g]
        if weight_decay and decoupled:
            p = [pi * (1 - lr * weight_decay) for pi in p]
        elif weight_decay:
            g = [gi + weight_decay * pi for gi, pi in zip(g, p, strict=True)]
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g, strict=True)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g, strict=True)]
        vmax = [max(a, b) for a, b in zip(vmax, v, strict=True)]
        use = vmax if amsgrad else v
        p = [
            pi - lr / (1 - b1**t) * mi / (math.sqrt(ui) / math.sqrt(1 - b2**t) + eps)
            for pi, mi, ui in zip(p, m, use, strict=True)
        ]
    return p


@settings(deadline=None)
@given(
    st.sampled_from(("SGD", "Adam", "AdamW")),
    st.fixed_dictionaries(
        {},
        optional={
            "momentum": st.sampled_from((0.5, 0.9)),
            "weight_decay": st.sampled_from((0.01, 0.1)),
            "maximize": st.booleans(),
            "amsgrad": st.booleans(),
            "nesterov": st.booleans(),
            "dampening": st.sampled_from((0.1,)),
        },
    ),
    st.integers(1, 6),
    st.integers(0, 2**31),
)
def test_optimizers_follow_their_algorithms(name, options, steps, seed):
    """The reference's SGD, Adam and AdamW in float64 equal torch's documented algorithms written out
    element by element (to float64 rounding), whatever the options."""
    sgd = name == "SGD"
    keep = (
        ("momentum", "weight_decay", "maximize", "nesterov", "dampening")
        if sgd
        else ("weight_decay", "maximize", "amsgrad")
    )
    options = {k: v for k, v in options.items() if k in keep}
    if sgd and options.get("nesterov") and (not options.get("momentum") or options.get("dampening")):
        options.pop("nesterov")
    rng = np.random.default_rng(seed)
    start = rng.standard_normal(7)
    grads = [rng.standard_normal(7) for _ in range(steps)]
    p = reference.nn.Parameter(reference.tensor(start))
    opt = getattr(reference.optim, name)([p], lr=0.05, **options)
    for g in grads:
        p.grad = reference.tensor(g)
        opt.step()
    if sgd:
        expected = _sgd_oracle(start, grads, 0.05, **options)
    else:
        wd = options.pop("weight_decay", 0.01 if name == "AdamW" else 0.0)
        expected = _adam_oracle(start, grads, 0.05, weight_decay=wd, decoupled=name == "AdamW", **options)
    assert np.allclose(p.detach().numpy(), expected, rtol=1e-12, atol=1e-14)


# -- errors and schedules --------------------------------------------------------------------------------

_CONSTRUCTIONS = (
    "torch.optim.SGD([], lr=0.1)",
    "torch.optim.SGD(p, lr=0.1)",
    "torch.optim.SGD([p], lr=-0.1)",
    "torch.optim.SGD([p], lr=0.1, momentum=-1)",
    "torch.optim.SGD([p], lr=0.1, weight_decay=-1)",
    "torch.optim.SGD([p], lr=0.1, nesterov=True)",
    "torch.optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.5, nesterov=True)",
    "torch.optim.SGD([p * 2], lr=0.1)",
    "torch.optim.SGD([p, 3], lr=0.1)",
    "torch.optim.SGD([{'params': [p]}, {'params': [p]}], lr=0.1)",
    "torch.optim.SGD([{'params': {p}}], lr=0.1)",
    "torch.optim.SGD([p], lr=0.1).add_param_group([p])",
    "torch.optim.Adam([p], lr=-1)",
    "torch.optim.Adam([p], eps=-1)",
    "torch.optim.Adam([p], betas=(1.0, 0.9))",
    "torch.optim.Adam([p], betas=(0.9, -0.1))",
    "torch.optim.AdamW([p], weight_decay=-0.5)",
    "torch.optim.lr_scheduler.StepLR(3, 2)",
    "torch.optim.SGD([p, ('b', p)], lr=0.1)",
    "torch.optim.SGD([{'params': [p]}, {'params': [('b', q)]}], lr=0.1)",
    "torch.optim.Adam([p], lr=torch.tensor([0.1, 0.2]))",
)


@pytest.mark.parametrize("source", _CONSTRUCTIONS)
def test_optimizer_errors_match_torch(source):
    """torch's checks of optimizer arguments and parameter groups: the same exception and message."""
    results = []
    for ns in (torch, reference):
        env = {"torch": ns, "p": ns.nn.Parameter(ns.ones(2)), "q": ns.nn.Parameter(ns.ones(1))}
        try:
            eval(source, env)  # noqa: S307 - a fixed line of this test
            results.append(("ok",))
        except Exception as e:  # noqa: BLE001
            results.append((type(e).__name__, str(e)))
    assert results[1] == results[0]
    assert results[0][0] != "ok", "each construction is invalid in torch"


@pytest.mark.parametrize("step_size,gamma,steps", [(1, 0.1, 4), (2, 0.5, 7), (3, 0.9, 10)])
def test_step_lr_matches_torch(step_size, gamma, steps):
    """StepLR's learning rates after each step, the warning when it steps before the optimizer, and
    its state dict, as torch's."""
    seen = []
    for ns in (torch, reference):
        p = ns.nn.Parameter(ns.ones(2))
        opt = ns.optim.SGD([{"params": [p]}, {"params": [], "lr": 0.3}] if False else [p], lr=0.2)
        sched = ns.optim.lr_scheduler.StepLR(opt, step_size=step_size, gamma=gamma)
        lrs = [sched.get_last_lr()]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.step()  # before any optimizer step: torch warns
        lrs.append(sched.get_last_lr())
        for _ in range(steps):
            p.grad = ns.ones(2)
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
        state = {k: v for k, v in sched.state_dict().items()}
        seen.append((lrs, [str(w.message)[:40] for w in caught], repr(state), opt.param_groups[0]["initial_lr"]))
    assert seen[1] == seen[0]


# -- the source notes' programs, under both namespaces -------------------------------------------------


def _dynamic_net(torch):
    """The notes' DynamicNet: a middle layer reused a random number of times per forward, trained with
    SGD on a summed MSE (the PyTorch tutorial the note quotes, with Python's ``random`` seeded)."""
    import random

    class DynamicNet(torch.nn.Module):
        def __init__(self, D_in, H, D_out):
            super(DynamicNet, self).__init__()  # noqa: UP008 - as the note writes it
            self.input_linear = torch.nn.Linear(D_in, H)
            self.middle_linear = torch.nn.Linear(H, H)
            self.output_linear = torch.nn.Linear(H, D_out)

        def forward(self, x):
            h_relu = self.input_linear(x).clamp(min=0)
            for _ in range(random.randint(0, 3)):
                h_relu = self.middle_linear(h_relu).clamp(min=0)
            return self.output_linear(h_relu)

    random.seed(0)
    torch.manual_seed(0)
    N, D_in, H, D_out = 64, 1000, 100, 10
    x, y = torch.randn(N, D_in), torch.randn(N, D_out)
    model = DynamicNet(D_in, H, D_out)
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
    losses = []
    for _ in range(6):
        loss = criterion(model(x), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    names = [n for n, _ in model.named_parameters()]
    return {"losses": losses, "names": names, "repr": repr(model), "weights": [p.detach() for p in model.parameters()]}


def _frozen_layer(torch):
    """Freezing the first layer (``requires_grad = False``) and optimizing the rest."""
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    for p in net[0].parameters():
        p.requires_grad = False
    before = [p.detach().clone() for p in net[0].parameters()]
    opt = torch.optim.SGD(filter(lambda p: p.requires_grad, net.parameters()), lr=0.1)
    x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
    losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {
        "losses": losses,
        "frozen unchanged": all(a.tolist() == b.tolist() for a, b in zip(before, net[0].parameters(), strict=True)),
        "frozen grads": [p.grad is None for p in net[0].parameters()],
        "trained": [p.detach() for p in net[2].parameters()],
        "groups": len(opt.param_groups[0]["params"]),
    }


def _dropout_train_eval(torch):
    """Dropout behaves differently in training and evaluation: a mask scaled by 1/(1-p), then the identity."""
    torch.manual_seed(2)
    net = torch.nn.Sequential(torch.nn.Linear(6, 6), torch.nn.Dropout(0.5), torch.nn.Linear(6, 2))
    x = torch.randn(4, 6)
    train_a, train_b = net(x), net(x)
    net.eval()
    eval_a, eval_b = net(x), net(x)
    return {
        "train": [train_a.detach(), train_b.detach()],
        "train outputs differ": train_a.tolist() != train_b.tolist(),
        "eval": eval_a.detach(),
        "eval deterministic": eval_a.tolist() == eval_b.tolist(),
        "flags": [m.training for m in net.modules()],
    }


def _classifier(torch):
    """A cross-entropy classifier of three Gaussian blobs, trained with SGD and momentum."""
    torch.manual_seed(3)
    centres = torch.tensor([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    y = torch.randint(0, 3, (60,))
    x = centres[y] + 0.5 * torch.randn(60, 2)
    net = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    losses = []
    for _ in range(15):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    scores, labels = net(x).tolist(), y.tolist()
    accuracy = sum(row.index(max(row)) == label for row, label in zip(scores, labels, strict=True)) / len(labels)
    return {"losses": losses, "accuracy": accuracy}


def _layer_names(torch):
    """``layer.__class__.__name__`` and each layer's output shape; ``children()``, ``add_module``."""
    torch.manual_seed(4)
    X = torch.rand(size=(1, 1, 28, 28), dtype=torch.float32)
    net = torch.nn.Sequential(
        torch.nn.Flatten(),
        torch.nn.Linear(784, 120),
        torch.nn.Sigmoid(),
        torch.nn.Linear(120, 84),
        torch.nn.Sigmoid(),
        torch.nn.Linear(84, 10),
    )
    lines = []
    for layer in net:
        X = layer(X)
        lines.append(f"{layer.__class__.__name__} output shape:\t{X.shape}")
    last = list(net.children())[-3:]
    net.add_module("softmax", torch.nn.Softmax(dim=1))
    return {
        "lines": lines,
        "last three": [repr(m) for m in last],
        "repr": repr(net),
        "out": net(torch.rand(2, 1, 28, 28)).detach(),
    }


def _parameters_module(torch):
    """nn.Parameter, register_parameter, ParameterList and ParameterDict in a custom module."""

    class MyModule(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.my_param = torch.nn.Parameter(torch.randn(1))
            self.register_parameter("offset", torch.nn.Parameter(torch.zeros(2)))
            self.plist = torch.nn.ParameterList([torch.nn.Parameter(torch.randn(2)) for _ in range(3)])
            self.pdict = torch.nn.ParameterDict({"scale": torch.nn.Parameter(torch.ones(2))})

        def forward(self, x):
            for p in self.plist:
                x = x * p
            return (x * self.pdict["scale"] + self.offset).sum() * self.my_param

    torch.manual_seed(5)
    m = MyModule()
    m(torch.randn(2)).backward()
    return {
        "names": [n for n, _ in m.named_parameters()],
        "grads": [p.grad for p in m.parameters()],
        "repr": repr(m),
        "state": list(m.state_dict()),
    }


def _upsampler(torch):
    """The notes' ConvTranspose2d: an FCN head upsampled 32x by ``add_module('transpose_conv',
    ConvTranspose2d(num_classes, num_classes, kernel_size=64, padding=16, stride=32))``, trained a few
    steps; and ``output_padding`` picking among the sizes a strided conv maps to the same size (5x5 and
    6x6 both go to 3x3 with kernel 3, stride 2, padding 1)."""
    torch.manual_seed(6)
    num_classes = 3
    net = torch.nn.Sequential(torch.nn.Conv2d(4, num_classes, kernel_size=1))
    net.add_module(
        "transpose_conv", torch.nn.ConvTranspose2d(num_classes, num_classes, kernel_size=64, padding=16, stride=32)
    )
    x = torch.randn(1, 4, 2, 3)
    target = torch.randint(0, num_classes, (1, 64, 96))
    opt = torch.optim.SGD(net.parameters(), lr=0.05)
    losses = []
    for _ in range(3):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(x), target)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    down = torch.nn.Conv2d(2, 2, kernel_size=3, stride=2, padding=1)
    sizes = [tuple(down(torch.randn(1, 2, n, n)).shape) for n in (5, 6)]
    ups = {op: torch.nn.ConvTranspose2d(2, 2, kernel_size=3, stride=2, padding=1, output_padding=op) for op in (0, 1)}
    small = torch.randn(1, 2, 3, 3)
    up_shapes = [tuple(ups[op](small).shape) for op in (0, 1)]
    by_size = tuple(ups[0](small, output_size=(6, 6)).shape)
    try:
        torch.nn.ConvTranspose2d(2, 2, kernel_size=3, stride=2, padding=1, output_padding=2)(small)
        error = None
    except RuntimeError as e:
        error = str(e)
    return {
        "losses": losses,
        "out": net(x).detach(),
        "repr": repr(net),
        "weight grad": net.transpose_conv.weight.grad,
        "downsampled sizes": sizes,
        "upsampled sizes": up_shapes,
        "output_size": by_size,
        "error": error,
    }


def _pca(torch):
    """The notes' PCA: map n features to k new orthogonal ones (the principal components) of largest
    variance.  Centre the samples, take the SVD of the centred data (the eigenvectors of the covariance
    matrix), project on the first k right singular vectors.  The components' signs are not determined,
    so what is observed is gauge-free: the explained variances, the projection's reconstruction
    ``P @ components``, the residual's norms and distances, and ``|projected|``."""
    torch.manual_seed(3)
    m, n, k = 40, 5, 2
    scales = torch.tensor([3.0, 2.0, 1.0, 0.3, 0.1])
    X = torch.randn(m, n) * scales @ torch.linalg.svd(torch.randn(n, n))[0]  # a rotated, stretched cloud
    Xc = X - X.mean(dim=0, keepdim=True)
    U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
    components = Vh[:k]
    projected = Xc @ components.T
    reconstruction = projected @ components
    variance = S**2 / (m - 1)
    return {
        "explained variance": variance,
        "explained ratio": variance / variance.sum(),
        "reconstruction": reconstruction,
        "|projected|": projected.abs(),
        "residual fro": torch.linalg.matrix_norm(Xc - reconstruction),
        "residual rows": torch.linalg.vector_norm(Xc - reconstruction, dim=1),
        "residual dist": torch.dist(Xc, reconstruction),
        "nuclear norm": torch.linalg.matrix_norm(Xc, "nuc"),
        "spectral norm": torch.linalg.norm(Xc, 2),
        "legacy fro": torch.norm(Xc),
        "component norms": components.norm(dim=1),
    }


def _spectral_filter(torch):
    """A frequency response learned through the FFT: rfft the signals, scale each bin by a real weight,
    irfft back, and fit a low-pass target by SGD -- the gradient reaches the weights through complex
    intermediates (the spectrum, the product) and the real-to-complex and complex-to-real transforms.
    The weights converge to the mask (1 below the cut-off frequency, 0 above); the power spectrum,
    centred by fftshift, peaks at the square wave's +-4 cycles."""
    torch.manual_seed(5)
    n = 64
    t = torch.arange(n, dtype=torch.float32)
    x = torch.randn(8, n)  # white noise: every frequency present
    keep = (torch.fft.rfftfreq(n) <= 0.1).float()
    target = torch.fft.irfft(torch.fft.rfft(x) * keep, n=n)
    w = torch.zeros(n // 2 + 1, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=12.0)
    losses = []
    for _ in range(15):
        optimizer.zero_grad()
        y = torch.fft.irfft(torch.fft.rfft(x) * w, n=n)
        loss = ((y - target) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    square = ((t % 16) < 8).float() - 0.5  # a square wave of 4 cycles
    power = torch.fft.fftshift(torch.fft.fft(square + 0.1 * x[0], norm="ortho").abs() ** 2)
    return {
        "losses": losses,
        "learned response": w.detach().clone(),
        "last gradient": w.grad.clone(),
        "centred power": power,
        "centred frequencies": torch.fft.fftshift(torch.fft.fftfreq(n, d=1.0 / n)),
        "mask": keep,
    }


_NOTES_PROGRAMS = {
    "a spectral filter learned through the FFT": _spectral_filter,
    "PCA by the SVD of centred data": _pca,
    "a ConvTranspose2d upsampler": _upsampler,
    "DynamicNet": _dynamic_net,
    "a frozen layer": _frozen_layer,
    "dropout in training and evaluation": _dropout_train_eval,
    "a cross-entropy classifier": _classifier,
    "layer names and shapes": _layer_names,
    "parameters of a custom module": _parameters_module,
}


def _as_observation(ns, value):
    if isinstance(value, dict):
        return {k: _as_observation(ns, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_observation(ns, v) for v in value]
    if isinstance(value, ns.Tensor):
        return ("tensor", str(value.dtype), tuple(value.shape), value.detach().numpy().copy())
    if isinstance(value, float):  # a float32 loss's item()
        return ("tensor", "torch.float32", (), np.array(value))
    return value


@pytest.mark.parametrize("name", sorted(_NOTES_PROGRAMS))
def test_notes_programs_match_torch(name):
    """The notes' training programs run unchanged under ``import reference as torch`` and give torch's
    results (values within the matrix products' rounding, everything else equal)."""
    if name == "dropout in training and evaluation" and not S.random.NUMBER_P:
        pytest.skip("dropout masks come from MKL's bernoulli on Intel CPUs (known_differences)")
    program = _NOTES_PROGRAMS[name]
    theirs = _as_observation(torch, program(torch))
    ours = _as_observation(reference, program(reference))
    assert theirs.keys() == ours.keys()
    for key in theirs:
        _close(_flat(theirs[key]), _flat(ours[key]), f"{name}: {key}", "training")


def _flat(value):
    if isinstance(value, list):
        return tuple(_flat(v) for v in value)
    return value


def test_notes_programs_hold_without_torch():
    """What the notes' programs promise, checked on the reference alone: training lowers the loss, a
    frozen layer stays as it was and gets no gradient, evaluation mode makes dropout the identity, the
    classifier separates its blobs, a reused layer's parameters are listed once."""
    dyn = _dynamic_net(reference)
    assert dyn["losses"][-1] < dyn["losses"][0]
    assert dyn["names"] == [
        f"{layer}.{p}" for layer in ("input_linear", "middle_linear", "output_linear") for p in ("weight", "bias")
    ]
    frozen = _frozen_layer(reference)
    assert frozen["frozen unchanged"] and frozen["frozen grads"] == [True, True] and frozen["groups"] == 2
    assert frozen["losses"][-1] < frozen["losses"][0]
    drop = _dropout_train_eval(reference) if S.random.NUMBER_P else None
    if drop is not None:
        assert (
            drop["train outputs differ"]
            and drop["eval deterministic"]
            and drop["flags"] == [False, False, False, False]
        )
    clf = _classifier(reference)
    assert clf["losses"][-1] < 0.5 * clf["losses"][0] and clf["accuracy"] > 0.9
    names = _layer_names(reference)
    assert names["lines"][0] == "Flatten output shape:\ttorch.Size([1, 784])"
    assert names["lines"][-1] == "Linear output shape:\ttorch.Size([1, 10])"
    up = _upsampler(reference)
    assert up["out"].shape == (1, 3, 64, 96) and up["losses"][-1] < up["losses"][0]  # 32x the 2x3 input
    assert up["downsampled sizes"] == [(1, 2, 3, 3)] * 2  # the ambiguity output_padding resolves
    assert up["upsampled sizes"] == [(1, 2, 5, 5), (1, 2, 6, 6)] and up["output_size"] == (1, 2, 6, 6)
    assert up["error"].startswith("output padding must be smaller than either stride or dilation")
    params = _parameters_module(reference)
    assert params["names"] == ["my_param", "offset", "plist.0", "plist.1", "plist.2", "pdict.scale"]
    pca = _pca(reference)
    var, fro = pca["explained variance"].numpy(), float(pca["residual fro"])
    assert np.all(np.diff(var) <= 0) and pca["component norms"].numpy() == pytest.approx(1, abs=1e-5)
    # the residual is what the discarded components carry: sum of their variances times (m - 1)
    assert fro**2 == pytest.approx(float(var[2:].sum()) * 39, rel=1e-4)
    assert float(pca["residual dist"]) == pytest.approx(fro, rel=1e-5)
    assert float(pca["nuclear norm"]) == pytest.approx(float(np.sqrt(var * 39).sum()), rel=1e-5)
    assert float(pca["spectral norm"]) == pytest.approx(float(np.sqrt(var[0] * 39)), rel=1e-5)
    assert pca["explained ratio"].numpy()[:2].sum() > 0.9  # a stretched cloud: two components carry it
    spectral = _spectral_filter(reference)
    assert spectral["losses"][-1] < 0.05 * spectral["losses"][0]
    assert np.abs(spectral["learned response"].numpy() - spectral["mask"].numpy()).max() < 0.25
    freqs, power = spectral["centred frequencies"].numpy(), spectral["centred power"].numpy()
    assert np.all(np.diff(freqs) == 1) and set(np.abs(freqs[np.argsort(power)[-2:]])) == {4.0}
