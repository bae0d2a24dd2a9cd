"""Programs that build and change ``nn`` modules: the semantics of ``nn.Module`` and the containers.

A program is a list of Python lines, runnable as it is after ``import torch`` (or ``import reference as
torch``), ``import copy`` and ``from collections import OrderedDict``.  It seeds the generator, builds a network (a
Sequential of layers, sometimes sharing one layer twice, sometimes held by a bare Module beside a
container), then runs operations on it: traversals (``named_parameters``, ``named_modules``, ...),
``repr``, registration with valid and invalid names and values, attribute assignment and deletion,
modes, freezing, ``zero_grad`` after a backward, ``state_dict`` and ``load_state_dict`` with missing,
unexpected and mis-shaped keys, ``to``, ``apply`` and container indexing and edits.  A line that binds
``out`` is an observation: the test compares ``out`` after it (and every error) with torch's.
"""

from __future__ import annotations

from hypothesis import strategies as st

from ._coverage import record

__all__ = ["module_programs", "MODULE_PROGRAM_EVENTS"]

_LAYERS = (
    "torch.nn.ReLU()",
    "torch.nn.Tanh()",
    "torch.nn.Sigmoid()",
    "torch.nn.LeakyReLU(0.2)",
    "torch.nn.Dropout(0.25)",
    "torch.nn.Softmax(dim=1)",
)

#: names tried with register_parameter/register_buffer/add_module/setattr: valid, dotted, empty, taken
#: by a method or an attribute, not a str
_NAMES = ("'w'", "'extra'", "'a.b'", "''", "'training'", "'forward'", "'0'", "3")

_VALUES = (
    "torch.nn.Parameter(torch.ones(2))",
    "torch.zeros(2)",
    "torch.nn.ReLU()",
    "None",
    "3",
)

_OBSERVATIONS = {
    "repr": "out = repr(net)",
    "named_parameters": "out = [(n, p) for n, p in net.named_parameters()]",
    "parameters not recursing": "out = [n for n, _ in net.named_parameters(recurse=False)]",
    "named_buffers": "out = [(n, b) for n, b in net.named_buffers()]",
    "named_modules": "out = [(n, type(m).__name__) for n, m in net.named_modules()]",
    "named_children": "out = [(n, type(m).__name__) for n, m in net.named_children()]",
    "state_dict": "out = list(net.state_dict().items())",
    "state_dict metadata": "out = dict(net.state_dict()._metadata)",
    "training flags": "out = [m.training for m in net.modules()]",
    "requires_grad flags": "out = [p.requires_grad for p in net.parameters()]",
    "gradients": "out = [p.grad for p in net.parameters()]",
    "dtypes": "out = [p.dtype for p in net.parameters()]",
    "apply order": "out = []; net.apply(lambda m: out.append(type(m).__name__))",
    "dir has children": "out = sorted(n for n in dir(net) if n in ('w', 'extra', 'body', 'head'))",
}


#: the kinds of operation a program runs (each a required coverage event)
OPERATIONS = (
    "observe",
    "register",
    "setattr",
    "delattr",
    "mode",
    "freeze",
    "backward",
    "zero_grad",
    "load_state_dict",
    "to",
    "index",
    "edit container",
    "submodule",
    "copy",
    "combine",
)


