"""The reference Tensor: an ndarray plus torch's metadata.

Storage model: a view's ndarray is a NumPy view of its base's ndarray, so
writes through either are seen by both, exactly like torch storage sharing.
``_base`` follows torch: a view records the root tensor it views (``None`` for
tensors that own their data), and views share one version counter, which
in-place operations bump.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
import warnings
from collections.abc import Callable
from typing import overload

import numpy as np

from . import _dtype as D
from ._dims import as_int_tuple, wrap_dim
from ._layout import (
    as_contiguous_layout,
    element_strides,
    lay_out,
    like_strides,
    memory_format,
    preserve_format,
    suggests_channels_last,
)
from .autograd import engine as _engine
from .autograd.graph import is_grad_enabled, is_inference_mode_enabled

__all__ = ["Tensor", "Size", "device", "tensor_method"]


def _real_part(v, c_type: str):
    """A complex value converts to a real Python number only when its imaginary part is 0 (torch's c10 rule)."""
    if isinstance(v, complex):
        if v.imag != 0:
            raise RuntimeError(f"value cannot be converted to type {c_type} without overflow")
        return v.real
    return v


def view_refusal(mode, direct: bool, view=None) -> str:
    """torch's message when a view made in no_grad mode (``mode == "no_grad"``), returned by a custom
    Function (``mode == ("custom", name, output_nr)``) or returned by an op that returns several views
    at once (``mode == "multi"``: split, chunk, unbind) is written in place (``direct``) or finds its base
    written in place.  A multi-output view names its own grad_fn without the ``Backward0`` suffix
    (``Output 0 of Split``), or, without one, says it was made in no_grad mode."""
    what = "is being modified inplace" if direct else "its base or another view of its base has been modified inplace"
    if mode == "multi":
        node = view._grad_fn if view is not None else None
        if node is not None:
            head = f"Output {view._output_nr} of {re.sub(r'Backward[0-9]*$', '', node.name())} is a view and {what}."
        else:
            head = f"A view was created in no_grad mode and {what} with grad mode enabled."
        return (
            f"{head} This view is the output of a function that returns multiple views. Such functions do not "
            "allow the output views to be modified inplace. You should replace the inplace operation by an "
            "out-of-place one."
        )
    if mode == "no_grad":
        if direct:
            what = "is being modified inplace with grad mode enabled"
        else:
            what += " with grad mode enabled"
        return (
            f"A view was created in no_grad mode and {what}. Given that this use case is ambiguous and error-prone, "
            "it is forbidden. You can clarify your code by moving both the view and the inplace either both inside "
            "the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the "
            "inplace to be tracked)."
        )
    _, fn_name, nr = mode
    return (
        f"Output {nr} of {fn_name} is a view and {what}. This view was created inside a custom Function (or because "
        "an input was returned as-is) and the autograd logic to handle view+inplace would override the custom "
        "backward associated with the custom Function, leading to incorrect gradients. This behavior is forbidden. "
        "You can fix this by cloning the output of the custom Function."
    )


class Size(tuple):
    """torch.Size: a tuple of ints that prints as ``torch.Size([2, 3])``; slicing it, and adding a
    tuple to it, give a Size again."""

    def __new__(cls, sizes=()):
        sizes = tuple(sizes)
        for i, s in enumerate(sizes):
            if not hasattr(s, "__index__"):
                raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is '{type(s).__name__}')")
        return super().__new__(cls, (s.__index__() for s in sizes))

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def __getitem__(self, key):
        out = super().__getitem__(key)
        return Size(out) if isinstance(key, slice) else out

    def __add__(self, other):
        return Size(tuple(self) + tuple(other)) if isinstance(other, tuple) else NotImplemented

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self)) if isinstance(other, tuple) else NotImplemented

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


# -- torch's Python argument parser, as far as device(), Tensor.to/cpu/cuda and device= need it ---------
#
# torch picks among a function's overloads with one parser (torch/csrc/utils/python_arg_parser.cpp), and
# its errors are part of what a program sees: which call is a TypeError, which argument a message names.
# The pieces below follow that parser and its message formatter (invalid_arguments.cpp) step by step.

_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class made by a ``class`` statement


def _tp_name(obj: object) -> str:
    """The name torch's messages give ``obj``'s type: CPython's ``tp_name`` (``float``, ``numpy.float64``,
    a Python class's bare name), with the reference's stand-ins for torch's types named as torch's."""
    t = builtins.type(obj)
    special = _TORCH_TYPE_NAMES.get(t)
    if special is not None:
        return special
    module = t.__module__
    if module == "builtins":
        return t.__name__
    # NumPy's types are C types whose tp_name carries the module (numpy.float64, numpy.dtypes.Float32DType)
    if module == "numpy" or module.startswith("numpy."):
        return f"{module}.{t.__qualname__}"
    return t.__name__ if t.__flags__ & _HEAPTYPE else f"{module}.{t.__qualname__}"


def _is_long(obj: object) -> bool:
    """torch's THPUtils_checkLong: a Python int that is not a bool, or a NumPy integer."""
    return isinstance(obj, np.integer) or (isinstance(obj, int) and not isinstance(obj, bool))


def _unpack_long(obj: object) -> int:
    """torch's THPUtils_unpackLong: the value as a C ``long long`` (ValueError past its range)."""
    n = int(obj)
    if not -(2**63) <= n < 2**63:
        raise ValueError("Overflow when unpacking long long")
    return n


def _is_python_scalar_type(obj: object) -> bool:
    """``float``, ``int``, ``bool`` and ``complex`` stand for dtypes where torch takes a dtype."""
    return any(obj is t for t in (builtins.float, builtins.int, builtins.bool, builtins.complex))


def _is_number(obj: object) -> bool:
    """torch's THPUtils_checkScalar: a Python number (bool included) or a NumPy scalar number."""
    return isinstance(obj, builtins.bool | builtins.int | builtins.float | builtins.complex) or isinstance(
        obj, np.integer | np.bool_ | np.floating | np.complexfloating
    )


