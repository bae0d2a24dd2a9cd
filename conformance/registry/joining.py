"""Registry entries of joining and splitting (reference/_joining.py, strategies/joining.py)."""

from __future__ import annotations

import numpy as np

import strategies as S
from strategies import Case

from .. import oracles
from ._opinfo import Clause, OpInfo, register
from ._perf import PerfRow, wide
from ._signature import Signature


def _tensors(case: Case) -> list[np.ndarray]:
    return list(case.args[0])


def _joined(case: Case) -> list[np.ndarray]:
    """The inputs cat joins: all but torch's legacy (0,) tensors."""
    return [t for t in _tensors(case) if t.shape != (0,)]


def _halves(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two (n/128, 64) float32 halves: joined, about n elements."""
    x = wide(n)
    half = max(len(x) // 2, 1)
    return x[:half], (x[half : 2 * half] if len(x) > 1 else x)  # equal halves (stack needs one shape)


def _join_perf(name: str, *dim: int):
    """``torch.<name>([a, b], *dim)`` of two (n/128, 64) float32 tensors (memory-bound: each element read
    and written once)."""

    def perf(ns, T, n: int):
        a, b = (T(h, True) for h in _halves(n))
        fn = getattr(ns, name)
        return PerfRow(lambda: fn([a, b], *dim), bytes_moved=8 * (a.numel() + b.numel()))

    return perf


CAT_RULE = (
    Clause("the tensors follow each other along dim", lambda c: len(_joined(c)) > 1),
    Clause("the result's dtype promotes every input's", event="cat: inputs of different dtypes (promoted)"),
    Clause(
        "a 1-d empty tensor (0,) is skipped, whatever its shape beside the others",
        event="cat: a 1-d empty tensor is skipped",
    ),
    Clause(
        "only (0,) tensors give a (0,) result, dim not checked",
        event="cat: only 1-d empty tensors (a (0,) result, dim unchecked)",
    ),
    Clause("an input may be empty along dim", event="cat: an input empty along dim"),
    Clause("one tensor gives a copy", event="cat: a single tensor (a copy)"),
    Clause(
        "a negative dim counts from the end",
        lambda c: isinstance(c.args[1], int) and c.args[1] < 0 and bool(_joined(c)),
    ),
    Clause(
        "channels-last inputs give a channels-last result; otherwise contiguous",
        event="cat: channels-last inputs (a channels-last result)",
    ),
    Clause("a tuple of tensors is taken as a list is", event="cat: a tuple of tensors"),
)


register(
    OpInfo(
        "cat",
        Signature("cat(tensors, dim=0)", out=True, aliases=("concat", "concatenate")),
        S.cat_args(),
        S.cat_invalid(),
        oracle=oracles.cat,
        rule=CAT_RULE,
        events=tuple(
            f"cat invalid: {d}" for d in ("empty list", "0-d", "rank", "size", "range", "element", "dim type")
        ),
        perf=_join_perf("cat", 0),
    )
)


register(
    OpInfo(
        "stack",
        Signature("stack(tensors, dim=0)", out=True),
        S.stack_args(),
        S.stack_invalid(),
        oracle=oracles.stack,
        rule=(
            Clause("the tensors become slices along a new dim", lambda c: len(_tensors(c)) > 1),
            Clause("the new dim may be the last one", event="stack: a new last dim"),
            Clause("the result's dtype promotes every input's", event="stack: inputs of different dtypes (promoted)"),
            Clause("0-d tensors give a 1-d result", event="stack: 0-d tensors (a 1-d result)"),
            Clause(
                "channels-last inputs: cat's channels-last result viewed with the new dim",
                event="stack: channels-last inputs",
            ),
            Clause("empty tensors stack to an empty result", lambda c: _tensors(c)[0].size == 0),
            Clause("a tuple of tensors is taken as a list is", event="stack: a tuple of tensors"),
        ),
        events=tuple(f"stack invalid: {d}" for d in ("empty list", "shape", "range")),
        perf=_join_perf("stack", 0),
    )
)


_HVSTACK_INVALID = tuple(f"hstack/vstack invalid: {d}" for d in ("empty list", "rank", "size"))

register(
    OpInfo(
        "hstack",
        Signature("hstack(tensors)", out=True),
        S.hstack_args(),
        S.hvstack_invalid(),
        oracle=oracles.hstack,
        rule=(
            Clause("1-d tensors join end to end", event="hstack: 1-d inputs join along dim 0"),
            Clause("0-d tensors join as 1-d ones", event="hstack: 0-d tensors become 1-d"),
            Clause("2-d+ tensors join along dim 1", event="hstack: 2-d+ inputs join along dim 1"),
            Clause("the result's dtype promotes every input's", event="hstack: inputs of different dtypes (promoted)"),
        ),
        events=_HVSTACK_INVALID,
        perf=_join_perf("hstack"),
    )
)


register(
    OpInfo(
        "vstack",
        Signature("vstack(tensors)", out=True),
        S.vstack_args(),
        S.hvstack_invalid(),
        oracle=oracles.vstack,
        rule=(
            Clause("1-d tensors become rows", event="vstack: 1-d inputs become rows"),
            Clause("0-d tensors become (1, 1) rows", event="vstack: 0-d tensors become rows"),
            Clause("2-d+ tensors join along dim 0", event="vstack: 2-d+ inputs join along dim 0"),
            Clause("the result's dtype promotes every input's", event="vstack: inputs of different dtypes (promoted)"),
        ),
        events=_HVSTACK_INVALID,
        perf=_join_perf("vstack"),
    )
)


# -- splitting ------------------------------------------------------------------------------------------


def _pieces_perf(make):
    """``make(ns, x)`` on an (n/64, 64) float32 tensor: views, so the cost is per piece, not per element."""

    def perf(ns, T, n: int):
        x = T(wide(n), True)
        return lambda: make(ns, x)

    return perf


register(
    OpInfo(
        "chunk",
        Signature("chunk(input, chunks, dim=0)", method=True),
        S.chunk_args(),
        S.chunk_invalid(),
        oracle=oracles.chunk,
        rule=(
            Clause(
                "pieces of ceil(n / chunks): fewer than asked may come back", event="chunk: fewer pieces than asked"
            ),
            Clause("the last piece may be shorter", event="chunk: a shorter last piece"),
            Clause("pieces are views of the input", event="chunk: even pieces"),
            Clause("an empty dim gives chunks empty pieces", event="chunk: an empty dim gives `chunks` empty pieces"),
        ),
        events=tuple(f"chunk invalid: {d}" for d in ("chunks", "0-d", "range", "float")),
        perf=_pieces_perf(lambda ns, x: ns.chunk(x, 4, 1)),
    )
)


def _split_keyword(name: str, value, how: str) -> str:
    """The method spells the size ``split_size``; the function ``split_size_or_sections``."""
    return "split_size" if name == "split_size_or_sections" and how.startswith("method") else name


register(
    OpInfo(
        "split",
        Signature("split(tensor, split_size_or_sections, dim=0)", method=True, keyword=_split_keyword),
        S.split_args(),
        S.split_invalid(),
        oracle=oracles.split,
        rule=(
            Clause("an int: pieces of that size", event="split: even pieces"),
            Clause("an int: the last piece shorter", event="split: a shorter last piece"),
            Clause("an int at least the dim's size: one piece", event="split: a size at least the dim's (one piece)"),
            Clause("size 0 of an empty dim: one empty piece", event="split: size 0 of an empty dim (one empty piece)"),
            Clause("a list: exactly those sizes", event="split: sections"),
            Clause("a list may hold zeros: empty pieces", event="split: empty sections"),
        ),
        events=tuple(
            f"split invalid: {d}" for d in ("negative", "zero", "sum", "negative section", "0-d", "range", "float")
        ),
        perf=_pieces_perf(lambda ns, x: ns.split(x, 16, 1)),
    )
)


register(
    OpInfo(
        "unbind",
        Signature("unbind(input, dim=0)", method=True),
        S.unbind_args(),
        S.unbind_invalid(),
        oracle=oracles.unbind,
        rule=(
            Clause("every slice along dim, the dim removed", lambda c: c.args[0].shape[c.args[1]] > 1),
            Clause("an empty dim gives no pieces", event="unbind: an empty dim (no pieces)"),
            Clause("a 1-d input gives 0-d pieces", event="unbind: 1-d input (0-d pieces)"),
        ),
        events=tuple(f"unbind invalid: {d}" for d in ("0-d", "range", "float")),
        perf=_pieces_perf(lambda ns, x: ns.unbind(x[:64], 0)),
    )
)


def _tensor_split_keyword(name: str, value, how: str) -> str:
    """torch's overloads name the second argument by its type."""
    if name != "sections":
        return name
    if isinstance(value, list | tuple):
        return "indices"
    return "sections" if isinstance(value, int) else "tensor_indices_or_sections"


register(
    OpInfo(
        "tensor_split",
        Signature("tensor_split(input, sections, dim=0)", method=True, keyword=_tensor_split_keyword),
        S.tensor_split_args(),
        S.tensor_split_invalid(),
        oracle=oracles.tensor_split,
        rule=(
            Clause(
                "sections: sizes differ by at most one, the first ones longer",
                event="tensor_split: uneven sections (the first ones longer)",
            ),
            Clause(
                "more sections than elements: empty pieces at the end",
                event="tensor_split: more sections than elements (empty pieces)",
            ),
            Clause(
                "indices: the pieces between them", lambda c: isinstance(c.args[1], list | tuple) and bool(c.args[1])
            ),
            Clause("a negative index counts from the end", event="tensor_split: a negative index (from the end)"),
            Clause("an index beyond the end is clamped", event="tensor_split: an index beyond the end"),
            Clause("unsorted indices give an empty piece", event="tensor_split: unsorted indices (an empty piece)"),
            Clause("no indices: one piece", event="tensor_split: no indices (one piece)"),
            Clause("an int64 tensor: 0-d as sections", event="tensor_split: sections as a 0-d int64 tensor"),
            Clause("an int64 tensor: 1-d as indices", event="tensor_split: indices as a 1-d int64 tensor"),
        ),
        events=tuple(f"tensor_split invalid: {d}" for d in ("sections", "0-d", "index dtype", "index dims", "range")),
        perf=_pieces_perf(lambda ns, x: ns.tensor_split(x, 4, 1)),
    )
)


register(
    OpInfo(
        "narrow",
        Signature("narrow(input, dim, start, length)", method=True),
        S.narrow_args(),
        S.narrow_invalid(),
        oracle=oracles.narrow,
        rule=(
            Clause("elements start..start+length along dim, as a view", lambda c: c.args[3] > 0),
            Clause("a negative start counts from the end", event="narrow: a negative start (from the end)"),
            Clause("length 0: an empty view", event="narrow: length 0 (an empty view)"),
            Clause("the slice may reach the end", event="narrow: a slice reaching the end"),
            Clause("start may be a 0-d int64 tensor", event="narrow: start as a 0-d int64 tensor"),
        ),
        events=tuple(
            f"narrow invalid: {d}" for d in ("0-d", "length", "past the end", "start", "start tensor", "range")
        ),
        perf=_pieces_perf(lambda ns, x: ns.narrow(x, 1, 8, 32)),
    )
)
