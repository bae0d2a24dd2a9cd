"""einsum: Einstein summation, in every form torch accepts.

Rules (torch's):
- ``equation`` is ``"lhs->rhs"`` or just ``"lhs"`` (implicit output).  Spaces
  are ignored, but ``->`` must be written without a space inside it.
- ``lhs`` has one comma-separated term per operand; each term has one letter
  (a-z, A-Z) per dim, or a single ``...`` standing for any number of dims.
- a letter repeated within one term takes that operand's diagonal (sizes must match).
- a letter shared between terms must have equal sizes, or size 1, which broadcasts.
- ``...`` dims of all operands broadcast together, right-aligned.
- letters absent from the output are summed over; so are ``...`` dims when
  an explicit output omits ``...`` (``'...ij->ij'`` sums the ellipsis dims).
- implicit output: the ``...`` dims first, then every letter that appears
  exactly once, in ASCII order (upper case before lower case).
- sublist form: ``einsum(op1, [0, 1], op2, [1, 2], [0, 2])`` with ints in
  ``[0, 52)`` (0-25 are A-Z, 26-51 are a-z) and ``...`` as ``Ellipsis``.
- operands come as varargs or as one list.
- a single operand with nothing summed gives a *view* (``'ij->ji'``,
  ``'ii->i'``); anything else gives a new tensor.
- dtype: floating and complex inputs keep their dtype and int64 stays int64.
  All operands must share one dtype.  A single-operand reduction of a narrower
  integer or bool follows ``torch.sum`` and gives int64 (see the suite's
  known-differences table for torch's plan-dependent integer dtypes).
"""

from __future__ import annotations

import string

import numpy as np

from . import _dtype as D
from ._autograd_hooks import record
from ._shape import diagonal, permute
from ._tensor import Tensor

__all__ = ["einsum"]

_LETTERS = string.ascii_uppercase + string.ascii_lowercase  # torch's label order: A-Z then a-z
ELLIPSIS = "."  # one character standing for the whole ellipsis in parsed terms


def _sublist_to_equation(args) -> tuple[str, list]:
    operands, terms = [], []
    i = 0
    while i + 1 < len(args) and isinstance(args[i], Tensor):
        operands.append(args[i])
        terms.append(_sublist(args[i + 1]))
        i += 2
    eq = ",".join(terms)
    if i < len(args):
        eq += "->" + _sublist(args[i])
        i += 1
    if i != len(args):
        raise TypeError("einsum(): sublist form expects operand, sublist pairs and an optional output sublist")
    return eq, operands


def _sublist(sub) -> str:
    out = []
    for s in sub:
        if s is Ellipsis:
            out.append("...")
        elif isinstance(s, int) and 0 <= s < 52:
            out.append(_LETTERS[s])
        else:
            raise ValueError("einsum(): subscript in subscript list is not within the valid range [0, 52)")
    return "".join(out)


def _parse_term(text: str, offset: int, k: int, label_ok) -> list[str]:
    """Letters of one term; ``ELLIPSIS`` marks where the ``...`` goes."""
    labels: list[str] = []
    i = 0
    seen_ellipsis = False
    while i < len(text):
        c = text[i]
        if c == " ":
            i += 1
        elif c == ".":
            if seen_ellipsis:
                raise RuntimeError(f"einsum(): found '.' for operand {k} for which an ellipsis was already found")
            if text[i : i + 3] != "...":
                raise RuntimeError(f"einsum(): found '.' for operand {k} that is not part of any ellipsis")
            seen_ellipsis = True
            labels.append(ELLIPSIS)
            i += 3
        elif label_ok(c):
            labels.append(c)
            i += 1
        else:
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {offset + i} in the equation string, subscripts must "
                "be in [a-zA-Z]"
            )
    return labels


