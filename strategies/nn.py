"""nn: the layers' functional forms and modules, with the arguments where their semantics turn.

Dropout's semantics are in its mode and its probability as much as in its input: ``p`` 0 and evaluation
mode hand back the input itself, ``p`` 1 multiplies by zero, anything between draws a mask from the
default generator in the input's memory order (so the case carries a :class:`~strategies.random.Seeding`
and layouts that are not contiguous), scaled by ``1 / (1 - p)`` in the input's dtype.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays as hnp_arrays

from ._arrays import arrays, elements, shapes
from ._case import Case
from ._coverage import record
from .random import NUMBER_P, PRESTATES, SEEDS, Seeding, seedings

__all__ = [
    "dropout_args",
    "dropout_invalid",
    "relu_args",
    "relu_invalid",
    "leaky_relu_args",
    "leaky_relu_invalid",
    "softmax_args",
    "softmax_invalid",
    "regression_loss_args",
    "regression_loss_invalid",
    "nll_loss_args",
    "nll_loss_invalid",
    "cross_entropy_args",
    "cross_entropy_invalid",
    "binary_cross_entropy_args",
    "binary_cross_entropy_invalid",
    "binary_cross_entropy_with_logits_args",
    "binary_cross_entropy_with_logits_invalid",
    "unflatten_args",
    "unflatten_invalid",
    "embedding_args",
    "embedding_invalid",
    "layer_norm_args",
    "layer_norm_invalid",
    "batch_norm_args",
    "batch_norm_invalid",
    "conv_args",
    "conv_invalid",
    "conv_transpose_invalid",
    "max_pool_args",
    "max_pool_invalid",
    "avg_pool_args",
    "avg_pool_invalid",
    "bilinear_args",
    "bilinear_invalid",
    "pad_args",
    "pad_invalid",
]

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


# -- activations -------------------------------------------------------------------------------------

RELU_FORMS = ("function", "method", "inplace", "nn.functional", "nn.functional inplace", "module", "module inplace")
LEAKY_RELU_FORMS = ("function", "function inplace", "module", "module inplace")
SOFTMAX_FORMS = ("function", "function dtype", "torch", "method", "module", "implicit dim")


def _float_input(draw, dtype_names=("float32", "float64", "float16"), max_dims: int = 3) -> np.ndarray:
    dt = draw(st.sampled_from([np.dtype(n) for n in dtype_names]))
    return draw(arrays(dt, shapes(max_dims=max_dims), elements_strategy=elements(dt, specials=True, small=True)))


@st.composite
def relu_args(draw) -> Case:
    """torch.relu and its forms (method, in place, F.relu with ``inplace``, nn.ReLU) on integer and
    floating inputs with NaN, -0.0 and zeros (where the gradient is 0)."""
    dt = draw(st.sampled_from([np.dtype(n) for n in ("float32", "float64", "float16", "int64", "int32", "uint8")]))
    x = draw(arrays(dt, shapes(max_dims=3), elements_strategy=elements(dt, specials=True, small=True)))
    form = draw(st.sampled_from(RELU_FORMS))
    record(f"relu: {form}")
    if dt.kind in "iu":
        record("relu: an integer input keeps its dtype")
    if x.size and np.any(x == 0):
        record("relu: a zero input (gradient 0)")
    return Case((x,), form=form)


@st.composite
def relu_invalid(draw) -> Case:
    """A bool input (RuntimeError), a complex one (no order) or no tensor at all."""
    kind = draw(st.sampled_from(("bool", "complex", "not a tensor")))
    record(f"relu invalid: {kind}")
    if kind == "not a tensor":
        return Case(("x",), form="function", expect="input")
    x = draw(arrays("bool" if kind == "bool" else "complex64", (3,), layouts=("contiguous",)))
    return Case(
        (x,), form=draw(st.sampled_from(("function", "module"))), expect="Boolean" if kind == "bool" else "complex"
    )


@st.composite
def leaky_relu_args(draw) -> Case:
    """F.leaky_relu/nn.LeakyReLU, in place or not, with slopes 0.01 (the default), 0, negative and
    above 1; inputs hold zeros (the gradient there is the slope) and NaN."""
    x = _float_input(draw)
    slope = draw(st.sampled_from((0.01, 0.2, 0.0, -0.5, 1.5)))
    form = draw(st.sampled_from(LEAKY_RELU_FORMS))
    record(f"leaky_relu: {form}")
    if slope == 0.01:
        record("leaky_relu: the default slope 0.01")
    elif slope < 0 or slope > 1:
        record("leaky_relu: a slope outside [0, 1]")
    if x.size and np.any(x == 0):
        record("leaky_relu: a zero input (gradient = slope)")
    return Case((x, slope), form=form)


@st.composite
def leaky_relu_invalid(draw) -> Case:
    """An integer input: leaky_relu has no integer kernel (NotImplementedError)."""
    record("leaky_relu invalid: an integer input")
    x = draw(arrays(draw(st.sampled_from(("int64", "int32"))), (3,), layouts=("contiguous",)))
    return Case((x, 0.01), form=draw(st.sampled_from(("function", "module"))), expect="leaky_relu")


def _softmax_dim(draw, x: np.ndarray) -> int:
    n = max(x.ndim, 1)
    return draw(st.integers(-n, n - 1))


@st.composite
def softmax_args(draw, name: str = "softmax") -> Case:
    """softmax/log_softmax along any dim (negative too) of 0-d to 3-d float inputs, empty ones
    included, in every form (torch.*, the method, F.* with ``dtype=``, the module, the implicit dim);
    rows with large logits (the shift by the maximum keeps them finite), -inf and NaN."""
    dt = draw(st.sampled_from([np.dtype(n) for n in ("float32", "float64", "float16")]))
    big = draw(st.booleans())
    bound = 60.0 if dt == np.float16 else 1e4
    elems = (
        st.floats(-bound, bound, width=dt.itemsize * 8).map(dt.type) if big else elements(dt, specials=True, small=True)
    )
    x = draw(arrays(dt, shapes(max_dims=3), elements_strategy=elems))
    form = draw(st.sampled_from(SOFTMAX_FORMS))
    record(f"{name}: {form}")
    kwargs = {}
    if form == "implicit dim":
        dim = None
        record(f"{name}: implicit dim (0 for 0-, 1- and 3-d, else 1)")
    else:
        dim = _softmax_dim(draw, x)
        if dim < 0:
            record(f"{name}: a negative dim")
    if form == "function dtype":
        kwargs["dtype"] = draw(st.sampled_from(("float64", "float32")))
    if big and x.size and np.max(np.abs(x)) > 100:
        record(f"{name}: large logits (exp would overflow without the shift)")
    if x.size and np.any(np.isneginf(x)):
        record(f"{name}: a -inf logit (probability 0)")
    if x.ndim and 0 in x.shape:
        record(f"{name}: an empty input")
    return Case((x, dim), kwargs=kwargs, form=form)


@st.composite
def softmax_invalid(draw, name: str = "softmax") -> Case:
    """An integer input (NotImplementedError) or a dim out of range (IndexError)."""
    kind = draw(st.sampled_from(("integer input", "dim out of range")))
    record(f"{name} invalid: {kind}")
    if kind == "integer input":
        x = draw(arrays("int64", (2, 3), layouts=("contiguous",)))
        return Case((x, 1), form=draw(st.sampled_from(("function", "module"))), expect="not implemented")
    x = draw(arrays("float32", (2, 3), layouts=("contiguous",)))
    return Case(
        (x, draw(st.sampled_from((2, -3, 5)))), form=draw(st.sampled_from(("function", "method"))), expect="Dimension"
    )


# -- losses ---------------------------------------------------------------------------------------------

REDUCTIONS = ("mean", "sum", "none")
LOSS_FORMS = ("function", "module", "legacy size_average/reduce")
#: the legacy pair and the reduction it selects (reduce=False wins over size_average)
LEGACY = {(None, False): "none", (False, None): "sum", (True, True): "mean", (False, False): "none"}


@st.composite
def _reduction(draw, op: str, kwargs: dict) -> str:
    """A reduction passed by ``reduction=`` (the default left out 1 in 3) or by the legacy pair."""
    form = draw(st.sampled_from(LOSS_FORMS))
    if form.startswith("legacy"):
        size_average, reduce = draw(st.sampled_from(sorted(LEGACY, key=str)))
        kwargs.update(size_average=size_average, reduce=reduce)
        reduction = LEGACY[(size_average, reduce)]
    else:
        reduction = draw(st.sampled_from(REDUCTIONS))
        if reduction != "mean" or draw(st.integers(0, 2)):
            kwargs["reduction"] = reduction
    record(f"{op}: reduction {reduction}")
    record(f"{op}: {form}")
    return form


def _probabilities(draw, shape, dtype, low=0.0, high=1.0, edges=True) -> np.ndarray:
    values = st.floats(low, high, width=np.dtype(dtype).itemsize * 8)
    if edges:
        values = st.one_of(values, st.sampled_from((low, high)))
    return draw(
        arrays(dtype, shape, elements_strategy=values.map(np.dtype(dtype).type), layouts=("contiguous", "transposed"))
    )


@st.composite
def regression_loss_args(draw, op: str) -> Case:
    """mse_loss/l1_loss: float inputs of any layout, a target of the same shape or one that broadcasts
    (torch warns), a target of another dtype (promotion), and the weighted form."""
    dt = draw(st.sampled_from(("float32", "float64")))
    shape = draw(shapes(max_dims=3))
    x = draw(arrays(dt, shape, elements_strategy=elements(np.dtype(dt), specials=False, small=True)))
    kwargs: dict = {}
    form = draw(_reduction(op, kwargs))
    target_kind = draw(st.sampled_from(("same shape", "broadcast", "other dtype", "weighted")))
    if target_kind == "weighted" and form != "function":  # only the function takes a weight
        target_kind = "same shape"
    t_shape = shape[1:] if target_kind == "broadcast" and shape else shape
    t_dtype = draw(st.sampled_from(("float64", "int64"))) if target_kind == "other dtype" else dt
    y = draw(arrays(t_dtype, t_shape, elements_strategy=elements(np.dtype(t_dtype), specials=False, small=True)))
    record(f"{op}: target {target_kind}")
    args = [x, y]
    if target_kind == "weighted":
        kwargs["weight"] = _probabilities(draw, shape, dt, edges=False)
    if op == "l1_loss" and x.size and np.any(np.broadcast_to(y, x.shape) == x):
        record("l1_loss: input == target (gradient 0)")
    return Case(tuple(args), kwargs=kwargs, form=form)


REGRESSION_INVALID = ("bad reduction", "shapes do not broadcast", "weight shape", "integer inputs", "not a tensor")


@st.composite
def regression_loss_invalid(draw, op: str) -> Case:
    """A reduction that does not exist (ValueError), a target that does not broadcast (RuntimeError)
    or a weight of another shape (ValueError)."""
    kind = draw(st.sampled_from(REGRESSION_INVALID))
    record(f"{op} invalid: {kind}")
    x = draw(arrays("float32", (2, 3), layouts=("contiguous",)))
    if kind == "integer inputs":  # mse: no integer kernel; l1: mean of an integer tensor
        ints = np.arange(6).reshape(2, 3)
        return Case(
            (ints, ints[::-1].copy()), form="function", expect="not implemented" if op == "mse_loss" else "dtype"
        )
    if kind == "not a tensor":
        return Case((x, 1.5), form="function", expect="size")
    if kind == "bad reduction":
        return Case((x, x.copy()), kwargs={"reduction": "avg"}, form="function", expect="reduction")
    if kind == "shapes do not broadcast":
        return Case((x, np.zeros((3, 2), np.float32)), form="function", expect="size")
    return Case((x, x.copy()), kwargs={"weight": np.ones(3, np.float32)}, form="function", expect="Weights")


def _logits(draw, shape, dt) -> np.ndarray:
    big = draw(st.integers(0, 4)) == 0
    bound = 1e3 if big else 10.0
    x = draw(
        arrays(
            dt,
            shape,
            elements_strategy=st.floats(-bound, bound, width=np.dtype(dt).itemsize * 8).map(np.dtype(dt).type),
            layouts=("contiguous", "transposed", "sliced"),
        )
    )
    if big and x.size and np.max(np.abs(x)) > 100:
        record("cross_entropy: large logits (stable through log_softmax)")
    return x


@st.composite
def _classification(draw, op: str, probabilities_allowed: bool):
    """An input of shape (C,), (N, C) or (N, C, d1[, d2]) and class-index targets (some equal to
    ``ignore_index``), or class probabilities of the input's shape; optional class weights."""
    dt = draw(st.sampled_from(("float32", "float64")))
    c = draw(st.integers(1, 4))
    layout = draw(st.sampled_from(("(N, C)", "(C,)", "(N, C, d)", "(N, C, d1, d2)")))
    n = draw(st.integers(0, 4)) if layout != "(C,)" else None
    spatial = {"(N, C, d)": (draw(st.integers(1, 3)),), "(N, C, d1, d2)": (2, draw(st.integers(1, 2)))}.get(layout, ())
    shape = (c,) if n is None else (n, c, *spatial)
    record(f"{op}: input {layout}")
    x = (
        _logits(draw, shape, dt)
        if op == "cross_entropy"
        else draw(arrays(dt, shape, elements_strategy=elements(np.dtype(dt), specials=False, small=True)))
    )
    kwargs: dict = {}
    probabilities = probabilities_allowed and draw(st.integers(0, 2)) == 0
    if probabilities:
        raw = _probabilities(draw, shape, draw(st.sampled_from((dt, "float64"))), edges=True)
        target = raw
        record(f"{op}: class probabilities as the target")
    else:
        # a (1,) target for a (C,) input (C > 1: of the input's shape it would be probabilities)
        t_shape = ((1,) if c > 1 and draw(st.integers(0, 3)) == 0 else ()) if n is None else (n, *spatial)
        if t_shape == (1,):
            record(f"{op}: a 1-element 1-d target for a 1-d input")
        ignore = draw(st.sampled_from((-100, -100, 0, -1)))
        if ignore != -100:
            kwargs["ignore_index"] = ignore
        classes = st.integers(0, c - 1)
        target = draw(hnp_arrays(np.int64, t_shape, elements=st.one_of(classes, st.just(ignore))))
        if len(shape) <= 2 and draw(st.integers(0, 5)) == 0:  # uint8 targets: 1-d and 2-d inputs only
            target = target.astype(np.uint8) if np.all(target >= 0) else target
        record(f"{op}: class indices as the target")
        kept = target != ignore
        if target.size and not np.all(kept):
            record(f"{op}: an ignored target")
        if target.size and not np.any(kept):
            record(f"{op}: every target ignored")
    if draw(st.booleans()):
        kwargs["weight"] = _probabilities(draw, (c,), dt, low=0.125, high=2.0, edges=False)
        record(f"{op}: class weights")
    return x, target, kwargs, probabilities


