"""Registry entries of determinants, inverses, solvers and symmetric decompositions
(reference/_decompositions.py, strategies/decompositions.py, oracles/decompositions.py, eigh_check.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ..eig_check import eig_comparison, eig_loss
from ..eigh_check import eigh_comparison, eigh_loss
from ..qr_check import qr_comparison, qr_loss
from ._opinfo import Clause, OpInfo, loop, register
from ._perf import rng, square
from ._signature import Signature

#: condition numbers beyond this say only "no digits are promised": the scale stops growing there
_COND_CAP = 1e8


def _wide(a: np.ndarray) -> np.ndarray:
    return a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)


def _cond(a: np.ndarray) -> np.ndarray:
    """The 2-norm condition number of each matrix (1 for empty ones), capped at :data:`_COND_CAP`."""
    if a.size == 0:
        return np.ones(a.shape[:-2])
    with np.errstate(all="ignore"):
        c = np.linalg.cond(_wide(a))
    return np.minimum(np.nan_to_num(c, nan=_COND_CAP, posinf=_COND_CAP), _COND_CAP)


def _per_matrix(values: np.ndarray, out_shape: tuple) -> np.ndarray:
    """A per-matrix scale broadcast over each matrix's result."""
    return np.broadcast_to(values.reshape(values.shape + (1,) * (len(out_shape) - values.ndim)), out_shape)


def _max_abs(x: np.ndarray) -> np.ndarray:
    """max |x| over each result matrix (1 where it is empty or 0)."""
    if x.size == 0:
        return np.ones(x.shape[:-2])
    return np.maximum(np.max(np.abs(x), axis=(-2, -1)), 1.0)


def _hadamard(a: np.ndarray) -> np.ndarray:
    """n times the product of the rows' norms: Hadamard's bound on |det| and on its rounding's scale."""
    n = a.shape[-1]
    return max(n, 1) * np.prod(np.linalg.norm(_wide(a), axis=-1), axis=-1) if n else np.ones(a.shape[:-2])


def _det_scale(case: Case) -> np.ndarray:
    return _hadamard(case.args[0])


