"""Expected failures, declared in a TOML file (``--expect FILE``), as narrow as one check.

Each ``[[expected]]`` entry names a target (glob), an op (glob over the registry's names), one
check -- ``values``, ``dtype``, ``shape``, ``strides``, ``in-place`` (the values check of in-place
forms), ``aliasing``, ``errors``, ``gradients`` or ``double backward`` -- optionally a dtype (glob, the dtype of the
case's first array), a mandatory ``reason``, and optionally ``link``, ``owner``, ``review`` (a date)
and ``example`` (a stored falsifying case, JSON data, written by ``--update-expect``)::

    [[expected]]
    target = "meta"
    op = "add"
    check = "errors"
    reason = "meta's add refuses a float alpha for integer inputs with ValueError, eager with RuntimeError"
    link = "https://github.com/pytorch/pytorch/issues/NNNN"

A problem an entry covers is excused (the rest of the case is still checked, and any other
problem fails as usual); a test whose only problems were excused is reported as an expected
failure with the entries' reasons.  An entry with an ``example`` re-runs it before the random
search, so whether the failure is still there does not depend on what the search draws: a stored
example that conforms now makes the test fail as "unexpectedly passed" (strict).  Entries that
apply to no test of the run are listed at the end.  The file is data: it is parsed, never executed.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from strategies import Case

CHECKS = ("values", "dtype", "shape", "strides", "in-place", "aliasing", "errors", "gradients", "double backward")
KEYS = {"target", "op", "check", "dtype", "reason", "link", "owner", "review", "example"}
#: which checks each generic test makes (so which entries it can excuse)
FAMILY = {
    "test_values": {"values", "dtype", "shape", "strides", "in-place", "errors"},
    "test_aliasing": {"aliasing", "values", "dtype", "shape", "strides", "in-place", "errors"},
    "test_errors": {"errors"},
    "test_gradients_match_torch": {"gradients"},
    "test_double_backward_matches_torch": {"double backward"},
}


#: the checks a test is *about*: an example stored without the test that found it replays there
PRIMARY = {
    "test_values": {"values", "dtype", "shape", "strides", "in-place"},
    "test_aliasing": {"aliasing"},
    "test_errors": {"errors"},
    "test_gradients_match_torch": {"gradients"},
    "test_double_backward_matches_torch": {"double backward"},
}


class ExpectationError(ValueError):
    """An expectations file that cannot be used (one line says where and why)."""


@dataclass(frozen=True)
class Expectation:
    index: int
    target: str
    op: str
    check: str
    reason: str
    dtype: str | None = None
    link: str | None = None
    owner: str | None = None
    review: str | None = None
    example: str | None = None

    def covers(self, target: str, op: str, check: str, dtype: str | None) -> bool:
        if not (fnmatch.fnmatchcase(target, self.target) and fnmatch.fnmatchcase(op, self.op)):
            return False
        if check != self.check:
            return False
        return self.dtype is None or (dtype is not None and fnmatch.fnmatchcase(dtype, self.dtype))

    def applies_to(self, target: str, op: str, test: str) -> bool:
        return (
            fnmatch.fnmatchcase(target, self.target)
            and fnmatch.fnmatchcase(op, self.op)
            and self.check in FAMILY.get(test, ())
        )

    @property
    def example_test(self) -> str | None:
        """The generic test whose search found the stored example (it is re-run there, and only there)."""
        if not self.example:
            return None
        return json.loads(self.example).get("test")

    def replays_in(self, target: str, op: str, test: str) -> bool:
        """Whether this entry's stored example runs (strictly) in ``test`` of ``target`` and ``op``."""
        if not self.example or not self.applies_to(target, op, test):
            return False
        found_by = self.example_test
        return found_by == test if found_by else self.check in PRIMARY.get(test, ())

    def describe(self) -> str:
        dt = f" ({self.dtype})" if self.dtype else ""
        return f"[{self.target} / {self.op} / {self.check}{dt}] {self.reason}"


