"""Meta-tests: the strategies generate what they promise and can reach every hard case."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import strategies as S

from .registry import REGISTRY

# generate only: the example found is not shrunk (shrinking took most of these tests' time, and only
# the fact that the strategy reaches the case matters here)
FIND = settings(
    max_examples=3000,
    database=None,
    suppress_health_check=list(HealthCheck),
    deadline=None,
    phases=[Phase.generate],
)


def reach(strategy, predicate, what: str):
    try:
        return find(strategy, predicate, settings=FIND)
    except Exception as e:  # NoSuchExample / Unsatisfiable
        pytest.fail(f"the strategy never produced: {what} ({type(e).__name__})")


@given(st.data())
def test_arrays_have_requested_dtype_and_shape(data):
    dtype = data.draw(S.dtypes())
    shape = data.draw(S.shapes())
    a = data.draw(S.arrays(dtype, shape))
    assert a.dtype == dtype and a.shape == shape


@pytest.mark.parametrize("layout", ["transposed", "sliced", "broadcast"])
def test_arrays_reach_each_non_contiguous_layout(layout):
    def is_layout(a):
        if layout == "broadcast":
            return 0 in a.strides and a.size > 1
        if layout == "transposed":
            return a.ndim >= 2 and a.size > 1 and a.strides[0] < a.strides[1] and min(a.shape) > 1
        return a.size > 1 and not a.flags.c_contiguous and 0 not in a.strides

    reach(S.arrays(np.float32, S.shapes(min_dims=2, max_dims=3, min_side=2), layouts=(layout,)), is_layout, layout)


def test_shapes_reach_0d_empty_and_size1():
    reach(S.shapes(), lambda s: s == (), "0-d")
    reach(S.shapes(), lambda s: 0 in s and len(s) >= 2, "an empty dim")
    reach(S.shapes(), lambda s: 1 in s and len(s) >= 2, "a size-1 dim")


@pytest.mark.parametrize("special", ["nan", "inf", "-0.0"])
def test_float_elements_reach_specials(special):
    checks = {
        "nan": np.isnan,
        "inf": np.isinf,
        "-0.0": lambda a: (a == 0) & np.signbit(a),
    }
    reach(S.arrays(np.float32, (3,)), lambda a: checks[special](a).any(), special)


def test_gather_reaches_hard_cases():
    s = S.gather_args()
    reach(s, lambda c: c.args[2].size == 0, "empty index")
    reach(s, lambda c: c.args[0].ndim == 0, "0-d input")
    reach(s, lambda c: c.args[1] < 0, "negative dim")
    reach(s, lambda c: c.args[2].dtype == np.int32 and c.args[2].size > 0, "int32 index")
    reach(
        s,
        lambda c: c.args[2].ndim >= 1 and c.args[2].size > 1 and len(np.unique(c.args[2])) < c.args[2].size,
        "duplicate indices",
    )


@given(S.gather_args())
def test_gather_indices_in_bounds_and_shapes_compatible(case):
    x, dim, index = case.args
    xs = x.shape or (1,)
    d = dim % len(xs)
    if index.size:
        assert index.min() >= 0 and index.max() < xs[d]
        ishape = index.shape or (1,)
        assert len(ishape) == len(xs)
        assert all(ishape[k] <= xs[k] for k in range(len(xs)) if k != d)


def test_squeeze_reaches_every_dim_kind():
    s = S.squeeze_args()
    reach(s, lambda c: len(c.args) == 1, "no dim")
    reach(s, lambda c: len(c.args) == 2 and isinstance(c.args[1], int) and c.args[1] < 0, "negative int dim")
    reach(s, lambda c: len(c.args) == 2 and isinstance(c.args[1], tuple) and len(c.args[1]) >= 2, "tuple of dims")
    reach(
        s,
        lambda c: (
            len(c.args) == 2 and isinstance(c.args[1], int) and c.args[0].ndim and c.args[0].shape[c.args[1]] != 1
        ),
        "a non-1 dim (no-op)",
    )


def test_clamp_reaches_hard_cases():
    s = S.clamp_args()
    reach(s, lambda c: c.kwargs["min"] is None, "min None")
    reach(s, lambda c: c.kwargs["max"] is None, "max None")
    reach(
        s,
        lambda c: (
            isinstance(c.kwargs["min"], float)
            and isinstance(c.kwargs["max"], float)
            and c.kwargs["min"] > c.kwargs["max"]
        ),
        "scalar min > max",
    )
    reach(
        s,
        lambda c: c.args[0].size and isinstance(c.kwargs["min"], float) and np.any(c.args[0] == c.kwargs["min"]),
        "a value equal to the bound",
    )
    reach(s, lambda c: c.args[0].dtype.kind in "iu" and isinstance(c.kwargs["min"], float), "int input, float bound")
    reach(
        s,
        lambda c: isinstance(c.kwargs["max"], np.ndarray) and c.kwargs["max"].ndim > c.args[0].ndim,
        "a bound that broadcasts the output",
    )


@pytest.mark.parametrize("form", ["varargs", "list", "sublist"])
def test_einsum_reaches_every_form(form):
    reach(S.einsum_args(), lambda c: c.form == form, form)


@pytest.mark.parametrize(
    "what,pred",
    [
        ("implicit output", lambda eq: "->" not in eq),
        ("ellipsis", lambda eq: "..." in eq),
        ("ellipsis summed", lambda eq: "..." in eq.split("->")[0] and "->" in eq and "..." not in eq.split("->")[1]),
        (
            "repeated subscript",
            lambda eq: any(
                len(set(t.replace(".", "").strip())) < len(t.replace(".", "").replace(" ", ""))
                for t in eq.split("->")[0].split(",")
            ),
        ),
        ("spaces", lambda eq: " " in eq),
        ("three operands", lambda eq: eq.split("->")[0].count(",") == 2),
    ],
)
def test_einsum_reaches_equation_features(what, pred):
    reach(S.einsum_args(), lambda c: pred(c.args[0]), what)


def test_einsum_reaches_size1_broadcasting_and_empty():
    def size1_broadcast(c):
        eq, *ops = c.args
        sizes = {}
        for term, op in zip(eq.replace(" ", "").split("->")[0].split(","), ops, strict=True):
            if "..." in term:
                continue
            for ch, n in zip(term, op.shape, strict=True):
                sizes.setdefault(ch, set()).add(n)
        return any(1 in v and len(v) > 1 for v in sizes.values())

    reach(S.einsum_args(), size1_broadcast, "size-1 broadcasting")
    reach(S.einsum_args(), lambda c: any(0 in o.shape for o in c.args[1:]), "an empty dim")


@pytest.mark.parametrize("kind", ["rank-deficient", "well-separated", "ill-conditioned"])
def test_matrices_have_promised_spectrum(kind):
    @given(S.matrices(dtype_names=("float64",), kinds=(kind,)))
    @settings(max_examples=30)
    def inner(mk):
        a, _ = mk
        k = min(a.shape[-2:])
        if k == 0 or a.size == 0:  # no singular values (an empty batch too): nothing is promised
            return
        s = np.linalg.svd(a, compute_uv=False)
        if kind == "rank-deficient":
            assert np.all(s[..., -1] <= 1e-10 * max(1.0, s.max()))
        elif kind == "well-separated" and k > 1:
            assert np.all(s[..., :-1] / s[..., 1:] > 1.9)
        elif kind == "ill-conditioned" and k > 1:
            assert np.all(s[..., 0] / s[..., -1] > 1e5)

    inner()


def _hermitian(a: np.ndarray) -> bool:
    return np.allclose(a, np.conj(np.swapaxes(a, -1, -2)), atol=1e-12)


_SQUARE_PROMISES = {
    "symmetric": lambda a: _hermitian(a),
    "positive-definite": lambda a: _hermitian(a) and np.all(np.linalg.eigvalsh(a) > 0),
    "invertible": lambda a: np.all(np.linalg.cond(a) <= 4.0 + 1e-9),
    # exactly singular: a zero row or column, whatever the arithmetic
    "singular": lambda a: np.all(np.any(np.all(a == 0, axis=-1), axis=-1) | np.any(np.all(a == 0, axis=-2), axis=-1)),
    "rank-deficient": lambda a: np.all(
        np.linalg.svd(a, compute_uv=False)[..., -1] <= 1e-10 * max(1.0, np.abs(a).max())
    ),
    "well-separated": lambda a: _hermitian(a) and np.all(np.diff(np.linalg.eigvalsh(a), axis=-1) > 0.5),
    "repeated eigenvalues": lambda a: (
        _hermitian(a) and np.all(np.min(np.diff(np.linalg.eigvalsh(a), axis=-1), axis=-1) < 1e-10)
    ),
    "ill-conditioned": lambda a: np.all(np.linalg.cond(a) > 1e5),
    "complex eigenvalues": lambda a: np.all(np.any(np.abs(np.linalg.eigvals(a).imag) > 0.1, axis=-1)),
}


@pytest.mark.parametrize("kind", sorted(_SQUARE_PROMISES))
def test_square_matrices_keep_their_promise(kind):
    """Each kind of square matrix has the structure its name promises (checked in float64, n >= 2)."""

    @given(S.square_matrices(kinds=(kind,), dtype_names=("float64", "complex128")))
    @settings(max_examples=30)
    def inner(mk):
        a, drawn = mk
        if a.size == 0 or a.shape[-1] < 2 or drawn != kind:  # n < 2 falls back to random
            return
        assert _SQUARE_PROMISES[kind](a), f"{kind}: {a}"

    inner()


def test_square_matrices_reach_every_kind():
    m = S.square_matrices()
    for kind in S.SQUARE_KINDS:
        reach(m, lambda mk, k=kind: mk[1] == k and mk[0].shape[-1] >= 2 and mk[0].size, kind)
    reach(m, lambda mk: mk[0].shape[-1] == 0, "0 x 0")
    reach(m, lambda mk: mk[0].ndim > 2 and 0 in mk[0].shape[:-2], "an empty batch")


def test_matrices_reach_shapes():
    m = S.matrices()
    reach(m, lambda mk: mk[0].shape[-2] > mk[0].shape[-1] > 0, "tall")
    reach(m, lambda mk: 0 < mk[0].shape[-2] < mk[0].shape[-1], "wide")
    reach(m, lambda mk: mk[0].ndim > 2 and mk[0].size, "batched")
    reach(m, lambda mk: 0 in mk[0].shape[-2:], "empty")


@pytest.mark.parametrize("op", list(REGISTRY.values()), ids=list(REGISTRY))
def test_invalid_strategies_name_what_the_message_must_say(op):
    @given(op.invalid)
    @settings(max_examples=20)
    def inner(case):
        assert case.expect, "every invalid case names the word its error message must contain"

    inner()


def test_events_are_recorded():
    before = sum(v for k, v in S.SEEN.items() if k.startswith("layout: "))

    @given(S.gather_args())
    @settings(max_examples=5, database=None)
    def draw(case):
        pass

    draw()
    assert sum(v for k, v in S.SEEN.items() if k.startswith("layout: ")) > before


@given(st.data())
def test_permute_args_are_permutations(data):
    case = data.draw(S.permute_args())
    x, dims = case.args
    assert sorted(d % max(x.ndim, 1) for d in dims) == list(range(x.ndim))


# -- checkpoints (strategies/serialization.py) ------------------------------------------------------


@given(S.serialization.checkpoint_specs())
def test_checkpoint_specs_build_the_same_object_in_torch_and_the_reference(spec):
    """A spec is plain data: torch and the reference build objects that describe alike (values,
    strides, storage offsets, sharing, identity) -- so a round-trip mismatch is the loader's."""
    torch = pytest.importorskip("torch", reason="compares with torch")
    import reference

    describe = S.serialization.describe
    assert describe(spec.build(torch), torch) == describe(spec.build(reference), reference)


