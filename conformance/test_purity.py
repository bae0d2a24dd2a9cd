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
