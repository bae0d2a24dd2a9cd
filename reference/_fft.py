"""The discrete Fourier transforms of ``torch.fft`` (the public namespace is :mod:`reference.fft`).

torch builds every transform from three primitives, and so does this module:

- ``_fft_c2c(x, dims, norm, forward)``: complex to complex over ``dims`` (``FftC2CBackward0``);
- ``_fft_r2c(x, dims, norm, onesided)``: real to complex, forward, keeping ``n // 2 + 1`` bins of the last
  dim when ``onesided`` (``FftR2CBackward0``);
- ``_fft_c2r(x, dims, norm, n)``: complex Hermitian half-spectrum to real, inverse direction, ``n`` real
  outputs along the last dim (``FftC2RBackward0``).  Only the real part of bin 0 (and of bin ``n / 2``
  for even ``n``) is read; several dims are a complex inverse transform over all but the last first.

The public functions are compositions torch spells out (so their graphs are torch's):

- integers and bool are first converted to the default dtype; float16 is refused on the CPU
  ("Unsupported dtype Half"); where the primitive needs a complex input the real one is converted
  (``ToCopyBackward0``);
- ``n``/``s`` crop the input (``SliceBackward0``, a view) or zero-pad it (one ``ConstantPadNdBackward0``)
  to the signal length; ``-1`` in ``s`` keeps a dim's length;
- ``norm``: ``"backward"`` (the default: forward transforms unscaled, inverse ones divided by ``n``),
  ``"forward"`` (the opposite) or ``"ortho"`` (both divided by ``sqrt(n)``), ``n`` being the product of
  the signal lengths;
- the inverse of a real input, ``ifft``, and ``ihfft`` are the forward real transform conjugated
  (``ConjBackward0``); ``hfft`` is the complex-to-real transform of the conjugated input.

Results are laid out as torch's CPU (MKL) kernel lays them out: the transformed dims innermost (for a
complex-to-complex transform in the input's order of strides, largest first; the half-spectrum dim of a
real transform last), the other dims outside them in the input's order of strides.  Gradients are
torch's formulas (each transform's adjoint, with the half spectrum's bins doubled or zero-padded),
written with these primitives so that they differentiate again.

Not modelled (NotImplementedError): ``out=``, and inputs with NaN or infinities, whose NaN pattern is
the FFT algorithm's (its radix plan), not a rule torch states.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record_unary
from ._casting import cast
from ._layout import element_strides, lay_out, preserving_layout
from ._tensor import Tensor

__all__: list[str] = []  # the public functions live in reference.fft

_NONE, _BY_ROOT_N, _BY_N = "none", "by_root_n", "by_n"
#: NumPy's ``norm=`` that scales a transform of each direction as each of torch's normalization modes
_NUMPY_NORM = {
    (True, _NONE): "backward",
    (True, _BY_N): "forward",
    (False, _NONE): "forward",
    (False, _BY_N): "backward",
}


# -- argument checks ---------------------------------------------------------------------------------------


def _check_input(x, fname: str) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f"fft_{fname}(): argument 'input' (position 1) must be Tensor, not {_type_name(x)}")


def _check_no_out(fname: str, out) -> None:
    if out is not None:
        raise NotImplementedError(f"torch.fft.{fname}(..., out=) is not modelled")


def _type_name(value) -> str:
    """A type as torch's argument parser names it (``Tensor``, ``float``, ``numpy.ndarray``)."""
    if isinstance(value, Tensor):
        return "Tensor"
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__.split('.')[0]}.{t.__name__}"


