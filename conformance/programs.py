"""Random autograd programs, as Python source, run on torch and on the reference.

A program is a list of source lines over a few leaves ``x0..x2`` (float64,
shape 2x3) and values ``v0, v1, ...``.  Lines: ops from the registry's
families (elementwise, reductions, views, gather, einsum, matmul, clamp),
tensor reuse, views of leaves and intermediates (slices, select, None,
transpose, unsqueeze, view, pieces of split/chunk/unbind -- which torch forbids to write in place
under autograd -- and of tensor_split/narrow, ``detach()``, ``.data``), ``torch.no_grad()``
blocks, grad-mode decorators and regions, in-place writes (methods, operators
and item assignment; into intermediates, into views of them -- torch's
CopySlices -- and into leaves and their views, which torch refuses),
``retain_grad``, tensor hooks, ``backward`` with and without
``retain_graph`` (repeated), and ``torch.autograd.grad`` with and without
``allow_unused``.  Each line runs under both namespaces; after it, every
value's shape, flags, node name, version, data and retained ``.grad``, every
leaf's ``.grad``, and any exception class are observed.  Hypothesis shrinks a failing program to a
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
    ("torch.einsum('ij,kj,kl->il', {0}, {1}, {2})", 3, False),
    ("torch.einsum('ij,ij->ji', {0}, {1}).t()", 2, False),
    ("({0} @ {1}.t()) @ {2}", 3, False),
    ("{0}[:, 1:].sum(1, keepdim=True) * {1}", 2, False),
    ("torch.cat([{0}, {1}], 1)[:, 2:5]", 2, False),
    ("torch.stack([{0}, {1}], 2).sum(2)", 2, False),
    ("torch.vstack([{0}, {1}])[1:3]", 2, False),
    ("torch.where({0} > 0, {0}, {1})", 2, False),
    ("{0}.masked_fill({1} > 0.5, 0.25)", 2, False),
    ("torch.take({0}, IDX) * {1}", 2, False),
    ("torch.scatter_add({0}, 1, IDX, {1})", 2, False),
    ("{0}.index_add(1, IDX[0], {1}, alpha=0.5)", 2, False),
]

PRELUDE = [
    "IDX = torch.tensor([[0, 0, 2], [1, 1, 0]])",
]


#: the program features a complete run must have generated (``--check-coverage``)
REQUIRED_EVENTS: tuple[str, ...] = (
    "program: tensor reused",
    "program: detach",
    "program: no_grad block",
    "program: view made in no_grad mode",
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
    "program: retain_grad",
    "program: view of a leaf",
    "program: view of an intermediate",
    "program: .data",
    "program: in-place into a view",
    "program: in-place into a view of a leaf",
    "program: in-place into a piece of split/chunk/unbind",
    "program: in-place into a leaf",
    "program: in-place while other views of the same memory exist",
    "program: in-place operator",
    "program: item assignment",
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


#: views of a (2, 3) value: (template, result shape); each shares its operand's memory
VIEWS = (
    ("{0}[:, 1:]", (2, 2)),
    ("{0}[1]", (3,)),
    ("{0}[0, ::2]", (2,)),
    ("{0}[..., 1]", (2,)),
    ("{0}[None]", (1, 2, 3)),
    ("{0}.t()", (3, 2)),
    ("{0}.transpose(0, 1)", (3, 2)),
    ("{0}.unsqueeze(1)", (2, 1, 3)),
    ("{0}.view(3, 2)", (3, 2)),
    ("{0}.view(6)", (6,)),
    # pieces of one op that returns several views (written in place under autograd: refused) ...
    ("{0}.split(2, 1)[0]", (2, 2)),
    ("torch.split({0}, [1, 2], 1)[1]", (2, 2)),
    ("{0}.chunk(2, 1)[1]", (2, 1)),
    ("{0}.unbind(0)[1]", (3,)),
    # ... and pieces cut by one slice each (allowed)
    ("torch.tensor_split({0}, 2, 1)[0]", (2, 2)),
    ("{0}.narrow(1, 1, 2)", (2, 2)),
    ("{0}.select(1, -1)", (2,)),
    ("{0}.detach()", (2, 3)),
    ("{0}.data", (2, 3)),
)

#: the pieces of ops that return several views at once
MULTI_VIEWS = tuple(v for v in VIEWS if any(f in v[0] for f in (".split(", "torch.split(", ".chunk(", ".unbind(")))

#: ops that take a value of any shape
ANY_SHAPE_OPS = ("{0} * 2.0", "({0} * 0.5).exp()", "{0}.sigmoid()", "{0}.clamp(-0.5, 0.5)", "{0}.sum() * 1.0")

#: in-place writes: (template, whether it needs a second operand of the same shape)
INPLACE = (
    ("{0}.add_({1})", True),
    ("{0}.mul_({1})", True),
    ("{0} += {1}", True),
    ("{0} *= 2.0", False),
    ("{0}.mul_(2.0)", False),
    ("{0}.clamp_(-1.0, 1.0)", False),
    ("{0}.exp_()", False),
    ("{0}[0] = 0.5", False),
    ("{0}[..., -1] = {0}[..., 0] * 3.0", False),
    ("{0}.zero_()", False),
    ("{0}.masked_fill_({0} > 0, 0.5)", False),
    ("{0}.scatter_(0, torch.zeros_like({0}, dtype=torch.int64), 0.5)", False),
)


@dataclass
class _Value:
    shape: tuple | None
    root: str  # the value whose memory it is (itself, or what it views)
    leaf: bool = False
    several: bool = False  # a piece of split/chunk/unbind: one op returned it among several views


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
    table: dict[str, _Value] = {leaf: _Value((2, 3), leaf, leaf=True) for leaf in LEAVES}
    n = draw(st.integers(1, max_lines))
    counter = 0

    def full() -> list[str]:
        return [v for v, info in table.items() if info.shape == (2, 3)]

    def bind(name: str, line: str, value: _Value) -> None:
        table[name] = value
        prog.lines.append(line)
        prog.new_names.append([name])

    for _ in range(n):
        kind = draw(
            st.sampled_from(
                ["op", "op", "op", "view", "view", "no_grad", "inplace", "inplace", "leaf_update"]
                + ["backward", "grad", "mode", "mode", "hook", "retain_grad"]
            )
        )
        name = f"v{counter}"
        if kind == "mode":
            counter += 1
            line, is_view, src = _grad_mode_line(draw, name, full(), counter)
            bind(name, line, _Value((2, 3), table[src].root if is_view else name))
            continue
        if kind == "hook":
            # not on views: a hook on a view whose base a later line modifies in place crashes torch 2.13
            # (known_differences), and a line generated later may do exactly that
            src = draw(st.sampled_from([v for v, info in table.items() if info.root == v]))
            prog.lines.append(f"{src}.register_hook({draw(st.sampled_from(HOOKS))})")
            prog.new_names.append([])
            record("program: tensor hook")
            continue
        if kind == "retain_grad":
            src = draw(st.sampled_from(list(table)))
            prog.lines.append(f"{src}.retain_grad()")
            prog.new_names.append([])
            record("program: retain_grad")
            continue
        if kind == "view":
            counter += 1
            computed = [v for v in full() if not table[table[v].root].leaf]
            src = draw(st.sampled_from(computed if computed and draw(st.integers(0, 3)) else full()))
            tmpl, shape = draw(st.sampled_from(VIEWS))
            several = (tmpl, shape) in MULTI_VIEWS
            bind(name, f"{name} = {tmpl.format(src)}", _Value(shape, table[src].root, several=several))
            record("program: view of a leaf" if table[src].leaf else "program: view of an intermediate")
            if ".detach()" in tmpl or ".data" in tmpl:
                record("program: detach" if ".detach()" in tmpl else "program: .data")
            continue
        if kind in ("op", "no_grad"):
            counter += 1
            odd = [v for v, info in table.items() if info.shape != (2, 3)]
            if odd and draw(st.integers(0, 3)) == 0:
                src = draw(st.sampled_from(odd))
                # its shape is not tracked (None): later lines use it only in reads and backward passes
                bind(name, f"{name} = {draw(st.sampled_from(ANY_SHAPE_OPS)).format(src)}", _Value(None, name))
                continue
            tmpl, arity, is_view = draw(st.sampled_from(OPS))
            srcs = [draw(st.sampled_from(full())) for _ in range(arity)]
            if len(set(srcs)) < len(srcs):
                record("program: tensor reused")
            line = f"{name} = {tmpl.format(*srcs)}"
            if kind == "no_grad":
                line = f"with torch.no_grad(): {line}"
                record("program: no_grad block")
                if is_view:  # requires grad through its base, yet a gradient for it is dropped
                    record("program: view made in no_grad mode")
            bind(name, line, _Value((2, 3), table[srcs[0]].root if is_view else name))
            continue
        if kind == "inplace":
            computed_views = [v for v, info in table.items() if info.root != v and not table[info.root].leaf]
            if not computed_views and draw(st.booleans()):  # make an intermediate and a view of it to write into
                base, view = f"v{counter}", f"v{counter + 1}"
                counter += 2
                bind(base, f"{base} = {draw(st.sampled_from(full()))} * 1.0", _Value((2, 3), base))
                # not detach/.data (those are not views); a piece of a multi-view op a third of the time
                tmpl, shape = draw(st.sampled_from(MULTI_VIEWS if draw(st.integers(0, 2)) == 0 else VIEWS[:-2]))
                bind(view, f"{view} = {tmpl.format(base)}", _Value(shape, base, several=(tmpl, shape) in MULTI_VIEWS))
                record("program: view of an intermediate")
            _inplace_line(draw, prog, table, full())
            continue
        if kind == "leaf_update":
            leaf = draw(st.sampled_from(LEAVES))
            prog.lines.append(f"with torch.no_grad(): {leaf}.mul_(0.5)")
            prog.new_names.append([])
            record("program: in-place on a leaf in no_grad")
            continue
        if kind == "backward":
            done = [ln.split(".sum()")[0] for ln in prog.lines if ".sum().backward(" in ln]
            src = draw(st.sampled_from(done)) if done and draw(st.booleans()) else draw(st.sampled_from(list(table)))
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
            continue
        src = draw(st.sampled_from(list(table)))
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


def _inplace_line(draw, prog: Program, table: dict, full: list[str]) -> None:
    """An in-place write into any value: an intermediate, a view of one (torch's CopySlices), or a leaf or a
    view of a leaf (torch refuses those: the error is observed).  A second operand never shares memory
    with the target unless it is the target itself (the overlap torch leaves undefined is not generated)."""
    tracked = [v for v, info in table.items() if info.shape is not None]
    computed = [v for v in tracked if not table[table[v].root].leaf]  # memory of an intermediate
    views = [v for v in computed if table[v].root != v]
    leafish = [v for v in tracked if table[table[v].root].leaf]  # leaves and views of them: torch refuses
    leaf_views = [v for v in leafish if table[v].root != v]
    pick = draw(st.integers(0, 4))
    if pick == 4 and leaf_views:
        targets = leaf_views
    else:
        targets = views if views and pick < 2 else computed if computed and pick < 3 else tracked
    dst = draw(st.sampled_from(targets))
    tmpl, binary = draw(st.sampled_from(INPLACE))
    if binary:
        same = [v for v in full if table[dst].shape == (2, 3) and (v == dst or table[v].root != table[dst].root)]
        if not same:
            tmpl, binary = "{0}.mul_(2.0)", False
    if not table[dst].shape and "[" in tmpl:
        tmpl = "{0}.mul_(2.0)"
    src = draw(st.sampled_from(same)) if binary else None
    prog.lines.append(tmpl.format(dst, src))
    prog.new_names.append([])
    info = table[dst]
    if info.several:
        record("program: in-place into a piece of split/chunk/unbind")
    if info.root != dst:
        record("program: in-place into a view" + (" of a leaf" if table[info.root].leaf else ""))
    else:
        record("program: in-place into a leaf" if info.leaf else "program: in-place")
    if any(v != dst and other.root == info.root for v, other in table.items()):
        record("program: in-place while other views of the same memory exist")
    if "=" in tmpl and "[" not in tmpl:
        record("program: in-place operator")
    if "[" in tmpl:
        record("program: item assignment")


def _grad_mode_line(draw, name: str, values: list[str], k: int) -> tuple[str, bool, str]:
    """``name`` computed in a grad-mode region: a decorated function or generator, an inference_mode
    block, or a set_grad_enabled switch (called, then switched back).  Returns the source, whether
    the result may view its first operand, and that operand."""
    tmpl, arity, is_view = draw(st.sampled_from(OPS))
    srcs = [draw(st.sampled_from(values)) for _ in range(arity)]
    body = tmpl.format("a", *srcs[1:])
    # decorated twice as often: six decorators share it, and each must be reached in a CI run
    form = draw(st.sampled_from(["decorated", "decorated", "generator", "inference block", "switch"]))
    if form == "inference block":
        record("program: inference_mode block")
        return f"with torch.inference_mode(): {name} = {tmpl.format(*srcs)}", is_view, srcs[0]
    if form == "switch":
        record("program: set_grad_enabled switch")
        return (
            f"torch.set_grad_enabled(False)\n{name} = {tmpl.format(*srcs)}\ntorch.set_grad_enabled(True)",
            is_view,
            srcs[0],
        )
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
            f"gen{k} = f{k}({srcs[0]})\nfirst{k} = next(gen{k})\noutside{k} = first{k} * 2\n{name} = next(gen{k}) + outside{k}",
            False,
            srcs[0],
        )
    return f"{deco}\ndef f{k}(a):\n    return {body}\n{name} = {call}", is_view, srcs[0]


def observe(value, version: bool = True):
    """What a program line can see of a value: shape, flags, grad_fn name, version, data, and the
    ``.grad`` a retain_grad() keeps.  Reading ``grad_fn`` may itself raise (a stale view made in
    no_grad mode): that is observed too.  Gradients the engine made are observed without their
    version (how many in-place steps accumulating them took is torch's implementation detail)."""
    if isinstance(value, tuple | list):
        return tuple(observe(v, version) for v in value)
    if value is None:
        return None
    grad_fn = _attempt(lambda: value.grad_fn.name() if value.grad_fn is not None else None)
    data = value.detach().numpy().astype(np.float64)
    version = None if value.is_inference() or not version else value._version
    kept = _attempt(
        lambda: (
            value.grad.detach().numpy().astype(np.float64) if value.retains_grad and value.grad is not None else None
        )
    )
    suffix = repr(value)[-40:]  # the printed suffix (grad_fn=<Invalid> included)
    flags = (value.requires_grad, _attempt(lambda: value.is_leaf), value.is_inference(), suffix)
    return (tuple(value.shape), *flags, grad_fn, version, data, kept)


def _attempt(read):
    """A read that may raise (reading a stale no_grad view's history does): the exception class is the observation."""
    try:
        return read()
    except RuntimeError:
        return "<raises RuntimeError>"


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
        seen: list[str] = []  # every value bound so far, observed again after each line
        for i, (line, names) in enumerate(zip(prog.lines, prog.new_names, strict=True)):
            try:
                exec(line, env)
            except Exception as e:  # noqa: BLE001 - exceptions are observations
                cls = next(c for c in type(e).__mro__ if c.__module__ == "builtins")
                obs.append((i, "raises", cls.__name__))
                return obs
            seen += [n for n in names if n not in seen]
            # an in-place write changes other values too (views of the same memory, their histories)
            obs.append((i, "values", tuple((n, observe(env[n], not n.startswith("g"))) for n in seen)))
            obs.append((i, "leaf grads", tuple(observe(env[leaf].grad, version=False) for leaf in LEAVES)))
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