def _accepts(kind: str, obj: object) -> bool:
    """Whether a parameter of torch's ``kind`` takes ``obj`` (before any value is looked at)."""
    if kind == "Device":
        return _is_long(obj) or isinstance(obj, str | bytes | device)
    if kind == "ScalarType":
        return isinstance(obj, D.dtype) or _is_python_scalar_type(obj)
    if kind == "bool":
        return isinstance(obj, builtins.bool)
    if kind == "MemoryFormat":
        return isinstance(obj, memory_format)
    if kind == "Tensor":  # to() is one of the functions that take a number where a tensor goes
        return isinstance(obj, Tensor) or _is_number(obj)
    if kind == "str":
        return isinstance(obj, str | bytes)
    if kind == "int":  # a 0-d integer tensor that needs no grad counts as an int
        if isinstance(obj, Tensor):
            return obj.ndim == 0 and obj.dtype.category == D.dtype.INT and not obj.requires_grad
        return _is_long(obj)
    raise AssertionError(kind)  # pragma: no cover


_KIND_NAMES = {
    "Device": "torch.device",
    "ScalarType": "torch.dtype",
    "MemoryFormat": "torch.memory_format",
    "Tensor": "Tensor",
    "bool": "bool",
    "str": "str",
    "int": "int",
}
_REQUIRED = object()


class _Param:
    """A parameter: torch's kind (``Device``, ``ScalarType``, ...), name, printed default, and whether
    None is accepted (``int? index=-1``; any parameter whose default is None)."""

    __slots__ = ("kind", "name", "default", "keyword_only", "allow_none")

    def __init__(
        self, kind: str, name: str, default: object = _REQUIRED, keyword_only: bool = False, nullable: bool = False
    ):
        self.kind, self.name, self.default, self.keyword_only = kind, name, default, keyword_only
        self.allow_none = nullable or default == "None"

    @property
    def optional(self) -> bool:
        return self.default is not _REQUIRED

    def __str__(self) -> str:
        text = f"{_KIND_NAMES[self.kind]} {self.name}"
        return text if not self.optional else f"{text} = {self.default}"


class _Signature:
    """One overload, as torch's FunctionSignature: ``parse`` binds a call's arguments or says why not."""

    def __init__(self, name: str, params: tuple[_Param, ...], hidden: bool = False):
        self.name, self.params, self.hidden = name, params, hidden
        self.min_args = sum(not p.optional for p in params)
        self.max_args = len(params)
        self.max_pos_args = sum(not p.keyword_only for p in params)

    def __str__(self) -> str:
        parts = []
        for i, p in enumerate(self.params):
            star = p.keyword_only and (i == 0 or not self.params[i - 1].keyword_only)
            parts.append(("*, " if star else "") + str(p))
        return "(" + ", ".join(parts) + ")"

    def parse(self, args: tuple, kwargs: dict, raise_exception: bool) -> dict | None:
        """The bound values (None where left out or None was allowed), or None when the call does not
        fit; with ``raise_exception``, the TypeError torch raises saying why."""
        nargs, remaining, arg_pos, out = len(args), len(kwargs), 0, {}
        if nargs > self.max_pos_args:
            return self._extra_args(nargs) if raise_exception else None
        for i, p in enumerate(self.params):
            is_kwd = arg_pos >= nargs
            present = not is_kwd or p.name in kwargs
            obj = args[arg_pos] if not is_kwd else kwargs.get(p.name)
            if (not present and p.optional) or (present and obj is None and p.allow_none):
                out[p.name] = None
            elif not present:
                return self._missing_args(i) if raise_exception else None
            elif _accepts(p.kind, obj):
                out[p.name] = obj
            elif raise_exception:
                where = "" if is_kwd else f" (position {arg_pos + 1})"
                raise TypeError(
                    f"{self.name}(): argument '{p.name}'{where} must be {_KIND_NAMES[p.kind]}, not {_tp_name(obj)}"
                )
            else:
                return None
            if not is_kwd:
                arg_pos += 1
            elif present:
                remaining -= 1
        if remaining > 0:
            return self._extra_kwargs(kwargs, nargs) if raise_exception else None
        return out

    def _extra_args(self, nargs: int):
        if self.min_args != self.max_pos_args:
            raise TypeError(
                f"{self.name}() takes from {self.min_args} to {self.max_pos_args} positional arguments "
                f"but {nargs} were given"
            )
        s = "" if self.max_pos_args == 1 else "s"
        raise TypeError(
            f"{self.name}() takes {self.max_pos_args} positional argument{s} but {nargs} "
            f"{'was' if nargs == 1 else 'were'} given"
        )

    def _missing_args(self, idx: int):
        names = [f'"{p.name}"' for p in self.params[idx:] if not p.optional]
        # torch's plural is the wrong way round ("1 required positional arguments"); kept
        s = "s" if len(names) == 1 else ""
        raise TypeError(f"{self.name}() missing {len(names)} required positional argument{s}: {', '.join(names)}")

    def _extra_kwargs(self, kwargs: dict, nargs: int):
        names = [p.name for p in self.params]
        for key in kwargs:  # in call order, as PyDict_Next walks them
            if key not in names:
                raise TypeError(f"{self.name}() got an unexpected keyword argument '{key}'")
            if names.index(key) < nargs:
                raise TypeError(f"{self.name}() got multiple values for argument '{key}'")
        raise TypeError("invalid keyword arguments")  # pragma: no cover - torch's "should never be hit"


def _parse_call(signatures: tuple[_Signature, ...], args: tuple, kwargs: dict) -> tuple[int, dict]:
    """torch's PythonArgParser: the first overload that binds the call, as (its position, its values)."""
    if len(signatures) == 1:
        return 0, signatures[0].parse(args, kwargs, True)
    for i, sig in enumerate(signatures):
        bound = sig.parse(args, kwargs, False)
        if bound is not None:
            return i, bound
    # torch explains a single plausible overload's refusal; otherwise it lists them all
    n = len(args) + len(kwargs)
    plausible = [s for s in signatures if not s.hidden and s.min_args <= n <= s.max_args]
    if len(plausible) == 1:
        plausible[0].parse(args, kwargs, True)
    raise TypeError(_invalid_combination(signatures[0].name, [s for s in signatures if not s.hidden], args, kwargs))


