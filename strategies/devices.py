"""Devices and threads as a program sees them: ``torch.device(...)`` calls, ``Tensor.to(...)`` calls and
thread counts, as plain data that any namespace (``torch`` or ``reference``) can run.

A call's arguments may hold :class:`Ref` values -- a device, dtype, memory format or tensor, which exist
only in a namespace -- and :func:`resolve` builds them there.  :func:`device_calls` draws device strings
with and without an index (every torch device type, unknown types, bad index strings, indices past
what torch stores), device objects, ints, None and other wrong types, positional and keyword forms;
:func:`to_calls` draws ``.to()`` calls -- positional dtype, device, tensor, number, None and bool
arguments, keywords, ``copy``, ``non_blocking``, ``memory_format`` -- on tensors of a few dtypes and
layouts, valid and invalid combinations alike.  :func:`thread_counts` draws arguments for
``set_num_threads``.  Each call's ``kind`` says what the reference does not model (``non-cpu``: a tensor
on another device; ``wrapped index``: a device index torch wraps), so a test can hold the reference to
its NotImplementedError there and to torch's exact outcome everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

from ._arrays import arrays, shapes
from ._coverage import record

__all__ = [
    "DEVICE_TYPES",
    "DeviceCall",
    "Ref",
    "ToCall",
    "device_calls",
    "device_strings",
    "resolve",
    "thread_counts",
    "to_calls",
]

#: torch 2.13's device types, in the order its parse error lists them
DEVICE_TYPES = (
    "cpu",
    "cuda",
    "ipu",
    "xpu",
    "mkldnn",
    "opengl",
    "opencl",
    "ideep",
    "hip",
    "ve",
    "fpga",
    "maia",
    "xla",
    "lazy",
    "vulkan",
    "mps",
    "meta",
    "hpu",
    "mtia",
    "privateuseone",
)
_BAD_TYPES = ("gpu", "CPU", "Cuda", "_", "cuda_x", "a_b", "1cpu", "cpu1", "cp-u", " cpu", "cpu ", "\uff43pu", "cpu\x00")
_GOOD_INDICES = ("0", "1", "7", "127")
_WRAPPED_INDICES = ("128", "255", "256", "1000", "2147483647")  # fit std::stoi, not torch's 8-bit index
_BAD_INDICES = ("", "-1", "01", "00", "a", "+1", " 1", "1 ", "0:1", ":0", "0x1", "\u0661", "2147483648", "99999999999")
_TO_DTYPES = ("bool", "uint8", "int32", "int64", "float16", "float32", "float64", "complex64", "complex128")
_MEMORY_FORMATS = ("contiguous_format", "preserve_format", "channels_last", "channels_last_3d")


@dataclass(frozen=True)
class Ref:
    """A value that exists only inside a namespace.

    ``kind`` is ``device`` (``spec``: the arguments of ``ns.device``), ``dtype`` (a dtype name),
    ``memory_format`` (its name), ``tensor`` (``spec``: (dtype name, shape, requires_grad)) or ``self``
    (the tensor a ``.to()`` call is made on)."""

    kind: str
    spec: Any = None

    def __repr__(self) -> str:
        if self.kind == "device":
            return f"torch.device{self.spec!r}"
        if self.kind in ("dtype", "memory_format"):
            return f"torch.{self.spec}"
        if self.kind == "tensor":
            name, shape, grad = self.spec
            return f"torch.zeros({shape}, dtype=torch.{name}, requires_grad={grad})"
        return "x"


def resolve(value: Any, ns: Any, me: Any = None) -> Any:
    """``value`` with each :class:`Ref` (inside tuples and lists too) built in namespace ``ns``;
    ``me`` is what ``Ref('self')`` stands for."""
    if isinstance(value, Ref):
        if value.kind == "device":
            return ns.device(*value.spec)
        if value.kind in ("dtype", "memory_format"):
            return getattr(ns, value.spec)
        if value.kind == "tensor":
            name, shape, grad = value.spec
            return ns.zeros(shape, dtype=getattr(ns, name), requires_grad=grad)
        return me
    if isinstance(value, tuple):
        return tuple(resolve(v, ns, me) for v in value)
    if isinstance(value, list):
        return [resolve(v, ns, me) for v in value]
    return value


@dataclass
class DeviceCall:
    """``torch.device(*args, **kwargs)``; ``kind`` is ``wrapped index`` where torch would store an index
    past 127 (it wraps it; the reference raises NotImplementedError)."""

    args: tuple
    kwargs: dict = field(default_factory=dict)
    kind: str | None = None

    def build(self, ns: Any) -> tuple[tuple, dict]:
        return resolve(self.args, ns), {k: resolve(v, ns) for k, v in self.kwargs.items()}

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"torch.device({', '.join(parts)})"


@dataclass
class ToCall:
    """``x.to(*args, **kwargs)`` (``method`` may be ``cpu`` or ``cuda`` too) on the tensor made from
    ``array`` (its layout kept), requiring grad when ``requires_grad``; ``kind`` is ``non-cpu`` where a
    device other than the CPU is asked for."""

    array: np.ndarray
    requires_grad: bool
    args: tuple
    kwargs: dict = field(default_factory=dict)
    method: str = "to"
    kind: str | None = None

    def build(self, ns: Any, me: Any) -> tuple[tuple, dict]:
        return resolve(self.args, ns, me), {k: resolve(v, ns, me) for k, v in self.kwargs.items()}

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return (
            f"x.{self.method}({', '.join(parts)})  # x: {self.array.dtype} {self.array.shape} strides "
            f"{tuple(s // max(self.array.itemsize, 1) for s in self.array.strides)} requires_grad={self.requires_grad}"
        )


def _one_in(draw, n: int) -> bool:
    """True about once in ``n`` draws: a middle value, since Hypothesis favours the ends of a range."""
    return draw(st.integers(0, n - 1)) == n // 2


# -- device strings and device() calls -------------------------------------------------------------


@st.composite
def device_strings(draw, valid_only: bool = False) -> str:
    """A device string: ``type`` or ``type:N`` of every torch type, or (unless ``valid_only``) an
    unknown type, a bad index, an index past torch's 8 bits, the empty string."""
    branch = "valid" if valid_only else draw(st.sampled_from(["valid", "valid", "bad type", "bad index", "wrapped"]))
    type_ = draw(st.sampled_from(DEVICE_TYPES)) if branch != "bad type" else draw(st.sampled_from(_BAD_TYPES))
    if branch == "valid":
        index = draw(st.none() | st.sampled_from(_GOOD_INDICES))
        record("device: valid string" + (" with an index" if index is not None else ""))
    elif branch == "bad type":
        index = draw(st.none() | st.sampled_from(_GOOD_INDICES))
        if _one_in(draw, 10):
            return ""  # torch: "Device string must not be empty"
        record("device: unknown type")
    elif branch == "bad index":
        index = draw(st.sampled_from(_BAD_INDICES))
        record("device: bad index string")
    else:
        index = draw(st.sampled_from(_WRAPPED_INDICES))
        record("device: index past 127")
    return type_ if index is None else f"{type_}:{index}"


