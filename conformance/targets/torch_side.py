"""Targets built on torch: any device torch accepts, meta and fake tensors, and ``torch.compile``."""

from __future__ import annotations

import numpy as np

from .base import Target, memory_block


class TargetUnavailable(Exception):
    """A target that cannot run on this machine (its one-line message says why)."""


def _torch():
    try:
        import torch
    except ImportError as e:
        raise TargetUnavailable(f"torch is not installed ({e})") from None
    return torch


def _quiet_fake_tensor_log() -> None:
    """A refused op is an observation here (compared with the expected side), not a log line per case."""
    import logging

    logging.getLogger("torch._subclasses.fake_tensor").setLevel(logging.CRITICAL)


class TorchTarget(Target):
    """torch's eager kernels on one device: ``torch:cpu``, ``torch:cuda:1``, ``torch:mps``, ``torch:xpu``, a
    ``privateuseone`` backend's name...  The device must exist: a tensor is made on it up front."""

    def __init__(self, device: str = "cpu"):
        torch = _torch()
        try:
            dev = torch.device(device)
        except (RuntimeError, ValueError) as e:
            raise TargetUnavailable(f"torch does not accept the device string {device!r}: {e}") from None
        try:
            torch.empty(1, device=dev)
        except Exception as e:  # noqa: BLE001 - any refusal means the device cannot be used
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise TargetUnavailable(f"torch device {device!r} is not available here: {first}") from None
        self.device = str(dev)
        self.spec = f"torch:{self.device}"

    @property
    def ns(self):
        import torch

        return torch

    def from_array(self, arr: np.ndarray):
        import torch

        block, shape, strides = memory_block(arr)
        return torch.from_numpy(block).to(self.device).as_strided(shape, strides)

    def to_numpy(self, t) -> np.ndarray:
        t = t.detach()
        if t._is_zerotensor():  # autograd's efficient zeros (a gradient that is zero by construction) hold no data
            return np.zeros(tuple(t.shape), dtype=t.new_empty(0, device="cpu").numpy().dtype)
        return t.cpu().resolve_conj().numpy().copy()

    def shares_memory(self, a, b) -> bool:
        sa, sb = a.untyped_storage(), b.untyped_storage()
        return sa.nbytes() > 0 and sb.nbytes() > 0 and sa.data_ptr() == sb.data_ptr()


class MetaTarget(TorchTarget):
    """torch's meta kernels: shapes, dtypes, strides, aliasing and errors, without data.  Value
    comparisons are "not applicable", never passes; an error that depends on the values (an index
    out of range) cannot be raised without data either."""

    has_data = False

    def __init__(self):
        super().__init__("meta")
        self.spec = "meta"

    def not_applicable(self, check: str) -> str | None:
        if check == "gradients":
            return "meta tensors have no data: gradient values cannot be compared"
        return None

    def from_array(self, arr: np.ndarray):
        import torch

        # the same view of a memory block as the other sides build, without the data
        block, shape, strides = memory_block(arr)
        base = torch.empty(block.shape, dtype=getattr(torch, arr.dtype.name), device="meta")
        return base.as_strided(shape, strides)

    def to_numpy(self, t) -> np.ndarray:
        raise TypeError("meta tensors have no data")

    def shares_memory(self, a, b) -> bool:
        # meta storages have no address: one storage object is shared exactly when the memory would be
        return a.untyped_storage()._cdata == b.untyped_storage()._cdata and a.numel() > 0 and b.numel() > 0


class FakeTarget(MetaTarget):
    """Fake tensors (``FakeTensorMode``): torch's shape propagation as ``torch.compile`` and export see it."""

    def __init__(self):
        super().__init__()
        from torch._subclasses.fake_tensor import FakeTensorMode

        self.mode = FakeTensorMode(allow_non_fake_inputs=False)
        self.spec = "fake"
        _quiet_fake_tensor_log()

    def from_array(self, arr: np.ndarray):
        real = TorchTarget.from_array(self, arr)
        return self.mode.from_tensor(real, static_shapes=True)

    def call(self, op, case, args, kwargs):
        with self.mode:
            return super().call(op, case, args, kwargs)

    def views_flat(self, t) -> bool:
        with self.mode:
            return super().views_flat(t)


class CompileTarget(TorchTarget):
    """``torch.compile(backend=...)`` of each op's call form on a device, compared with eager semantics.

    Every case is compiled from a clean state (``torch._dynamo.reset()``), so a verdict does not
    depend on which cases ran before (automatic dynamic shapes after a recompile, cache entries) and a
    reproduction run on its own fails the same way.  Shapes are static unless the spec ends in
    ``:dynamic`` (then every dim is symbolic).  The graphs built per case (more than one on a graph
    break) are counted per op; the recompile limit raises instead of falling back to eager.
    """

    eager_graph = False

    def __init__(self, backend: str = "inductor", device: str = "cpu", dynamic: bool | None = None):
        super().__init__(device)
        torch = self.ns
        if backend not in torch._dynamo.list_backends(exclude_tags=()) and backend != "inductor":
            known = ", ".join(sorted(torch._dynamo.list_backends(exclude_tags=())))
            raise TargetUnavailable(f"torch.compile has no backend {backend!r} (known: {known})")
        # every new dtype, shape kind or Python number compiles again: count them, never fall back to eager
        torch._dynamo.config.recompile_limit = 100_000
        torch._dynamo.config.accumulated_recompile_limit = 100_000
        torch._dynamo.config.fail_on_recompile_limit_hit = True
        self.backend, self.dynamic = backend, dynamic
        suffix = "" if device == "cpu" else f":{self.device}"
        self.spec = f"compile:{backend}{suffix}" + (":dynamic" if dynamic else "")
        self.compiles: dict[str, int] = {}
        _quiet_fake_tensor_log()

    def call(self, op, case, args, kwargs):
        from dataclasses import replace

        form = replace(case, args=(), kwargs={})  # the call form only: no per-case objects to guard on

        def call_form(*a, **k):
            return op.call(self.ns, form, a, k)

        self.ns._dynamo.reset()
        compiled = self.ns.compile(call_form, backend=self.backend, dynamic=self.dynamic)
        counters = self.ns._dynamo.utils.counters
        before = counters["stats"]["unique_graphs"]
        try:
            return compiled(*args, **kwargs)
        finally:
            self.compiles[op.name] = self.compiles.get(op.name, 0) + counters["stats"]["unique_graphs"] - before
