"""Public Hypothesis strategies for torch-semantics testing.

Arrays are NumPy arrays (possibly non-contiguous views) so they can be fed to
any backend; per-op strategies return :class:`Case` objects (args, kwargs,
and for invalid cases a word the error message must contain).  Every hard
case generated is recorded with :func:`record` (a Hypothesis event, also
counted in :data:`SEEN`).
"""

from ._arrays import (
    ALL_DTYPES,
    COMPLEX_DTYPES,
    FLOAT_DTYPES,
    INT_DTYPES,
    LAYOUTS,
    SPECIAL_FLOATS,
    arrays,
    dtypes,
    elements,
    shapes,
)
from ._case import Case
from ._coverage import EXAMPLES, SEEN, example_run, record, reset
from .ops import *  # noqa: F403
from .ops import __all__ as _ops_all
from .support import *  # noqa: F403
from .support import __all__ as _support_all

__all__ = [
    "ALL_DTYPES",
    "COMPLEX_DTYPES",
    "FLOAT_DTYPES",
    "INT_DTYPES",
    "LAYOUTS",
    "SPECIAL_FLOATS",
    "Case",
    "SEEN",
    "EXAMPLES",
    "example_run",
    "arrays",
    "dtypes",
    "elements",
    "record",
    "reset",
    "shapes",
    *_ops_all,
    *_support_all,
]
