"""Autograd semantics: each scenario is one function, run unchanged with ``torch`` and with
``reference`` as its namespace; the observations must agree.  Expected values are never
written down here -- torch is the oracle, and the golden tests pin the notes' numbers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import reference
import strategies as S
from strategies import example_run

SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__] = fn
    return fn


def _obs(x):
    """A comparable observation of a value."""
    if isinstance(x, torch.Tensor | reference.Tensor):
        arr = x.detach().numpy() if isinstance(x, torch.Tensor) else x.detach().numpy()
        return ("tensor", tuple(x.shape), str(x.dtype), np.round(np.asarray(arr, dtype=np.complex128), 6).tolist())
    if isinstance(x, list | tuple):
        return tuple(_obs(v) for v in x)
    return x


def _run(fn, ns):
    log = []

    def see(label, value):
        log.append((label, _obs(value)))

    def expect_error(label, thunk):
        try:
            thunk()
        except Exception as e:  # noqa: BLE001
            cls = next(c for c in type(e).__mro__ if c.__module__ == "builtins")
            log.append((label, "raises " + cls.__name__))
            return
        log.append((label, "no error"))

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn(ns, see, expect_error)
    user_warnings = sorted({str(w.category.__name__) for w in caught if issubclass(w.category, UserWarning)})
    return log, user_warnings


def _x(ns, requires_grad=True):
    return ns.tensor([[1.0, -2.0, 0.5], [3.0, 0.25, -1.5]], dtype=ns.float64, requires_grad=requires_grad)


@scenario
def notes_mean_example(ns, see, expect_error):
    x = ns.ones(2, 2, requires_grad=True)
    y = x + 1
    z = y * y * 2
    out = z.mean()
    see("z.grad_fn", z.grad_fn.name())
    see("out.grad_fn", out.grad_fn.name())
    out.backward()
    see("x.grad", x.grad)


@scenario
def notes_nonleaf_grad_is_none(ns, see, expect_error):
    x = ns.ones(2, 2, requires_grad=True)
    y = x + 2
    y.backward(ns.ones(2, 2), retain_graph=True)
    see("x.grad", x.grad)
    see("y.grad", y.grad)  # None, with a UserWarning
    see("y.requires_grad", y.requires_grad)
    see("is_leaf", (x.is_leaf, y.is_leaf))


@scenario
def notes_nothing_requires_grad(ns, see, expect_error):
    x = ns.ones(2, 2)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    see("requires_grad", (y.requires_grad, out.requires_grad, out.grad_fn))
    expect_error("backward", lambda: out.backward())


@scenario
def notes_detach_then_inplace(ns, see, expect_error):
    a = ns.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = a.sigmoid()
    c = out.detach()
    c.zero_()
    see("out after c.zero_()", out)
    see("versions", (out._version, c._version))
    expect_error("backward", lambda: out.sum().backward())


@scenario
def notes_detach_unmodified_is_fine(ns, see, expect_error):
    a = ns.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = a.sigmoid()
    c = out.detach()
    see("c", (c.requires_grad, c.is_leaf, c.grad_fn))
    out.sum().backward()
    see("a.grad", a.grad)


@scenario
def accumulation_across_backward_calls(ns, see, expect_error):
    x = _x(ns)
    (x * x).sum().backward()
    see("after 1", x.grad)
    (x * 3).sum().backward()
    see("after 2", x.grad)
    x.grad = None
    (x.exp()).sum().backward()
    see("after reset", x.grad)


@scenario
def retain_graph_and_second_backward(ns, see, expect_error):
    x = _x(ns)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    see("twice with retain", x.grad)
    expect_error("third time", lambda: y.backward())
    z = (x + 1).sum()  # AddBackward0 and SumBackward0 save no tensors: a second pass is allowed
    z.backward()
    expect_error("no saved tensors, second pass", lambda: z.backward())
    see("after", x.grad)


@scenario
def implicit_gradient_only_for_scalars(ns, see, expect_error):
    x = _x(ns)
    y = x * 2
    expect_error("non-scalar", lambda: y.backward())
    expect_error("wrong gradient shape", lambda: y.backward(ns.ones(3)))
    y.backward(ns.ones(2, 3, dtype=ns.float64) * 0.5)
    see("with gradient", x.grad)


@scenario
def retain_grad_on_nonleaf(ns, see, expect_error):
    x = _x(ns)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()
    see("y.grad", y.grad)
    see("y.retains_grad", y.retains_grad)
    see("x.grad", x.grad)


@scenario
def grad_modes(ns, see, expect_error):
    x = _x(ns)
    with ns.no_grad():
        y = x * 2
        with ns.enable_grad():
            z = x * 3
    see("no_grad / enable_grad", (y.requires_grad, z.requires_grad, ns.is_grad_enabled()))
    with ns.set_grad_enabled(False):
        w = x * 2
    see("set_grad_enabled(False)", (w.requires_grad, ns.is_grad_enabled()))
    prev = ns.is_grad_enabled()
    ns.set_grad_enabled(False)
    v = x + 1
    ns.set_grad_enabled(prev)
    see("as a function", (v.requires_grad, ns.is_grad_enabled()))

    @ns.no_grad()
    def f(t):
        return t * 5

    see("decorator", (f(x).requires_grad, ns.is_grad_enabled()))
    with ns.no_grad():
        x.add_(1.0)  # an optimizer-style update of a leaf is fine without grad
    see("leaf updated in no_grad", (x, x._version, x.requires_grad, x.is_leaf))


@scenario
def inplace_rules(ns, see, expect_error):
    x = _x(ns)
    expect_error("in-place on a leaf requiring grad", lambda: x.add_(1.0))
    y = x * 1
    y.add_(1.0)
    see("in-place on a non-leaf", (y.grad_fn.name(), y._version, y.is_leaf))
    (y * y).sum().backward()
    see("grad through it", x.grad)
    x2 = _x(ns)
    s = x2.sigmoid()
    t = s * 2  # s is not saved by MulBackward0 with a constant... but SigmoidBackward0 saved s itself
    s.mul_(3.0)
    expect_error("saved output modified", lambda: t.sum().backward())
    expect_error("requires_grad on integers", lambda: ns.tensor([1, 2], requires_grad=True))
    expect_error("requires_grad_ on a non-leaf", lambda: (x2 * 2).requires_grad_(False))


@scenario
def detach_shares_storage_and_version(ns, see, expect_error):
    x = _x(ns)
    d = x.detach()
    with ns.no_grad():
        d.add_(1.0)
    see("x sees the write", x)
    see("versions", (x._version, d._version))
    see("d", (d.requires_grad, d.is_leaf, d._base is None))


@scenario
def autograd_grad_api(ns, see, expect_error):
    x = _x(ns)
    w = _x(ns) * 0 + 1  # not a leaf
    u = ns.ones(2, 3, dtype=ns.float64, requires_grad=True)
    y = (x * x * w).sum()
    g = ns.autograd.grad(y, [x], retain_graph=True)
    see("grad", g)
    see(".grad untouched", x.grad)
    expect_error("unused input", lambda: ns.autograd.grad(y, [x, u], retain_graph=True))
    gx, gu = ns.autograd.grad(y, [x, u], allow_unused=True, retain_graph=True)
    see("allow_unused", (gx, gu))
    gx, gu = ns.autograd.grad(y, [x, u], materialize_grads=True, retain_graph=True)
    see("materialize_grads", (gx, gu))
    see("grad of non-leaf", ns.autograd.grad(y, [w], retain_graph=True))
    expect_error("input not requiring grad", lambda: ns.autograd.grad(y, [ns.ones(2)]))
    z = (x * 2).sum()
    z2 = (x * 3).sum()
    ns.autograd.backward([z, z2])
    see("autograd.backward of several roots", x.grad)
    x.grad = None
    (x * u).sum().backward(inputs=[u])
    see("backward(inputs=)", (x.grad, u.grad))


@scenario
def create_graph_higher_order(ns, see, expect_error):
    x = ns.tensor([0.5, -1.0, 2.0], dtype=ns.float64, requires_grad=True)
    y = (x**3).sum()
    (g,) = ns.autograd.grad(y, x, create_graph=True)
    see("first", (g, g.requires_grad))
    (h,) = ns.autograd.grad(g.sum(), x)
    see("second", h)
    z = (x.sigmoid() * x.exp()).sum()
    z.backward(create_graph=True)
    see("grad has a graph", (x.grad.requires_grad,))
    gg = x.grad.sum()
    x.grad = None
    gg.backward()
    see("grad of grad", x.grad)


@scenario
def custom_function(ns, see, expect_error):
    class Line(ns.autograd.Function):
        @staticmethod
        def forward(ctx, w, x, b):
            ctx.save_for_backward(w, x)
            return w * x + b

        @staticmethod
        def backward(ctx, grad_out):
            w, x = ctx.saved_tensors
            return grad_out * x, grad_out * w, grad_out

    w = ns.tensor(2.0, requires_grad=True)
    x = ns.tensor(3.0, requires_grad=True)
    b = ns.tensor(1.0, requires_grad=True)
    y = Line.apply(w, x, b)
    see("forward", (y, y.grad_fn.name(), y.requires_grad))
    y.backward()
    see("grads", (w.grad, x.grad, b.grad))

    class Wrong(ns.autograd.Function):
        @staticmethod
        def forward(ctx, a, c):
            ctx.flags = ctx.needs_input_grad
            return a * c

        @staticmethod
        def backward(ctx, g):
            return (g,)

    a = ns.tensor([1.0, 2.0], requires_grad=True)
    out = Wrong.apply(a, ns.tensor([3.0, 4.0]))
    expect_error("wrong number of gradients", lambda: out.sum().backward())

    class BadShape(ns.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g.sum()

    a2 = ns.tensor([1.0, 2.0], requires_grad=True)
    expect_error("wrong gradient shape", lambda: BadShape.apply(a2).sum().backward())


@scenario
def graph_structure(ns, see, expect_error):
    x = _x(ns)
    y = _x(ns, requires_grad=False)
    z = x * 2 + y
    nf = z.grad_fn.next_functions
    see("z", z.grad_fn.name())
    see("next", tuple((f.name() if f is not None else None, i) for f, i in nf))
    inner = nf[0][0].next_functions
    see("inner", tuple((f.name() if f is not None else None, i) for f, i in inner))
    see("leaf accumulator", inner[0][0].next_functions)


@scenario
def svd_repeated_singular_values(ns, see, expect_error):
    """torch's SVD backward divides by s_j^2 - s_i^2: repeated values give non-finite gradients
    for losses that depend on the singular vectors, but a clean gradient through S alone."""
    A = ns.eye(3, dtype=ns.float64, requires_grad=True)
    U, S, Vh = ns.linalg.svd(A)
    (U[:, :1] @ Vh[:1]).sum().backward()
    see("finite through U, Vh", bool(np.isfinite(A.grad.numpy()).all()))
    B = ns.eye(3, dtype=ns.float64, requires_grad=True)
    ns.linalg.svdvals(B).sum().backward()
    see("through S only", B.grad)


@scenario
def which_ops_save_their_input(ns, see, expect_error):
    """An in-place write to a leaf (under no_grad) after the op: backward raises exactly when the
    op's backward saved that input (gather, clamp and abs do; sum, permute and x * 0.5 do not)."""
    makers = {
        "gather": lambda x: ns.gather(x, 1, ns.tensor([[0, 0, 2], [1, 1, 0]])),
        "clamp scalars": lambda x: x.clamp(-1.0, 1.0),
        "clamp tensor": lambda x: x.clamp(min=ns.zeros(3, dtype=ns.float64)),
        "abs": lambda x: x.abs(),
        "sum": lambda x: x.sum(),
        "permute": lambda x: x.permute(1, 0) * 1,
        "times a number": lambda x: x * 0.5,
        "x * x": lambda x: x * x,
    }
    for name, make in makers.items():
        x = _x(ns)
        y = make(x)
        with ns.no_grad():
            x.mul_(0.5)
        expect_error(name, lambda y=y: y.sum().backward())


