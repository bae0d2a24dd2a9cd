"""torch's tensor printing (``repr``), reimplemented from its documented behaviour.

- floats: if every finite non-zero value is an integer, print ``1.`` style;
  otherwise 4 decimals; scientific notation (``1.0000e+05``) when
  max/min of the finite non-zero magnitudes exceeds 1000, the max exceeds
  1e8, or (for non-integers) the min is below 1e-4.  Values are
  right-aligned to a common width.
- more than 1000 elements are summarised with ``...`` (3 edge items).
- lines wrap at 80 characters; each nesting level indents one space.
- suffixes: ``size=`` for empty tensors (other than shape ``(0,)``),
  ``dtype=`` unless the dtype is the default float, int64, bool (or the
  default complex) -- for empty tensors unless it is the default float -- then ``grad_fn=`` or ``requires_grad=True``.
"""

from __future__ import annotations

import math

import numpy as np

from . import _dtype as D

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 80


class _Formatter:
    def __init__(self, values: np.ndarray, floating: bool):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        flat = values.reshape(-1)
        if not floating:
            for v in flat:
                self.width = max(self.width, len(_plain(v)))
            return
        # only nonzero finite values size the columns: nan/inf are printed as they are (torch's rule)
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        mags = np.abs(finite)
        lo, hi = mags.min(), mags.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if self.int_mode:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8
            for v in finite:
                self.width = max(self.width, len(self._sci(v)) if self.sci_mode else len(f"{v:.0f}") + 1)
        else:
            self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
            for v in finite:
                self.width = max(self.width, len(self._sci(v) if self.sci_mode else f"{v:.{PRECISION}f}"))

    @staticmethod
    def _sci(v) -> str:
        return f"{float(v):.{PRECISION}e}"

    def format(self, v) -> str:
        if self.floating:
            f = float(v)
            if self.sci_mode:
                s = f"{f:{self.width}.{PRECISION}e}"
            elif self.int_mode:
                s = f"{f:.0f}" + ("" if math.isinf(f) or math.isnan(f) else ".")
            else:
                s = f"{f:.{PRECISION}f}"
        else:
            s = _plain(v)
        return " " * (self.width - len(s)) + s


def _plain(v) -> str:
    if isinstance(v, np.bool_ | bool):
        return "True" if v else "False"
    return str(int(v))


def _summarized(arr: np.ndarray) -> np.ndarray:
    """The edge items torch shows when summarising (used to size the formatter)."""
    if arr.ndim == 0:
        return arr.reshape(1)
    if arr.shape[0] > 2 * EDGEITEMS:
        parts = [arr[:EDGEITEMS], arr[-EDGEITEMS:]]
    else:
        parts = [arr]
    return (
        np.concatenate([_summarized(p[i]).reshape(-1) for p in parts for i in range(p.shape[0])])
        if arr.ndim > 1
        else np.concatenate(parts)
    )


def _tensor_body(arr: np.ndarray, fmt, indent: int, summarize: bool, width: int = 1) -> str:
    if arr.ndim == 0:
        return fmt(arr.item() if arr.dtype.kind != "b" else bool(arr))
    if arr.ndim == 1:
        n = arr.shape[0]
        if summarize and n > 2 * EDGEITEMS:
            items = [fmt(x) for x in arr[:EDGEITEMS]] + [" ..."] + [fmt(x) for x in arr[-EDGEITEMS:]]
        else:
            items = [fmt(x) for x in arr]
        # torch sizes lines by the formatter's width (which can be narrower than "0." for all-zero floats)
        per_line = max(int(math.floor((LINEWIDTH - indent) / (width + 2))), 1)
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    n = arr.shape[0]
    if summarize and n > 2 * EDGEITEMS:
        rows = [_tensor_body(arr[i], fmt, indent + 1, summarize, width) for i in range(EDGEITEMS)]
        rows += ["..."]
        rows += [_tensor_body(arr[i], fmt, indent + 1, summarize, width) for i in range(n - EDGEITEMS, n)]
    else:
        rows = [_tensor_body(arr[i], fmt, indent + 1, summarize, width) for i in range(n)]
    sep = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    return "[" + sep.join(rows) + "]"


def _complex_formatter(arr: np.ndarray):
    """Real and imaginary parts each sized by their own formatter; returns the element formatter and
    the width torch sizes lines by (both parts and the ``j``)."""
    re = _Formatter(arr.real, True)
    im = _Formatter(arr.imag, True)

    def fmt(v):
        v = complex(v)
        i = (im.format(v.imag) + "j").lstrip()  # a sign is kept ("-0.j"), NaN prints unsigned
        return re.format(v.real) + (i if i[0] in "+-" else "+" + i)

    return fmt, re.width + im.width + 1


def tensor_repr(t) -> str:
    """torch's ``repr``: ``tensor(`` + values formatted by the print options + dtype, device and grad suffixes, wrapped at 80 columns."""
    arr = t._data
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    summarize = arr.size > THRESHOLD
    if arr.size == 0:
        body = "[]"
        if arr.shape != (0,):
            suffixes.append(f"size={tuple(arr.shape)}")
    else:
        sample = _summarized(arr) if summarize else arr
        dt = t.dtype
        if dt.is_complex:
            fmt, width = _complex_formatter(sample)
        else:
            f = _Formatter(sample, dt.is_floating_point)
            fmt, width = f.format, f.width
        body = _tensor_body(arr, fmt, indent, summarize, width)
    # an empty tensor shows its dtype unless it is the default float dtype (its values can't tell)
    default = (
        (D.get_default_dtype(),) if arr.size == 0 else (D.get_default_dtype(), D.int64, D.bool, D.default_complex())
    )
    if t.dtype not in default:
        suffixes.append(f"dtype={t.dtype!r}")
    try:
        grad_fn = t.grad_fn
    except RuntimeError:  # a stale view made in no_grad mode refuses to give one: torch prints it as Invalid
        grad_fn = "Invalid"
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn if isinstance(grad_fn, str) else type(grad_fn).__name__}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """torch starts a new line for a suffix that would pass the line width."""
    parts = [text]
    last = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last + len(suffix) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            last = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last += len(suffix) + 2
    return "".join(parts) + ")"
