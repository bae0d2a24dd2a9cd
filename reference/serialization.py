"""``torch.save`` and ``torch.load`` in torch's own file format, in pure Python and NumPy.

torch's format (``_use_new_zipfile_serialization=True``, the default since torch 1.6) is a zip
archive whose entries are stored, not compressed, under one folder (the file name's stem, or
``archive`` for a file object)::

    archive/data.pkl            the object, pickled with protocol 2
    archive/.format_version     b"1"
    archive/.storage_alignment  b"64"   (each record's data starts on a 64-byte boundary)
    archive/byteorder           b"little" (or b"big"; no record means little)
    archive/data/0, data/1 ...  one record per storage: its raw bytes
    archive/version             b"3\\n"
    archive/.data/serialization_id

In ``data.pkl`` a tensor is the call ``torch._utils._rebuild_tensor_v2(storage, storage_offset, size,
stride, requires_grad, backward_hooks)`` (``_rebuild_tensor_v3`` with a trailing dtype for dtypes
without a legacy storage class), a parameter is ``_rebuild_parameter(tensor, requires_grad, hooks)``,
and a storage is the persistent id ``("storage", torch.FloatStorage, key, location, numel)``: key
names its record, numel counts elements of the storage type.  Tensors that share a storage share one
record, so sharing survives a round trip.

Loading is safe by default (``weights_only=True``, as in torch >= 2.6): the pickle is interpreted
opcode by opcode by the same rules as torch's weights-only unpickler -- only the globals torch
allows (tensor rebuilders, storage types, dtypes, ``torch.Size``, ``torch.device``,
``collections.OrderedDict``...), only on the objects torch allows -- and anything else is refused
with ``pickle.UnpicklingError`` naming it, before it can run.  Records are checked against what
the pickle claims before anything is allocated.  The reference never imports torch.
"""

from __future__ import annotations

import codecs
import collections
import io
import os
import pickle
import secrets
import struct
import sys
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import numpy as np

from . import _dtype as D
from ._storage import UntypedStorage, storage_offset, storage_span
from ._tensor import Size, Tensor, device

__all__ = [
    "save",
    "load",
    "add_safe_globals",
    "get_safe_globals",
    "clear_safe_globals",
    "safe_globals",
    "DEFAULT_PROTOCOL",
]

DEFAULT_PROTOCOL = 2
_ALIGNMENT = 64
#: a compressed record may expand this many times at most (torch writes stored records: ratio 1)
_MAX_EXPANSION = 100


# -- the names torch's pickles use ----------------------------------------------------------------


class _TorchGlobal:
    """A name in torch's namespace, written into a pickle without importing torch."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args):  # pickle's save_reduce wants a callable; only torch ever calls it
        raise TypeError(f"{self} is torch's, written into checkpoints by name")

    def __repr__(self) -> str:
        return f"{self.module}.{self.name}"


_REBUILD_TENSOR = _TorchGlobal("torch._utils", "_rebuild_tensor_v2")
_REBUILD_PARAMETER = _TorchGlobal("torch._utils", "_rebuild_parameter")
_SIZE = _TorchGlobal("torch", "Size")
_DEVICE = _TorchGlobal("torch", "device")
_STORAGE_TYPES = {dt: _TorchGlobal("torch", f"{dt._torch_name}Storage") for dt in D.ALL_DTYPES}


class _StorageType:
    """A storage class found in a pickle: ``dtype`` is None for ``UntypedStorage`` (bytes)."""

    def __init__(self, name: str, dtype: D.dtype | None, missing: str | None = None):
        self.name, self.dtype, self.missing = name, dtype, missing


class _NotModelled:
    """A global torch allows in weights-only files for a feature the reference does not model:
    calling it raises NotImplementedError naming the feature (never a silently different object)."""

    def __init__(self, name: str, feature: str):
        self.name, self.feature = name, feature

    def __call__(self, *args, **kwargs):
        raise NotImplementedError(f"loading {self.feature} ({self.name}) is not modelled by the reference")


# -- saving --------------------------------------------------------------------------------------


class _StorageRef:
    """One storage being saved: its root array, the dtype its tensors view it as, its record key."""

    def __init__(self, key: str, root: np.ndarray, low: int, nbytes: int, dtype: D.dtype):
        self.key, self.root, self.low, self.nbytes, self.dtype = key, root, low, nbytes, dtype

    def pid(self) -> tuple:
        return ("storage", _STORAGE_TYPES[self.dtype], self.key, "cpu", self.nbytes // self.dtype.itemsize)

    def data(self):
        """The storage's bytes, in this machine's byte order (which the byteorder record states);
        a view of the memory, not a copy, where the storage is one block."""
        if self.nbytes == 0:
            return b""
        flat = np.lib.stride_tricks.as_strided(
            self.root, shape=(self.nbytes // self.root.itemsize,), strides=(self.root.itemsize,)
        )
        return memoryview(np.ascontiguousarray(flat).view(np.uint8))


class _PlainTensor:
    """A parameter's data, pickled as a tensor that does not require grad (torch pickles ``param.data``)."""

    def __init__(self, t: Tensor):
        self.t = t


