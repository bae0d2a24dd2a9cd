"""Checkpoints: generated objects to save and load, and crafted files a loader must refuse.

:func:`checkpoint_specs` draws a :class:`CheckpointSpec`: nested containers (dict, OrderedDict, list,
tuple) of tensors of every dtype (0-d, empty, non-contiguous views, several tensors sharing one
storage, the same tensor twice, parameters, ``requires_grad``) and Python values (ints beyond 32
bits, floats with inf and NaN, strings, bytes, complex, None, ``Size``, dtypes, ``device``).  The spec
is plain data, so one program builds the same object in torch and in the reference
(``spec.build(ns)``) and :func:`describe` reduces either side's object to a comparable form.

:func:`crafted_checkpoints` builds hostile and malformed files (a pickle that would run a command,
a zip bomb, records shorter than their tensors claim, a wrong byte order record, a missing record,
a truncated archive...) from a valid file written by the reference, so no torch is needed to make
them; :func:`corrupted_checkpoints` draws random damage to a valid file.
"""

from __future__ import annotations

import collections
import io
import math
import pickle
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ._arrays import ALL_DTYPES, elements
from ._coverage import record

__all__ = [
    "REQUIRED_EVENTS",
    "CheckpointSpec",
    "CraftedFile",
    "checkpoint_specs",
    "corrupted_checkpoints",
    "crafted_checkpoints",
    "describe",
    "malformed_checkpoints",
]


@dataclass(frozen=True)
class TensorSpec:
    """A tensor: a view (``steps``) of one of the spec's storages."""

    storage: int
    steps: tuple = ()
    requires_grad: bool = False
    parameter: bool = False


@dataclass
class CheckpointSpec:
    """Storages (NumPy arrays), tensors viewing them, and a tree of containers whose leaves are
    ``("tensor", i)`` or ``("value", v)``; the same tensor index twice is the same object."""

    storages: list[np.ndarray]
    tensors: list[TensorSpec]
    tree: Any
    notes: list[str] = field(default_factory=list)

    def build(self, ns) -> Any:
        """The object, in namespace ``ns`` (torch or the reference)."""
        bases = [ns.from_numpy(a.copy()) for a in self.storages]
        built = [_build_tensor(ns, bases[s.storage], s) for s in self.tensors]
        return _build_tree(ns, self.tree, built)

    def source(self) -> str:
        """A copy-paste program that builds the object (``ns`` is torch or reference)."""
        lines = [
            "import collections",
            "import numpy as np",
            "import torch  # or: import reference as torch",
            "ns = torch",
        ]
        for i, a in enumerate(self.storages):
            data = f"bytes.fromhex({a.tobytes().hex()!r})"  # exact: NaN payloads, -0.0 and all
            lines.append(
                f"s{i} = ns.from_numpy(np.frombuffer({data}, dtype=np.{a.dtype.name}).reshape({a.shape}).copy())"
            )
        for i, s in enumerate(self.tensors):
            lines.append(f"t{i} = {_tensor_source(s)}")
        lines.append(f"obj = {_tree_source(self.tree)}")
        return "\n".join(lines)


def _apply(ns, t, step):
    kind = step[0]
    if kind == "slice":
        return t[tuple(slice(*sl) for sl in step[1])]
    if kind == "transpose":
        return t.transpose(0, -1)
    if kind == "unsqueeze":
        return t.unsqueeze(step[1])
    if kind == "select":
        return t[step[1]]
    if kind == "expand":
        return t.unsqueeze(0).expand(step[1], *t.shape)
    raise ValueError(kind)


def _step_source(expr: str, step) -> str:
    """``expr`` with one view step applied, as source."""
    kind = step[0]
    if kind == "slice":
        return expr + "[" + ", ".join(":".join(str(v) for v in sl) for sl in step[1]) + "]"
    if kind == "transpose":
        return f"{expr}.transpose(0, -1)"
    if kind == "unsqueeze":
        return f"{expr}.unsqueeze({step[1]})"
    if kind == "select":
        return f"{expr}[{step[1]}]"
    return f"{expr}.unsqueeze(0).expand({step[1]}, *{expr}.shape)"