def _index(value, single_element: bool = True) -> int | None:
    """``value`` as torch's parser reads an int: a Python or NumPy integer (not a bool), or an integer
    tensor of one element (0-d only where a list was expected); None when it is not one."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    integral = isinstance(value, Tensor) and value.dtype.category <= D.dtype.INT and value.dtype is not D.bool
    if integral and (value.numel() == 1 if single_element else value.ndim == 0):
        return int(value.item())
    return None


def _int_arg(value, fname: str, name: str, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    i = _index(value)
    if i is None:
        raise TypeError(f"fft_{fname}(): argument '{name}' must be int, not {_type_name(value)}")
    return i


def _int_list(value, fname: str, name: str) -> tuple[int, ...] | None:
    """An ``IntArrayRef`` argument: None, one int (a one-element integer tensor too), or a tuple, list or
    Size of them (0-d integer tensors among them)."""
    if value is None:
        return None
    single = _index(value)  # one int, or a one-element integer tensor
    if single is not None:
        return (single,)
    if not isinstance(value, tuple | list):
        raise TypeError(f"fft_{fname}(): argument '{name}' must be tuple of ints, not {_type_name(value)}")
    items = [_index(v, single_element=False) for v in value]
    if None in items:
        raise TypeError(f"fft_{fname}(): argument '{name}' must be tuple of ints, not {_type_name(value)}")
    return tuple(items)


def _check_norm_type(norm, fname: str) -> None:
    if norm is not None and not isinstance(norm, str):
        raise TypeError(f"fft_{fname}(): argument 'norm' must be str, not {_type_name(norm)}")


def _norm_mode(norm, forward: bool, fname: str) -> str:
    """torch's ``norm_from_string``: which scaling a transform of this direction gets."""
    _check_norm_type(norm, fname)
    if norm is None or norm == "backward":
        return _NONE if forward else _BY_N
    if norm == "forward":
        return _BY_N if forward else _NONE
    if norm == "ortho":
        return _BY_ROOT_N
    raise RuntimeError(f'Invalid normalization mode: "{norm}"')


def _wrap(dim: int, ndim: int) -> int:
    """``maybe_wrap_dim`` with ``wrap_scalar=false``: a 0-d tensor has no dim to transform."""
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if not -ndim <= dim < ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})")
    return dim % ndim


def _check_points(n: int) -> None:
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")


def _promote(x: Tensor, require_complex: bool) -> Tensor:
    """torch's ``promote_tensor_fft``: complex stays; integers and bool become the default dtype; only
    float32 and float64 have a CPU kernel; ``require_complex`` converts to the complex twin."""
    if x.dtype.is_complex:
        return x
    dt = x.dtype if x.dtype.is_floating_point else D.get_default_dtype()
    if dt not in (D.float32, D.float64):
        raise RuntimeError(f"Unsupported dtype {dt._torch_name}")
    if require_complex:
        dt = D.complex64 if dt is D.float32 else D.complex128
    return x if dt is x.dtype else cast(x, dt)


def _resize(x: Tensor, dims: Sequence[int], sizes: Sequence[int]) -> Tensor:
    """torch's ``resize_fft_input``: each dim longer than its size is sliced (a view), then one zero
    padding brings the shorter ones up (no node at all where every length already fits)."""
    from ._joining import _sliced
    from .nn.padding import constant_pad_nd

    pad = [0] * (2 * x.ndim)
    for d, n in zip(dims, sizes, strict=True):
        if x.shape[d] < n:
            pad[len(pad) - 2 * d - 1] = n - x.shape[d]
        elif x.shape[d] > n:
            x = _sliced(x, d, 0, n)
    return constant_pad_nd(x, pad) if any(pad) else x


def _conj(x: Tensor) -> Tensor:
    """``x.conj()`` as torch's kernels read it: the conjugated values, laid out as a preserve-format copy
    (torch resolves the lazy conjugate before its FFT kernel runs).  Gradient (``ConjBackward0``): the
    conjugate."""
    out = Tensor._wrap(preserving_layout(np.conj(x._data), x._data), laid_out=True)
    return record_unary(out, x, "ConjBackward0", _conj)


# -- the three primitives ------------------------------------------------------------------------------------


def _scale(mode: str, forward: bool) -> str:
    """NumPy's ``norm=`` for a transform of this direction and torch's mode."""
    return "ortho" if mode == _BY_ROOT_N else _NUMPY_NORM[(forward, mode)]


