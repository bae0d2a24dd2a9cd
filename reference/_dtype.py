"""torch dtypes and torch's type-promotion rules, written once.

Rule (``torch.result_type``): operands fall in three priority groups --
dimensioned tensors (ndim >= 1), zero-dim tensors, and Python scalars
("wrapped numbers").  Each group is promoted within itself; then a lower group
only matters if it is of a higher *category* (bool < integer < floating <
complex) than every higher group.  A Python float counts as the default float
dtype (float32), a Python int as int64, a Python complex as complex64.
"""

from __future__ import annotations

import builtins
import math

import numpy as np

__all__ = [
    "dtype",
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "half",
    "float",
    "double",
    "short",
    "int",
    "long",
    "cfloat",
    "cdouble",
    "promote_types",
    "result_type",
    "get_default_dtype",
    "set_default_dtype",
    "can_cast",
]


class dtype:
    """A torch dtype: a name, its NumPy twin, and its category."""

    __slots__ = ("name", "np", "category", "itemsize", "_torch_name")

    # categories, ordered as in torch's promotion lattice
    BOOL, INT, FLOAT, COMPLEX = 0, 1, 2, 3

    def __init__(self, name: str, np_dtype, category: int, torch_name: str):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.category = category
        self.itemsize = self.np.itemsize
        self._torch_name = torch_name  # the C++ name used in torch's messages

    @property
    def is_floating_point(self) -> builtins.bool:
        return self.category == dtype.FLOAT

    @property
    def is_complex(self) -> builtins.bool:
        return self.category == dtype.COMPLEX

    @property
    def is_signed(self) -> builtins.bool:
        return self.name not in ("uint8", "bool")

    def to_real(self) -> dtype:
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self) -> dtype:
        if self.name == "float16":
            # torch gives complex32 (ComplexHalf); NumPy has no such type and the reference does not model it
            raise NotImplementedError("complex32 (ComplexHalf) is not modelled by the reference")
        return {"float32": complex64, "float64": complex128}.get(self.name, self)

    def __repr__(self) -> str:
        # torch prints dtypes as ``torch.float32``; a drop-in namespace prints the same.
        return f"torch.{self.name}"

    def __reduce__(self):
        return (_by_name, (self.name,))


bool = dtype("bool", np.bool_, dtype.BOOL, "Bool")
uint8 = dtype("uint8", np.uint8, dtype.INT, "Byte")
int8 = dtype("int8", np.int8, dtype.INT, "Char")
int16 = dtype("int16", np.int16, dtype.INT, "Short")
int32 = dtype("int32", np.int32, dtype.INT, "Int")
int64 = dtype("int64", np.int64, dtype.INT, "Long")
float16 = dtype("float16", np.float16, dtype.FLOAT, "Half")
float32 = dtype("float32", np.float32, dtype.FLOAT, "Float")
float64 = dtype("float64", np.float64, dtype.FLOAT, "Double")
complex64 = dtype("complex64", np.complex64, dtype.COMPLEX, "ComplexFloat")
complex128 = dtype("complex128", np.complex128, dtype.COMPLEX, "ComplexDouble")

# torch's aliases
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64
cfloat, cdouble = complex64, complex128

ALL_DTYPES = (bool, uint8, int8, int16, int32, int64, float16, float32, float64, complex64, complex128)
_BY_NP = {d.np: d for d in ALL_DTYPES}
_BY_NP_DTYPE = {np.dtype(d.np): d for d in ALL_DTYPES}  # keyed by dtype instances: the hot lookup
_BY_NAME = {d.name: d for d in ALL_DTYPES}


def _by_name(name: str) -> dtype:
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype) -> dtype:
    """The torch dtype for a NumPy dtype; TypeError for one torch cannot hold."""
    found = _BY_NP_DTYPE.get(np_dtype)
    if found is not None:
        return found
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only supported types are: "
            "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint8, and bool."
        ) from None


_default_float = float32


def get_default_dtype() -> dtype:
    """The dtype Python floats become (float32 unless changed)."""
    return _default_float


def set_default_dtype(d: dtype) -> None:
    """Change the default float dtype; torch allows only floating dtypes here."""
    global _default_float
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d!r}")
    _default_float = d


def default_complex() -> dtype:
    """The complex dtype matching the default float dtype (complex64 for float32, complex128 for float64)."""
    return _default_float.to_complex()


def promote_types(a: dtype, b: dtype) -> dtype:
    """torch.promote_types: the smallest dtype both can be cast to.

    Within one category torch agrees with NumPy (uint8 + int8 -> int16,
    float16 + float32 -> float32, float64 + complex64 -> complex128).  Across
    the integral/floating boundary torch does *not* widen: int64 + float16 ->
    float16 (NumPy says float64).
    """
    if a is b:
        return a
    fa = a.category >= dtype.FLOAT
    fb = b.category >= dtype.FLOAT
    if fa and not fb:
        return a
    if fb and not fa:
        return b
    return _BY_NP[np.promote_types(a.np, b.np)]


