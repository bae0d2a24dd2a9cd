"""Which of the installed torch's public operators the registry covers, so that "conforms" is always
read against "on how much".

torch's operators are the public functions of ``torch`` (its native bindings, in-place ``_`` variants
folded into their op), ``torch.linalg``, ``torch.fft``, ``torch.special`` and ``torch.nn.functional``;
an op counts as covered when a registry entry tests it (under its name or one of its aliases).
"""

from __future__ import annotations

NAMESPACES = {"": "", "linalg": "linalg.", "fft": "fft.", "special": "special.", "nn.functional": "nn.functional."}


def torch_operators() -> dict[str, list[str]]:
    """namespace -> sorted public operator names (qualified as the registry spells them)."""
    import importlib

    import torch

    out: dict[str, list[str]] = {}
    for ns, prefix in NAMESPACES.items():
        if ns == "":
            names = {
                n.removesuffix("_") if n.endswith("_") and not n.endswith("__") else n
                for n in dir(torch._C._VariableFunctions)
            }
        else:
            mod = importlib.import_module(f"torch.{ns}")
            names = {n for n in dir(mod) if callable(getattr(mod, n)) and not isinstance(getattr(mod, n), type)}
        out[ns or "torch"] = sorted(prefix + n for n in names if n and not n.startswith("_"))
    return out


def registry_names() -> set[str]:
    from .registry import REGISTRY

    names = set()
    for op in REGISTRY.values():
        if op.name.startswith("fixture."):
            continue
        names.add(op.name)
        if op.signature is not None:
            names.update(op.signature.aliases)
    return names


def coverage() -> dict:
    """Per namespace: operator count, covered names, and the others."""
    covered_names = registry_names()
    result = {}
    for ns, names in torch_operators().items():
        covered = [n for n in names if n in covered_names]
        result[ns] = {
            "total": len(names),
            "covered": covered,
            "not_covered": [n for n in names if n not in covered_names],
        }
    return result
