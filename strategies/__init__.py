"""Public Hypothesis strategies for torch-semantics testing.

Arrays are NumPy arrays (possibly non-contiguous views) so they can be fed to
any backend; per-op strategies return :class:`Case` objects (args, kwargs,
and for invalid cases a word the error message must contain).  Every hard
case generated is recorded with :func:`record` (a Hypothesis event, also
counted in :data:`SEEN`).
"""

from . import (
    creation,
    decompositions,
    devices,
    elementwise,
    fft,
    indexing,
    joining,
    linalg,
    nn,
    nn_programs,
    norms,
    optim,
    placing,
    random,
    reduction,
    selecting,
    serialization,
    shape,
    shared_matrices,
)
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

# one module per domain, the same names as in reference/ and conformance/registry/
from .creation import *  # noqa: F403
from .decompositions import *  # noqa: F403
from .elementwise import *  # noqa: F403
from .fft import *  # noqa: F403
from .indexing import *  # noqa: F403
from .joining import *  # noqa: F403
from .linalg import *  # noqa: F403
from .nn import *  # noqa: F403
from .norms import *  # noqa: F403
from .placing import *  # noqa: F403
from .random import *  # noqa: F403
from .reduction import *  # noqa: F403
from .selecting import *  # noqa: F403
from .shape import *  # noqa: F403
from .shared_matrices import *  # noqa: F403

DOMAINS = (
    creation,
    shape,
    joining,
    selecting,
    placing,
    indexing,
    elementwise,
    reduction,
    linalg,
    norms,
    decompositions,
    fft,
    random,
    nn,
)

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
    "DOMAINS",
    "serialization",
    "devices",
    "nn_programs",
    "shared_matrices",
    *shared_matrices.__all__,
    "optim",
    *(name for domain in DOMAINS for name in domain.__all__),
]