class _Pickler(pickle._Pickler):  # the Python pickler: its save_global can write torch's names
    def __init__(self, file, protocol: int):
        super().__init__(file, protocol)
        self.storages: dict[int, _StorageRef] = {}
        self.dtype_at: dict[int, D.dtype] = {}

    def persistent_id(self, obj):
        return obj.pid() if isinstance(obj, _StorageRef) else None

    def reducer_override(self, obj):
        from .nn.modules import Module, Parameter

        if isinstance(obj, _TorchGlobal | D.dtype):
            return "global"  # saved by save_global below
        if isinstance(obj, Parameter):
            return (_REBUILD_PARAMETER, (_PlainTensor(obj), obj.requires_grad, collections.OrderedDict()))
        if isinstance(obj, _PlainTensor):
            return self._tensor(obj.t, False)
        if isinstance(obj, Tensor):
            return self._tensor(obj, obj.requires_grad)
        if isinstance(obj, Size):
            return (_SIZE, (tuple(obj),))
        if isinstance(obj, device):
            return (_DEVICE, (obj.type,) if obj.index is None else (obj.type, obj.index))
        if isinstance(obj, UntypedStorage):
            raise NotImplementedError("saving a bare storage is not modelled by the reference: save a tensor")
        if isinstance(obj, Module):
            raise NotImplementedError(
                f"saving a whole nn.Module ({type(obj).__name__}) is not modelled by the reference "
                "(and torch.load refuses it with weights_only=True): save its state_dict()"
            )
        return NotImplemented

    def save_global(self, obj, name=None):
        if isinstance(obj, _TorchGlobal):
            module, name = obj.module, obj.name
        elif isinstance(obj, D.dtype):
            module, name = "torch", obj.name
        else:
            return super().save_global(obj, name)
        if self.proto >= 4:  # pragma: no cover - protocol 2 is the default and what torch reads best
            self.save(module)
            self.save(name)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + module.encode() + b"\n" + name.encode() + b"\n")
        self.memoize(obj)

    def _tensor(self, t: Tensor, requires_grad: bool):
        arr = t._data
        root, low, nbytes = storage_span(arr)
        # torch keys this check by the storage's address: two storages over one buffer (from_numpy of
        # two views of one array) may not be saved as different dtypes either
        if nbytes and self.dtype_at.setdefault(low, t.dtype) is not t.dtype:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data as different types")
        ref = self.storages.get(id(root))
        if ref is None:
            ref = _StorageRef(str(len(self.storages)), root, low, nbytes, t.dtype)
            self.storages[id(root)] = ref
        size, stride = tuple(t.shape), t.stride()
        return (
            _REBUILD_TENSOR,
            (ref, storage_offset(arr), size, stride, bool(requires_grad), collections.OrderedDict()),
        )


def _archive_name(f) -> str:
    """The records' folder: torch names it after the file (its stem: what precedes the last dot), and
    ``archive`` for a file object or a name that is not ASCII (torch writes those through a Python file
    object); a name with nothing before its last dot (``.pt``) is refused, as torch's writer does."""
    if isinstance(f, str | os.PathLike):
        name = os.path.basename(os.fspath(f))
        if not name.isascii():
            return "archive"
        stem = name[: name.rfind(".")] if "." in name else name
        if not stem:
            raise RuntimeError(f"invalid file name: {os.fspath(f)}")
        return stem
    return "archive"


