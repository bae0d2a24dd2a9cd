"""In-place ops (``add_``, ``mul_``, ``zero_``, ``copy_``, ``fill_``, ``clamp_``, item assignment).

An in-place op writes into the tensor's memory, so every view of it sees the
change, and bumps the shared version counter.  When autograd is recording, the
op is computed out of place on a snapshot of the old value and the tensor takes
over the new node as its ``grad_fn`` (torch's "rebase history").
"""

from __future__ import annotations

import numpy as np

from . import _bitwise as B
from . import _dtype as D
from . import _elementwise as E
from . import _remainder as R
from ._arguments import NOT_GIVEN
from ._clamp import clamp, clip
from ._tensor import Tensor, tensor_method, view_refusal
from .autograd.graph import is_grad_enabled, is_inference_mode_enabled


def _check_inplace_allowed(self: Tensor) -> None:
    if self._inference and not is_inference_mode_enabled():
        raise RuntimeError(
            "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a "
            "normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details."
        )
    if not is_grad_enabled():
        return
    if self.requires_grad and self.grad_fn is None and self._base is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    base = self._base
    if base is not None and base.requires_grad and base.grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")


def _dense(a: np.ndarray) -> bool:
    """torch's ``is_non_overlapping_and_dense``: the elements fill one block without gaps, in some order."""
    dims = sorted((abs(st), n) for st, n in zip(a.strides, a.shape, strict=True) if n != 1)
    expected = a.itemsize
    for st, n in dims:
        if st != expected:
            return False
        expected *= n
    return True


def _check_no_overlap(self: Tensor, operands: list[Tensor]) -> None:
    """torch's memory-overlap check for an in-place write: an operand occupying exactly ``self``'s
    elements is fine; where both are dense blocks of memory that overlap otherwise, torch raises
    RuntimeError.  Where one is not dense (a broadcast operand, a strided slice) torch does not check
    and its loop reads elements it has already written: not modelled."""
    for t in operands:
        if t is self or not (t._data.size and self._data.size and np.shares_memory(t._data, self._data)):
            continue
        same = (
            t._data.shape == self._data.shape
            and t._data.strides == self._data.strides
            and t._data.__array_interface__["data"][0] == self._data.__array_interface__["data"][0]
        )
        if same:
            continue
        if not (_dense(t._data) and _dense(self._data)):
            raise NotImplementedError(
                "an in-place operation whose operand overlaps the written tensor without being dense is not "
                "modelled (torch's loop reads elements it has already written)"
            )
        raise RuntimeError(
            "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
            "memory location. Please clone() the tensor before performing the operation."
        )


