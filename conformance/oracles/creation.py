"""Loop-by-loop definitions of zeros, ones, full, full_like, linspace and logspace.

A factory's definition is one value per position: the fill value converted to the result's dtype
(as NumPy's cast does: truncation, wrapping, inf beyond float16), or the point of an evenly spaced
range computed in double from torch's documented formula (halfway from each end)."""

from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = ["filled", "full", "full_like", "linspace", "logspace"]


def _each(shape, value, dtype: np.dtype) -> np.ndarray:
    out = np.empty(shape, dtype=dtype)
    with np.errstate(all="ignore"):
        for pos in itertools.product(*(range(s) for s in shape)):
            out[pos] = np.array(value).astype(dtype)
    return out


def filled(value):
    """zeros/ones: every position holds ``value``."""
    return lambda case, out_dtype: _each(tuple(case.args[0]), value, out_dtype)


def _value(v):
    return np.asarray(v).item()


def full(case, out_dtype):
    return _each(tuple(case.args[0]), _value(case.args[1]), out_dtype)


def full_like(case, out_dtype):
    return _each(case.args[0].shape, _value(case.args[1]), out_dtype)


def _ends(case, out_dtype: np.dtype) -> tuple[complex | float, complex | float]:
    """The ends converted to the result's dtype first (an integer dtype truncates them, a float one rounds)."""
    ends = [_value(v) for v in case.args[:2]]
    if out_dtype.kind in "iu":
        ends = [float(np.array(math.trunc(e.real if isinstance(e, complex) else e)).astype(out_dtype)) for e in ends]
    elif out_dtype.kind in "fc":
        with np.errstate(all="ignore"):
            ends = [np.array(e).astype(out_dtype).item() for e in ends]
    return ends[0], ends[1]


def _points(start, end, steps: int) -> list:
    """torch's documented points: the first half stepped up from ``start``, the rest down from ``end``
    (so NaN and infinite ends propagate as torch's do), in Python's double arithmetic."""
    if steps == 1:
        return [start]
    step = (end - start) / (steps - 1)
    return [start + step * i if i < steps // 2 else end - step * (steps - 1 - i) for i in range(steps)]


def _cast(values: list, dtype: np.dtype) -> np.ndarray:
    out = np.empty(len(values), dtype=dtype)
    with np.errstate(all="ignore"):
        for i, v in enumerate(values):
            if dtype.kind in "iu":
                # x86's conversion: NaN or beyond the 32-bit (int64: 64-bit) range is that range's minimum,
                # and narrower types keep its low bits
                bits = 64 if dtype.itemsize == 8 else 32
                fits = math.isfinite(v) and -(2.0 ** (bits - 1)) <= v < 2.0 ** (bits - 1)
                v = math.trunc(v) if fits else -(2 ** (bits - 1))
            out[i] = np.array(v).astype(dtype)
    return out


def _in_out_shape(case, values: np.ndarray) -> np.ndarray:
    """An out= holding exactly ``steps`` elements keeps its shape (here (1, steps)): the points in order."""
    return values.reshape(1, -1) if case.form == "out same count" else values


def linspace(case, out_dtype):
    if case.args[2] == 0:
        return _in_out_shape(case, np.empty(0, dtype=out_dtype))  # no point: the ends are never converted
    start, end = _ends(case, out_dtype)
    return _in_out_shape(case, _cast(_points(start, end, case.args[2]), out_dtype))


def logspace(case, out_dtype):
    if case.args[2] == 0:
        return _in_out_shape(case, np.empty(0, dtype=out_dtype))
    start, end = _ends(case, out_dtype)
    if case.args[2] == 1:
        start = _value(case.args[0])  # one point: base ** start, start as given (documented in the reference)
    base = case.args[3] if len(case.args) > 3 else 10.0
    if out_dtype.kind == "f":  # the kernel raises the base in the dtype's own precision (float16: float)
        base = float(np.float32(base)) if out_dtype.itemsize <= 4 else float(base)
    values = []
    for e in _points(start, end, case.args[2]):
        try:
            values.append(complex(base) ** e if out_dtype.kind == "c" else float(base) ** e)
        except (OverflowError, ZeroDivisionError):
            values.append(math.inf)
        if isinstance(values[-1], complex) and out_dtype.kind != "c":
            values[-1] = math.nan  # a negative base at a fractional exponent
    return _in_out_shape(case, _cast(values, out_dtype))