@given(S.serialization.checkpoint_specs())
def test_checkpoint_spec_source_builds_the_object(spec):
    """The reproduction a failure prints runs and builds the same object."""
    import reference

    scope: dict = {}
    exec(spec.source().replace("import torch  # or: import reference as torch", "import reference as torch"), scope)
    describe = S.serialization.describe
    assert describe(scope["obj"], reference) == describe(spec.build(reference), reference)


def test_checkpoint_specs_reach_every_hard_case():
    """Each required checkpoint event is reachable (and is recorded from the spec alone)."""

    def reaches(event):
        def predicate(spec):
            saved = dict(S.SEEN)  # this search must not count towards the run's coverage gate
            S.serialization._record_events(spec)
            hit = S.SEEN.get(event, 0) > saved.get(event, 0)
            S.SEEN.clear()
            S.SEEN.update(saved)
            return hit

        return predicate

    for event in S.serialization.REQUIRED_EVENTS:
        find(
            S.serialization.checkpoint_specs(),
            reaches(event),
            settings=settings(max_examples=2000, phases=[Phase.generate], database=None),
        )


def test_crafted_checkpoints_differ_from_the_valid_file_only_where_named():
    """Each crafted file is a zip (or, for the two that are not, says so) and distinct from the others."""
    files = S.serialization.crafted_checkpoints("/nonexistent/marker", bomb_bytes=1 << 20)
    assert len({f.data for f in files}) == len(files)
    assert all(f.says and f.what for f in files)
    import io
    import zipfile

    zips = [f for f in files if f.name not in ("truncated archive", "not a checkpoint")]
    for f in zips:
        assert zipfile.is_zipfile(io.BytesIO(f.data)), f.name