def _build_tensor(ns, base, spec: TensorSpec):
    t = base
    for step in spec.steps:
        t = _apply(ns, t, step)
    if spec.parameter:
        return ns.nn.Parameter(t, requires_grad=spec.requires_grad)
    if spec.requires_grad:
        return t.detach().requires_grad_(True)  # a leaf that requires grad, sharing the view's memory
    return t


def _tensor_source(spec: TensorSpec) -> str:
    expr = f"s{spec.storage}"
    for step in spec.steps:
        expr = _step_source(expr, step)
    if spec.parameter:
        return f"ns.nn.Parameter({expr}, requires_grad={spec.requires_grad})"
    return f"{expr}.detach().requires_grad_(True)" if spec.requires_grad else expr


def _build_value(ns, v):
    if isinstance(v, tuple) and v and v[0] in ("Size", "dtype", "device"):
        kind, arg = v
        return ns.Size(arg) if kind == "Size" else getattr(ns, arg) if kind == "dtype" else ns.device(arg)
    return v


def _build_tree(ns, node, built):
    kind, body = node
    if kind == "tensor":
        return built[body]
    if kind == "value":
        return _build_value(ns, body)
    if kind in ("dict", "odict"):
        items = [(k, _build_tree(ns, sub, built)) for k, sub in body]
        return dict(items) if kind == "dict" else collections.OrderedDict(items)
    parts = [_build_tree(ns, sub, built) for sub in body]
    return parts if kind == "list" else tuple(parts)


def _float_source(x: float) -> str:
    """Python source for exactly ``x``: its repr when finite (-0.0 included), else its bits (``repr(inf)``
    is not source, and a NaN keeps its sign and payload)."""
    if math.isfinite(x):
        return repr(x)
    return f"np.frombuffer(bytes.fromhex({struct.pack('<d', x).hex()!r}), dtype='<f8')[0].item()"


def _tree_source(node) -> str:
    kind, body = node
    if kind == "tensor":
        return f"t{body}"
    if kind == "value":
        if isinstance(body, tuple) and body and body[0] in ("Size", "dtype", "device"):
            k, arg = body
            return f"ns.Size({arg!r})" if k == "Size" else f"ns.{arg}" if k == "dtype" else f"ns.device({arg!r})"
        if isinstance(body, float):
            return _float_source(body)
        if isinstance(body, complex):  # repr((-0.0+0j)) reads back as 0j
            return f"complex({_float_source(body.real)}, {_float_source(body.imag)})"
        return repr(body)
    if kind in ("dict", "odict"):
        inner = ", ".join(f"{k!r}: {_tree_source(sub)}" for k, sub in body)
        return "{" + inner + "}" if kind == "dict" else f"collections.OrderedDict({{{inner}}})"
    inner = ", ".join(_tree_source(sub) for sub in body)
    return f"[{inner}]" if kind == "list" else f"({inner}{',' if len(body) == 1 else ''})"


_VALUES = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.binary(min_size=1, max_size=8),  # b'' pickles as a call of builtins.bytes, which torch refuses
    st.booleans(),
    st.none(),
    st.complex_numbers(allow_nan=False, max_magnitude=1e6),
    st.lists(st.integers(0, 5), max_size=3).map(lambda v: ("Size", tuple(v))),
    st.sampled_from([np.dtype(d).name for d in ALL_DTYPES]).map(lambda n: ("dtype", n)),
    st.just(("device", "cpu")),
)