@scenario
def in_place_on_a_result(ns, see, expect_error):
    """An in-place write to an op's *output* before backward: division's gradient is computed from
    its inputs (torch saves self and other), so it is unaffected; pow with a tensor exponent saves
    its result, so backward raises; exp saves its result too."""
    x = _x(ns)
    d = ns.tensor([2.0, 3.0, 4.0], dtype=ns.float64, requires_grad=True)
    y = x / (d * d)
    y.add_(x)
    y.sum().backward()
    see("x.grad after division", x.grad)
    see("d.grad after division", d.grad)
    e = ns.tensor([2.0, 3.0, 0.5], dtype=ns.float64, requires_grad=True)
    p = x.abs() ** e
    p.add_(1)
    expect_error("pow with a tensor exponent", lambda: p.sum().backward())
    q = x.exp()
    q.mul_(2)
    expect_error("exp", lambda: q.sum().backward())


# defined last: the parametrization lists every scenario above
@scenario
def view_made_in_no_grad_mode(ns, see, expect_error):
    """A view made under no_grad of a tensor that requires grad reports requires_grad (through its
    base) but has no accumulator: gradients for it are dropped, and an inference tensor multiplied by
    it is not saved for backward."""
    x = _x(ns)
    with ns.no_grad():
        v = x.unsqueeze(0).squeeze(0)
    see("flags", (v.requires_grad, v.is_leaf, v.grad_fn is None))
    y = v * 2
    see("edges", [f is None for f, _ in y.grad_fn.next_functions])
    y.sum().backward()
    see("grads", (x.grad is None, v.grad is None))
    with ns.inference_mode():
        inf = x * 3
    z = inf * v
    see("inference times it", (z.requires_grad, type(z.grad_fn).__name__))
    expect_error("inference times the leaf", lambda: inf * x)


