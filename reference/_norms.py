"""Norms and distances: ``linalg.vector_norm``, ``linalg.matrix_norm``, ``linalg.norm``, the legacy
``torch.norm`` / ``Tensor.norm``, and ``torch.dist``.

torch's rules, shared by all of them:

- a vector ``ord``-norm over ``dim`` is ``sum(|x| ** ord) ** (1 / ord)``; ``ord=inf`` is ``max |x|``,
  ``-inf`` is ``min |x|`` and ``0`` counts the non-zero elements (as a float).  A negative ``ord``
  is allowed (a harmonic-like mean, 0 when any element is 0).
- the input must be floating or complex (integers are refused, not promoted); the result is real
  (``float32`` for ``complex64``).  ``dtype=`` casts the input first and must not narrow it, nor
  change it from real to complex or back.
- reductions without an identity (``inf``, ``-inf`` and negative orders) refuse an empty reduced
  dim, naming it as given.
- at a point where the norm is not differentiable torch picks a subgradient: 0 where the norm is 0
  (``ord >= 1``), 0 at zero elements for ``ord < 1``, and for ``inf``/``-inf`` the gradient split
  evenly between the tied largest (smallest) elements.  ``ord=0`` has no gradient at all (None).
"""

from __future__ import annotations

import builtins
import math
import numbers

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record, record_unary
from ._dims import wrap_dim, wrap_dims
from ._out import with_out
from ._reduction import _contiguous
from ._tensor import Tensor, tensor_method

__all__ = ["norm", "dist"]


def _ord_text(ord) -> str:
    """A Scalar as torch's messages print it (C++ stream formatting: ``2``, ``-0.5``, ``inf``)."""
    if isinstance(ord, bool | np.bool_):
        return str(builtins.int(ord))
    if isinstance(ord, numbers.Integral):
        return str(builtins.int(ord))
    return f"{builtins.float(ord):g}"


def _check_ord_number(fname: str, ord, name: str = "ord") -> builtins.float:
    """``ord`` as torch's Scalar: a real number (a 0-d tensor is read as its value); a complex one is
    refused by the norm itself (RuntimeError), anything else by the argument parser (TypeError)."""
    if isinstance(ord, Tensor) and ord.ndim == 0 and not ord.requires_grad:  # torch reads it as a Scalar
        ord = ord.item()
    if isinstance(ord, Tensor) or not isinstance(ord, numbers.Number):
        raise TypeError(f"{fname}(): argument '{name}' must be Number, not {type(ord).__name__}")
    if not isinstance(ord, numbers.Real):
        raise RuntimeError("linalg.vector_norm: Expected a non-complex scalar as the order of norm.")
    return builtins.float(ord)


def _check_floating(x: Tensor, fname: str, low_precision: bool = True) -> None:
    """torch's ``checkFloatingOrComplex``: integers and bool are refused; ``low_precision=False`` also
    refuses half (the SVD-based norms have no half kernel)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument 'input' must be Tensor, not {type(x).__name__}")
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(f"{fname}: Expected a floating point or complex tensor as input. Got {x.dtype._torch_name}")
    if not low_precision and x.dtype is D.float16:
        raise RuntimeError(f"{fname}: Low precision dtypes not supported. Got {x.dtype._torch_name}")


def _check_norm_dtype(dtype, self_dtype: D.dtype, fname: str) -> None:
    """torch's ``check_linalg_norm_dtype``: ``dtype=`` must be floating or complex, complex exactly for
    complex inputs, and a widening (or the same) type."""
    if dtype is None:
        return
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"{fname}(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(f"{fname}: dtype should be floating point or complex, but got {dtype._torch_name}")
    if self_dtype.is_complex != dtype.is_complex:
        kind = "complex" if self_dtype.is_complex else "real"
        raise RuntimeError(f"{fname}: dtype should be {kind} for {kind} inputs, but got {dtype._torch_name}")
    if D.promote_types(self_dtype, dtype) is not dtype:
        raise RuntimeError(
            f"{fname}: the dtype of the input ({self_dtype._torch_name}) should be convertible without narrowing "
            f"to the specified dtype ({dtype._torch_name})"
        )


def _dim_list(dim, fname: str) -> tuple | None:
    """``dim`` as torch's ``OptionalIntArrayRef``: None, or a tuple of ints (an int is a 1-tuple)."""
    if dim is None:
        return None
    if isinstance(dim, bool | np.bool_) or isinstance(dim, builtins.float | str):
        raise TypeError(f"{fname}(): argument 'dim' must be tuple of ints, not {type(dim).__name__}")
    if isinstance(dim, numbers.Integral):
        return (builtins.int(dim),)
    dims = tuple(dim)
    for d in dims:
        if isinstance(d, bool | np.bool_) or not isinstance(d, numbers.Integral):
            raise TypeError(
                f"{fname}(): argument 'dim' must be tuple of ints, but found element of type "
                f"{type(d).__name__} at pos 0"
            )
    return tuple(builtins.int(d) for d in dims)


