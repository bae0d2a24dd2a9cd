"""torch.fft: the transforms, the sample frequencies, and the zero-frequency shifts.

The valid strategies steer to where transforms disagree quietly: odd and even signal lengths, ``n``/``s``
shorter than the input (cropped) and longer (zero-padded), ``-1`` in ``s``, a length of 1, every ``norm``
(and none), dims given in any order (the layout follows the input's strides), real, complex, integer and
bool inputs of every layout, and for the complex-to-real transforms a half spectrum that is not
Hermitian (whose DC and Nyquist imaginary parts torch ignores) and odd output lengths, which need ``n``.
Values are finite: which outputs a NaN or infinity reaches is the FFT algorithm's (see known differences).

The invalid ones reach each of torch's refusals: a length below 1 (given, or the default ``2 * (m - 1)``
of a one-bin half spectrum), a dim out of range or of a 0-d input, repeated dims, ``s`` and ``dim`` of
different lengths, ``s`` longer than the rank, a bad ``norm``, float16, a complex input to a real
transform, nothing to transform, an empty batch (torch's CPU kernel refuses it), a non-int ``n``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import arrays, dtypes, shapes
from ._case import Case
from ._coverage import record

__all__ = [
    "ONE_DIM_OPS",
    "MULTI_DIM_OPS",
    "fft_args",
    "fft_invalid",
    "fftn_args",
    "fftn_invalid",
    "fftfreq_args",
    "fftfreq_invalid",
    "fftshift_args",
    "fftshift_invalid",
]

#: the transforms along one dim, and the kind of each: complex (c2c, a real input gives the full
#: spectrum), real-to-complex or complex-to-real
ONE_DIM_OPS = {
    "fft.fft": "c2c",
    "fft.ifft": "c2c",
    "fft.rfft": "r2c",
    "fft.ihfft": "r2c",
    "fft.irfft": "c2r",
    "fft.hfft": "c2r",
}
#: the transforms over several dims, with their kind and default dims (None: all, or the last len(s))
MULTI_DIM_OPS = {
    "fft.fftn": ("c2c", None),
    "fft.ifftn": ("c2c", None),
    "fft.rfftn": ("r2c", None),
    "fft.irfftn": ("c2r", None),
    "fft.fft2": ("c2c", (-2, -1)),
    "fft.ifft2": ("c2c", (-2, -1)),
    "fft.rfft2": ("r2c", (-2, -1)),
    "fft.irfft2": ("c2r", (-2, -1)),
}
NORMS = (None, "backward", "forward", "ortho")
_REAL = ("float32", "float64")
_COMPLEX = ("complex64", "complex128")
_PROMOTED = ("int64", "int32", "uint8", "bool")


def _input_dtype(draw, kind: str, op: str) -> np.dtype:
    """Real transforms take real inputs; the others both; integers and bool now and then (promoted)."""
    names = _REAL if kind == "r2c" else _REAL + _COMPLEX
    if draw(st.integers(0, 7)) == 0:
        names = _PROMOTED
    dt = draw(dtypes(names))
    record(f"{op}: {'complex' if dt.kind == 'c' else 'real' if dt.kind == 'f' else 'integer or bool'} input")
    return dt


def _signal(draw, dt: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """Finite values of any layout (integers kept small: they become floats)."""
    return draw(arrays(dt, shape, specials=False))


def _norm(draw, op: str) -> dict:
    norm = draw(st.sampled_from(NORMS + ("omitted",)))
    record(f"{op}: norm={norm}")
    return {} if norm == "omitted" else {"norm": norm}


def _length_events(op: str, kind: str, given: int | None, size: int) -> None:
    """Which signal length the transform runs at, and how ``n`` relates to the input.

    For the complex-to-real transforms ``n`` is the output length and the input is cropped or padded
    to ``n // 2 + 1`` bins."""
    n = given if given is not None else (2 * (size - 1) if kind == "c2r" else size)
    record(f"{op}: {'odd' if n % 2 else 'even'} length")
    if n == 1:
        record(f"{op}: length 1")
    if given is not None:
        bins = n // 2 + 1 if kind == "c2r" else n
        if bins < size:
            record(f"{op}: n shorter than the input")
        elif bins > size:
            record(f"{op}: n longer than the input")
        else:
            record(f"{op}: n equal to the input's length")


