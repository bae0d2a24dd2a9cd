"""The reference verified *without torch*: loop-by-loop definitions and algebraic identities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, note, reject
from hypothesis import strategies as st

import reference
import strategies as S
from strategies import example_run

from . import oracles, tolerances
from .harness import run, tolerance_for
from .registry import REGISTRY
from .svd_check import factor_problems
from .targets import parse_target

LOOP_DEFINED = [name for name, op in REGISTRY.items() if op.oracle is not None]


def _check_against_oracle(name: str, case) -> None:
    op = REGISTRY[name]
    r = run(op, case, parse_target("reference"))
    if r.error is not None and op.refusal_conforms(case):
        reject()  # a case torch refuses by design has no values to define
    assert r.error is None, f"reference raised {r.error!r}"
    outs = [o._data for o in r.outputs]
    expected = op.oracle(case, outs[0].dtype if outs else None)
    # an op with several outputs (split, unbind...) has an oracle that returns them all, in order
    expected = list(expected) if isinstance(expected, tuple | list) else [expected]
    assert len(expected) == len(outs), f"{len(outs)} outputs != loop definition's {len(expected)}"
    family = op.family_for(case)
    scale = op.scale(case) if op.scale else None
    for i, (out, want) in enumerate(zip(outs, expected, strict=True)):
        want = np.asarray(want)
        assert want.shape == out.shape, f"output {i}: shape {out.shape} != loop definition's {want.shape}"
        tol = tolerance_for(op, case, out.dtype.name)
        own = scale[i] if isinstance(scale, tuple) else scale
        bad = tolerances.mismatches(out, want.astype(out.dtype) if family == "exact" else want, tol, own)
        assert not bad.any(), f"output {i}: reference {out[bad]} != loop definition {want[bad]}"


def _loop_test(name):
    @given(case=REGISTRY[name].args)
    def test(case):
        example_run()
        note(repr(case))
        _check_against_oracle(name, case)

    test.__name__ = f"test_{name.replace('.', '_')}_matches_loop_definition"
    test.registry_op = name  # the report files the test under the op itself ("Tensor.repeat", "nn.Flatten")
    test.__doc__ = f"reference.{name} equals its loop-by-loop definition on generated small inputs."
    return test


for _name in LOOP_DEFINED:
    globals()[f"test_{_name.replace('.', '_')}_matches_loop_definition"] = _loop_test(_name)


@given(S.matrices(), st.booleans())
def test_svd_identities(mk, full):
    """U, V orthonormal; U diag(S) Vh == A; S descending and equal to sqrt(eig(A^H A))."""
    a, kind = mk
    A = reference.from_numpy(a)
    U, Sv, Vh = reference.linalg.svd(A, full_matrices=full)
    u, s, vh = U.numpy(), Sv.numpy(), Vh.numpy()
    tol = tolerances.lookup("svd", a.dtype.name).atol
    a64 = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    assert not factor_problems("reference", a64, u, s, vh, tol)
    m, n = a.shape[-2:]
    k = min(m, n)
    assert u.shape == a.shape[:-2] + ((m, m) if full else (m, k))
    assert vh.shape == a.shape[:-2] + ((n, n) if full else (k, n))
    if k and a.size:
        gram = np.conj(np.swapaxes(a64, -1, -2)) @ a64 if n <= m else a64 @ np.conj(np.swapaxes(a64, -1, -2))
        ev = np.sqrt(np.clip(np.sort(np.linalg.eigvalsh(gram), axis=-1)[..., ::-1][..., :k], 0, None))
        smax = max(float(np.max(np.abs(a64))), 1.0) * max(m, n)
        # sqrt of eigenvalues loses half the digits for tiny values: compare on the squared scale
        assert np.allclose(s.astype(np.float64) ** 2, ev**2, atol=tol * 10 * smax**2, rtol=0)


@given(S.matrices(dtype_names=("float64",)))
def test_svd_legacy_is_linalg_svd(mk):
    """torch.svd(A) == (U, S, Vh^H) of linalg.svd(A, full_matrices=False); compute_uv=False zero-fills."""
    a, _ = mk
    A = reference.from_numpy(a)
    U, Sv, V = reference.svd(A)
    U2, S2, Vh2 = reference.linalg.svd(A, full_matrices=False)
    assert np.array_equal(U.numpy(), U2.numpy()) and np.array_equal(Sv.numpy(), S2.numpy())
    assert np.array_equal(V.numpy(), np.swapaxes(Vh2.numpy(), -1, -2))
    Z = reference.svd(A, compute_uv=False)
    m, n = a.shape[-2:]
    assert Z.U.shape == a.shape[:-2] + (m, m) and not Z.U.numpy().any()
    assert Z.V.shape == a.shape[:-2] + (n, n) and not Z.V.numpy().any()


@given(S.eigh_args("linalg.eigh"))
def test_eigh_identities(case):
    """eigh without torch: real ascending eigenvalues, V unitary, V diag(w) V^H equal to the Hermitian
    matrix the UPLO triangle defines, eigvalsh the same eigenvalues, and each w_j = v_j^H A v_j."""
    from .eigh_check import eigh_factor_problems, hermitian_from_triangle

    example_run()
    a, uplo = case.args[0], case.kwargs["UPLO"]
    w, v = reference.linalg.eigh(reference.from_numpy(a), UPLO=uplo)
    w, v = w.numpy().astype(np.float64), v.numpy().astype(np.complex128)
    h = hermitian_from_triangle(a, uplo)
    tol = tolerances.lookup("eigh", a.dtype.name).atol
    assert not eigh_factor_problems("reference", h, w, v, tol)
    values = reference.linalg.eigvalsh(reference.from_numpy(a), UPLO=uplo).numpy()
    assert np.array_equal(values, w.astype(values.dtype))
    if a.size:
        rayleigh = np.einsum("...ij,...ik,...kj->...j", np.conj(v), h, v).real
        scale = max(float(np.max(np.abs(h))), 1.0) * a.shape[-1]
        assert np.max(np.abs(rayleigh - w)) <= tol * 10 * scale


@given(S.square_matrices(kinds=("invertible", "positive-definite", "random"), dtype_names=("float64", "complex128")))
def test_inverse_and_solve_identities(mk):
    """inv(A) A = I, A solve(A, B) = B, det(A) det(inv(A)) = 1, slogdet's sign * exp(logabsdet) = det,
    and cholesky's L L^H = A for the positive-definite ones: without torch."""
    example_run()
    a, kind = mk
    A = reference.from_numpy(a)
    n = a.shape[-1]
    eye = np.eye(n)
    cond = np.max(np.linalg.cond(a)) if a.size else 1.0
    tol = 1e-12 * max(cond, 1.0)
    assert np.allclose(reference.linalg.inv(A).numpy() @ a, eye, atol=tol)
    b = np.ones(a.shape[:-1] + (2,), dtype=a.dtype)
    assert np.allclose(a @ reference.linalg.solve(A, reference.from_numpy(b)).numpy(), b, atol=tol * max(n, 1))
    d = reference.linalg.det(A).numpy()
    assert np.allclose(d * reference.linalg.det(reference.linalg.inv(A)).numpy(), 1, atol=tol * 10)
    sign, logabs = (t.numpy() for t in reference.linalg.slogdet(A))
    assert np.allclose(sign * np.exp(logabs), d, rtol=1e-10, atol=0)
    if kind == "positive-definite" and a.size:
        L = reference.linalg.cholesky(A).numpy()
        assert np.allclose(L @ np.conj(np.swapaxes(L, -1, -2)), a, atol=tol * max(float(np.max(np.abs(a))), 1.0))
        assert np.all(np.triu(L, 1) == 0) and np.all(np.diagonal(L, axis1=-2, axis2=-1).real > 0)


