"""The op registry: one declarative entry (:class:`OpInfo`) per op drives every generic test.

Entries live in one module per domain, named as in ``reference/`` and ``strategies/``: ``shape``,
``joining``, ``selecting``, ``placing``, ``indexing``, ``elementwise``, ``reduction``, ``linalg``, ``norms``, ``decompositions``, ``fft``, ``nn``.  An entry says how to call the op on
either namespace (``torch`` or ``reference``) in each of its call forms, which strategies generate
valid and invalid arguments, how outputs are compared (tolerance family, or a comparison function
for gauge-dependent outputs), its loop-by-loop oracle, its gradient capabilities and exceptions,
and the coverage events it must reach.

Adding an op = the reference function with its VJP, its strategies in ``strategies/<domain>.py``,
and one ``register(OpInfo(...))`` in ``conformance/registry/<domain>.py``.
"""

from . import (  # noqa: F401  (each registers its entries)
    creation,
    decompositions,
    elementwise,
    fft,
    indexing,
    joining,
    linalg,
    nn,
    norms,
    placing,
    random,
    reduction,
    selecting,
    shape,
)
from ._opinfo import REGISTRY, Clause, OpInfo, loop, register
from ._signature import Signature

__all__ = ["REGISTRY", "Clause", "OpInfo", "Signature", "loop", "register"]
