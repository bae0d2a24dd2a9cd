"""Linear algebra: einsum, matmul, SVD (its matrices come from the shared ``strategies.shared_matrices``).

Each op has a strategy of valid arguments that steers towards the cases where its semantics break
(recording a coverage event for each hard case it produced) and one of invalid arguments (each case
naming the word the error message must contain).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ._arrays import arrays, dtypes, elements, shapes
from ._case import Case
from ._coverage import record
from .shared_matrices import matrices

__all__ = [
    "einsum_args",
    "einsum_invalid",
    "svd_args",
    "svd_invalid",
    "matmul_args",
    "matmul_invalid",
]


_EINSUM_LETTERS = "ijkl" + "aB"
#: dtypes whose einsum result depends on torch's plan (bmm keeps them, sum makes int64, bool has no bmm)
_EINSUM_NARROW = ("int32", "int16", "int8", "uint8", "bool")
#: per-operand dtypes of mixed cases (promoted by a broadcast product, refused by bmm)
_EINSUM_MIXED = ("float32", "float64", "complex64", "int64", "int32")


def _einsum_dtypes(draw, n_ops: int, dtype_names) -> tuple[list[np.dtype], bool]:
    """One dtype for every operand (mostly), a narrow integer or bool one, or one dtype per operand;
    and whether the values must be tiny (narrow integers wrap, and the loop definition does not)."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        record("einsum: narrow integer or bool operands")
        return [np.dtype(draw(st.sampled_from(_EINSUM_NARROW)))] * n_ops, True
    if kind == 1 and n_ops > 1:
        picked = [np.dtype(draw(st.sampled_from(_EINSUM_MIXED))) for _ in range(n_ops)]
        if len(set(picked)) > 1:
            record("einsum: mixed operand dtypes")
        return picked, False
    return [draw(dtypes(dtype_names))] * n_ops, False


def _tiny(dt: np.dtype) -> st.SearchStrategy:
    """Values whose every einsum term and sum fits the narrowest integer dtype (|x| <= 1)."""
    if dt == np.bool_:
        return st.booleans()
    return st.integers(0 if dt.kind == "u" else -1, 1)