def _real_abs(a: np.ndarray) -> np.ndarray:
    return np.abs(a)


def _vector_norm_array(
    a: np.ndarray, p: builtins.float, axes: tuple[int, ...], keepdim: bool, acc, single_is_abs: bool = True
) -> np.ndarray:
    """The norm of ``a`` over ``axes``, accumulated in ``acc`` (float32 for half, as torch's opmath).

    With one element per result torch returns ``|x|`` itself (no ``x ** p`` to underflow or overflow),
    except for a 0-d input given an explicit dim (``single_is_abs=False``), which goes through the
    general kernel: ``vector_norm(tensor(1e-200, dtype=float64), 2, 0)`` is 0."""
    mag = np.abs(a).astype(acc, copy=False)
    if single_is_abs and p != 0 and math.prod(a.shape[i] for i in axes) == 1:
        return mag.reshape(_kept(mag, axes, keepdim))
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if p == math.inf:
            return np.max(mag, axis=axes, keepdims=keepdim) if mag.size else np.zeros(_kept(mag, axes, keepdim), acc)
        if p == -math.inf:
            return np.min(mag, axis=axes, keepdims=keepdim) if mag.size else np.zeros(_kept(mag, axes, keepdim), acc)
        if p == 0:
            return np.sum((mag != 0).astype(acc), axis=axes, keepdims=keepdim, dtype=acc)
        if p == 1:
            return np.sum(mag, axis=axes, keepdims=keepdim, dtype=acc)
        if p == 2:
            return np.sqrt(np.sum(mag * mag, axis=axes, keepdims=keepdim, dtype=acc))
        total = np.sum(np.power(mag, acc(p)), axis=axes, keepdims=keepdim, dtype=acc)
        return np.power(total, acc(1.0 / p))


def _kept(a: np.ndarray, axes: tuple[int, ...], keepdim: bool) -> tuple[int, ...]:
    return tuple(1 if i in axes else n for i, n in enumerate(a.shape) if keepdim or i not in axes)


def _unsqueeze_reduced(t: Tensor, dims: tuple[int, ...], ndim: int, keepdim: bool) -> Tensor:
    """A reduced tensor with its reduced dims put back as size 1 (torch's ``unsqueeze_multiple``)."""
    from ._shape import reshape

    if keepdim or ndim == 0:
        return t
    full = list(t.shape)
    for d in sorted(dims):
        full.insert(d, 1)
    return reshape(t, full)


def _sgn(x: Tensor) -> Tensor:
    """``x.sgn()``: for reals ``(x > 0) - (x < 0)`` (so 0 at NaN), with a zero derivative (SgnBackward0);
    for complex ``x / |x|``, 0 at 0 (written so that its derivative at 0 is 0, as torch's, not NaN)."""
    from ._elementwise import abs, div
    from ._selecting import masked_fill

    if not x.dtype.is_complex:
        sign = (x._data > 0).astype(x._data.dtype) - (x._data < 0).astype(x._data.dtype)
        zeros = np.zeros(x._data.shape, x._data.dtype)
        return record_unary(Tensor._wrap(sign), x, "SgnBackward0", lambda g: Tensor._wrap(zeros))
    zero = Tensor._wrap(x._data == 0)
    return masked_fill(div(x, masked_fill(abs(x), zero, 1)), zero, 0)