def _wraps(text: str) -> bool:
    """Whether a device string's index fits std::stoi but not torch's 8-bit index."""
    _, _, digits = text.partition(":")
    return digits.isascii() and digits.isdigit() and 127 < int(digits) < 2**31 and not digits.startswith("0")


@st.composite
def device_calls(draw) -> DeviceCall:
    """``torch.device(...)`` calls: the one-argument overload (a string, bytes, a device, an int, or a
    wrong type), the ``(type, index)`` overload positionally and by keyword, and calls that fit no
    overload (no argument, three, unknown keywords)."""
    form = draw(
        st.sampled_from(
            ["string", "string", "bytes", "device", "int", "wrong type", "type+index", "keywords", "misfit"]
        )
    )
    record(f"device(): {form}")
    if form == "string":
        text = draw(device_strings())
        return DeviceCall((text,), kind="wrapped index" if _wraps(text) else None)
    if form == "bytes":
        text = draw(device_strings())
        raw = draw(
            st.sampled_from([text.encode("utf-8"), text.encode("utf-8"), b"\xff" + text.encode("ascii", "ignore")])
        )
        return DeviceCall((raw,), kind="wrapped index" if _wraps(text) and raw == text.encode("utf-8") else None)
    if form == "device":
        return DeviceCall((Ref("device", (draw(device_strings(valid_only=True)),)),))
    if form == "int":
        value = draw(st.sampled_from([0, 1, 3, 127, 128, -1, -(2**63), 2**63 - 1, 2**63, -(2**63) - 1, np.int64(2)]))
        return DeviceCall((value,))
    if form == "wrong type":
        value = draw(
            st.sampled_from(
                [None, 1.5, True, False, ["cpu"], ["cpu", 1], ("cpu",), {}, bytearray(b"cpu"), np.float64(0)]
            )
        )
        return DeviceCall((value,))
    if form in ("type+index", "keywords"):
        if draw(st.booleans()):
            type_ = draw(device_strings())
        else:
            type_ = draw(st.sampled_from([Ref("device", ("cpu",)), None, 0, b"cpu"]))
        index = draw(
            st.sampled_from(
                [None, 0, 1, 5, 127, 128, 255, 2**40, 2**63, -1, -(2**63) - 1, True, 1.5, "0", np.int64(3)]
                + [Ref("tensor", ("int64", (), False)), Ref("tensor", ("float32", (), False))]
            )
        )
        # an index in the type string: torch refuses it beside an explicit index (even None), unless
        # it wraps to "no index"
        in_string = isinstance(type_, str) and _wraps(type_)
        in_string = in_string and ((int(type_.partition(":")[2]) + 128) % 256) - 128 == -1
        explicit = isinstance(index, int) and not isinstance(index, bool) and 127 < index < 2**63
        if form == "type+index":
            return DeviceCall((type_, index), kind="wrapped index" if in_string or explicit else None)
        kwargs = {"type": type_}
        with_index = draw(st.booleans())
        if with_index:
            kwargs["index"] = index
        kind = "wrapped index" if in_string or (with_index and explicit) else None
        if draw(st.booleans()):
            kwargs = dict(reversed(list(kwargs.items())))
        return DeviceCall((), kwargs, kind=kind)
    misfit = draw(
        st.sampled_from(
            [
                DeviceCall(()),
                DeviceCall(("cpu", 0, 1)),
                DeviceCall(("cpu",), {"index": 0, "foo": 1}),
                DeviceCall((), {"index": 0}),
                DeviceCall((), {"x": 1}),
                DeviceCall((), {"device": None}),
                DeviceCall((), {"device": "cpu"}),
                DeviceCall((), {"device": "cpu", "index": 0}),
                DeviceCall((), {"type": Ref("device", ("cpu",))}),
                DeviceCall((Ref("device", ("cpu",)), 0)),
                DeviceCall((None, None)),
                DeviceCall(("cpu",), {"type": "cpu"}),
            ]
        )
    )
    return DeviceCall(misfit.args, dict(misfit.kwargs))