@st.composite
def einsum_args(draw, dtype_names=("float32", "float64", "complex64", "int64")) -> Case:
    """Generated equations in every form: explicit and implicit output, ellipsis (summed or kept),
    repeated subscripts (diagonals), size-1 broadcasting, spaces, sublist form, operands as a list;
    1 to 3 operands; empty dims; narrower integer, bool and mixed operand dtypes, where torch's plan
    decides the result dtype or refuses.  args = (equation_or_marker, *operands)."""
    n_ops = draw(st.integers(1, 3))
    op_dtypes, tiny = _einsum_dtypes(draw, n_ops, dtype_names)
    record(f"einsum: {n_ops} operand(s)")
    # a matrix product written with its output transposed ('ab,bc->ca'): bmm's operands swap
    product_first = n_ops > 1 and draw(st.integers(0, 4)) == 0
    pool = draw(st.lists(st.sampled_from(_EINSUM_LETTERS), min_size=3 if product_first else 1, max_size=4, unique=True))
    sizes = {
        c: draw(st.sampled_from([1, 2, 3, 0]) if draw(st.integers(0, 5)) == 0 else st.integers(1, 3)) for c in pool
    }
    ell_shape = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    terms, shapes_, has_ell = [], [], []
    for k in range(n_ops):
        if product_first and k < 2:
            labels = [pool[0], pool[1]] if k == 0 else [pool[1], pool[2]]
        else:
            labels = draw(st.lists(st.sampled_from(pool), max_size=3))
        use_ell = draw(st.integers(0, 3)) == 0
        shape = []
        for c in labels:
            s = sizes[c]
            if s > 1 and draw(st.integers(0, 5)) == 0:
                s = 1
                record("einsum: size-1 broadcasting")
            shape.append(s)
        if len(set(labels)) < len(labels):
            record("einsum: repeated subscript (diagonal)")
            shape = [sizes[c] for c in labels]  # a diagonal needs equal sizes
        term = "".join(labels)
        if use_ell:
            pos = draw(st.integers(0, len(labels)))
            k = draw(st.integers(0, len(ell_shape)))
            eshape = [1 if draw(st.integers(0, 4)) == 0 else s for s in ell_shape[len(ell_shape) - k :]]
            term = term[:pos] + "..." + term[pos:]
            shape = shape[:pos] + eshape + shape[pos:]
            record("einsum: ellipsis")
        terms.append(term)
        shapes_.append(tuple(shape))
        has_ell.append(use_ell)
    ops = [
        draw(arrays(dt, s, elements_strategy=_tiny(dt) if tiny else elements(dt, specials=False, small=True)))
        for dt, s in zip(op_dtypes, shapes_, strict=True)
    ]
    if any(0 in s for s in shapes_):
        record("einsum: empty dim")
    if any(len(s) == 0 for s in shapes_):
        record("einsum: 0-d operand")
    counts = {}
    for t in terms:
        for c in t.replace("...", ""):
            counts[c] = counts.get(c, 0) + 1
    implicit = not product_first and draw(st.booleans())
    if implicit:
        equation = ",".join(terms)
        record("einsum: implicit output")
    else:
        used = [c for c in pool if c in counts]
        out = draw(st.lists(st.sampled_from(used), unique=True, max_size=len(used))) if used else []
        if product_first:
            out = [pool[2], pool[0]]
        elif n_ops > 1 and draw(st.booleans()):  # the later operands' own labels first: bmm's operands swap
            out.sort(key=lambda c: c in terms[0])
        out_s = "".join(out)
        if any(has_ell):
            if draw(st.integers(0, 3)) == 0:
                record("einsum: ellipsis summed")
            else:
                pos = draw(st.integers(0, len(out_s)))
                out_s = out_s[:pos] + "..." + out_s[pos:]
        equation = ",".join(terms) + "->" + out_s
        record("einsum: explicit output")
    if n_ops > 1:
        arrow = equation.find("->")
        out_order = equation[arrow + 2 :] if arrow >= 0 else "".join(sorted(c for c, k in counts.items() if k == 1))
        first, later = set(terms[0]), {c for t in terms[1:] for c in t}
        letters = [c for c in out_order if c.isalpha()]
        if (
            letters
            and letters[0] in later - first
            and any(c in first - later for c in letters[1:])
            and set(counts) - set(letters)  # something is summed, so a bmm runs
        ):
            record("einsum: output lists a later operand's labels first")
        if any(c.isupper() for c in equation):
            record("einsum: uppercase subscript")
    form = draw(st.sampled_from(["varargs", "list", "sublist", "spaces"]))
    record(f"einsum form: {form}")
    if form == "spaces":
        equation = _spaced(lambda: draw(st.booleans()), equation)
        form = "varargs"
    return Case((equation, *ops), form=form)


def _spaced(coin, equation: str) -> str:
    """Insert spaces everywhere torch allows them (anywhere but inside '->' and '...')."""
    out = [" "] if coin() else []
    i = 0
    while i < len(equation):
        if equation.startswith("...", i):
            tok = "..."
        elif equation.startswith("->", i):
            tok = "->"
        else:
            tok = equation[i]
        out.append(tok)
        if coin():
            out.append(" ")
        i += len(tok)
    return "".join(out)


@st.composite
def einsum_invalid(draw) -> Case:
    """Malformed equations and mismatched operands (one defect each)."""
    defect = draw(
        st.sampled_from(
            [
                "char",
                "too_few",
                "too_many",
                "rank",
                "out_missing",
                "out_dup",
                "size",
                "repeat_size",
                "two_ellipsis",
                "sublist",
            ]
        )
    )
    record(f"einsum invalid: {defect}")
    x = draw(arrays(np.dtype("float32"), (2, 3), specials=False))
    y = draw(arrays(np.dtype("float32"), (3, 4), specials=False))
    if defect == "char":
        bad = draw(st.sampled_from(["1", "#", "?", "_"]))
        return Case((f"i{bad}->i", x), expect="subscript")
    if defect == "too_few":
        return Case(("ij,jk->ik", x), expect="operands")
    if defect == "too_many":
        return Case(("ij->ij", x, y), expect="operands")
    if defect == "rank":
        eq = draw(st.sampled_from(["ijk->i", "i->i", "ijkl"]))
        return Case((eq, x), expect="subscripts")
    if defect == "out_missing":
        return Case(("ij->iz", x), expect="output subscript")
    if defect == "out_dup":
        return Case(("ij->ii", x), expect="output subscript")
    if defect == "size":
        return Case(("ij,ij->ij", x, y), expect="size")
    if defect == "repeat_size":
        return Case(("ii->i", x), expect="repeated")
    if defect == "two_ellipsis":
        return Case(("...i...->i", x), expect="ellipsis")
    return Case(("sublist", x, [0, draw(st.integers(52, 80))]), expect="subscript", form="sublist-raw")


