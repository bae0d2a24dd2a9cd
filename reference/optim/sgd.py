"""``torch.optim.SGD``."""

from __future__ import annotations

from .optimizer import Optimizer, _check_lr

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent, as torch's single-tensor CPU path runs it for each parameter with a
    gradient::

        g = -grad if maximize else grad
        if weight_decay: g = g.add(p, alpha=weight_decay)
        if momentum:
            buf = g.clone() at the first step, else buf.mul_(momentum).add_(g, alpha=1 - dampening)
            g = g.add(buf, alpha=momentum) if nesterov else buf
        p.add_(g, alpha=-lr)

    so the first step with momentum takes the gradient undamped.  The momentum buffer is the state
    ``"momentum_buffer"``.  torch's checks: ``lr``, ``momentum`` and ``weight_decay`` must not be
    negative, and nesterov needs a positive momentum and no dampening (ValueError)."""

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach=None,
        differentiable: bool = False,
        fused=None,
    ) -> None:
        _check_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        _only_default_paths(foreach, differentiable, fused)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)

    _state_defaults = {"nesterov": False, "maximize": False, "foreach": None, "differentiable": False, "fused": None}

    def _update_group(self, group: dict) -> None:
        lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
        for p in self._with_grads(group):
            g = -p.grad if group["maximize"] else p.grad
            if group["weight_decay"] != 0:
                g = g.add(p, alpha=group["weight_decay"])
            if momentum != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = g.clone().detach()
                    state["momentum_buffer"] = buf
                else:
                    buf.mul_(momentum).add_(g, alpha=1 - dampening)
                g = g.add(buf, alpha=momentum) if group["nesterov"] else buf
            p.add_(g, alpha=-lr)


def _only_default_paths(foreach, differentiable, fused, capturable=False) -> None:
    """The reference models torch's default single-tensor path only."""
    options = (("foreach", foreach), ("differentiable", differentiable), ("fused", fused), ("capturable", capturable))
    for name, value in options:
        if value:
            raise NotImplementedError(f"optimizer option {name}=True: the reference models the single-tensor path")
