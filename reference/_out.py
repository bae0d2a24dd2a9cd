"""``out=``: the functional form of an op writing its result into a given tensor.

torch's rule (``at::native::resize_output`` and TensorIterator's output checks):

1. ``out=`` is a keyword of the *function* only (``torch.add(x, y, out=o)``); Tensor methods refuse it.
2. When grad mode is on and an input or ``out`` requires grad, the call raises RuntimeError
   ("functions with out=... arguments don't support automatic differentiation"): no graph is recorded.
3. The result's dtype must fit ``out``: ops computed by TensorIterator (elementwise, reductions)
   accept any ``out`` dtype the result can be cast to (``torch.can_cast``), others require the
   result's exact dtype (gather, index_select, matmul).
4. ``out`` with the wrong shape is resized to the result's shape, and when it had elements torch
   warns that resizing a non-empty ``out`` is deprecated; a resized ``out`` takes the result's layout,
   an ``out`` of the right shape keeps its own strides and memory.
5. The written ``out`` is returned (the same object), and its version counter moves.

6. Memory overlap (``_check_overlap``): an elementwise op may write into exactly one of its inputs
   (``torch.add(x, y, out=x)``); a partial overlap is RuntimeError, and so is an ``out`` whose elements
   share memory.  The cases torch leaves to its loop order are refused (NotImplementedError).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable

import numpy as np

from . import _dtype as D
from ._layout import as_view, contiguous_strides, element_strides, is_non_overlapping_and_dense, lay_out
from ._tensor import Tensor
from .autograd.grad_mode import no_grad
from .autograd.graph import is_grad_enabled


def _tensors_in(values) -> list[Tensor]:
    found: list[Tensor] = []
    for v in values:
        if isinstance(v, Tensor):
            found.append(v)
        elif isinstance(v, list | tuple):
            found += _tensors_in(v)
    return found


def with_out(
    name: str,
    *,
    exact_dtype: bool | Callable[..., bool] = False,
    needs: str | None = None,
    differentiable: bool = True,
    computes_in_out_dtype: bool = False,
    overlap: str | None = None,
    full_overlap_ok: tuple[int, ...] = (),
    unmodelled: Callable[..., str | None] | None = None,
    precheck: Callable[..., None] | None = None,
    operands: Callable[..., list] | None = None,
) -> Callable[[Callable], Callable]:
    """Give the function ``torch.<name>`` its ``out=`` keyword (see the module docstring for torch's rule).

    ``exact_dtype`` marks ops whose ``out`` must have the result's own dtype (ops outside TensorIterator;
    a function of the call's arguments where that depends on the overload: clamp with number bounds).
    ``needs`` names an argument without which torch's overloads take no ``out`` (``torch.sum(x, out=o)``
    is a TypeError; ``torch.sum(x, None, out=o)`` is accepted).  ``differentiable=False`` (comparisons):
    no autograd check, the result never requires grad.  ``computes_in_out_dtype`` (reductions): without
    ``dtype=``, the op computes in ``out``'s dtype (the input is cast first); with ``dtype=``, ``out``
    must have that dtype.  ``overlap`` is torch's rule for an ``out`` sharing memory with an input (see
    :func:`_check_overlap`): ``"iterator"`` (elementwise ops), ``"refuse"`` (ops that assert no overlap:
    gather, cat, ...) or None (not modelled); ``full_overlap_ok`` lists the tensor arguments (by position
    among them) a "refuse" op lets ``out`` overlap fully (gather's index: ``torch.gather(x, 0, i, out=i)``).  ``unmodelled(*args, out=out, **kwargs)`` names an ``out`` whose
    handling torch varies and the reference does not model (NotImplementedError), or returns None.
    ``precheck(*args, **kwargs)`` raises what torch checks on the call's own arguments before ``out``
    can lend its dtype (mean refuses an integer input without ``dtype=`` even with a float ``out``).
    ``operands(*args, **kwargs)`` lists the tensors the kernel reads, where some tensor arguments are read
    as numbers (clamp's 0-d bound beside a number): only those count for the overlap rules.
    The undecorated function stays available as ``fn._method`` for the Tensor method, which has no ``out=``.
    """

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def with_out_keyword(*args, out=None, **kwargs):
            if out is None:
                return fn(*args, **kwargs)
            if needs is not None and len(args) < 2 and needs not in kwargs:
                raise TypeError(f"{name}() received an invalid combination of arguments: out= needs '{needs}'")
            if not isinstance(out, Tensor):
                raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
            if precheck is not None:
                precheck(*args, **kwargs)
            if computes_in_out_dtype:
                if kwargs.get("dtype") is None:
                    kwargs = {**kwargs, "dtype": out.dtype}
                elif kwargs["dtype"] is not out.dtype:
                    raise RuntimeError(
                        f"Expected out tensor to have dtype {_c_type(kwargs['dtype'])}, but got "
                        f"{_c_type(out.dtype)} instead"
                    )
            why = unmodelled(*args, out=out, **kwargs) if unmodelled is not None else None
            if why:
                raise NotImplementedError(f"{name}(): {why} is not modelled")
            exact = exact_dtype(*args, **kwargs) if callable(exact_dtype) else exact_dtype
            return write_out(
                name,
                fn,
                args,
                kwargs,
                out,
                exact,
                differentiable,
                overlap=overlap,
                full_overlap_ok=full_overlap_ok,
                checked=operands(*args, **kwargs) if operands is not None else None,
            )

        with_out_keyword._method = fn  # type: ignore[attr-defined]
        return with_out_keyword

    return decorate


def _c_type(d: D.dtype) -> str:
    """torch's C++ name of a dtype in out= messages ("float", "double", "long int")."""
    return {"int64": "long int", "float32": "float", "float64": "double", "int32": "int"}.get(d.name, d.name)


def write_out(
    name: str,
    fn: Callable,
    args: tuple,
    kwargs: dict,
    out: Tensor,
    exact_dtype: bool,
    differentiable: bool,
    *,
    overlap: str | None = None,
    checked: list[Tensor] | None = None,
    full_overlap_ok: tuple[int, ...] = (),
) -> Tensor:
    """Compute ``fn(*args, **kwargs)`` without recording and write it into ``out`` by the rules above
    (also used by ops whose ``out=`` changes how they compute: the joins copy into out's dtype).
    ``overlap``: the op's rule for an ``out`` sharing memory with an input (:func:`_check_overlap`), over
    the inputs in ``checked`` (default: every tensor argument)."""
    inputs = _tensors_in(list(args) + list(kwargs.values()))
    if differentiable and is_grad_enabled() and (out.requires_grad or any(t.requires_grad for t in inputs)):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic differentiation, "
            "but one of the arguments requires grad."
        )
    if not differentiable and out.requires_grad:
        raise NotImplementedError(f"{name}(): an out= tensor that requires grad is not modelled")
    with no_grad():
        result = fn(*args, **kwargs)
    _check_written(out, inputs if checked is None else checked, overlap, tuple(result.shape))
    if exact_dtype and result.dtype is not out.dtype:
        raise RuntimeError(
            f"{name}(): expected out tensor to have dtype {_c_type(result.dtype)}, but got {_c_type(out.dtype)} instead"
        )
    if not D.can_cast(result.dtype, out.dtype):
        raise RuntimeError(
            f"result type {result.dtype._torch_name} can't be cast to the desired output type {out.dtype._torch_name}"
        )
    _check_overlap(
        name,
        out,
        inputs if checked is None else checked,
        overlap,
        resized=tuple(out.shape) != tuple(result.shape),
        full_ok=full_overlap_ok,
    )
    with np.errstate(over="ignore"):  # an overflow to inf is the cast torch does, silently
        data = result._data.astype(out._data.dtype, copy=False)
    if tuple(out.shape) != tuple(result.shape):
        _resize(name, out, data, tuple(result.stride()))  # torch's strides (NumPy's differ for empty arrays)
    else:
        out._writable_data()[...] = data
    out._bump_version()
    return out


_OVERLAP = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
    "memory location. Please clone() the tensor before performing the operation."
)