@st.composite
def _network(draw) -> list[str]:
    """A forward-valid Sequential ``net`` taking (4, 3) inputs; sometimes one Linear registered twice
    (shared: traversals list it once, state_dict twice), sometimes from an OrderedDict, sometimes
    wrapped by a bare Module with a container beside it."""
    lines = [f"torch.manual_seed({draw(st.integers(0, 2**32 - 1))})"]
    width = 3
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            out = draw(st.integers(1, 4))
            bias = draw(st.sampled_from(("", ", bias=False")))
            layers.append(f"torch.nn.Linear({width}, {out}{bias})")
            width = out
        else:
            layers.append(draw(st.sampled_from(_LAYERS)))
    shared = draw(st.integers(0, 3)) == 0
    if shared:
        record("module program: a layer shared by two names")
        lines.append(f"shared = torch.nn.Linear({width}, {width})")
        layers += ["shared", "torch.nn.ReLU()", "shared"]
    if draw(st.booleans()):
        record("module program: Sequential from an OrderedDict")
        items = ", ".join(f"('l{i}', {layer})" for i, layer in enumerate(layers))
        lines.append(f"net = torch.nn.Sequential(OrderedDict([{items}]))")
    else:
        lines.append(f"net = torch.nn.Sequential({', '.join(layers)})")
    if draw(st.integers(0, 2)) == 0:
        record("module program: a bare Module holding a network and a container")
        container = draw(
            st.sampled_from(
                (
                    "torch.nn.ModuleList([torch.nn.Linear(2, 2) for _ in range(3)] + [torch.nn.ReLU()])",
                    "torch.nn.ModuleDict({'b': torch.nn.Tanh(), 'a': torch.nn.Linear(2, 1)})",
                    "torch.nn.ParameterList([torch.ones(2), torch.nn.Parameter(torch.zeros(3)), 4])",
                    "torch.nn.ParameterDict({'b': torch.ones(2), 'a': torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))})",
                    "torch.nn.BatchNorm1d(3)",
                    "torch.nn.LayerNorm((2, 3), bias=False)",
                )
            )
        )
        lines += ["holder = torch.nn.Module()", "holder.body = net", f"holder.head = {container}", "net = holder"]
    return lines


