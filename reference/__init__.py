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
    autograd,
    linalg,
    nn,
    return_types,
)
from ._creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    is_tensor,
    manual_seed,
    numel,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    tensor,
    zeros,
    zeros_like,
)
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
from ._einsum import einsum
from ._elementwise import (
    abs,
    add,
    clamp,
    clamp_max,
    clamp_min,
    clip,
    div,
    eq,
    exp,
    ge,
    gt,
    imag,
    isfinite,
    isnan,
    le,
    log,
    lt,
    mul,
    ne,
    neg,
    pow,
    real,
    sigmoid,
    sub,
    true_divide,
    where,
)
from ._indexing import gather
from ._matmul import matmul, mm
from ._reduction import mean, sum
from ._shape import detach, diag, diagonal, expand, flatten, permute, reshape, squeeze, t, transpose, unsqueeze, view
from ._tensor import Size, Tensor, device
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .linalg import svd_legacy as svd

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