@st.composite
def _view_steps(draw, shape: tuple[int, ...]):
    """A chain of view steps valid for ``shape``, and the resulting shape."""
    steps = []
    for _ in range(draw(st.integers(0, 2))):
        options = ["unsqueeze", "expand"]
        if shape:
            options += ["slice", "select"] if shape[0] > 0 else ["slice"]
        if len(shape) >= 2:
            options.append("transpose")
        kind = draw(st.sampled_from(options))
        if kind == "slice":
            sls = []
            for n in shape:
                start = draw(st.integers(0, n))
                stop = draw(st.integers(start, n))
                sls.append((start, stop, draw(st.integers(1, 3))))
            steps.append(("slice", tuple(sls)))
            shape = tuple(len(range(*sl)) for sl in sls)
        elif kind == "select":
            steps.append(("select", draw(st.integers(0, shape[0] - 1))))
            shape = shape[1:]
        elif kind == "transpose":
            steps.append(("transpose",))
            shape = (shape[-1],) + shape[1:-1] + (shape[0],)
        elif kind == "unsqueeze":
            d = draw(st.integers(0, len(shape)))
            steps.append(("unsqueeze", d))
            shape = shape[:d] + (1,) + shape[d:]
        else:
            n = draw(st.integers(1, 3))
            steps.append(("expand", n))
            shape = (n,) + shape
    return tuple(steps), shape


@st.composite
def checkpoint_specs(draw, max_storages: int = 3, max_tensors: int = 5) -> CheckpointSpec:
    """A random object to checkpoint (see the module docstring), recording which hard cases it has."""
    n_storages = draw(st.integers(1, max_storages))
    storages = []
    for _ in range(n_storages):
        dt = np.dtype(draw(st.sampled_from(ALL_DTYPES)))
        shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
        storages.append(draw(hnp.arrays(dt, shape, elements=elements(dt, specials=True))))
    tensors = []
    for _ in range(draw(st.integers(1, max_tensors))):
        s = draw(st.integers(0, n_storages - 1))
        steps, _shape = draw(_view_steps(storages[s].shape))
        floating = storages[s].dtype.kind in "fc"
        parameter = draw(st.integers(0, 4)) == 0
        requires_grad = floating and draw(st.booleans())
        tensors.append(TensorSpec(s, steps, requires_grad, parameter))
    leaves = [("tensor", i) for i in range(len(tensors))]
    if draw(st.integers(0, 3)) == 0:
        leaves.append(("tensor", draw(st.integers(0, len(tensors) - 1))))  # the same tensor twice
    leaves += [("value", v) for v in draw(st.lists(_VALUES, max_size=3))]
    tree = draw(_containers(draw(st.permutations(leaves))))
    spec = CheckpointSpec(storages, tensors, tree)
    _record_events(spec)
    return spec


@st.composite
def _containers(draw, leaves: list):
    """Group ``leaves`` into nested containers (keys: strings and ints, as state dicts have)."""
    nodes = list(leaves)
    while len(nodes) > 1 or not nodes or nodes[0][0] in ("tensor", "value"):
        k = draw(st.integers(min(2, len(nodes)), max(1, min(3, len(nodes)))))  # >= 2: each round shrinks the list
        group, nodes = nodes[:k], nodes[k:]
        kind = draw(st.sampled_from(["dict", "odict", "list", "tuple"]))
        if kind in ("dict", "odict"):
            keys = draw(
                st.lists(
                    st.one_of(st.text(max_size=4), st.integers(-3, 3)),
                    min_size=len(group),
                    max_size=len(group),
                    unique=True,
                )
            )
            node = (kind, list(zip(keys, group, strict=True)))
        else:
            node = (kind, group)
        nodes.append(node)
        if len(nodes) == 1 and draw(st.booleans()):
            break
    return nodes[0]


def _walk(node):
    """Every node of a spec's tree."""
    yield node
    kind, body = node
    if kind in ("dict", "odict"):
        for _, sub in body:
            yield from _walk(sub)
    elif kind in ("list", "tuple"):
        for sub in body:
            yield from _walk(sub)


