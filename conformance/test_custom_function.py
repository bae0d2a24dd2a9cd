"""``torch.autograd.Function`` corner cases, each run under torch and under the reference.

Each case is a small program; what it binds to ``out`` (or the exception it raises) must agree:
non-differentiable outputs, dirty inputs (and a dirty leaf), an input modified without being
marked dirty, an input returned as is, a view returned from ``forward``, in-place writes into such
outputs, non-tensor inputs, and ``set_materialize_grads(False)``.
"""

from __future__ import annotations

import warnings

import pytest
import torch

import reference


def _run(ns, body: str) -> str:
    env = {"torch": ns}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(body, env)
        except Exception as e:  # noqa: BLE001 -- the exception is what is compared
            return f"{type(e).__name__}: {e}"
    return repr(env.get("out"))


CASES = {
    "nondiff": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        a, b = x * 2, (x > 0).to(x.dtype)
        ctx.mark_non_differentiable(b)
        return a, b
    @staticmethod
    def backward(ctx, ga, gb):
        global seen
        seen = (gb is None, None if gb is None else gb.tolist())
        return ga * 2
x = torch.tensor([1., -1.], requires_grad=True)
a, b = F.apply(x)
a.sum().backward()
out = (a.requires_grad, b.requires_grad, b.grad_fn, x.grad, seen, type(a.grad_fn).__name__)
""",
    "dirty": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x
    @staticmethod
    def backward(ctx, g):
        return g * 2
a = torch.tensor([1., 2.], requires_grad=True)
x = a * 1
y = F.apply(x)
y.sum().backward()
out = (y is x, x._version, x.grad_fn.name(), a.grad, y)
""",
    "dirty leaf": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x
    @staticmethod
    def backward(ctx, g):
        return g * 2
a = torch.tensor([1., 2.], requires_grad=True)
y = F.apply(a)
""",
    "not dirty but modified": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        return x
    @staticmethod
    def backward(ctx, g):
        return g * 2
a = torch.tensor([1., 2.], requires_grad=True)
x = a * 1
y = F.apply(x)
out = (y is x, y._base is x, x._version, y.grad_fn.name())
""",
    "identity": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x
    @staticmethod
    def backward(ctx, g):
        return g * 3
a = torch.tensor([1., 2.], requires_grad=True)
y = F.apply(a)
y.sum().backward()
out = (y is a, y._base is a, y.grad_fn.name(), a.grad, y.is_leaf)
""",
    "identity inplace after": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x
    @staticmethod
    def backward(ctx, g):
        return g * 3
a = torch.tensor([1., 2.], requires_grad=True)
x = a * 1
y = F.apply(x)
y.mul_(2)
""",
    "view out": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x[0]
    @staticmethod
    def backward(ctx, g):
        return None
a = torch.tensor([1., 2.], requires_grad=True)
y = F.apply(a)
out = (y._base is a, y.grad_fn.name())
""",
    "view out inplace": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x[:1]
    @staticmethod
    def backward(ctx, g):
        return g
a = torch.tensor([1., 2.], requires_grad=True)
x = a * 1
y = F.apply(x)
y.mul_(2)
""",
    "nondiff input grad": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        return x * k
    @staticmethod
    def backward(ctx, g):
        return g * 2, None
a = torch.tensor([1., 2.], requires_grad=True)
y = F.apply(a, 3)
y.sum().backward()
out = (a.grad, y.grad_fn.name())
""",
    "set_materialize": """
class F(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3
    @staticmethod
    def backward(ctx, ga, gb):
        global seen
        seen = (ga is None, gb is None)
        return ga * 2
a = torch.tensor([1., 2.], requires_grad=True)
p, q = F.apply(a)
p.sum().backward()
out = (seen, a.grad)
""",
}


@pytest.mark.parametrize("case", list(CASES))
def test_custom_function_matches_torch(case):
    body = CASES[case]
    assert _run(reference, body) == _run(torch, body), body
