"""dtypes, shapes and arrays (possibly non-contiguous views) as NumPy objects."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ._coverage import record

FLOAT_DTYPES = ("float16", "float32", "float64")
COMPLEX_DTYPES = ("complex64", "complex128")
INT_DTYPES = ("uint8", "int8", "int16", "int32", "int64")
ALL_DTYPES = ("bool",) + INT_DTYPES + FLOAT_DTYPES + COMPLEX_DTYPES

SPECIAL_FLOATS = (0.0, -0.0, float("nan"), float("inf"), float("-inf"), 1.0, -1.0, 0.5)


def dtypes(names=ALL_DTYPES) -> st.SearchStrategy[np.dtype]:
    """NumPy dtypes with a torch twin, drawn from ``names``."""
    return st.sampled_from([np.dtype(n) for n in names])


@st.composite
def shapes(draw, min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 4) -> tuple[int, ...]:
    """Shapes including 0-d, empty (a 0 side) and size-1 dims, kept small."""
    n = draw(st.integers(min_dims, max_dims))
    side = st.one_of(st.just(1), st.integers(min_side, max_side)) if min_side <= 1 else st.integers(min_side, max_side)
    shape = tuple(draw(side) for _ in range(n))
    if n == 0:
        record("shape: 0-d")
    if 0 in shape:
        record("shape: empty")
    if 1 in shape:
        record("shape: size-1 dim")
    return shape


def elements(dtype: np.dtype, *, specials: bool = True, small: bool = False) -> st.SearchStrategy:
    """Values of ``dtype``; floats mix in NaN, +-inf and -0.0 when ``specials``."""
    kind = dtype.kind
    if kind == "b":
        return st.booleans()
    if kind in "iu":
        info = np.iinfo(dtype)
        lo, hi = (max(info.min, -20), min(info.max, 20)) if small else (info.min, info.max)
        return st.one_of(st.integers(max(lo, -5) if lo < 0 else lo, min(hi, 5)), st.integers(lo, hi))
    if kind == "f":
        width = dtype.itemsize * 8
        bound = 100.0 if small or width == 16 else 1e6
        finite = st.floats(-bound, bound, width=width, allow_subnormal=False)
        if specials:
            return st.one_of(finite, st.sampled_from(SPECIAL_FLOATS).map(dtype.type))
        return finite
    if kind == "c":
        part = np.dtype(f"float{dtype.itemsize * 4}")
        re = elements(part, specials=specials, small=True)
        return st.builds(lambda a, b: dtype.type(complex(a, b)), re, re)
    raise ValueError(f"unsupported dtype {dtype}")


LAYOUTS = ("contiguous", "transposed", "sliced", "broadcast")


@st.composite
def arrays(
    draw,
    dtype: np.dtype | st.SearchStrategy,
    shape: tuple[int, ...] | st.SearchStrategy,
    *,
    elements_strategy: st.SearchStrategy | None = None,
    specials: bool = True,
    layouts=LAYOUTS,
) -> np.ndarray:
    """An array of ``shape`` that may be a non-contiguous view: transposed, strided-sliced or broadcast."""
    dtype = draw(dtype) if isinstance(dtype, st.SearchStrategy) else np.dtype(dtype)
    shape = draw(shape) if isinstance(shape, st.SearchStrategy) else tuple(shape)
    elems = elements_strategy if elements_strategy is not None else elements(dtype, specials=specials)
    layout = draw(st.sampled_from(layouts))
    ndim = len(shape)
    if layout == "transposed" and ndim >= 2:
        perm = draw(st.permutations(range(ndim)))
        base = draw(hnp.arrays(dtype, tuple(shape[p] for p in perm), elements=elems))
        arr = np.transpose(base, np.argsort(perm))
    elif layout == "sliced" and ndim >= 1:
        steps = [draw(st.integers(1, 2)) for _ in shape]
        offs = [draw(st.integers(0, 1)) for _ in shape]
        base_shape = tuple(o + max(s, 1) * st_ for s, st_, o in zip(shape, steps, offs, strict=True))
        base = draw(hnp.arrays(dtype, base_shape, elements=elems))
        arr = base[tuple(slice(o, o + s * st_, st_) for s, st_, o in zip(shape, steps, offs, strict=True))]
    elif layout == "broadcast" and any(s > 1 for s in shape):
        mask = [s > 1 and draw(st.booleans()) for s in shape]
        base = draw(hnp.arrays(dtype, tuple(1 if m else s for s, m in zip(shape, mask, strict=True)), elements=elems))
        arr = np.broadcast_to(base, shape)
    else:
        layout = "contiguous"
        arr = draw(hnp.arrays(dtype, shape, elements=elems))
    record(f"layout: {layout}")
    record(f"dtype: {dtype.name}")
    if arr.size > 1 and not arr.flags.c_contiguous:
        record("layout: non-contiguous")
    if dtype.kind in "fc" and arr.size:
        _record_specials(arr)
    return arr


def _record_specials(arr: np.ndarray) -> None:
    flat = arr.reshape(-1)
    if np.isnan(flat).any():
        record("value: NaN")
    if np.isinf(flat).any():
        record("value: inf")
    if flat.dtype.kind == "f" and np.any((flat == 0) & np.signbit(flat)):
        record("value: -0.0")