@st.composite
def nll_loss_args(draw) -> Case:
    """nll_loss on (C,), (N, C) and spatial inputs, with ignored targets, weights and every reduction."""
    x, target, kwargs, _ = draw(_classification("nll_loss", False))
    form = draw(_reduction("nll_loss", kwargs))
    if "weight" in kwargs and draw(st.booleans()):
        form += " (constant weight)"
    return Case((x, target), kwargs=kwargs, form=form)


@st.composite
def cross_entropy_args(draw) -> Case:
    """cross_entropy with class indices or probabilities, weights, ignore_index, label smoothing
    (0, between, 1) and every reduction; large logits."""
    x, target, kwargs, probabilities = draw(_classification("cross_entropy", True))
    if probabilities:
        kwargs.pop("ignore_index", None)
    smoothing = draw(st.sampled_from((0.0, 0.0, 0.1, 0.5, 1.0)))
    if smoothing:
        kwargs["label_smoothing"] = smoothing
        record("cross_entropy: label smoothing")
    form = draw(_reduction("cross_entropy", kwargs))
    if "weight" in kwargs and draw(st.booleans()):
        form += " (constant weight)"
    return Case((x, target), kwargs=kwargs, form=form)


NLL_INVALID = (
    "a 1-d target of size 2 for a 1-d input",
    "a spatial target of another shape",
    "a 2-d target for a 4-d input",
    "not a tensor",
    "bad reduction",
    "batch mismatch",
    "multi-target",
    "0-d input",
    "target out of range",
    "int32 target",
    "weight size",
)
#: cross_entropy's own errors, and those of nll_loss its class-index path reaches first (the rest: nll_loss's)
CROSS_ENTROPY_INVALID = (
    "label smoothing above 1",
    "batch mismatch",
    "integer probabilities",
    "ignore_index with probabilities",
    "0-d input",
)


