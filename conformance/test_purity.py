"""``reference`` is pure NumPy: it never imports torch, directly or indirectly."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_no_torch_import_statement():
    offenders = []
    for path in (ROOT / "reference").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "torch"]
    assert not offenders


def test_importing_reference_does_not_load_torch():
    code = (
        "import sys, reference as torch\n"
        "x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n"
        "torch.linalg.svd(x); torch.einsum('ij->j', x); x.gather(1, torch.tensor([[0], [1]]))\n"
        "assert 'torch' not in sys.modules, sorted(m for m in sys.modules if m.startswith('torch'))\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# -- layering: low-level modules import no op module, and no package has an import cycle ------------


def _relative_imports(path: pathlib.Path, package: str) -> set[str]:
    """Modules of ``package`` that ``path`` imports (relative imports only, anywhere in the file)."""
    here = path.relative_to(ROOT).with_suffix("").parts[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - node.level + 1]
            target = ".".join(base + tuple((node.module or "").split("."))).strip(".")
            if node.module is None:
                out |= {f"{target}.{a.name}" for a in node.names}
            else:
                out.add(target)
    return {m for m in out if m.split(".")[0] == package}


#: the modules ops are built on; none of them may import an op module
_BELOW_THE_OPS = {
    "reference._dtype",
    "reference._tensor",
    "reference._storage",
    "reference._dims",
    "reference._layout",
    "reference._arguments",
    "reference._out",
    "reference._casting",
    "reference._format",
    "reference._autograd_hooks",
    "reference.autograd.graph",
    "reference.autograd.engine",
    "reference.autograd.grad_mode",
}


def test_low_level_modules_import_no_op_module():
    """Casting, the Tensor, the graph hooks and the autograd engine sit below the ops."""
    offenders = []
    for mod in sorted(_BELOW_THE_OPS):
        path = ROOT / (mod.replace(".", "/") + ".py")
        deps = _relative_imports(path, "reference") - {"reference", "reference.autograd"}
        offenders += [f"{mod} imports {d}" for d in sorted(deps - _BELOW_THE_OPS)]
    assert not offenders, offenders


def test_reports_have_no_import_cycle():
    graph = {
        f"reports.{p.stem}": _relative_imports(p, "reports") - {"reports"} for p in (ROOT / "reports").glob("*.py")
    }

    def visit(mod: str, path: tuple[str, ...]) -> None:
        for dep in graph.get(mod, ()):
            assert dep not in path, " -> ".join(path + (dep,))
            visit(dep, path + (dep,))

    for mod in graph:
        visit(mod, (mod,))