# -- .to() calls ----------------------------------------------------------------------------------

_CPU_DEVICES = ("cpu", "cpu:0", "cpu:1")
_OTHER_DEVICES = ("cuda", "cuda:0", "meta", "mps", "xla")


@st.composite
def _device_args(draw) -> tuple[Any, bool]:
    """A value for to()'s ``device``: (value, whether it names another device than the CPU)."""
    choice = draw(
        st.sampled_from(
            ["cpu str", "cpu str", "cpu str", "cpu device", "cpu device", "other", "bad", "int"] + ["bytes", "None"]
        ),
    )
    if choice == "cpu str":
        return draw(st.sampled_from(_CPU_DEVICES)), False
    if choice == "cpu device":
        return Ref("device", draw(st.sampled_from([("cpu",), ("cpu", 0)]))), False
    if choice == "other":
        text = draw(st.sampled_from(_OTHER_DEVICES))
        return (Ref("device", (text,)) if draw(st.booleans()) else text), True
    if choice == "bad":
        return draw(st.sampled_from(["gpu", "", "cpu:-1", "float32"])), False
    if choice == "int":
        return draw(st.sampled_from([0, 3, -1])), False
    if choice == "bytes":
        return b"cpu", False
    return None, False


def _dtype_args(own: np.dtype | None = None) -> st.SearchStrategy:
    """A value for to()'s ``dtype``: a dtype (``own``, the tensor's, now and then), or a Python type
    standing for one."""
    return st.one_of(
        st.sampled_from(_TO_DTYPES).map(lambda n: Ref("dtype", n)),
        st.just(Ref("dtype", (own or np.dtype("float32")).name)),
        st.sampled_from([float, int, bool, complex]),
    )


