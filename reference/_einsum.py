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
- evaluation (torch's composite, so the graph's nodes and the result's strides
  are those of these steps): every operand is diagonalised, unsqueezed and
  permuted to one order (output labels, omitted ellipsis dims, summed letters);
  one operand is then summed over the trailing dims; several are contracted
  left to right, a dim that only one side still has being summed first
  (keepdim) and each pair going through a broadcast multiply (nothing to sum)
  or permute-reshape-``bmm``-view-permute; a final view drops the summed dims.
  This is torch's plan without the opt_einsum package (``backends.opt_einsum``).
- dtype follows from those steps: float, complex and int64 keep their dtype; a
  narrower integer or bool becomes int64 where ``sum`` sums it and keeps its
  dtype through ``bmm``; operands of different dtypes promote in a multiply;
  ``bmm`` refuses bool and two dtypes (when it has work to do).
"""

from __future__ import annotations

import string

from ._elementwise import mul
from ._matmul import _bmm
from ._shape import diagonal, permute, reshape, unsqueeze, view
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

    return _torch_plan(operands, full_terms, out_labels, n_ell)


def _permutation_order(full_terms, out_labels, n_ell: int) -> list[str]:
    """torch's aligned layout: output labels, then ellipsis dims the output omits (outermost first),
    then the summed letters in label order (A-Z, a-z)."""
    ellipsis = [c for c in (f"#{j}" for j in range(n_ell - 1, -1, -1)) if c not in out_labels]
    present = {c for t in full_terms for c in t if not c.startswith("#")}
    summed = sorted((c for c in present if c not in out_labels), key=_LETTERS.index)
    return list(out_labels) + ellipsis + summed


def _movedim(t: Tensor, src: int, dst: int) -> Tensor:
    """``movedim`` as torch's composite: always a permute (PermuteBackward0), even an identity one."""
    n = t.ndim
    src, dst = src % n, dst % n
    rest = [d for d in range(n) if d != src]
    rest.insert(dst, src)
    return permute(t, tuple(rest))


def _aligned(op: Tensor, labels: list[str], pos: dict[str, int], dim_counts: list[int]) -> Tensor:
    """One operand as torch lays it out before contracting: repeated labels become a diagonal kept at
    the first occurrence, missing labels become size-1 dims, then one permute to the common order.
    ``dim_counts`` counts, per position, the operands whose size there is not 1."""
    perm = [-1] * len(dim_counts)
    t, d = op, 0
    for c in labels:
        p = pos[c]
        if perm[p] == -1:
            if t.shape[d] != 1:
                dim_counts[p] += 1
            perm[p] = d
            d += 1
        else:  # a repeated label: the diagonal replaces both dims, at the first one's place
            prev = perm[p]
            t = _movedim(diagonal(t, 0, prev, d), -1, prev)
    for p, v in enumerate(perm):
        if v == -1:
            t = unsqueeze(t, d)
            perm[p] = d
            d += 1
    return permute(t, tuple(perm))


def _torch_plan(operands, full_terms, out_labels, n_ell: int) -> Tensor:
    """torch's evaluation, op by op (its einsum is a composite, so values, dtypes, strides and the
    graph's nodes all come from these steps): align every operand, then contract left to right --
    a dim only one side still has is summed first (keepdim), dims no later operand has are summed by
    the pairwise product -- and finally view away the summed (now size-1) dims.

    This is torch's plan without ``opt_einsum``; with opt_einsum installed and enabled torch
    contracts three or more operands in the order it chooses (see the suite's known differences).
    """
    from ._reduction import sum as tsum

    order = _permutation_order(full_terms, out_labels, n_ell)
    pos = {c: i for i, c in enumerate(order)}
    n_out, n_all = len(out_labels), len(order)
    dim_counts = [0] * n_all
    ops = [_aligned(op, labels, pos, dim_counts) for op, labels in zip(operands, full_terms, strict=True)]
    if len(ops) == 1:
        return tsum(ops[0], dim=tuple(range(n_out, n_all))) if n_all > n_out else ops[0]
    while len(ops) > 1:
        a, b = ops.pop(0), ops.pop(0)
        sum_dims, a_only, b_only = [], [], []
        for d in range(n_out, n_all):
            if a.shape[d] != 1 and b.shape[d] != 1:
                dim_counts[d] -= 1
                if dim_counts[d] == 1:  # no later operand has it: the pair's product sums it
                    sum_dims.append(d)
                    dim_counts[d] = 0
            elif dim_counts[d] == 1:  # only one side has it and nobody else: sum it right away
                if a.shape[d] != 1:
                    a_only.append(d)
                    dim_counts[d] = 0
                elif b.shape[d] != 1:
                    b_only.append(d)
                    dim_counts[d] = 0
        if a_only:
            a = tsum(a, dim=tuple(a_only), keepdim=True)
        if b_only:
            b = tsum(b, dim=tuple(b_only), keepdim=True)
        ops.insert(0, _sumproduct_pair(a, b, sum_dims))
    if n_all > n_out:  # the summed dims are all size 1 now
        return view(ops[0], tuple(ops[0].shape[:n_out]))
    return ops[0]


def _sumproduct_pair(left: Tensor, right: Tensor, sum_dims: list[int]) -> Tensor:
    """``(left * right).sum(sum_dims, keepdim=True)`` as torch computes it: a broadcast multiply when
    nothing is summed, else permute both to (batch, kept, summed) groups, flatten them, ``bmm``, view
    back and permute to the original dim order.  When every dim kept from the right comes before every
    dim kept from the left, the two swap roles (so bmm's result is already in output order)."""
    from ._reduction import sum as tsum

    if not sum_dims:
        return mul(left, right)
    lro, lo, ro = [], [], []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(left.ndim):
        sl, sr = left.shape[i] != 1, right.shape[i] != 1
        if i in sum_dims:
            if sl and sr:
                sum_size *= left.shape[i]
            elif sl:
                left = tsum(left, dim=i, keepdim=True)
            elif sr:
                right = tsum(right, dim=i, keepdim=True)
        elif sl and sr:
            lro.append(i)
            lro_size *= left.shape[i]
        elif sl:
            lo.append(i)
            lo_size *= left.shape[i]
        else:  # on the right only, or size 1 on both sides
            ro.append(i)
            ro_size *= right.shape[i]
    if lo and ro and ro[-1] < lo[0]:  # the right side's dims all come first: swap, so bmm writes them first
        left, right, lo, ro, lo_size, ro_size = right, left, ro, lo, ro_size, lo_size
    out_size = [left.shape[d] for d in lro + lo] + [1] * len(sum_dims) + [right.shape[d] for d in ro]
    lperm = lro + lo + sum_dims + ro
    rperm = lro + sum_dims + ro + lo
    operm = [0] * left.ndim
    for i, d in enumerate(lro + lo + sum_dims + ro):
        operm[d] = i
    left = reshape(permute(left, tuple(lperm)), (lro_size, lo_size, sum_size))
    right = reshape(permute(right, tuple(rperm)), (lro_size, sum_size, ro_size))
    return permute(view(_bmm(left, right), tuple(out_size)), tuple(operm))