@given(S.matrices(dtype_names=("float64", "complex128")))
def test_lu_and_qr_identities(mk):
    """Without torch: ``P L U == A`` with L unit lower-triangular, U upper-triangular and P a permutation;
    lu_factor packs the same L and U with pivots that rebuild P; each pivot is the largest |re| + |im|
    left in its column; ``Q R == A`` with orthonormal Q and upper-triangular R; pinv(A) A pinv(A) == pinv(A)."""
    example_run()
    a, kind = mk
    A = reference.from_numpy(a)
    m, n = a.shape[-2:]
    k = min(m, n)
    P, L, U = (t.numpy() for t in reference.linalg.lu(A))
    scale = max(float(np.max(np.abs(a))) if a.size else 0.0, 1.0) * max(m, n, 1)
    assert np.allclose(P @ L @ U, a, atol=1e-12 * scale)
    assert np.all(np.triu(L[..., :k, :], 1) == 0) and np.all(np.diagonal(L, axis1=-2, axis2=-1) == 1)
    assert np.all(np.tril(U, -1) == 0)
    assert np.all(np.sum(P, axis=-1) == 1) and np.all(np.sum(P, axis=-2) == 1)
    # partial pivoting on |re| + |im| (LAPACK's): a multiplier's modulus is at most 1, or sqrt(2) for complex
    assert np.all(np.abs(L) <= (np.sqrt(2) if a.dtype.kind == "c" else 1) + 1e-12)
    if np.any(np.diagonal(U, axis1=-2, axis2=-1) == 0):  # an exact zero pivot: lu_factor refuses it
        with pytest.raises(RuntimeError, match="is zero"):
            reference.linalg.lu_factor(A)
    else:
        LU, piv = (t.numpy() for t in reference.linalg.lu_factor(A))
        assert np.array_equal(np.tril(LU[..., :, :k], -1), np.tril(L, -1))
        assert np.array_equal(np.triu(LU[..., :k, :]), U) and np.all((piv >= np.arange(1, k + 1)) & (piv <= m))
    Q, R = (t.numpy() for t in reference.linalg.qr(A))
    assert np.allclose(Q @ R, a, atol=1e-12 * scale) and np.all(np.tril(R, -1) == 0)
    assert np.allclose(np.conj(np.swapaxes(Q, -1, -2)) @ Q, np.eye(k), atol=1e-12)
    if kind in ("random", "well-separated") and a.size:
        X = reference.linalg.pinv(A).numpy()
        assert np.allclose(X @ a @ X, X, atol=1e-8 * max(float(np.max(np.abs(X))), 1.0))


