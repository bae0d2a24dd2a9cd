"""Registry entries of the shape and view ops (reference/_shape.py, strategies/shape.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ._opinfo import Clause, OpInfo, loop, register
from ._perf import PerfRow, cube, square, wide
from ._signature import Signature


def _permute_call(ns, case, args, kwargs):
    x, dims = args
    if case.form == "varargs":
        return x.permute(*dims)
    if case.form == "tuple":
        return x.permute(dims)
    return ns.permute(x, dims)


def _squeeze_dims(case: Case) -> tuple[int, ...] | None:
    """The dims named by a squeeze case (None: no dim given)."""
    if len(case.args) < 2:
        return None
    d = case.args[1]
    return tuple(d) if isinstance(d, tuple) else (d,)


def _sizes_at(x: np.ndarray, dims) -> list[int]:
    return [x.shape[d] for d in dims] if x.ndim else []


SQUEEZE_RULE = (
    Clause(
        "without dim, every size-1 dim is removed",
        lambda c: _squeeze_dims(c) is None and 1 in c.args[0].shape,
    ),
    Clause("a named dim of size 1 is removed", lambda c: 1 in _sizes_at(c.args[0], _squeeze_dims(c) or ())),
    Clause(
        "a named dim whose size is not 1 stays, without an error",
        lambda c: any(s != 1 for s in _sizes_at(c.args[0], _squeeze_dims(c) or ())),
    ),
    Clause("several dims may be named at once (a tuple)", lambda c: len(_squeeze_dims(c) or ()) >= 2),
    Clause(
        "a negative dim counts from the end",
        lambda c: c.args[0].ndim > 1 and any(d < 0 for d in _squeeze_dims(c) or ()),
    ),
    Clause("a 0-d input accepts dim 0 or -1 and stays 0-d", lambda c: c.args[0].ndim == 0 and len(c.args) > 1),
)


def _squeeze_perf(ns, T, n: int):
    """Squeeze the size-1 dim of an (n, 1) column: a view, whatever n."""
    col = T(wide(n).reshape(-1, 1), True)
    return lambda: col.squeeze(1)


register(
    OpInfo(
        "squeeze",
        Signature("squeeze(input, dim=...)", method=True),
        S.squeeze_args(),
        S.squeeze_invalid(),
        oracle=loop(oracles.squeeze),
        rule=SQUEEZE_RULE,
        perf=_squeeze_perf,
    )
)


def _unsqueeze_position(case: Case) -> int:
    x, dim = case.args
    return dim % (x.ndim + 1)


def _unsqueeze_perf(ns, T, n: int):
    """Unsqueeze dim 0 of an (n/64, 64) tensor: a view."""
    x = T(wide(n), True)
    return lambda: x.unsqueeze(0)


register(
    OpInfo(
        "unsqueeze",
        Signature("unsqueeze(input, dim)", method=True),
        S.unsqueeze_args(),
        S.unsqueeze_invalid(),
        oracle=loop(oracles.unsqueeze),
        rule=(
            Clause(
                "the new size-1 dim sits at position dim of the result, between existing dims",
                lambda c: 0 < _unsqueeze_position(c) < c.args[0].ndim,
            ),
            Clause("dim == input.dim() appends at the end", lambda c: _unsqueeze_position(c) == c.args[0].ndim > 0),
            Clause("a negative dim counts from the end of the result (-1 appends)", lambda c: c.args[1] < 0),
            Clause("a 0-d input becomes 1-d", lambda c: c.args[0].ndim == 0),
        ),
        perf=_unsqueeze_perf,
    )
)


def _flatten_range(case: Case) -> tuple[int, int]:
    x, s, e = case.args
    n = max(x.ndim, 1)
    return s % n, e % n


FLATTEN_RULE = (
    Clause(
        "dims start_dim..end_dim merge into one dim of their product",
        lambda c: c.args[0].ndim > 1 and _flatten_range(c)[0] < _flatten_range(c)[1],
    ),
    Clause(
        "start_dim == end_dim leaves the shape as it is",
        lambda c: c.args[0].ndim > 0 and _flatten_range(c)[0] == _flatten_range(c)[1],
    ),
    Clause("a 0-d input becomes 1-d", lambda c: c.args[0].ndim == 0),
    Clause("negative dims count from the end", lambda c: c.args[0].ndim > 1 and min(c.args[1:]) < 0),
    Clause(
        "a zero-size dim among the merged ones makes the merged dim 0",
        lambda c: c.args[0].ndim > 1 and 0 in c.args[0].shape[_flatten_range(c)[0] : _flatten_range(c)[1] + 1],
    ),
)


def _flatten_perf(ns, T, n: int):
    """Flatten a transposed (64, n/64) tensor: it cannot be a view, so a copy of n elements
    (memory-bound: 4 bytes read and 4 written per element)."""
    tall = T(np.ascontiguousarray(wide(n).T), True).t()
    return {"flatten (non-contiguous)": PerfRow(lambda: ns.flatten(tall), bytes_moved=8 * tall.numel())}


register(
    OpInfo(
        "flatten",
        Signature("flatten(input, start_dim=0, end_dim=-1)", method=True),
        S.flatten_args(),
        S.flatten_invalid(),
        oracle=loop(oracles.flatten),
        rule=FLATTEN_RULE,
        perf=_flatten_perf,
    )
)


def _permute_perf(ns, T, n: int):
    """Permute a cube's dims (a view) and materialise it (a strided copy, memory-bound)."""
    x = T(cube(n), True)
    return {
        "permute (view)": lambda: x.permute(2, 0, 1),
        "permute+contiguous": PerfRow(lambda: x.permute(2, 0, 1).contiguous(), bytes_moved=8 * x.numel()),
    }