def _vector_norm_vjp(x: Tensor, result: Tensor, p: builtins.float, dims: tuple[int, ...], keepdim: bool):
    """torch's ``norm_backward``, written with reference ops so it differentiates again."""
    from ._elementwise import abs, div, eq, isnan, mul, pow
    from ._reduction import sum as tsum
    from ._selecting import masked_fill

    def vjp(g: Tensor):
        if p == 0:
            return None  # the count of non-zeros has no gradient (torch returns an undefined tensor)
        grad = _unsqueeze_reduced(g, dims, x.ndim, keepdim)
        norm = _unsqueeze_reduced(result, dims, x.ndim, keepdim)
        norm_is_zero = Tensor._wrap(norm._data == 0)
        if p == 1:
            return mul(_sgn(x), grad)
        if p == 2:
            return mul(grad, masked_fill(div(x, norm), norm_is_zero, 0))
        if math.isinf(p):
            mag = abs(x)
            mask = Tensor._wrap(eq(mag, norm)._data | isnan(mag)._data)
            count = tsum(mask, tuple(dims) if x.ndim else (), keepdim=True)
            return mul(_sgn(x), mul(div(grad, count), mask))
        if p < 1:
            scaled = mul(_sgn(x), masked_fill(pow(abs(x), p - 1), Tensor._wrap(x._data == 0), 0))
            return mul(mul(scaled, grad), pow(norm, 1 - p))
        scale = masked_fill(div(grad, pow(norm, p - 1)), norm_is_zero, 0)
        if p < 2:
            return mul(mul(_sgn(x), pow(abs(x), p - 1)), scale)
        return mul(mul(x, pow(abs(x), p - 2)), scale)

    return vjp


def _empty_reduction_check(x: Tensor, p: builtins.float, ord, dims: tuple | None) -> None:
    """``inf`` and negative orders have no identity: torch refuses an empty reduction (naming the dim
    as given, with torch's missing space before "because")."""
    if x.numel() == 0 and (p < 0 or p == math.inf):
        if not dims:
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {_ord_text(ord)} norm on an empty tensor because the "
                "operation does not have an identity"
            )
        for d in dims:
            if x.shape[wrap_dim(d, x.ndim)] == 0:
                raise RuntimeError(
                    f"linalg.vector_norm cannot compute the {_ord_text(ord)} norm on the dimension {d}because this "
                    "dimension is empty and the operation does not have an identity"
                )


@with_out("linalg.vector_norm", exact_dtype=True)
def vector_norm(x: Tensor, ord=2, dim=None, keepdim: bool = False, *, dtype: D.dtype | None = None) -> Tensor:
    """``torch.linalg.vector_norm``: the ``ord``-norm of ``x`` over ``dim`` (every dim for None or ``()``).

    ``ord`` is any real number or ``inf``/``-inf`` (see the module docstring for its meaning and for
    the subgradients torch uses).  The input is first cast to ``dtype`` when given.  The result is a
    new contiguous real tensor (``keepdim`` keeps the reduced dims with size 1)."""
    p = _check_ord_number("linalg_vector_norm", ord)
    _check_floating(x, "linalg.vector_norm")
    dims = _dim_list(dim, "linalg_vector_norm")
    _empty_reduction_check(x, p, ord, dims)
    _check_norm_dtype(dtype, x.dtype, "linalg.vector_norm")
    if not isinstance(keepdim, bool | np.bool_):
        raise TypeError(f"linalg_vector_norm(): argument 'keepdim' must be bool, not {type(keepdim).__name__}")
    keepdim = builtins.bool(keepdim)
    axes = wrap_dims(dims, x.ndim) if dims else tuple(range(x.ndim))
    # dtype= casts the values the kernel reads, not the graph: torch's backward works on the original
    # input and the (wider) result, so a half or complex64 input meets its norm in the wider dtype there
    computed = dtype or x.dtype
    data = x._data if computed is x.dtype else x._data.astype(computed.np)
    out_dtype = computed.to_real()
    acc = np.float32 if out_dtype is D.float16 else out_dtype.np.type
    res = _vector_norm_array(data, p, axes if x.ndim else (), keepdim, acc, single_is_abs=x.ndim > 0 or not dims)
    out = Tensor._wrap(_contiguous(res, out_dtype.np))
    vjp = _vector_norm_vjp(x, out, p, axes, keepdim)
    return record_unary(out, x, "LinalgVectorNormBackward0", vjp, saved=(x, out))