def scalar_dtype(value) -> dtype:
    """The dtype torch gives a Python scalar when it must become a tensor."""
    if isinstance(value, builtins.bool | np.bool_):
        return bool
    if isinstance(value, builtins.int | np.integer):
        return int64
    if isinstance(value, builtins.float | np.floating):
        return _default_float
    if isinstance(value, builtins.complex | np.complexfloating):
        return default_complex()
    raise TypeError(f"expected a Python number, got {type(value).__name__}")


def _combine_categories(higher: dtype | None, lower: dtype | None) -> dtype | None:
    """Merge a higher-priority group's dtype with a lower group's (torch's rule)."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        # a complex scalar upgrades a float tensor to complex of the same precision
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


_Tensor: type | None = None  # the Tensor class, registered by _tensor (which imports this module)


def register_tensor_class(cls: type) -> None:
    """Tell the dtype layer which class is the Tensor (it sits below ``_tensor`` and cannot import it)."""
    global _Tensor
    _Tensor = cls


def tensor_class() -> type:
    """The Tensor class, for modules that cannot import ``_tensor`` at load time (it imports them)."""
    return _Tensor


def _scalar_joins(value, kind: str) -> builtins.bool:
    """Whether a Python number leaves a tensor of NumPy ``kind`` at its dtype (int: any number dtype; float: float/complex)."""
    t = type(value)
    return (t is builtins.int and kind in "iufc") or (t is builtins.float and kind in "fc")


def _same_kind_result(a, b) -> dtype | None:
    Tensor = _Tensor
    if isinstance(a, Tensor):
        da = a._data.dtype
        if isinstance(b, Tensor):
            return from_numpy_dtype(da) if b._data.dtype is da else None
        return from_numpy_dtype(da) if _scalar_joins(b, da.kind) else None
    if isinstance(b, Tensor) and _scalar_joins(a, b._data.dtype.kind):
        return from_numpy_dtype(b._data.dtype)
    return None


def result_type(*operands) -> dtype:
    """torch.result_type over any mix of Tensors and Python scalars."""
    Tensor = _Tensor
    if len(operands) == 2:  # fast paths: one dtype, or a tensor with a Python number it can hold
        fast = _same_kind_result(*operands)
        if fast is not None:
            return fast
    dim = zero = wrapped = None
    for op in operands:
        if op is None:
            continue
        if isinstance(op, Tensor):
            d = op.dtype
            if op.ndim > 0:
                dim = d if dim is None else promote_types(dim, d)
            else:
                zero = d if zero is None else promote_types(zero, d)
        else:
            d = scalar_dtype(op)
            wrapped = d if wrapped is None else promote_types(wrapped, d)
    out = _combine_categories(dim, _combine_categories(zero, wrapped))
    if out is None:
        raise TypeError("result_type needs at least one operand")
    return out


def can_cast(from_: dtype, to: dtype) -> builtins.bool:
    """torch.can_cast: casting never lowers the category."""
    return from_.category <= to.category


_FLOAT_MAX = {name: builtins.float(np.finfo(name).max) for name in ("float16", "float32", "float64")}


def check_scalar_fits(value, d: dtype, what: str = "value"):
    """Convert a Python scalar for use with dtype ``d`` as torch's c10 does.

    torch refuses a scalar that overflows the target (RuntimeError "value
    cannot be converted to type uint8_t without overflow"), with one quirk kept
    here: unsigned targets accept negatives down to -max (they wrap: -1 -> 255).
    """
    if d.category == dtype.COMPLEX or isinstance(value, builtins.bool | np.bool_) or d is bool:
        return value
    if d.category == dtype.INT:
        if isinstance(value, builtins.float | np.floating):
            return value  # caller promoted already; a float here is never narrowed
        info = np.iinfo(d.np)
        v = builtins.int(value)
        ok = info.min <= v <= info.max or (not d.is_signed and -info.max <= v < 0)
        if not ok:
            raise RuntimeError(f"{what} cannot be converted to type {_c_name(d)} without overflow")
        return v
    if d.category == dtype.FLOAT and isinstance(value, builtins.int | builtins.float | np.number):
        v = builtins.float(value)
        if math.isfinite(v) and abs(v) > _FLOAT_MAX[d.name]:
            raise RuntimeError(f"{what} cannot be converted to type {_c_name(d)} without overflow")
    return value


def _c_name(d: dtype) -> str:
    """The C++ type torch's conversion messages name (the ``scalar_t`` of its dispatch macros)."""
    return {
        "uint8": "uint8_t",
        "int8": "int8_t",
        "int16": "int16_t",
        "int32": "int",
        "int64": "int64_t",
        "float16": "c10::Half",
        "float32": "float",
        "float64": "double",
        "complex64": "c10::complex<float>",
        "complex128": "c10::complex<double>",
    }.get(d.name, d.name)


def _python_number(value):
    """A NumPy scalar or a 0-d tensor's value as the Python number torch's argument parser sees;
    a Python int beyond 64 bits is torch's OverflowError (it reads ints as int64, then uint64)."""
    if isinstance(value, np.generic):
        value = value.item()
    if type(value) is builtins.int or isinstance(value, builtins.int) and not isinstance(value, builtins.bool):
        if value >= 2**64:
            raise OverflowError("int too big to convert")
        if value < -(2**63):
            raise OverflowError("can't convert negative int to unsigned")
    return value


def _overflows(value, d: dtype) -> builtins.bool:
    """c10's ``overflows<To, From>``: whether a real number (Python int or float) does not fit ``d``.
    Integer targets refuse NaN and infinities and compare the value itself (a fraction is not
    truncated first: -0.5 does not fit uint8); unsigned targets take negative *integers* down to -max
    (they wrap); floating targets take infinities and NaN and refuse finite values beyond the largest
    finite one (unrounded: 65519 does not fit float16)."""
    if d.category == dtype.INT:
        info = np.iinfo(d.np)
        if isinstance(value, builtins.int):
            return value > info.max or value < (-info.max if info.min == 0 else info.min)
        if math.isnan(value):
            return True
        return value < builtins.float(info.min) or value > builtins.float(info.max)
    limit = _FLOAT_MAX[d.name if d.category == dtype.FLOAT else {"complex64": "float32"}.get(d.name, "float64")]
    v = builtins.float(value)
    return math.isfinite(v) and abs(v) > limit


def checked_convert(value, d: dtype, *, single_element: builtins.bool = False):
    """A Python number as a value of dtype ``d``, by c10's ``Scalar::to<T>`` (``checked_convert``):
    what ``full``, ``fill_``, ``masked_fill`` and ``scatter`` do with a number.

    - a bool target takes the truth of any number (NaN and complex included) and never overflows;
    - a complex number into a real dtype must have a zero imaginary part;
    - otherwise a value that does not fit (see :func:`_overflows`) is RuntimeError "value cannot be
      converted to type <C++ type> without overflow";
    - a fitting float is truncated into an integer dtype; a negative int wraps into an unsigned one;
      a float equal to 2**63 lands on int64's minimum (the x86 conversion of an out-of-range double).

    ``single_element``: torch fills a one-element float16 tensor through a double without the range
    check (``scalar_fill``), so an out-of-range float becomes inf there, and a complex with an
    imaginary part is refused as a conversion "to type double".
    Returns a NumPy scalar of ``d``."""
    value = _python_number(value)
    if not isinstance(value, builtins.bool | builtins.int | builtins.float | builtins.complex):
        raise TypeError(f"expected a Python number, got {type(value).__name__}")
    if d is bool:
        return np.bool_(builtins.bool(value))
    if isinstance(value, builtins.bool):
        value = builtins.int(value)
    if single_element and d is float16:
        if isinstance(value, builtins.complex) and value.imag != 0:
            raise RuntimeError("value cannot be converted to type double without overflow")
        with np.errstate(over="ignore"):
            return np.float16(builtins.float(value.real if isinstance(value, builtins.complex) else value))
    if isinstance(value, builtins.complex):
        if d.category != dtype.COMPLEX:
            if value.imag != 0:
                raise RuntimeError(f"value cannot be converted to type {_c_name(d)} without overflow")
            value = value.real
        elif _overflows(value.real, d) or _overflows(value.imag, d):
            raise RuntimeError(f"value cannot be converted to type {_c_name(d)} without overflow")
        else:
            return d.np.type(value)
    if _overflows(value, d):
        raise RuntimeError(f"value cannot be converted to type {_c_name(d)} without overflow")
    if d.category == dtype.INT:
        if isinstance(value, builtins.float):
            if value >= 2.0**63:  # only int64 gets here: its max rounds up to 2**63 as a double
                return np.int64(-(2**63))
            value = builtins.int(value)  # truncated towards zero
        return d.np.type(value % 2 ** (8 * d.itemsize) if value < 0 and not d.is_signed else value)
    with np.errstate(over="ignore"):
        return d.np.type(value)


#: the C++ element type of each dtype, as torch's kernel messages print them ("long int", "c10::Half")
C_TYPE_NAMES = {
    "bool": "bool",
    "uint8": "unsigned char",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long int",
    "float16": "c10::Half",
    "float32": "float",
    "float64": "double",
    "complex64": "c10::complex<float>",
    "complex128": "c10::complex<double>",
}