@st.composite
def fft_args(draw, op: str = "fft.fft") -> Case:
    """``op(input, n=None, dim=-1, norm=None)``: a 1-3 dim input (no empty batch), a length ``n`` that
    crops, pads or matches, any dim (negative too), every ``norm``."""
    kind = ONE_DIM_OPS[op]
    dt = _input_dtype(draw, kind, op)
    shape = list(draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=6)))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    kwargs: dict = {}
    given = None
    if draw(st.booleans()):
        given = draw(st.integers(1, 9))
        kwargs["n"] = given
    elif kind == "c2r" and shape[dim] < 2:
        shape[dim] = draw(st.integers(2, 5))  # the default length 2 * (m - 1) needs two bins
    if dim != -1 or draw(st.booleans()):
        kwargs["dim"] = dim
        if dim >= 0:
            record(f"{op}: dim other than the last" if dim != len(shape) - 1 else f"{op}: dim=-1 as a positive")
    x = _signal(draw, dt, tuple(shape))
    _length_events(op, kind, given, shape[dim])
    if kind == "c2r" and dt.kind == "c":
        record(f"{op}: a half spectrum that is not Hermitian (imaginary DC)")
    return Case((x,), kwargs | _norm(draw, op))


@st.composite
def fftn_args(draw, op: str = "fft.fftn") -> Case:
    """``op(input, s=None, dim=..., norm=None)``: dims in any order (or the default, or ``()``), ``s``
    with lengths that crop, pad, match or are ``-1``, every ``norm``; 0-d inputs for the complex ones."""
    kind, default_dims = MULTI_DIM_OPS[op]
    dt = _input_dtype(draw, kind, op)
    min_dims = 2 if default_dims else (0 if kind == "c2c" else 1)
    shape = list(draw(shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=5)))
    ndim = len(shape)
    kwargs: dict = {}
    how = draw(st.sampled_from(["default", "dim", "s", "both"]))
    if how in ("dim", "both"):
        least = 0 if kind == "c2c" else 1
        dims = list(draw(st.permutations(range(ndim))))[: draw(st.integers(least, ndim))] if ndim else []
        dims = [d - ndim if draw(st.booleans()) else d for d in dims]
        kwargs["dim"] = tuple(dims)
        if not dims:
            record(f"{op}: dim=() (a copy)")
        if len(dims) > 1 and [d % ndim for d in dims] != sorted(d % ndim for d in dims):
            record(f"{op}: dims out of order")
        dims = [d % ndim for d in dims]
    elif how == "s" and ndim:
        # fft2's s must match its two default dims; fftn's alone picks the last len(s) dims
        k = 2 if default_dims else draw(st.integers(1 if kind != "c2c" else 0, ndim))
        dims = list(range(ndim - k, ndim))
    else:
        dims = [d % ndim for d in default_dims] if default_dims else list(range(ndim))
        how = "default"
    if how in ("s", "both"):
        s = [draw(st.sampled_from([-1, 1, 2, 3, 4, 5, 6, 7])) for _ in dims]
        kwargs["s"] = tuple(s)
        record(f"{op}: s given")
        if -1 in s:
            record(f"{op}: -1 in s keeps a length")
    if not dims:
        record(f"{op}: no dims to transform (a copy)")
    s = kwargs.get("s")
    last_given = bool(s) and s[-1] != -1
    if kind == "c2r" and dims and not last_given and shape[dims[-1]] < 2:
        shape[dims[-1]] = draw(st.integers(2, 4))  # the default 2 * (m - 1) needs two bins
    x = _signal(draw, dt, tuple(shape))
    for i, d in enumerate(dims):
        last = i == len(dims) - 1
        given = None if s is None or s[i] == -1 else s[i]
        _length_events(op, kind if last else "c2c", given, shape[d])
    return Case((x,), kwargs | _norm(draw, op))


