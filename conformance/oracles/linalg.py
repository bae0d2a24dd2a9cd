"""Loop-by-loop definitions of linear algebra (einsum)."""

from __future__ import annotations

import itertools
import string

import numpy as np

__all__ = ["einsum"]


_LETTERS = string.ascii_uppercase + string.ascii_lowercase


def einsum(equation: str, *operands: np.ndarray, **_) -> np.ndarray:
    """Sum over every assignment of the summed labels of the product of the operands' entries."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    ell_nd = 0
    expanded = []
    for t, op in zip(terms, operands, strict=True):
        if "..." in t:
            k = op.ndim - (len(t) - 3)
            ell_nd = max(ell_nd, k)
            expanded.append(t.replace("...", "".join(f"<{j}>" for j in range(k - 1, -1, -1))))
        else:
            expanded.append(t)
    labels_per_op = [_split_labels(t) for t in expanded]
    if arrow:
        out_labels = _split_labels(rhs.replace("...", "".join(f"<{j}>" for j in range(ell_nd - 1, -1, -1))))
    else:
        counts = {}
        for labs in labels_per_op:
            for c in labs:
                counts[c] = counts.get(c, 0) + 1
        ell = [f"<{j}>" for j in range(ell_nd - 1, -1, -1)]
        out_labels = ell + sorted(
            (c for c, n in counts.items() if n == 1 and not c.startswith("<")), key=_LETTERS.index
        )
    sizes: dict[str, int] = {}
    for labs, op in zip(labels_per_op, operands, strict=True):
        for c, s in zip(labs, op.shape, strict=True):
            if sizes.get(c, 1) == 1:
                sizes[c] = s
    all_labels = list(sizes)
    acc_dtype = (
        np.complex128
        if any(op.dtype.kind == "c" for op in operands)
        else (np.float64 if any(op.dtype.kind == "f" for op in operands) else np.int64)
    )
    out = np.zeros(tuple(sizes[c] for c in out_labels), dtype=acc_dtype)
    for assignment in itertools.product(*(range(sizes[c]) for c in all_labels)):
        val = dict(zip(all_labels, assignment, strict=True))
        prod = acc_dtype(1)
        for labs, op in zip(labels_per_op, operands, strict=True):
            # a size-1 dim broadcasts: it is always read at position 0
            pos = tuple(val[c] if s != 1 else 0 for c, s in zip(labs, op.shape, strict=True))
            prod = prod * acc_dtype(op[pos])
        out[tuple(val[c] for c in out_labels)] += prod
    return out


def _split_labels(term: str) -> list[str]:
    out, i = [], 0
    while i < len(term):
        if term[i] == "<":
            j = term.index(">", i)
            out.append(term[i : j + 1])
            i = j + 1
        else:
            out.append(term[i])
            i += 1
    return out