def _invalid_combination(name: str, signatures: list[_Signature], args: tuple, kwargs: dict) -> str:
    """torch's format_invalid_args.  It splits each printed overload at ", " into "arguments" whose name
    is the text after the last space ("*" and "= None" leftovers included) and matches types by name;
    its keyword arguments sit in a C++ unordered_map, which walks a few short distinct names in
    reverse order of insertion (checked against torch 2.13 for every ordering of up to four of
    to()'s keywords and some others)."""
    named = list(reversed(kwargs.items()))
    marked = ("\33[31;1m", "\33[0m") if os.isatty(1) and os.isatty(2) else ("!", "!")

    def arguments(sig: _Signature) -> list[tuple[str, str]]:  # (name, type name) per "argument"
        out = []
        for token in str(sig)[1:-1].split(", "):
            cut = token.rfind(" ")
            out.append((token, token) if cut < 0 else (token[cut + 1 :], token[:cut]))
        return out

    def matches(type_name: str, obj: object) -> bool:
        got = _tp_name(obj)
        if type_name == "float":
            return got in ("float", "int", "long")
        if type_name == "int":
            return got in ("int", "long")
        return got == type_name

    def described(obj: object) -> str:
        if isinstance(obj, tuple | list):
            inner = ", ".join(_tp_name(v) for v in obj)
            if isinstance(obj, tuple):
                return f"{_tp_name(obj)} of ({inner}{',' if len(obj) == 1 else ''})"
            return f"{_tp_name(obj)} of [{inner}]"
        return _tp_name(obj)

    def plain() -> str:
        text = "(" + "".join(f"{_tp_name(a)}, " for a in args) + "".join(f"{k}={_tp_name(v)}, " for k, v in named)
        return (text[:-2] if args else text) + ")"

    def formatted(option: list[tuple[str, str]]) -> str:
        kw = dict(named)
        text = "("
        for i in range(len(args) + len(kwargs)):
            arg_name, type_name = option[i]
            obj = kw[arg_name] if i >= len(args) else args[i]
            ok = matches(type_name, obj)
            text += ("" if ok else marked[0]) + (f"{arg_name}=" if i >= len(args) else "") + described(obj)
            text += ("" if ok else marked[1]) + ", "
        return (text[:-2] if args else text) + ")"

    def unmatched_keywords(option: list[tuple[str, str]]) -> list[str]:
        tail = {n for n, _ in option[max(len(option) - len(kwargs), 0) :]}
        return [k for k, _ in named if k not in tail]

    def count_matches(option: list[tuple[str, str]]) -> bool:
        return len(args) + len(kwargs) == len(option)

    head = f"{name}() received an invalid combination of arguments - "
    if len(signatures) == 1:
        option = arguments(signatures[0])
        wrong = unmatched_keywords(option) if kwargs else []
        if wrong:
            return head + "got unrecognized keyword arguments: " + ", ".join(wrong)
        got = formatted(option) if count_matches(option) else plain()
        return head + f"got {got}, but expected {signatures[0]}"
    lines = [head + f"got {plain()}, but expected one of:"]
    for sig in signatures:
        option = arguments(sig)
        lines.append(f" * {sig}")
        if count_matches(option):
            wrong = unmatched_keywords(option) if kwargs else []
            if wrong:
                lines.append("      didn't match because some of the keywords were incorrect: " + ", ".join(wrong))
            else:
                lines.append(
                    "      didn't match because some of the arguments have invalid types: " + formatted(option)
                )
    return "\n".join(lines) + "\n"


# -- torch.device -------------------------------------------------------------------------------

#: torch's device types, in the order its parse error lists them (c10/core/DeviceType.cpp)
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
#: c10's device string grammar: a type of ASCII letters and underscores, then ``:N`` without leading zeros
_DEVICE_STRING = re.compile(r"([A-Za-z_]+)(?::(0|[1-9][0-9]*))?")
#: c10::DeviceIndex is 8 bits: torch wraps a larger index (device('cpu', 255) has no index)
_MAX_INDEX = 127


def _c_message(text: str) -> str:
    """A C++ error message as Python receives it: cut at the first NUL character."""
    return text.split("\x00", 1)[0]


def _not_modelled_index(type_: str, index: int):
    raise NotImplementedError(
        f"device index {index} for {type_!r}: torch keeps a device index in 8 bits and wraps a larger one "
        f"(to {((index + 128) % 256) - 128}); that wrapping is not modelled by the reference"
    )


def _new_device(type_: str, index: int | None) -> device:
    if index is not None and index > _MAX_INDEX:
        _not_modelled_index(type_, index)
    d = object.__new__(device)
    object.__setattr__(d, "type", type_)
    object.__setattr__(d, "index", index)
    return d


def _device_text(obj: str | bytes) -> str:
    """The string torch parses: a str as UTF-8 (a lone surrogate cannot be), bytes as they are."""
    if isinstance(obj, bytes):
        try:
            return obj.decode("utf-8")
        except UnicodeDecodeError:
            # torch parses the raw bytes (a non-ASCII byte makes the string invalid) and Python then
            # decodes its message, cut at a NUL, as UTF-8: a UnicodeDecodeError unless the cut came first
            text = (b"Invalid device string: '" + obj + b"'").split(b"\x00", 1)[0].decode("utf-8")
            raise RuntimeError(text) from None
    try:
        obj.encode("utf-8")
    except UnicodeEncodeError:
        raise RuntimeError("error unpacking string as utf-8") from None
    return str(obj)