_FFT_SIGNALS = S.arrays(
    S.dtypes(("float64", "complex128")), S.shapes(min_dims=1, max_dims=3, min_side=1, max_side=6), specials=False
)


@given(_FFT_SIGNALS, st.sampled_from([None, "backward", "forward", "ortho"]), st.integers(1, 9))
def test_fft_identities(x, norm, n):
    """Without torch: each transform undone by its inverse under every ``norm`` (``ifft(fft(x)) == x``,
    ``irfft(rfft(x), n) == x``, ``ihfft(hfft(X)) == X`` for a Hermitian half spectrum), Parseval's
    ``sum |X|^2 == n sum |x|^2`` (unscaled), ``fftn`` the composition of ``fft`` along each dim, ``fft``
    of a real signal Hermitian (``X[n - k] == conj(X[k])``) with ``rfft`` its first half, and
    ``ifftshift(fftshift(x)) == x`` with ``fftshift(fftfreq(n))`` ascending."""
    example_run()
    F = reference.fft
    t = reference.from_numpy(x)
    size = max(float(np.sum(np.abs(x))), 1.0)
    close = lambda a, b: np.allclose(np.asarray(a), np.asarray(b), atol=1e-12 * size, rtol=0)  # noqa: E731
    assert close(F.ifft(F.fft(t, norm=norm), norm=norm).numpy(), x)
    assert close(F.ifftn(F.fftn(t, norm=norm), norm=norm).numpy(), x)
    spectrum = F.fft(t).numpy()
    assert close(np.sum(np.abs(spectrum) ** 2, axis=-1), x.shape[-1] * np.sum(np.abs(x) ** 2, axis=-1))
    each = t
    for d in range(x.ndim):
        each = F.fft(each, dim=d, norm=norm)
    assert close(F.fftn(t, norm=norm).numpy(), each.numpy())
    real = reference.from_numpy(np.ascontiguousarray(x.real))
    full = F.fft(real, n=n).numpy()
    assert close(full, np.conj(full[..., (-np.arange(n)) % n]))
    assert close(F.rfft(real, n=n, norm=norm).numpy(), F.fft(real, n=n, norm=norm).numpy()[..., : n // 2 + 1])
    cropped = np.ascontiguousarray(x.real[..., :n]) if x.shape[-1] >= n else None
    if cropped is not None:
        assert close(F.irfft(F.rfft(real, n=n, norm=norm), n=n, norm=norm).numpy(), cropped)
        # a Hermitian half spectrum (the transform of a real signal): hfft and ihfft undo each other
        half = F.ihfft(reference.from_numpy(cropped), norm=norm)
        assert close(F.hfft(half, n=n, norm=norm).numpy(), cropped)
    assert np.array_equal(F.ifftshift(F.fftshift(t)).numpy(), x)
    freqs = F.fftshift(F.fftfreq(n, dtype=reference.float64)).numpy()
    assert np.all(np.diff(freqs) > 0) and freqs[n // 2] == 0


def test_fft_refuses_what_it_does_not_model():
    """NaN or infinity in a transform's input (its NaN pattern is the FFT algorithm's), and ``out=``:
    NotImplementedError naming them, never a guess."""
    F = reference.fft
    for bad in (np.nan, np.inf):
        x = reference.tensor([1.0, bad, 2.0, 3.0])
        for fn in (F.fft, F.rfft, F.ifft, F.ihfft, F.fftn):
            with pytest.raises(NotImplementedError, match="NaN or infinity"):
                fn(x)
        with pytest.raises(NotImplementedError, match="NaN or infinity"):
            F.irfft(x.to(reference.complex64))
    with pytest.raises(NotImplementedError, match="out="):
        F.fft(reference.ones(4), out=reference.empty(4, dtype=reference.complex64))


def test_oracle_sanity():
    """The loop definitions themselves, on the source notes' worked example (values typed from the notes)."""
    t = np.array([[1, 2], [3, 4]])
    assert oracles.gather(t, 1, np.array([[0, 0], [1, 0]])).tolist() == [[1, 1], [4, 3]]
    assert oracles.einsum("ij,jk->ik", np.eye(2), t).tolist() == [[1, 2], [3, 4]]
    assert oracles.einsum("ii", t).tolist() == 5
    assert oracles.clamp(np.array([0.0, 5.0, 10.0]), 7.0, 3.0).tolist() == [3.0, 3.0, 3.0]
    # the DFT of an impulse at 1 is the twiddles exp(-2 pi i k / 4) = 1, -i, -1, i
    assert np.allclose(oracles.fft_transform("fft.fft")(np.array([0.0, 1, 0, 0])), [1, -1j, -1, 1j], atol=1e-15)
    assert np.allclose(oracles.fft_transform("fft.irfft")(np.array([4.0 + 3j, 0, 0])), [1, 1, 1, 1])  # imag(DC) unread
    assert np.allclose(
        oracles.fft_transform("fft.hfft")(np.array([1.0, 1j]), n=3), [1 + 0, 1 + np.sqrt(3), 1 - np.sqrt(3)]
    )
    assert oracles.fftfreq(4).tolist() == [0.0, 0.25, -0.5, -0.25]
    assert oracles.rfftfreq(5, 0.5).tolist() == [0.0, 0.4, 0.8]
    assert oracles.fftshift(np.arange(5)).tolist() == [3, 4, 0, 1, 2]
    assert oracles.ifftshift(np.arange(5)).tolist() == [2, 3, 4, 0, 1]
