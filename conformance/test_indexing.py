"""Python indexing compared with torch: ``x[key]`` and ``x[key] = value`` for generated keys.

Reads compare values, shape, dtype, whether the result is a view, every stride, the grad_fn and
the gradient; writes compare the written tensor, the version counter, the grad_fn and the gradients
of both the tensor and the value; both compare the error class where torch raises.  Every failure
prints a reproduction (the key's tensors are spelled as ``IndexTensor`` arrays).
"""

from __future__ import annotations

import warnings

import numpy as np
import torch
from hypothesis import given, note, settings
from hypothesis import strategies as st

import reference
import strategies as S
from strategies.indexing import materialize_key

from .targets import Target, parse_target

TORCH, REF = parse_target("torch:cpu"), parse_target("reference")
_DTYPES = ("float32", "float64", "int64", "uint8", "bool", "complex64")


def _source(data) -> np.ndarray:
    return data.draw(
        S.arrays(
            S.dtypes(_DTYPES),
            S.shapes(max_dims=3, max_side=3),
            layouts=("contiguous", "transposed", "sliced"),
            elements_strategy=None,
            specials=False,
        ),
        label="source",
    )


def _read(backend: Target, arr: np.ndarray, key, grad: bool):
    """``x[key]`` on ``backend``: (result, leaf) or the exception raised."""
    x = backend.from_array(arr)
    if grad:
        x = x.detach().requires_grad_()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # uint8 masks are deprecated (both warn)
            return x[materialize_key(key, backend.ns)], x
    except Exception as e:  # noqa: BLE001 -- compared with torch's
        return e, x


def _spell(value) -> str:
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r}, dtype=np.{value.dtype.name}).reshape({value.shape})"
    return repr(value)


def _reproduction(arr, key, value=None) -> str:
    write = (
        f"value = {_spell(value)}\n"
        "    x[materialize_key(key, ns)] = ns.from_numpy(value) if isinstance(value, np.ndarray) else value\n"
        "    print(x)\n"
    )
    return (
        "# reproduction\nimport numpy as np, torch\nimport reference\n"
        "from strategies.indexing import IndexTensor, materialize_key\n"
        f"arr = {_spell(arr)}\n"
        f"key = {key!r}\n"
        "for ns in (torch, reference):\n"
        "    x = ns.from_numpy(arr.copy())\n"
        + ("    print(x[materialize_key(key, ns)])\n" if value is None else "    " + write)
    )


def _raised(t, r, event: str) -> bool:
    """Whether either side raised; then both must have, with the same exception class."""
    if not (isinstance(t, BaseException) or isinstance(r, BaseException)):
        return False
    assert isinstance(t, BaseException), f"the reference raised {type(r).__name__}: {r}; torch gave {t!r}"
    assert isinstance(r, BaseException), f"torch raised {type(t).__name__}: {t}; the reference gave {r!r}"
    assert type(r) is type(t), f"torch raised {type(t).__name__}: {t}; reference {type(r).__name__}: {r}"
    S.record(event)
    return True


def _check_read(to, ro, tx, rx) -> None:
    assert tuple(ro.shape) == tuple(to.shape), (tuple(to.shape), tuple(ro.shape))
    assert str(ro.dtype) == str(to.dtype)
    assert np.array_equal(REF.to_numpy(ro), TORCH.to_numpy(to), equal_nan=True)
    t_view, r_view = to._base is not None, ro._base is not None
    assert r_view == t_view, f"torch gives {'a view' if t_view else 'a copy'}, the reference does not"
    assert ro.stride() == to.stride(), f"strides torch {to.stride()} != reference {ro.stride()}"
    if to.grad_fn is not None or ro.grad_fn is not None:
        assert type(ro.grad_fn).__name__ == type(to.grad_fn).__name__, (to.grad_fn, ro.grad_fn)


# cheap cases, and each kind of index is one draw among many: at least 300 per run, whatever the profile
@settings(max_examples=max(settings.default.max_examples, 300))
@given(st.data())
def test_index_read_matches_torch(data):
    """``x[key]`` for generated keys (valid and invalid) on generated layouts and dtypes."""
    arr = _source(data)
    key = data.draw(S.index_keys(arr.shape, valid=data.draw(st.booleans(), label="valid")), label="key")
    note(_reproduction(arr, key))
    grad = arr.dtype.kind in "fc"
    to, tx = _read(TORCH, arr, key, grad)
    ro, rx = _read(REF, arr, key, grad)
    if _raised(to, ro, "index: error"):
        return
    _check_read(to, ro, tx, rx)
    if not grad or to.numel() == 0:
        return
    cot = data.draw(S.arrays(arr.dtype, tuple(to.shape), specials=False, layouts=("contiguous",)), label="cotangent")
    to.backward(TORCH.from_array(cot))
    ro.backward(REF.from_array(cot))
    np.testing.assert_allclose(REF.to_numpy(rx.grad), TORCH.to_numpy(tx.grad), rtol=1e-6, atol=1e-6)


