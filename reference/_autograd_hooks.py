"""How ops attach themselves to the autograd graph (HIPS-style: each op passes its VJP).

An op computes its output with NumPy, then calls :func:`record` with the
inputs it read and a ``vjp`` closure mapping the output cotangent to one
cotangent per input.  Nothing is recorded when grad mode is off or no input
requires grad, so the forward pass costs one check in the common case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._tensor import Tensor
from .autograd.graph import Node, is_grad_enabled


def record(outputs, inputs: Sequence, name: str, vjp: Callable, saved: Sequence = ()):
    """Make ``outputs`` (a Tensor or tuple of Tensors) results of a differentiable op."""
    if not is_grad_enabled():  # backward passes (and no_grad blocks) record nothing
        return outputs
    needs = [
        isinstance(t, Tensor) and (t._requires_grad or (t._base is not None and t._base._requires_grad)) for t in inputs
    ]
    if True not in needs:  # the common case costs one pass over the inputs
        return outputs
    outs = outputs if isinstance(outputs, tuple) else (outputs,)
    node = Node(name, vjp, inputs, needs, saved, outs)
    for i, o in enumerate(outs):
        if o is not None and o._data.dtype.kind in "fc":  # only floating and complex results require grad
            o._requires_grad = True
            o.grad_fn = node
            o._output_nr = i
            node.bind_output(i, o)
    return outputs


def record_unary(out, inp, name: str, vjp: Callable, saved: Sequence = ()):
    """:func:`record` for a one-input, one-output op; ``vjp(g)`` returns one cotangent."""
    if not (inp._requires_grad or (inp._base is not None and inp._base._requires_grad)):
        return out
    return record(out, (inp,), name, lambda g: (vjp(g),), saved)


def record_not_implemented(out: Tensor, inputs: Sequence, aten_name: str) -> Tensor:
    """torch records a node whose backward raises (``torch::autograd::NotImplemented``): the output
    requires grad, and its derivative is missing ("derivative for aten::<name> is not implemented")."""

    def vjp(*_):
        raise RuntimeError(f"derivative for aten::{aten_name} is not implemented")

    return record(out, inputs, "NotImplemented", vjp)