def _aligned_info(zf: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """A stored entry whose data starts on a 64-byte boundary (torch pads the local header's extra field)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    start = zf.start_dir + 30 + len(name.encode())
    pad = (-(start + 4)) % _ALIGNMENT
    info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    return info


def save(
    obj: Any,
    f,
    pickle_module: Any = None,
    pickle_protocol: int = DEFAULT_PROTOCOL,
    _use_new_zipfile_serialization: bool = True,
    _disable_byteorder_record: bool = False,
) -> None:
    """Write ``obj`` to ``f`` (a path, a ``pathlib.Path`` or a binary file object) in torch's zip format.

    torch's rules: tensors (any dtype the reference has, views and non-contiguous layouts included)
    are saved with their whole storage, once per storage, so tensors sharing memory share it again
    after loading; the same object saved twice is loaded as one object; ``requires_grad`` is kept
    (a non-leaf is loaded as a leaf that requires grad); a ``Parameter`` stays a ``Parameter``.
    Containers (dict, ``OrderedDict``, list, tuple), numbers, strings, bytes, ``None``, ``torch.Size``,
    ``torch.device`` and dtypes are pickled as Python pickles them.  Two tensors that view one storage
    as different dtypes are refused (RuntimeError), as in torch.
    """
    if not _use_new_zipfile_serialization:
        raise NotImplementedError(
            "the legacy torch.save format (_use_new_zipfile_serialization=False) is not modelled by the reference"
        )
    if pickle_module is not None and pickle_module is not pickle:
        raise NotImplementedError(
            "save(pickle_module=...) other than the pickle module is not modelled by the reference"
        )
    buf = io.BytesIO()
    pickler = _Pickler(buf, pickle_protocol)
    pickler.dump(obj)
    prefix = _archive_name(f) + "/"
    records = [("data.pkl", buf.getvalue()), (".format_version", b"1"), (".storage_alignment", b"64")]
    # torch 2.13 writes the byteorder record even with _disable_byteorder_record=True (its writer adds it)
    records.append(("byteorder", sys.byteorder.encode()))
    records += [(f"data/{ref.key}", ref.data()) for ref in pickler.storages.values()]
    records += [("version", b"3\n"), (".data/serialization_id", str(secrets.randbits(128)).zfill(40).encode())]

    def write(fileobj):
        with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED) as zf:
            for name, data in records:
                zf.writestr(_aligned_info(zf, prefix + name), data)

    if isinstance(f, str | os.PathLike):
        with open(f, "wb") as fileobj:
            write(fileobj)
    else:
        write(f)


# -- loading -------------------------------------------------------------------------------------


_INT64_MAX = 2**63 - 1


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _rebuild_checks(storage, storage_offset, size, stride) -> None:
    """The arguments of a tensor rebuilder, checked with the exception classes torch's rebuild raises."""
    if not isinstance(storage, _LoadedStorage):
        raise AttributeError(f"a tensor's storage must be a storage record, got {type(storage).__name__}")
    if not _is_int(storage_offset):
        raise TypeError(f"a tensor's storage offset must be an int, got {storage_offset!r}")
    if storage_offset > _INT64_MAX:
        raise ValueError(f"a tensor's storage offset {storage_offset} does not fit in int64")
    if storage_offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {storage_offset}")
    for name, dims in (("size", size), ("stride", stride)):
        if not (isinstance(dims, tuple | list) and all(_is_int(d) for d in dims)):
            raise TypeError(f"a tensor's {name} must be a sequence of ints, got {dims!r}")
        if any(abs(d) > _INT64_MAX for d in dims):
            raise ValueError(f"a tensor's {name} {tuple(dims)} does not fit in int64")
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape: size {tuple(size)}, stride {tuple(stride)}")
    if any(s < 0 for s in size):
        raise RuntimeError(f"Trying to create tensor with negative dimension: size {tuple(size)}")
    if any(s < 0 for s in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got strides: {list(stride)}")


class _LoadedStorage:
    """One storage record, read and checked: a NumPy array of its elements (bytes for untyped)."""

    def __init__(self, array: np.ndarray, dtype: D.dtype | None, key: str):
        self.array, self.dtype, self.key = array, dtype, key

    def view_as(self, dt: D.dtype, offset: int, size, stride) -> np.ndarray:
        """The tensor's elements: the storage's bytes read as ``dt`` (torch reinterprets an untyped
        storage, and a typed one through ``_rebuild_tensor_v3``), bounds checked in bytes."""
        raw = self.array.view(np.uint8) if self.array.size else np.empty(0, dtype=np.uint8)
        item = dt.itemsize
        numel = int(np.prod(size, dtype=object))
        needed = 0 if numel == 0 else (offset + 1 + sum((n - 1) * s for n, s in zip(size, stride, strict=True))) * item
        if needed > raw.size:
            raise RuntimeError(
                f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, and itemsize "
                f"{item} requiring a storage size of {needed} are out of bounds for storage of size {raw.size}"
            )
        from ._shape import _offset_view

        usable = raw[: raw.size - raw.size % item].view(dt.np) if raw.size >= item else np.empty(0, dtype=dt.np)
        if usable.size == 0 and raw.size:  # fewer bytes than one element: only empty views reach here
            usable = np.empty(0, dtype=dt.np)
        try:
            # a view of the storage (tensors of one storage share it), at its offset even when empty
            start = _offset_view(usable, offset * item)
            return np.lib.stride_tricks.as_strided(start, shape=tuple(size), strides=tuple(s * item for s in stride))
        except (ValueError, OverflowError) as e:
            raise NotImplementedError(
                f"a tensor of size {tuple(size)} and stride {tuple(stride)}: NumPy cannot represent it ({e}), "
                "so the reference does not model it"
            ) from None


def _tensor_from(storage: _LoadedStorage, dt: D.dtype, offset, size, stride, requires_grad) -> Tensor:
    t = Tensor._wrap(storage.view_as(dt, offset, size, stride), laid_out=True)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _check_hooks(backward_hooks, metadata=None) -> None:
    if backward_hooks:
        raise NotImplementedError("loading tensors with backward hooks is not modelled by the reference")
    if metadata:
        raise NotImplementedError(f"loading tensor metadata {sorted(metadata)} is not modelled by the reference")


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None):
    """torch._utils._rebuild_tensor_v2: a tensor of the storage's dtype over its record (an untyped
    storage is bytes: uint8)."""
    _rebuild_checks(storage, storage_offset, size, stride)  # torch's set_ runs first
    if not isinstance(requires_grad, bool):  # then ``tensor.requires_grad = requires_grad``
        raise RuntimeError(f"requires_grad must be a bool, got {requires_grad!r}")
    _check_hooks(backward_hooks, metadata)
    return _tensor_from(storage, storage.dtype or D.uint8, storage_offset, size, stride, requires_grad)


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype, metadata=None):
    """torch._utils._rebuild_tensor_v3: the storage's bytes viewed as ``dtype``."""
    if isinstance(dtype, _NotModelled):
        dtype()  # raises NotImplementedError naming the dtype
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"_rebuild_tensor_v3 needs a dtype, got {dtype!r}")
    # torch makes ``empty(0, dtype=dtype, requires_grad=requires_grad)`` and then ``set_``s it: a
    # non-bool flag is a TypeError (None means False), an integer dtype cannot require grad, and a
    # leaf that requires grad cannot be ``set_`` -- so torch 2.13 loads no v3 tensor that requires grad
    if requires_grad is not None and not isinstance(requires_grad, bool):
        raise TypeError(f"empty(): argument 'requires_grad' must be bool, not {type(requires_grad).__name__}")
    if requires_grad and not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    if requires_grad:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    _rebuild_checks(storage, storage_offset, size, stride)
    _check_hooks(backward_hooks, metadata)
    return _tensor_from(storage, dtype, storage_offset, size, stride, False)