def _write(backend: Target, arr: np.ndarray, key, value, grad: bool):
    """``y[key] = value`` where ``y`` is a non-leaf copy of ``arr`` (so autograd records the write):
    (y, leaf, value tensor or number, version before) or the exception raised."""
    leaf = backend.from_array(arr)
    if grad:
        leaf = leaf.detach().requires_grad_()
    y = leaf * 1 if grad else leaf.clone()
    v = value
    if isinstance(value, np.ndarray):
        v = backend.from_array(value)
        if grad and value.dtype.kind in "fc":
            v = v.detach().requires_grad_()
    before = y._version
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y[materialize_key(key, backend.ns)] = v
    except Exception as e:  # noqa: BLE001 -- compared with torch's
        return e
    return y, leaf, v, before


@settings(max_examples=max(settings.default.max_examples, 300))
@given(st.data())
def test_index_write_matches_torch(data):
    """``x[key] = value``: broadcast values, leading size-1 dims, other dtypes, duplicate positions,
    Python numbers (overflowing ones too); then the gradients of the tensor and of the value."""
    arr = _source(data)
    key = data.draw(S.index_keys(arr.shape, valid=data.draw(st.integers(0, 4), label="valid") > 0), label="key")
    read, _ = _read(TORCH, arr, key, False)
    target = tuple(read.shape) if not isinstance(read, BaseException) else arr.shape
    value = data.draw(S.index_values(target, arr.dtype), label="value")
    note(_reproduction(arr, key, value))
    grad = arr.dtype.kind in "fc"
    t = _write(TORCH, arr, key, value, grad)
    r = _write(REF, arr, key, value, grad)
    if _raised(t, r, "index write: error"):
        return
    (ty, tleaf, tv, tbefore), (ry, rleaf, rv, rbefore) = t, r
    if (
        not isinstance(read, BaseException)
        and read.numel()
        and len(np.unique(_positions(arr.shape, key))) < read.numel()
    ):
        S.record("index write: duplicate positions (the last write wins)")
    assert np.array_equal(REF.to_numpy(ry), TORCH.to_numpy(ty), equal_nan=True)
    assert ry._version - rbefore == ty._version - tbefore
    assert (ry.grad_fn is None) == (ty.grad_fn is None)
    if ty.grad_fn is None:
        return
    assert type(ry.grad_fn).__name__ == type(ty.grad_fn).__name__, (ty.grad_fn, ry.grad_fn)
    cot = data.draw(S.arrays(arr.dtype, arr.shape, specials=False, layouts=("contiguous",)), label="cotangent")
    t_err = r_err = None
    try:
        ty.backward(TORCH.from_array(cot))
    except RuntimeError as e:
        t_err = e
    try:
        ry.backward(REF.from_array(cot))
    except RuntimeError as e:
        r_err = e
    assert (t_err is None) == (r_err is None), f"backward: torch {t_err!r}, reference {r_err!r}"
    if t_err is not None:
        S.record("index write: backward raises")
        return
    np.testing.assert_allclose(REF.to_numpy(rleaf.grad), TORCH.to_numpy(tleaf.grad), rtol=1e-6, atol=1e-6)
    if isinstance(tv, torch.Tensor) and tv.requires_grad:
        assert (rv.grad is None) == (tv.grad is None), (tv.grad, rv.grad)
        if tv.grad is not None:
            np.testing.assert_allclose(REF.to_numpy(rv.grad), TORCH.to_numpy(tv.grad), rtol=1e-5, atol=1e-5)


def _positions(shape, key) -> np.ndarray:
    """The flat positions ``x[key]`` reads (torch as the oracle: only used to label a coverage event)."""
    flat = torch.arange(int(np.prod(shape))).reshape(shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return flat[materialize_key(key, torch)].numpy().reshape(-1)


def test_reference_namespace_materializes_keys():
    """The key builder makes tensors of the namespace asked for (a self-check of the test's helper)."""
    key = (0, S.IndexTensor(np.array([1, 0])), slice(None))
    assert isinstance(materialize_key(key, reference)[1], reference.Tensor)
    assert isinstance(materialize_key(key, torch)[1], torch.Tensor)