def parse(equation: str, ndims: list[int]):
    """Parse and validate; returns (terms, output labels, label sizes are checked later)."""
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]
    terms_text = lhs.split(",")
    if len(terms_text) > len(ndims):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms_text) < len(ndims):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    terms, offset = [], 0
    for k, text in enumerate(terms_text):
        labels = _parse_term(text, offset, k, lambda c: c in _LETTERS)
        offset += len(text) + 1
        n_letters = sum(1 for c in labels if c != ELLIPSIS)
        if ELLIPSIS in labels:
            if n_letters > ndims[k]:
                raise RuntimeError(
                    f"einsum(): the number of subscripts in the equation ({n_letters}) is more than the number of "
                    f"dimensions ({ndims[k]}) for operand {k}"
                )
        elif n_letters != ndims[k]:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n_letters}) does not match the number of "
                f"dimensions ({ndims[k]}) for operand {k} and no ellipsis was given"
            )
        terms.append(labels)
    counts: dict[str, int] = {}
    for labels in terms:
        for c in labels:
            if c != ELLIPSIS:
                counts[c] = counts.get(c, 0) + 1
    if arrow < 0:
        output = [ELLIPSIS] + sorted((c for c, n in counts.items() if n == 1), key=_LETTERS.index)
    else:
        output = _parse_term(equation[arrow + 2 :], arrow + 2, "output", lambda c: c in _LETTERS)
        seen = set()
        for c in output:
            if c == ELLIPSIS:
                continue
            if c not in counts:
                raise RuntimeError(
                    f"einsum(): output subscript {c} does not appear in the equation for any input operand"
                )
            if c in seen:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
            seen.add(c)
    return terms, output


def _expand_ellipsis(labels: list[str], ndim: int) -> list[str]:
    """Replace the ellipsis by one label per covered dim (``'0'``, ``'1'``... right-aligned)."""
    if ELLIPSIS not in labels:
        return labels
    i = labels.index(ELLIPSIS)
    n = ndim - (len(labels) - 1)
    return labels[:i] + [f"#{j}" for j in range(n - 1, -1, -1)] + labels[i + 1 :]


def einsum(*args) -> Tensor:
    """Einstein summation; see the module docstring for the full rules."""
    if len(args) == 0 or (len(args) == 1 and isinstance(args[0], str)):
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, or at least one operand and its "
            "subscripts list"
        )
    if isinstance(args[0], str):
        equation, operands = args[0], list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], list | tuple):
            operands = list(operands[0])
    else:
        equation, operands = _sublist_to_equation(args)
    for k, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TypeError(f"einsum(): operand {k} must be a Tensor, not {type(op).__name__}")
    terms, output = parse(equation, [op.ndim for op in operands])
    dtypes = {op.dtype for op in operands}
    if len(dtypes) > 1:
        names = " and ".join(sorted(d._torch_name for d in dtypes))
        raise RuntimeError(f"einsum(): expected all operands to have the same dtype, but got {names}")

    # 1. name every dim: ellipsis dims get labels '#0' (innermost) .. '#n-1', right-aligned across operands
    full_terms = [_expand_ellipsis(t, op.ndim) for t, op in zip(terms, operands, strict=True)]
    n_ell = max((op.ndim - (len(t) - 1) for t, op in zip(terms, operands, strict=True) if ELLIPSIS in t), default=0)
    out_labels = []
    for c in output:
        out_labels.extend([f"#{j}" for j in range(n_ell - 1, -1, -1)] if c == ELLIPSIS else [c])

    # 2. sizes: repeated labels within an operand must match; across operands equal or 1
    sizes: dict[str, int] = {}
    for k, (labels, op) in enumerate(zip(full_terms, operands, strict=True)):
        own: dict[str, int] = {}
        for c, s in zip(labels, op.shape, strict=True):
            if c in own and own[c] != s:
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {k} but the sizes don't match, {s} != {own[c]}"
                )
            own[c] = s
        for c, s in own.items():
            prev = sizes.get(c)
            if prev is None or prev == 1:
                sizes[c] = s
            elif s != prev and s != 1:
                if c.startswith("#"):
                    raise RuntimeError(
                        f"einsum(): dimension {n_ell - 1 - int(c[1:])} covered by ellipsis in operand {k}has size {s} "
                        f"which does not broadcast with previously seen ellipsis with size {prev} for the respective "
                        "dimension"
                    )
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {s} for operand {k} which does not broadcast with previously "
                    f"seen size {prev}"
                )

    # 3. take diagonals of repeated labels (views), leaving unique labels per operand
    diag_ops, diag_terms = [], []
    for labels, op in zip(full_terms, operands, strict=True):
        t, labels = op, list(labels)
        while len(set(labels)) != len(labels):
            c = next(c for c in labels if labels.count(c) > 1)
            i = labels.index(c)
            j = labels.index(c, i + 1)
            t = diagonal(t, 0, i, j)  # a view; its backward embeds the gradient on the diagonal
            labels = [x for n, x in enumerate(labels) if n not in (i, j)] + [c]
        diag_ops.append(t)
        diag_terms.append(labels)

    summed = [c for c in sizes if c not in out_labels]
    if len(operands) == 1:
        return _single_operand(diag_ops[0], diag_terms[0], out_labels, summed)
    return _contract(operands, full_terms, diag_ops, diag_terms, out_labels, sizes)


