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
        from .._autograd_hooks import record
        from .._tensor import Tensor

        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with no_grad():
            out = cls.forward(ctx, *args)
        outs = out if isinstance(out, tuple) else (out,)
        tensor_outs = tuple(o for o in outs if isinstance(o, Tensor))
        non_diff = getattr(ctx, "_non_diff", set())
        name = f"{cls.__name__}Backward"
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

        diff_outs = tuple(o for o in tensor_outs if id(o) not in non_diff)
        if diff_outs:
            fresh = tuple(o if o._base is None and o.grad_fn is None else o._alias() for o in diff_outs)
            record(
                fresh if len(fresh) > 1 else fresh[0],
                args,
                name,
                vjp,
                saved=tuple(t for t in ctx._saved if t is not None),
            )
            if fresh[0].grad_fn is not None:
                ctx._node = fresh[0].grad_fn
            mapping = {id(o): f for o, f in zip(diff_outs, fresh, strict=True)}
            outs = tuple(mapping.get(id(o), o) for o in outs)
        return outs if isinstance(out, tuple) else outs[0]