@scenario
def real_and_imag_are_views(ns, see, expect_error):
    """z.real and z.imag view the complex storage (strides doubled, imag one element in), record
    SelectBackward0, pass writes through, and send gradients back as g and g * 1j."""
    z = ns.tensor([1 + 2j, 3 - 1j, -0.5 + 0.25j], requires_grad=True)
    r, i = z.real, z.imag
    see("layout", (r.stride(), i.stride(), r.storage_offset(), i.storage_offset(), r._base is z))
    see("nodes", (type(r.grad_fn).__name__, type(i.grad_fn).__name__))
    (r * ns.tensor([1.0, 2.0, 3.0]) + i * ns.tensor([-1.0, 0.5, 4.0])).sum().backward()
    see("grad", z.grad)
    w = z.detach().clone()
    w.imag[1] = 7.0
    w.real.mul_(2.0)
    see("written through", w)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario(name):
    """The scenario's observations (values, flags, node names, error classes, warnings) match torch's."""
    fn = SCENARIOS[name]
    t_log, t_warn = _run(fn, torch)
    r_log, r_warn = _run(fn, reference)
    for (label, t_obs), (r_label, r_obs) in zip(t_log, r_log, strict=False):
        assert (r_label, r_obs) == (label, t_obs), f"{label}: torch {t_obs!r} vs reference {r_obs!r}"
    assert len(r_log) == len(t_log), f"torch made {len(t_log)} observations, reference {len(r_log)}"
    assert r_warn == t_warn