def _slogdet_scale(case: Case):
    """log|det| and the sign are accurate to the rounding of det relative to |det| itself."""
    a = case.args[0]
    d = np.abs(oracles.det(a)) if a.shape[-1] <= 4 else np.abs(np.linalg.det(_wide(a)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.minimum(np.nan_to_num(_hadamard(a) / d, nan=_COND_CAP, posinf=_COND_CAP), _COND_CAP)
    return ratio


def _inv_scale(case: Case) -> np.ndarray:
    a = case.args[0]
    if a.size == 0:
        return np.ones(a.shape)
    with np.errstate(all="ignore"):
        x = np.linalg.inv(_wide(a))
    return _per_matrix(_cond(a) * _max_abs(x), a.shape)


def _solve_scale(case: Case) -> np.ndarray:
    expected = oracles.solve(*case.args, **case.kwargs)
    a = case.args[0]
    cond = _cond(a)
    if expected.size == 0:
        return np.ones(expected.shape)
    mags = np.abs(expected)
    vector = expected.ndim == len(np.broadcast_shapes(a.shape[:-2])) + 1
    per = np.maximum(np.max(mags, axis=-1 if vector else (-2, -1)), 1.0)
    batch = per.shape
    scale = np.broadcast_to(cond, batch) * per
    return np.broadcast_to(scale.reshape(batch + (1,) * (1 if vector else 2)), expected.shape)


def _cholesky_scale(case: Case) -> np.ndarray:
    a = case.args[0]
    a = np.tril(np.nan_to_num(np.conj(np.swapaxes(a, -1, -2)) if case.kwargs.get("upper") else a))
    herm = a + np.conj(np.swapaxes(np.tril(a, -1), -1, -2))
    if herm.size == 0:
        return np.ones(herm.shape)
    return _per_matrix(_cond(herm) * np.sqrt(_max_abs(herm)), herm.shape)


def _kind_not(*kinds: str):
    return lambda case: case.kind not in kinds


def _hermitian_directions(case: Case, directions: list) -> list:
    """Hermitian directions: torch's cholesky and eigh gradients are those of functions of Hermitian
    matrices (symmetrised), not of the triangle they read."""
    return [(d + np.conj(np.swapaxes(d, -1, -2))) / 2 for d in directions]


def _det_second_order(case: Case) -> bool:
    """At an exactly singular matrix torch's second derivative switches to an SVD formula the reference
    does not model (known_differences); an empty batch or 0 x 0 matrix has no second-order graph in the
    reference's LU-free formula while torch builds one of empty tensors."""
    return case.kind != "singular" and case.args[0].size > 0


def _square_perf(name: str, make=None):
    """``torch.linalg.<name>`` of a sqrt(n)-square float32 matrix (symmetric positive-definite when the
    op needs it), with a right-hand side of one column for solve."""

    def perf(ns, T, n: int):
        a = square(n)
        if make is not None:
            a = make(a)
        A = T(a, True)
        fn = getattr(ns.linalg, name)
        if name == "solve":
            b = T(rng().standard_normal((a.shape[0], 1)).astype(np.float32), True)
            return lambda: fn(A, b)
        return lambda: fn(A)

    return perf


def _spd(a: np.ndarray) -> np.ndarray:
    return (a @ a.T / a.shape[0] + np.eye(a.shape[0])).astype(a.dtype)


def _symmetric(a: np.ndarray) -> np.ndarray:
    return ((a + a.T) / 2).astype(a.dtype)


def _matrix_events(op: str, *kinds: str) -> tuple[str, ...]:
    return tuple(f"{op}: {k}" for k in kinds + ("batched", "empty", "complex"))


register(
    OpInfo(
        "linalg.det",
        Signature("linalg.det(A)"),
        S.determinant_args("linalg.det"),
        S.determinant_invalid("linalg.det"),
        family="conditioned",
        scale=_det_scale,
        oracle=loop(oracles.det),
        gradgrad_cases=_det_second_order,
        # at an exactly singular matrix torch's first derivative is 0 by convention (its LU solve is scaled
        # by det = 0), not the cofactor matrix finite differences see
        fd_cases=_kind_not("singular"),
        rule=(
            Clause(
                "an exactly singular matrix has determinant 0 (and a zero first derivative)",
                event="linalg.det: singular",
            ),
            Clause("a 0 x 0 matrix has determinant 1", event="linalg.det: empty"),
            Clause("a batch gives one determinant per matrix", event="linalg.det: batched"),
            Clause("complex matrices give complex determinants", event="linalg.det: complex"),
        ),
        events=_matrix_events("linalg.det", "invertible", "positive-definite"),
        perf=_square_perf("det"),
        perf_max_elements=2**20,
    )
)

register(
    OpInfo(
        "linalg.slogdet",
        Signature("linalg.slogdet(A)"),
        S.determinant_args("linalg.slogdet"),
        S.determinant_invalid("linalg.slogdet"),
        family="conditioned",
        scale=_slogdet_scale,
        oracle=loop(oracles.slogdet),
        # the log of |det| has no derivative at a singular matrix (torch's is inf or NaN; the reference
        # refuses: known_differences)
        grad_cases=_kind_not("singular"),
        rule=(
            Clause("a singular matrix gives sign 0 and log|det| = -inf", event="linalg.slogdet: singular"),
            Clause("the sign of a complex determinant is a unit complex number", event="linalg.slogdet: complex"),
            Clause("a 0 x 0 matrix gives (1, 0)", event="linalg.slogdet: empty"),
        ),
        events=_matrix_events("linalg.slogdet", "invertible"),
        perf=_square_perf("slogdet"),
        perf_max_elements=2**20,
    )
)

register(
    OpInfo(
        "linalg.inv",
        Signature("linalg.inv(A)"),
        S.inv_args(),
        S.inv_invalid(),
        family="conditioned",
        scale=_inv_scale,
        oracle=loop(oracles.inv),
        grad_cases=_kind_not("ill-conditioned"),
        rule=(
            Clause("the inverse is column-major (LAPACK's layout)", lambda c: c.args[0].shape[-1] > 1),
            Clause(
                "ill-conditioned matrices lose digits in proportion to cond(A)", event="linalg.inv: ill-conditioned"
            ),
            Clause("a singular matrix raises LinAlgError naming the zero pivot", event="linalg.inv invalid: singular"),
        ),
        events=_matrix_events("linalg.inv", "invertible", "positive-definite"),
        perf=_square_perf("inv"),
        perf_max_elements=2**20,
    )
)

register(
    OpInfo(
        "linalg.solve",
        Signature("linalg.solve(A, B, *, left=True)"),
        S.solve_args(),
        S.solve_invalid(),
        family="conditioned",
        scale=_solve_scale,
        oracle=loop(oracles.solve),
        grad_cases=_kind_not("ill-conditioned"),
        rule=(
            Clause("a 1-d B is a vector", event="linalg.solve: B is a vector"),
            Clause(
                "B with A's shape minus its last dim is a batch of vectors",
                event="linalg.solve: B is a batch of vectors",
            ),
            Clause("a matrix B's batch dims broadcast against A's", event="linalg.solve: B is a broadcast matrix"),
            Clause("left=False solves X A = B", event="linalg.solve: left=False (X A = B)"),
            Clause("a singular A raises LinAlgError", event="linalg.solve invalid: singular"),
        ),
        events=_matrix_events("linalg.solve", "ill-conditioned") + ("linalg.solve: B is a matrix",),
        perf=_square_perf("solve"),
        perf_max_elements=2**20,
    )
)

register(
    OpInfo(
        "linalg.cholesky",
        Signature("linalg.cholesky(input, *, upper=False)"),
        S.cholesky_args(),
        S.cholesky_invalid(),
        family="conditioned",
        scale=_cholesky_scale,
        oracle=loop(oracles.cholesky),
        # the reference's Cholesky backward is written in NumPy: first order only (known_differences)
        gradgrad=False,
        fd_directions=_hermitian_directions,
        rule=(
            Clause(
                "only the lower triangle is read (the upper one for upper=True)",
                event="linalg.cholesky: the other triangle is never read",
            ),
            Clause("upper=True returns L^H", event="linalg.cholesky: upper=True"),
            Clause(
                "a matrix that is not positive-definite raises LinAlgError naming the minor",
                event="linalg.cholesky invalid: not positive-definite",
            ),
        ),
        events=_matrix_events("linalg.cholesky", "positive-definite"),
        perf=_square_perf("cholesky", _spd),
        perf_max_elements=2**20,
    )
)

_EIGH_RULE = (
    Clause("eigenvalues are real and ascending", event="{op}: well-separated"),
    Clause("a repeated eigenvalue's eigenspace (not its vectors) is determined", event="{op}: repeated eigenvalues"),
    Clause("only the UPLO triangle is read", event="{op}: the other triangle is never read"),
    Clause("UPLO='U' reads the upper triangle", event="{op}: UPLO='U'"),
)

for _name, _vectors in (("linalg.eigh", True), ("linalg.eigvalsh", False)):
    register(
        OpInfo(
            _name,
            Signature(f"{_name}(input, UPLO='L')"),
            S.eigh_args(_name),
            S.eigh_invalid(_name),
            family="eigh",
            compare=eigh_comparison(_vectors),
            grad_loss=eigh_loss(_vectors),
            # gauge-invariant losses are differentiable only at distinct eigenvalues
            grad_cases=lambda case: case.kind == "well-separated",
            # the reference's eigh backward is written in NumPy: first order only (known_differences)
            gradgrad=False,
            fd_directions=_hermitian_directions,
            rule=tuple(Clause(c.text, event=c.event.format(op=_name)) for c in _EIGH_RULE),
            events=_matrix_events(_name, "positive-definite", "symmetric"),
            perf=_square_perf(_name.removeprefix("linalg."), _symmetric),
            perf_max_elements=2**20,
        )
    )


for _name, _vectors in (("linalg.eig", True), ("linalg.eigvals", False)):
    register(
        OpInfo(
            _name,
            Signature(f"{_name}(input)"),
            S.eig_args(_name),
            S.eig_invalid(_name),
            family="eigh",
            compare=eig_comparison(_vectors),
            grad_loss=eig_loss(_vectors),
            # the order- and phase-free losses are differentiable at simple eigenvalues; a symmetric input's
            # eigenvalues are real and simple here too
            grad_cases=lambda case: case.kind in ("random", "complex eigenvalues", "invertible", "well-separated"),
            # the reference's eig backward is written in NumPy: first order only (known_differences)
            gradgrad=False,
            rule=(
                Clause(
                    "a real matrix may have complex eigenvalues, in conjugate pairs (the result is complex either way)",
                    event=f"{_name}: complex eigenvalues",
                ),
                Clause("an exactly singular matrix has the eigenvalue 0", event=f"{_name}: singular"),
                Clause(
                    "the order of the eigenvalues is LAPACK's, not sorted (compared as multisets)",
                    event=f"{_name}: random",
                ),
            ),
            events=_matrix_events(_name, "well-separated"),
            perf=_square_perf(_name.removeprefix("linalg.")),
            perf_max_elements=2**18,
        )
    )


def _qr_differentiable(case: Case) -> bool:
    """QR's gradient divides by R's diagonal: full-rank, well-conditioned matrices (torch refuses mode='r'
    and a complete tall Q at backward: those cases compare the refusals)."""
    return case.kind in ("random", "well-separated")


register(
    OpInfo(
        "linalg.qr",
        Signature("linalg.qr(A, mode='reduced')"),
        S.qr_args(),
        S.qr_invalid(),
        family="svd",
        compare=qr_comparison,
        grad_loss=qr_loss,
        grad_cases=_qr_differentiable,
        # torch's backward refuses mode='r' and a complete tall Q: no derivative for finite differences
        fd_cases=lambda case: (
            case.kwargs.get("mode") == "reduced"
            or (case.kwargs.get("mode") == "complete" and case.args[0].shape[-2] <= case.args[0].shape[-1])
        ),
        # the reference's QR backward is written in NumPy: first order only (known_differences)
        gradgrad=False,
        rule=(
            Clause("mode='reduced' gives Q (m, k) and R (k, n)", event="linalg.qr: mode='reduced'"),
            Clause("mode='complete' gives a square Q (m, m) and R (m, n)", event="linalg.qr: mode='complete'"),
            Clause("mode='r' gives R and an empty Q (and no gradient)", event="linalg.qr: mode='r'"),
            Clause("tall, wide and square matrices", event="linalg.qr: tall"),
            Clause("wide matrices split as [X | Y] in the gradient", event="linalg.qr: wide"),
        ),
        events=("svd: rank-deficient", "svd: batched", "svd: empty", "svd: complex"),
        perf=_square_perf("qr"),
        perf_max_elements=2**20,
    )
)


def _pinv_scale(case: Case) -> np.ndarray:
    """The condition number of the kept singular values times max |pinv| (a cut at rtol bounds it by 1/rtol)."""
    a = case.args[0]
    if a.size == 0:
        return np.ones(a.shape[:-2] + (a.shape[-1], a.shape[-2]))
    w = _wide(a)
    s = np.linalg.svd(w, compute_uv=False)
    cut = case.kwargs.get("rtol") or 0.0
    floor = np.maximum(s[..., :1] * cut, case.kwargs.get("atol") or 0.0)
    kept = np.where(s > np.maximum(floor, 1e-300), s, np.inf)
    cond = np.minimum(s[..., 0] / np.min(kept, axis=-1), _COND_CAP)
    with np.errstate(all="ignore"):
        p = np.linalg.pinv(w, rcond=max(cut, 1e-15))
    return _per_matrix(np.nan_to_num(cond, nan=1.0) * _max_abs(p), p.shape)


def _pinv_keeps_every_singular_value(case: Case) -> bool:
    a = case.args[0]
    if a.size == 0:
        return True
    s = np.linalg.svd(_wide(a), compute_uv=False)
    m, n = a.shape[-2:]
    rtol = case.kwargs.get("rtol")
    atol = case.kwargs.get("atol")
    if rtol is None:
        rtol = 0.0 if atol else np.finfo(a.dtype).eps * max(m, n)
    cut = np.maximum(atol or 0.0, rtol * s[..., :1])
    return bool(np.all(s > 2 * cut))


register(
    OpInfo(
        "linalg.pinv",
        Signature("linalg.pinv(input, *, atol=None, rtol=None, hermitian=False)"),
        S.pinv_args(),
        S.pinv_invalid(),
        family="conditioned",
        scale=_pinv_scale,
        # pinv jumps where a singular value crosses the cut; ill-conditioned ones are cond^2-sensitive
        grad_cases=lambda case: case.kind in ("random", "well-separated", "positive-definite"),
        # pinv_backward is the derivative of the full pseudo-inverse: where the cut drops singular values,
        # torch's gradient is not the truncated pinv's derivative (a convention finite differences miss)
        fd_cases=_pinv_keeps_every_singular_value,
        # hermitian=True reads one triangle, while torch's gradient is that of the whole Hermitian matrix
        fd_directions=lambda case, d: _hermitian_directions(case, d) if case.kwargs.get("hermitian") else d,
        rule=(
            Clause("singular values under max(atol, rtol * s_max) count as 0", event="linalg.pinv: tolerance rtol"),
            Clause("atol alone sets rtol to 0", event="linalg.pinv: tolerance atol"),
            Clause("the default rtol is eps * max(m, n)", event="linalg.pinv: tolerance default"),
            Clause(
                "hermitian=True reads the lower triangle (eigh)",
                event="linalg.pinv: hermitian=True (eigh of the lower triangle)",
            ),
        ),
        events=("svd: rank-deficient", "svd: tall", "svd: wide"),
        perf=_square_perf("pinv"),
        perf_max_elements=2**20,
    )
)


def _lu_scale(case: Case) -> tuple:
    """Each output's scale: cond(A) * max |factor| per matrix (pivots and P are exact whatever it says)."""
    a = case.args[0]
    m, n = a.shape[-2:]
    k = min(m, n)
    cond = _cond(a) if a.size and k else np.ones(a.shape[:-2])
    per = np.maximum(cond * max(float(np.max(np.abs(a))) if a.size else 1.0, 1.0), 1.0)
    return per


def _lu_outputs_scale(shapes_of):
    def scale(case: Case):
        per = _lu_scale(case)
        return tuple(_per_matrix(per, shape) for shape in shapes_of(case.args[0].shape))

    return scale


def _lu_factor_shapes(shape):
    m, n = shape[-2:]
    return (shape, shape[:-2] + (min(m, n),))


def _lu_shapes(shape):
    m, n = shape[-2:]
    k = min(m, n)
    return (shape[:-2] + (m, m), shape[:-2] + (m, k), shape[:-2] + (k, n))


_LU_GRAD_KINDS = ("random", "well-separated")

for _name, _shapes in (("linalg.lu_factor", _lu_factor_shapes), ("linalg.lu", _lu_shapes)):
    register(
        OpInfo(
            _name,
            Signature(f"{_name}(A, *, pivot=True)"),
            S.lu_args(_name),
            S.lu_invalid(_name),
            family="conditioned",
            scale=_lu_outputs_scale(_shapes),
            grad_cases=lambda case: case.kind in _LU_GRAD_KINDS,
            # the reference's LU backward is written in NumPy: first order only (known_differences)
            gradgrad=False,
            rule=(
                Clause(
                    "partial pivoting: the largest |a| (|re| + |im|) of each column, the first on ties",
                    event=f"{_name}: square",
                ),
                Clause("wide matrices: L (m, m), U (m, n)", event=f"{_name}: wide"),
                Clause("tall matrices: L (m, n), U (n, n)", event=f"{_name}: tall"),
            ),
            events=("svd: batched", "svd: empty", "svd: complex"),
            perf=_square_perf(_name.removeprefix("linalg.")),
            perf_max_elements=2**20,
        )
    )


def _lu_solve_scale(case: Case) -> np.ndarray:
    lu_ = _wide(case.args[0])
    expected = oracles.lu_solve(*case.args, **case.kwargs)
    if expected.size == 0:
        return np.ones(expected.shape)
    n = lu_.shape[-1]
    up = np.triu(lu_)
    cond = np.linalg.cond(np.tril(lu_, -1) + np.eye(n)) * np.linalg.cond(up) if n else np.ones(lu_.shape[:-2])
    per = np.maximum(np.max(np.abs(expected), axis=(-2, -1)), 1.0)
    batch = per.shape
    return np.broadcast_to((np.broadcast_to(cond, batch) * per).reshape(batch + (1, 1)), expected.shape)


def _lu_solve_perf(ns, T, n: int):
    """Two triangular solves with an LU of a sqrt(n)-square float32 matrix, one right-hand side column."""
    A = T(square(n))
    LU, piv = ns.linalg.lu_factor(A)
    b = T(rng().standard_normal((A.shape[0], 1)).astype(np.float32), True)
    return lambda: ns.linalg.lu_solve(LU, piv, b)


register(
    OpInfo(
        "linalg.lu_solve",
        Signature("linalg.lu_solve(LU, pivots, B, *, left=True, adjoint=False)"),
        S.lu_solve_args(),
        S.lu_solve_invalid(),
        family="conditioned",
        scale=_lu_solve_scale,
        oracle=loop(oracles.lu_solve),
        # the reference's lu_solve backward is written in NumPy: first order only (known_differences)
        gradgrad=False,
        rule=(
            Clause("left=False solves X A = B", event="linalg.lu_solve: left=False (X A = B)"),
            Clause("adjoint=True solves A^H X = B", event="linalg.lu_solve: adjoint=True (A^H X = B)"),
            Clause("B's batch broadcasts against LU's", event="linalg.lu_solve: B broadcast over LU's batch"),
        ),
        perf=_lu_solve_perf,
        perf_max_elements=2**20,
    )
)