def _other_args(dtype: np.dtype) -> st.SearchStrategy:
    """A value for to()'s ``tensor``: another tensor (of ``x``'s dtype now and then), ``x`` itself,
    or a number that stands for a 0-d tensor."""
    same = Ref("tensor", (dtype.name, (), False))
    return st.one_of(
        st.sampled_from(_TO_DTYPES).map(lambda n: Ref("tensor", (n, (2,), False))),
        st.just(same),
        st.just(Ref("self")),
        st.sampled_from([1.0, True, 1j, np.float32(1), np.True_, np.complex64(1)]),
    )


def _wrong_values() -> st.SearchStrategy:
    """Values no parameter of to() takes in that place."""
    return st.sampled_from([None, 1, 1.5, "cpu", [1], (1,), np.float32, np.dtype("float32"), object])


@st.composite
def _bools(draw) -> Any:
    """A value for ``non_blocking`` or ``copy``: a bool, mostly; sometimes what is not one (None, 1,
    numpy.bool_) -- a TypeError in torch."""
    if _one_in(draw, 10):
        record("to(): a flag that is not a bool")
        return draw(st.sampled_from([None, 1, np.True_]))
    return draw(st.booleans())


@st.composite
def to_calls(draw) -> ToCall:
    """``x.to(...)`` calls (and ``x.cpu(...)``, ``x.cuda(...)``): one of torch's overloads filled
    positionally and by keyword, with optional flags and ``memory_format``; now and then a wrong value,
    an unknown or duplicated keyword, or too many arguments."""
    dtype = np.dtype(draw(st.sampled_from(["float32", "float64", "int32", "bool", "complex64"])))
    four_d = _one_in(draw, 5)
    shape = draw(st.sampled_from([(2, 3, 2, 2), (1, 2, 1, 3)])) if four_d else draw(shapes(max_dims=3, max_side=3))
    small = st.booleans() if dtype.kind == "b" else st.integers(0, 3)  # exact in every dtype
    array = draw(arrays(dtype, shape, elements_strategy=small.map(dtype.type)))
    if four_d and draw(st.booleans()):
        array = np.ascontiguousarray(array.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)  # channels-last strides
        record("to(): a channels-last input")
    requires_grad = dtype.kind in "fc" and draw(st.booleans())
    method = {4: "cpu", 5: "cuda"}.get(draw(st.integers(0, 9)), "to")  # middle values: see _one_in
    record(f"to(): method {method}")
    non_cpu = False
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    if method == "to":
        overload = draw(st.sampled_from(["device", "device", "dtype", "dtype", "tensor", "none"]))
        record(f"to(): the {overload} overload")
        if overload == "device":
            dev, non_cpu = draw(_device_args())
            with_dtype = draw(st.booleans())
            if draw(st.booleans()):
                args.append(dev)
                if with_dtype:
                    args.append(draw(_dtype_args(dtype)))
            else:
                kwargs["device"] = dev
                if with_dtype:
                    kwargs["dtype"] = draw(_dtype_args(dtype))
        elif overload == "dtype":
            if draw(st.booleans()):
                args.append(draw(_dtype_args(dtype)))
            else:
                kwargs["dtype"] = draw(_dtype_args(dtype))
        elif overload == "tensor":
            other = draw(_other_args(dtype))
            if not _one_in(draw, 6):
                args.append(other)
            else:
                kwargs[draw(st.sampled_from(["tensor", "other"]))] = other
        positional_flags = args and _one_in(draw, 4)
        if positional_flags:  # after the leading arguments (after a lone device: a TypeError)
            for _ in range(draw(st.integers(1, 2))):
                args.append(draw(_bools()))
        for name in ("non_blocking", "copy"):
            if _one_in(draw, 8 if positional_flags else 3):
                kwargs[name] = draw(_bools())
                if name == "copy" and kwargs[name] is True:
                    record("to(): copy=True")
    elif method == "cuda":
        if draw(st.booleans()):
            value, _ = draw(_device_args())
            if draw(st.booleans()):
                args.append(value)
            else:
                kwargs["device"] = value
        if draw(st.booleans()):
            kwargs["non_blocking"] = draw(_bools())
        non_cpu = True  # cuda() names a CUDA device unless its argument is refused first
    if _one_in(draw, 4):
        fmt = draw(st.sampled_from(_MEMORY_FORMATS).map(lambda n: Ref("memory_format", n)) | st.sampled_from([None, 1]))
        kwargs["memory_format"] = fmt
        record("to(): memory_format")
    mistake = draw(st.integers(0, 9)) - 3  # 0, 1, 2: a mistake (three in ten; see _one_in)
    if mistake == 0:
        args.insert(draw(st.integers(0, len(args))), draw(_wrong_values() | _dtype_args(dtype)))
        record("to(): an argument out of place")
    elif mistake == 1:
        kwargs[draw(st.sampled_from(["foo", "dtype", "device", "copy"]))] = draw(_wrong_values() | _dtype_args(dtype))
        record("to(): a keyword out of place")
    elif mistake == 2:
        args.extend(draw(st.lists(_wrong_values() | _dtype_args(dtype), min_size=1, max_size=5)))
        record("to(): too many arguments")
    if draw(st.booleans()):
        kwargs = dict(reversed(list(kwargs.items())))  # torch lists misfit keywords in a hash map's order
    if non_cpu:
        record("to(): a device other than the CPU")
    return ToCall(array, requires_grad, tuple(args), kwargs, method, "non-cpu" if non_cpu else None)