def load(path: str | os.PathLike, op_names: list[str]) -> list[Expectation]:
    """Parse and validate; any problem is an :class:`ExpectationError` naming the entry."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    try:
        doc = tomllib.loads(Path(path).read_text())
    except OSError as e:
        raise ExpectationError(f"{path}: cannot read it ({e.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ExpectationError(f"{path}: not valid TOML ({e})") from None
    extra = set(doc) - {"expected", "tolerance"}
    if extra:
        raise ExpectationError(
            f"{path}: unknown top-level key {sorted(extra)[0]!r} (expected [[expected]] and [[tolerance]] entries)"
        )
    _load_tolerances(path, doc.get("tolerance", []))
    out = []
    for i, (where, e) in enumerate(
        _tables(path, doc.get("expected", []), "expected", KEYS, ("target", "op", "check", "reason"))
    ):
        for key in KEYS - {"target", "op", "check", "reason"}:
            if key in e and not isinstance(e[key], str | _dt.date):
                raise ExpectationError(f"{where}: {key!r} must be a string")
        if e["check"] not in CHECKS:
            raise ExpectationError(f"{where}: unknown check {e['check']!r} (one of {', '.join(CHECKS)})")
        if not any(fnmatch.fnmatchcase(name, e["op"]) for name in op_names):
            raise ExpectationError(f"{where}: op {e['op']!r} matches no op of the registry")
        if "example" in e:
            try:
                case_from_data(json.loads(e["example"]))
            except (ValueError, TypeError, KeyError) as err:
                raise ExpectationError(f"{where}: the stored example is not a case ({err})") from None
        review = e.get("review")
        out.append(
            Expectation(
                i,
                e["target"],
                e["op"],
                e["check"],
                e["reason"].strip(),
                e.get("dtype"),
                e.get("link"),
                e.get("owner"),
                None if review is None else str(review),
                e.get("example"),
            )
        )
    return out


TOLERANCE_KEYS = {"target", "family", "dtype", "rtol", "atol", "reason"}


def _tables(path, entries, name: str, keys: set[str], required: tuple[str, ...]):
    """(where, table) for each ``[[name]]`` entry, after the checks every kind of entry shares."""
    if not isinstance(entries, list):
        raise ExpectationError(f"{path}: {name!r} must be an array of tables ([[{name}]])")
    for i, e in enumerate(entries):
        where = f"{path}: {'entry' if name == 'expected' else name} {i + 1}"
        if not isinstance(e, dict):
            raise ExpectationError(f"{where}: not a table")
        unknown = set(e) - keys
        if unknown:
            raise ExpectationError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(keys))})")
        for key in required:
            if not isinstance(e.get(key), str) or not e[key].strip():
                raise ExpectationError(f"{where}: {key!r} is required (a non-empty string)")
        yield where, e


def _load_tolerances(path, entries) -> None:
    """``[[tolerance]]`` entries: per-target overrides of the tolerance table, each with its reason."""
    from . import tolerances as T

    families = {f for f, _ in T.TABLE}
    out = []
    for where, e in _tables(path, entries, "tolerance", TOLERANCE_KEYS, ("target", "family", "dtype", "reason")):
        for key in ("rtol", "atol"):
            v = e.get(key)
            if not isinstance(v, int | float) or isinstance(v, bool) or not v >= 0:
                raise ExpectationError(f"{where}: {key!r} is required (a number >= 0)")
        if not any(fnmatch.fnmatchcase(f, e["family"]) for f in families):
            raise ExpectationError(f"{where}: family {e['family']!r} matches no family of the tolerance table")
        tol = T.Tolerance(float(e["rtol"]), float(e["atol"]), e["reason"].strip())
        out.append(T.TargetTolerance(e["target"], e["family"], e["dtype"], tol, str(path)))
    T.USER_OVERRIDES[:] = out


# -- problems, classified by the check they belong to ---------------------------------------


def problem_check(test: str, line: str, case: Case) -> str:
    """Which check a problem line of a generic test belongs to."""
    if test == "test_gradients_match_torch":
        return "gradients"
    if test == "test_double_backward_matches_torch":
        return "double backward"
    if test == "test_errors" or " raised " in line or "accepted these arguments" in line:
        return "errors"
    if "(is input, is view, shares memory)" in line or "(a view)" in line or "marks a view" in line:
        return "aliasing"
    if ": strides " in line or ".view(-1)" in line:
        return "strides"
    if ": shape " in line:
        return "shape"
    if ": dtype " in line:
        return "dtype"
    return "in-place" if (case.form or "").startswith("inplace") else "values"


def case_dtype(case: Case) -> str | None:
    arrays = case.arrays()
    return arrays[0].dtype.name if arrays else None


@dataclass
class Ledger:
    """This process's expectations and what each test item did with them."""

    entries: list[Expectation] = field(default_factory=list)
    hits: dict[str, set[int]] = field(default_factory=dict)  # nodeid -> entries that excused a problem
    candidates: dict[str, list[dict]] = field(default_factory=dict)  # nodeid -> unexcused failures

    def excuse(self, problems: list[str], target: str, op: str, test: str, case: Case) -> list[str]:
        """The problems no entry covers; the entries that covered one are recorded as hit."""
        if not problems:
            return problems
        node = current_nodeid()
        dtype = case_dtype(case)
        left = []
        for line in problems:
            check = problem_check(test, line, case)
            match = next((e for e in self.entries if e.covers(target, op, check, dtype)), None)
            if match is None:
                left.append(line)
                self.candidates.setdefault(node, []).append(
                    {
                        "target": target,
                        "op": op,
                        "check": check,
                        "dtype": dtype,
                        "example": case_to_data(case, test),
                        "problem": line,
                    }
                )
            else:
                self.hits.setdefault(node, set()).add(match.index)
        return left


