"""Random autograd programs, as Python source, run on torch and on the reference.

A program is a list of source lines over a few leaves ``x0..x2`` (float64,
shape 2x3) and values ``v0, v1, ...``.  Lines: ops from the registry's
families (elementwise, reductions, views, gather, einsum, matmul, clamp),
tensor reuse, ``detach()``, ``torch.no_grad()`` blocks, in-place updates
(on fresh non-leaf values, and on leaves inside no_grad), ``backward`` with
and without ``retain_graph`` (repeated), and ``torch.autograd.grad`` with and
without ``allow_unused``.  Each line runs under both namespaces; after it,
every new value's flags, node name and data, every leaf's ``.grad``, and any
exception class are observed.  Hypothesis shrinks a failing program to a
minimal one, printed as code that runs with ``import torch``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

from strategies import record

LEAVES = ("x0", "x1", "x2")

# (template, number of tensor operands, produces a view of its first operand)
OPS = [
    ("{0} * {1}", 2, False),
    ("{0} + {1}", 2, False),
    ("{0} - {1} * 0.5", 2, False),
    ("{0} / ({1}.abs() + 1)", 2, False),
    ("({0} * 0.5).exp()", 1, False),
    ("{0}.sigmoid()", 1, False),
    ("{0}.clamp(-0.5, 0.5)", 1, False),
    ("torch.clamp({0}, min={1})", 2, False),
    ("{0} ** 2", 1, False),
    ("{0}.sum(0, keepdim=True) * {1}", 2, False),
    ("{0}.mean() * {1}", 2, False),
    ("{0}.unsqueeze(0).squeeze(0)", 1, True),
    ("{0}.permute(1, 0).t()", 1, True),
    ("{0}.flatten().view(2, 3)", 1, True),
    ("{0}.reshape(3, 2).reshape(2, 3)", 1, True),
    ("torch.gather({0}, 1, IDX)", 1, False),
    ("torch.einsum('ij,ij->ij', {0}, {1})", 2, False),
    ("({0} @ {1}.t()) @ {2}", 3, False),
    ("{0}[:, 1:].sum(1, keepdim=True) * {1}", 2, False),
]

PRELUDE = [
    "IDX = torch.tensor([[0, 0, 2], [1, 1, 0]])",
]


#: the program features a complete run must have generated (``--check-coverage``)
REQUIRED_EVENTS: tuple[str, ...] = (
    "program: tensor reused",
    "program: detach",
    "program: no_grad block",
    "program: in-place",
    "program: in-place on a leaf in no_grad",
    "program: backward",
    "program: retain_graph",
    "program: repeated backward",
    "program: autograd.grad",
    "program: autograd.grad allow_unused",
    "program: decorated @torch.no_grad()",
    "program: decorated @torch.no_grad",
    "program: decorated @torch.enable_grad()",
    "program: decorated @torch.set_grad_enabled(False)",
    "program: decorated @torch.inference_mode()",
    "program: decorated @torch.inference_mode",
    "program: decorated generator",
    "program: inference_mode block",
    "program: tensor hook",
    "program: set_grad_enabled switch",
)

#: grad-mode decorators, as written above a function
DECORATORS = (
    "@torch.no_grad()",
    "@torch.no_grad",
    "@torch.enable_grad()",
    "@torch.set_grad_enabled(False)",
    "@torch.inference_mode()",
    "@torch.inference_mode",
)

#: gradient hooks: observe, scale, or replace the gradient
HOOKS = ("lambda g: g * 2", "lambda g: None", "lambda g: g.clamp(-0.5, 0.5)")


@dataclass
class Program:
    leaves: list[np.ndarray]
    lines: list[str] = field(default_factory=list)
    new_names: list[list[str]] = field(default_factory=list)  # names each line binds

    def source(self) -> str:
        head = ["import torch  # or: import reference as torch"]
        for name, arr in zip(LEAVES, self.leaves, strict=True):
            head.append(f"{name} = torch.tensor({arr.tolist()!r}, dtype=torch.float64, requires_grad=True)")
        return "\n".join(head + PRELUDE + self.lines)


@st.composite
def programs(draw, max_lines: int = 8) -> Program:
    leaves = [
        draw(
            st.lists(st.floats(-2, 2, allow_nan=False, width=32), min_size=6, max_size=6).map(
                lambda v: np.array(v, dtype=np.float64).reshape(2, 3)
            )
        )
        for _ in LEAVES
    ]
    prog = Program(leaves)
    values: list[str] = list(LEAVES)
    fresh: set[str] = set()  # non-leaf results of non-view ops, never viewed: safe in-place targets
    views: set[str] = set()  # results of view ops and detach (views of another value)
    n = draw(st.integers(1, max_lines))
    counter = 0
    for _ in range(n):
        kind = draw(
            st.sampled_from(
                [
                    "op",
                    "op",
                    "op",
                    "detach",
                    "no_grad",
                    "inplace",
                    "leaf_update",
                    "backward",
                    "grad",
                    "mode",
                    "mode",
                    "hook",
                ]
            )
        )
        if kind == "mode":
            name = f"v{counter}"
            counter += 1
            prog.lines.append(_grad_mode_line(draw, name, values, counter))
            prog.new_names.append([name])
            values.append(name)
            views.add(name)  # its op may be a view of its operand
            continue
        if kind == "hook":
            # not on views: a hook on a view whose base a later line modifies in place crashes torch 2.13
            # (known_differences), and a line generated later may do exactly that
            src = draw(st.sampled_from([v for v in values if v not in views]))
            prog.lines.append(f"{src}.register_hook({draw(st.sampled_from(HOOKS))})")
            prog.new_names.append([])
            record("program: tensor hook")
            continue
        if kind in ("op", "no_grad", "detach"):
            name = f"v{counter}"
            counter += 1
            if kind == "detach":
                src = draw(st.sampled_from(values))
                line = f"{name} = {src}.detach()"
                views.add(name)
                record("program: detach")
            else:
                tmpl, arity, is_view = draw(st.sampled_from(OPS))
                srcs = [draw(st.sampled_from(values)) for _ in range(arity)]
                if len(set(srcs)) < len(srcs):
                    record("program: tensor reused")
                expr = tmpl.format(*srcs)
                line = f"{name} = {expr}"
                if kind == "no_grad":
                    line = f"with torch.no_grad(): {line}"
                    record("program: no_grad block")
                if is_view:
                    fresh.discard(srcs[0])
                    views.add(name)
                elif kind == "op":
                    fresh.add(name)
            values.append(name)
            prog.lines.append(line)
            prog.new_names.append([name])
        elif kind == "inplace":
            targets = sorted(fresh)
            if not targets:  # make a fresh non-leaf to write into
                name = f"v{counter}"
                counter += 1
                prog.lines.append(f"{name} = {draw(st.sampled_from(values))} * 1.0")
                prog.new_names.append([name])
                values.append(name)
                fresh.add(name)
                targets = [name]
            dst = draw(st.sampled_from(targets))
            src = draw(st.sampled_from(values))
            prog.lines.append(
                draw(st.sampled_from([f"{dst}.add_({src})", f"{dst}.mul_(2.0)", f"{dst}.clamp_(-1.0, 1.0)"]))
            )
            prog.new_names.append([])
            record("program: in-place")
        elif kind == "leaf_update":
            leaf = draw(st.sampled_from(LEAVES))
            prog.lines.append(f"with torch.no_grad(): {leaf}.mul_(0.5)")
            prog.new_names.append([])
            record("program: in-place on a leaf in no_grad")
        elif kind == "backward":
            done = [ln.split(".sum()")[0] for ln in prog.lines if ".sum().backward(" in ln]
            src = draw(st.sampled_from(done)) if done and draw(st.booleans()) else draw(st.sampled_from(values))
            retain = draw(st.booleans())
            prog.lines.append(f"{src}.sum().backward(retain_graph={retain})")
            prog.new_names.append([])
            record("program: backward")
            if retain:
                record("program: retain_graph")
                if draw(st.booleans()):  # backward again through the retained graph
                    prog.lines.append(f"{src}.sum().backward(retain_graph={draw(st.booleans())})")
                    prog.new_names.append([])
            if sum(line.startswith(f"{src}.sum().backward") for line in prog.lines) > 1:
                record("program: repeated backward")
        else:
            src = draw(st.sampled_from(values))
            ins = draw(st.lists(st.sampled_from(LEAVES), min_size=1, max_size=3, unique=True))
            unused = draw(st.booleans())
            name = f"g{counter}"
            counter += 1
            prog.lines.append(
                f"{name} = torch.autograd.grad({src}.sum(), [{', '.join(ins)}], retain_graph=True, allow_unused={unused})"
            )
            prog.new_names.append([name])
            record("program: autograd.grad" + (" allow_unused" if unused else ""))
    record(f"program: {len(prog.lines)} lines")
    return prog


def _grad_mode_line(draw, name: str, values: list[str], k: int) -> str:
    """``name`` computed in a grad-mode region: a decorated function or generator, an inference_mode
    block, or a set_grad_enabled switch (called, then switched back)."""
    tmpl, arity, _ = draw(st.sampled_from(OPS))
    srcs = [draw(st.sampled_from(values)) for _ in range(arity)]
    body = tmpl.format("a", *srcs[1:])
    form = draw(st.sampled_from(["decorated", "generator", "inference block", "switch"]))
    if form == "inference block":
        record("program: inference_mode block")
        return f"with torch.inference_mode(): {name} = {tmpl.format(*srcs)}"
    if form == "switch":
        record("program: set_grad_enabled switch")
        return f"torch.set_grad_enabled(False)\n{name} = {tmpl.format(*srcs)}\ntorch.set_grad_enabled(True)"
    deco = draw(st.sampled_from(DECORATORS))
    record(f"program: decorated {deco}")
    call = f"f{k}({srcs[0]})"
    if deco == "@torch.enable_grad()":  # enable_grad matters inside a no_grad region
        call = f"(lambda: [{call} for _ in [0]][0])()"
        call = f"torch.no_grad()(lambda: {call})()"
    if form == "generator":
        record("program: decorated generator")
        # the caller's own line between the two steps runs in the caller's mode
        return (
            f"{deco}\ndef f{k}(a):\n    yield a * 1.0\n    yield {body}\n"
            f"gen{k} = f{k}({srcs[0]})\nfirst{k} = next(gen{k})\noutside{k} = first{k} * 2\n{name} = next(gen{k}) + outside{k}"
        )
    return f"{deco}\ndef f{k}(a):\n    return {body}\n{name} = {call}"


def observe(value, plan_dependent: bool = False):
    if isinstance(value, tuple | list):
        return tuple(observe(v, plan_dependent) for v in value)
    if value is None:
        return None
    grad_fn = value.grad_fn.name() if value.grad_fn is not None else None
    if plan_dependent and grad_fn is not None:
        grad_fn = "<plan-dependent>"  # multi-operand einsum: see known_differences
    data = value.detach().numpy().astype(np.float64)
    return (tuple(value.shape), value.requires_grad, value.is_leaf, value.is_inference(), grad_fn, data)


def run(prog: Program, ns) -> list:
    """Execute line by line; return observations (stops at the first exception, which is observed)."""
    env: dict = {"torch": ns}
    obs: list = []
    # a program that raised inside a set_grad_enabled(False) switch must not leak into the next test
    ns.set_grad_enabled(True)
    try:
        return _run_lines(prog, ns, env, obs)
    finally:
        ns.set_grad_enabled(True)


def _run_lines(prog: Program, ns, env: dict, obs: list) -> list:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, arr in zip(LEAVES, prog.leaves, strict=True):
            env[name] = ns.tensor(arr.tolist(), dtype=ns.float64, requires_grad=True)
        for line in PRELUDE:
            exec(line, env)
        for i, (line, names) in enumerate(zip(prog.lines, prog.new_names, strict=True)):
            try:
                exec(line, env)
            except Exception as e:  # noqa: BLE001 - exceptions are observations
                cls = next(c for c in type(e).__mro__ if c.__module__ == "builtins")
                obs.append((i, "raises", cls.__name__))
                return obs
            plan = "torch.einsum(" in line
            obs.append((i, "values", tuple(observe(env[n], plan) for n in names)))
            obs.append((i, "leaf grads", tuple(observe(env[leaf].grad) for leaf in LEAVES)))
    return obs


def differences(t_obs: list, r_obs: list) -> list[str]:
    """Human-readable differences between two observation lists (data compared to 1e-9 relative)."""
    out = []
    for a, b in zip(t_obs, r_obs, strict=False):
        if not _same(a, b):
            out.append(f"line {a[0]} ({a[1]}): torch {_short(a)} vs reference {_short(b)}")
            break
    if len(t_obs) != len(r_obs) and not out:
        out.append(f"torch made {len(t_obs)} observations, reference {len(r_obs)}")
    return out


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape:
            return False
        return bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _short(o) -> str:
    return repr(o)[:400]