def _rebuild_tensor(storage, storage_offset, size, stride):
    """torch._utils._rebuild_tensor (files of torch < 1.0's pickles)."""
    _rebuild_checks(storage, storage_offset, size, stride)
    return _tensor_from(storage, storage.dtype or D.uint8, storage_offset, size, stride, False)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    """torch._utils._rebuild_parameter: ``nn.Parameter(data, requires_grad)`` (which refuses
    requires_grad for integer and bool data)."""
    from .nn.modules import Parameter

    if not isinstance(data, Tensor):
        raise AttributeError(f"_rebuild_parameter needs a tensor, got {type(data).__name__}")
    if not isinstance(requires_grad, bool):  # torch's Tensor._make_subclass takes a bool only
        raise TypeError(f"_make_subclass(): argument 'require_grad' must be bool, not {type(requires_grad).__name__}")
    _check_hooks(backward_hooks)
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    if state:
        raise NotImplementedError("loading a Parameter with extra Python state is not modelled by the reference")
    return _rebuild_parameter(data, requires_grad, backward_hooks)


def _dtype_globals() -> dict[str, Any]:
    """torch.<dtype> names: the reference's dtypes, and the ones it does not model."""
    out: dict[str, Any] = {f"torch.{dt.name}": dt for dt in D.ALL_DTYPES}
    for name in (
        "bfloat16 complex32 uint16 uint32 uint64 float8_e4m3fn float8_e4m3fnuz float8_e5m2 float8_e5m2fnuz "
        "float8_e8m0fnu float4_e2m1fn_x2 bits16 bits1x8 bits2x4 bits4x2 bits8 int1 int2 int3 int4 int5 int6 int7 "
        "uint1 uint2 uint3 uint4 uint5 uint6 uint7 qint8 quint8 qint32 quint4x2 quint2x4"
    ).split():
        out[f"torch.{name}"] = _NotModelled(f"torch.{name}", f"tensors of dtype {name}")
    return out


def _storage_globals() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dt in D.ALL_DTYPES:
        name = f"{dt._torch_name}Storage"
        out[f"torch.{name}"] = _StorageType(name, dt)
        out[f"torch.cuda.{name}"] = _StorageType(f"cuda.{name}", dt)
    for name in (
        "BFloat16Storage",
        "QInt32Storage",
        "QInt8Storage",
        "QUInt2x4Storage",
        "QUInt4x2Storage",
        "QUInt8Storage",
    ):
        out[f"torch.{name}"] = _StorageType(name, None, missing=name.removesuffix("Storage"))
    out["torch.cuda.BFloat16Storage"] = _StorageType("cuda.BFloat16Storage", None, missing="BFloat16")
    out["torch.storage.UntypedStorage"] = _StorageType("UntypedStorage", None)
    out["torch.storage.TypedStorage"] = _NotModelled("torch.storage.TypedStorage", "bare typed storages")
    return out


def _allowed_globals() -> dict[str, Any]:
    """What torch's weights-only unpickler allows, mapped to the reference's objects (or to a
    NotImplementedError naming what is not modelled)."""
    allowed: dict[str, Any] = {
        "collections.OrderedDict": collections.OrderedDict,
        "collections.Counter": collections.Counter,
        "_codecs.encode": codecs.encode,
        "builtins.bytearray": bytearray,
        "builtins.complex": complex,
        "builtins.set": set,
        "torch.Size": Size,
        "torch.device": device,
        "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
        "torch._utils._rebuild_tensor_v3": _rebuild_tensor_v3,
        "torch._utils._rebuild_tensor": _rebuild_tensor,
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
        **_dtype_globals(),
        **_storage_globals(),
    }
    from .nn.modules import Parameter

    allowed["torch.nn.parameter.Parameter"] = Parameter
    for name, feature in (
        ("torch._utils._rebuild_sparse_tensor", "sparse tensors"),
        ("torch._utils._rebuild_meta_tensor_no_storage", "meta tensors"),
        ("torch._utils._rebuild_nested_tensor", "nested tensors"),
        ("torch._utils._rebuild_qtensor", "quantized tensors"),
        ("torch._utils._rebuild_wrapper_subclass", "tensor subclasses"),
        ("torch._utils._rebuild_device_tensor_from_cpu_tensor", "device tensors"),
        ("torch._utils._rebuild_device_tensor_from_numpy", "device tensors"),
        ("torch._tensor._rebuild_from_type_v2", "tensor subclasses"),
        ("torch.Tensor", "tensor subclasses"),
        ("torch.serialization._get_layout", "sparse layouts"),
    ):
        allowed[name] = _NotModelled(name, feature)
    for prefix in ("torch.", "torch.cuda.", "torch.sparse.", "torch.cuda.sparse."):
        for kind in ("Float", "Double", "Half", "BFloat16", "Long", "Int", "Short", "Char", "Byte", "Bool"):
            name = f"{prefix}{kind}Tensor"
            if name not in ("torch.sparse.BoolTensor", "torch.cuda.sparse.BoolTensor"):
                allowed[name] = _NotModelled(name, "legacy tensor types")
    for name in (
        "per_tensor_affine",
        "per_channel_affine",
        "per_tensor_symmetric",
        "per_channel_symmetric",
        "per_channel_affine_float_qparams",
    ):
        allowed[f"torch.{name}"] = _NotModelled(f"torch.{name}", "quantized tensors")
    return allowed


def _allowed_types() -> set:
    """The classes among torch's allowed globals (NEWOBJ and BUILD may act on their instances),
    computed once."""
    global _ALLOWED, _ALLOWED_TYPES
    if _ALLOWED is None:
        _ALLOWED = _allowed_globals()
    if _ALLOWED_TYPES is None:
        _ALLOWED_TYPES = {v for v in _ALLOWED.values() if isinstance(v, type)}
    return _ALLOWED_TYPES