def test_hook_on_a_view_of_a_base_modified_since_is_refused():
    """known_differences: torch 2.13 segfaults here (so it is not run on torch); the reference refuses
    rather than attaching the hook to the view's stale grad_fn."""
    x = reference.ones(2, 3, dtype=reference.float64, requires_grad=True)
    v = x.view(2, 3)
    with reference.no_grad():
        x.mul_(0.5)
    with pytest.raises(NotImplementedError, match="register_hook on a view"):
        v.register_hook(lambda g: g * 2)
    fresh = x.view(2, 3)  # a view made after the write is fine
    fresh.register_hook(lambda g: g * 2)
    fresh.sum().backward()
    assert x.grad.tolist() == [[2.0] * 3] * 2


@given(
    S.arrays(S.dtypes(("float32", "float64")), S.shapes(min_dims=1, max_dims=3, min_side=1), specials=False),
    st.sampled_from(["complex64", "complex128"]),
)
def test_gradient_layouts_match_torch(x, complex_dtype):
    """Two layout rules of torch's autograd, on leaves of every layout: a leaf's first ``.grad`` has the
    leaf's strides when the leaf is dense and non-overlapping, else it is contiguous (``AccumulateGrad``'s
    layout contract); and the gradient of a real-to-complex cast is ``real()`` of the complex gradient, a
    strided view (``_to_copy_backward``)."""
    example_run()
    seen = {}
    for ns in (torch, reference):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns that a broadcast NumPy view is not writable
            leaf = ns.from_numpy(x).requires_grad_()
        (leaf * 2).sum().backward()
        z = leaf.to(getattr(ns, complex_dtype))
        (g,) = ns.autograd.grad(z, leaf, ns.ones(tuple(z.shape), dtype=z.dtype))
        seen[ns.__name__] = (leaf.grad.stride(), g.stride())
    assert seen["torch"] == seen["reference"], f"(.grad, cast gradient) strides {seen}"
