"""``torch.optim.Optimizer``: parameter groups, per-parameter state, ``zero_grad`` and state dicts."""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable

from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, no_grad

__all__ = ["Optimizer", "required"]


class _Required:
    """A default that a parameter group must give itself (SGD's ``lr`` once had none)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


def _typename(value) -> str:
    from ..nn.modules import _typename as typename

    return typename(value)


def _check_lr(lr) -> None:
    """A tensor lr: torch wants one element (ValueError); the reference models number lrs only."""
    if isinstance(lr, Tensor):
        if lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        raise NotImplementedError("a tensor lr: the reference models a Python number lr")


class Optimizer:
    """The base of every optimizer.

    torch's rules: ``params`` is an iterable of tensors or of dicts (parameter groups, each with its
    own options; the others come from ``defaults``) -- a lone tensor is TypeError, an empty list
    ValueError.  A parameter must be a leaf tensor (ValueError "can't optimize a non-leaf Tensor"), may
    not be in two groups (ValueError), and a group given as a set is TypeError (its order would
    change between runs).  ``state`` maps each parameter to its state (momentum buffers, moment
    estimates), created at its first step."""

    def __init__(self, params, defaults: dict) -> None:
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
                + _typename(params)
            )
        self.defaults = defaults
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        """Add a group: its ``params`` (a tensor or an ordered iterable of leaf tensors), and any options
        it does not give taken from the defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering of tensors "
                "in sets will change between runs. Please use a list instead."
            )
        else:
            param_group["params"] = list(params)
        # (name, tensor) pairs, as named_parameters() gives them: the names are kept in "param_names"
        named = [p for p in param_group["params"] if isinstance(p, tuple)]
        if named:
            if len(named) != len(param_group["params"]):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = [name for name, _ in named]
            param_group["params"] = [p for _, p in named]
        if self.param_groups and ("param_names" in param_group) != ("param_names" in self.param_groups[0]):
            current = "with names" if "param_names" in param_group else "without names"
            raise ValueError(
                f"all optimizer param groups should be with/without names. cannot add param group {current} to the "
                "optimizer"
            )
        _check_lr(param_group.get("lr", self.defaults.get("lr")))
        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(param))
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len({id(p) for p in params}):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause an "
                "error; see github.com/pytorch/pytorch/issues/40967 for more information",
                stacklevel=3,
            )
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient: to None (default), or zeroed in place, detached, with
        ``set_to_none=False``."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    if p.grad.grad_fn is not None:
                        p.grad.detach_()
                    else:
                        p.grad.requires_grad_(False)
                    p.grad.zero_()

    def step(self, closure=None):
        """One update of every parameter that has a gradient (under ``no_grad``); ``closure``, when
        given, is called first with grad mode on and its result returned."""
        self._opt_called = True
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                self._update_group(group)
        return loss

    def _update_group(self, group: dict) -> None:
        raise NotImplementedError

    def state_dict(self) -> dict:
        """``{"state": {index: state}, "param_groups": [group options + "params": [indices]]}``: the
        parameters numbered in group order; the state's tensors are the optimizer's own (not copies)."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: v for p, v in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    #: options torch's ``__setstate__`` fills in for a state dict saved before they existed
    _state_defaults: dict = {}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore options and state saved by :meth:`state_dict`.  As torch: the state's tensors are
        taken as they are (shared with the dict, not copied) unless a parameter's dtype differs (then
        cast; ``step`` never), options missing from an older state dict get their defaults, and the
        groups must match in number and size (ValueError)."""
        state_dict = dict(state_dict)
        saved_groups = [dict(g) for g in state_dict["param_groups"]]
        if len(self.param_groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(self.param_groups, saved_groups, strict=True)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
            )
        id_map = {
            old: p
            for g, s in zip(self.param_groups, saved_groups, strict=True)
            for old, p in zip(s["params"], g["params"], strict=True)
        }
        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = {
                    key: (value.to(param.dtype) if isinstance(value, Tensor) and key != "step" else value)
                    for key, value in v.items()
                }
            else:
                state[k] = v
        self.state = state
        self.param_groups = [{**s, "params": g["params"]} for g, s in zip(self.param_groups, saved_groups, strict=True)]
        self._setstate()

    def _setstate(self) -> None:
        """torch's ``__setstate__``: options an older state dict lacks get their defaults."""
        for group in self.param_groups:
            for key, value in self._state_defaults.items():
                group.setdefault(key, value)

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    @staticmethod
    def _with_grads(group: dict) -> Iterable[Tensor]:
        return [p for p in group["params"] if p.grad is not None]
