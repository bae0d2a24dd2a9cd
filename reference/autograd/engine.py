"""The backward engine: ``Tensor.backward``, ``autograd.backward`` and ``autograd.grad``.

torch's model, reproduced here:
- a backward pass starts from root tensors with cotangents (``gradient``);
  a root without a cotangent must have one element (``ones`` is implied).
- nodes run in dependency order: a node runs once every node that feeds it a
  gradient has run, with the sum of what it received.
- each input's gradient is cast to that input's dtype (a float16 input
  clamped with a float64 bound receives a float16 gradient).
- leaves that require grad accumulate into ``.grad`` (added to what is there);
  ``autograd.grad`` returns the gradients instead and leaves ``.grad`` alone.
- after the pass, nodes release their saved tensors unless ``retain_graph``:
  running such a node again raises.  Nodes that saved nothing can run again.
- a saved tensor modified in place since it was saved makes the node raise.
- ``create_graph=True`` runs the backward formulas with grad mode on, so the
  gradients have a graph of their own (higher-order derivatives).
"""

from __future__ import annotations

import re
import warnings
import weakref
from collections.abc import Sequence

import numpy as np

from .. import _dtype as D
from .graph import AccumulateGrad, Node, _set_grad_enabled, edge_of, is_grad_enabled


def _as_tuple(x) -> tuple:
    if x is None:
        return ()
    if isinstance(x, list | tuple):
        return tuple(x)
    return (x,)


def _wrap(arr: np.ndarray):
    return D.tensor_class()._wrap(arr)


def _grad_layout(leaf: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """A copy of ``grad`` laid out as torch lays out a leaf's first ``.grad`` (``AccumulateGrad``): a
    gradient that already obeys the layout contract is kept as it is (torch steals it); one that does
    not is cloned with the leaf's strides when the leaf is dense and non-overlapping, else contiguous.
    The contract: the leaf's strides on every dim longer than 1 (and no zero stride on the others) for a
    dense leaf; contiguous otherwise."""
    from .._layout import _is_contiguous, as_contiguous_layout, element_strides, is_non_overlapping_and_dense, lay_out

    strides, own = element_strides(leaf), element_strides(grad)
    dense = is_non_overlapping_and_dense(leaf.shape, strides)
    if dense:
        obeys = all((g == s) if n != 1 else g != 0 for n, g, s in zip(leaf.shape, own, strides, strict=True))
    else:
        obeys = _is_contiguous(grad.shape, own)
    if obeys and is_non_overlapping_and_dense(grad.shape, own):
        return lay_out(np.array(grad, copy=True, order="K"), own)
    fresh = np.array(grad, copy=True, order="C")
    return lay_out(fresh, strides) if dense else as_contiguous_layout(fresh)


def _make_grads(roots: Sequence, grads: Sequence, fname: str) -> list:
    Tensor = D.tensor_class()
    if len(grads) != len(roots):
        raise RuntimeError(f"{fname}: got {len(grads)} tensors and {len(roots)} gradients")
    out = []
    for i, (t, g) in enumerate(zip(roots, grads, strict=True)):
        if g is None:
            if t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t._data.dtype.kind != "f":
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got {t.dtype!r}")
            g = Tensor._wrap(np.ones(t._data.shape, dtype=t._data.dtype))
            out.append(g)
            continue
        if not isinstance(g, Tensor):
            g = Tensor._wrap(np.full(t.shape, g, dtype=t._data.dtype))
        if g._data.shape != t._data.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape!r} and output[{i}] has a shape of "
                f"{t.shape!r}."
            )
        if g.dtype.is_complex != t.dtype.is_complex:
            raise RuntimeError(
                f"For complex Tensors, both grad_output and output are required to have the same dtype. Mismatch "
                f"in dtype: grad_output[{i}] has a dtype of {g.dtype._torch_name} and output[{i}] has a dtype of "
                f"{t.dtype._torch_name}."
            )
        out.append(g)
    return out


def _check_roots(roots: Sequence) -> None:
    for i, t in enumerate(roots):
        if not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")


def _dependencies(starts) -> dict:
    """How many gradient messages each node will receive from nodes reachable from ``starts``."""
    deps: dict = {}
    seen = set()
    stack = list(starts)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for edge in _edges(node):
            if edge is not None:
                nxt = edge[0]
                deps[id(nxt)] = deps.get(id(nxt), 0) + 1
                stack.append(nxt)
    return deps


def _edges(node):
    return node.edges if isinstance(node, Node) else ()


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def _check_saved(node: Node) -> None:
    if node.saved and node.freed:
        raise RuntimeError(
            "Trying to backward through the graph a second time (or directly access saved tensors after they have "
            "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
            "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
            "if you need to access saved tensors after calling backward."
        )
    for t, v, own in zip(node.saved, node.saved_versions, node.saved_producers, strict=True):
        if t._version != v:
            # torch names the op that made the tensor, without "Backward<n>": the saving node for its own
            # result, else the tensor's (current) grad_fn; a tensor outside the graph gets no producer
            producer = own or (t.grad_fn.name() if t.grad_fn is not None else None)
            op = re.sub(r"Backward\d*$", "", producer) if producer else None
            which = f", which is output {t._output_nr} of {op}," if op else ""
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an inplace operation: "
                f"[{_legacy_name(t)} {list(t.shape)}]{which} is at version {t._version}; expected version {v} "
                "instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
                "with torch.autograd.set_detect_anomaly(True, check_nan=False)."
            )


