"""The autograd graph: nodes, grad mode, and the leaf-accumulation node."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

_state = threading.local()


def is_grad_enabled() -> bool:
    """torch.is_grad_enabled: whether ops record the graph (True by default)."""
    return getattr(_state, "enabled", True)


def _set_grad_enabled(mode: bool) -> None:
    _state.enabled = bool(mode)


def is_inference_mode_enabled() -> bool:
    """torch.is_inference_mode_enabled: inside ``inference_mode()`` (False by default)."""
    return getattr(_state, "inference", False)


def _set_inference_mode(mode: bool) -> None:
    _state.inference = bool(mode)


class AccumulateGrad:
    """The node that adds an incoming gradient into a leaf's ``.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"  # torch reports the C++ name for this node

    @property
    def next_functions(self) -> tuple:
        return ()

    def __repr__(self) -> str:
        return "<AccumulateGrad object>"


_RELEASED = ("<saved tensors freed>",)  # non-empty: the node had saved tensors, and they are gone


#: nodes torch defines in C++'s ``torch::autograd`` namespace: ``name()`` gives the qualified name
_QUALIFIED = frozenset({"CopySlices", "CopyBackwards", "Error", "DelayedError", "GraphRoot", "NotImplemented"})
_NODE_CLASSES: dict[str, type] = {}


class Node:
    """One recorded op: its name as torch prints it, its VJP and its inputs' edges.

    Each name gets its own subclass, so ``type(t.grad_fn).__name__`` is ``"MulBackward0"`` as in
    torch."""

    __slots__ = (
        "_name",
        "vjp",
        "edges",
        "needs",
        "input_meta",
        "saved",
        "saved_versions",
        "saved_producers",
        "out_meta",
        "freed",
        "retained",
        "tensor_hooks",
        "__weakref__",
    )

    def __new__(cls, name: str, *args, **kwargs):
        sub = _NODE_CLASSES.get(name)
        if sub is None:
            sub = _NODE_CLASSES[name] = type(name, (Node,), {"__slots__": ()})
        return object.__new__(sub)

    def __init__(self, name: str, vjp: Callable, inputs: Sequence, needs: Sequence[bool], saved, outputs) -> None:
        self._name = name
        self.vjp = vjp
        self.needs = tuple(needs)
        # fixed now, as in torch: an input later modified in place keeps pointing at its old history;
        # the engine casts each input's gradient to that input's dtype and checks its shape (input_meta)
        edges, meta = [], []
        for t, need in zip(inputs, needs, strict=True):
            edge = edge_of(t) if need else None
            if edge is not None:
                edges.append((edge, t._output_nr if t.grad_fn is not None else 0))
                meta.append((t._data.shape, t._data.dtype))
            else:  # no gradient for it, or one torch drops (a no_grad view: see edge_of)
                edges.append(None)
                meta.append(None)
        self.edges = tuple(edges)
        self.input_meta = tuple(meta)
        self.retained: dict = {}  # output index -> weakref of a non-leaf that called retain_grad()
        self.tensor_hooks: dict = {}  # output index -> {handle id: hook} from register_hook()
        if all(e is None for e in edges):
            saved = ()  # torch saves what a needed input gradient uses: with no live edge, nothing
        if any(getattr(t, "_inference", False) for t in saved):
            raise RuntimeError(
                "Inference tensors cannot be saved for backward. To work around you can make a clone to get a "
                "normal tensor and use it in autograd."
            )
        self.saved = tuple(saved)
        self.saved_versions = tuple(t._version_counter.value for t in self.saved)
        # what torch's message names when a saved tensor is modified later: this node for its own result
        self.saved_producers = tuple(name if any(t is o for o in outputs) else None for t in self.saved)
        # shape/dtype of each output, so a missing cotangent can be zero-filled
        self.out_meta = [None] * len(outputs)
        self.freed = False

    def release(self) -> None:
        """After a backward pass without ``retain_graph``: torch frees the saved tensors, so running
        this node again raises.  Dropping the VJP too releases what its closure holds (often this
        node's own output: an output -> node -> closure -> output cycle left for the garbage collector)."""
        self.freed = True
        if self.saved:
            self.saved = _RELEASED
            self.saved_versions = ()
            self.saved_producers = ()
            self.vjp = None

    def bind_output(self, i: int, out) -> None:
        self.out_meta[i] = (out._data.shape, out._data.dtype)

    def name(self) -> str:
        return f"torch::autograd::{self._name}" if self._name in _QUALIFIED else self._name

    @property
    def next_functions(self) -> tuple:
        """``((node_or_None, 0), ...)`` per input, as torch exposes it."""
        return tuple(e if e is not None else (None, 0) for e in self.edges)

    def __repr__(self) -> str:
        return f"<{self._name} object>"

    def __str__(self) -> str:
        return repr(self)


def edge_of(t):
    """The node a gradient for ``t`` flows into: its grad_fn, or its leaf accumulator.

    A view without a grad_fn (made in no_grad mode from a tensor that requires grad) reports
    ``requires_grad`` through its base but has no flag of its own, so torch gives it no accumulator:
    a gradient for it is dropped (neither it nor its base receives one), and an op whose only
    differentiable input is such a view saves nothing for backward."""
    if t.grad_fn is not None:
        return t.grad_fn
    if t._base is not None and t._view_meta is not None and t._view_meta[1] == "no_grad" and t._base.requires_grad:
        return None
    if t.requires_grad:
        acc = t._accumulator
        if acc is None:
            acc = t._accumulator = AccumulateGrad(t)
        return acc
    return None
