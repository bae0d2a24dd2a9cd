"""nn: the layers' functional forms and modules, with the arguments where their semantics turn.

Dropout's semantics are in its mode and its probability as much as in its input: ``p`` 0 and evaluation
mode hand back the input itself, ``p`` 1 multiplies by zero, anything between draws a mask from the
default generator in the input's memory order (so the case carries a :class:`~strategies.random.Seeding`
and layouts that are not contiguous), scaled by ``1 / (1 - p)`` in the input's dtype.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._arrays import arrays
from ._case import Case
from ._coverage import record
from .random import NUMBER_P, PRESTATES, SEEDS, Seeding, seedings

__all__ = ["dropout_args", "dropout_invalid"]

DROPOUT_FORMS = ("function", "function eval", "function inplace", "module train", "module eval")


@st.composite
def dropout_args(draw) -> Case:
    """``F.dropout``/``nn.Dropout`` on a float32/float64 input of any layout, ``p`` at 0, 1 and between,
    training or evaluating, in place or not; the generator state as :func:`seedings` makes it (dropout
    takes no ``generator=``)."""
    seeding = draw(seedings("dropout", tuple(s for s in PRESTATES if s != "generator")))
    dtype = draw(st.sampled_from(("float32", "float64")))
    shape = draw(st.sampled_from(((), (0,), (5,), (3, 4), (4, 3), (2, 3, 4))))
    x = draw(arrays(dtype, shape, layouts=("contiguous", "transposed", "sliced")))
    form = draw(st.sampled_from(DROPOUT_FORMS))
    training = form in ("function", "function inplace", "module train")
    p = draw(st.one_of(st.sampled_from((0.5, 0.0, 1.0, 0.2, 0.9)), st.floats(0, 1)))
    if training and not NUMBER_P and 0 < p < 1:  # the mask is MKL's on Intel CPUs: not modelled there
        p = draw(st.sampled_from((0.0, 1.0)))
    if form == "function" and draw(st.integers(0, 4)) == 0:  # torch reads a 0-d tensor p as a double
        p = np.array(p)
        record("dropout: p as a 0-d tensor")
    record(f"dropout: {form}")
    if not training:
        record("dropout: evaluation mode (the input itself)")
    elif p == 0:
        record("dropout: p = 0 (the input itself)")
    elif p == 1:
        record("dropout: p = 1 (multiplied by zero)")
    elif x.size:
        record("dropout: a mask drawn (scaled by 1 / (1 - p))")
        if x.ndim >= 2 and not x.flags.c_contiguous:
            record("dropout: a mask in a non-contiguous input's memory order")
    return Case((seeding, x, p), form=form)


@st.composite
def dropout_invalid(draw) -> Case:
    """A probability outside [0, 1] (ValueError, from the function and from the module's constructor)."""
    p = draw(st.sampled_from((-0.1, 1.5, -1.0, 2.0)))
    form = draw(st.sampled_from(("function", "module train")))
    record(f"dropout invalid: p outside [0, 1] ({form})")
    x = draw(arrays("float32", (3,), layouts=("contiguous",)))
    return Case((Seeding(draw(st.sampled_from(SEEDS))), x, p), form=form, expect="probability")