register(
    OpInfo(
        "permute",
        _permute_call,
        S.permute_args(),
        S.permute_invalid(),
        oracle=loop(oracles.permute),
        rule=(
            Clause(
                "output dim i is input dim dims[i]",
                lambda c: (
                    list(d % max(c.args[0].ndim, 1) for d in c.args[1]) != sorted(range(c.args[0].ndim))
                    and len(set(c.args[0].shape)) > 1
                ),
            ),
            Clause("negative dims count from the end", event="permute: mixed-sign dims"),
            Clause("a 0-d input takes an empty dims", lambda c: c.args[0].ndim == 0),
        ),
        perf=_permute_perf,
    )
)


def _detach_perf(ns, T, n: int):
    """Detach an (n/64, 64) tensor that requires grad: a view outside the graph."""
    x = T(wide(n), True)
    return lambda: x.detach()


register(
    OpInfo(
        "detach",
        Signature("detach(input)", method=True),
        S.detach_args(),
        S.detach_invalid(),
        oracle=loop(oracles.detach),
        differentiable=False,
        rule=(
            Clause("the result shares the input's storage (a view)", lambda c: c.args[0].size > 0),
            Clause(
                "the result keeps the input's strides",
                lambda c: c.args[0].ndim > 1 and not c.args[0].flags.c_contiguous and c.args[0].size > 1,
            ),
        ),
        perf=_detach_perf,
    )
)


def _reshape_call(name: str):
    def call(ns, case, args, kwargs):
        x, shape = args
        if case.form == "varargs":
            return getattr(x, name)(*shape)
        return getattr(x, name)(shape)

    return call