def _check_computable(x: Tensor, fname: str) -> None:
    """What torch's CPU kernel refuses, and what the reference does not model."""
    if x.numel() == 0:
        # MKL refuses a plan with no batch: torch's CPU kernel raises for any empty batch dim
        raise RuntimeError("MKL FFT error: Intel oneMKL DFTI ERROR: Inconsistent configuration parameters")
    if not np.isfinite(x._data).all():
        raise NotImplementedError(
            f"{fname} of an input with NaN or infinity: which outputs become NaN depends on the FFT algorithm's "
            "radix plan (MKL's and NumPy's differ), not on a rule torch states"
        )


def _sorted_by_stride(x: Tensor, dims: Sequence[int], keep_last: bool = False) -> list[int]:
    """torch's ``_sort_dims``: the transformed dims in the input's order of strides (largest first, ties
    in the given order); a one-sided transform keeps its half-spectrum dim last."""
    strides = element_strides(x._data)
    head = list(dims[:-1]) if keep_last else list(dims)
    head.sort(key=lambda d: -strides[d])
    return head + [dims[-1]] if keep_last else head


def _batch_dims(ndim: int, dims: Sequence[int]) -> list[int]:
    """The dims not transformed, in the order torch's ``std::partition`` of ``0 .. ndim - 1`` leaves them
    (libstdc++'s swaps from both ends: not stable, so ties in stride come out in this order, e.g.
    ``[2, 1]`` for a transform over dim 0 of a 3-d input)."""
    perm, first, last, transformed = list(range(ndim)), 0, ndim, set(dims)
    while True:
        while first != last and perm[first] not in transformed:
            first += 1
        if first == last:
            return perm[:first]
        last -= 1
        while first != last and perm[last] in transformed:
            last -= 1
        if first == last:
            return perm[:first]
        perm[first], perm[last] = perm[last], perm[first]
        first += 1


def _fft_strides(in_strides: Sequence[int], out_shape: Sequence[int], dims: Sequence[int]) -> list[int]:
    """The layout of torch's ``_exec_fft``: the dims not transformed outermost, in the input's order of
    strides (largest first, ties in the order :func:`_batch_dims` leaves them), then ``dims`` in the order given (the last
    innermost), dense over ``out_shape``."""
    batch = _batch_dims(len(out_shape), dims)
    batch.sort(key=lambda d: -in_strides[d])  # std::sort of <= 16 elements is an insertion sort: stable
    strides = [0] * len(out_shape)
    step = 1
    for d in reversed(batch + list(dims)):
        strides[d] = step
        step *= out_shape[d]
    return strides


def _fft_c2c(x: Tensor, dims: Sequence[int], mode: str, forward: bool, fname: str = "fft") -> Tensor:
    """``aten._fft_c2c``: the complex transform over ``dims`` (``exp(-2 pi i jk/n)`` forward, ``+`` inverse),
    scaled by ``mode``.  No dims: a copy.  Gradient (``FftC2CBackward0``): the transform of the other
    direction with the same scaling (the adjoint)."""
    dims = list(dims)
    if not dims:
        out = Tensor._wrap(preserving_layout(x._data.copy(), x._data), laid_out=True)  # torch clones
    else:
        _check_computable(x, fname)
        ordered = _sorted_by_stride(x, dims)
        numpy_fn = np.fft.fftn if forward else np.fft.ifftn
        values = numpy_fn(x._data, axes=ordered, norm=_scale(mode, forward))
        out = Tensor._wrap(lay_out(values, _fft_strides(element_strides(x._data), x.shape, ordered)), laid_out=True)
    return record_unary(out, x, "FftC2CBackward0", lambda g: _fft_c2c(g, dims, mode, not forward, fname))