# -- joining and splitting: arguments valid by construction, checked by shape arithmetic alone --------


@given(S.cat_args())
def test_cat_args_agree_off_the_joined_dim(case):
    """Every input but torch's legacy (0,) tensors has the first one's rank and sizes off ``dim``."""
    tensors, dim = case.args
    joined = [t for t in tensors if t.shape != (0,)]
    if joined:
        d = dim % joined[0].ndim
        for t in joined:
            assert t.ndim == joined[0].ndim
            assert [n for k, n in enumerate(t.shape) if k != d] == [n for k, n in enumerate(joined[0].shape) if k != d]


@given(S.stack_args())
def test_stack_args_have_one_shape_and_a_dim_in_range(case):
    tensors, dim = case.args
    assert len({t.shape for t in tensors}) == 1
    assert -(tensors[0].ndim + 1) <= dim <= tensors[0].ndim


@given(S.split_args())
def test_split_sections_sum_to_the_dim(case):
    x, size, dim = case.args
    n = x.shape[dim]
    if isinstance(size, list | tuple):
        assert sum(size) == n and min(size) >= 0
    else:
        assert size > 0 or n == 0


@given(S.narrow_args())
def test_narrow_args_stay_inside_the_dim(case):
    x, dim, start, length = case.args
    n = x.shape[dim]
    start = int(start)
    assert -n <= start <= n and 0 <= length and (start % n if n else 0) + length <= n


