"""A pure-NumPy executable specification of a subset of PyTorch.

Use it as a drop-in namespace::

    import reference as torch

    x = torch.tensor([[1, 2], [3, 4]])
    torch.gather(x, 1, torch.tensor([[0, 0], [1, 0]]))   # tensor([[1, 1], [4, 3]])

Every op is a small NumPy function whose docstring states torch's rule.  This
package never imports torch.
"""

from . import _dtype as _D
from . import (
    _inplace,  # noqa: F401  (installs in-place methods)
    _operators,  # noqa: F401  (installs Python operators on Tensor)
    _views,  # noqa: F401  (installs the regeneration of stale views' histories)
    autograd,
    backends,
    fft,
    linalg,
    nn,
    optim,
    return_types,
    serialization,
)

# each domain module's __all__ is its part of the torch namespace: adding an op there exports it
from ._bitwise import *  # noqa: F403
from ._clamp import *  # noqa: F403
from ._creation import *  # noqa: F403
from ._dtype import (
    bool,
    can_cast,
    cdouble,
    cfloat,
    complex64,
    complex128,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    result_type,
    set_default_dtype,
    short,
    uint8,
)
from ._einsum import *  # noqa: F403
from ._elementwise import *  # noqa: F403
from ._generator import *  # noqa: F403
from ._indexing import *  # noqa: F403
from ._inplace import relu_  # noqa: F401 (torch.relu_)
from ._joining import *  # noqa: F403
from ._matmul import *  # noqa: F403
from ._norms import *  # noqa: F403
from ._placing import *  # noqa: F403
from ._random import *  # noqa: F403
from ._reduction import *  # noqa: F403
from ._remainder import *  # noqa: F403
from ._selecting import *  # noqa: F403
from ._shape import *  # noqa: F403
from ._storage import UntypedStorage
from ._tensor import Size, Tensor, device
from ._threads import get_num_interop_threads, get_num_threads, set_num_interop_threads, set_num_threads
from .autograd import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .linalg import svd_legacy as svd
from .nn.activation import log_softmax, softmax
from .serialization import load, save

__version__ = "0.1.0"
#: the torch release whose semantics this reference follows
TORCH_VERSION = "2.13.0"


def _legacy_ctor(dt):
    def ctor(*args):
        return Tensor(*args, dtype=dt)

    return ctor


FloatTensor = _legacy_ctor(float32)
DoubleTensor = _legacy_ctor(float64)
LongTensor = _legacy_ctor(int64)
IntTensor = _legacy_ctor(int32)
BoolTensor = _legacy_ctor(bool)
ByteTensor = _legacy_ctor(uint8)


class _Cuda:
    """``torch.cuda`` as seen by the reference: no GPU."""

    @staticmethod
    def is_available() -> _D.builtins.bool:
        return False

    @staticmethod
    def device_count() -> _D.builtins.int:
        return 0


cuda = _Cuda()