def _parse_device_string(text: str) -> tuple[str, int | None]:
    """c10::Device's string constructor: (type, index as written), with torch's errors in its order."""
    if not text:
        raise RuntimeError("Device string must not be empty")
    m = _DEVICE_STRING.fullmatch(text)
    if m is None:
        raise RuntimeError(_c_message(f"Invalid device string: '{text}'"))
    name, digits = m.groups()
    index = None
    if digits is not None:
        index = int(digits)
        if index > 2**31 - 1:  # std::stoi's range
            raise RuntimeError(f"Could not parse device index '{digits}' in device string '{text}'")
    if name not in DEVICE_TYPES:
        raise RuntimeError(f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of device string: {name}")
    if name == "mkldnn":
        _warn_mkldnn()
    return name, index


_mkldnn_warned = False


def _warn_mkldnn() -> None:
    """torch's TORCH_WARN_ONCE: the first 'mkldnn' device of the process warns, later ones do not."""
    global _mkldnn_warned
    if _mkldnn_warned:
        return
    _mkldnn_warned = True
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:  # point at the caller's line
        frame, level = frame.f_back, level + 1
    warnings.warn(
        "'mkldnn' is no longer used as device type. So torch.device('mkldnn') will be deprecated and "
        "removed in the future. Please use other valid device types instead.",
        UserWarning,
        stacklevel=level,
    )


def _device_from_object(obj: object) -> device:
    """torch's toDevice for a value a ``torch.device`` parameter accepted: a device, a string, or an int
    (an accelerator index -- the reference, like a CPU-only torch, has no accelerator)."""
    if isinstance(obj, device):
        return obj
    if _is_long(obj):
        if _unpack_long(obj) < 0:
            raise RuntimeError("Device index must not be negative")
        raise RuntimeError("Cannot access accelerator device when none is available.")
    return _new_device(*_parse_device_string(_device_text(obj)))


_DEVICE_SIGNATURES = (
    _Signature("device", (_Param("Device", "device"),)),
    _Signature("device", (_Param("str", "type"), _Param("int", "index", "-1", nullable=True))),
)


class device:
    """torch.device: a device type and an optional index.

    torch's rules: ``device(str)`` parses ``"type"`` or ``"type:N"`` (type one of :data:`DEVICE_TYPES`,
    N without sign or leading zeros); ``device(type, index)`` takes the index apart (a string with an
    index beside it is refused; None means no index; negative is refused); ``device(int)`` names an
    accelerator, which fails without one; a device gives itself.  Every type makes a device object,
    but tensors live only on the CPU here: using another device for a tensor raises
    NotImplementedError.  Devices compare equal to devices only (``device('cpu') == 'cpu'`` is False),
    ``cpu`` and ``cpu:0`` differ, and ``type``/``index`` are read-only.
    """

    __slots__ = ("type", "index")
    type: str
    index: int | None

    def __init__(self, *args: object, **kwargs: object) -> None:
        which, bound = _parse_call(_DEVICE_SIGNATURES, args, kwargs)
        if which == 0:
            d = _device_from_object(bound["device"])
        else:
            text = _device_text(bound["type"])
            type_, written = _parse_device_string(text)
            # an index in the string that wraps to "no index" escapes torch's check: it goes on
            wrapped_away = written is not None and ((written + 128) % 256) - 128 == -1
            if written is not None and not wrapped_away:
                raise RuntimeError(
                    f"type (string) must not include an index because index was passed explicitly: {text}"
                )
            index = None
            if bound["index"] is not None:
                given = bound["index"]
                index = _unpack_long(given.item() if isinstance(given, Tensor) else given)
                if index < 0:
                    raise RuntimeError("Device index must not be negative")
            if wrapped_away:
                _not_modelled_index(type_, written)
            d = _new_device(type_, index)
        object.__setattr__(self, "type", d.type)
        object.__setattr__(self, "index", d.index)

    def __setattr__(self, name: str, value: object) -> None:
        if name in device.__slots__:
            raise AttributeError(f"attribute '{name}' of 'torch.device' objects is not writable")
        object.__setattr__(self, name, value)  # AttributeError, as for any attribute a device lacks

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, device):
            return NotImplemented  # a string is not a device: device('cpu') == 'cpu' is False
        return (self.type, self.index) == (other.type, other.index)

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) != (other.type, other.index)

    def _unordered(self, other: object):
        if not isinstance(other, device):
            return NotImplemented
        raise TypeError("comparison not implemented")

    __lt__ = __le__ = __gt__ = __ge__ = _unordered

    def __hash__(self) -> int:
        """torch's hash: the DeviceType number shifted left 16 bits, or'ed with the index's low byte
        (255 for no index)."""
        index = 255 if self.index is None else self.index & 0xFF
        return (_DEVICE_TYPE_IDS[self.type] << 16) | index

    def __reduce__(self):
        return (device, (self.type,) if self.index is None else (self.type, self.index))

    def __enter__(self) -> device:
        """``with torch.device(...)`` makes it the default device of factory functions: the CPU already
        is, so entering a CPU device changes nothing; another device is not modelled."""
        if self.type != "cpu":
            _not_on_cpu(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def __repr__(self) -> str:
        return (
            f"device(type='{self.type}')" if self.index is None else f"device(type='{self.type}', index={self.index})"
        )

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"


#: c10::DeviceType's numbers (what torch's device hash is made of)
_DEVICE_TYPE_IDS = {
    "cpu": 0,
    "cuda": 1,
    "mkldnn": 2,
    "opengl": 3,
    "opencl": 4,
    "ideep": 5,
    "hip": 6,
    "fpga": 7,
    "maia": 8,
    "xla": 9,
    "vulkan": 10,
    "metal": 11,
    "xpu": 12,
    "mps": 13,
    "meta": 14,
    "hpu": 15,
    "ve": 16,
    "lazy": 17,
    "ipu": 18,
    "mtia": 19,
    "privateuseone": 20,
}

CPU = device("cpu")
_TORCH_TYPE_NAMES = {
    device: "torch.device",
    D.dtype: "torch.dtype",
    memory_format: "torch.memory_format",
    Size: "torch.Size",
}


def _not_on_cpu(d: device):
    """Tensors on any device but the CPU: a CPU-only torch refuses them with errors that depend on the
    build (AssertionError 'Torch not compiled with CUDA enabled', 'not linked with support for mps
    devices', ...), a GPU build makes them, torch makes meta tensors; the reference says it cannot."""
    raise NotImplementedError(
        f"device {str(d)!r}: the reference implementation runs on the CPU only; tensors on {d.type!r} "
        "devices are not modelled"
    )


def _check_device(dev: object, fname: str | None = None) -> device | None:
    """A factory's ``device=`` argument: None, or the device it names, which must be a CPU (any index).

    torch's rules: the argument must be a device, a string or an int (TypeError naming the factory
    otherwise); strings and ints are parsed as ``torch.device`` parses them.  The reference has only a
    CPU: any other device raises NotImplementedError instead of computing on the CPU silently."""
    if dev is None:
        return None
    if not _accepts("Device", dev):
        # torch names the factory; callers pass only the device, so read the name off the caller
        name = fname or sys._getframe(1).f_code.co_name
        raise TypeError(f"{name}(): argument 'device' must be torch.device, not {_tp_name(dev)}")
    d = _device_from_object(dev)
    if d.type != "cpu":
        _not_on_cpu(d)
    return d


def _scalar_type(obj: object) -> D.dtype:
    """A dtype argument: a dtype, or the Python type standing for one (float64, int64, bool, complex128)."""
    if isinstance(obj, D.dtype):
        return obj
    return {builtins.float: D.float64, builtins.int: D.int64, builtins.bool: D.bool, builtins.complex: D.complex128}[
        obj
    ]


def _number_dtype(obj: object) -> D.dtype:
    """The dtype of the 0-d tensor torch wraps a number into where ``to()`` takes a tensor: a Python
    number as a wrapped number (bool, int64, float64, complex128); a NumPy scalar that is not an integer
    is read as a double -- float64 even for ``numpy.bool_`` and complex ones (torch 2.13 does this)."""
    if isinstance(obj, builtins.bool):
        return D.bool
    if isinstance(obj, builtins.int):
        return D.int64
    if isinstance(obj, builtins.float):
        return D.float64
    if isinstance(obj, builtins.complex):
        return D.complex128
    return D.float64


_TO_OPTIONS = (
    _Param("bool", "non_blocking", "False"),
    _Param("bool", "copy", "False"),
    _Param("MemoryFormat", "memory_format", "None", keyword_only=True),
)
_TO_SIGNATURES = (
    _Signature("to", (_Param("Device", "device", "None"), _Param("ScalarType", "dtype", "None"), *_TO_OPTIONS)),
    _Signature("to", (_Param("ScalarType", "dtype"), *_TO_OPTIONS)),
    _Signature("to", (_Param("Tensor", "tensor"), *_TO_OPTIONS)),
)
_CPU_SIGNATURES = (_Signature("cpu", (_Param("MemoryFormat", "memory_format", "None", keyword_only=True),)),)
_CUDA_SIGNATURES = (
    _Signature(
        "cuda",
        (
            _Param("Device", "device", "None"),
            _Param("bool", "non_blocking", "False"),
            _Param("MemoryFormat", "memory_format", "None", keyword_only=True),
        ),
    ),
    # torch keeps the old spelling (``async=``) as a hidden overload: accepted, never listed
    _Signature(
        "cuda",
        (
            _Param("Device", "device", "None"),
            _Param("bool", "async", "False"),
            _Param("MemoryFormat", "memory_format", "None", keyword_only=True),
        ),
        hidden=True,
    ),
)


class _Version:
    """A version counter shared by a tensor, its views and its detached aliases."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


class Tensor:
    """A torch.Tensor over a NumPy array.

    Calling ``Tensor(...)`` directly follows torch's legacy constructor:
    ``Tensor([[1, 2]])`` copies data as float32 and ``Tensor(2, 3)`` makes an
    uninitialised float32 tensor of that shape.
    """

    __slots__ = (
        "_data",
        "_base",
        "_version_counter",
        "_requires_grad",
        "_grad",
        "_grad_fn",
        "_retains_grad",
        "_accumulator",
        "_output_nr",
        "_view_meta",
        "_inference",
        "_hooks",
        "__weakref__",
    )
    __array_priority__ = 1000  # ``ndarray + Tensor`` defers to Tensor.__radd__
    _regenerate_view: Callable  # installed by reference._views (it needs the ops, which sit above)

    def __init__(self, *args, dtype: D.dtype | None = None):
        dtype = dtype or D.float32
        if len(args) == 1 and not isinstance(args[0], int | np.integer):
            src = args[0]._data if isinstance(args[0], Tensor) else args[0]
            arr = np.array(src, dtype=dtype.np)
        else:
            arr = np.zeros(as_int_tuple(args, "Tensor"), dtype=dtype.np)
        self._init(arr, None)

    # -- construction helpers (internal) ------------------------------------
    def _init(self, arr: np.ndarray, base: Tensor | None) -> None:
        self._data = arr
        self._base = base
        self._version_counter = base._version_counter if base is not None else _Version()
        self._requires_grad = False
        self._grad = None
        self._grad_fn = None
        self._retains_grad = False
        self._accumulator = None
        self._output_nr = 0
        self._view_meta = None  # views: [version their grad_fn belongs to, created in no_grad mode]
        self._inference = is_inference_mode_enabled()  # created inside inference_mode: an inference tensor
        self._hooks = None  # gradient hooks of a leaf (a non-leaf's live on its grad_fn)

    @classmethod
    def _wrap(cls, arr: np.ndarray, laid_out: bool = False) -> Tensor:
        """A new tensor owning ``arr`` (no base).

        A C-ordered ``arr`` gets torch's contiguous strides for its size-1 and empty dims, unless
        ``laid_out`` says its strides are already the ones torch gives this result."""
        t = object.__new__(cls)
        if type(arr) is not np.ndarray:  # a NumPy ufunc on a 0-d array returns a scalar: keep an array
            arr = np.asarray(arr)
        if not laid_out and arr.ndim and arr.flags.c_contiguous:
            arr = as_contiguous_layout(arr)  # torch's strides for size-1 and empty dims
        t._init(arr, None)
        return t

    def _view(self, arr: np.ndarray) -> Tensor:
        """A tensor viewing ``arr``, which must be a NumPy view of ``self._data``.

        A view shares its base's ``requires_grad`` even when grad mode is off
        (torch: ``with no_grad(): x.view(-1)`` still requires grad, as a leaf).
        """
        t = object.__new__(Tensor)
        t._data = arr
        t._base = self._base if self._base is not None else self
        t._version_counter = counter = self._version_counter
        t._requires_grad = self._requires_grad
        t._grad = t._grad_fn = t._accumulator = None
        t._retains_grad = False
        t._output_nr = 0
        # how it was made: in no_grad mode, or as a custom Function's output; a view of such a view
        # inherits that (torch propagates the creation mode)
        inherited = self._view_meta[1] if self._view_meta is not None else False
        t._view_meta = [counter.value, inherited or ("no_grad" if not is_grad_enabled() else False)]
        t._inference = self._inference  # a view is an inference tensor exactly when its base is
        t._hooks = None
        return t

    def _alias(self) -> Tensor:
        """Shares storage and version counter but is not a view (what detach returns)."""
        t = object.__new__(Tensor)
        t._init(self._data.view(), None)
        t._version_counter = self._version_counter
        t._inference = self._inference
        return t

    @property
    def _version(self) -> int:
        """How many in-place writes this tensor's storage has seen (shared with its views)."""
        if self._inference:
            raise RuntimeError("Inference tensors do not track version counter.")
        return self._version_counter.value

    def is_inference(self) -> bool:
        """True for a tensor created inside ``inference_mode()`` (and its views)."""
        return self._inference

    def register_hook(self, hook: Callable) -> RemovableHandle:
        """Call ``hook(grad)`` whenever the gradient for this tensor is computed (before a leaf
        accumulates it and before a non-leaf's grad_fn consumes it); a returned tensor replaces the
        gradient.  Hooks run in the order registered, before ``retain_grad``'s.  Returns a handle
        whose ``remove()`` unregisters the hook."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._view_meta is not None and self._version_counter.value != self._view_meta[0]:
            raise NotImplementedError(
                "register_hook on a view whose base was modified in place after the view was made is not modelled "
                "(torch regenerates the view's grad_fn first; torch 2.13 crashes with a segmentation fault here)"
            )
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = {}
            hooks = self._hooks
        else:
            hooks = self.grad_fn.tensor_hooks.setdefault(self._output_nr, {})
        return RemovableHandle(hooks, hook)

    def _bump_version(self) -> None:
        self._version_counter.value += 1

    def _writable_data(self) -> np.ndarray:
        if not self._data.flags.writeable:
            raise RuntimeError(
                "unsupported operation: more than one element of the written-to tensor refers to a single "
                "memory location. Please clone() the tensor before performing the operation."
            )
        return self._data

    # -- metadata -------------------------------------------------------------
    @property
    def dtype(self) -> D.dtype:
        return D.from_numpy_dtype(self._data.dtype)

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def device(self) -> device:
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def is_cpu(self) -> bool:
        """True: every reference tensor lives on the CPU."""
        return True

    def get_device(self) -> int:
        """The device index of a CUDA tensor; -1 for a CPU tensor (torch's rule), so always -1 here."""
        return -1

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def size(self, dim: int | None = None):
        """The shape, or one dim's size (``dim`` may be negative)."""
        if dim is None:
            return self.shape
        return self._data.shape[wrap_dim(dim, self.ndim)] if self.ndim else _zero_dim_size(dim)

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    def stride(self, dim: int | None = None):
        """Strides in elements (NumPy counts bytes)."""
        st = tuple(s // self._data.itemsize for s in self._data.strides)
        if dim is None:
            return st
        if self.ndim == 0:
            wrap_dim(dim, 0)
            raise RuntimeError("stride() cannot be called on a 0-dim tensor")  # pragma: no cover
        return st[wrap_dim(dim, self.ndim)]

    def is_contiguous(self, memory_format=None) -> bool:
        """torch's rule: strides are row-major, ignoring size-1 dims; empty tensors are contiguous
        (NumPy's ``C_CONTIGUOUS`` flag follows the same rule).  With ``memory_format=channels_last``
        (``channels_last_3d``): the channels-last order instead (``_layout.is_contiguous_as``)."""
        if memory_format is None:
            return self._data.flags.c_contiguous
        from ._layout import is_contiguous_as

        return is_contiguous_as(self.shape, self.stride(), memory_format)

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_complex(self) -> bool:
        return self.dtype.is_complex

    def storage_offset(self) -> int:
        """Elements from the first byte of this tensor's storage to its first element: 0 for a new
        tensor, the slice's start for ``x[2:]``; views keep counting from their base's storage."""
        from ._storage import storage_offset

        return storage_offset(self._data)

    def untyped_storage(self):
        """The bytes this tensor views, all of them (a view's storage is its base's): tensors share
        memory exactly when their storages' ``data_ptr()`` are equal."""
        from ._storage import UntypedStorage, storage_bytes

        return UntypedStorage(storage_bytes(self._data))

    def data_ptr(self) -> int:
        return int(self._data.__array_interface__["data"][0])

    def _is_view(self) -> bool:
        return self._base is not None

    @property
    def data(self) -> Tensor:
        """The same storage outside autograd, with a version counter of its own: in-place writes
        through ``.data`` are invisible to autograd's checks (torch's rule, and its hazard)."""
        t = object.__new__(Tensor)
        t._init(self._data.view(), None)
        t._inference = self._inference
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        """``x.data = t``: ``x`` now shows ``t``'s storage, shape and dtype, keeping its autograd
        identity (a leaf requiring grad needs a floating or complex ``t``)."""
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if self._requires_grad and not (value.dtype.is_floating_point or value.dtype.is_complex):
            raise RuntimeError("data set to a tensor that requires gradients must be floating point or complex dtype")
        self._data = value._data

    # -- autograd metadata --------------------------------------------------------
    @property
    def grad_fn(self):
        """The node that produced this tensor (None for leaves).

        A view whose base (or another view of it) was modified in place since its grad_fn was
        set gets a new one on access, as in torch: an AsStridedBackward0 of the base's current
        history.  A view made in no_grad mode refuses that (RuntimeError)."""
        meta = self._view_meta
        if meta is None or (self._grad_fn is None and not self._base._requires_grad):
            return self._grad_fn
        if meta[0] != self._version_counter.value:
            if meta[1]:
                raise RuntimeError(view_refusal(meta[1], direct=False, view=self))
            Tensor._regenerate_view(self)  # reference._views installs it
        return self._grad_fn

    @grad_fn.setter
    def grad_fn(self, node) -> None:
        self._grad_fn = node
        if self._view_meta is not None:
            self._view_meta[0] = self._version_counter.value

    @property
    def requires_grad(self) -> bool:
        """Set on leaves; a view also requires grad once its base does (even when the base started
        requiring grad through an in-place write after the view was made)."""
        return self._requires_grad or (self._base is not None and self._base._requires_grad)

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Only leaves may change the flag, and only floating/complex tensors may require grad."""
        if self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            )
        if requires_grad and not (self.dtype.is_floating_point or self.dtype.is_complex):
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self):
        """Accumulated gradient (leaves, and non-leaves after retain_grad()); a non-leaf warns as in torch."""
        if self.grad_fn is not None and not self._retains_grad and self._grad is None:
            _engine._warn_nonleaf_grad()
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        self._grad = value

    def retain_grad(self) -> None:
        _engine.retain_grad(self)

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def backward(self, gradient=None, retain_graph=None, create_graph: bool = False, inputs=None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (``gradient`` needed unless self has one element)."""
        _engine.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    @property
    def is_leaf(self) -> bool:
        """Tensors not produced by a recorded op are leaves (including all that don't require grad)."""
        return self.grad_fn is None

    def detach(self) -> Tensor:
        """A tensor sharing storage (and version counter) with ``self``, outside the graph.

        torch does not mark it as a view (``_base`` is None), yet writes through
        either are seen by both.
        """
        return self._alias()

    def detach_(self) -> Tensor:
        """Detach in place: ``self`` becomes a leaf that does not require grad.  Views refuse it."""
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) "
                "for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and "
                "hence detach_() cannot be called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self.grad_fn = None
        self._requires_grad = False
        return self

    # -- conversion -------------------------------------------------------------
    def item(self):
        """The single element as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The underlying ndarray itself: writes through it change the tensor."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        arr = self._data
        return arr if dtype is None else arr.astype(dtype)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()).item())

    def _python_scalar(self):
        """The one element, for ``float()``/``int()``/``complex()`` (ValueError for any other size)."""
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __float__(self) -> float:
        return float(_real_part(self._python_scalar(), "double"))

    def __int__(self) -> int:
        return int(_real_part(self._python_scalar(), "int64_t"))

    def __complex__(self) -> complex:
        return complex(self._python_scalar())

    def __index__(self) -> int:
        if self.dtype.category not in (D.dtype.INT, D.dtype.BOOL) or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        from ._format import tensor_repr

        return tensor_repr(self)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if self.ndim == 0 and spec:
            return format(self.item(), spec)
        return repr(self)

    def __deepcopy__(self, memo: dict) -> Tensor:
        """``copy.deepcopy``: a leaf with its own copy of the data (the layout kept), the same
        ``requires_grad`` and a deep copy of ``grad``.  torch copies leaves only: a tensor with a
        ``grad_fn`` is RuntimeError."""
        if self._grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the "
                "moment.  If you were attempting to deepcopy a module, this may be because of a "
                "torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001"
            )
        if id(self) in memo:
            return memo[id(self)]
        from ._layout import preserving_layout

        new = object.__new__(type(self))
        new._init(preserving_layout(self._data.copy(order="K"), self._data), None)
        new._requires_grad = self._requires_grad
        memo[id(self)] = new
        if self._grad is not None and type(self) is Tensor:  # a Parameter's copy starts without one
            new._grad = self._grad.__deepcopy__(memo)
        return new

    def clone(self, *, memory_format=None) -> Tensor:
        """A copy that owns its data.  ``preserve_format`` (the default): a dense input's layout is kept,
        any other is made dense in the same order of strides; ``contiguous_format`` is row-major;
        ``channels_last`` (4 dims) / ``channels_last_3d`` (5 dims) channels-last, else RuntimeError."""
        from ._autograd_hooks import record_unary
        from ._layout import lay_out, like_strides, preserving_layout

        if memory_format is None:
            out = Tensor._wrap(preserving_layout(self._data.copy(order="K"), self._data), laid_out=True)
        else:
            strides = like_strides(tuple(self.shape), self.stride(), memory_format)
            out = Tensor._wrap(lay_out(np.array(self._data, copy=True), strides), laid_out=True)
        return record_unary(out, self, "CloneBackward0", lambda g: g)

    def contiguous(self, memory_format=None) -> Tensor:
        """``self`` when already contiguous in ``memory_format`` (row-major by default, or channels-last),
        else a copy laid out so (``CloneBackward0``).  ``preserve_format`` is refused unless ``self`` is
        already row-major contiguous (RuntimeError)."""
        from ._layout import contiguous_format, preserve_format

        if self.is_contiguous(memory_format):
            return self
        if memory_format is preserve_format:
            raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
        return self.clone(memory_format=memory_format or contiguous_format)

    @overload
    def to(
        self,
        dtype: D.dtype,
        non_blocking: bool = False,
        copy: bool = False,
        *,
        memory_format: memory_format | None = None,
    ) -> Tensor: ...

    @overload
    def to(
        self,
        device: device | str | int | None = None,
        dtype: D.dtype | None = None,
        non_blocking: bool = False,
        copy: bool = False,
        *,
        memory_format: memory_format | None = None,
    ) -> Tensor: ...

    @overload
    def to(
        self,
        other: Tensor,
        non_blocking: bool = False,
        copy: bool = False,
        *,
        memory_format: memory_format | None = None,
    ) -> Tensor: ...

    def to(self, *args, **kwargs) -> Tensor:
        """torch's three overloads, tried in this order:

        * ``to(device=None, dtype=None, non_blocking=False, copy=False, *, memory_format=None)``
        * ``to(dtype, non_blocking=False, copy=False, *, memory_format=None)``
        * ``to(tensor, non_blocking=False, copy=False, *, memory_format=None)`` -- the other tensor's
          dtype and device; a Python number stands for a 0-d tensor (``1.0`` float64, ``True`` bool,
          ``1j`` complex128), but an int is taken as a device index first.

        A dtype may be ``float``, ``int``, ``bool`` or ``complex``; ``non_blocking`` and ``copy`` must be
        bools.  A call no overload takes is a TypeError listing them.  The result is ``self`` unless the
        dtype or the device (``cpu:0`` is not ``cpu``) changes, ``copy`` is True, or ``memory_format`` differs
        from the one ``self``'s strides suggest; a copy is recorded as ``ToCopyBackward0``.
        ``non_blocking`` changes nothing on the CPU.  Another device than the CPU raises NotImplementedError.
        """
        if not kwargs and len(args) == 1 and isinstance(args[0], D.dtype):
            return self._to(None, args[0], False, None)  # to(dtype), the common call: what parsing would give
        which, bound = _parse_call(_TO_SIGNATURES, args, kwargs)
        if which == 0:
            dev = None if bound["device"] is None else _device_from_object(bound["device"])
            dtype = None if bound["dtype"] is None else _scalar_type(bound["dtype"])
        elif which == 1:
            dev, dtype = None, _scalar_type(bound["dtype"])
        else:
            other = bound["tensor"]
            dev, dtype = (other.device, other.dtype) if isinstance(other, Tensor) else (CPU, _number_dtype(other))
        return self._to(dev, dtype, builtins.bool(bound["copy"]), bound["memory_format"])

    def _to(self, dev: device | None, dtype: D.dtype | None, copy: bool, fmt: memory_format | None) -> Tensor:
        """aten's ``to``: ``self`` when ``to_will_alias`` says nothing changes, else ``_to_copy``."""
        if dev is not None and dev.type != "cpu":
            _not_on_cpu(dev)
        if (
            (dev is None or dev.index is None)  # a tensor's device is "cpu": "cpu:0" is a change
            and (dtype is None or dtype is self.dtype)
            and not copy
            and (fmt is None or fmt is preserve_format or fmt is self._suggested_format())
        ):
            return self
        from ._casting import cast

        dtype = self.dtype if dtype is None else dtype
        if fmt is None or fmt is preserve_format:
            return cast(self, dtype)  # dense layouts kept, others made dense in the same stride order
        strides = like_strides(self._data.shape, element_strides(self._data), fmt)  # rank checked first
        out = cast(self, dtype)
        out._data = lay_out(out._data, strides)
        return out

    def _suggested_format(self) -> memory_format:
        """torch's ``suggest_memory_format()``: channels-last (3d) where a 4-d (5-d) tensor's strides look
        like it, else contiguous -- even for a transposed tensor, which ``to(memory_format=
        torch.contiguous_format)`` therefore returns as it is."""
        from ._layout import channels_last, channels_last_3d, contiguous_format

        shape = self._data.shape
        if len(shape) in (4, 5) and suggests_channels_last(shape, element_strides(self._data)):
            return channels_last if len(shape) == 4 else channels_last_3d
        return contiguous_format

    def type(self, dtype=None):
        if dtype is None:
            return _LEGACY_TYPE_NAMES[self.dtype.name]
        return self.to(dtype)

    def cpu(self, *args, **kwargs) -> Tensor:
        """``cpu(*, memory_format=torch.preserve_format)``: already on the CPU, so ``self`` (the same
        object) unless ``memory_format`` asks for another layout."""
        _, bound = _parse_call(_CPU_SIGNATURES, args, kwargs)
        return self._to(CPU, None, False, bound["memory_format"])

    def cuda(self, *args, **kwargs) -> Tensor:
        """``cuda(device=None, non_blocking=False, *, memory_format=torch.preserve_format)``.

        torch parses the device first (an int is an accelerator index: an error without one; a
        non-CUDA device is 'Invalid device, must be cuda device'); a CUDA device raises
        NotImplementedError: the reference runs on the CPU only."""
        _, bound = _parse_call(_CUDA_SIGNATURES, args, kwargs)
        dev = device("cuda") if bound["device"] is None else _device_from_object(bound["device"])
        if dev.type != "cuda":
            raise RuntimeError("Invalid device, must be cuda device")
        _not_on_cpu(dev)

    def half(self) -> Tensor:
        return self.to(D.float16)

    def float(self) -> Tensor:
        return self.to(D.float32)

    def double(self) -> Tensor:
        return self.to(D.float64)

    def short(self) -> Tensor:
        return self.to(D.int16)

    def int(self) -> Tensor:
        return self.to(D.int32)

    def long(self) -> Tensor:
        return self.to(D.int64)

    def byte(self) -> Tensor:
        return self.to(D.uint8)

    def char(self) -> Tensor:
        return self.to(D.int8)

    def bool(self) -> Tensor:
        return self.to(D.bool)

    def cfloat(self) -> Tensor:
        return self.to(D.complex64)

    def cdouble(self) -> Tensor:
        return self.to(D.complex128)


_LEGACY_TYPE_NAMES = {
    "float32": "torch.FloatTensor",
    "float64": "torch.DoubleTensor",
    "float16": "torch.HalfTensor",
    "int64": "torch.LongTensor",
    "int32": "torch.IntTensor",
    "int16": "torch.ShortTensor",
    "int8": "torch.CharTensor",
    "uint8": "torch.ByteTensor",
    "bool": "torch.BoolTensor",
    "complex64": "torch.ComplexFloatTensor",
    "complex128": "torch.ComplexDoubleTensor",
}


class RemovableHandle:
    """What ``register_hook`` returns: ``remove()`` takes the hook out again (twice is harmless)."""

    _next_id = 0

    def __init__(self, hooks: dict, hook: Callable) -> None:
        RemovableHandle._next_id += 1
        self.id = RemovableHandle._next_id
        self._hooks = hooks
        hooks[self.id] = hook

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def _zero_dim_size(dim) -> int:
    wrap_dim(dim, 0)
    raise IndexError("size(): a 0-dim tensor has no dimensions")  # pragma: no cover


D.register_tensor_class(Tensor)


def tensor_method(fn: Callable | None = None, *, name: str | None = None):
    """Register an op function as a Tensor method too (its first argument is ``input``).

    The one way ops attach to Tensor: plain methods, operators (``name="__add__"``) and
    properties (``tensor_method(property(fn), name="T")``).  A function given ``out=`` by
    ``_out.with_out`` attaches without it: torch's Tensor methods have no ``out`` keyword."""

    def register(f: Callable) -> Callable:
        setattr(Tensor, name or f.__name__, getattr(f, "_method", f))
        return f

    return register(fn) if fn is not None else register


def as_array(x, dtype: D.dtype | None = None) -> np.ndarray:
    """The ndarray behind a Tensor or a Python scalar, optionally cast."""
    arr = x._data if isinstance(x, Tensor) else np.asarray(x)
    if dtype is not None and arr.dtype != dtype.np:
        arr = arr.astype(dtype.np)
    return arr