def thread_counts() -> st.SearchStrategy:
    """Arguments for ``set_num_threads``/``set_num_interop_threads``: positive ints (Python and NumPy),
    zero, negatives, ints past a C int and past a C long long, and what is not an int (bool, float,
    None, str, numpy.bool_, numpy.float64)."""
    return st.one_of(
        st.integers(1, 64),
        st.integers(1, 64).map(np.int32),
        st.sampled_from([0, -1, -(2**31), 2**31 - 1]),
        st.sampled_from([2**31, -(2**31) - 1, 2**40, 2**63, -(2**63) - 1, 2**64, np.uint64(2**63)]),
        st.sampled_from([True, False, 1.0, 2.5, None, "2", np.True_, np.float64(2)]),
    )


#: what a complete run of ``conformance/test_devices.py`` must generate (required by ``--check-coverage``)
REQUIRED_EVENTS: tuple[str, ...] = (
    "device: valid string",
    "device: valid string with an index",
    "device: unknown type",
    "device: bad index string",
    "device: index past 127",
    "device: equal pair",
    "device(): int",
    "device(): keywords",
    "device(): wrong type",
    "to(): the device overload",
    "to(): the dtype overload",
    "to(): the tensor overload",
    "to(): the none overload",
    "to(): the same tensor",
    "to(): copy=True",
    "to(): memory_format",
    "to(): method cpu",
    "to(): method cuda",
    "to(): a device other than the CPU",
    "threads: set_num_threads accepted",
    "threads: set_num_threads refused",
    "threads: set_num_interop_threads refused",
)
