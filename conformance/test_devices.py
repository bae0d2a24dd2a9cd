"""Devices and threads, as a program sees them, compared with torch on this (CPU) machine.

Generated calls (``strategies.devices``) of ``torch.device(...)``, ``x.to(...)``/``x.cpu()``/``x.cuda()``,
``device=`` on factories and ``set_num_threads``/``set_num_interop_threads`` run under torch and under
the reference; both must give the same outcome: the same device (repr), the same tensor (``is x``,
dtype, device, grad_fn, requires_grad, strides, values), or the same exception class and message.

The reference computes on the CPU only.  A tensor on another device is the one thing it refuses where
torch may not (torch's CPU build refuses each device its own way; a CUDA build makes CUDA tensors;
meta tensors always exist): there the reference must raise NotImplementedError naming the device,
after every check torch makes first.  A device index past 127, which torch wraps into 8 bits, is the
other (known_differences).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import reference
from reference import _threads
from strategies import devices as SD
from strategies import example_run, record

from .targets import parse_target

torch = pytest.importorskip("torch", reason="the device and thread rules are compared with torch")

TORCH, REF = parse_target("torch:cpu"), parse_target("reference")


def _attempt(fn):
    """("value", result) or ("raises", class name, message); warnings (mkldnn's, a complex cast's) are
    not compared: torch gives some once per process."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("value", fn())
        except Exception as e:  # noqa: BLE001 -- the class and message are what is compared
            return ("raises", type(e).__name__, str(e))


def _device_outcome(ns, call: SD.DeviceCall):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        args, kwargs = call.build(ns)
    out = _attempt(lambda: ns.device(*args, **kwargs))
    if out[0] == "value":
        d = out[1]
        return ("value", repr(d), str(d), d.type, d.index)
    return out


@given(SD.device_calls())
def test_device_construction_matches_torch(call):
    """``torch.device`` from every form torch accepts, and every refusal with torch's class and message."""
    example_run()
    note(repr(call))
    theirs, ours = _device_outcome(torch, call), _device_outcome(reference, call)
    if ours[:2] == ("raises", "NotImplementedError"):
        assert call.kind == "wrapped index", ours
        assert theirs[0] == "value", f"torch raised {theirs}; the reference said it does not model {ours[2]}"
        assert "not modelled" in ours[2] and "8 bits" in ours[2]
        record("device: wrapped index refused (known_differences)")
        return
    assert ours == theirs
    record(f"device: both {ours[0]}")