def inplace(self: Tensor, op, *args, check_cast: bool = True, elementwise: bool = True, **kwargs) -> Tensor:
    """Run the out-of-place ``op(self, *args)`` and write its result into ``self``.  For an
    ``elementwise`` op (its ``args`` are operands) each operand must be a tensor or a number and the
    tensor operands must broadcast to ``self``'s shape (checked first, as torch's argument parsing
    and TensorIterator do, before any kernel is looked for)."""
    for a in args:
        E.check_int64(a)  # argument parsing comes first in torch
    _check_inplace_allowed(self)
    if elementwise:  # argument parsing comes before torch's memory-overlap check
        for a in args:
            if not (a is None or isinstance(a, Tensor | bool | int | float | complex | np.number | np.ndarray)):
                raise TypeError(f"in-place operand must be a Tensor or a Number, not {type(a).__name__}")
    self._writable_data()
    # TensorIterator checks that the operands broadcast to self's shape before it looks for a kernel
    operands = [a for a in list(args) + list(kwargs.values()) if isinstance(a, Tensor)]
    if operands and elementwise:
        full = E.broadcast_shapes(tuple(self.shape), *(tuple(a.shape) for a in operands))
        if full != tuple(self.shape):
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(full)}")
    _check_no_overlap(self, operands)
    tracking = is_grad_enabled() and (
        self.requires_grad or any(isinstance(a, Tensor) and a.requires_grad for a in args)
    )
    on_view = tracking and self._base is not None
    if on_view:
        mode = self._view_meta[1]
        if mode and (mode != "no_grad" or self._base._requires_grad):
            raise RuntimeError(view_refusal(mode, direct=True, view=self))
        # the op runs on a copy of the view's values that keeps their history (its backward runs inside
        # the base's CopySlices, and a double backward differentiates through those values)
        old = self.clone()
        result = op(old, *args, **kwargs)
    elif tracking:
        old = Tensor._wrap(self._data.copy())
        # the old value is the same output of the same node (output 1 of a two-output op stays output 1)
        old.grad_fn, old._requires_grad, old._output_nr = self.grad_fn, self.requires_grad, self._output_nr
        result = op(old, *args, **kwargs)
    else:
        result = op(self, *args, **kwargs)
    if check_cast:
        _check_fits(self, result.dtype)
    if tuple(np.broadcast_shapes(result.shape, self.shape)) != tuple(self.shape):
        raise RuntimeError(
            f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(result.shape)}"
        )
    self._data[...] = result._data.astype(self._data.dtype, copy=False)
    if on_view and result._grad_fn is not None:
        from ._views import copy_slices

        copy_slices(self._base, self, result)
        self._bump_version()
        # the op's backward may read its result: in torch that is the view itself, whose history is now
        # the base's (through CopySlices), so the out-of-place result takes the view's new history too
        result._grad_fn, result._output_nr = self.grad_fn, 0
        return self
    if tracking and not on_view:
        self.grad_fn, self._output_nr = result.grad_fn, result._output_nr
        self._requires_grad = result.requires_grad
    self._bump_version()
    return self


@tensor_method
def add_(self: Tensor, other, *, alpha=1) -> Tensor:
    """In-place ``self += alpha * other``."""
    return inplace(self, E.add, other, alpha=alpha)


@tensor_method
def sub_(self: Tensor, other, *, alpha=1) -> Tensor:
    """In-place ``self -= alpha * other``; the result must be castable to ``self``'s dtype and broadcast to its shape."""
    return inplace(self, E.sub, other, alpha=alpha)


@tensor_method
def mul_(self: Tensor, other) -> Tensor:
    """In-place ``self *= other``."""
    return inplace(self, E.mul, other)


@tensor_method
def div_(self: Tensor, other, *, rounding_mode=NOT_GIVEN) -> Tensor:
    """In-place :func:`div`; an integer ``self`` cannot hold a true division's float result (RuntimeError)."""
    return inplace(self, E.div, other, rounding_mode=rounding_mode)


@tensor_method
def clamp_(self: Tensor, min=None, max=None) -> Tensor:
    """In-place :func:`clamp`; the promoted result dtype must be castable to ``self``'s dtype."""
    return inplace(self, clamp, min, max)


@tensor_method
def clip_(self: Tensor, min=None, max=None) -> Tensor:
    """Alias of :func:`clamp_`."""
    return inplace(self, clip, min, max)


@tensor_method
def pow_(self: Tensor, exponent) -> Tensor:
    """In-place ``self **= exponent``; an integer ``self`` cannot hold a float result (RuntimeError)."""
    return inplace(self, E.pow, exponent)


@tensor_method
def exp_(self: Tensor) -> Tensor:
    """In-place :func:`exp`; only a floating or complex ``self`` can hold the result."""
    return inplace(self, E.exp)


@tensor_method
def tril_(self: Tensor, diagonal: int = 0) -> Tensor:
    """In-place :func:`tril` (any dtype: the result has ``self``'s)."""
    from ._shape import tril

    return inplace(self, tril, diagonal)


@tensor_method
def triu_(self: Tensor, diagonal: int = 0) -> Tensor:
    """In-place :func:`triu`."""
    from ._shape import triu

    return inplace(self, triu, diagonal)