# -- matrix norms -----------------------------------------------------------------------------------


def _extreme(x: Tensor, dim: int, keepdim: bool, largest: bool) -> Tensor:
    """``amax``/``amin`` over one dim (NaN propagates); the gradient is split evenly between ties.

    Over an empty dim, matrix_norm's largest is 0 (norms are non-negative) and its smallest raises
    amin's IndexError, naming the dim as it was passed."""
    from ._elementwise import div, eq, mul
    from ._reduction import sum as tsum

    given, dim = dim, wrap_dim(dim, x.ndim)
    fn = np.max if largest else np.min
    if x.shape[dim] == 0:
        if largest:  # a norm is >= 0: matrix_norm takes 0 for the largest of nothing (no graph)
            shape = tuple(1 if i == dim else n for i, n in enumerate(x.shape) if keepdim or i != dim)
            return Tensor._wrap(np.zeros(shape, dtype=x._data.dtype))
        raise IndexError(f"amin(): Expected reduction dim {given} to have non-zero size.")
    out = Tensor._wrap(_contiguous(fn(x._data, axis=dim, keepdims=keepdim), x._data.dtype))

    def vjp(g: Tensor):
        grad = _unsqueeze_reduced(g, (dim,), x.ndim, keepdim)
        res = _unsqueeze_reduced(out, (dim,), x.ndim, keepdim)
        mask = eq(res, x)
        return mul(div(grad, tsum(mask, dim, keepdim=True)), mask)

    return record_unary(out, x, "AmaxBackward0" if largest else "AminBackward0", vjp, saved=(x, out))


def _backshift(d0: int, d1: int, ndim: int) -> list[int]:
    """The permutation moving dims ``d0`` and ``d1`` to the end, in that order (torch's
    ``create_dim_backshift_permutation``)."""
    return [d for d in range(ndim) if d not in (d0, d1)] + [d0, d1]


def _matrix_norm_checks(A: Tensor, dim, dtype, low_precision: bool) -> list[int]:
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_matrix_norm(): argument 'input' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    _check_floating(A, "linalg.matrix_norm", low_precision)
    dims = list(_dim_list(dim, "linalg_matrix_norm") or ())
    if len(dims) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}")
    dims = [wrap_dim(d, A.ndim) for d in dims]
    if dims[0] == dims[1]:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dims[0]}, {dims[1]})")
    _check_norm_dtype(dtype, A.dtype, "linalg.matrix_norm")
    return dims


def _svdvals_along(A: Tensor, dims: list[int], dtype) -> tuple[Tensor, list[int]]:
    """The singular values of the matrices spanned by ``dims`` (moved last), as torch computes them."""
    from ._casting import cast
    from ._shape import permute
    from .linalg import svdvals

    if dtype is not None and dtype is not A.dtype:
        A = cast(A, dtype)
    perm = _backshift(dims[0], dims[1], A.ndim)
    return svdvals(permute(A, perm)), perm


def _restore(result: Tensor, perm: list[int]) -> Tensor:
    """keepdim for the SVD-based norms: the reduced pair put back where it was (unsqueeze, permute)."""
    from ._shape import permute, unsqueeze

    inverse = [perm.index(i) for i in range(len(perm))]
    return permute(unsqueeze(result, -1), inverse)