def _legacy_name(t) -> str:
    from .._tensor import _LEGACY_TYPE_NAMES

    return _LEGACY_TYPE_NAMES[t.dtype.name]


#: ``sum_to(gradient, shape)``, a differentiable reduction, installed by ``reference._elementwise``
#: (the engine sits below the ops and imports none of them)
sum_to = None


def _expands_to(shape: tuple, target: tuple) -> bool:
    """torch's ``is_expandable_to``: ``shape`` broadcasts to ``target`` without changing ``target``."""
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target), strict=False))


def _conform(g, meta, node, index: int):
    """Cast a gradient to its input's dtype.  Its shape must be the input's, or one the input's shape
    expands to (torch's ``validate_outputs`` then sums it back: ``sum_to``)."""
    shape, np_dtype = meta
    arr = g._data
    if arr.shape != shape and _expands_to(shape, arr.shape):
        g = sum_to(g, shape)
        arr = g._data
    if arr.shape != shape:
        raise RuntimeError(
            f"Function {node.name()} returned an invalid gradient at index {index} - got {list(g.shape)} but expected "
            f"shape compatible with {list(shape)}"
        )
    if arr.dtype is not np_dtype and arr.dtype != np_dtype:
        from .._casting import cast

        dtype = D.from_numpy_dtype(np_dtype)
        if g.dtype.is_complex and not dtype.is_complex:
            g = _wrap(arr.real.copy()) if not g.requires_grad else cast(g, dtype)
        g = cast(g, dtype)
    return g


def run_backward(
    roots: Sequence,
    grads: Sequence,
    retain_graph: bool,
    create_graph: bool,
    capture: Sequence | None = None,
    accumulate: bool = True,
    allow_unused: bool = False,
    inputs_filter: Sequence | None = None,
):
    """The engine.  ``capture`` lists tensors whose total gradient is returned (autograd.grad)."""
    # seeds: the gradient entering each root's node (or leaf accumulator)
    pending: dict = {}  # id(node) -> list of per-output gradients
    starts = []
    for t, g in zip(roots, grads, strict=True):
        node = edge_of(t)
        slots = pending.setdefault(id(node), [None] * _n_outputs(node))
        nr = t._output_nr if isinstance(node, Node) else 0
        slots[nr] = _add(slots[nr], g)
        starts.append(node)
    deps = _dependencies(starts)

    captured: dict = {}
    want = {}
    for k, t in enumerate(capture or ()):
        node = edge_of(t) if t.requires_grad else None
        if node is not None:
            want.setdefault(id(node), []).append((k, t._output_nr if isinstance(node, Node) else 0))
    only = None if inputs_filter is None else {id(t) for t in inputs_filter}

    ready = [n for n in {id(s): s for s in starts}.values() if deps.get(id(n), 0) == 0]
    prev_mode = is_grad_enabled()
    _set_grad_enabled(create_graph)
    try:
        while ready:
            node = ready.pop()
            grads_in = pending.pop(id(node), [None])
            grads_in = _run_tensor_hooks(node, grads_in)
            if want:
                for k, i in want.get(id(node), ()):
                    captured[k] = grads_in[i]
            if type(node) is AccumulateGrad:
                if accumulate and grads_in[0] is not None and (only is None or id(node.variable) in only):
                    _accumulate(node.variable, grads_in[0], create_graph)
                continue
            if node.retained:  # retain_grad is a hook in torch: it fills .grad under autograd.grad too
                for i, ref in list(node.retained.items()):
                    t = ref()
                    if t is not None and grads_in[i] is not None:
                        _accumulate(t, grads_in[i], create_graph)
            outs = _run_node(node, grads_in, create_graph)
            if not retain_graph:
                node.release()
            for k, (edge, g) in enumerate(zip(node.edges, outs, strict=True)):
                if edge is None:
                    continue
                nxt, idx = edge
                if g is not None:
                    g = _conform(g, node.input_meta[k], node, k)
                key = id(nxt)
                slots = pending.get(key)
                if slots is None:
                    slots = pending[key] = [None] * _n_outputs(nxt)
                slots[idx] = _add(slots[idx], g)
                left = deps[key] - 1
                deps[key] = left
                if left == 0:
                    ready.append(nxt)
    finally:
        _set_grad_enabled(prev_mode)
    return captured