@tensor_method
def sigmoid_(self: Tensor) -> Tensor:
    """In-place :func:`sigmoid`; only a floating or complex ``self`` can hold the result."""
    return inplace(self, E.sigmoid)


@tensor_method
def tanh_(self: Tensor) -> Tensor:
    """In-place :func:`tanh`; only a floating or complex ``self`` can hold the result."""
    return inplace(self, E.tanh)


@tensor_method
def relu_(self: Tensor) -> Tensor:
    """In-place :func:`relu`."""
    return inplace(self, E.relu)


def _comparison_(name: str, op):
    node = name[:-1].capitalize()

    def as_differentiable(old: Tensor, other) -> Tensor:
        """Written into a tensor in the graph, a comparison stays in it, with a zero gradient: torch
        records EqBackward0 (number ``other``) or EqBackward1 (tensor ``other``)."""
        from ._autograd_hooks import record

        out = Tensor._wrap(op(old, other)._data.astype(old._data.dtype))
        number = not isinstance(other, Tensor)

        def vjp(g):
            zero = Tensor._wrap(np.zeros(g.shape, dtype=g._data.dtype))
            return (zero,) if number else (zero, Tensor._wrap(np.zeros(other.shape, dtype=other._data.dtype)))

        return record(out, (old,) if number else (old, other), f"{node}Backward{0 if number else 1}", vjp)

    def compare_(self: Tensor, other) -> Tensor:
        differentiable = self.requires_grad and self.dtype.is_floating_point and is_grad_enabled()
        return inplace(self, as_differentiable if differentiable else op, other)

    compare_.__name__ = compare_.__qualname__ = name
    compare_.__doc__ = (
        f"In-place ``{name[:-1]}``: writes the bool result into ``self``, converted to ``self``'s dtype (1 or 0)."
    )
    return tensor_method(compare_)


eq_ = _comparison_("eq_", E.eq)
ne_ = _comparison_("ne_", E.ne)
lt_ = _comparison_("lt_", E.lt)
le_ = _comparison_("le_", E.le)
gt_ = _comparison_("gt_", E.gt)
ge_ = _comparison_("ge_", E.ge)


def _inplace_of(name: str, op, promotes_first: bool = False):
    def in_place(self: Tensor, other) -> Tensor:
        E.check_int64(other)  # argument parsing comes first in torch, before the promotion check
        if promotes_first:  # torch checks the promoted dtype fits self before looking for a kernel for it
            _check_fits(self, D.result_type(self, other))
        return inplace(self, op, other)

    in_place.__name__ = in_place.__qualname__ = name
    in_place.__doc__ = f"In-place ``{name[:-1]}``: the result must fit ``self``'s dtype and shape (RuntimeError)."
    return tensor_method(in_place)


floor_divide_ = _inplace_of("floor_divide_", R.floor_divide, promotes_first=True)
remainder_ = _inplace_of("remainder_", R.remainder, promotes_first=True)


@tensor_method
def bitwise_not_(self: Tensor) -> Tensor:
    """In-place ``~self`` (integer and bool tensors)."""
    return inplace(self, B.bitwise_not)


bitwise_and_ = _inplace_of("bitwise_and_", B.bitwise_and, promotes_first=True)
bitwise_or_ = _inplace_of("bitwise_or_", B.bitwise_or, promotes_first=True)
bitwise_xor_ = _inplace_of("bitwise_xor_", B.bitwise_xor, promotes_first=True)
bitwise_left_shift_ = _inplace_of("bitwise_left_shift_", B.bitwise_left_shift, promotes_first=True)
bitwise_right_shift_ = _inplace_of("bitwise_right_shift_", B.bitwise_right_shift, promotes_first=True)