def _half(x: np.ndarray) -> np.ndarray:
    """``x`` in float16, clipped to its range (the refusal is about the dtype, not the values)."""
    return np.clip(x, -60000, 60000).astype(np.float16)


def _one_dim_defects(kind: str) -> list[str]:
    defects = ["n below 1", "dim out of range", "0-d input", "bad norm", "float16", "empty batch", "n not int"]
    if kind == "r2c":
        defects.append("complex input")
    if kind == "c2r":
        defects.append("one bin")
    return defects


@st.composite
def fft_invalid(draw, op: str = "fft.fft") -> Case:
    """Each of torch's refusals of a one-dim transform (see the module docstring)."""
    kind = ONE_DIM_OPS[op]
    defect = draw(st.sampled_from(_one_dim_defects(kind)))
    record(f"{op} invalid: {defect}")
    f32 = np.dtype("float32")
    x = draw(arrays(f32, shapes(min_dims=1, max_dims=3, min_side=2, max_side=4), specials=False))
    if defect == "n below 1":
        return Case((x,), {"n": draw(st.integers(-3, 0))}, expect="Invalid number of data points")
    if defect == "dim out of range":
        d = draw(st.sampled_from([x.ndim, -x.ndim - 1]))
        return Case((x,), {"dim": d}, expect="out of range")
    if defect == "0-d input":
        return Case((np.array(1.5, dtype=np.float32),), expect="no dimensions")
    if defect == "bad norm":
        return Case((x,), {"norm": draw(st.sampled_from(["Ortho", "none", "", "backwards"]))}, expect="normalization")
    if defect == "float16":
        return Case((_half(x),), expect="Unsupported dtype")
    if defect == "complex input":
        return Case((x.astype(np.complex64),), expect="real input")
    if defect == "one bin":  # the default output length 2 * (1 - 1) = 0
        y = draw(arrays(np.dtype("complex64"), (draw(st.integers(1, 3)), 1), specials=False))
        return Case((y,), expect="Invalid number of data points")
    if defect == "n not int":
        return Case((x,), {"n": 4.0}, expect="must be int")
    shape = list(x.shape) + [draw(st.integers(2, 4))]  # an empty batch dim beside the transformed last one
    shape[draw(st.integers(0, len(shape) - 2))] = 0
    return Case((np.zeros(shape, np.float32),), expect="MKL")


@st.composite
def fftn_invalid(draw, op: str = "fft.fftn") -> Case:
    """Each of torch's refusals of a transform over several dims (see the module docstring)."""
    kind, default_dims = MULTI_DIM_OPS[op]
    defects = ["repeated dims", "s and dim lengths", "s below 1", "bad norm", "float16", "dim out of range"]
    defects += ["empty batch"]
    if default_dims is None:  # fft2's dims are always given (two by default): s must match them first
        defects.append("s longer than the rank")
    if kind == "r2c":
        defects.append("complex input")
    if kind != "c2c":
        defects.append("no dims")
    defect = draw(st.sampled_from(defects))
    record(f"{op} invalid: {defect}")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=2, max_dims=3, min_side=2, max_side=4), specials=False))
    nd = x.ndim
    if defect == "repeated dims":
        d = draw(st.integers(0, nd - 1))
        return Case((x,), {"dim": (d, d - nd)}, expect="unique")
    if defect == "s and dim lengths":
        return Case((x,), {"s": (2,), "dim": (0, 1)}, expect="same length")
    if defect == "s longer than the rank":
        return Case((x,), {"s": (2,) * (nd + 1)}, expect="only has")
    if defect == "s below 1":
        return Case((x,), {"s": (draw(st.sampled_from([0, -2])), 2)}, expect="Invalid number of data points")
    if defect == "bad norm":
        return Case((x,), {"norm": "Forward"}, expect="normalization")
    if defect == "float16":
        return Case((_half(x),), expect="Unsupported dtype")
    if defect == "dim out of range":
        return Case((x,), {"dim": (0, nd)}, expect="out of range")
    if defect == "complex input":
        return Case((x.astype(np.complex64),), expect="real-valued")
    if defect == "no dims":
        return Case((x,), {"dim": ()}, expect="at least one axis")
    shape = list(x.shape)
    shape[0] = 0
    return Case((np.zeros(shape, np.float32),), {"dim": (nd - 1,)}, expect="MKL")


