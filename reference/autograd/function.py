"""``torch.autograd.Function``: user-defined forward and backward.

``forward(ctx, *args)`` runs with grad mode off; its tensor outputs become
outputs of a node named ``<ClassName>Backward``.  ``backward(ctx, *grads)``
must return one gradient (or None) per ``forward`` argument, each shaped
like that argument.
"""

from __future__ import annotations

from .grad_mode import no_grad


class FunctionCtx:
    """The ``ctx`` object: saved tensors and which inputs need gradients."""

    def __init__(self) -> None:
        self.needs_input_grad: tuple[bool, ...] = ()
        self._saved: tuple = ()
        self._node = None
        self.materialize_grads = True

    def save_for_backward(self, *tensors) -> None:
        from .._tensor import Tensor

        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument 0 is of type " + type(t).__name__
                )
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple:
        node = self._node
        if node is not None:
            from .engine import _check_saved

            _check_saved(node)
        return self._saved

    def mark_non_differentiable(self, *args) -> None:
        self._non_diff = {id(a) for a in args}

    def mark_dirty(self, *args) -> None:
        self._dirty = {id(a) for a in args}

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = value


class Function:
    """Subclass with static ``forward(ctx, ...)`` and ``backward(ctx, ...)``; call ``.apply(...)``."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD."
        )

    @classmethod
    def apply(cls, *args):
        """Run ``forward`` without recording, then wrap its outputs as torch does (``_wrap_outputs``):

        - one node ``<Name>Backward`` has every tensor output as an output; ``backward`` gets one
          gradient per output (zeros for unused ones, or None after ``set_materialize_grads(False)``);
        - an output marked non-differentiable does not require grad (an input returned that way comes
          back detached);
        - an input marked dirty (modified in place) is returned itself, with the node as its history
          and its version bumped; a leaf that requires grad cannot be dirty;
        - an input returned unmodified comes back as a view of itself, and a view made in ``forward``
          stays a view: writing into either in place is refused (it would bypass ``backward``).
        """
        from .._tensor import Tensor
        from .graph import Node, is_grad_enabled

        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with no_grad():
            out = cls.forward(ctx, *args)
        outs = list(out) if isinstance(out, tuple) else [out]
        inputs = {id(a) for a in args if isinstance(a, Tensor)}
        non_diff = getattr(ctx, "_non_diff", set())
        dirty = getattr(ctx, "_dirty", set())
        name = f"{cls.__name__}Backward"
        records = is_grad_enabled() and any(ctx.needs_input_grad)
        positions = [i for i, o in enumerate(outs) if isinstance(o, Tensor)]
        for i in positions:
            if id(outs[i]) in dirty:
                outs[i]._bump_version()  # torch bumps a dirty input's version once more when wrapping
        node = None
        if records:
            vjp = _backward_of(cls, ctx, name, args)
            saved = tuple(t for t in ctx._saved if t is not None)
            node = Node(name, vjp, args, ctx.needs_input_grad, saved, [outs[i] for i in positions])
            ctx._node = node
        for k, i in enumerate(positions):
            var = outs[i]
            is_input, is_dirty = id(var) in inputs, id(var) in dirty
            differentiable = (
                node is not None and id(var) not in non_diff and (var.is_floating_point() or var.is_complex())
            )
            if not differentiable:
                if not var.requires_grad:
                    var = _self_view(var) if is_input and not is_dirty else var
                elif is_input:
                    var = var.detach()
                elif var._base is None:
                    var.detach_()
            elif is_dirty:
                if var.is_leaf and var.requires_grad:
                    raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
                if var._base is not None:
                    raise NotImplementedError(
                        "a custom Function marking dirty an input that is a view is not modelled (torch rebases "
                        "the view's base through CopySlices)"
                    )
                var._grad = None
                _attach(var, node, k)
            else:
                if is_input:
                    var = _self_view(var)
                _attach(var, node, k)
                if var._base is not None:
                    var._view_meta[1] = ("custom", cls.__name__, k)
            if node is not None:
                node.bind_output(k, var)
            outs[i] = var
        return tuple(outs) if isinstance(out, tuple) else outs[0]


def _self_view(t):
    """``t.view_as(t)`` made without recording: a new tensor object sharing ``t``'s memory."""
    with no_grad():
        return t._view(t._data.view())


def _attach(var, node, output_nr: int) -> None:
    var._requires_grad = True
    var._output_nr = output_nr
    var.grad_fn = node


def _backward_of(cls, ctx, name: str, args: tuple):
    """The node's VJP: ``cls.backward`` with torch's checks on what it returns."""
    from .._tensor import Tensor

    shapes = [tuple(a.shape) if isinstance(a, Tensor) else None for a in args]

    def vjp(*grads):
        res = cls.backward(ctx, *grads)
        res = res if isinstance(res, tuple) else (res,)
        if len(res) != len(args):
            raise RuntimeError(
                f"function {name} returned an incorrect number of gradients (expected {len(args)}, got {len(res)})"
            )
        for i, (g, shape) in enumerate(zip(res, shapes, strict=True)):
            if g is not None and shape is not None and ctx.needs_input_grad[i] and tuple(g.shape) != shape:
                raise RuntimeError(
                    f"Function {name} returned an invalid gradient at index {i} - got {list(g.shape)} but expected "
                    f"shape compatible with {list(shape)}"
                )
        return tuple(g if ctx.needs_input_grad[i] else None for i, g in enumerate(res))

    vjp.keep_missing = lambda: not ctx.materialize_grads  # set_materialize_grads(False): None, not zeros
    return vjp