@st.composite
def svd_args(draw, variant: str = "linalg") -> Case:
    """For ``linalg.svd``: full_matrices; for ``torch.svd``: some and compute_uv; ``svdvals``: none."""
    a, kind = draw(matrices())
    if variant == "linalg":
        return Case((a,), {"full_matrices": draw(st.booleans())}, kind=kind)
    if variant == "legacy":
        some, uv = draw(st.booleans()), draw(st.booleans())
        if not uv:
            record("svd: compute_uv=False")
        return Case((a,), {"some": some, "compute_uv": uv}, kind=kind)
    return Case((a,), kind=kind)


@st.composite
def svd_invalid(draw, variant: str = "linalg") -> Case:
    """Integer or float16 input, fewer than 2 dims, non-finite entries."""
    defect = draw(st.sampled_from(["int", "half", "rank", "nonfinite"]))
    record(f"svd invalid: {defect}")
    if defect == "int":
        a = draw(arrays(dtypes(("int64", "int32", "bool")), shapes(min_dims=2, max_dims=3, min_side=1, max_side=3)))
        return Case((a,), expect="floating point")
    if defect == "half":
        a = draw(arrays(np.dtype("float16"), shapes(min_dims=2, max_dims=2, min_side=1, max_side=3)))
        return Case((a,), expect="Half")
    if defect == "rank":
        a = draw(arrays(np.dtype("float32"), shapes(min_dims=0, max_dims=1)))
        return Case((a,), expect="dimensions")
    a = draw(hnp.arrays(np.float64, draw(st.tuples(st.integers(1, 3), st.integers(1, 3))), elements=st.floats(-2, 2)))
    a = a.copy()
    a.flat[draw(st.integers(0, a.size - 1))] = np.nan  # (an inf is not an error in torch: NaN results)
    return Case((a,), expect="non-finite", kind="value")  # seen only with data


@st.composite
def matmul_args(draw) -> Case:
    """1-d x 1-d (dot), matrix x vector, vector x matrix, matrix x matrix, broadcast batches; one dtype."""
    dt = draw(dtypes(("float32", "float64", "int64", "complex64")))
    n, k, m = (draw(st.integers(0, 3)) for _ in range(3))
    kind = draw(st.sampled_from(["dot", "mv", "vm", "mm", "batched"]))
    record(f"matmul: {kind}")
    batch_a = tuple(draw(st.lists(st.integers(1, 2), max_size=2))) if kind == "batched" else ()
    batch_b = batch_a[draw(st.integers(0, len(batch_a))) :] if kind == "batched" else ()
    sa = {"dot": (k,), "mv": (n, k), "vm": (k,), "mm": (n, k), "batched": batch_a + (n, k)}[kind]
    sb = {"dot": (k,), "mv": (k,), "vm": (k, m), "mm": (k, m), "batched": batch_b + (k, m)}[kind]
    el = elements(dt, specials=False, small=True)
    a = draw(arrays(dt, sa, elements_strategy=el))
    b = draw(arrays(dt, sb, elements_strategy=el))
    return Case((a, b))


@st.composite
def matmul_invalid(draw) -> Case:
    defect = draw(st.sampled_from(["inner", "dtype", "zero_d"]))
    record(f"matmul invalid: {defect}")
    a = draw(arrays(np.dtype("float32"), (2, 3), specials=False))
    if defect == "inner":
        return Case((a, np.zeros((4, 2), np.float32)), expect="shapes")
    if defect == "dtype":
        return Case((a, np.zeros((3, 2), np.float64)), expect="dtype")
    return Case((np.array(1.0, dtype=np.float32), a), expect="1D")
