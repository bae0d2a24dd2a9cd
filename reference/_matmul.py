"""matmul (``@``) with torch's rank rules and same-dtype requirement."""

from __future__ import annotations

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record
from ._out import with_out
from ._tensor import Tensor, tensor_method
from .autograd.graph import is_grad_enabled

__all__ = ["matmul", "mm"]


def _unmodelled_out(input, other, *, out) -> str | None:
    """The out= tensors whose handling torch's matmul varies by rank: a non-contiguous one (resized with
    a warning for some ranks, refused for batched ones) and a non-empty one for a vector-matrix product
    (resized through a (1, n) shape: warned unless it has that shape)."""
    if out.numel() and not out.is_contiguous():
        return "a non-contiguous out= tensor"
    if out.numel() and isinstance(input, Tensor) and isinstance(other, Tensor) and input.ndim == 1 and other.ndim == 2:
        return "a non-empty out= tensor for a vector-matrix product"
    return None


@tensor_method
@with_out("matmul", exact_dtype=True, unmodelled=_unmodelled_out)
def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product.  1-d x 1-d is a dot product (0-d), a 1-d operand is a row/column
    vector whose added dim is removed again, and leading (batch) dims broadcast.

    Both operands need the same dtype (torch does not promote here) and at least one dim.
    """
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError("matmul(): argument 'other' must be Tensor")
    if input.ndim == 0 or other.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {input.ndim}D and {other.ndim}D"
        )
    a, b = input._data, other._data
    if input.dtype is not other.dtype and a.ndim == 1 and b.ndim == 1:  # torch's dot checks dtypes first
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {input.dtype._torch_name} and "
            f"{other.dtype._torch_name}"
        )
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else -1]:  # the other products check shapes first
        if a.ndim == 1 and b.ndim == 1:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have the same "
                f"number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively"
            )
        if b.ndim == 1:  # a matrix-vector product (batch dims folded into the rows)
            rows = int(np.prod(a.shape[:-1]))
            raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{a.shape[-1]}), vec ({b.shape[0]})")
        sa = "x".join(map(str, a.shape[-2:] if a.ndim > 1 else (1,) + a.shape))
        sb = "x".join(map(str, b.shape[-2:] if b.ndim > 1 else b.shape + (1,)))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa} and {sb})")
    if input.dtype is not other.dtype:
        raise RuntimeError(  # torch names the C++ element types here
            f"expected m1 and m2 to have the same dtype, but got: {D.C_TYPE_NAMES[input.dtype.name]} != "
            f"{D.C_TYPE_NAMES[other.dtype.name]}"
        )
    if input.dtype is D.bool:  # no bool kernel (checked after the shapes); its name depends on them
        kernel = "dot" if a.ndim == b.ndim == 1 else "addmv_impl_cpu" if b.ndim == 1 else "addmm_impl_cpu_"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
    if a.ndim > 2 or b.ndim > 2:  # batch dims broadcast, with torch's error when they cannot
        from ._elementwise import broadcast_shapes

        broadcast_shapes(a.shape[:-2], b.shape[:-2])
    res = np.asarray(np.matmul(a, b), dtype=a.dtype)
    # torch's result is a new contiguous tensor (mm/bmm output, or a view of one); NumPy's batched
    # matmul may follow the operands' order instead
    out = Tensor._wrap(res if res.flags.c_contiguous else np.array(res, order="C"))
    sa_shape, sb_shape = tuple(input.shape), tuple(other.shape)

    def vjp(g):
        from ._elementwise import _conj, sum_to
        from ._shape import squeeze, transpose, unsqueeze

        ga_in = unsqueeze(g, -1) if other.ndim == 1 else g
        ga_in = unsqueeze(ga_in, -2) if input.ndim == 1 else ga_in
        A = unsqueeze(_conj(input), -2) if input.ndim == 1 else _conj(input)
        B = unsqueeze(_conj(other), -1) if other.ndim == 1 else _conj(other)
        ga = matmul(ga_in, transpose(B, -1, -2))
        gb = matmul(transpose(A, -1, -2), ga_in)
        if input.ndim == 1:
            ga = squeeze(ga, -2)
        if other.ndim == 1:
            gb = squeeze(gb, -1)
        return sum_to(ga, sa_shape), sum_to(gb, sb_shape)

    name = (
        "DotBackward0"
        if input.ndim == 1 and other.ndim == 1
        else "MmBackward0"
        if input.ndim == 2 and other.ndim == 2
        else "UnsafeViewBackward0"
        if input.ndim > 2 or other.ndim > 2
        else "MvBackward0"
        if input.ndim == 2
        else "SqueezeBackward4"
    )
    saved = ((other,) if input.requires_grad else ()) + ((input,) if other.requires_grad else ())
    return record(out, (input, other), name, vjp, saved=saved)


@tensor_method
def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """2-d x 2-d matrix product."""
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(input, mat2)


#: torch's engine refuses a complex gradient for a real input unless the formula took its real part
_REAL_INPUT_COMPLEX_GRAD = (
    "Expected isFloatingType(grad.scalar_type()) || (input_is_complex == grad_is_complex) to be true, but got "
    "false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)"
)


def _bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched ``(b, n, k) @ (b, k, m)`` as torch's ``bmm`` (einsum's contraction kernel; not public yet).

    The result takes ``mat2``'s dtype and is new and contiguous.  The kernel is chosen by ``input``'s
    dtype (bool has none) and then needs ``mat2`` to have the same one; both checks only happen when
    there is work: an empty result, or zeros from an empty contraction (k == 0), come back before.
    float16 accumulates in float32 and rounds once, as torch's CPU kernel does; integers wrap, which
    gives the same result whatever the accumulator's width.
    """
    (b, n, k), m = input.shape, mat2.shape[2]
    if b * n * m and k:
        if input.dtype is D.bool:
            raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
        if input.dtype is not mat2.dtype:
            raise RuntimeError(f"expected scalar type {input.dtype._torch_name} but found {mat2.dtype._torch_name}")
        compute = np.float32 if input.dtype is D.float16 else input.dtype.np
        a, c = input._data.astype(compute, copy=False), mat2._data.astype(compute, copy=False)
        res = np.asarray(np.matmul(a, c), dtype=mat2.dtype.np)
    else:
        res = np.zeros((b, n, m), dtype=mat2.dtype.np)
        if mat2.dtype.category <= D.dtype.INT and is_grad_enabled() and (input.requires_grad or mat2.requires_grad):
            # a differentiable op may not record an integer result
            raise RuntimeError(f"Autograd not support dtype: {mat2.dtype._torch_name}")
    out = Tensor._wrap(res)

    def vjp(g):
        from ._elementwise import _conj
        from ._shape import transpose

        ga = _bmm(g, transpose(_conj(mat2), 1, 2)) if input.requires_grad else None
        gb = _bmm(transpose(_conj(input), 1, 2), g) if mat2.requires_grad else None
        for grad, x in ((ga, input), (gb, mat2)):  # (only empty products mix dtypes)
            if grad is not None and grad.dtype.is_complex and not x.dtype.is_complex:
                raise RuntimeError(_REAL_INPUT_COMPLEX_GRAD)  # the engine's check: no handle_r_to_c here
        return ga, gb

    saved = ((mat2,) if input.requires_grad else ()) + ((input,) if mat2.requires_grad else ())
    return record(out, (input, mat2), "BmmBackward0", vjp, saved=saved)