@with_out("linalg.matrix_norm", exact_dtype=True)
def matrix_norm(
    input: Tensor, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype: D.dtype | None = None
) -> Tensor:
    """``torch.linalg.matrix_norm``: a norm of each matrix spanned by the two ``dim``.

    - ``'fro'``: the square root of the sum of squares (``vector_norm(A, 2, dim)``);
    - ``'nuc'``: the sum of the singular values;
    - ``2`` / ``-2``: the largest / smallest singular value;
    - ``1`` / ``-1``: the largest / smallest column sum of ``|A|``;
    - ``inf`` / ``-inf``: the largest / smallest row sum of ``|A|``.

    Any other ``ord`` is refused.  The SVD-based ones (``'nuc'``, ``+-2``) refuse half.  An empty
    matrix has Frobenius norm 0; the max/min-based ones raise on an empty reduced dim (amax/amin has
    no identity).  Gradients are torch's: the SVD's for ``'nuc'``/``+-2``, the max's (ties split
    evenly) for the others."""
    A = input  # torch's documentation calls it A; its binding's keyword is input
    from ._reduction import sum as tsum

    if dim is None or isinstance(dim, numbers.Integral):
        raise TypeError(
            f"linalg_matrix_norm() received an invalid combination of arguments - got dim={type(dim).__name__}: "
            "dim must be a tuple of two ints"
        )
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
        dims = _matrix_norm_checks(A, dim, dtype, low_precision=ord != "nuc")
        if ord == "fro":
            return vector_norm(A, 2, dims, keepdim, dtype=dtype)
        s, perm = _svdvals_along(A, dims, dtype)
        result = tsum(s, -1, keepdim=keepdim)
        return _restore(result, perm) if keepdim else result
    p = _check_ord_number("linalg_matrix_norm", ord)
    if abs(p) not in (1.0, 2.0, math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {_ord_text(ord)} not supported.")
    dims = _matrix_norm_checks(A, dim, dtype, low_precision=abs(p) != 2)
    if abs(p) == 2:
        s, perm = _svdvals_along(A, dims, dtype)
        result = _extreme(s, -1, keepdim, largest=p > 0)
        return _restore(result, perm) if keepdim else result
    d0, d1 = dims
    if math.isinf(p):  # the inf norm is the 1 norm of the transpose
        d0, d1 = d1, d0
    if not keepdim and d0 < d1:  # the first reduction removes d0, shifting d1
        d1 -= 1
    return _extreme(vector_norm(A, 1.0, (d0,), keepdim, dtype=dtype), d1, keepdim, largest=p > 0)


@with_out("linalg.norm", exact_dtype=True)
def linalg_norm(input: Tensor, ord=None, dim=None, keepdim: bool = False, *, dtype: D.dtype | None = None) -> Tensor:
    """``torch.linalg.norm``: a vector or a matrix norm, picked by ``dim`` and ``ord``.

    - ``dim`` of length 2, or no ``dim`` with a 2-d input and an ``ord`` given: :func:`matrix_norm`;
    - otherwise :func:`vector_norm` with ``ord`` (default 2) over ``dim`` (every dim for None).
    A string ``ord`` is always a matrix norm.  Without ``dim``, an ``ord`` needs a 1-d or 2-d input;
    a ``dim`` must have 1 or 2 entries."""
    A = input  # torch's documentation calls it A; its binding's keyword is input
    dims = _dim_list(dim, "linalg_norm")
    if isinstance(ord, str):
        if dims is not None and len(dims) not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got [{', '.join(map(str, dims))}]"
            )
        if dims is None and isinstance(A, Tensor) and A.ndim not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.ndim}D."
            )
        return matrix_norm(A, ord, dims if dims is not None else (0, 1), keepdim, dtype=dtype)
    if dims is not None:
        if len(dims) not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got [{', '.join(map(str, dims))}]"
            )
    elif ord is not None and isinstance(A, Tensor) and A.ndim not in (1, 2):
        raise RuntimeError(
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.ndim}D."
        )
    if ord is not None and ((dims is not None and len(dims) == 2) or (dims is None and A.ndim == 2)):
        return matrix_norm(A, ord, dims if dims is not None else (0, 1), keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)