def _run_tensor_hooks(node, grads_in: list) -> list:
    """``register_hook`` hooks of the tensors whose gradient this node receives, in registration order;
    a hook returning a tensor replaces the gradient (a leaf's hooks live on the leaf)."""
    if type(node) is AccumulateGrad:
        hooks = {0: node.variable._hooks} if node.variable._hooks else {}
    else:
        hooks = node.tensor_hooks
    if not hooks:
        return grads_in
    grads_in = list(grads_in)
    for i, per_output in hooks.items():
        for hook in list(per_output.values()):
            if grads_in[i] is None:
                break
            new = hook(grads_in[i])
            if new is not None:
                grads_in[i] = new
    return grads_in


def _run_node(node: Node, grads_in: list, create_graph: bool) -> tuple:
    """Apply a node's VJP to its output cotangents (missing ones are zeros; all missing: no call)."""
    if len(grads_in) == 1:
        if grads_in[0] is None:
            return (None,) * len(node.edges)
        filled = grads_in
    elif all(g is None for g in grads_in):
        return (None,) * len(node.edges)
    elif getattr(node.vjp, "keep_missing", lambda: False)():
        filled = list(grads_in)  # a custom Function that asked not to materialize missing gradients
    else:
        filled = [g if g is not None else _zeros(m) for g, m in zip(grads_in, node.out_meta, strict=True)]
    if node.saved:
        _check_saved(node)
    if create_graph and getattr(node.vjp, "first_order_only", False):
        raise NotImplementedError(
            f"the reference's {node.name()} formula is first-order only: create_graph=True is not modelled for it"
        )
    outs = node.vjp(*filled)
    if type(outs) is not tuple:
        outs = tuple(outs) if isinstance(outs, tuple) else (outs,)
    return outs


def _n_outputs(node) -> int:
    return len(node.out_meta) if isinstance(node, Node) else 1


def _zeros(meta):
    shape, np_dtype = meta
    return _wrap(np.zeros(shape, dtype=np_dtype))


def _accumulate(t, g, create_graph: bool) -> None:
    """``t.grad += g`` (a fresh tensor the first time; out of place when building a graph).

    torch's layout contract (``AccumulateGrad``): a new ``.grad`` has the leaf's strides when the leaf is
    dense and non-overlapping (a transposed leaf gets a transposed gradient), else it is contiguous."""
    if not create_graph and t._grad is None:
        g = D.tensor_class()._wrap(_grad_layout(t._data, g._data), laid_out=True)
    if t._grad is None:
        t._grad = g
    elif create_graph:
        t._grad = t._grad + g
    else:
        t._grad._data[...] += g._data


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """torch.autograd.backward: accumulate d(tensors)/d(leaves) into the leaves' ``.grad``."""
    roots = _as_tuple(tensors)
    grads = list(_as_tuple(grad_tensors)) or [None] * len(roots)
    if create_graph:
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the parameter and its "
            "gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to "
            "avoid this. If you have to use this function, make sure to reset the .grad fields of your parameters "
            "to None after use to break the cycle and avoid the leak.",
            UserWarning,
            stacklevel=3,
        )
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if len(inputs) == 0:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    _check_roots(roots)
    grads = _make_grads(roots, grads, "backward")
    retain = create_graph if retain_graph is None else retain_graph
    if inputs is not None:
        non_leaf = [t for t in inputs if t.grad_fn is not None]
        for t in non_leaf:  # a non-leaf in ``inputs`` gets its .grad like retain_grad()
            t.retain_grad()
    run_backward(roots, grads, retain, create_graph, inputs_filter=inputs)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
):
    """torch.autograd.grad: the gradients of ``outputs`` w.r.t. ``inputs``; ``.grad`` is left alone.

    An input the outputs do not depend on raises unless ``allow_unused=True``
    (then its gradient is None, or zeros with ``materialize_grads``).
    """
    roots = _as_tuple(outputs)
    ins = _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, but got: allow_unused=False."
        )
    for t in ins:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = list(_as_tuple(grad_outputs)) or [None] * len(roots)
    _check_roots(roots)
    grads = _make_grads(roots, grads, "grad")
    retain = create_graph if retain_graph is None else retain_graph
    captured = run_backward(roots, grads, retain, create_graph, capture=ins, accumulate=False)
    result = []
    for k, t in enumerate(ins):
        g = captured.get(k)
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the graph. Set "
                    "allow_unused=True if this is the desired behavior."
                )
            if materialize_grads:
                g = _wrap(np.zeros(t._data.shape, dtype=t._data.dtype))
        elif not create_graph:
            g = _wrap(g._data.copy()) if g.grad_fn is not None else g
        result.append(g)
    return tuple(result)


def retain_grad(t) -> None:
    """Make a non-leaf keep its gradient in ``.grad`` after backward (no-op for leaves)."""
    if not t.requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if t.grad_fn is None:
        return
    t._retains_grad = True
    t.grad_fn.retained[t._output_nr] = weakref.ref(t)


def _warn_nonleaf_grad() -> None:
    warnings.warn(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
        "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf "
        "Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure "
        "you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations. "
        "(Triggered internally at /pytorch/build/aten/src/ATen/core/TensorBody.h:489.)",
        UserWarning,
        stacklevel=3,
    )
