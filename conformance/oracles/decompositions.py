"""Loop-by-loop definitions of determinants, inverses, solves and the Cholesky factor.

Textbook definitions, one matrix at a time: the determinant by Laplace expansion along the first
row, the inverse as the adjugate over the determinant (cofactors), a solve by Cramer's rule -- all
three in exact rational arithmetic (Gaussian rationals for complex entries: every float is a
rational), rounded once at the end, so an exactly singular matrix has determinant exactly 0 -- and the
Cholesky factor by the Cholesky–Banachiewicz recurrence in float64.  None of them pivots or calls
LAPACK: they disagree with a wrong reference, not with rounding.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np


class _Q:
    """An exact complex rational ``re + i im``: just the ring operations a determinant needs."""

    __slots__ = ("re", "im")

    def __init__(self, re: Fraction, im: Fraction = Fraction(0)):
        self.re, self.im = re, im

    @classmethod
    def of(cls, x) -> _Q:
        z = complex(x)
        return cls(Fraction(z.real), Fraction(z.imag))

    def __add__(self, o: _Q) -> _Q:
        return _Q(self.re + o.re, self.im + o.im)

    def __sub__(self, o: _Q) -> _Q:
        return _Q(self.re - o.re, self.im - o.im)

    def __mul__(self, o: _Q) -> _Q:
        return _Q(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)

    def __truediv__(self, o: _Q) -> _Q:
        den = o.re * o.re + o.im * o.im
        return _Q((self.re * o.re + self.im * o.im) / den, (self.im * o.re - self.re * o.im) / den)

    def is_zero(self) -> bool:
        return self.re == 0 and self.im == 0

    def __complex__(self) -> complex:
        return complex(float(self.re), float(self.im))


_ZERO, _ONE = _Q(Fraction(0)), _Q(Fraction(1))

__all__ = ["det", "slogdet", "inv", "solve", "cholesky", "lu_solve"]


def _wide(a: np.ndarray) -> np.ndarray:
    return a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)


def _laplace(m: list[list[_Q]]) -> _Q:
    """The determinant by expansion along the first row (1 for a 0 x 0 matrix), exactly."""
    n = len(m)
    if n == 0:
        return _ONE
    if n == 1:
        return m[0][0]
    total = _ZERO
    for j in range(n):
        minor = [row[:j] + row[j + 1 :] for row in m[1:]]
        term = m[0][j] * _laplace(minor)
        total = total + term if j % 2 == 0 else total - term
    return total


def _matrices(a: np.ndarray):
    """Each matrix of a batch as exact entries."""
    for index in np.ndindex(a.shape[:-2]):
        yield index, [[_Q.of(a[index][i, j]) for j in range(a.shape[-1])] for i in range(a.shape[-2])]


def det(A, **_) -> np.ndarray:
    """The Laplace expansion of each matrix along its first row (1 for 0 x 0)."""
    a = _wide(A)
    out = np.zeros(a.shape[:-2], dtype=a.dtype)
    for index, m in _matrices(a):
        d = complex(_laplace(m))
        out[index] = d if a.dtype.kind == "c" else d.real
    return out


def slogdet(A, **_) -> tuple[np.ndarray, np.ndarray]:
    """``(det / |det|, log |det|)``, and ``(0, -inf)`` where the determinant is 0."""
    d = det(A)
    mag = np.abs(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        sign = np.where(mag == 0, 0, d / np.where(mag == 0, 1, mag))
        return sign, np.log(mag)


def inv(A, **_) -> np.ndarray:
    """The adjugate (transposed cofactors) divided by the determinant."""
    a = _wide(A)
    out = np.zeros(a.shape, dtype=a.dtype)
    n = a.shape[-1]
    for index, m in _matrices(a):
        d = _laplace(m)
        for i in range(n):
            for j in range(n):
                minor = [row[:j] + row[j + 1 :] for k, row in enumerate(m) if k != i]
                cof = _laplace(minor) / d
                value = complex(cof) * (-1) ** (i + j)
                out[index][j, i] = value if a.dtype.kind == "c" else value.real
    return out


def solve(A, B, *, left=True) -> np.ndarray:
    """Cramer's rule: ``x_i = det(A with column i replaced by b) / det(A)`` for each right-hand side
    (``left=False``: the rows of ``X A = B`` are Cramer's solutions of ``A^T x = b``); a 1-d B, or one
    shaped like A without its last dim, is a vector (or a batch of them)."""
    vector = left and (B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1]))
    return _cramer(A, B, left, vector)


def _cramer(A, B, left: bool, vector: bool) -> np.ndarray:
    a, b = _wide(A), _wide(B)
    n = a.shape[-1]
    if vector:
        b = b[..., None]
    if not left:
        a, b = np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    x = np.zeros(b.shape, dtype=np.result_type(a, b))
    for index in np.ndindex(batch):
        m = [[_Q.of(a[index][i, j]) for j in range(n)] for i in range(n)]
        d = _laplace(m)
        for c in range(b.shape[-1]):
            for i in range(n):
                replaced = [row[:i] + [_Q.of(b[index][r, c])] + row[i + 1 :] for r, row in enumerate(m)]
                value = complex(_laplace(replaced) / d)
                x[index][i, c] = value if x.dtype.kind == "c" else value.real
    if not left:
        x = np.swapaxes(x, -1, -2)
    return x[..., 0] if vector else x


def cholesky(A, *, upper=False) -> np.ndarray:
    """The Cholesky–Banachiewicz recurrence on the lower triangle (``upper=True``: on the upper one, giving
    ``U = L^H``):
    ``L_jj = sqrt(a_jj - sum_k |L_jk|^2)``, ``L_ij = (a_ij - sum_k L_ik conj(L_jk)) / L_jj``."""
    a = _wide(A)
    if upper:  # the upper triangle, read as the lower triangle of A^H
        a = np.conj(np.swapaxes(a, -1, -2))
    out = np.zeros(a.shape, dtype=a.dtype)
    n = a.shape[-1]
    for index in np.ndindex(a.shape[:-2]):
        m, low = a[index], out[index]
        for j in range(n):
            d = m[j, j].real - sum(abs(low[j, k]) ** 2 for k in range(j))
            low[j, j] = math.sqrt(d) if d >= 0 else math.nan
            for i in range(j + 1, n):
                s = m[i, j] - sum(low[i, k] * np.conj(low[j, k]) for k in range(j))
                low[i, j] = s / low[j, j]
    if upper:
        out = np.conj(np.swapaxes(out, -1, -2))
    return out


def lu_solve(LU, pivots, B, *, left=True, adjoint=False) -> np.ndarray:
    """A = P L U rebuilt from the packed factors (row swaps applied in order, from the last one back),
    then Cramer's rule on ``A`` (or ``A^H``)."""
    lu_ = _wide(LU)
    n = lu_.shape[-1]
    a = np.zeros(lu_.shape, dtype=lu_.dtype)
    for index in np.ndindex(lu_.shape[:-2]):
        low = np.tril(lu_[index], -1) + np.eye(n)
        up = np.triu(lu_[index])
        m = low @ up
        for j in reversed(range(pivots.shape[-1])):  # P^T A = L U: undo the swaps in reverse order
            p = int(pivots[index][j]) - 1
            m[[j, p]] = m[[p, j]]
        a[index] = m
    if adjoint:
        a = np.conj(np.swapaxes(a, -1, -2))
    return _cramer(a, B, left, vector=False)  # lu_solve's B is always a matrix