_ALLOWED: dict[str, Any] | None = None
_ALLOWED_TYPES: set | None = None
_USER_ALLOWED: dict[str, Any] = {}
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")


def _qualified(obj) -> tuple[str, Any]:
    if isinstance(obj, tuple):  # (object, "module.name") as torch accepts
        return obj[1], obj[0]
    return f"{obj.__module__}.{obj.__qualname__}", obj


def add_safe_globals(safe_globals: list) -> None:
    """Allow these classes or functions in weights-only loads (``torch.serialization.add_safe_globals``);
    an entry is the object, or ``(object, "module.name")`` for the name a file uses."""
    for g in safe_globals:
        name, obj = _qualified(g)
        _USER_ALLOWED[name] = obj


def get_safe_globals() -> list:
    """The objects ``add_safe_globals`` allowed."""
    return list(_USER_ALLOWED.values())


def clear_safe_globals() -> None:
    """Forget every ``add_safe_globals`` entry."""
    _USER_ALLOWED.clear()


@contextmanager
def safe_globals(safe_globals: list):
    """Allow these globals inside the ``with`` block only."""
    before = dict(_USER_ALLOWED)
    add_safe_globals(safe_globals)
    try:
        yield
    finally:
        _USER_ALLOWED.clear()
        _USER_ALLOWED.update(before)


def _weights_only_error(detail: str) -> pickle.UnpicklingError:
    return pickle.UnpicklingError(
        "Weights only load failed: the file is loaded with weights_only=True (the default), which allows only "
        "tensors, containers and a short list of safe types. Re-running load with weights_only=False can run "
        f"arbitrary code: do it only for a file from a trusted source.\n{detail}"
    )


def _resolve_global(module: str, name: str) -> Any:
    global _ALLOWED
    if _ALLOWED is None:
        _ALLOWED = _allowed_globals()
    module = "builtins" if module == "__builtin__" else module  # protocol 2 spells builtins so
    full = f"{module}.{name}"
    if module in _BLOCKED_MODULES:
        raise _weights_only_error(f"Trying to load unsupported GLOBAL {full} whose module {module} is blocked.")
    if full in _ALLOWED:
        return _ALLOWED[full]
    if full in _USER_ALLOWED:
        return _USER_ALLOWED[full]
    raise _weights_only_error(
        f"Unsupported global: GLOBAL {full} was not an allowed global by default. Please use "
        f"`add_safe_globals([{full}])` or the `safe_globals([{full}])` context manager to allowlist this global "
        "if you trust this class/function."
    )