# -- torch.norm and torch.dist ----------------------------------------------------------------------


def norm(input: Tensor, p="fro", dim=None, keepdim: bool = False, out=None, dtype: D.dtype | None = None) -> Tensor:
    """The legacy ``torch.norm`` (and ``Tensor.norm``), which torch now forwards to ``torch.linalg``:

    - a number ``p`` (None means 2): ``vector_norm(input, p, dim)`` over ``dim`` (an int or a list;
      every dim for None or ``[]``);
    - ``'fro'`` with no dim, an int or at most two dims: ``vector_norm(input, 2, dim)`` (so any
      number of dims, not only matrices);
    - ``'nuc'``, or ``'fro'`` over more than two dims: ``matrix_norm(input, p, dim)``, with every dim
      when none is given (so a 2-d input for ``'nuc'``; more dims are matrix_norm's errors).
    ``dtype`` casts the input first, as in :func:`vector_norm`.
    """
    dims = None if dim is None else ([dim] if isinstance(dim, numbers.Integral) else dim)
    kw = {} if out is None else {"out": out}
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, numbers.Integral) or len(dim) <= 2):
            return vector_norm(input, 2, dims, keepdim, dtype=dtype, **kw)
        if dims is None:
            dims = list(range(input.ndim))
        return matrix_norm(input, p, dims, keepdim, dtype=dtype, **kw)
    return vector_norm(input, 2.0 if p is None else p, dims, keepdim, dtype=dtype, **kw)


@tensor_method(name="norm")
def _tensor_norm(self: Tensor, p="fro", dim=None, keepdim: bool = False, dtype: D.dtype | None = None) -> Tensor:
    """``Tensor.norm(p, dim, keepdim, dtype)``: :func:`norm` on ``self`` (the method has no ``out``, so its
    fourth positional argument is ``dtype``)."""
    return norm(self, p, dim, keepdim, dtype=dtype)


@tensor_method
def dist(input: Tensor, other: Tensor, p=2) -> Tensor:
    """``torch.dist``: the ``p``-norm of ``input - other`` over every element (the two broadcast).

    ``p`` as in :func:`vector_norm` (``0`` counts the differing elements, ``inf`` is the largest
    difference).  Both must be floating or complex tensors of one dtype family; the result is a 0-d
    real tensor whose gradient reaches both (``DistBackward0``: ``+g`` for input, ``-g`` for other,
    each summed back to its own shape)."""
    from ._elementwise import neg, sub, sum_to

    for name, t in (("input", input), ("other", other)):
        if not isinstance(t, Tensor):
            raise TypeError(f"dist(): argument '{name}' must be Tensor, not {type(t).__name__}")
    pv = _check_ord_number("dist", p, "p")
    diff = sub(input, other)
    if not (diff.dtype.is_floating_point or diff.dtype.is_complex):
        raise RuntimeError(
            f"norm(): input dtype should be either floating point or complex. Got {diff.dtype._torch_name} instead."
        )
    from .autograd.grad_mode import no_grad

    with no_grad():
        result = vector_norm(diff, p)
    vjp = _vector_norm_vjp(diff, result, pv, tuple(range(diff.ndim)), False)

    def dist_vjp(g: Tensor):
        gd = vjp(g)
        if gd is None:  # p=0: no gradient; torch's DistBackward0 negates it for other, which a kernel refuses
            if other.requires_grad:
                raise RuntimeError(
                    "Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #0 'self'"
                )
            return None, None
        for t in (input, other):
            if t.requires_grad and gd.dtype.is_complex and not t.dtype.is_complex:
                # DistBackward0 hands a real operand the complex gradient, and torch's engine refuses it
                raise RuntimeError(
                    "Expected isFloatingType(grad.scalar_type()) || (input_is_complex == grad_is_complex) to be "
                    "true, but got false.  (Could this error message be improved?  If so, please report an "
                    "enhancement request to PyTorch.)"
                )
        return sum_to(gd, input.shape), sum_to(neg(gd), other.shape)

    return record(result, (input, other), "DistBackward0", dist_vjp, saved=(input, other, result))
