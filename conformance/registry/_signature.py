"""Call forms derived from a declaration of how torch accepts an op.

An entry declares its signature once, in torch's own words::

    Signature("add(input, other, *, alpha=1)", method=True, inplace=True,
              operator=operator.add, inplace_operator=operator.iadd, out=True)

and every regular call form follows from it:

- **how** the op is reached: ``function`` (``torch.add``), ``method`` (``x.add``), ``alias NAME`` and
  ``method alias NAME`` (``torch.clip`` and ``x.clip`` for clamp), ``operator`` (``a + b``), ``inplace`` (``x.add_``),
  ``inplace operator`` (``x += b``), ``out`` (``torch.add(..., out=o)``, ``o`` created empty with the
  result's dtype) and ``out wider`` (``o`` of a dtype the result casts to: written, computed in, or
  refused, as torch does);
- ``module`` for ``nn`` modules: ``nn.Flatten(start_dim, end_dim)(input)``, the constructor's
  arguments passed in each style below (``nn.Flatten()(x)`` when every default is omitted);
- **how the arguments are passed**: ``positional`` (every argument given, positionally where torch
  allows, defaults spelled out), ``keywords`` (every argument by its name, ``input=`` included for
  functions) and ``defaults omitted`` (arguments equal to their default left out, so torch applies it).

A parameter declared ``name=...`` may be left out but has no value that can be passed for it
(``squeeze(input, dim=...)``: ``torch.squeeze(x, None)`` is a TypeError).

Strategies generate a case's arguments once (positional for the required parameters, keywords or
positional for the optional ones); :meth:`Signature.forms_for` says which forms fit that case, and
:meth:`Signature.call` runs the one the case carries in ``Case.form`` (``"method + keywords"``).
Irregular signatures (einsum's sublists, permute's varargs) keep a hand-written call instead.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from strategies import Case

#: a parameter that may be left out but has no passable default (``dim=...``)
OMITTED = Ellipsis

#: how the op is reached; whether the form writes into its first argument; whether autograd may record it
HOWS = {
    "function": (False, True),
    "method": (False, True),
    "alias": (False, True),
    "operator": (False, True),
    "inplace": (True, False),
    "inplace operator": (True, False),
    "out": (False, False),
    "out wider": (False, False),
    "module": (False, True),
}
STYLES = ("positional", "keywords", "defaults omitted")


@dataclass(frozen=True)
class Param:
    name: str
    default: Any = None
    required: bool = True
    keyword_only: bool = False


def _parse(text: str) -> tuple[str, tuple[Param, ...]]:
    """``"gather(input, dim, index, *, sparse_grad=False)"`` -> ("gather", params)."""
    name, _, rest = text.partition("(")
    fn = ast.parse(f"def f({rest}: pass").body[0]
    a = fn.args
    params = []
    first_default = len(a.args) - len(a.defaults)
    for i, arg in enumerate(a.args):
        if i < first_default:
            params.append(Param(arg.arg))
        else:
            params.append(Param(arg.arg, ast.literal_eval(a.defaults[i - first_default]), required=False))
    for arg, d in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        if d is None:
            params.append(Param(arg.arg, keyword_only=True))
        else:
            params.append(Param(arg.arg, ast.literal_eval(d), required=False, keyword_only=True))
    return name.strip(), tuple(params)


def _is_default(value, p: Param) -> bool:
    if p.required or isinstance(value, np.ndarray) or isinstance(p.default, np.ndarray):
        return False
    return value is p.default or (type(value) is type(p.default) and value == p.default)


@dataclass(frozen=True)
class Signature:
    """How torch accepts an op; see the module docstring."""

    text: str
    function: bool = True
    method: bool = False
    inplace: bool = False
    operator: Callable | None = None
    inplace_operator: Callable | None = None
    out: bool = False
    aliases: tuple[str, ...] = ()
    #: an ``nn`` module: the first parameter is ``forward``'s input, the others the constructor's
    module: bool = False
    #: ``keyword(name, value, how) -> str``: the keyword torch spells a parameter with where that depends
    #: on the call form or the value (``x.split(split_size=...)`` beside ``torch.split(split_size_or_sections=...)``;
    #: tensor_split's ``sections=``, ``indices=`` or ``tensor_indices_or_sections=`` by the value's type)
    keyword: Callable[[str, Any, str], str] | None = None
    name: str = field(init=False)
    params: tuple[Param, ...] = field(init=False)

    def __post_init__(self) -> None:
        name, params = _parse(self.text)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "params", params)

    # -- which forms exist -------------------------------------------------------------
    def hows(self) -> list[str]:
        if self.module:
            return ["module"]
        hows = ["function"] if self.function else []
        hows += ["method"] if self.method else []
        hows += [f"alias {a}" for a in self.aliases]
        hows += [f"method alias {a}" for a in self.aliases] if self.method else []
        hows += ["operator"] if self.operator else []
        hows += ["inplace"] if self.inplace else []
        hows += ["inplace operator"] if self.inplace_operator else []
        hows += ["out", "out wider"] if self.out else []
        return hows

    def styles(self) -> list[str]:
        defaults = any(not p.required and p.default is not OMITTED for p in self.params[1:])
        return ["positional", "keywords"] + (["defaults omitted"] if defaults else [])

    @staticmethod
    def may_raise(form: str | None) -> bool:
        """Forms in which torch may refuse a valid case, so that agreeing errors are the expected outcome
        (``out wider``: ops that need ``out`` of the result's exact dtype)."""
        return (form or "").startswith("out wider")

    def events(self, op_name: str) -> tuple[str, ...]:
        """One required coverage event per way of reaching the op and per way of passing its arguments."""
        return tuple(f"{op_name}: form {h}" for h in self.hows()) + tuple(
            f"{op_name}: arguments {s}" for s in self.styles()
        )

    # -- binding a case -----------------------------------------------------------------
    def bind(self, case: Case) -> dict[str, Any]:
        """Parameter name -> value for the case, in declaration order, with defaults filled in."""
        given = dict(case.kwargs)
        for p, v in zip(self.params, case.args, strict=False):
            given[p.name] = v
        bound = {}
        for p in self.params:
            if p.name in given:
                bound[p.name] = given[p.name]
            elif not p.required and p.default is not OMITTED:
                bound[p.name] = p.default
        return bound

    def _beyond(self, case: Case) -> bool:
        """More positional arguments than torch's signature has, or an unknown keyword (invalid cases):
        such a call is made exactly as generated."""
        positional = [p for p in self.params if not p.keyword_only]
        names = {p.name for p in self.params}
        return len(case.args) > len(positional) or any(k not in names for k in case.kwargs)

    def _operands_only(self, bound: dict) -> bool:
        return all(_is_default(bound[p.name], p) for p in self.params[2:] if p.name in bound)

    def forms_for(self, case: Case, *, valid: bool, mutating: bool, autograd: bool, fits_inplace) -> list[str]:
        """The forms that express ``case`` (``fits_inplace(case)``: its result fits into its first argument)."""
        if self._beyond(case):
            return [h for h in self.hows() if h in ("function", "method", "module")]
        bound = self.bind(case)
        first_is_tensor = isinstance(next(iter(bound.values()), None), np.ndarray)
        droppable = any(p.name in bound and _is_default(bound[p.name], p) for p in self.params)
        styles = ["positional", "keywords"] + (["defaults omitted"] if droppable else [])
        forms = []
        fits = None
        for how in self.hows():
            writes, records = HOWS["alias" if "alias" in how else how]
            if not valid and how not in ("function", "method", "module"):
                continue  # errors come from the op, not from the way it is reached
            if (writes and not mutating) or (not records and autograd):
                continue
            if how.startswith(("method", "inplace")) and not first_is_tensor:
                continue
            if how.startswith("inplace"):
                if fits is None:  # one reference call per case, however many in-place forms there are
                    fits = fits_inplace(case)
                if not fits:
                    continue
            if how in ("operator", "inplace operator"):
                if self._operands_only(bound):
                    forms.append(how)
                continue
            for style in styles if "alias" not in how else ["positional"]:
                if how.startswith("out") and style == "defaults omitted":
                    continue  # torch's overloads without the omitted argument may take no out= (sum)
                forms.append(how if style == "positional" else f"{how} + {style}")
        return forms

    # -- calling ------------------------------------------------------------------------
    def _arguments(self, bound: dict, style: str, skip_first: bool, how: str = "function") -> tuple[list, dict]:
        params = [p for p in self.params if p.name in bound]
        if style == "defaults omitted":
            params = [p for p in params if not _is_default(bound[p.name], p)]
        if skip_first:
            params = params[1:]
        positional, keywords = [], {}
        in_order = True
        declared = [p.name for p in self.params[1 if skip_first else 0 :]]
        for p in params:
            # positional while nothing before it was left out (and never past the ``*``)
            in_order = in_order and not p.keyword_only and declared[len(positional)] == p.name
            if style != "keywords" and in_order:
                positional.append(bound[p.name])
            else:
                name = self.keyword(p.name, bound[p.name], how) if self.keyword else p.name
                keywords[name] = bound[p.name]
        return positional, keywords

    def call(self, ns, case: Case, args: tuple, kwargs: dict):
        """Run ``case`` on namespace ``ns`` in the form it carries (``args``/``kwargs`` converted already)."""
        how, _, style = (case.form or self.hows()[0]).partition(" + ")
        style = style or "positional"
        if self._beyond(Case(args, kwargs)):
            if how == "method":
                return getattr(args[0], self.name)(*args[1:], **kwargs)
            return _resolve(ns, self.name)(*args, **kwargs)
        bound = self.bind(Case(args, kwargs))
        first = next(iter(bound.values()))
        operands = list(bound.values())[: min(2, len(self.params))]  # ``~x`` and ``+x`` take one
        if how == "operator":
            return self.operator(*operands)
        if how == "inplace operator":
            return self.inplace_operator(*operands)
        if how == "module":
            pos, kw = self._arguments(bound, style, skip_first=True)
            return _resolve(ns, self.name)(*pos, **kw)(first)
        if how.startswith(("method", "inplace")):
            pos, kw = self._arguments(bound, style, skip_first=True, how=how)
            name = how.removeprefix("method alias ") if "alias" in how else self.name.rsplit(".", 1)[-1]
            return getattr(first, name + ("_" if how == "inplace" else ""))(*pos, **kw)
        pos, kw = self._arguments(bound, style, skip_first=False, how=how)
        if how.startswith("alias"):
            return _resolve(ns, how.removeprefix("alias "))(*pos, **kw)
        fn = _resolve(ns, self.name)
        if how.startswith("out"):
            result = fn(*pos, **kw)
            dtype = result.dtype if how == "out" else getattr(ns, _WIDER[str(result.dtype).removeprefix("torch.")])
            return self.call_out(ns, case, args, kwargs, ns.empty(0, dtype=dtype, device=result.device))
        return fn(*pos, **kw)

    def call_out(self, ns, case: Case, args: tuple, kwargs: dict, out):
        """The function form with ``out=out`` (arguments passed in the case's style); torch returns ``out``
        itself, and anything else is an error."""
        _, _, style = (case.form or "function").partition(" + ")
        bound = self.bind(Case(args, kwargs))
        pos, kw = self._arguments(bound, style or "positional", skip_first=False, how="out")
        written = _resolve(ns, self.name)(*pos, **kw, out=out)
        if written is not out:
            raise RuntimeError(f"{self.name}(out=...) returned a tensor other than its out argument")
        return written


#: the dtype of an ``out wider`` tensor: one a result of each dtype can be cast to, but not its own
#: (ops computed by TensorIterator write into it, reductions compute in it, the others refuse it)
_WIDER = {
    "bool": "int64",
    "uint8": "int64",
    "int8": "int64",
    "int16": "int64",
    "int32": "int64",
    "int64": "float64",
    "float16": "float64",
    "float32": "float64",
    "float64": "complex128",
    "complex64": "complex128",
    "complex128": "complex128",
}


def _resolve(ns, dotted: str):
    obj = ns
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def out_tensor(ns, kind: str, shape: tuple[int, ...], dtype, device=None):
    """An ``out=`` tensor of ``ns`` for a result of ``shape``: ``empty`` (no elements: resized to the result,
    taking its layout), ``strided`` (the result's shape, not contiguous: written in place, its strides
    kept; a reversed permutation, or every other element for one dim), ``resized`` (contiguous,
    non-empty, of another shape: resized in its own memory) or ``same count`` (the result's number of
    elements in another shape); on ``device`` (that of the call's tensors) when given."""
    n = int(np.prod(shape, dtype=np.int64))
    opts = {"dtype": dtype} if device is None else {"dtype": dtype, "device": device}
    if kind == "resized":
        return ns.empty(n + 3, **opts)
    if kind == "same count":
        return ns.empty((1, n) if len(shape) == 1 else (n,), **opts)
    if kind == "strided" and len(shape) >= 2:
        return ns.empty(tuple(reversed(shape)), **opts).permute(*reversed(range(len(shape))))
    if kind == "strided" and len(shape) == 1:
        return ns.empty(2 * shape[0], **opts)[::2]
    return ns.empty(0, **opts) if kind == "empty" else ns.empty(shape, **opts)