def _single_operand(t: Tensor, labels: list[str], out_labels: list[str], summed: list[str]) -> Tensor:
    """One operand: permute to (output labels, summed labels), then sum the trailing summed dims.

    Nothing summed: the permuted view is the result (torch permutes even when
    the order is unchanged, so the node is PermuteBackward0).
    """
    from ._reduction import sum as tsum

    t = permute(t, tuple(labels.index(c) for c in out_labels + summed))
    if summed:
        n = len(out_labels)
        t = tsum(t, dim=tuple(range(n, n + len(summed))))
    return t


def _np_letters(all_labels) -> dict[str, str]:
    return {c: string.ascii_letters[i] for i, c in enumerate(all_labels)}


def _compute_dtype(d: D.dtype):
    # as torch's CPU kernels: float32/float64/complex contract in their own precision (through BLAS),
    # half accumulates in float32; the rounding-order difference is the tolerance table's "sum" family
    if d is D.float16:
        return np.float32
    if d.is_floating_point or d.is_complex:
        return d.np
    return np.int64


def _contract(operands, full_terms, diag_ops, diag_terms, out_labels, sizes) -> Tensor:
    """Several operands: one NumPy einsum over the diagonalised, broadcast operands."""
    all_labels = list(dict.fromkeys([c for t in diag_terms for c in t] + out_labels))
    letter = _np_letters(all_labels)
    arrays = []
    for t, labels in zip(diag_ops, diag_terms, strict=True):
        target = tuple(sizes[c] for c in labels)
        arrays.append(np.broadcast_to(t._data.astype(_compute_dtype(t.dtype), copy=False), target))
    spec = ",".join("".join(letter[c] for c in labels) for labels in diag_terms)
    out_spec = "".join(letter[c] for c in out_labels)
    dtype = operands[0].dtype
    # optimize=True lets NumPy contract pairwise through BLAS (tensordot) where it pays
    res = np.einsum(f"{spec}->{out_spec}", *arrays, optimize=True)
    # contiguous: torch's layout follows its contraction plan (known_differences), most often this one
    out = Tensor._wrap(np.array(res, dtype=dtype.np, order="C"))

    def vjp(g):
        """d/d(operand k) = einsum(g, conj(other operands) -> k's labels), broadcast back and
        summed over k's size-1 dims; the diagonal views' own backward re-embeds diagonals."""
        from ._elementwise import _conj, sum_to
        from ._shape import expand, reshape

        grads = []
        for k, (dop, labels) in enumerate(zip(diag_ops, diag_terms, strict=True)):
            if not dop.requires_grad:
                grads.append(None)
                continue
            others = [(lab, _conj(o)) for n, (lab, o) in enumerate(zip(diag_terms, diag_ops, strict=True)) if n != k]
            present = set(out_labels) | {c for lab, _ in others for c in lab}
            keep = [c for c in labels if c in present]
            eq = ",".join([out_spec] + ["".join(letter[c] for c in lab) for lab, _ in others])
            gk = einsum(eq + "->" + "".join(letter[c] for c in keep), g, *[o for _, o in others])
            gk = reshape(gk, tuple(gk.shape[keep.index(c)] if c in keep else 1 for c in labels))
            gk = expand(gk, tuple(sizes[c] for c in labels))
            grads.append(sum_to(gk, tuple(dop.shape)))
        return tuple(grads)

    # the graph runs through the diagonal views (their backward embeds the diagonal again);
    # torch's node name depends on its contraction plan (Bmm/View/Permute/Mul...), see known differences
    return record(out, tuple(diag_ops), "EinsumBackward0", vjp, saved=tuple(diag_ops))
