"""Loop-by-loop definitions of each op, written from torch's documentation with plain Python loops.

They share no code with ``reference`` and never call torch: they are the
independent third opinion that decides which side is wrong when the
reference and torch disagree.  Only meant for small shapes.

Each oracle takes the case's NumPy arguments and returns the expected values
(as an ndarray) -- dtypes are checked elsewhere, against torch's promotion.

One module per domain, named as in ``reference/``, ``strategies/`` and ``conformance/registry/``.
"""

from __future__ import annotations

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
from .selecting import *  # noqa: F403
from .shape import *  # noqa: F403