@st.composite
def fftfreq_args(draw, op: str = "fft.fftfreq") -> Case:
    """``op(n, d=1.0, *, dtype=None, requires_grad=False)``: lengths 0-12 (odd and even), spacings
    positive, negative, integer, zero (infinite frequencies), each floating dtype."""
    n = draw(st.integers(0, 12))
    record(f"{op}: {'empty' if n == 0 else 'odd' if n % 2 else 'even'} n")
    kwargs: dict = {}
    if draw(st.booleans()):
        d = draw(st.sampled_from([1.0, 0.5, 0.1, 2, -0.25, 1e-3, 3.0, 0.0]))
        kwargs["d"] = d
        if d == 0:
            record(f"{op}: d=0 (infinite frequencies)")
        elif d < 0:
            record(f"{op}: negative d")
    if draw(st.booleans()):
        kwargs["dtype"] = draw(dtypes(("float32", "float64", "float16")))
        record(f"{op}: dtype={kwargs['dtype'].name}")
    if draw(st.integers(0, 3)) == 0:
        kwargs["requires_grad"] = True
        record(f"{op}: requires_grad=True")
    return Case((n,), kwargs)


@st.composite
def fftfreq_invalid(draw, op: str = "fft.fftfreq") -> Case:
    """An integer or bool dtype, a negative ``n`` (below -2 for rfftfreq, whose C integer division gives
    ``-1 // 2 + 1 = 1`` bin), a non-int ``n``."""
    defect = draw(st.sampled_from(["integer dtype", "negative n", "n not int"]))
    record(f"{op} invalid: {defect}")
    if defect == "integer dtype":
        return Case((4,), {"dtype": draw(dtypes(("int64", "int32", "bool", "uint8")))}, expect="floating point")
    if defect == "negative n":
        return Case((draw(st.integers(-9, -4)),), expect="negative dimension")
    return Case((4.0,), expect="must be int")


@st.composite
def fftshift_args(draw, op: str = "fft.fftshift") -> Case:
    """``op(input, dim=None)``: any dtype and layout, 1-4 dims (odd and even sizes), ``dim`` as None, an
    int, a tuple (negatives, repeats) ."""
    x = draw(arrays(dtypes(), shapes(min_dims=1, max_dims=4, max_side=5)))
    kwargs: dict = {}
    how = draw(st.sampled_from(["none", "int", "tuple"]))
    if how == "int":
        kwargs["dim"] = draw(st.integers(-x.ndim, x.ndim - 1))
    elif how == "tuple":
        kwargs["dim"] = tuple(draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=1, max_size=3)))
        if len({d % x.ndim for d in kwargs["dim"]}) < len(kwargs["dim"]):
            record(f"{op}: a dim named twice (rolled twice)")
    record(f"{op}: dim as {how}")
    dims = range(x.ndim) if how == "none" else [d % x.ndim for d in np.atleast_1d(kwargs["dim"])]
    sizes = [x.shape[d] for d in dims]
    if any(n % 2 for n in sizes):
        record(f"{op}: an odd length")
    if any(n and n % 2 == 0 for n in sizes):
        record(f"{op}: an even length")
    return Case((x,), kwargs)


@st.composite
def fftshift_invalid(draw, op: str = "fft.fftshift") -> Case:
    """A 0-d input (nothing to roll), ``dim=()``, a dim out of range."""
    defect = draw(st.sampled_from(["0-d input", "no dims", "dim out of range"]))
    record(f"{op} invalid: {defect}")
    if defect == "0-d input":
        return Case((np.array(2.0, dtype=np.float32),), expect="shifts")
    x = draw(arrays(np.dtype("float32"), shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
    if defect == "no dims":
        return Case((x,), {"dim": ()}, expect="shifts")
    return Case((x,), {"dim": x.ndim}, expect="out of range")