def _record_events(spec: CheckpointSpec) -> None:
    nodes = list(_walk(spec.tree))
    for kind in sorted({kind for kind, _ in nodes} & {"dict", "odict", "list", "tuple"}):
        record(f"checkpoint: {kind} container")
    if max(collections.Counter(body for kind, body in nodes if kind == "tensor").values(), default=0) > 1:
        record("checkpoint: the same tensor object twice")
    used = collections.Counter(t.storage for t in spec.tensors)
    if any(n > 1 for n in used.values()):
        record("checkpoint: tensors sharing one storage")
    for t in spec.tensors:
        arr = spec.storages[t.storage]
        if any(step[0] in ("slice", "transpose", "select", "expand") for step in t.steps):
            record("checkpoint: a view (offset or strides of its own)")
        if arr.ndim == 0 and not t.steps:
            record("checkpoint: 0-d tensor")
        if arr.size == 0:
            record("checkpoint: empty tensor")
        if t.parameter:
            record("checkpoint: nn.Parameter")
        if t.requires_grad:
            record("checkpoint: requires_grad")
        record(f"checkpoint: dtype {arr.dtype.name}")


#: the events a run of the round-trip tests must reach (``--check-coverage``)
REQUIRED_EVENTS = (
    "checkpoint: tensors sharing one storage",
    "checkpoint: a view (offset or strides of its own)",
    "checkpoint: 0-d tensor",
    "checkpoint: empty tensor",
    "checkpoint: nn.Parameter",
    "checkpoint: requires_grad",
    "checkpoint: the same tensor object twice",
    "checkpoint: dict container",
    "checkpoint: odict container",
    "checkpoint: list container",
    "checkpoint: tuple container",
    *(f"checkpoint: dtype {np.dtype(d).name}" for d in ALL_DTYPES),
)


def describe(obj, ns) -> Any:
    """A comparable form of a loaded (or built) object: containers by kind, tensors by dtype, shape,
    strides, storage offset, ``requires_grad``, whether a Parameter, exact bytes, which storage
    (numbered by first appearance) and which object (the same object twice stays one)."""
    storages: dict[int, int] = {}
    objects: dict[int, int] = {}

    def walk(x):
        if isinstance(x, ns.Tensor):
            arr = np.ascontiguousarray(x.detach().numpy())
            storage = x.untyped_storage()
            key = storage.data_ptr() if storage.nbytes() else ("empty", id(x))
            return (
                "tensor",
                str(x.dtype),
                tuple(x.shape),
                tuple(x.stride()),
                x.storage_offset(),
                bool(x.requires_grad),
                type(x).__name__ == "Parameter",
                arr.tobytes(),
                storages.setdefault(key, len(storages)),
                objects.setdefault(id(x), len(objects)),
            )
        if isinstance(x, collections.OrderedDict):
            return ("odict", [(k, walk(v)) for k, v in x.items()])
        if isinstance(x, dict):
            return ("dict", [(k, walk(v)) for k, v in x.items()])
        if isinstance(x, list):
            return ("list", [walk(v) for v in x])
        if isinstance(x, ns.Size):
            return ("Size", tuple(x))
        if isinstance(x, tuple):
            return ("tuple", [walk(v) for v in x])
        if isinstance(x, ns.dtype):
            return ("dtype", str(x))
        if isinstance(x, ns.device):
            return ("device", str(x))
        if isinstance(x, float):
            return ("float", struct.pack("<d", x))  # NaN equals NaN, -0.0 differs from 0.0
        if isinstance(x, complex):
            return ("complex", struct.pack("<dd", x.real, x.imag))
        return (type(x).__name__, x)

    return walk(obj)


# -- crafted and corrupted files -------------------------------------------------------------------


@dataclass(frozen=True)
class CraftedFile:
    """A file a loader must refuse: what it is, its bytes, the exception class the reference raises
    (torch's where torch refuses it too) and a word its message must contain."""

    name: str
    data: bytes
    raises: type
    says: str
    what: str


