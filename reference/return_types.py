"""Named tuples that torch returns from multi-output ops, printed as torch prints them."""

from __future__ import annotations

from collections import namedtuple


def _make(name: str, fields: str):
    base = namedtuple(name, fields)

    def __repr__(self) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self, strict=True))
        return f"torch.return_types.{name}(\n{body})"

    cls = type(name, (base,), {"__repr__": __repr__, "__slots__": ()})
    cls.__module__ = "torch.return_types"
    return cls


svd = _make("svd", "U S V")
linalg_svd = _make("linalg_svd", "U S Vh")
linalg_slogdet = _make("linalg_slogdet", "sign logabsdet")
linalg_eigh = _make("linalg_eigh", "eigenvalues eigenvectors")
linalg_eig = _make("linalg_eig", "eigenvalues eigenvectors")
linalg_qr = _make("linalg_qr", "Q R")
linalg_lu_factor = _make("linalg_lu_factor", "LU pivots")
linalg_lu = _make("linalg_lu", "P L U")