def _fft_r2c(x: Tensor, dims: Sequence[int], mode: str, onesided: bool, fname: str = "rfft") -> Tensor:
    """``aten._fft_r2c``: the forward transform of a real input over ``dims``; ``onesided`` keeps bins
    ``0 .. n // 2`` of the last dim (the rest are their mirror's conjugates).  Gradient
    (``FftR2CBackward0``): the one-sided gradient zero-padded to full length, its inverse complex
    transform (same scaling), real part."""
    dims = list(dims)
    _check_computable(x, fname)
    ordered = _sorted_by_stride(x, dims, keep_last=True)
    norm = _scale(mode, True)
    values = np.fft.rfftn(x._data, axes=ordered, norm=norm)
    if not onesided:  # the other bins are the mirrors' conjugates, filled in exactly (as torch fills them)
        values = _hermitian_fill(values, ordered[-1], x.shape[ordered[-1]])
    out = Tensor._wrap(lay_out(values, _fft_strides(element_strides(x._data), values.shape, ordered)), laid_out=True)
    last, full = dims[-1], x.shape[dims[-1]]

    def vjp(g: Tensor) -> Tensor:
        from ._creation import zeros
        from ._elementwise import real
        from ._joining import narrow

        if onesided and g.shape[last] < full:  # torch: new zeros of the full length, the gradient copied in
            shape = list(g.shape)
            shape[last] = full
            padded = zeros(shape, dtype=g.dtype)
            narrow(padded, last, 0, g.shape[last]).copy_(g)
            g = padded
        return real(_fft_c2c(g, dims, mode, False, fname))

    # torch saves the input (for its length along the half-spectrum dim): an in-place write to it
    # afterwards, or a second backward, raises as for any saved tensor
    return record_unary(out, x, "FftR2CBackward0", vjp, saved=(x,))


def _hermitian_fill(half: np.ndarray, axis: int, n: int) -> np.ndarray:
    """The full spectrum of a real signal along ``axis`` from its bins ``0 .. n // 2``: bin ``k`` above
    the half is the conjugate of bin ``n - k`` (exactly, so ``fft`` of an impulse ends in ``1 - 0j``)
    -- of the transform over the other dims mirrored too, which over one dim is the identity."""
    half = np.moveaxis(half, axis, -1)
    mirrored = np.conj(half[..., 1 : n - half.shape[-1] + 1][..., ::-1])
    return np.moveaxis(np.concatenate([half, mirrored], axis=-1), -1, axis)


def _fft_c2r(x: Tensor, dims: Sequence[int], mode: str, n: int, fname: str = "irfft") -> Tensor:
    """``aten._fft_c2r``: the inverse transform of a half spectrum over ``dims``, ``n`` real outputs along
    the last one (its input holds bins ``0 .. n // 2``; the imaginary parts of bin 0 and, for even ``n``,
    bin ``n / 2`` are not read).  Over several dims torch first transforms all but the last (complex to
    complex), then the last (so a non-Hermitian input gives NumPy's ``irfftn``).  Gradient
    (``FftC2RBackward0``): the one-sided forward real transform of the gradient (same scaling), the bins
    whose mirror is outside the half spectrum doubled."""
    dims = list(dims)
    _check_computable(x, fname)
    head = _sorted_by_stride(x, dims[:-1])
    out_shape = list(x.shape)
    out_shape[dims[-1]] = n
    signal = [x.shape[d] for d in dims[:-1]] + [n]
    values = np.fft.irfftn(x._data, s=signal, axes=dims, norm=_scale(mode, False))
    strides = element_strides(x._data)
    if head:  # the complex-to-complex pass lays out an intermediate, whose strides order the batch dims
        strides = _fft_strides(strides, x.shape, head)
    out = Tensor._wrap(lay_out(values, _fft_strides(strides, out_shape, [dims[-1]])), laid_out=True)
    last = dims[-1]

    def vjp(g: Tensor) -> Tensor:
        from ._joining import narrow

        gi = _fft_r2c(g, dims, mode, True, fname)
        doubled = n - gi.shape[last]  # bins 1 .. n - (n // 2 + 1) stand for their mirrors too
        if doubled > 0:
            narrow(gi, last, 1, doubled).mul_(2)
        return gi

    return record_unary(out, x, "FftC2RBackward0", vjp)