@st.composite
def nll_loss_invalid(draw, op: str = "nll_loss") -> Case:
    """torch's errors: a target out of range (IndexError), an int32 target, a batch mismatch
    (ValueError), a 2-d target for a 2-d input, a weight of the wrong size, a bad reduction; for
    cross_entropy also label smoothing above 1 and probabilities with an integer dtype or with
    ``ignore_index``."""
    kind = draw(st.sampled_from(CROSS_ENTROPY_INVALID if op == "cross_entropy" else NLL_INVALID))
    record(f"{op} invalid: {kind}")
    x = draw(arrays("float32", (3, 4), layouts=("contiguous",)))
    t = np.array([0, 3, 1])
    if kind == "a 1-d target of size 2 for a 1-d input":
        return Case((x[0], np.array([1, 2])), form="function", expect="target")
    if kind == "a spatial target of another shape":
        return Case(
            (np.zeros((2, 3, 2, 2), np.float32), np.zeros((2, 2, 3), np.int64)), form="function", expect="target"
        )
    if kind == "a 2-d target for a 4-d input":
        return Case((np.zeros((2, 3, 2, 2), np.float32), np.zeros((2, 2), np.int64)), form="function", expect="target")
    if kind == "not a tensor":
        return Case((x, 1), form="function", expect="target")
    if kind == "target out of range":
        t = np.array([0, draw(st.sampled_from((4, 7, -1))), 1])
        return Case((x, t), form="function", expect="out of bounds", kind="value")
    if kind == "int32 target":
        return Case((x, t.astype(np.int32)), form="function", expect="Long")
    if kind == "batch mismatch":
        return Case((x, t[:2]), form="function", expect="batch_size")
    if kind == "multi-target":
        return Case((x, t.reshape(3, 1)), form="function", expect="target")
    if kind == "weight size":
        return Case(
            (x, t), kwargs={"weight": np.ones(3, np.float32)}, form="function (constant weight)", expect="weight"
        )
    if kind == "0-d input":  # nll_loss: ValueError; cross_entropy: no class dim for log_softmax (IndexError)
        target = np.array([0]) if op == "cross_entropy" else np.array(0)
        expect = "Dimension" if op == "cross_entropy" else "dimensions"
        return Case((np.array(1.0, np.float32), target), form="function", expect=expect)
    if kind == "label smoothing above 1":
        return Case((x, t), kwargs={"label_smoothing": 1.5}, form="function", expect="label_smoothing")
    if kind == "integer probabilities":
        return Case((x, np.ones((3, 4), np.int64)), form="function", expect="floating point")
    if kind == "ignore_index with probabilities":
        return Case(
            (x, np.full((3, 4), 0.25, np.float32)), kwargs={"ignore_index": 1}, form="function", expect="ignore_index"
        )
    return Case((x, t), kwargs={"reduction": "elementwise"}, form="function", expect="reduction")


@st.composite
def cross_entropy_invalid(draw) -> Case:
    """:func:`nll_loss_invalid`'s errors through cross_entropy, and its own."""
    return draw(nll_loss_invalid("cross_entropy"))


@st.composite
def binary_cross_entropy_args(draw) -> Case:
    """Probabilities in [0, 1] (0 and 1 themselves: the logs are clamped at -100), targets in
    [0, 1], weights that broadcast, every reduction."""
    dt = draw(st.sampled_from(("float32", "float64")))
    shape = draw(shapes(max_dims=3))
    x = _probabilities(draw, shape, dt)
    y = _probabilities(draw, shape, dt)
    kwargs: dict = {}
    form = draw(_reduction("binary_cross_entropy", kwargs))
    if x.size and np.any((x == 0) | (x == 1)):
        record("binary_cross_entropy: an input at 0 or 1 (log clamped at -100)")
    if draw(st.booleans()):
        kwargs["weight"] = _probabilities(draw, shape[1:] if shape else (), dt, low=0.125, high=2.0, edges=False)
        record("binary_cross_entropy: weight")
        if draw(st.booleans()):
            form += " (constant weight)"
    return Case((x, y), kwargs=kwargs, form=form)


BCE_INVALID = (
    "input outside [0, 1]",
    "target outside [0, 1]",
    "target size",
    "target dtype",
    "a weight larger than the target",
    "integer inputs",
    "not a tensor",
)


@st.composite
def binary_cross_entropy_invalid(draw) -> Case:
    """An input or target outside [0, 1], a target of another size (ValueError) or dtype."""
    kind = draw(st.sampled_from(BCE_INVALID))
    record(f"binary_cross_entropy invalid: {kind}")
    x = np.array([0.2, 0.7, 0.5], np.float32)
    if kind == "a weight larger than the target":
        return Case(
            (x, x), kwargs={"weight": np.ones((2, 3), np.float32)}, form="function (constant weight)", expect="shape"
        )
    if kind == "integer inputs":
        return Case((np.array([1, 0]), np.array([1, 0])), form="function", expect="not implemented")
    if kind == "not a tensor":
        return Case((x, 1), form="function", expect="size")
    if kind == "input outside [0, 1]":
        return Case((x * 3, x), form="function", expect="input", kind="value")
    if kind == "target outside [0, 1]":
        return Case((x, x - 1), form="function", expect="target", kind="value")
    if kind == "target size":
        return Case((x, x[:2]), form="function", expect="size")
    return Case((x, x.astype(np.float64)), form="function", expect="dtype")


@st.composite
def binary_cross_entropy_with_logits_args(draw) -> Case:
    """Logits of any size (large ones too: the loss stays finite), targets in [0, 1], ``weight`` and
    ``pos_weight`` (one per class, along the last dim), every reduction."""
    dt = draw(st.sampled_from(("float32", "float64")))
    shape = draw(shapes(max_dims=3))
    bound = draw(st.sampled_from((10.0, 100.0)))
    x = draw(
        arrays(
            dt,
            shape,
            elements_strategy=st.floats(-bound, bound, width=np.dtype(dt).itemsize * 8).map(np.dtype(dt).type),
        )
    )
    y = _probabilities(draw, shape, draw(st.sampled_from((dt, "float64"))))
    if y.dtype != x.dtype:
        record("binary_cross_entropy_with_logits: a target of another dtype (promoted)")
    kwargs: dict = {}
    form = draw(_reduction("binary_cross_entropy_with_logits", kwargs))
    constant = False
    if draw(st.booleans()):
        kwargs["weight"] = _probabilities(draw, shape[1:] if shape else (), dt, low=0.125, high=2.0, edges=False)
        record("binary_cross_entropy_with_logits: weight")
        constant = draw(st.booleans())
    if shape and draw(st.booleans()):
        kwargs["pos_weight"] = _probabilities(draw, shape[-1:], dt, low=0.0, high=3.0, edges=False)
        record("binary_cross_entropy_with_logits: pos_weight")
        constant = constant or draw(st.booleans())
    if constant:
        form += " (constant weight)"
    if x.size and np.max(np.abs(x)) > 50:
        record("binary_cross_entropy_with_logits: large logits (no overflow)")
    return Case((x, y), kwargs=kwargs, form=form)


BCEL_INVALID = ("target size", "bad reduction", "an integer input", "an integer target", "a bool target")


@st.composite
def binary_cross_entropy_with_logits_invalid(draw) -> Case:
    """A target of another size (ValueError) or a bad reduction."""
    kind = draw(st.sampled_from(BCEL_INVALID))
    record(f"binary_cross_entropy_with_logits invalid: {kind}")
    x = np.array([0.2, -7.0, 3.0], np.float32)
    if kind == "an integer input":
        return Case((np.array([1, 0, 2]), x), form="function", expect="not implemented")
    if kind == "an integer target":
        return Case((x, np.array([1, 0, 1])), form="function", expect="cast")
    if kind == "a bool target":
        return Case((x, np.array([True, False, True])), form="function", expect="bool")
    if kind == "target size":
        return Case((x, x[:2]), form="function", expect="size")
    return Case((x, x), kwargs={"reduction": "batchmean"}, form="function", expect="reduction")


# -- reshaping, lookup and normalization layers ------------------------------------------------------------

UNFLATTEN_INVALID = ("sizes that do not multiply up", "a dim out of range", "a size that is no tuple")
EMBEDDING_INVALID = ("an index out of range", "a float index", "a padding_idx out of range", "a negative index")
LAYER_NORM_INVALID = ("an input of another shape", "a weight of another shape", "an integer input")
BATCH_NORM_INVALID = (
    "one value per channel in training",
    "a 4-d input to BatchNorm1d",
    "a 2-d input to BatchNorm2d",
    "running statistics of another size",
    "evaluation without running statistics",
)