class _WeightsOnlyUnpickler:
    """torch's weights-only unpickler, rule by rule: the opcodes of protocol 2 that torch's pickles use,
    globals only from the allowlist, calls (REDUCE) only of allowed globals, BUILD only on an
    OrderedDict, a Parameter or an allowed type, appends only to lists; anything else is an
    ``UnpicklingError`` before it happens."""

    def __init__(self, data: bytes, persistent_load: Callable):
        self.file = io.BytesIO(data)
        self.persistent_load = persistent_load
        self.memo: dict[int, Any] = {}

    def read(self, n: int) -> bytes:
        b = self.file.read(n)
        if len(b) < n:
            raise EOFError(f"data.pkl is truncated: an opcode wants {n} more bytes, {len(b)} are left")
        return b

    def pop_mark(self) -> list:
        items = self.stack
        self.stack = self.metastack.pop()
        return items

    def load(self) -> Any:
        """The object; a malformed pickle raises what torch's unpickler raises for it (EOFError when
        it ends early, IndexError for a stack underflow, KeyError for a memo slot never stored),
        with a message that says so."""
        try:
            return self._load()
        except IndexError:
            raise IndexError("malformed data.pkl: an opcode found too few items on the stack") from None

    def _load(self) -> Any:  # noqa: C901 - one branch per opcode, as in pickle.py
        from .nn.modules import Parameter

        op = pickle
        self.metastack: list[list] = []
        self.stack: list[Any] = []
        allowed_callables = None
        while True:
            key = self.file.read(1)
            if not key:
                raise EOFError("data.pkl is truncated: it ends before its STOP opcode")
            k = key[0]
            stack = self.stack
            if k == op.GLOBAL[0]:
                module = self.file.readline()[:-1].decode("utf-8")
                name = self.file.readline()[:-1].decode("utf-8")
                stack.append(_resolve_global(module, name))
            elif k == op.NEWOBJ[0]:
                args, cls = stack.pop(), stack.pop()
                if cls is Parameter:
                    stack.append(Parameter(*args))
                elif isinstance(cls, type) and (cls in _allowed_types() or cls in _USER_ALLOWED.values()):
                    if cls is Tensor:
                        raise NotImplementedError(
                            "creating a bare torch.Tensor by NEWOBJ is not modelled by the reference"
                        )
                    # torch's device and Size take their arguments in __new__; the reference's in __init__
                    stack.append(cls(*args) if cls in (device, Size) else cls.__new__(cls, *args))
                else:
                    raise _weights_only_error(
                        f"Can only create new object for nn.Parameter or classes allowlisted via `add_safe_globals` but got {cls}"
                    )
            elif k == op.REDUCE[0]:
                args, func = stack.pop(), stack[-1]
                if allowed_callables is None:
                    allowed_callables = {id(v) for v in (_ALLOWED or {}).values()}
                if id(func) not in allowed_callables and func not in _USER_ALLOWED.values():
                    raise _weights_only_error(f"Trying to call reduce for unrecognized function {func!r}")
                stack[-1] = func(*args)
            elif k == op.BUILD[0]:
                state, inst = stack.pop(), stack[-1]
                if isinstance(inst, Tensor) and type(inst) is not Parameter:
                    raise NotImplementedError("the legacy BUILD of a tensor (set_ from its state) is not modelled")
                if type(inst) is Parameter:
                    # torch's Parameter.__setstate__ takes (data, requires_grad, hooks), not a dict
                    if isinstance(state, dict):
                        raise ValueError(f"a Parameter's BUILD state must be a tuple, got a dict {state!r}")
                    raise NotImplementedError("a Parameter's BUILD state is not modelled by the reference")
                if type(inst) is collections.OrderedDict:
                    inst.__dict__.update(state)
                elif type(inst) in _allowed_types() or type(inst) in _USER_ALLOWED.values():
                    if hasattr(inst, "__setstate__"):
                        inst.__setstate__(state)
                    else:  # pickle's load_build
                        slotstate = None
                        if isinstance(state, tuple) and len(state) == 2:
                            state, slotstate = state
                        if state:
                            inst.__dict__.update(state)
                        for sk, sv in (slotstate or {}).items():
                            setattr(inst, sk, sv)
                else:
                    raise _weights_only_error(
                        "Can only build Tensor, Parameter, OrderedDict or types allowlisted via `add_safe_globals`, "
                        f"but got {type(inst)}"
                    )
            elif k == op.APPEND[0]:
                item = stack.pop()
                if type(stack[-1]) is not list:
                    raise _weights_only_error(f"Can only append to lists, but got {type(stack[-1])}")
                stack[-1].append(item)
            elif k == op.APPENDS[0]:
                items = self.pop_mark()
                if type(self.stack[-1]) is not list:
                    raise _weights_only_error(f"Can only extend lists, but got {type(self.stack[-1])}")
                self.stack[-1].extend(items)
            elif k == op.SETITEM[0]:
                v, kk = stack.pop(), stack.pop()
                self._set_items(stack[-1], [kk, v])
            elif k == op.SETITEMS[0]:
                items = self.pop_mark()
                self._set_items(self.stack[-1], items)
            elif k == op.MARK[0]:
                self.metastack.append(self.stack)
                self.stack = []
            elif k == op.TUPLE[0]:
                items = self.pop_mark()
                self.stack.append(tuple(items))
            elif k == op.TUPLE1[0]:
                stack[-1] = (stack[-1],)
            elif k == op.TUPLE2[0]:
                b, a = stack.pop(), stack.pop()
                stack.append((a, b))
            elif k == op.TUPLE3[0]:
                c, b, a = stack.pop(), stack.pop(), stack.pop()
                stack.append((a, b, c))
            elif k == op.NONE[0]:
                stack.append(None)
            elif k == op.NEWFALSE[0]:
                stack.append(False)
            elif k == op.NEWTRUE[0]:
                stack.append(True)
            elif k == op.EMPTY_TUPLE[0]:
                stack.append(())
            elif k == op.EMPTY_LIST[0]:
                stack.append([])
            elif k == op.EMPTY_DICT[0]:
                stack.append({})
            elif k == op.EMPTY_SET[0]:
                stack.append(set())
            elif k == op.BININT[0]:
                stack.append(struct.unpack("<i", self.read(4))[0])
            elif k == op.BININT1[0]:
                stack.append(self.read(1)[0])
            elif k == op.BININT2[0]:
                stack.append(struct.unpack("<H", self.read(2))[0])
            elif k == op.BINFLOAT[0]:
                stack.append(struct.unpack(">d", self.read(8))[0])
            elif k == op.BINUNICODE[0]:
                n = struct.unpack("<I", self.read(4))[0]
                stack.append(str(self.read(n), "utf-8", "surrogatepass"))
            elif k == op.SHORT_BINSTRING[0]:
                stack.append(self.read(self.read(1)[0]).decode("ascii"))
            elif k == op.BINPERSID[0]:
                pid = stack.pop()
                if type(pid) is not tuple and type(pid) is not int:
                    raise _weights_only_error(f"persistent_load id must be tuple or int, but got {type(pid)}")
                if type(pid) is tuple and len(pid) > 0 and pid[0] not in ("storage", b"storage"):
                    raise _weights_only_error(f"Only persistent_load of storage is allowed, but got {type(pid[0])}")
                stack.append(self.persistent_load(pid))
            elif k in (op.BINGET[0], op.LONG_BINGET[0]):
                i = self.read(1)[0] if k == op.BINGET[0] else struct.unpack("<I", self.read(4))[0]
                if i not in self.memo:
                    raise KeyError(f"malformed data.pkl: memo entry {i} is read but was never stored")
                stack.append(self.memo[i])
            elif k in (op.BINPUT[0], op.LONG_BINPUT[0]):
                i = self.read(1)[0] if k == op.BINPUT[0] else struct.unpack("<I", self.read(4))[0]
                self.memo[i] = stack[-1]
            elif k == op.LONG1[0]:
                n = self.read(1)[0]
                stack.append(int.from_bytes(self.read(n), "little", signed=True))
            elif k == op.PROTO[0]:
                self.read(1)
            elif k == op.STOP[0]:
                return stack.pop()
            else:
                raise _weights_only_error(f"Unsupported operand {k}")

    @staticmethod
    def _set_items(target, items: list) -> None:
        if type(target) not in (dict, collections.OrderedDict, collections.Counter):
            raise _weights_only_error(f"Can only SETITEM on dicts, but got {type(target)}")
        for i in range(0, len(items), 2):
            target[items[i]] = items[i + 1]