def _check_written(out: Tensor, inputs: list[Tensor], policy: str | None, shape: tuple[int, ...]) -> None:
    """The checks torch makes on ``out`` before its dtype (ops with a modelled ``policy``): an ``out``
    whose elements share memory (a stride 0 over a dim of size > 1) is RuntimeError ("more than one
    element of the written-to tensor refers to a single memory location"); an elementwise op whose
    ``out`` is one of its inputs cannot resize it (RuntimeError "output with shape [..] doesn't match
    the broadcast shape [..]", the in-place rule).  Ops without a policy (reductions, tril) do not check:
    an ``out`` whose elements share memory is not modelled there."""
    o = out._data
    if o.size and any(st == 0 and n > 1 for st, n in zip(o.strides, o.shape, strict=True)):
        if policy is None:
            raise NotImplementedError("an out= tensor whose elements share memory is not modelled for this op")
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a single memory "
            "location. Please clone() the tensor before performing the operation."
        )
    if policy == "iterator" and tuple(out.shape) != shape and any(t is out for t in inputs):
        raise RuntimeError(f"output with shape {list(out.shape)} doesn't match the broadcast shape {list(shape)}")


def _check_overlap(
    name: str, out: Tensor, inputs: list[Tensor], policy: str | None, resized: bool, full_ok: tuple[int, ...] = ()
) -> None:
    """torch's memory-overlap checks of ``out``, after the dtype checks.

    - An input that *is* ``out``, or covers exactly its memory with its strides, overlaps *fully*; dense
      tensors sharing memory otherwise (``out=x.t()``, ``out=x[1:]`` beside ``x[:-1]``) overlap
      *partially*.
    - ``policy="iterator"`` (elementwise ops, TensorIterator): a full overlap is computed element by
      element in place (``torch.add(x, y, out=x)``), a partial one is RuntimeError ("some elements of
      the input tensor and the written-to tensor refer to a single memory location").
    - ``policy="refuse"`` (gather, index_select, take, masked_select, the joins): any overlap is that
      RuntimeError, an empty input passed as ``out`` itself included; ``policy="self"`` (index_add,
      scatter, scatter_add: their in-place forms are out=self) lets the first input be ``out`` itself and
      refuses the others.

    Not modelled (NotImplementedError): overlap with a tensor that is not dense (torch does not check it,
    and its result depends on its loop order), a full overlap with an ``out`` that must be resized, and
    any overlap for the other ops (torch computes some in place, like matmul)."""
    o = out._data
    for i, t in enumerate(inputs):
        a = t._data
        if policy == "self" and i == 0 and t is out:
            continue  # copied into itself, then written as the in-place form does
        if t is out:
            status = "full"
        elif not (o.size and a.size and np.may_share_memory(o, a)):
            continue
        elif all(is_non_overlapping_and_dense(x.shape, element_strides(x)) for x in (o, a)):
            bounds = np.lib.array_utils.byte_bounds
            same = bounds(o) == bounds(a) and o.strides == a.strides and o.shape == a.shape
            status = "full" if same else "partial"
        else:
            status = "not dense"
        if status == "full" and i in full_ok and not resized:
            continue  # this argument is read before out is written (gather's index)
        if status != "not dense" and (policy in ("refuse", "self") or (policy == "iterator" and status == "partial")):
            raise RuntimeError(_OVERLAP)
        if policy == "iterator" and status == "full" and not resized:
            continue  # computed first, then written: what an element-by-element loop in place gives
        raise NotImplementedError(
            f"{name}(): an out= tensor sharing memory with an input is not modelled here "
            f"({status} overlap{', out to be resized' if resized else ''}; see reference/_out.py)"
        )