def test_joining_strategies_reach_hard_cases():
    reach(
        S.cat_args(),
        lambda c: any(t.shape == (0,) for t in c.args[0]) and any(t.ndim > 1 for t in c.args[0]),
        "a skipped (0,) tensor beside n-d ones",
    )
    reach(S.cat_args(), lambda c: len({t.dtype for t in c.args[0]}) > 1, "inputs of several dtypes")
    reach(
        S.cat_args(),
        lambda c: all(t.ndim == 4 and t.strides[1] == t.itemsize and t.size > 1 for t in c.args[0]),
        "channels-last inputs",
    )
    reach(
        S.chunk_args(),
        lambda c: (
            c.args[0].shape[c.args[2]] > 0
            and -(-c.args[0].shape[c.args[2]] // -(-c.args[0].shape[c.args[2]] // c.args[1])) < c.args[1]
        ),
        "fewer chunks than asked",
    )
    reach(
        S.tensor_split_args(),
        lambda c: isinstance(c.args[1], list) and c.args[1] != sorted(c.args[1]),
        "unsorted indices",
    )
    reach(S.unbind_args(), lambda c: c.args[0].shape[c.args[1]] == 0, "an empty dim")


# -- creation: the values a valid case passes fit the dtype they go to, checked without the reference --


def _target_dtype(case) -> np.dtype | None:
    name = case.kwargs.get("dtype") or case.kwargs.get("out")
    return np.dtype(name) if name else None


@given(S.full_args())
def test_full_values_fit_their_dtype(case):
    """A fill value given with a dtype fits it by c10's rule: integers within range (negatives down to
    -max for unsigned types), floats within the finite range (or special), except the one-element
    float16 quirk the strategy makes on purpose."""
    size, value = case.args
    dt = _target_dtype(case)
    value = np.asarray(value).item()
    if dt is None or dt.kind in "bc" or (dt == np.float16 and int(np.prod(size)) == 1):
        return
    if dt.kind in "iu":
        info = np.iinfo(dt)
        low = -int(info.max) if dt.kind == "u" and isinstance(value, int) else int(info.min)
        assert low <= value <= int(info.max)
    else:
        assert not np.isfinite(value) or abs(value) <= float(np.finfo(dt).max)


@given(S.range_args("linspace"))
def test_range_ends_fit_their_dtype(case):
    """linspace's ends fit an integer dtype they are given with (the kernel converts them checked)."""
    dt = _target_dtype(case)
    if dt is not None and dt.kind in "iu" and case.args[2]:  # zero steps convert no end
        info = np.iinfo(dt)
        for end in case.args[:2]:
            assert info.min <= np.asarray(end).item() <= info.max


def test_creation_strategies_reach_hard_cases():
    reach(S.sized_args("zeros"), lambda c: c.form == "tensor element", "an integer tensor inside the size")
    reach(S.sized_args("ones"), lambda c: c.form == "out resized", "a non-empty out= to resize")
    reach(
        S.full_args(),
        lambda c: (_target_dtype(c) or np.dtype("O")).kind == "u" and np.asarray(c.args[1]).item() < 0,
        "a negative int into an unsigned dtype",
    )
    reach(S.full_like_args(), lambda c: "memory_format" in c.kwargs and c.args[0].ndim == 4, "memory_format, 4-d input")
    reach(
        S.range_args("linspace"),
        lambda c: (_target_dtype(c) or np.dtype("O")).kind == "i" and c.args[2] % 2 == 1 and c.args[2] > 2,
        "an integer dtype with an odd number of steps",
    )
    reach(
        S.range_args("logspace"),
        lambda c: len(c.args) > 3 and c.args[3] < 0 and c.args[2] > 2,
        "a negative base over several steps",
    )


@pytest.mark.parametrize("op", [*S.ONE_DIM_OPS, *S.MULTI_DIM_OPS])
def test_fft_args_keep_their_promise(op):
    """Valid transform cases: finite signals of a real dtype for the real transforms, no empty batch, a
    transformed length of at least 1 (two bins where a complex-to-real transform takes its default
    length), and an ``s`` as long as the dims it names (fft2's: two)."""
    kind = S.ONE_DIM_OPS.get(op) or S.MULTI_DIM_OPS[op][0]
    strategy = S.fft_args(op) if op in S.ONE_DIM_OPS else S.fftn_args(op)

    @given(strategy)
    @settings(max_examples=40)
    def inner(case):
        x, kw = case.args[0], case.kwargs
        assert x.size and np.isfinite(x).all() if x.dtype.kind in "fc" else x.size
        assert kind != "r2c" or x.dtype.kind != "c"
        if op in S.ONE_DIM_OPS:
            axis = kw.get("dim", -1) % x.ndim
            assert kind != "c2r" or "n" in kw or x.shape[axis] >= 2
            return
        s, dim = kw.get("s"), kw.get("dim")
        if s is not None and dim is not None:
            assert len(s) == len(dim)
        if s is not None and S.MULTI_DIM_OPS[op][1] is not None and dim is None:
            assert len(s) == 2

    inner()


def test_fft_strategies_reach_hard_cases():
    reach(S.fft_args("fft.irfft"), lambda c: "n" in c.kwargs and c.kwargs["n"] % 2, "an odd output length")
    reach(S.fft_args("fft.fft"), lambda c: c.kwargs.get("n", 0) > c.args[0].shape[c.kwargs.get("dim", -1)], "padding")
    reach(
        S.fft_args("fft.rfft"),
        lambda c: 0 < c.kwargs.get("n", 99) < c.args[0].shape[c.kwargs.get("dim", -1)],
        "cropping",
    )
    reach(S.fftn_args("fft.fftn"), lambda c: c.kwargs.get("dim") == () or c.args[0].ndim == 0, "no dims")
    reach(S.fftn_args("fft.irfftn"), lambda c: -1 in (c.kwargs.get("s") or ()), "-1 in s")
    reach(S.fftn_args("fft.fft2"), lambda c: not c.args[0].flags.c_contiguous, "a non-contiguous signal")
    reach(S.fftfreq_args(), lambda c: c.kwargs.get("d") == 0, "d = 0")