def _valid_parts() -> tuple[dict[str, bytes], str]:
    """The records of a small valid checkpoint, written by the reference (no torch needed)."""
    import reference

    buf = io.BytesIO()
    x = reference.arange(12.0).reshape(3, 4)
    reference.save({"weight": x, "bias": reference.zeros(3), "step": 7}, buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    return parts, next(n for n in parts if n.endswith("data.pkl")).removesuffix("data.pkl")


def _zip(parts: dict[str, bytes], compress: dict[str, int] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=(compress or {}).get(name, zipfile.ZIP_STORED))
    return out.getvalue()


def _pickle_global_call(module: str, name: str, arg: str) -> bytes:
    """Protocol 2: call ``module.name(arg)`` -- what a malicious pickle does."""
    return (
        b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\n" + pickle.dumps((arg,), protocol=2)[2:-1] + b"R."
    )


def _tensor_pickle(
    numel: int, size: tuple, stride: tuple, offset: int = 0, key: str = "0", location: str = "cpu"
) -> bytes:
    """Protocol 2: one float32 tensor over storage ``key`` of ``numel`` elements, as torch writes it."""
    storage = _Pid(("storage", _Global("torch", "FloatStorage"), key, location, numel))
    hooks = _Call(_Global("collections", "OrderedDict"), ())
    return _field_pickle(
        _Call(_Global("torch._utils", "_rebuild_tensor_v2"), (storage, offset, size, stride, False, hooks))
    )


def _bomb_record(nbytes: int) -> bytes:
    """A deflate stream that expands to ``nbytes`` zeros (about 1000x smaller than that)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    out = [comp.compress(chunk) for _ in range(nbytes >> 20)]
    out.append(comp.flush())
    return b"".join(out)


def _bomb(prefix: str, nbytes: int) -> bytes:
    """A valid-looking checkpoint whose one storage record is a deflate bomb of ``nbytes``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(zipfile.ZipInfo(prefix + "data.pkl"), _tensor_pickle(nbytes // 4, (nbytes // 4,), (1,)))
        zf.writestr(zipfile.ZipInfo(prefix + "byteorder"), b"little")
        zf.writestr(zipfile.ZipInfo(prefix + "version"), b"3\n")
    raw = _bomb_record(nbytes)
    # a deflated entry written by hand (zipfile would compress the whole payload in memory first)
    data = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        infos = zf.infolist()
    cd_start = infos[-1].header_offset + 30 + len(infos[-1].filename) + infos[-1].file_size
    body, central = data[:cd_start], data[cd_start:]
    name = (prefix + "data/0").encode()
    crc = 0
    for _ in range(nbytes >> 20):
        crc = zlib.crc32(bytes(1 << 20), crc)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(raw), nbytes, len(name), 0) + name
    offset = len(body)
    entry = (
        struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(raw), nbytes, len(name), 0, 0, 0, 0, 0, offset
        )
        + name
    )
    end = central.rfind(b"PK\x05\x06")
    old_cd, eocd = central[:end], bytearray(central[end:])
    new_cd = old_cd + entry
    count = struct.unpack("<H", eocd[8:10])[0] + 1
    eocd[8:10] = eocd[10:12] = struct.pack("<H", count)
    eocd[12:16] = struct.pack("<L", len(new_cd))
    eocd[16:20] = struct.pack("<L", offset + len(local) + len(raw))
    return bytes(body) + local + raw + new_cd + bytes(eocd)


def crafted_checkpoints(marker: str, bomb_bytes: int = 1 << 30) -> list[CraftedFile]:
    """Hostile and malformed checkpoints.  ``marker`` is a path the malicious pickles would create if
    they ran (the caller checks it does not exist afterwards)."""
    parts, prefix = _valid_parts()
    pkl = prefix + "data.pkl"
    valid = _zip(parts)
    cmd = f"touch {marker}"
    files = [
        CraftedFile(
            "pickle calling os.system",
            _zip({**parts, pkl: _pickle_global_call("posix", "system", cmd)}),
            pickle.UnpicklingError,
            "posix.system",
            "GLOBAL posix.system + REDUCE: the classic payload (module blocked by name)",
        ),
        CraftedFile(
            "pickle calling os.system (os module)",
            _zip({**parts, pkl: _pickle_global_call("os", "system", cmd)}),
            pickle.UnpicklingError,
            "os.system",
            "the same payload spelled os.system",
        ),
        CraftedFile(
            "pickle calling builtins.eval",
            _zip({**parts, pkl: _pickle_global_call("builtins", "eval", f"__import__('os').system({cmd!r})")}),
            pickle.UnpicklingError,
            "builtins.eval",
            "GLOBAL builtins.eval: not an allowed global",
        ),
        CraftedFile(
            "pickle calling subprocess.call",
            _zip({**parts, pkl: _pickle_global_call("subprocess", "call", cmd)}),
            pickle.UnpicklingError,
            "subprocess.call",
            "GLOBAL subprocess.call: not an allowed global",
        ),
        CraftedFile(
            "pickle building an arbitrary class",
            _zip({**parts, pkl: b"\x80\x02c__main__\nEvil\n)\x81."}),
            pickle.UnpicklingError,
            "__main__.Evil",
            "GLOBAL __main__.Evil + NEWOBJ: a user class nobody allowlisted",
        ),
        CraftedFile(
            "zip bomb",
            _bomb(prefix, bomb_bytes),
            RuntimeError,
            "zip bomb",
            f"a storage record deflated from {bomb_bytes >> 20} MiB of zeros, with a pickle that claims all of it",
        ),
        CraftedFile(
            "storage record shorter than its tensor claims",
            _zip({**parts, pkl: _tensor_pickle(100, (100,), (1,)), prefix + "data/0": bytes(40)}),
            RuntimeError,
            "data/0",
            "the pickle claims 100 float32 elements; the record holds 10",
        ),
        CraftedFile(
            "tensor beyond its storage",
            _zip({**parts, pkl: _tensor_pickle(10, (4, 4), (4, 1)), prefix + "data/0": bytes(40)}),
            RuntimeError,
            "out of bounds",
            "a 4x4 view of a 10-element storage",
        ),
        CraftedFile(
            "huge element count",
            _zip({**parts, pkl: _tensor_pickle(1 << 40, (1 << 20,), (1,)), prefix + "data/0": bytes(40)}),
            RuntimeError,
            "data/0",
            "a storage claiming 2^40 elements (4 TiB) with a 40-byte record: refused before allocating",
        ),
        CraftedFile(
            "negative stride",
            _zip({**parts, pkl: _tensor_pickle(10, (5,), (-1,), offset=9), prefix + "data/0": bytes(40)}),
            RuntimeError,
            "stride",
            "stride -1 from offset 9",
        ),
        CraftedFile(
            "wrong byte order record",
            _zip({**parts, prefix + "byteorder": b"middle"}),
            ValueError,
            "endianness",
            "byteorder says 'middle'",
        ),
        CraftedFile(
            "missing storage record",
            _zip({k: v for k, v in parts.items() if k != prefix + "data/1"}),
            RuntimeError,
            "data/1",
            "the pickle names storage 1; its record was removed",
        ),
        CraftedFile(
            "missing data.pkl",
            _zip({k: v for k, v in parts.items() if k != pkl}),
            RuntimeError,
            "data.pkl",
            "an archive without the pickle",
        ),
        CraftedFile(
            "truncated archive",
            valid[: len(valid) // 2],
            RuntimeError,
            "zip archive",
            "the first half of a valid file (the central directory is lost)",
        ),
        CraftedFile(
            "not a checkpoint",
            b"just some text, not a zip and not a pickle\n",
            pickle.UnpicklingError,
            "checkpoint",
            "a text file",
        ),
        CraftedFile(
            "truncated pickle",
            _zip({**parts, pkl: parts[pkl][: len(parts[pkl]) // 2]}),
            EOFError,
            "truncated",
            "data.pkl cut in half",
        ),
        CraftedFile(
            "persistent id that is not a storage",
            _zip({**parts, pkl: b"\x80\x02(X\x06\x00\x00\x00moduleX\x01\x00\x00\x00xtQ."}),
            pickle.UnpicklingError,
            "persistent_load",
            "BINPERSID of ('module', 'x')",
        ),
        CraftedFile(
            "unsupported opcode",
            _zip({**parts, pkl: b"\x80\x02cbuiltins\nset\n(I1\nI2\nltR."}),
            pickle.UnpicklingError,
            "Unsupported operand",
            "protocol-0 INT opcodes, which the weights-only unpickler does not interpret",
        ),
        CraftedFile(
            "memo entry never stored",
            _zip({**parts, pkl: b"\x80\x02h\x07."}),
            KeyError,
            "memo",
            "BINGET 7 with an empty memo",
        ),
    ]
    return files


@st.composite
def corrupted_checkpoints(draw) -> bytes:
    """A valid checkpoint with random damage: bytes flipped, cut short, or a record's bytes replaced."""
    parts, prefix = _valid_parts()
    kind = draw(st.sampled_from(["flip", "truncate", "replace record"]))
    record(f"corrupted checkpoint: {kind}")
    if kind == "replace record":
        name = draw(st.sampled_from(sorted(parts)))
        parts = {**parts, name: draw(st.binary(max_size=64))}
        return _zip(parts)
    data = bytearray(_zip(parts))
    if kind == "truncate":
        return bytes(data[: draw(st.integers(0, len(data) - 1))])
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(data) - 1))
        data[i] = draw(st.integers(0, 255))
    return bytes(data)


# -- field-level malformations (checked against torch's own loader) -------------------------------------


class _Global:
    """A module-level name written into a pickle as GLOBAL (nothing is imported)."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args):  # pickle wants reduce callables to be callable
        raise TypeError("only written, never called")


class _Call:
    def __init__(self, func: _Global, args: tuple):
        self.func, self.args = func, args


class _Pid:
    def __init__(self, pid: tuple):
        self.pid = pid


class _FieldPickler(pickle._Pickler):
    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, _Pid) else None

    def reducer_override(self, obj):
        if isinstance(obj, _Global):
            return "global"
        if isinstance(obj, _Call):
            return (obj.func, obj.args)
        return NotImplemented

    def save_global(self, obj, name=None):
        if not isinstance(obj, _Global):
            return super().save_global(obj, name)
        self.write(pickle.GLOBAL + obj.module.encode() + b"\n" + obj.name.encode() + b"\n")
        self.memoize(obj)


def _field_pickle(obj) -> bytes:
    buf = io.BytesIO()
    _FieldPickler(buf, 2).dump(obj)
    return buf.getvalue()


_STORAGE_TYPES = {
    "FloatStorage": ("torch", "FloatStorage", 4),
    "DoubleStorage": ("torch", "DoubleStorage", 8),
    "UntypedStorage": ("torch.storage", "UntypedStorage", 1),
    "BFloat16Storage": ("torch", "BFloat16Storage", 2),
    "Size (not a storage)": ("torch", "Size", 4),
}


#: per field: a valid value (the default), other valid values, and invalid ones
_FIELDS = {
    "storage type": ("FloatStorage", ["DoubleStorage", "UntypedStorage"], ["BFloat16Storage", "Size (not a storage)"]),
    "numel": (3, [], [-1, 2.0, 2**64, 2]),
    "key": ("0", [], [0, "7"]),
    "location": ("cpu", [], ["cuda:0", "cpu:0", "mps", 5]),
    "arity": (5, [], [4, 6]),
    "offset": (0, [1], [-1, 2**63, 1.0, None, 5]),
    "size": ((3,), [(2,), (0,), (1, 2)], [(-1,), (1.5,), (4,), (3, 3)]),
    "stride": ((1,), [(0,), (2,)], [(-1,), (1.0,), (2**62,), (1, 1)]),
    "requires_grad": (False, [True], [1, 0, None, "yes"]),
    "rebuild": ("v2", ["parameter", "v3 float32", "v3 int32", "v3 uint8", "v3 float64"], ["v3 bfloat16"]),
    "record": ("exact", [], ["short", "long"]),
    "version": (b"3\n", [b"1\n", b"10\n"], [None, b"0\n", b"11\n", b"x"]),
    "byteorder": (b"little", [None, b"big"], [b" little", b"big\n", b"middle"]),
}


@st.composite
def malformed_checkpoints(draw) -> tuple[bytes, str]:
    """A one-tensor checkpoint ``{"t": tensor}`` with at most one field wrong: the storage type, its
    element count, key, location or persistent-id arity, the offset, size, stride, ``requires_grad``,
    the rebuild function (and v3's dtype), the record's length, the version or byte order record.
    The other fields take valid values (several kinds of valid, so the wrong one meets different
    shapes).  Returns the file and a description naming the wrong field.  Loaders are compared on
    it: both load alike, or both raise the same exception class (one wrong field at a time: which
    of several faults a loader reports first is its implementation's order, not a semantics)."""
    fault = draw(st.sampled_from(["none", *_FIELDS]))
    values = {}
    for name_, (default, valid, invalid) in _FIELDS.items():
        if name_ == fault:
            values[name_] = draw(st.sampled_from(invalid))
        elif valid and draw(st.integers(0, 2)) == 0:
            values[name_] = draw(st.sampled_from(valid))
        else:
            values[name_] = default
    floating = values["rebuild"] in ("v3 float32", "v3 float64") or (
        not values["rebuild"].startswith("v3") and values["storage type"] != "UntypedStorage"
    )
    if fault != "requires_grad" and values["requires_grad"] and not floating:
        values["requires_grad"] = False  # an integer tensor that requires grad is itself a fault
    if fault != "size" and fault != "stride" and len(values["size"]) != len(values["stride"]):
        values["stride"] = (1,) * len(values["size"]) if len(values["size"]) != 2 else (2, 1)
    record(f"malformed checkpoint: wrong {fault}" if fault != "none" else "malformed checkpoint: every field valid")
    module, name, item = _STORAGE_TYPES[values["storage type"]]
    pid = ("storage", _Global(module, name), values["key"], values["location"], values["numel"])
    arity = values["arity"]
    pid = pid[:arity] if arity <= 5 else pid + ("extra",)
    storage = _Pid(pid)
    hooks = _Call(_Global("collections", "OrderedDict"), ())
    rebuild, rg = values["rebuild"], values["requires_grad"]
    args = (storage, values["offset"], values["size"], values["stride"])
    if rebuild.startswith("v3"):
        dtype = rebuild.split()[1]
        tensor = _Call(_Global("torch._utils", "_rebuild_tensor_v3"), (*args, rg, hooks, _Global("torch", dtype)))
    elif rebuild == "parameter":
        inner = _Call(_Global("torch._utils", "_rebuild_tensor_v2"), (*args, False, hooks))
        tensor = _Call(_Global("torch._utils", "_rebuild_parameter"), (inner, rg, hooks))
    else:
        tensor = _Call(_Global("torch._utils", "_rebuild_tensor_v2"), (*args, rg, hooks))
    numel = values["numel"]
    want = 3 * item if not isinstance(numel, int) or not 0 <= numel <= 64 else numel * item
    nbytes = {"exact": want, "short": max(want - item, 0), "long": want + item}[values["record"]]
    prefix = "archive/"
    parts = {prefix + "data.pkl": _field_pickle({"t": tensor}), prefix + ".format_version": b"1"}
    if values["byteorder"] is not None:
        parts[prefix + "byteorder"] = values["byteorder"]
    parts[prefix + "data/0"] = bytes(range(1, nbytes + 1))
    if values["version"] is not None:
        parts[prefix + "version"] = values["version"]
    what = f"wrong {fault}: " + ", ".join(f"{k}={v!r}" for k, v in values.items())
    return _zip(parts), what
