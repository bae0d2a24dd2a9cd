"""Layers: Flatten, Linear, Dropout and the activations, each a Module over its ``nn.functional`` form."""

from __future__ import annotations

import math

from .. import _creation as C
from .._shape import flatten
from .._tensor import Tensor
from . import functional as F
from .modules import Module, Parameter

__all__ = ["Unflatten", "Flatten", "Linear", "Dropout", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax"]


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


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size`` (a tuple or list of ints, one of them -1 to infer):
    a view (ViewBackward0).  torch's errors: a size that is no tuple or list, or holds a non-int
    (TypeError, at construction); sizes whose product is not the dim's size (RuntimeError)."""

    def __init__(self, dim, unflattened_size) -> None:
        super().__init__()
        if isinstance(dim, str):
            raise NotImplementedError("nn.Unflatten with a named dim: named tensors are not modelled")
        if not isinstance(unflattened_size, tuple | list):
            raise TypeError(
                f"unflattened_size must be a tuple of ints, but found type {type(unflattened_size).__name__}"
            )
        for i, n in enumerate(unflattened_size):
            if not isinstance(n, int):
                raise TypeError(
                    f"unflattened_size must be tuple of ints, but found element of type {type(n).__name__} at pos {i}"
                )
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        from .._dims import wrap_dim

        d = wrap_dim(self.dim, input.ndim)
        sizes = list(self.unflattened_size)
        known = 1
        for n in sizes:
            known *= n if n != -1 else 1
        if -1 in sizes and known and input.shape[d] % known == 0:
            sizes[sizes.index(-1)] = input.shape[d] // known
        product = 1
        for n in sizes:
            product *= n
        if product != input.shape[d]:
            raise RuntimeError(
                f"unflatten: Provided sizes {list(self.unflattened_size)} don't multiply up to the size of dim {self.dim} "
                f"({input.shape[d]}) in the input tensor"
            )
        return input.view(tuple(input.shape[:d]) + tuple(sizes) + tuple(input.shape[d + 1 :]))

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


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


class Bilinear(Module):
    """``y = x1 @ weight @ x2 + bias`` per row, ``weight (out_features, in1_features, in2_features)``.

    torch's default initialisation: the weight and the bias uniform on ``[-1/sqrt(in1_features),
    1/sqrt(in1_features)]`` (weight first), from the default generator."""

    def __init__(
        self, in1_features: int, in2_features: int, out_features: int, bias: bool = True, device=None, dtype=None
    ) -> None:
        super().__init__()
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        self.weight = Parameter(C.empty((out_features, in1_features, in2_features), dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(C.empty(out_features, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        from . import init

        if self.in1_features <= 0:
            raise ValueError(f"in1_features must be > 0, but got (in1_features={self.in1_features})")
        bound = 1 / math.sqrt(self.weight.size(1))
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )


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


class ReLU(Module):
    """:func:`functional.relu` (in place with ``inplace=True``)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """:func:`functional.leaky_relu` with the module's ``negative_slope`` (default 0.01)."""

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Sigmoid(Module):
    """:func:`torch.sigmoid`."""

    def forward(self, input: Tensor) -> Tensor:
        return F.sigmoid(input)


class Tanh(Module):
    """:func:`torch.tanh`."""

    def forward(self, input: Tensor) -> Tensor:
        return F.tanh(input)


class Softmax(Module):
    """:func:`functional.softmax` along the module's ``dim`` (None: torch's implicit legacy choice, warned)."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """:func:`functional.log_softmax` along the module's ``dim``."""

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim, _stacklevel=5)


# where torch defines each class (``torch.typename`` and error messages name it so)
Flatten._torch_module = "torch.nn.modules.flatten"
Unflatten._torch_module = "torch.nn.modules.flatten"
Linear._torch_module = "torch.nn.modules.linear"
Bilinear._torch_module = "torch.nn.modules.linear"
Dropout._torch_module = "torch.nn.modules.dropout"
ReLU._torch_module = "torch.nn.modules.activation"
LeakyReLU._torch_module = "torch.nn.modules.activation"
Sigmoid._torch_module = "torch.nn.modules.activation"
Tanh._torch_module = "torch.nn.modules.activation"
Softmax._torch_module = "torch.nn.modules.activation"
LogSoftmax._torch_module = "torch.nn.modules.activation"
