"""How ops attach themselves to the autograd graph (HIPS-style: each op passes its VJP).

An op computes its output with NumPy, then calls :func:`record` with the
inputs it read and a ``vjp`` closure mapping the output cotangent to one
cotangent per input.  Nothing is recorded when grad mode is off or no input
requires grad, so the forward pass costs one check in the common case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .autograd.graph import Node, is_grad_enabled


def record(outputs, inputs: Sequence, name: str, vjp: Callable, saved: Sequence = ()):
    """Make ``outputs`` (a Tensor or tuple of Tensors) results of a differentiable op."""
    from ._tensor import Tensor

    if not is_grad_enabled():
        return outputs
    needs = tuple(isinstance(t, Tensor) and t.requires_grad for t in inputs)
    if not any(needs):
        return outputs
    outs = outputs if isinstance(outputs, tuple) else (outputs,)
    node = Node(name, vjp, inputs, needs, saved, outs)
    for i, o in enumerate(outs):
        if o is not None and (o.dtype.is_floating_point or o.dtype.is_complex):
            o._requires_grad = True
            o.grad_fn = node
            o._output_nr = i
            node.bind_output(i, o)
    return outputs


def record_unary(out, inp, name: str, vjp: Callable, saved: Sequence = ()):
    """:func:`record` for a one-input, one-output op; ``vjp(g)`` returns one cotangent."""
    return record(out, (inp,), name, lambda g: (vjp(g),), saved)