def _check_fits(self: Tensor, dtype: D.dtype) -> None:
    """A result of ``dtype`` can be written into ``self`` only where torch's casting rules allow it."""
    if not D.can_cast(dtype, self.dtype):
        raise RuntimeError(
            f"result type {dtype._torch_name} can't be cast to the desired output type {self.dtype._torch_name}"
        )


def _filled_like(old: Tensor, value, node: str) -> Tensor:
    out = Tensor._wrap(np.full(old.shape, value, dtype=old._data.dtype))
    from ._autograd_hooks import record_unary

    return record_unary(out, old, node, lambda g: Tensor._wrap(np.zeros(g.shape, dtype=g._data.dtype)))


@tensor_method
def zero_(self: Tensor) -> Tensor:
    """Fill with zeros in place (ZeroBackward0: the old values get a zero gradient)."""
    return inplace(self, _filled_like, 0, "ZeroBackward0", check_cast=False, elementwise=False)


@tensor_method
def fill_(self: Tensor, value) -> Tensor:
    """Fill with ``value`` in place: a number (FillBackward2) or a 0-d tensor's value (FillBackward3)."""
    node = "FillBackward3" if isinstance(value, Tensor) else "FillBackward2"
    if isinstance(value, Tensor):
        value = value.item()
    # a one-element float16 tensor is filled through a double, unchecked (torch's scalar_fill)
    value = D.checked_convert(value, self.dtype, single_element=self.numel() == 1)
    return inplace(self, _filled_like, value, node, check_cast=False, elementwise=False)


def _copy_from(old: Tensor, src: Tensor) -> Tensor:
    from ._autograd_hooks import record

    data = np.broadcast_to(src._data, old.shape)
    if src.dtype.is_complex and not old.dtype.is_complex:
        data = data.real
    out = Tensor._wrap(data.astype(old._data.dtype))
    src_shape, src_dtype = tuple(src.shape), src.dtype

    def vjp(g):
        zero = Tensor._wrap(np.zeros(g.shape, dtype=g._data.dtype))
        gs = E.sum_to(g, src_shape)
        return zero, (E.cast(gs, src_dtype) if gs.dtype is not src_dtype else gs)

    return record(out, (old, src), "CopyBackwards", vjp)


@tensor_method
def copy_(self: Tensor, src: Tensor, non_blocking: bool = False) -> Tensor:
    """Copy ``src`` (broadcast, converted to ``self.dtype``) into ``self``; a Python number is copied
    as a 0-d tensor (a Python int beyond int64 is OverflowError)."""
    if isinstance(src, bool | int | float | complex):
        E.check_int64(src)
        from ._creation import tensor

        src = tensor(src)
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' must be Tensor, not {type(src).__name__}")
    shape = E.broadcast_shapes(tuple(self.shape), tuple(src.shape))  # torch's RuntimeError when they do not
    if shape != tuple(self.shape):
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}")
    return inplace(self, _copy_from, src, check_cast=False, elementwise=False)


@tensor_method
def masked_fill_(self: Tensor, mask: Tensor, value) -> Tensor:
    """In-place :func:`masked_fill`: ``mask`` must broadcast to ``self``'s shape (``self`` itself is not
    broadcast)."""
    from ._selecting import masked_fill

    return inplace(self, masked_fill, mask, value)


@tensor_method
def index_add_(self: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha=1) -> Tensor:
    """In-place :func:`index_add`."""
    from ._placing import index_add

    return inplace(self, index_add, dim, index, source, alpha=alpha, elementwise=False)


@tensor_method
def scatter_(self: Tensor, dim: int, index: Tensor, *args, **kwargs) -> Tensor:
    """In-place :func:`scatter`."""
    from ._placing import scatter

    return inplace(self, scatter, dim, index, *args, elementwise=False, **kwargs)


@tensor_method
def scatter_add_(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """In-place :func:`scatter_add`."""
    from ._placing import scatter_add

    return inplace(self, scatter_add, dim, index, src, elementwise=False)