@st.composite
def _operation(draw) -> list[str]:
    kind = draw(st.sampled_from(OPERATIONS))
    record(f"module program: {kind}")
    if kind == "copy":
        line = draw(
            st.sampled_from(
                (
                    "net = copy.deepcopy(net)",
                    "out = copy.deepcopy(next(net.parameters()))",
                    "p = next(net.parameters()); p.grad = torch.ones_like(p); out = copy.deepcopy(p).grad",
                    "p = next(net.parameters()); p.flag = 'frozen'; out = p.flag",
                    "out = copy.deepcopy(next(net.parameters()) * 2)",
                    "out = list(net.state_dict(None, 'pp.'))",
                    "out = net.get_parameter(next(n for n, _ in net.named_parameters()))",
                    "out = net.get_parameter('nothing')",
                    "net.register_buffer('rb', torch.ones(2)); out = net.get_buffer('rb')",
                )
            )
        )
        return [line, _OBSERVATIONS["named_parameters"]]
    if kind == "combine":
        line = draw(
            st.sampled_from(
                (
                    "out = net + net",
                    "out = net * 2",
                    "out = net + 3",
                    "out = net * 0",
                    "net += torch.nn.Sequential(torch.nn.ReLU())",
                    "out = torch.nn.Tanh(inplace=True)",
                    "out = torch.nn.Sigmoid(1)",
                    "pd = torch.nn.ParameterDict({'b': torch.ones(2)}); pd.setdefault('a', torch.zeros(1)); out = list(reversed(pd))",
                    "pd = torch.nn.ParameterDict({'b': torch.ones(2), 'a': torch.zeros(1)}); out = pd.popitem()",
                    "pd = torch.nn.ParameterDict({'b': torch.ones(2)}); out = repr(pd.copy())",
                    "out = torch.nn.Sequential().insert(0, 3)",
                )
            )
        )
        return [line]
    if kind == "observe":
        what = draw(st.sampled_from(sorted(_OBSERVATIONS)))
        record(f"module program: observe {what}")
        return [_OBSERVATIONS[what]]
    if kind == "register":
        how = draw(
            st.sampled_from(("register_parameter", "register_buffer", "add_module", "register_buffer persistent=False"))
        )
        name = draw(st.sampled_from(_NAMES))
        value = draw(st.sampled_from(_VALUES))
        extra = ", persistent=False" if how.endswith("False") else ""
        return [f"net.{how.split()[0]}({name}, {value}{extra})", _OBSERVATIONS["state_dict"]]
    if kind == "setattr":
        name = draw(st.sampled_from(("w", "extra", "training", "body", "head", "0")))
        value = draw(st.sampled_from(_VALUES))
        line = f"setattr(net, '{name}', {value})"
        return [line, _OBSERVATIONS["named_parameters"], _OBSERVATIONS["named_children"]]
    if kind == "delattr":
        name = draw(st.sampled_from(("w", "extra", "body", "0", "missing")))
        return [f"delattr(net, '{name}')", _OBSERVATIONS["named_modules"]]
    if kind == "mode":
        call = draw(
            st.sampled_from(("net.train()", "net.eval()", "net.train(False)", "net.train(0)", "net.eval().train()"))
        )
        return [call, _OBSERVATIONS["training flags"]]
    if kind == "freeze":
        call = draw(
            st.sampled_from(
                (
                    "net.requires_grad_(False)",
                    "next(net.children()).requires_grad_(False)",
                    "list(net.parameters())[0].requires_grad_(False)",
                    "net.requires_grad_()",
                )
            )
        )
        return [call, _OBSERVATIONS["requires_grad flags"]]
    if kind == "backward":
        return ["net(torch.randn(4, 3)).sum().backward()", _OBSERVATIONS["gradients"]]
    if kind == "zero_grad":
        call = draw(st.sampled_from(("net.zero_grad()", "net.zero_grad(set_to_none=False)")))
        return ["net(torch.randn(4, 3)).sum().backward()", call, _OBSERVATIONS["gradients"]]
    if kind == "load_state_dict":
        change = draw(
            st.sampled_from(
                (
                    "sd = {k: v * 2 for k, v in net.state_dict().items()}",
                    "sd = net.state_dict(); sd.popitem()",
                    "sd = net.state_dict(); sd['unexpected'] = torch.ones(1)",
                    "sd = net.state_dict(); sd['zz.w'] = torch.ones(1)",
                    "sd = {k: torch.zeros(tuple(v.shape) + (1,)) for k, v in net.state_dict().items()}",
                    "sd = {k: v.double() for k, v in net.state_dict().items()}",
                    "sd = {k: 1.5 for k in net.state_dict()}",
                    "sd = [1, 2]",
                )
            )
        )
        record(f"module program: load_state_dict after `{change}`")
        strict = draw(st.sampled_from(("", ", strict=False", ", strict=True")))
        return [change, f"out = net.load_state_dict(sd{strict})", _OBSERVATIONS["state_dict"]]
    if kind == "to":
        call = draw(
            st.sampled_from(
                (
                    "net.to(torch.float64)",
                    "net.double()",
                    "net.half().float()",
                    "net.to(dtype=torch.float16)",
                    "net.to(torch.int32)",
                    "net.to(torch.float64, copy=True)",
                    "net.to(torch.zeros(1, dtype=torch.float64))",
                    "net.cpu()",
                )
            )
        )
        return [call, _OBSERVATIONS["dtypes"], _OBSERVATIONS["state_dict"]]
    if kind == "index":
        idx = draw(st.sampled_from(("0", "-1", "1", "10", "-10", "1:", "::-1", "'0'")))
        return [f"out = net[{idx}]", "out = len(net)"]
    if kind == "edit container":
        edit = draw(
            st.sampled_from(
                (
                    "net.append(torch.nn.Tanh())",
                    "net.insert(1, torch.nn.Sigmoid())",
                    "net.insert(-1, torch.nn.Sigmoid())",
                    "del net[0]",
                    "del net[1:]",
                    "net[0] = torch.nn.ReLU()",
                    "out = net.pop(0)",
                    "net.extend([torch.nn.ReLU(), torch.nn.Tanh()])",
                    "net.head.append(torch.nn.ReLU())",
                    "net.head['c'] = torch.nn.ReLU()",
                    "net.head.extend(5)",
                    "out = net.head[1]",
                    "out = net.head[1:]",
                    "out = list(net.head.keys())",
                    "out = net.head(torch.ones(2))",
                )
            )
        )
        return [edit, _OBSERVATIONS["repr"], _OBSERVATIONS["named_parameters"]]
    path = draw(st.sampled_from(("''", "'0'", "'body.0'", "'head'", "'nothing'", "'0.weight'")))
    return [f"out = net.get_submodule({path})"]


@st.composite
def module_programs(draw, max_operations: int = 6) -> list[str]:
    """A network and up to ``max_operations`` operations on it (see the module docstring)."""
    lines = draw(_network())
    for _ in range(draw(st.integers(1, max_operations))):
        lines += draw(_operation())
    for what in sorted(_OBSERVATIONS):  # where the operations left the module, seen every way
        record(f"module program: observe {what}")
        lines.append(_OBSERVATIONS[what])
    return lines


MODULE_PROGRAM_EVENTS: tuple[str, ...] = (
    "module program: a layer shared by two names",
    "module program: Sequential from an OrderedDict",
    "module program: a bare Module holding a network and a container",
    *(f"module program: {k}" for k in OPERATIONS),
    *(f"module program: observe {k}" for k in sorted(_OBSERVATIONS)),
)