@st.composite
def unflatten_args(draw) -> Case:
    """nn.Unflatten of a dim (negative too) into sizes given as a tuple or a list, one of them -1."""
    x = draw(
        arrays(
            draw(st.sampled_from(("float32", "float64"))),
            st.sampled_from(((2, 6), (6,), (3, 4, 2), (0, 6))),
            layouts=("contiguous", "transposed", "sliced"),
        )
    )
    dims = [d for d in range(-x.ndim, x.ndim) if x.shape[d] in (6, 4)]
    dim = draw(st.sampled_from(dims))
    n = x.shape[dim]
    sizes = draw(st.sampled_from(((2, n // 2), (n // 2, 2), (1, n), (n, 1, 1))))
    if draw(st.booleans()):
        sizes = tuple(-1 if i == 0 else s for i, s in enumerate(sizes))
        record("Unflatten: a -1 size inferred")
    if draw(st.booleans()):
        sizes = list(sizes)
        record("Unflatten: sizes as a list")
    if dim < 0:
        record("Unflatten: a negative dim")
    return Case((x, dim, sizes), form="module")


@st.composite
def unflatten_invalid(draw) -> Case:
    kind = draw(st.sampled_from(UNFLATTEN_INVALID))
    record(f"Unflatten invalid: {kind}")
    x = np.zeros((2, 6), np.float32)
    if kind == "sizes that do not multiply up":
        return Case((x, 1, (2, 4)), form="module", expect="multiply")
    if kind == "a dim out of range":
        return Case((x, 3, (2, 3)), form="module", expect="Dimension")
    return Case((x, 1, 6), form="module", expect="tuple")


EMBEDDING_FORMS = ("function", "module")


@st.composite
def embedding_args(draw) -> Case:
    """Indices of any shape (empty too, int64 or int32, repeated) into a table, with ``padding_idx``
    (negative too), ``scale_grad_by_freq`` and ``max_norm`` (rows renormalised in place), by the
    function or the module (given the table as ``_weight``)."""
    num, dim = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    shape = draw(st.sampled_from(((3,), (2, 2), (), (0,), (2, 1, 3))))
    idx = draw(hnp_arrays(draw(st.sampled_from((np.int64, np.int32))), shape, elements=st.integers(0, num - 1)))
    table = draw(
        arrays(
            draw(st.sampled_from(("float32", "float64"))),
            (num, dim),
            elements_strategy=st.floats(-3, 3, width=32),
            layouts=("contiguous",),
        )
    )
    kwargs: dict = {}
    if draw(st.booleans()):
        kwargs["padding_idx"] = draw(st.integers(-num, num - 1))
        record("embedding: padding_idx (no gradient for its row)")
    if draw(st.integers(0, 3)) == 0:
        kwargs["scale_grad_by_freq"] = True
        record("embedding: scale_grad_by_freq")
    if draw(st.integers(0, 4)) == 0:
        kwargs["max_norm"] = draw(st.sampled_from((1.0, 0.5)))
        record("embedding: max_norm (rows renormalised in place)")
    if idx.size > len(np.unique(idx)):
        record("embedding: a repeated index (gradients add up)")
    if idx.dtype == np.int32:
        record("embedding: int32 indices")
    form = draw(st.sampled_from(EMBEDDING_FORMS))
    record(f"embedding: {form}")
    return Case((idx, table), kwargs=kwargs, form=form)


@st.composite
def embedding_invalid(draw) -> Case:
    kind = draw(st.sampled_from(EMBEDDING_INVALID))
    record(f"embedding invalid: {kind}")
    table = np.zeros((4, 2), np.float32)
    if kind == "an index out of range":
        return Case((np.array([0, 4]), table), form="function", expect="index", kind="value")
    if kind == "a negative index":
        return Case((np.array([-1]), table), form="function", expect="index", kind="value")
    if kind == "a float index":
        return Case((np.array([1.0]), table), form="function", expect="indices")
    return Case((np.array([0]), table), kwargs={"padding_idx": 4}, form="function", expect="Padding_idx")


LAYER_NORM_FORMS = ("function", "function affine", "module", "module without bias", "module without affine")


@st.composite
def layer_norm_args(draw) -> Case:
    """layer_norm over the last one or two dims of float inputs of any layout, with or without weight
    and bias, a few values per slice or one (variance 0: x - mean is 0), large offsets."""
    dt = draw(st.sampled_from(("float32", "float64")))
    shape = draw(st.sampled_from(((2, 3), (4, 2, 3), (3,), (2, 1), (0, 3), (2, 3, 1))))
    # a large offset in float64 only: torch's float32 moments lose ~eps * (mean / std)**2 there
    offset = draw(st.sampled_from((0.0, 0.0, 100.0))) if dt == "float64" else 0.0
    x = draw(
        arrays(
            dt,
            shape,
            elements_strategy=st.floats(offset - 3, offset + 3, width=32),
            layouts=("contiguous", "transposed", "sliced"),
        )
    )
    k = draw(st.integers(1, min(2, len(shape))))
    normalized = tuple(shape[len(shape) - k :])
    if int(np.prod(normalized)) > 1:  # (one value per slice normalizes to exactly 0: kept)
        x, dt = _spread_or_double(x, tuple(range(x.ndim - k, x.ndim)))
    form = draw(st.sampled_from(LAYER_NORM_FORMS))
    record(f"layer_norm: {form}")
    if int(np.prod(normalized)) == 1:
        record("layer_norm: one value per slice (variance 0)")
    if offset:
        record("layer_norm: a large offset (the mean is subtracted first)")
    w = draw(arrays(dt, normalized, elements_strategy=st.floats(-2, 2, width=32), layouts=("contiguous",)))
    b = draw(arrays(dt, normalized, elements_strategy=st.floats(-2, 2, width=32), layouts=("contiguous",)))
    eps = draw(st.sampled_from((1e-5, 1e-3)))
    return Case((x, normalized, w, b, eps), form=form)


@st.composite
def layer_norm_invalid(draw) -> Case:
    kind = draw(st.sampled_from(LAYER_NORM_INVALID))
    record(f"layer_norm invalid: {kind}")
    x = np.zeros((2, 3), np.float32)
    w = np.ones(3, np.float32)
    if kind == "an input of another shape":
        return Case((np.zeros((2, 4), np.float32), (3,), w, w, 1e-5), form="function", expect="normalized_shape")
    if kind == "a weight of another shape":
        return Case((x, (3,), np.ones(4, np.float32), w, 1e-5), form="function affine", expect="weight")
    return Case((np.zeros((2, 3), np.int32), (3,), w, w, 1e-5), form="function", expect="not implemented")


BATCH_NORM_FORMS = (
    "function training",
    "function evaluation",
    "module training",
    "module evaluation",
    "module without running statistics",
)


def _spread_or_double(x: np.ndarray, dims: tuple) -> tuple[np.ndarray, str]:
    """A float32 input whose normalized slices hold (nearly) equal values normalizes rounding noise
    (x - mean is an ulp, times 1/sqrt(eps)): torch's and any other float32 result is noise there.
    Such an input is taken in float64 instead, where the noise is far below the tolerance."""
    if x.dtype == np.float32 and x.size:
        spread = np.var(x.astype(np.float64), axis=dims)
        if np.any(spread < 1e-2):
            record("normalization: a float32 input with a constant slice, taken in float64")
            return x.astype(np.float64), "float64"
    return x, x.dtype.name


@st.composite
def batch_norm_args(draw) -> Case:
    """batch_norm in training (the batch's statistics, running ones updated) and evaluation (the
    running ones), by the function (weight/bias or not) and by BatchNorm1d/2d modules (momentum, or
    None: a cumulative average; without running statistics)."""
    dt = draw(st.sampled_from(("float32", "float64")))
    shape = draw(st.sampled_from(((4, 3), (2, 3, 5), (2, 2, 2, 3), (3, 1), (1, 2, 2))))
    x = draw(
        arrays(dt, shape, elements_strategy=st.floats(-3, 3, width=32), layouts=("contiguous", "transposed", "sliced"))
    )
    x, dt = _spread_or_double(x, tuple(d for d in range(x.ndim) if d != 1))
    c = shape[1]
    form = draw(st.sampled_from(BATCH_NORM_FORMS))
    record(f"batch_norm: {form}")
    running = (
        draw(arrays(dt, (c,), elements_strategy=st.floats(-1, 1, width=32), layouts=("contiguous",))),
        draw(arrays(dt, (c,), elements_strategy=st.floats(0.25, 2, width=32), layouts=("contiguous",))),
    )
    w = draw(arrays(dt, (c,), elements_strategy=st.floats(-2, 2, width=32), layouts=("contiguous",)))
    b = draw(arrays(dt, (c,), elements_strategy=st.floats(-2, 2, width=32), layouts=("contiguous",)))
    momentum = draw(st.sampled_from((0.1, 0.5, None)))
    if momentum is None:
        record("batch_norm: momentum None (a cumulative average)")
    training = "training" in form or "without" in form
    if training and shape[0] * int(np.prod(shape[2:])) == 1:
        form = form.replace("training", "evaluation") if "without" not in form else "function evaluation"
    return Case((x, running, w, b, momentum), form=form)


@st.composite
def batch_norm_invalid(draw) -> Case:
    kind = draw(st.sampled_from(BATCH_NORM_INVALID))
    record(f"batch_norm invalid: {kind}")
    w = np.ones(3, np.float32)
    stats = (np.zeros(3, np.float32), np.ones(3, np.float32))
    if kind == "one value per channel in training":
        return Case(
            (np.zeros((1, 3), np.float32), stats, w, w, 0.1), form="function training", expect="value per channel"
        )
    if kind == "a 4-d input to BatchNorm1d":
        return Case((np.zeros((2, 3, 2, 2), np.float32), stats, w, w, 0.1), form="module 1d training", expect="input")
    if kind == "a 2-d input to BatchNorm2d":
        return Case((np.zeros((4, 3), np.float32), stats, w, w, 0.1), form="module 2d training", expect="input")
    if kind == "running statistics of another size":
        return Case(
            (np.zeros((4, 2), np.float32), stats, np.ones(2, np.float32), np.ones(2, np.float32), 0.1),
            form="function evaluation",
            expect="running_mean",
        )
    return Case(
        (np.zeros((4, 3), np.float32), (None, None), w, w, 0.1), form="function evaluation", expect="running_mean"
    )


# -- convolutions ---------------------------------------------------------------------------------------------

#: how a convolution case is called: the function with positional arguments or keywords, or the module
#: (its parameters set from the case's weight and bias)
CONV_FORMS = ("function", "function keywords", "module")
CONV_INVALID = (
    "an input of another rank",
    "a weight of another rank",
    "negative padding",
    "a non-positive stride",
    "a non-positive dilation",
    "non-positive groups",
    "groups not dividing the weight",
    "input channels that do not match",
    "a bias of another size",
    "a kernel larger than the padded input",
    "an unknown padding string",
    "padding='same' with a stride",
    "a float stride",
    "a stride of three values",
    "a float32 input with a float64 weight",
    "a float64 input with a float32 weight",
    "a bias of another dtype",
    "an empty spatial dim",
    "a bool input",
    "module: groups not dividing in_channels",
    "module: an unknown padding_mode",
    "module: padding='same' with a stride",
    "module: reflect padding as large as the input",
    "a weight of 0 output channels",
)
CONV_TRANSPOSE_INVALID = (
    "output_padding not below stride or dilation",
    "a padding string",
    "no output (float64)",
    "no output (float32)",
    "input channels that do not match",
    "a bias of another size",
    "negative output_padding",
    "module: padding_mode reflect",
    "module: output_size out of range",
    "an empty weight",
    "module: a padding string (torch pairs its characters)",
)


def _channels_last(x: np.ndarray) -> np.ndarray:
    """The same values laid out channels-last (channels fastest, then the spatial dims)."""
    return np.ascontiguousarray(np.moveaxis(x, 1, -1)).transpose(0, x.ndim - 1, *range(1, x.ndim - 1))


def _conv_values(draw, dtype: str, shape: tuple, layouts=("contiguous",)) -> np.ndarray:
    return draw(arrays(dtype, shape, elements_strategy=st.floats(-2, 2, width=32), layouts=layouts))


@st.composite
def _conv_geometry(draw, dims: int, transposed: bool):
    """Channels, kernel, stride, padding, dilation (and output_padding) that fit together, with the
    input's spatial sizes chosen so the kernel fits the padded input (or the transposed output exists)."""
    groups = draw(st.sampled_from((1, 1, 2)))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(dims))
    stride = tuple(draw(st.sampled_from((1, 1, 2))) for _ in range(dims))
    dilation = tuple(draw(st.sampled_from((1, 1, 2))) for _ in range(dims))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(dims))
    if transposed:
        output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation, strict=True))
        # the output (in - 1) * s - 2p + d (k - 1) + op + 1 must be positive
        spatial = tuple(
            max(1, -(-(2 * p - d * (k - 1) - op) // s) + 1 + draw(st.integers(0, 2)))
            for k, s, p, d, op in zip(kernel, stride, padding, dilation, output_padding, strict=True)
        )
    else:
        output_padding = (0,) * dims
        spatial = tuple(
            max(1, d * (k - 1) + 1 - 2 * p + draw(st.integers(0, 3)))
            for k, p, d in zip(kernel, padding, dilation, strict=True)
        )
    return groups, cin, cout, kernel, stride, padding, dilation, output_padding, spatial


def _as_given(draw, values: tuple):
    """A per-dim parameter as torch accepts it: an int when all dims agree (or a one-element list), else a
    tuple or a list."""
    if len(set(values)) == 1 and draw(st.booleans()):
        return draw(st.sampled_from((values[0], [values[0]], np.int64(values[0]))))
    return draw(st.sampled_from((tuple(values), list(values))))


@st.composite
def conv_args(draw, dims: int = 2, transposed: bool = False) -> Case:
    """A convolution (``conv1d``/``conv2d``, or ``conv_transpose2d`` when ``transposed``) of float32/float64
    operands: groups, strides, dilations, paddings (``'same'`` with odd and even kernels, ``'valid'``),
    output paddings, an unbatched input, a batch of 0, channels-last (or transposed, sliced) inputs and
    weights, with or without a bias; called as the function or as the module."""
    name = "conv_transpose2d" if transposed else f"conv{dims}d"
    dtype = draw(st.sampled_from(("float32", "float64")))
    groups, cin, cout, kernel, stride, padding, dilation, output_padding, spatial = draw(
        _conv_geometry(dims, transposed)
    )
    batch = draw(st.sampled_from((1, 2, 2, 0)))
    if batch == 0:
        record(f"{name}: a batch of 0")
    layouts = ("contiguous", "transposed", "sliced")
    if dims == 2 and draw(st.integers(0, 3)) == 0:
        x = _channels_last(_conv_values(draw, dtype, (batch, cin) + spatial))
        record(f"{name}: a channels-last input (a channels-last output)")
    else:
        x = _conv_values(draw, dtype, (batch, cin) + spatial, layouts)
    wshape = (cin, cout // groups) + kernel if transposed else (cout, cin // groups) + kernel
    w = _conv_values(draw, dtype, wshape)
    if dims == 2 and draw(st.integers(0, 5)) == 0:
        w = _channels_last(w)
        record(f"{name}: a channels-last weight (a channels-last output)")
    b = _conv_values(draw, dtype, (cout,)) if draw(st.integers(0, 3)) else None
    if b is None:
        record(f"{name}: no bias")
    if batch == 1 and draw(st.integers(0, 3)) == 0:
        x = x[0]
        record(f"{name}: an unbatched input")
    form = draw(st.sampled_from(CONV_FORMS))
    record(f"{name}: {form}")
    if groups > 1:
        record(f"{name}: groups")
    if max(stride) > 1:
        record(f"{name}: a stride")
    if max(dilation) > 1:
        record(f"{name}: a dilation")
    if transposed:
        if max(output_padding):
            record(f"{name}: output_padding")
        args = (x, w, b, _as_given(draw, stride), _as_given(draw, padding), _as_given(draw, output_padding))
        kwargs = {}
        if (
            form == "module"
            and all(op < s for op, s in zip(output_padding, stride, strict=True))
            and draw(st.booleans())
        ):
            # forward(input, output_size): the module picks the output_padding that gives this size
            size = tuple(
                (n - 1) * s - 2 * p + d * (k - 1) + op + 1
                for n, k, s, p, d, op in zip(
                    x.shape[-2:], kernel, stride, padding, dilation, output_padding, strict=True
                )
            )
            kwargs["output_size"] = draw(st.sampled_from((size, list(size), tuple(x.shape[:-2]) + size)))
            record(f"{name}: a module given output_size")
            # the module reads stride, padding and dilation per dim there (a one-element list is IndexError)
            args = (x, w, b, stride, padding, output_padding)
            return Case(args + (groups, dilation), kwargs=kwargs, form=form)
        return Case(args + (groups, _as_given(draw, dilation)), kwargs=kwargs, form=form)
    pad = _as_given(draw, padding)
    if draw(st.integers(0, 3)) == 0:
        pad = draw(st.sampled_from(("same", "valid")) if max(stride) == 1 else st.just("valid"))
        if pad == "valid":
            record(f"{name}: padding='valid'")
        elif any(d * (k - 1) % 2 for k, d in zip(kernel, dilation, strict=True)):
            record(f"{name}: padding='same', an odd total (one more on the right)")
        else:
            record(f"{name}: padding='same'")
    if pad == "valid":  # no padding: the kernel must fit the input itself
        fits = tuple(max(s, d * (k - 1) + 1) for s, k, d in zip(x.shape[-dims:], kernel, dilation, strict=True))
        if fits != x.shape[-dims:]:
            x = _conv_values(draw, dtype, x.shape[:-dims] + fits)
    kwargs = {}
    if form == "module":
        mode = draw(st.sampled_from(("zeros", "zeros", "reflect", "replicate", "circular")))
        sides = _padded_sides(pad, padding, kernel, dilation)
        spatial_in = x.shape[-dims:]
        fits = {
            "reflect": all(max(s) < n for s, n in zip(sides, spatial_in, strict=True)),
            "circular": all(max(s) <= n for s, n in zip(sides, spatial_in, strict=True)),
        }
        if mode != "zeros" and fits.get(mode, True):
            kwargs["padding_mode"] = mode
            record(f"{name}: padding_mode {mode}")
            if not isinstance(pad, str):  # one pad per dim: F.pad gets a pair per padded dim
                pad = tuple(padding)
    return Case((x, w, b, _as_given(draw, stride), pad, _as_given(draw, dilation), groups), kwargs=kwargs, form=form)


def _padded_sides(pad, padding: tuple, kernel: tuple, dilation: tuple) -> list[tuple[int, int]]:
    """(before, after) per spatial dim for the module's F.pad: 'same' splits dilation * (k - 1)."""
    if pad == "same":
        return [(d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for k, d in zip(kernel, dilation, strict=True)]
    if pad == "valid":
        return [(0, 0)] * len(kernel)
    return [(p, p) for p in padding]


@st.composite
def conv_invalid(draw, dims: int = 2) -> Case:
    """One fault per case in a ``conv{dims}d`` call (or its module): what torch checks, in its classes."""
    kind = draw(st.sampled_from(CONV_INVALID))
    name = f"conv{dims}d"
    record(f"{name} invalid: {kind}")
    sp = (5,) * dims
    k = (3,) * dims
    x, w = np.ones((2, 4) + sp, np.float32), np.ones((6, 4) + k, np.float32)
    b = np.ones(6, np.float32)

    def case(x=x, w=w, b=b, stride=1, padding=0, dilation=1, groups=1, form="function", expect=None, **kwargs):
        return Case((x, w, b, stride, padding, dilation, groups), kwargs=kwargs, form=form, expect=expect)

    table = {
        "an input of another rank": lambda: case(x=np.ones((4,) * (dims + 3), np.float32), expect="input"),
        "a weight of another rank": lambda: case(
            w=np.ones((6, 4) + k + (3,), np.float32), stride=[1], padding=[0], dilation=[1], expect="weight"
        ),
        "negative padding": lambda: case(padding=-1, expect="padding"),
        "a non-positive stride": lambda: case(stride=0, expect="stride"),
        "a non-positive dilation": lambda: case(dilation=0, expect="dilation"),
        "non-positive groups": lambda: case(groups=0, expect="groups"),
        "groups not dividing the weight": lambda: case(w=np.ones((5, 2) + k, np.float32), groups=2, expect="groups"),
        "input channels that do not match": lambda: case(w=np.ones((6, 3) + k, np.float32), expect="channels"),
        "a bias of another size": lambda: case(b=np.ones(5, np.float32), expect="bias"),
        "a kernel larger than the padded input": lambda: case(dilation=3, expect="Kernel size"),
        "an unknown padding string": lambda: case(padding="full", expect="padding"),
        "padding='same' with a stride": lambda: case(padding="same", stride=2, expect="same"),
        "a float stride": lambda: case(stride=1.5, expect="stride"),
        "a stride of three values": lambda: case(stride=(1,) * (dims + 1), expect="stride"),
        "a float32 input with a float64 weight": lambda: case(w=w.astype(np.float64), b=None, expect="type"),
        "a float64 input with a float32 weight": lambda: case(x=x.astype(np.float64), b=None, expect="type"),
        "a bias of another dtype": lambda: case(b=b.astype(np.float64), expect="bias"),
        "an empty spatial dim": lambda: case(x=np.ones((2, 4, 0) + sp[1:], np.float32), padding=2, expect="zero"),
        "a bool input": lambda: case(x=x.astype(bool), w=w.astype(bool), b=None, expect="Bool"),
        "module: groups not dividing in_channels": lambda: case(
            w=np.ones((6, 2) + k, np.float32), groups=2, form="module", in_channels=3, expect="in_channels"
        ),
        "module: an unknown padding_mode": lambda: case(form="module", padding_mode="mirror", expect="padding_mode"),
        "module: padding='same' with a stride": lambda: case(padding="same", stride=2, form="module", expect="same"),
        "a weight of 0 output channels": lambda: case(w=np.ones((0, 4) + k, np.float32), b=None, expect="at least"),
        "module: reflect padding as large as the input": lambda: case(
            padding=5, form="module", padding_mode="reflect", expect="Padding size"
        ),
    }
    return table[kind]()


@st.composite
def conv_transpose_invalid(draw) -> Case:
    """One fault per case in a ``conv_transpose2d`` call (or its module)."""
    kind = draw(st.sampled_from(CONV_TRANSPOSE_INVALID))
    record(f"conv_transpose2d invalid: {kind}")
    x, w, b = np.ones((2, 4, 5, 5), np.float32), np.ones((4, 3, 3, 3), np.float32), np.ones(3, np.float32)

    def case(
        x=x, w=w, b=b, stride=1, padding=0, output_padding=0, groups=1, dilation=1, form="function", expect=None, **kw
    ):
        return Case((x, w, b, stride, padding, output_padding, groups, dilation), kwargs=kw, form=form, expect=expect)

    table = {
        "output_padding not below stride or dilation": lambda: case(
            stride=2, output_padding=2, expect="output padding"
        ),
        "a padding string": lambda: case(padding="same", expect="padding"),
        "no output (float64)": lambda: case(
            x=x.astype(np.float64), w=w.astype(np.float64), b=None, padding=4, expect="Output size"
        ),
        "no output (float32)": lambda: case(b=None, padding=4, expect="memory descriptor"),
        "input channels that do not match": lambda: case(w=np.ones((3, 3, 3, 3), np.float32), expect="channels"),
        "a bias of another size": lambda: case(b=np.ones(4, np.float32), expect="bias"),
        "negative output_padding": lambda: case(output_padding=-1, expect="output_padding"),
        "module: padding_mode reflect": lambda: case(form="module", padding_mode="reflect", expect="zeros"),
        "an empty weight": lambda: case(w=np.ones((4, 0, 3, 3), np.float32), b=None, expect="non-empty"),
        "module: a padding string (torch pairs its characters)": lambda: case(
            b=None, padding="same", form="module", expect="padding"
        ),
        "module: output_size out of range": lambda: case(
            stride=2, form="module", output_size=(14, 14), expect="output size"
        ),
    }
    return table[kind]()


# -- pooling ---------------------------------------------------------------------------------------------------

POOL_FORMS = ("function", "function keywords", "module")
MAX_POOL_INVALID = (
    "padding over half the kernel",
    "padding over half the undilated kernel",
    "a negative padding",
    "a zero stride",
    "a zero kernel",
    "a zero dilation",
    "a 2-d input",
    "an empty channel dim",
    "no output",
    "a kernel of three values",
    "a float kernel",
    "a bool input",
)
AVG_POOL_INVALID = (
    "padding over half the kernel",
    "a zero stride",
    "a zero kernel",
    "a 2-d input",
    "no output",
    "a zero divisor",
    "a float divisor",
    "a stride of three values",
    "a bool input",
    "an int32 input",
)


@st.composite
def _pool_geometry(draw, dilated: bool):
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(2))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(2))
    dilation = tuple(draw(st.sampled_from((1, 1, 2))) for _ in range(2)) if dilated else (1, 1)
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)  # (torch checks both k // 2 and the dilated half)
    spatial = tuple(
        max(1, d * (k - 1) + 1 - 2 * p + draw(st.integers(0, 4)))
        for k, d, p in zip(kernel, dilation, padding, strict=True)
    )
    return kernel, stride, padding, dilation, spatial


def _pool_input(draw, name: str, dtype: str, spatial: tuple, elements_strategy) -> np.ndarray:
    batch = draw(st.sampled_from((2, 1, 0, None)))
    channels = draw(st.integers(1, 3))
    shape = ((batch,) if batch is not None else ()) + (channels,) + spatial
    if batch is None:
        record(f"{name}: an unbatched input")
    elif batch == 0:
        record(f"{name}: a batch of 0")
    if batch and draw(st.integers(0, 3)) == 0:
        record(f"{name}: a channels-last input")
        return _channels_last(draw(arrays(dtype, shape, elements_strategy=elements_strategy, layouts=("contiguous",))))
    return draw(
        arrays(dtype, shape, elements_strategy=elements_strategy, layouts=("contiguous", "transposed", "sliced"))
    )


def _padding_only_window(spatial, kernel, stride, padding, dilation, ceil_mode) -> bool:
    """Whether some window has no tap inside the input (a dilated kernel over a small padded input)."""
    for n, k, s, p, d in zip(spatial, kernel, stride, padding, dilation, strict=True):
        out = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
        if ceil_mode and (out - 1) * s >= n + p:
            out -= 1
        if any(all(not 0 <= o * s - p + a * d < n for a in range(k)) for o in range(out)):
            return True
    return False


@st.composite
def max_pool_args(draw, distinct: bool = False) -> Case:
    """max_pool2d of float (NaN, infinities and ties among the values) or integer inputs: kernels, strides
    (or none: the kernel), paddings up to half the dilated kernel, dilations, ceil_mode, indices returned
    or not; 3-d and 4-d (empty batch too, channels-last) inputs; the function or the module.

    ``distinct=True``: float inputs of distinct finite values a quarter apart (no ties, so no kinks for
    finite differences to straddle)."""
    name = "max_pool2d"
    kernel, stride, padding, dilation, spatial = draw(_pool_geometry(dilated=True))
    dtype = draw(st.sampled_from(("float32", "float64") if distinct else ("float32", "float64", "int64", "int32")))
    if distinct:
        values = st.just(0.0)  # replaced below by a permutation of distinct values
    elif dtype.startswith("int"):
        values = st.integers(-3, 3)
    else:
        values = st.one_of(
            st.sampled_from((1.0, -1.0, float("nan"), float("inf"), float("-inf"))), st.floats(-3, 3, width=32)
        )
    x = _pool_input(draw, name, dtype, spatial, values)
    if distinct and x.size:
        order = draw(st.permutations(range(x.size)))
        x = np.array(x)  # a writable copy (the layout does not matter to a derivative)
        x[...] = (np.asarray(order, dtype=np.float64) * 0.25 - x.size / 8).reshape(x.shape)
    if x.dtype.kind == "f" and np.isnan(x).any():
        record(f"{name}: NaN in a window (it wins; the last one's index)")
    if x.size and len(np.unique(x)) < x.size:
        record(f"{name}: tied values (the first position wins)")
    ceil_mode = draw(st.booleans())
    if ceil_mode:
        record(f"{name}: ceil_mode")
    if max(dilation) > 1:
        record(f"{name}: a dilation")
    if _padding_only_window(x.shape[-2:], kernel, stride, padding, dilation, ceil_mode):
        record(f"{name}: a window of padding only (the lowest value)")
    if max(padding) > 0:
        record(f"{name}: padding")
    given_stride = None if draw(st.integers(0, 3)) == 0 else _as_given(draw, stride)
    if given_stride is None:
        record(f"{name}: the stride defaults to the kernel")
    return_indices = draw(st.booleans())
    if return_indices:
        record(f"{name}: indices returned")
    form = draw(st.sampled_from(POOL_FORMS))
    record(f"{name}: {form}")
    args = (x, _as_given(draw, kernel), given_stride, _as_given(draw, padding), _as_given(draw, dilation))
    return Case(args + (ceil_mode, return_indices), form=form)


@st.composite
def avg_pool_args(draw) -> Case:
    """avg_pool2d of float inputs: kernels, strides (or none), paddings up to half the kernel, ceil_mode
    (windows hanging past the padding), count_include_pad, divisor_override; 3-d and 4-d inputs."""
    name = "avg_pool2d"
    kernel, stride, padding, _, spatial = draw(_pool_geometry(dilated=False))
    dtype = draw(st.sampled_from(("float32", "float64", "int64")))
    values = st.integers(-9, 9) if dtype == "int64" else st.floats(-3, 3, width=32)
    x = _pool_input(draw, name, dtype, spatial, values)
    if dtype == "int64":
        record(f"{name}: int64 (the quotient rounded toward zero)")
    ceil_mode, count_include_pad = draw(st.booleans()), draw(st.booleans())
    divisor = draw(st.sampled_from((None, None, None, 1, 3, -2)))
    for flag, event in (
        (ceil_mode, "ceil_mode"),
        (not count_include_pad, "count_include_pad=False"),
        (divisor is not None, "divisor_override"),
        (max(padding) > 0, "padding"),
    ):
        if flag:
            record(f"{name}: {event}")
    given_stride = None if draw(st.integers(0, 3)) == 0 else _as_given(draw, stride)
    form = draw(st.sampled_from(POOL_FORMS))
    record(f"{name}: {form}")
    args = (x, _as_given(draw, kernel), given_stride, _as_given(draw, padding))
    return Case(args + (ceil_mode, count_include_pad, divisor), form=form)


@st.composite
def max_pool_invalid(draw) -> Case:
    kind = draw(st.sampled_from(MAX_POOL_INVALID))
    record(f"max_pool2d invalid: {kind}")
    x = np.ones((2, 3, 5, 5), np.float32)

    def case(x=x, k=2, stride=None, padding=0, dilation=1, expect=None):
        return Case((x, k, stride, padding, dilation, False, False), form="function", expect=expect)

    return {
        "padding over half the kernel": lambda: case(k=3, padding=2, expect="pad"),
        "padding over half the undilated kernel": lambda: case(k=3, padding=2, dilation=2, expect="pad"),
        "a negative padding": lambda: case(padding=-1, expect="pad"),
        "a zero stride": lambda: case(stride=0, expect="stride"),
        "a zero kernel": lambda: case(k=0, stride=1, expect="kernel"),
        "a zero dilation": lambda: case(dilation=0, expect="dilation"),
        "a 2-d input": lambda: case(x=np.ones((5, 5), np.float32), expect="input"),
        "an empty channel dim": lambda: case(x=np.ones((2, 0, 5, 5), np.float32), expect="input"),
        "no output": lambda: case(k=6, expect="Output size"),
        "a kernel of three values": lambda: case(k=(2, 2, 2), expect="kernel_size"),
        "a float kernel": lambda: case(k=2.0, expect="kernel_size"),
        "a bool input": lambda: case(x=x.astype(bool), expect="Bool"),
    }[kind]()


@st.composite
def avg_pool_invalid(draw) -> Case:
    kind = draw(st.sampled_from(AVG_POOL_INVALID))
    record(f"avg_pool2d invalid: {kind}")
    x = np.ones((2, 3, 5, 5), np.float32)

    def case(x=x, k=2, stride=None, padding=0, divisor=None, expect=None):
        return Case((x, k, stride, padding, False, True, divisor), form="function", expect=expect)

    return {
        "padding over half the kernel": lambda: case(k=3, padding=2, expect="pad"),
        "a zero stride": lambda: case(stride=0, expect="stride"),
        "a zero kernel": lambda: case(k=0, stride=1, expect="kernel"),
        "a 2-d input": lambda: case(x=np.ones((5, 5), np.float32), expect="Dimension"),
        "no output": lambda: case(k=6, expect="Output size"),
        "a zero divisor": lambda: case(divisor=0, expect="divisor"),
        "a float divisor": lambda: case(divisor=2.0, expect="divisor_override"),
        "a stride of three values": lambda: case(stride=(1, 1, 1), expect="stride"),
        "a bool input": lambda: case(x=x.astype(bool), expect="Bool"),
        "an int32 input": lambda: case(x=x.astype(np.int32), expect="Int"),
    }[kind]()


# -- bilinear ----------------------------------------------------------------------------------------------------

BILINEAR_FORMS = ("function", "function keywords", "module")
BILINEAR_INVALID = (
    "leading dims that differ",
    "input1 of another size",
    "input2 of another size",
    "a bias of another size",
    "inputs of two dtypes",
    "inputs of two ranks",
    "a 2-d weight",
    "a 2-d weight whose second size differs from input1's",
    "module: in1_features 0",
)


@st.composite
def bilinear_args(draw) -> Case:
    """F.bilinear / nn.Bilinear on float32/float64 inputs of any layout sharing 0 to 2 leading dims (a
    batch of 0 too), with or without a bias."""
    dtype = draw(st.sampled_from(("float32", "float64", "int64")))
    lead = draw(st.sampled_from(((4,), (), (2, 3), (0,))))
    in1, in2, out = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    layouts = ("contiguous", "transposed", "sliced")
    values = st.integers(-5, 5) if dtype == "int64" else st.floats(-2, 2, width=32)
    if dtype == "int64":
        record("bilinear: int64")
    x1 = draw(arrays(dtype, lead + (in1,), elements_strategy=values, layouts=layouts))
    x2 = draw(arrays(dtype, lead + (in2,), elements_strategy=values, layouts=layouts))
    w = draw(arrays(dtype, (out, in1, in2), elements_strategy=values, layouts=layouts))
    b = draw(arrays(dtype, (out,), elements_strategy=values)) if draw(st.integers(0, 3)) else None
    # (an integer module is no module: its parameters cannot require grad)
    form = draw(st.sampled_from(BILINEAR_FORMS if dtype != "int64" else BILINEAR_FORMS[:2]))
    record(f"bilinear: {form}")
    record(f"bilinear: {len(lead)} leading dims" + (" (a batch of 0)" if 0 in lead else ""))
    if b is None:
        record("bilinear: no bias")
    return Case((x1, x2, w, b), form=form)


@st.composite
def bilinear_invalid(draw) -> Case:
    kind = draw(st.sampled_from(BILINEAR_INVALID))
    record(f"bilinear invalid: {kind}")
    x1, x2 = np.ones((4, 3), np.float32), np.ones((4, 5), np.float32)
    w, b = np.ones((2, 3, 5), np.float32), np.ones(2, np.float32)
    return {
        "leading dims that differ": lambda: Case(
            (x1, np.ones((3, 5), np.float32), w, b), form="function", expect="batch"
        ),
        "input1 of another size": lambda: Case(
            (np.ones((4, 4), np.float32), x2, w, b), form="function", expect="input1"
        ),
        "input2 of another size": lambda: Case(
            (x1, np.ones((4, 4), np.float32), w, b), form="function", expect="input2"
        ),
        "a bias of another size": lambda: Case((x1, x2, w, np.ones(3, np.float32)), form="function", expect="bias"),
        "inputs of two dtypes": lambda: Case((x1, x2.astype(np.float64), w, b), form="function", expect="dtype"),
        "inputs of two ranks": lambda: Case(
            (x1, np.ones((1, 4, 5), np.float32), w, b), form="function", expect="dimensions"
        ),
        "a 2-d weight": lambda: Case((x1, x2, np.ones((2, 3), np.float32), b), form="function", expect="Dimension"),
        "a 2-d weight whose second size differs from input1's": lambda: Case(
            (x1, x2, np.ones((3, 5), np.float32), b), form="function", expect="input1"
        ),
        "module: in1_features 0": lambda: Case(
            (np.ones((4, 0), np.float32), x2, np.ones((2, 0, 5), np.float32), b), form="module", expect="in1_features"
        ),
    }[kind]()


# -- padding -----------------------------------------------------------------------------------------------------

PAD_MODES = ("constant", "reflect", "replicate", "circular")
PAD_INVALID = (
    "an odd pad length",
    "more pads than dims",
    "an unknown mode",
    "a float pad",
    "a value with reflect",
    "reflect padding as large as the dim",
    "circular padding wrapping twice",
    "non-constant padding of an unsupported rank",
    "a negative pad past the dim",
    "an empty channel dim with replicate",
    "reflect of a bool tensor",
    "a fill value that overflows",
    "a complex fill value",
    "reflect of a channels-last bool tensor",
)


@st.composite
def pad_args(draw) -> Case:
    """F.pad in each mode: constant over any number of trailing dims (negative pads crop; a value, cast
    to the dtype), reflect/replicate/circular over 1 to 3 trailing dims of inputs with one or two more
    dims (pads up to the limits: reflect below the size, circular up to it); any layout, channels-last,
    an empty batch, integer and bool inputs for constant."""
    mode = draw(st.sampled_from(PAD_MODES))
    record(f"pad: {mode}")
    if mode == "constant":
        dtype = draw(st.sampled_from(("float32", "float64", "int64", "bool")))
        shape = draw(shapes(min_dims=1, max_dims=4, max_side=4))
        k = draw(st.integers(1, len(shape)))
    else:
        dtype = draw(st.sampled_from(("float32", "float64", "int64")))
        k = draw(st.integers(1, 3))
        lead = draw(st.sampled_from(((2, 2), (2,), (0, 2))))
        shape = lead + tuple(draw(st.integers(1, 4)) for _ in range(k))
    if 0 in shape[: len(shape) - k]:
        record("pad: an empty batch")
    if dtype == "bool":
        values = st.booleans()
    elif dtype == "int64":
        values = st.integers(-9, 9)
    else:
        values = st.floats(-3, 3, width=32)
    layouts = ("contiguous", "transposed", "sliced")
    if len(shape) in (4, 5) and 0 not in shape and draw(st.integers(0, 3)) == 0:
        x = _channels_last(draw(arrays(dtype, shape, elements_strategy=values, layouts=("contiguous",))))
        record(
            f"pad: a channels-last{'' if len(shape) == 4 else '-3d'} input (kept by constant, reflect and replicate)"
        )
    else:
        x = draw(arrays(dtype, shape, elements_strategy=values, layouts=layouts))
    pads = []
    for j in range(k):
        n = shape[len(shape) - 1 - j]
        if mode == "constant":
            low = -n
        else:
            low = 0
        high = {"constant": 3, "reflect": n - 1, "replicate": 3, "circular": n}[mode]
        left = draw(st.integers(low, max(low, high)))
        # two crops together take at most the whole dim
        pads += [left, draw(st.integers(max(low, low - min(left, 0)), max(low, high)))]
    if mode == "constant" and any(p < 0 for p in pads):
        record("pad: a negative pad (a crop)")
    if mode == "constant" and all(p <= 0 for p in pads):
        record("pad: no positive pad (a clone of the cropped input)")
    if mode == "reflect" and any(p == shape[len(shape) - 1 - j // 2] - 1 for j, p in enumerate(pads)):
        record("pad: reflect by the dim's size - 1 (the largest)")
    if mode == "circular" and any(p == shape[len(shape) - 1 - j // 2] for j, p in enumerate(pads)):
        record("pad: circular by the dim's size (wrapping once)")
    kwargs = {}
    if mode == "constant" and draw(st.booleans()):
        kwargs["value"] = draw(st.sampled_from((2.7, -1.5, 0.0, 1)))
        if dtype == "int64":
            record("pad: a float value into an integer tensor (truncated)")
    form = draw(st.sampled_from(("positional", "keywords")))
    record(f"pad: {k} padded dims")
    if draw(st.integers(0, 5)) == 0:
        pads = [np.int64(p) for p in pads]
        record("pad: NumPy integers as pads")
    return Case((x, tuple(pads) if draw(st.booleans()) else pads, mode), kwargs=kwargs, form=form)


@st.composite
def pad_invalid(draw) -> Case:
    kind = draw(st.sampled_from(PAD_INVALID))
    record(f"pad invalid: {kind}")
    x = np.ones((2, 3, 4), np.float32)

    def case(x=x, pads=(1, 1), mode="constant", expect=None, **kwargs):
        return Case((x, pads, mode), kwargs=kwargs, form="positional", expect=expect)

    return {
        "an odd pad length": lambda: case(pads=(1,), expect="Padding length"),
        "more pads than dims": lambda: case(pads=(1,) * 8, expect="Padding length"),
        "an unknown mode": lambda: case(mode="mirror", expect="mode"),
        "a float pad": lambda: case(pads=(1.5, 1), expect="pad"),
        "a value with reflect": lambda: case(mode="reflect", value=1.0, expect="value"),
        "reflect padding as large as the dim": lambda: case(pads=(4, 1), mode="reflect", expect="Padding size"),
        "circular padding wrapping twice": lambda: case(pads=(5, 0), mode="circular", expect="wrapping"),
        "non-constant padding of an unsupported rank": lambda: case(
            x=np.ones(4, np.float32), mode="replicate", expect="Padding size"
        ),
        "a negative pad past the dim": lambda: case(pads=(-3, -3), expect="length"),
        "an empty channel dim with replicate": lambda: case(
            x=np.ones((2, 0, 4), np.float32), mode="replicate", expect="non-zero"
        ),
        "reflect of a bool tensor": lambda: case(x=np.ones((2, 3, 4), bool), mode="reflect", expect="Bool"),
        "a fill value that overflows": lambda: case(x=np.ones((2, 3), np.uint8), value=-1, expect="overflow"),
        "a complex fill value": lambda: case(value=1 + 2j, expect="value"),
        "reflect of a channels-last bool tensor": lambda: case(
            x=_channels_last(np.ones((2, 3, 4, 4), bool)), pads=(1, 1, 1, 1), mode="reflect", expect="channels_last"
        ),
    }[kind]()