class _FullUnpickler(pickle.Unpickler):
    """weights_only=False: Python's unpickler (arbitrary code can run: the caller chose to trust the
    file), with torch's names mapped to the reference's objects."""

    def __init__(self, file, persistent_load: Callable):
        super().__init__(file)
        self._persistent = persistent_load

    def persistent_load(self, pid):
        return self._persistent(pid)

    def find_class(self, module, name):
        if module == "torch" or module.startswith("torch."):
            try:
                return _resolve_global(module, name)
            except pickle.UnpicklingError:
                raise NotImplementedError(
                    f"loading the pickled torch object {module}.{name} is not modelled by the reference"
                ) from None
        return super().find_class(module, name)


def _location_target(map_location, location: str, storage: UntypedStorage):
    """torch's map_location rules: (storage to use, None) when a callable returned one, else (None,
    the location to restore at)."""
    if map_location is None:
        return None, location
    if isinstance(map_location, str):
        return None, map_location
    if isinstance(map_location, device):
        return None, str(map_location)
    if isinstance(map_location, dict):
        mapped = map_location.get(location, location)
        if not isinstance(mapped, str):
            raise TypeError(f"map_location maps {location!r} to {mapped!r}: the dict's values must be location strings")
        return None, mapped
    out = map_location(storage, location)  # not callable: TypeError, as in torch
    if out is not None:
        if not isinstance(out, UntypedStorage):
            raise TypeError(f"map_location must return a storage or None, got {type(out).__name__}")
        return out, None
    return None, location


def _restore_location(location: str) -> None:
    """torch's default_restore_location: "cpu" exactly; a CUDA location needs CUDA (the reference has
    none); meta storages are not modelled; any other tag is unknown."""
    if location == "cpu":
        return
    if location.startswith("cuda"):
        raise RuntimeError(
            "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you are "
            "running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') to map your "
            "storages to the CPU."
        )
    if location == "meta":
        raise NotImplementedError("loading storages onto the meta device is not modelled by the reference")
    raise RuntimeError(
        f"don't know how to restore data location of torch.storage.UntypedStorage (tagged with {location})"
    )


class _Archive:
    """A zip checkpoint, opened and checked: one folder, records read with a bound."""

    def __init__(self, fileobj):
        try:
            self.zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            raise RuntimeError(f"PytorchStreamReader failed reading zip archive: {e}") from None
        except NotImplementedError as e:  # e.g. a zip feature version Python's zipfile does not read
            raise NotImplementedError(
                f"this zip archive uses a feature the reference's reader does not model: {e}"
            ) from None
        names = self.zip.namelist()
        # torch's reader: every record inside one top-level folder, whatever its name
        folders = {n.split("/", 1)[0] for n in names}
        if not names or any("/" not in n for n in names) or len(folders) != 1:
            raise RuntimeError(
                "PytorchStreamReader failed reading zip archive: file in archive is not in a subdirectory"
            )
        self.prefix = folders.pop() + "/"
        if not self.has("data.pkl"):
            raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")
        if not self.has("version"):
            raise RuntimeError('PytorchStreamReader: Expected hasRecord("version") to be true, but got false')
        version = self.read("version").decode("ascii", "replace").strip()
        if not version.isdigit() or not 1 <= int(version) <= 10:
            raise RuntimeError(
                f"PytorchStreamReader: this file's format version {version!r} is not one torch reads (1 to 10)"
            )
        if self.has(".storage_alignment"):
            int(self.read(".storage_alignment"))  # ValueError for a record that is not a number, as in torch

    def has(self, name: str) -> bool:
        try:
            self.zip.getinfo(self.prefix + name)
        except KeyError:
            return False
        return True

    def read(self, name: str, expected: int | None = None) -> bytes:
        """A record's bytes; refused when missing, when it is not the size the pickle claims, or when
        it would expand past a bound (a zip bomb) -- checked before reading."""
        try:
            info = self.zip.getinfo(self.prefix + name)
        except KeyError:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found") from None
        if expected is not None and info.file_size != expected:
            raise RuntimeError(
                f"record {name} holds {info.file_size} bytes, but the pickle's storage needs {expected} bytes"
            )
        if info.compress_type != zipfile.ZIP_STORED and info.file_size > _MAX_EXPANSION * max(info.compress_size, 1):
            raise RuntimeError(
                f"record {name} expands from {info.compress_size} to {info.file_size} bytes (more than "
                f"{_MAX_EXPANSION}x): refused as a possible zip bomb"
            )
        try:
            with self.zip.open(info) as r:
                data = r.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
            raise RuntimeError(f"PytorchStreamReader failed reading record {name}: {e}") from None
        if len(data) != info.file_size:
            raise RuntimeError(f"record {name} is {len(data)} bytes, its zip entry says {info.file_size}")
        return data


def _open_for_reading(f):
    if isinstance(f, str | os.PathLike):
        return open(f, "rb"), True
    if not (hasattr(f, "read") and hasattr(f, "seek")):
        raise AttributeError(
            f"load: f must be a path or a binary file object with read and seek, got {type(f).__name__}"
        )
    return f, False