@given(SD.device_strings(valid_only=True), SD.device_strings(valid_only=True))
def test_device_equality_hashing_and_pickling_match_torch(a, b):
    """Devices equal devices only (``device('cpu') == 'cpu'`` is False), ``cpu`` is not ``cpu:0``;
    equal devices hash alike, and a device survives pickling and copying."""
    example_run()

    def observe(ns):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x, y = ns.device(a), ns.device(b)
            copied = pickle.loads(pickle.dumps(x))
        # hash() is torch's number (DeviceType << 16 | index byte), not only consistent with ==
        return (x == y, x != y, x == a, x != a, a == x, x == x, x in {y: 0}, repr(copied), copied == x, hash(x))

    ours = observe(reference)
    assert ours == observe(torch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x, y = reference.device(a), reference.device(b)
    if x == y:
        assert hash(x) == hash(y)
        record("device: equal pair")


def test_device_attributes_are_read_only_and_unordered_as_torch():
    for ns in (torch, reference):
        d = ns.device("cuda", 1)
        assert (d.type, d.index) == ("cuda", 1)
        with pytest.raises(AttributeError, match="attribute 'type' of 'torch.device' objects is not writable"):
            d.type = "cpu"
        with pytest.raises(TypeError, match="comparison not implemented"):
            _ = d < ns.device("cpu")


def test_mkldnn_device_warns_once_as_torch(monkeypatch):
    """torch warns, the first time in a process, that 'mkldnn' is deprecated as a device type."""
    import reference._tensor as tensor_module

    monkeypatch.setattr(tensor_module, "_mkldnn_warned", False)
    with pytest.warns(UserWarning, match="'mkldnn' is no longer used as device type") as seen:
        assert reference.device("mkldnn").type == "mkldnn"
    assert seen[0].filename == __file__  # it points at the caller
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert reference.device("mkldnn:1").index == 1


# -- Tensor.to / cpu / cuda -----------------------------------------------------------------------------

#: how a CPU-only torch refuses a tensor on another device: by the device's own route
_TORCH_REFUSALS = (
    ("AssertionError", "Torch not compiled with"),
    ("RuntimeError", "PyTorch is not linked with support for"),
    ("NotImplementedError", "Could not run"),
    ("ModuleNotFoundError", "No module named"),
    ("RuntimeError", "0 INTERNAL ASSERT FAILED"),  # a factory on an 'mkldnn' device, in torch 2.13
)


def _to_outcome(target, call: SD.ToCall):
    x = target.from_array(call.array)
    if call.requires_grad:
        x.requires_grad_(True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        args, kwargs = call.build(target.ns, x)
    out = _attempt(lambda: getattr(x, call.method)(*args, **kwargs))
    if out[0] == "raises":
        return out
    y = out[1]
    grad_fn = y.grad_fn.name() if y.grad_fn is not None else None
    head = ("tensor", y is x, str(y.dtype), str(y.device), grad_fn, y.requires_grad, tuple(y.stride()))
    if y.device.type == "meta":
        return head  # no values to read
    values = target.to_numpy(y.detach())
    return head + (y.is_cpu, y.get_device(), values.tobytes())


@given(SD.to_calls())
def test_to_cpu_cuda_match_torch(call):
    """``x.to(...)``, ``x.cpu(...)``, ``x.cuda(...)``: torch's overloads (dtype, device, tensor), which call
    is a TypeError and its message, when the result is ``x`` itself, and the copy's dtype, strides,
    values and autograd node (``ToCopyBackward0``)."""
    example_run()
    note(repr(call))
    theirs, ours = _to_outcome(TORCH, call), _to_outcome(REF, call)
    if ours[:2] == ("raises", "NotImplementedError"):
        assert call.kind == "non-cpu", ours
        assert "runs on the CPU only" in ours[2] and "not modelled" in ours[2], ours
        if "device 'meta'" not in ours[2]:  # torch computes on meta: any of its outcomes is unmodelled
            assert theirs[0] == "raises", theirs
            assert any(theirs[1] == cls and theirs[2].startswith(msg) for cls, msg in _TORCH_REFUSALS), theirs
        record("to(): another device refused (known_differences)")
        return
    assert ours == theirs
    record("to(): the same tensor" if ours[:2] == ("tensor", True) else f"to(): both {ours[0]}")


_FACTORIES = {
    "zeros": lambda ns, d: ns.zeros(2, 3, device=d),
    "ones": lambda ns, d: ns.ones(2, device=d),
    "empty": lambda ns, d: ns.empty(0, device=d),
    "full": lambda ns, d: ns.full((2,), 1.5, device=d),
    "tensor": lambda ns, d: ns.tensor([1, 2], device=d),
    "as_tensor": lambda ns, d: ns.as_tensor([1.0], device=d),
    "zeros_like": lambda ns, d: ns.zeros_like(ns.ones(2), device=d),
    "full_like": lambda ns, d: ns.full_like(ns.ones(2), 2, device=d),
    "arange": lambda ns, d: ns.arange(3, device=d),
    "eye": lambda ns, d: ns.eye(2, device=d),
    "randint": lambda ns, d: ns.randint(0, 3, (2,), device=d),
}
#: factories with several overloads: a wrong-typed ``device=`` is a TypeError that lists them, which
#: is theirs to model (reference/_creation.py), not the device's; the class is compared there
_OVERLOADED = {"arange", "eye", "randint"}


@given(
    st.sampled_from(sorted(_FACTORIES)),
    st.one_of(
        SD.device_strings(),
        st.sampled_from(["cpu", "cpu:0", "cpu:3", "cuda", "meta", b"cpu", 0, -1, None, 1.5, ["cpu"]]),
        st.sampled_from(["cpu", "cpu:0", "cpu:127", "cuda:1", "mps"]).map(lambda s: SD.Ref("device", (s,))),
    ),
)
def test_device_argument_of_factories_matches_torch(name, dev):
    """``device=`` on factories: parsed as ``torch.device`` parses it; a CPU device with any index makes
    a CPU tensor; another device is refused by the reference (NotImplementedError naming it)."""
    example_run()
    note(f"torch.{name}(..., device={dev!r})")

    def outcome(ns):
        out = _attempt(lambda: _FACTORIES[name](ns, SD.resolve(dev, ns)))
        return out if out[0] == "raises" else ("value", str(out[1].device), str(out[1].dtype), tuple(out[1].shape))

    theirs, ours = outcome(torch), outcome(reference)
    if ours[:2] == ("raises", "NotImplementedError"):
        # a wrapped index (known_differences) is refused while parsing, before the device is used
        assert "runs on the CPU only" in ours[2] or "8 bits" in ours[2], ours
        if theirs[0] == "raises":
            assert any(theirs[1] == cls and theirs[2].startswith(msg) for cls, msg in _TORCH_REFUSALS), theirs
        else:
            assert theirs[1] == "meta" or "8 bits" in ours[2], theirs
        record("factory: not modelled (known_differences)")
        return
    if name in _OVERLOADED and theirs[:2] == ("raises", "TypeError"):
        assert ours[:2] == theirs[:2]
        return
    assert ours == theirs
    record(f"factory: both {ours[0]}")


def test_cuda_is_refused_clearly():
    """CUDA cannot be compared on a machine without it; the reference must say it is CPU-only and name
    the device, wherever a CUDA device is asked for."""
    x = reference.ones(2)
    for attempt in (
        lambda: reference.zeros(2, device="cuda"),
        lambda: reference.tensor([1.0], device=reference.device("cuda", 0)),
        lambda: x.to("cuda"),
        lambda: x.to("cuda:1", reference.float64),
        lambda: x.cuda(),
        lambda: x.cuda("cuda:0"),
        lambda: reference.device("cuda").__enter__(),
    ):
        with pytest.raises(NotImplementedError, match=r"'cuda(:\d)?'.*runs on the CPU only"):
            attempt()
    assert reference.cuda.is_available() is False
    assert x.is_cpu and not x.is_cuda and x.get_device() == -1
    if not torch.cuda.is_available():
        assert torch.ones(2).is_cpu and torch.ones(2).get_device() == -1


def test_cpu_and_to_return_the_same_object():
    for ns in (torch, reference):
        x = ns.arange(6.0, requires_grad=True)
        assert x.cpu() is x and x.to("cpu") is x and x.to(ns.device("cpu")) is x and x.to(x) is x
        assert x.to(None) is x and x.to(ns.float32) is x and x.to(ns.float32, copy=False) is x
        y = x.to(ns.float32, copy=True)
        assert y is not x and y.grad_fn.name() == "ToCopyBackward0"
        y.sum().backward()
        assert x.grad.tolist() == [1.0] * 6


# -- threads --------------------------------------------------------------------------------------------


def _fits_c_int(value) -> bool:
    is_int = isinstance(value, np.integer) or (isinstance(value, int) and not isinstance(value, bool))
    return is_int and 0 < int(value) < 2**31


@given(SD.thread_counts(), st.sampled_from(["set_num_threads", "set_num_interop_threads"]))
def test_thread_setters_check_arguments_as_torch(value, name):
    """Both setters refuse what torch refuses, with its class and message; ``set_num_threads`` of a
    valid count reads back from ``get_num_threads`` in both (torch's setting is restored after)."""
    example_run()
    note(f"torch.{name}({value!r})")
    if name == "set_num_interop_threads" and _fits_c_int(value):
        return  # a valid count can be set once per process: test_interop_threads_are_set_once
    before_torch, before_ours = torch.get_num_threads(), _threads.get_num_threads()
    try:
        theirs = _attempt(lambda: (getattr(torch, name)(value), torch.get_num_threads()))
        ours = _attempt(lambda: (getattr(_threads, name)(value), _threads.get_num_threads()))
    finally:
        torch.set_num_threads(before_torch)
        _threads.set_num_threads(before_ours)
    assert ours == theirs
    record(f"threads: {name} {'accepted' if ours[0] == 'value' else 'refused'}")


def test_thread_setters_take_one_positional_argument():
    for name in ("set_num_threads", "set_num_interop_threads"):
        for args, kwargs in (((), {}), ((1, 2), {}), ((), {"n": 1}), ((1,), {"int": 1})):
            theirs = _attempt(lambda: getattr(torch, name)(*args, **kwargs))
            assert theirs[1] == "TypeError"  # nothing is set
            assert _attempt(lambda: getattr(_threads, name)(*args, **kwargs)) == theirs


_FRESH_PROCESS = textwrap.dedent(
    """
    import json, sys, torch
    from reference import _threads

    def attempt(fn):
        try:
            return ["value", fn()]
        except Exception as e:
            return ["raises", type(e).__name__, str(e)]

    def steps(ns):
        return [
            attempt(ns.get_num_threads),
            attempt(lambda: ns.set_num_interop_threads(0)),
            attempt(lambda: ns.set_num_interop_threads(3)),
            attempt(ns.get_num_interop_threads),
            attempt(lambda: ns.set_num_interop_threads(3)),
            attempt(lambda: ns.set_num_interop_threads(1.5)),
            attempt(ns.get_num_interop_threads),
        ]

    json.dump([steps(torch), steps(_threads)], sys.stdout)
    """
)


def test_interop_threads_are_set_once_and_env_sets_the_default():
    """In a fresh process with ``OMP_NUM_THREADS=1``: both report 1 thread; an interop count is checked
    before anything, can then be set once, and a second setting is refused with torch's message."""
    import json

    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(root))
    env.pop("MKL_NUM_THREADS", None)
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS], capture_output=True, text=True, env=env, cwd=root, timeout=120
    )
    assert done.returncode == 0, done.stderr
    theirs, ours = json.loads(done.stdout)
    assert ours == theirs
    assert ours[0] == ["value", 1] and ours[4][0] == "raises"