def _viewable(case: Case) -> bool:
    x, shape = case.args
    try:
        np.reshape(
            x,
            tuple(x.size // max(1, int(np.prod([s for s in shape if s != -1]))) if s == -1 else s for s in shape),
            copy=False,
        )
    except ValueError:
        return False
    return True


def _inferred(case: Case) -> bool:
    return -1 in case.args[1]


def _reshape_perf(ns, T, n: int):
    """Reshape a transposed (64, n/64) tensor to one dim: a copy, as no view can express it."""
    tall = T(np.ascontiguousarray(wide(n).T), True).t()
    return lambda: tall.reshape(-1)


register(
    OpInfo(
        "reshape",
        _reshape_call("reshape"),
        S.reshape_args("reshape"),
        S.reshape_invalid("reshape"),
        rule=(
            Clause("a -1 size is inferred from the others", _inferred),
            Clause(
                "a reshape the strides allow returns a view",
                lambda c: _viewable(c) and c.args[0].size > 1 and not c.args[0].flags.c_contiguous,
            ),
            Clause("a reshape the strides do not allow copies", lambda c: not _viewable(c)),
            Clause("a tensor with no elements takes any shape with none", lambda c: c.args[0].size == 0),
        ),
        perf=_reshape_perf,
    )
)


def _view_perf(ns, T, n: int):
    """View an (n/64, 64) tensor as (64, n/64): metadata only."""
    x = T(wide(n), True)
    return lambda: x.view(64, -1)


register(
    OpInfo(
        "view",
        _reshape_call("view"),
        S.reshape_args("view").filter(_viewable),
        S.reshape_invalid("view"),
        rule=(
            Clause("a -1 size is inferred from the others", _inferred),
            Clause(
                "a non-contiguous input is viewed when the new shape only splits or merges compatible dims",
                lambda c: c.args[0].size > 1 and not c.args[0].flags.c_contiguous,
            ),
            Clause("a tensor with no elements takes any shape with none", lambda c: c.args[0].size == 0),
        ),
        perf=_view_perf,
    )
)


def _transpose_call(ns, case, args, kwargs):
    if case.form == "t":
        return args[0].t()
    x, d0, d1 = args
    return x.transpose(d0, d1) if case.form == "method" else ns.transpose(x, d0, d1)


def _swapped(case: Case) -> tuple[int, int] | None:
    if case.form == "t":
        return None
    x, d0, d1 = case.args
    n = max(x.ndim, 1)
    return d0 % n, d1 % n


def _transpose_perf(ns, T, n: int):
    """Transpose the two dims of an (n/64, 64) tensor: a view."""
    x = T(wide(n), True)
    return lambda: x.transpose(0, 1)


register(
    OpInfo(
        "transpose",
        _transpose_call,
        S.transpose_args(),
        S.transpose_invalid(),
        rule=(
            Clause(
                "dims dim0 and dim1 swap",
                lambda c: (
                    _swapped(c) is not None
                    and c.args[0].ndim > 1
                    and c.args[0].shape[_swapped(c)[0]] != c.args[0].shape[_swapped(c)[1]]
                ),
            ),
            Clause(
                "dim0 == dim1 is allowed and changes nothing",
                lambda c: _swapped(c) is not None and _swapped(c)[0] == _swapped(c)[1],
            ),
            Clause("negative dims count from the end", lambda c: _swapped(c) is not None and min(c.args[1:]) < 0),
            Clause("t() swaps the two dims of a matrix", lambda c: c.form == "t" and c.args[0].ndim == 2),
            Clause("t() returns 0-d and 1-d inputs as they are", lambda c: c.form == "t" and c.args[0].ndim < 2),
        ),
        perf=_transpose_perf,
    )
)


def _triangle_perf(name: str):
    """The op on a sqrt(n)-square float32 matrix (a masked copy)."""

    def perf(ns, T, n: int):
        x = T(square(n), True)
        fn = getattr(ns, name)
        return lambda: fn(x, 1)

    return perf


def _default_strides(shape) -> tuple[int, ...]:
    out, step = [], 1
    for n in reversed(shape):
        out.append(step)
        step *= n
    return tuple(reversed(out))


def _triangle_out_crashes_torch(case, variant: str) -> bool:
    """The out= tensors of test_out.py (``strided``: the dims reversed; ``expanded``: a row repeated) that
    have the input's shape, a batch of matrices, and other strides than the default contiguous ones."""
    shape = np.shape(case.args[0])
    if variant not in ("strided", "expanded") or len(shape) < 3 or 0 in shape:
        return False
    if variant == "strided":
        strides = tuple(reversed(_default_strides(tuple(reversed(shape)))))
    else:
        strides = (0,) * (len(shape) - 1) + (1,)
    return strides != _default_strides(shape)


for _name, _kept in (("tril", "column - row <= diagonal"), ("triu", "column - row >= diagonal")):
    register(
        OpInfo(
            _name,
            Signature(f"{_name}(input, diagonal=0)", method=True, inplace=True, out=True),
            S.triangle_args(_name),
            S.triangle_invalid(_name),
            oracle=loop(getattr(oracles, _name)),
            # torch 2.13 writes a batch into an out= of other strides out of bounds (heap corruption)
            out_crashes_torch=_triangle_out_crashes_torch,
            rule=(
                Clause(f"out[..., i, j] = input[..., i, j] where {_kept}, else 0", lambda c: c.args[0].size > 1),
                Clause(
                    "diagonal > 0 moves the boundary above the main diagonal",
                    event=f"{_name}: diagonal above the main one",
                ),
                Clause("diagonal < 0 moves it below", event=f"{_name}: diagonal below the main one"),
                Clause(
                    "a diagonal beyond the matrix keeps everything or nothing (no error)",
                    event=f"{_name}: diagonal beyond the matrix (all or nothing kept)",
                ),
                Clause("the last two dims are the matrix; others are a batch", event=f"{_name}: a batch of matrices"),
                Clause("non-square matrices too", event=f"{_name}: non-square"),
                Clause("any dtype, bool included", event=f"{_name}: bool input"),
                Clause(
                    "the result is a new contiguous tensor whatever the input's layout",
                    lambda c: not c.args[0].flags.c_contiguous,
                ),
            ),
            perf=_triangle_perf(_name),
        )
    )


def _flip_perf(ns, T, n: int):
    """Flip an (n/64, 64) float32 tensor along both dims."""
    x = T(wide(n), True)
    return lambda: ns.flip(x, (0, 1))


register(
    OpInfo(
        "flip",
        Signature("flip(input, dims)", method=True),
        S.flip_args(),
        S.flip_invalid(),
        oracle=loop(oracles.flip),
        rule=(
            Clause("each listed dim is read backwards", lambda c: bool(c.args[1]) and c.args[0].size > 1),
            Clause("several dims at once", event="flip: several dims"),
            Clause("a negative dim counts from the end", event="flip: negative dim"),
            Clause("no dims: a plain copy", event="flip: no dims (a copy)"),
            Clause("a 0-d input is copied", event="flip: 0-d input"),
            Clause(
                "the result is laid out as input.clone(): a dense layout kept, others made dense in their dim order",
                lambda c: not c.args[0].flags.c_contiguous and c.args[0].ndim > 1,
            ),
        ),
        perf=_flip_perf,
    )
)


def _roll_perf(ns, T, n: int):
    """Roll an (n/64, 64) float32 tensor by 3 rows and 5 columns."""
    x = T(wide(n), True)
    return lambda: ns.roll(x, (3, 5), (0, 1))


register(
    OpInfo(
        "roll",
        Signature("roll(input, shifts, dims=None)", method=True),
        S.roll_args(),
        S.roll_invalid(),
        oracle=loop(oracles.roll),
        rule=(
            Clause(
                "out[i] = input[i - shift] along the dim, modulo its size",
                lambda c: c.args[2] is not None and c.args[0].size > 1,
            ),
            Clause("without dims: flattened, rolled, shaped back", event="roll: flattened (no dims)"),
            Clause("several dims, one after the other", event="roll: several dims"),
            Clause("a dim named twice is rolled twice", event="roll: a dim named twice (rolled twice)"),
            Clause("shifts beyond the size wrap around", event="roll: a shift beyond the size"),
            Clause("negative shifts roll the other way", event="roll: negative shift"),
            Clause(
                "an empty input comes back as its clone, its dims not checked",
                event="roll: an empty input is cloned, its dims unchecked",
            ),
            Clause(
                "the result is laid out as cat's: contiguous, whatever the input's layout ...",
                lambda c: not c.args[0].flags.c_contiguous,
            ),
            Clause("... or channels-last for a channels-last input", event="roll: a channels-last input"),
        ),
        perf=_roll_perf,
    )
)


def _sizes_call(method: str, keyword: str):
    """``x.<method>(sizes)`` (a Tensor method taking sizes) with the sizes as varargs, a tuple, a list or
    by ``keyword=``, as the case's form says."""

    def call(ns, case, args, kwargs):
        x, sizes = args
        fn = getattr(x, method)
        if case.form == "varargs":
            return fn(*sizes)
        if case.form == "list":
            return fn(list(sizes))
        if case.form == "keyword":
            return fn(**{keyword: sizes})
        return fn(sizes)

    return call


def _repeat_perf(ns, T, n: int):
    """Tile an (n/256, 64) float32 tensor 2 x 2 (memory-bound: n/4 read, n written, 4 bytes each)."""
    x = T(wide(n // 4), True)
    return PerfRow(lambda: x.repeat(2, 2), bytes_moved=4 * 5 * x.numel())


register(
    OpInfo(
        "Tensor.repeat",
        _sizes_call("repeat", "repeats"),
        S.repeat_args(),
        S.repeat_invalid(),
        oracle=lambda case, out_dtype: oracles.repeat(*case.args),
        rule=(
            Clause("the input tiled along each dim", lambda c: any(r > 1 for r in c.args[1])),
            Clause(
                "more repeats than dims: leading new dims", event="repeat: more repeats than dims (leading new dims)"
            ),
            Clause("a zero repeat gives an empty dim", event="repeat: a zero repeat (an empty dim)"),
            Clause("a 0-d input repeats into any shape", event="repeat: 0-d input"),
            Clause("the result is a new contiguous tensor", lambda c: not c.args[0].flags.c_contiguous),
        ),
        events=(
            *(f"repeat: form {f}" for f in ("varargs", "tuple", "list", "keyword")),
            *(f"repeat invalid: {d}" for d in ("fewer", "negative", "float")),
        ),
        perf=_repeat_perf,
    )
)


register(
    OpInfo(
        "Tensor.expand",
        _sizes_call("expand", "size"),
        S.expand_args(),
        S.expand_invalid(),
        oracle=lambda case, out_dtype: oracles.expand(*case.args),
        rule=(
            Clause("a size-1 dim stretches (stride 0), as a view", event="expand: a size-1 dim stretched"),
            Clause("-1 keeps a dim's size", event="expand: -1 keeps a dim"),
            Clause("extra sizes add leading dims", event="expand: leading new dims"),
        ),
        events=(
            *(f"expand: form {f}" for f in ("varargs", "tuple", "list", "keyword")),
            *(f"expand invalid: {d}" for d in ("fewer", "mismatch", "leading -1", "negative", "float", "no sizes")),
        ),
        perf=lambda ns, T, n: (lambda col: lambda: col.expand(-1, 64))(T(wide(n)[:, :1], True)),
    )
)