LEDGER = Ledger()


def current_nodeid() -> str:
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]


# -- stored examples as data ----------------------------------------------------------------


def _encode(v):
    if isinstance(v, np.ndarray):
        from .targets import memory_block

        block, shape, strides = memory_block(v)
        if block.dtype.kind == "c":
            values = [[_number(x.real), _number(x.imag)] for x in block.tolist()]
        else:
            values = [_number(x) for x in block.tolist()]
        return {"array": {"dtype": v.dtype.name, "shape": list(shape), "strides": list(strides), "block": values}}
    if isinstance(v, tuple):
        return {"tuple": [_encode(x) for x in v]}
    if isinstance(v, list):
        return [_encode(x) for x in v]
    if isinstance(v, dict):
        return {"dict": {str(k): _encode(x) for k, x in v.items()}}
    if v is None or isinstance(v, bool | int | str):
        return v
    if isinstance(v, float):
        return {"float": _number(v)}
    if isinstance(v, complex):
        return {"complex": [_number(v.real), _number(v.imag)]}
    if v is Ellipsis:
        return {"ellipsis": True}
    raise TypeError(f"cannot store a {type(v).__name__} in an example")


def _number(x):
    if isinstance(x, float) and not np.isfinite(x):
        return str(x)
    return x


def _decode(v):
    if isinstance(v, list):
        return [_decode(x) for x in v]
    if not isinstance(v, dict):
        return v
    ((kind, body),) = v.items()
    if kind == "array":
        dt = np.dtype(body["dtype"])
        if dt.kind == "c":
            block = np.array([complex(float(a), float(b)) for a, b in body["block"]], dtype=dt)
        else:
            block = np.array([float(x) if isinstance(x, str) else x for x in body["block"]], dtype=dt)
        shape, strides = tuple(body["shape"]), tuple(s * dt.itemsize for s in body["strides"])
        if block.size == 0:
            return np.empty(shape, dtype=dt)
        return np.lib.stride_tricks.as_strided(block, shape=shape, strides=strides)
    if kind == "tuple":
        return tuple(_decode(x) for x in body)
    if kind == "dict":
        return {k: _decode(x) for k, x in body.items()}
    if kind == "float":
        return float(body)
    if kind == "complex":
        return complex(float(body[0]), float(body[1]))
    if kind == "ellipsis":
        return Ellipsis
    raise ValueError(f"unknown value kind {kind!r}")


def case_to_data(case: Case, test: str | None = None) -> str | None:
    """The case as JSON text, with the test that found it (None when it holds something that
    cannot be stored)."""
    try:
        return json.dumps(
            {
                "args": _encode(tuple(case.args)),
                "kwargs": _encode(dict(case.kwargs)),
                "form": case.form,
                "kind": case.kind,
                "expect": case.expect,
                "test": test,
            }
        )
    except TypeError:
        return None


def case_from_data(d: dict) -> Case:
    if not isinstance(d, dict) or set(d) - {"args", "kwargs", "form", "kind", "expect", "test"}:
        raise ValueError("expected an object with args, kwargs, form, kind, expect (and test)")
    if d.get("test") is not None and d["test"] not in FAMILY:
        raise ValueError(f"unknown test {d['test']!r}")
    args, kwargs = _decode(d["args"]), _decode(d.get("kwargs", {"dict": {}}))
    if not isinstance(args, tuple) or not isinstance(kwargs, dict):
        raise ValueError("args must be a tuple and kwargs a dict")
    return Case(args, kwargs, expect=d.get("expect"), form=d.get("form"), kind=d.get("kind"))


# -- writing the file from a run (--update-expect) ----------------------------------------------


def _toml_string(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid TOML basic string


def write(path: str | os.PathLike, kept: list[Expectation], new: list[dict]) -> None:
    """The expectations file: the entries still failing, then one entry per new failing check."""
    lines = [
        "# Expected failures (conformance suite, --expect). Written by --update-expect on "
        f"{_dt.date.today().isoformat()}; every entry needs a real reason before review.",
    ]
    for e in kept:
        lines += ["", "[[expected]]"]
        for key in ("target", "op", "check", "dtype", "reason", "link", "owner", "review", "example"):
            value = getattr(e, key)
            if value is not None:
                lines.append(f"{key} = {_toml_string(value)}")
    for n in new:
        lines += ["", "[[expected]]"]
        # no dtype: the random search found one failing example, not every dtype that fails
        for key in ("target", "op", "check"):
            if n.get(key) is not None:
                lines.append(f"{key} = {_toml_string(n[key])}")
        lines.append(f"reason = {_toml_string('observed in a run (explain before review): ' + n['problem'][:200])}")
        if n.get("example"):
            lines.append(f"example = {_toml_string(n['example'])}")
    Path(path).write_text("\n".join(lines) + "\n")