def load(
    f,
    map_location=None,
    pickle_module: Any = None,
    *,
    weights_only: bool | None = None,
    mmap: bool | None = None,
    **pickle_load_args,
) -> Any:
    """Read an object saved by ``torch.save`` (or :func:`save`) from a path, a ``pathlib.Path`` or a
    binary file object.

    torch's rules: ``weights_only`` defaults to True, allowing only tensors, parameters, containers,
    numbers, strings, ``torch.Size``, ``torch.device``, dtypes and globals added with
    :func:`add_safe_globals` (anything else raises ``pickle.UnpicklingError`` naming the global);
    ``weights_only=False`` unpickles anything (it can run code: only for trusted files).  Storages
    are restored once each, so tensors that shared memory when saved share it again.
    ``map_location``: ``"cpu"``, a ``device``, a dict from saved location to location, or a callable
    ``(storage, location) -> storage or None``; storages saved on CUDA need one (the reference is a
    CPU implementation).  The legacy non-zip format and ``mmap=True`` are not modelled
    (NotImplementedError).
    """
    if weights_only is None:
        weights_only = True
    if mmap:
        raise NotImplementedError("load(mmap=True) is not modelled by the reference")
    if pickle_module is not None:
        if weights_only:
            raise RuntimeError(
                "Can not safely load weights when explicit pickle_module is specified (weights_only=True)"
            )
        raise NotImplementedError("load(pickle_module=...) is not modelled by the reference")
    if pickle_load_args:
        raise NotImplementedError(f"load() arguments {sorted(pickle_load_args)} are not modelled by the reference")
    fileobj, opened = _open_for_reading(f)
    try:
        start = fileobj.tell()
        magic = fileobj.read(4)
        fileobj.seek(start)
        if not magic:
            raise EOFError("Ran out of input: the file is empty")
        if magic != b"PK\x03\x04":
            if magic[:2] == b"\x80\x02":
                raise NotImplementedError(
                    "the legacy torch.save format (_use_new_zipfile_serialization=False) is not modelled by the "
                    "reference: load it with torch and save it again with the default format"
                )
            raise pickle.UnpicklingError(
                f"not a torch checkpoint: a zip archive starts with b'PK\\x03\\x04', this file starts with {magic!r}"
            )
        return _load_zip(_Archive(fileobj), map_location, weights_only)
    finally:
        if opened:
            fileobj.close()


def _load_zip(archive: _Archive, map_location, weights_only: bool) -> Any:
    byteorder = "little"
    if archive.has("byteorder"):
        byteorder = archive.read("byteorder").decode("utf-8")  # exactly 'little' or 'big', as torch reads it
        if byteorder not in ("little", "big"):
            raise ValueError(f"Unknown endianness type: {byteorder!r} (the byteorder record must be 'little' or 'big')")
    loaded: dict[str, _LoadedStorage] = {}

    def persistent_load(pid):
        """A storage's persistent id, checked with the exception classes torch's loader raises for it."""
        if not isinstance(pid, tuple):
            raise AssertionError(f"a persistent id must be a tuple, got {pid!r}")
        if pid[0] not in ("storage", b"storage"):  # () raises IndexError here, as in torch
            raise RuntimeError(f"Unknown saved id type: {pid[0]!r}")
        kind, stype, key, location, numel = pid  # another length: ValueError, as in torch
        if not isinstance(stype, _StorageType):
            raise AttributeError(f"a storage's type must be a torch storage class, got {stype!r}")
        if stype.missing:
            raise NotImplementedError(f"loading {stype.missing} storages is not modelled by the reference")
        if not isinstance(numel, int) or not 0 <= numel <= _INT64_MAX:  # a bool counts as 0 or 1, as in torch
            raise TypeError(f"a storage's element count must be an int in [0, 2**63), got {numel!r}")
        key = str(key)  # torch formats the record name from the key, whatever its type
        if key in loaded:
            return loaded[key]
        itemsize = stype.dtype.itemsize if stype.dtype is not None else 1
        data = archive.read(f"data/{key}", expected=numel * itemsize)  # its size checked before reading
        np_dtype = stype.dtype.np if stype.dtype is not None else np.dtype(np.uint8)
        array = np.frombuffer(bytearray(data), dtype=np_dtype.newbyteorder("<" if byteorder == "little" else ">"))
        if not array.dtype.isnative:
            array = array.astype(np_dtype)
        storage, new_location = _location_target(map_location, location, UntypedStorage(array.view(np.uint8)))
        if storage is not None:  # the callable gave a storage of its own: its bytes are the storage
            array = storage._bytes.view(np_dtype) if storage._bytes.size % np_dtype.itemsize == 0 else array
        else:
            if not isinstance(new_location, str):  # only a location that is used must be a string
                raise TypeError(f"a storage's location must be a string, got {new_location!r}")
            _restore_location(new_location)
        loaded[key] = _LoadedStorage(array, stype.dtype, key)
        return loaded[key]

    data = archive.read("data.pkl")
    if weights_only:
        result = _WeightsOnlyUnpickler(data, persistent_load).load()
    else:
        result = _FullUnpickler(io.BytesIO(data), persistent_load).load()
    _refuse_unmodelled(result)
    return result


def _refuse_unmodelled(obj) -> None:
    """torch objects the reference only names (a bare storage, a dtype or class it lacks) must not come
    out of a load as stand-ins: NotImplementedError naming them (containers walked without recursion)."""
    stack = [obj]
    seen: set[int] = set()
    while stack:
        x = stack.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, _LoadedStorage | UntypedStorage):
            raise NotImplementedError("loading a bare storage (not inside a tensor) is not modelled by the reference")
        if isinstance(x, _NotModelled):
            raise NotImplementedError(f"loading {x.feature} ({x.name}) is not modelled by the reference")
        if isinstance(x, _StorageType | _TorchGlobal):
            raise NotImplementedError(f"loading the torch class {x.name} as a value is not modelled by the reference")
        if isinstance(x, dict):
            stack.extend(x.keys())
            stack.extend(x.values())
        elif isinstance(x, list | tuple | set | frozenset):
            stack.extend(x)
