"""``torch.optim.Adam`` and ``AdamW``."""

from __future__ import annotations

from .. import _creation as C
from .. import _dtype as D
from .._tensor import Tensor
from ._update import addcdiv_, addcmul_, lerp_, maximum_, sqrt
from .optimizer import Optimizer, _check_lr
from .sgd import _only_default_paths

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam, as torch's single-tensor CPU path runs it for each parameter with a gradient::

        step += 1         (a 0-d tensor in the state: float32, float64 under a float64 default dtype)
        g = -grad if maximize else grad
        if weight_decay: p.mul_(1 - lr * weight_decay) if decoupled else g = g.add(p, alpha=weight_decay)
        exp_avg.lerp_(g, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        bias_correction1 = 1 - beta1 ** step;  bias_correction2 = 1 - beta2 ** step   (Python floats)
        v = max_exp_avg_sq = maximum(max_exp_avg_sq, exp_avg_sq) if amsgrad else exp_avg_sq
        denom = (v.sqrt() / bias_correction2 ** 0.5).add_(eps)
        p.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)

    The state (``step``, ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq`` with amsgrad) is created at a
    parameter's first step.  torch's checks (ValueError): ``lr``, ``eps`` and ``weight_decay`` not
    negative, each beta in [0, 1)."""

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach=None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused=None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        _check_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        _only_default_paths(foreach, differentiable, fused, capturable)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    _state_defaults = {
        "amsgrad": False,
        "maximize": False,
        "foreach": None,
        "capturable": False,
        "differentiable": False,
        "fused": None,
        "decoupled_weight_decay": False,
    }

    def _setstate(self) -> None:
        """As torch's: defaults for missing options, and a ``step`` saved as a number becomes a tensor."""
        super()._setstate()
        for state in self.state.values():
            if "step" in state and not isinstance(state["step"], Tensor):
                step_dtype = D.float64 if D.get_default_dtype() is D.float64 else D.float32
                state["step"] = C.tensor(float(state["step"]), dtype=step_dtype)

    def _update_group(self, group: dict) -> None:
        lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        for p in self._with_grads(group):
            if p.grad.dtype.is_complex:
                raise NotImplementedError("Adam on complex parameters (torch steps their real view)")
            state = self.state[p]
            if not state:
                # torch's _get_scalar_dtype: float64 under a float64 default dtype, else float32
                step_dtype = D.float64 if D.get_default_dtype() is D.float64 else D.float32
                state["step"] = C.zeros((), dtype=step_dtype)
                state["exp_avg"] = C.zeros_like(p)
                state["exp_avg_sq"] = C.zeros_like(p)
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = C.zeros_like(p)
            g = -p.grad if group["maximize"] else p.grad
            state["step"] += 1
            if wd != 0:
                if group["decoupled_weight_decay"]:
                    p.mul_(1 - lr * wd)
                else:
                    g = g.add(p, alpha=wd)
            lerp_(state["exp_avg"], g, 1 - beta1)
            addcmul_(state["exp_avg_sq"].mul_(beta2), g, g, 1 - beta2)
            step = state["step"].item()
            bias_correction1 = 1 - beta1**step
            bias_correction2 = 1 - beta2**step
            v = state["exp_avg_sq"]
            if group["amsgrad"]:
                v = maximum_(state["max_exp_avg_sq"], v)
            denom = (sqrt(v) / bias_correction2**0.5).add_(eps)
            addcdiv_(p, state["exp_avg"], denom, -(lr / bias_correction1))


class AdamW(Adam):
    """Adam with decoupled weight decay (``p.mul_(1 - lr * weight_decay)`` before the update), whose
    ``weight_decay`` defaults to 0.01."""

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach=None,
        capturable: bool = False,
        differentiable: bool = False,
        fused=None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
