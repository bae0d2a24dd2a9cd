"""The reference Tensor: an ndarray plus torch's metadata.

Storage model: a view's ndarray is a NumPy view of its base's ndarray, so
writes through either are seen by both, exactly like torch storage sharing.
``_base`` follows torch: a view records the root tensor it views (``None`` for
tensors that own their data), and views share one version counter, which
in-place operations bump.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable

import numpy as np

from . import _dtype as D
from ._dims import as_int_tuple, wrap_dim
from ._layout import as_contiguous_layout
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


class device:
    """torch.device; the reference computes on the CPU only."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None):
        if isinstance(type, device):
            type, index = type.type, type.index
        if isinstance(type, int):  # torch reads a bare int as an accelerator index
            raise RuntimeError(f"device({type}): an int names an accelerator, and the reference has none (CPU only)")
        if not isinstance(type, str):
            raise TypeError(
                f"device() received an invalid combination of arguments - got ({builtins.type(type).__name__}), but expected one of: (torch.device device), (str type, int index = -1)"
            )
        if ":" in type:
            type, idx = type.split(":", 1)
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        if type not in ("cpu", "cuda", "meta"):
            raise RuntimeError(f"Expected one of cpu, cuda, meta device type at start of device string: {type}")
        self.type = type
        self.index = index

    def __eq__(self, other) -> bool:
        other = device(other) if isinstance(other, str) else other
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __repr__(self) -> str:
        return (
            f"device(type='{self.type}')" if self.index is None else f"device(type='{self.type}', index={self.index})"
        )

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"


CPU = device("cpu")


def _check_device(dev) -> None:
    """The reference has only a CPU; asking for another device is an error, not a silent CPU run."""
    if dev is None:
        return
    d = device(dev) if not isinstance(dev, device) else dev
    if d.type != "cpu":
        raise RuntimeError(f"the reference implementation runs on the CPU only; device={str(d)!r} is not available")


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
        """torch's rule: strides are row-major, ignoring size-1 dims; empty tensors are contiguous.

        NumPy's ``C_CONTIGUOUS`` flag follows the same rule (relaxed strides, NumPy >= 1.12).
        """
        return self._data.flags.c_contiguous

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

    def clone(self, *, memory_format=None) -> Tensor:
        """A copy that owns its data; a dense input's layout is kept, any other is made dense in the
        same order of strides (torch's preserve_format)."""
        from ._autograd_hooks import record_unary
        from ._layout import preserving_layout

        out = Tensor._wrap(preserving_layout(self._data.copy(order="K"), self._data), laid_out=True)
        return record_unary(out, self, "CloneBackward0", lambda g: g)

    def contiguous(self, memory_format=None) -> Tensor:
        """``self`` when already contiguous, else a row-major copy."""
        if self.is_contiguous():
            return self
        from ._autograd_hooks import record_unary

        out = Tensor._wrap(self._data.copy(order="C"))
        return record_unary(out, self, "CloneBackward0", lambda g: g)

    def to(self, *args, dtype: D.dtype | None = None, device=None, copy: bool = False, non_blocking: bool = False):
        """``to(dtype)``, ``to(device)``, ``to(other)``, ``to(device, dtype)``.

        Returns ``self`` when nothing changes and ``copy`` is False.
        """
        for a in args:
            if isinstance(a, D.dtype):
                dtype = a
            elif isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, str | globals()["device"]):
                device = a
            else:
                raise TypeError(f"to() received an invalid combination of arguments - got {type(a).__name__}")
        _check_device(device)
        if dtype is None or dtype is self.dtype:
            return self.clone() if copy else self
        from ._casting import cast

        return cast(self, dtype)

    def type(self, dtype=None):
        if dtype is None:
            return _LEGACY_TYPE_NAMES[self.dtype.name]
        return self.to(dtype)

    def cpu(self) -> Tensor:
        return self

    def cuda(self, *args, **kwargs) -> Tensor:
        _check_device("cuda")
        return self  # pragma: no cover

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