def resize_quietly(name: str, out: Tensor, data: np.ndarray) -> None:
    """Resize a factory's ``out`` (``torch.zeros(2, 3, out=o)``) to ``data``'s shape, contiguous, and write
    ``data`` into it: torch's factories call ``resize_`` themselves, so a non-empty ``out`` is resized
    without the deprecation warning."""
    _resize(name, out, data, contiguous_strides(data.shape), warn=False)


def _resize(name: str, out: Tensor, data: np.ndarray, strides: tuple[int, ...], warn: bool = True) -> None:
    """torch resizes ``out`` in its own storage and then gives it the result's strides
    (``as_strided_``): a resized tensor from empty takes the result's layout; a non-empty one keeps
    its memory (views of it see the result) when it is big enough."""
    if out.numel() == 0:
        if out._base is not None:
            raise NotImplementedError(f"{name}(): resizing an out= tensor that is a view is not modelled")
        out._data = lay_out(np.array(data, order="K", copy=True), strides)
        return
    if warn:
        warnings.warn(
            f"An output with one or more elements was resized since it had shape {list(out.shape)}, which does "
            f"not match the required output shape {list(data.shape)}. This behavior is deprecated, and in a "
            "future PyTorch release outputs will not be resized unless they have zero elements. You can "
            "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).",
            UserWarning,
            stacklevel=4,
        )
    flat = out._data.reshape(-1) if out._data.flags.c_contiguous else None
    if flat is None or flat.size < data.size or out._base is not None:
        raise NotImplementedError(
            f"{name}(): resizing a non-empty out= tensor that is a view, not contiguous, or too small "
            "(torch grows its storage in place) is not modelled"
        )
    resized = as_view(flat, data.shape, strides)  # the same memory, as torch's resize_ + as_strided_
    resized[...] = data
    out._data = resized
