"""``nn.Module`` and the containers, checked against torch with generated module programs
(``strategies/nn_programs.py``): every observation and every error of each line must be torch's."""

from __future__ import annotations

import copy
import warnings
from collections import OrderedDict

import numpy as np
import torch
from hypothesis import given, note, settings

import reference
import strategies as S
from strategies import example_run


def _summary(ns, value):
    """What an observation shows: tensors by class, dtype, shape, flags and values (bit for bit for
    parameters and state; gradients within float32 rounding, as matrix products sum in another order),
    containers element by element, modules by their repr, anything else by its repr."""
    if isinstance(value, ns.Tensor):
        data = value.detach().numpy() if value.dtype != ns.float16 else value.detach().float().numpy()
        return ("tensor", type(value).__name__, str(value.dtype), tuple(value.shape), value.requires_grad, data.copy())
    if isinstance(value, ns.nn.Module):
        return ("module", repr(value))
    if isinstance(value, list | tuple):
        return tuple(_summary(ns, v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _summary(ns, v)) for k, v in value.items())
    if isinstance(value, ns.dtype):
        return str(value)
    return repr(value)


def _run(ns, program: list[str]) -> list[tuple]:
    env = {"torch": ns, "OrderedDict": OrderedDict, "copy": copy}
    seen = []
    for line in program:
        env.pop("out", None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                exec(line, env)  # noqa: S102 - the generated program's own lines
                outcome = ("ok", _summary(ns, env["out"]) if "out" in env else None)
            except Exception as e:  # noqa: BLE001 - errors are data here
                outcome = ("raised", type(e).__name__, str(e))
        seen.append((line, outcome))
    return seen


def _same(a, b, line: str) -> None:
    if isinstance(a, tuple) and a and a[0] == "tensor":
        assert isinstance(b, tuple) and b[:5] == a[:5], f"{line}: reference {b[:5]} but torch {a[:5]}"
        ra, rb = a[5], b[5]
        if "grad" in line:  # gradients come through matrix products: float32 rounding apart
            assert np.allclose(rb, ra, rtol=1e-5, atol=1e-6, equal_nan=True), f"{line}: gradient values differ"
        else:
            assert ra.tobytes() == rb.tobytes(), f"{line}: values differ from torch's bit for bit"
        return
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        for x, y in zip(a, b, strict=True):
            _same(x, y, line)
        return
    assert a == b, f"{line}: reference {b!r} but torch {a!r}"


@settings(max_examples=max(settings.default.max_examples, 150))
@given(S.nn_programs.module_programs())
def test_module_programs_match_torch(program):
    """Each line of a generated module program does what it does in torch: the same observations
    (names, reprs, flags, state dicts, parameter values bit for bit) and the same errors."""
    example_run()
    note(
        "# the program (runs as is after `import torch, copy; from collections import OrderedDict`, or with "
        "`import reference as torch`):\n" + "\n".join(program)
    )
    theirs, ours = _run(torch, program), _run(reference, program)
    for (line, out_t), (_, out_r) in zip(theirs, ours, strict=True):
        assert out_r[0] == out_t[0], f"{line}: reference {out_r} but torch {out_t}"
        if out_t[0] == "raised":
            assert out_r[1:] == out_t[1:], f"{line}: reference raised {out_r[1:]}, torch {out_t[1:]}"
        else:
            _same(out_t[1], out_r[1], line)
