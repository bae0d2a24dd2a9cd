"""``torch.nn`` modules: Module, Parameter, Flatten, Linear and Dropout."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterator

from .. import _creation as C
from .._shape import flatten
from .._tensor import Tensor
from . import functional as F

__all__ = ["Module", "Parameter", "Flatten", "Linear", "Dropout"]


class Parameter(Tensor):
    """A tensor that a Module registers as a trainable parameter (requires grad by default)."""

    __slots__ = ()

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True):
        """Shares ``data``'s memory; a parameter of an integer or bool dtype must be made with
        ``requires_grad=False`` (torch raises RuntimeError otherwise)."""
        data = C.empty(0) if data is None else data
        if requires_grad and not (data.dtype.is_floating_point or data.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        self._init(data._data, None)
        self._requires_grad = bool(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__  # print(param) shows the prefix too


def _typename(value) -> str:
    """``torch.typename``: the legacy tensor type name for tensors, the qualified class name otherwise."""
    if isinstance(value, Tensor):
        return value.type()
    cls = type(value)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


class Module:
    """Base class: attributes that are Modules or Parameters are registered automatically."""

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name: str, value) -> None:
        """torch's attribute rules: a Parameter registers as a parameter and a Module as a child
        (each leaving the other registry); a name registered as a parameter (child) then accepts
        only a Parameter (Module) or None (TypeError otherwise), and None stays registered, as an
        entry that ``parameters()`` (``children()``) skips."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign attributes before Module.__init__() call")
        params, modules = self._parameters, self._modules
        for registry, other, kind, what, expected in (
            (params, modules, Parameter, "parameter", "torch.nn.Parameter"),
            (modules, params, Module, "child module", "torch.nn.Module"),
        ):
            if isinstance(value, kind):
                other.pop(name, None)
                registry[name] = value
                break
            if name in registry:
                if value is not None:
                    raise TypeError(
                        f"cannot assign '{_typename(value)}' as {what} '{name}' ({expected} or None expected)"
                    )
                registry[name] = None
                break
        object.__setattr__(self, name, value)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def add_module(self, name: str, module: Module | None) -> None:
        self._modules[name] = module
        object.__setattr__(self, name, module)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        for name, p in self._parameters.items():
            if p is not None:
                yield prefix + name, p
        for mname, m in self._modules.items():
            if m is not None:
                yield from m.named_parameters(prefix + mname + ".")

    def parameters(self) -> Iterator[Parameter]:
        for _, p in self.named_parameters():
            yield p

    def children(self) -> Iterator[Module]:
        yield from (m for m in self._modules.values() if m is not None)

    def named_children(self):
        yield from ((n, m) for n, m in self._modules.items() if m is not None)

    def modules(self) -> Iterator[Module]:
        yield self
        for m in self.children():
            yield from m.modules()

    def train(self, mode: bool = True) -> Module:
        object.__setattr__(self, "training", mode)
        for m in self.children():
            m.train(mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.parameters():
            p.grad = None

    def to(self, *args, **kwargs) -> Module:
        for p in self.parameters():
            new = p.to(*args, **kwargs)
            p._data = new._data
        return self

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"({name}): " + repr(m).replace("\n", "\n  ") for name, m in self._modules.items()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"


class Flatten(Module):
    """Flattens dims ``start_dim..end_dim`` (default: all but the batch dim 0) with :func:`torch.flatten`.

    A 0-d or 1-d input has no dim 1, so the default ``start_dim=1`` raises IndexError.
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Linear(Module):
    """``y = x @ weight.T + bias`` with ``weight (out_features, in_features)`` and ``bias (out_features,)``.

    torch's default initialisation (``reset_parameters``): ``kaiming_uniform_(weight, a=sqrt(5))``, a
    uniform on about ``[-1/sqrt(in_features), 1/sqrt(in_features)]``, then the bias uniform on
    ``[-1/sqrt(fan_in), 1/sqrt(fan_in)]`` (``[0, 0]`` when ``in_features`` is 0), both drawn from the
    default generator: after ``manual_seed`` the parameters are torch's bit for bit.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(C.empty((out_features, in_features), dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(C.empty(out_features, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and bias again, as torch's ``Linear.reset_parameters``."""
        from . import init

        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Dropout(Module):
    """:func:`functional.dropout` with the module's ``p`` while ``training`` (``train()``/``eval()``):
    in evaluation mode the input itself comes back.  ``p`` outside [0, 1] is ValueError at construction."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
