"""Moving a case's arguments onto a target and its results back (see ``targets`` for the sides).

Arrays from the strategies may be non-contiguous NumPy views.  Each target
gets its own copy of the array's memory block and rebuilds the same view on
it, so layouts (and therefore view semantics) match and neither side can see
the other's writes.
"""

from __future__ import annotations

import numpy as np

from .targets import Target


def convert(value, backend: Target):
    """Replace every ndarray inside ``value`` by a tensor of ``backend``, and every NumPy dtype (a
    ``dtype=`` argument) by the backend's dtype of that name."""
    if isinstance(value, np.ndarray):
        return backend.from_array(value)
    if isinstance(value, np.dtype):
        return getattr(backend.ns, value.name)
    if isinstance(value, tuple):
        return tuple(convert(v, backend) for v in value)
    if isinstance(value, list):
        return [convert(v, backend) for v in value]
    if isinstance(value, dict):
        return {k: convert(v, backend) for k, v in value.items()}
    return value


def collect_tensors(value, backend: Target) -> list:
    """Every tensor of ``backend`` inside nested tuples, lists and dicts, in order."""
    out: list = []

    def walk(v):
        if backend.is_tensor(v):
            out.append(v)
        elif isinstance(v, list | tuple):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    walk(value)
    return out


def flat_outputs(out) -> list:
    """An op's result as a list of tensors (named tuples and tuples unpacked)."""
    if isinstance(out, tuple):
        return list(out)
    return [out]


def random_like(rng: np.random.Generator, shape, dtype: np.dtype) -> np.ndarray:
    """Standard normal values of ``shape`` in ``dtype`` (complex: independent real and imaginary parts)."""
    a = rng.standard_normal(shape)
    if dtype.kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    return np.asarray(a).astype(dtype)
