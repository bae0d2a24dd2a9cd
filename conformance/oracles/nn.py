"""Loop-by-loop definitions of nn functions: dropout (element by element on CPython's twister), the
activations and the losses (element by element, in float64, with ``math``)."""

from __future__ import annotations

import itertools
import math

import numpy as np

from .random import _memory_order, twister

__all__ = [
    "dropout",
    "relu",
    "leaky_relu",
    "softmax",
    "log_softmax",
    "mse_loss",
    "l1_loss",
    "nll_loss",
    "cross_entropy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "unflatten",
    "embedding",
    "layer_norm",
    "batch_norm",
    "convolution",
    "convolution_scale",
    "max_pool2d",
    "avg_pool2d",
    "avg_pool2d_scale",
    "bilinear",
    "bilinear_scale",
    "pad",
]


def dropout(case, out_dtype):
    """Training with ``0 < p < 1``: in ``x``'s memory order, each element is kept when a 53-bit uniform
    is below ``1 - p`` and then multiplied by ``1 / (1 - p)`` (that quotient rounded to ``x``'s dtype);
    dropped elements are ``x * 0``.  ``p = 1`` is ``x * 0`` everywhere; ``p = 0`` and evaluation mode
    are ``x``."""
    seeding, x, p = case.args
    dtype = np.dtype(out_dtype)
    training = case.form in ("function", "function inplace", "module train")
    if not training or p == 0 or x.size == 0:
        return x.astype(dtype)
    zero = dtype.type(0)
    if p == 1:
        return (x * zero).astype(dtype)
    scale = dtype.type(1) / dtype.type(1 - p)
    tw = twister(seeding)
    out = np.empty(x.shape, dtype)
    for pos in _memory_order(x.shape, x.strides):
        kept = tw.uniform_double() < 1 - p
        out[pos] = x[pos] * (scale if kept else zero)
    return out


# -- activations and losses, element by element in float64 (rounded once to the result dtype) ------------


def _each(x: np.ndarray):
    return itertools.product(*(range(n) for n in x.shape))


def relu(case, out_dtype):
    """``x`` if ``x > 0`` else 0, element by element (NaN and -0.0 are not below 0, so they stay)."""
    (x,) = case.args
    out = np.empty(x.shape, x.dtype)
    for pos in _each(x):
        v = x[pos]
        out[pos] = x.dtype.type(0) if v < 0 else v
    return out


def leaky_relu(case, out_dtype):
    """``x`` if ``x > 0`` else ``slope * x``."""
    x, slope = case.args
    out = np.empty(x.shape, x.dtype)
    for pos in _each(x):
        v = float(x[pos])
        out[pos] = v if v > 0 else slope * v
    return out


def _softmax_rows(case):
    """Each slice along the softmax dim as a list of positions (the implicit dim resolved as torch's
    legacy rule: 0 for 0-, 1- and 3-d inputs, else 1)."""
    x, dim = case.args
    if dim is None:
        dim = 0 if x.ndim in (0, 1, 3) else 1
    if x.ndim == 0:
        return x.reshape(1), [[0]], (lambda a: a.reshape(()))
    d = dim % x.ndim
    rows = []
    for pos in itertools.product(*(range(n) for i, n in enumerate(x.shape) if i != d)):
        rows.append([pos[:d] + (k,) + pos[d:] for k in range(x.shape[d])])
    return x, rows, (lambda a: a)


def _softmax(case, out_dtype, log: bool):
    x, rows, back = _softmax_rows(case)
    out = np.empty(x.shape, np.float64)
    for row in rows:
        values = [float(x[p]) for p in row]
        top = max(values) if values else 0.0
        if any(math.isnan(v) for v in values) or math.isinf(top):
            for p in row:
                out[p] = math.nan
            continue
        total = sum(math.exp(v - top) for v in values)
        for p, v in zip(row, values, strict=True):
            out[p] = (v - top - math.log(total)) if log else math.exp(v - top) / total
    return back(out).astype(out_dtype)


def softmax(case, out_dtype):
    """``exp(x_i - max) / sum_j exp(x_j - max)`` along the dim; a slice with NaN or an infinite
    maximum (all -inf, or +inf) is NaN throughout."""
    return _softmax(case, out_dtype, log=False)


def log_softmax(case, out_dtype):
    """``x_i - max - log(sum_j exp(x_j - max))`` along the dim."""
    return _softmax(case, out_dtype, log=True)


def _options(case) -> tuple[str, dict]:
    """The effective reduction (the legacy pair decides when given) and the other options."""
    kw = dict(case.kwargs)
    size_average, reduce = kw.pop("size_average", None), kw.pop("reduce", None)
    reduction = kw.pop("reduction", "mean")
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    return reduction, kw


def _reduce(terms: np.ndarray, reduction: str, out_dtype, denominator=None):
    if reduction == "none":
        return terms.astype(out_dtype)
    total = math.fsum(float(t) for t in terms.reshape(-1))
    if reduction == "sum":
        return np.asarray(total, out_dtype)
    n = terms.size if denominator is None else denominator
    return np.asarray(total / n if n else math.nan, out_dtype)


def _regression(case, out_dtype, term):
    reduction, kw = _options(case)
    x, y = case.args
    shape = np.broadcast_shapes(x.shape, y.shape)
    xb, yb = np.broadcast_to(x, shape), np.broadcast_to(y, shape)
    terms = np.empty(shape, np.float64)
    for pos in itertools.product(*(range(n) for n in shape)):
        terms[pos] = term(float(xb[pos]) - float(yb[pos]))
    weight = kw.get("weight")
    if weight is None:
        return _reduce(terms, reduction, out_dtype)
    terms = terms * weight.astype(np.float64)
    return _reduce(terms, reduction, out_dtype, denominator=math.fsum(weight.astype(np.float64).reshape(-1)))


def mse_loss(case, out_dtype):
    """``(x - y)**2`` element by element (the target broadcast), reduced; weighted: ``sum(w e) / sum(w)``."""
    return _regression(case, out_dtype, lambda d: d * d)


def l1_loss(case, out_dtype):
    """``|x - y|`` element by element, reduced."""
    return _regression(case, out_dtype, abs)


def _log_probabilities(x: np.ndarray, c_dim: int) -> np.ndarray:
    """log_softmax along the class dim, one slice at a time."""
    out = np.empty(x.shape, np.float64)
    moved = np.moveaxis(x.astype(np.float64), c_dim, -1)
    res = np.moveaxis(out, c_dim, -1)
    for pos in itertools.product(*(range(n) for n in moved.shape[:-1])):
        row = [float(v) for v in moved[pos]]
        top = max(row)
        lse = top + math.log(math.fsum(math.exp(v - top) for v in row))
        res[pos] = [v - lse for v in row]
    return out


def _nll_terms(logp: np.ndarray, target: np.ndarray, weight, ignore: int):
    """Per target position: ``-w[t] * logp[n, t, ...]`` (0 and no weight where ignored)."""
    c_dim = 0 if logp.ndim == 1 else 1
    terms = np.zeros(target.shape, np.float64)
    weights = np.zeros(target.shape, np.float64)
    for pos in itertools.product(*(range(n) for n in target.shape)):
        t = int(target[pos])
        if t == ignore:
            continue
        w = 1.0 if weight is None else float(weight[t])
        index = (t,) if logp.ndim == 1 else (pos[0], t, *pos[1:])
        terms[pos] = -w * logp[index]
        weights[pos] = w
    return terms, weights, c_dim


def nll_loss(case, out_dtype):
    """``-w[t] * input[n, t]`` per target, ignored targets 0; the mean divides by the kept weights."""
    reduction, kw = _options(case)
    x, target = case.args
    if x.ndim == 1 and target.ndim == 1:  # one class index for the one row
        target = target.reshape(())
    terms, weights, _ = _nll_terms(x.astype(np.float64), target, kw.get("weight"), kw.get("ignore_index", -100))
    return _reduce(terms, reduction, out_dtype, denominator=math.fsum(weights.reshape(-1)))


def cross_entropy(case, out_dtype):
    """From the log-probabilities ``log_softmax(x)`` along the class dim: with class indices,
    ``(1 - s) * nll + s / C * smooth`` where ``smooth`` sums ``-w[c] * logp[c]`` over the classes of each
    kept target (the mean divides both by the kept targets' weights); with probabilities ``p``,
    ``-sum_c w[c] * logp[c] * ((1 - s) * p[c] + s / C)`` per row, whose mean divides by the row count."""
    reduction, kw = _options(case)
    x, target = case.args
    weight = kw.get("weight")
    s = kw.get("label_smoothing", 0.0)
    s = s if s > 0 else 0.0
    c_dim = 0 if x.ndim == 1 else 1
    n_classes = x.shape[c_dim]
    logp = _log_probabilities(x, c_dim)
    w = np.ones(n_classes) if weight is None else weight.astype(np.float64)
    if target.shape == x.shape:
        p = target.astype(np.float64) * (1 - s) + s / n_classes
        shaped = [1] * x.ndim
        shaped[c_dim] = n_classes
        rows = -(logp * p * w.reshape(shaped)).sum(axis=c_dim)
        if reduction == "mean":
            count = x.size // n_classes
            return np.asarray(math.fsum(rows.reshape(-1)) / count if count else math.nan, out_dtype)
        return _reduce(rows, reduction, out_dtype)
    ignore = kw.get("ignore_index", -100)
    if x.ndim == 1 and target.ndim == 1:  # one class index for the one row
        target = target.reshape(())
    terms, weights, _ = _nll_terms(logp, target, weight, ignore)
    if not s:
        return _reduce(terms, reduction, out_dtype, denominator=math.fsum(weights.reshape(-1)))
    smooth = np.zeros(target.shape, np.float64)
    for pos in itertools.product(*(range(n) for n in target.shape)):
        if int(target[pos]) == ignore:
            continue
        for c in range(n_classes):
            index = (c,) if x.ndim == 1 else (pos[0], c, *pos[1:])
            smooth[pos] -= w[c] * logp[index]
    denominator = math.fsum(weights.reshape(-1))
    if reduction == "none":
        return ((1 - s) * terms + s / n_classes * smooth).astype(out_dtype)
    nll = _reduce(terms, reduction, np.float64, denominator)
    sm = _reduce(smooth, reduction, np.float64, denominator)
    return np.asarray((1 - s) * nll + s / n_classes * sm, out_dtype)


def binary_cross_entropy(case, out_dtype):
    """``-w * (y * max(log x, -100) + (1 - y) * max(log(1 - x), -100))`` element by element."""
    reduction, kw = _options(case)
    x, y = case.args
    weight = kw.get("weight")
    wb = np.broadcast_to(weight, x.shape) if weight is not None else None
    terms = np.empty(x.shape, np.float64)
    for pos in _each(x):
        xv, yv = float(x[pos]), float(y[pos])
        log_x = max(math.log(xv), -100.0) if xv > 0 else -100.0
        log_1mx = max(math.log1p(-xv), -100.0) if xv < 1 else -100.0
        terms[pos] = -(yv * log_x + (1 - yv) * log_1mx) * (1.0 if wb is None else float(wb[pos]))
    return _reduce(terms, reduction, out_dtype)


def binary_cross_entropy_with_logits(case, out_dtype):
    """``w * ((1 - y) * x - (1 + (pw - 1) * y) * log_sigmoid(x))`` with
    ``log_sigmoid(x) = min(x, 0) - log1p(exp(-|x|))``, element by element."""
    reduction, kw = _options(case)
    x, y = case.args
    weight, pos_weight = kw.get("weight"), kw.get("pos_weight")
    wb = np.broadcast_to(weight, x.shape) if weight is not None else None
    pb = np.broadcast_to(pos_weight, x.shape) if pos_weight is not None else None
    terms = np.empty(x.shape, np.float64)
    for pos in _each(x):
        xv, yv = float(x[pos]), float(y[pos])
        log_sigmoid = min(xv, 0.0) - math.log1p(math.exp(-abs(xv)))
        scale = 1.0 if pb is None else 1 + (float(pb[pos]) - 1) * yv
        term = (1 - yv) * xv - scale * log_sigmoid
        terms[pos] = term * (1.0 if wb is None else float(wb[pos]))
    return _reduce(terms, reduction, out_dtype)


def unflatten(x, dim, sizes):
    """The elements in row-major order, regrouped: dim ``dim`` split into ``sizes`` (-1 inferred)."""
    d = dim % x.ndim
    sizes = list(sizes)
    if -1 in sizes:
        known = math.prod(n for n in sizes if n != -1)
        sizes[sizes.index(-1)] = x.shape[d] // known
    flat = [x[pos] for pos in _each(x)]
    return np.array(flat, dtype=x.dtype).reshape(x.shape[:d] + tuple(sizes) + x.shape[d + 1 :])


def embedding(case):
    """Row ``i`` of the table for each index ``i``; with ``max_norm`` each row looked up is first scaled
    by ``max_norm / (norm + 1e-7)`` when its norm exceeds ``max_norm``."""
    idx, table = case.args
    table = table.astype(np.float64)
    max_norm, p = case.kwargs.get("max_norm"), case.kwargs.get("norm_type", 2.0)
    rows = {}
    for pos in _each(idx):
        i = int(idx[pos])
        row = table[i]
        if max_norm is not None:
            norm = sum(abs(v) ** p for v in row) ** (1 / p)
            if norm > max_norm:
                row = row * (max_norm / (norm + 1e-7))
        rows[pos] = row
    out = np.empty(idx.shape + (table.shape[1],), np.float64)
    for pos, row in rows.items():
        out[pos] = row
    return out.astype(case.args[1].dtype)


def _normalize_slices(x: np.ndarray, slices, eps: float) -> tuple[np.ndarray, dict]:
    """Each slice (a list of positions) normalized by its own mean and biased variance."""
    out = np.empty(x.shape, np.float64)
    stats = {}
    for key, positions in slices.items():
        values = [float(x[p]) for p in positions]
        mean = math.fsum(values) / len(values)
        var = math.fsum((v - mean) ** 2 for v in values) / len(values)
        stats[key] = (mean, var, len(values))
        for p, v in zip(positions, values, strict=True):
            out[p] = (v - mean) / math.sqrt(var + eps)
    return out, stats


def layer_norm(case):
    """Each sample's trailing ``normalized_shape`` block normalized, then ``* weight + bias`` (the module
    forms: weight 1, bias 0)."""
    x, normalized, w, b, eps = case.args
    k = len(normalized)
    slices: dict = {}
    for pos in _each(x):
        slices.setdefault(pos[: x.ndim - k], []).append(pos)
    out, _ = _normalize_slices(x, slices, eps)
    if case.form == "function affine":
        out = out * w.astype(np.float64) + b.astype(np.float64)
    return out.astype(x.dtype)


def batch_norm(case):
    """Each channel normalized by its batch statistics (training: the running ones become
    ``(1 - m) * running + m * stat`` with the unbiased variance) or by the running statistics
    (evaluation); the function forms scale and shift by weight and bias."""
    x, (rm, rv), w, b, momentum = case.args
    c = x.shape[1]
    training = "training" in case.form or "without" in case.form
    slices: dict = {}
    for pos in _each(x):
        slices.setdefault(pos[1], []).append(pos)
    if training:
        out, stats = _normalize_slices(x, slices, 1e-5)
    else:
        out = np.empty(x.shape, np.float64)
        mean, var = (rm, rv) if case.form != "module evaluation" or rm is not None else (np.zeros(c), np.ones(c))
        for ch, positions in slices.items():
            for p in positions:
                out[p] = (float(x[p]) - float(mean[ch])) / math.sqrt(float(var[ch]) + 1e-5)
    if case.form.startswith("function"):
        out = out * w.astype(np.float64).reshape([1, c] + [1] * (x.ndim - 2)) + b.astype(np.float64).reshape(
            [1, c] + [1] * (x.ndim - 2)
        )
    out = out.astype(x.dtype)
    if not training or case.form == "module without running statistics":
        return out
    start_mean, start_var = (rm, rv) if case.form == "function training" else (np.zeros(c), np.ones(c))
    m = (
        (momentum if momentum is not None else 0.1)
        if case.form == "function training"
        else (1.0 if momentum is None else momentum)
    )
    new_mean = np.array([(1 - m) * float(start_mean[ch]) + m * stats[ch][0] for ch in range(c)], x.dtype)
    new_var = np.array(
        [
            (1 - m) * float(start_var[ch]) + m * stats[ch][1] * stats[ch][2] / max(stats[ch][2] - 1, 1)
            for ch in range(c)
        ],
        x.dtype,
    )
    if case.form == "function training":
        return out, new_mean, new_var
    return out, new_mean, new_var, np.array(1, np.int64)


def _per_dim(value, n: int) -> tuple:
    return (int(value),) * n if np.ndim(value) == 0 else tuple(value) * (n if len(value) == 1 else 1)


def _convolution_parts(case):
    """The case's tensors (batched, float64) and its geometry, whatever form it is called in."""
    transposed = len(case.args) == 8
    if transposed:
        x, w, b, stride, padding, output_padding, groups, dilation = case.args
    else:
        x, w, b, stride, padding, dilation, groups = case.args
        output_padding = 0
    n = w.ndim - 2
    batched = x.ndim == n + 2
    x = (x if batched else x[None]).astype(np.float64)
    k = w.shape[2:]
    dilation, stride = _per_dim(dilation, n), _per_dim(stride, n)
    if padding == "same":  # dilation * (k - 1) in all: half before, the odd one out after
        before = tuple(d * (kk - 1) // 2 for d, kk in zip(dilation, k, strict=True))
        after = tuple(d * (kk - 1) - p for d, kk, p in zip(dilation, k, before, strict=True))
    else:
        before = after = (0,) * n if padding == "valid" else _per_dim(padding, n)
    return x, w.astype(np.float64), b, stride, before, after, dilation, _per_dim(output_padding, n), groups, batched


def convolution(case, absolute: bool = False):
    """Each output element by its definition.  A convolution: ``out[n, o, *p] = b[o] + sum over the
    input channels c of o's group and the taps t of w[o, c, *t] * x[n, c, *(p * stride + t * dilation -
    padding)]`` (zero outside the input).  A transposed one spreads each input element instead:
    ``out[n, o, *(i * stride + t * dilation - padding)] += x[n, c, *i] * w[c, o', *t]``.  With
    ``absolute``, the sum of the terms' magnitudes (the rounding scale of each output)."""
    x, w, b, stride, before, after, dilation, output_padding, groups, batched = _convolution_parts(case)
    mode = case.kwargs.get("padding_mode", "zeros")
    if mode != "zeros":  # the module pads the input in that mode first, then convolves without padding
        how = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode]
        x = np.pad(x, [(0, 0), (0, 0)] + list(zip(before, after, strict=True)), mode=how)
        before = after = (0,) * len(before)
    if absolute:
        x, w, b = np.abs(x), np.abs(w), None if b is None else np.abs(b)
    n, transposed = w.ndim - 2, len(case.args) == 8
    k, spatial = w.shape[2:], x.shape[2:]
    cin = x.shape[1]
    if transposed:
        cout = w.shape[1] * groups
        size = tuple(
            (spatial[i] - 1) * stride[i] - 2 * before[i] + dilation[i] * (k[i] - 1) + output_padding[i] + 1
            for i in range(n)
        )
    else:
        cout = w.shape[0]
        size = tuple(
            (spatial[i] + before[i] + after[i] - dilation[i] * (k[i] - 1) - 1) // stride[i] + 1 for i in range(n)
        )
    out = np.zeros((x.shape[0], cout) + size)
    per_in, per_out = cin // groups, cout // groups
    for batch, c, pos in itertools.product(range(x.shape[0]), range(cin), itertools.product(*map(range, spatial))):
        group = c // per_in
        for o, tap in itertools.product(range(per_out), itertools.product(*map(range, k))):
            if transposed:
                where = tuple(pos[i] * stride[i] + tap[i] * dilation[i] - before[i] for i in range(n))
                if all(0 <= where[i] < size[i] for i in range(n)):
                    out[(batch, group * per_out + o) + where] += x[(batch, c) + pos] * w[(c, o) + tap]
            else:
                # the input element at pos feeds the output at q where q * stride + tap * dilation - before = pos
                q = [(pos[i] + before[i] - tap[i] * dilation[i]) for i in range(n)]
                if all(q[i] % stride[i] == 0 and 0 <= q[i] // stride[i] < size[i] for i in range(n)):
                    q = tuple(q[i] // stride[i] for i in range(n))
                    out[(batch, group * per_out + o) + q] += (
                        x[(batch, c) + pos] * w[(group * per_out + o, c - group * per_in) + tap]
                    )
    if b is not None:
        out += np.asarray(b, np.float64).reshape((-1,) + (1,) * n)
    return out if batched else out[0]


def convolution_scale(case):
    """``convolution`` of the magnitudes: what rounding in a sum of products of these terms scales with."""
    return convolution(case, absolute=True)


def _pool_geometry(case, dilated: bool):
    x = case.args[0]
    pair = lambda v: (int(v), int(v)) if np.ndim(v) == 0 else tuple(v) * (2 if len(v) == 1 else 1)  # noqa: E731
    kernel = pair(case.args[1])
    given = case.args[2]
    stride = kernel if given is None or (isinstance(given, list | tuple) and not given) else pair(given)
    padding = pair(case.args[3])
    dilation = pair(case.args[4]) if dilated else (1, 1)
    ceil_mode = case.args[5] if dilated else case.args[4]
    sizes = []
    for i, n in enumerate(x.shape[-2:]):
        span = n + 2 * padding[i] - dilation[i] * (kernel[i] - 1) - 1
        out = (span + (stride[i] - 1 if ceil_mode else 0)) // stride[i] + 1
        if ceil_mode and (out - 1) * stride[i] >= n + padding[i]:
            out -= 1
        sizes.append(out)
    return kernel, stride, padding, dilation, tuple(sizes)


def max_pool2d(case, out_dtype=None):
    """Each window scanned row by row: the first tap inside the input is the answer so far, and a tap
    that is larger or NaN replaces it (its position ``row * W + col`` too)."""
    x = case.args[0]
    kernel, stride, padding, dilation, (oh, ow) = _pool_geometry(case, dilated=True)
    planes = x.reshape((-1,) + x.shape[-2:])
    h, w = x.shape[-2:]
    values = np.empty((planes.shape[0], oh, ow), dtype=x.dtype)
    index = np.empty((planes.shape[0], oh, ow), dtype=np.int64)
    for p, i, j in itertools.product(range(planes.shape[0]), range(oh), range(ow)):
        best, where = None, None
        for a, b in itertools.product(range(kernel[0]), range(kernel[1])):
            r, c = i * stride[0] - padding[0] + a * dilation[0], j * stride[1] - padding[1] + b * dilation[1]
            if not (0 <= r < h and 0 <= c < w):
                continue
            v = planes[p, r, c]
            if best is None or v > best or (x.dtype.kind == "f" and math.isnan(v)):
                best, where = v, r * w + c
        if best is None:  # a window of padding only: the lowest value, at the first tap row and column >= 0
            best = -math.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
            r0 = next(
                i * stride[0] - padding[0] + a * dilation[0]
                for a in itertools.count()
                if i * stride[0] - padding[0] + a * dilation[0] >= 0
            )
            c0 = next(
                j * stride[1] - padding[1] + b * dilation[1]
                for b in itertools.count()
                if j * stride[1] - padding[1] + b * dilation[1] >= 0
            )
            where = r0 * w + c0
        values[p, i, j], index[p, i, j] = best, where
    shape = x.shape[:-2] + (oh, ow)
    values, index = values.reshape(shape), index.reshape(shape)
    return (values, index) if case.args[6] else values


def avg_pool2d(case, out_dtype=None, absolute: bool = False):
    """Each window's sum over the taps inside the input, divided by ``divisor_override``, or by the
    window clipped to the padded input (``count_include_pad``), or by the taps inside the input."""
    integer = case.args[0].dtype.kind == "i"
    x = case.args[0].astype(object if integer else np.float64)  # integers as Python ints: exact sums
    if absolute:
        x = np.abs(x)
    kernel, stride, padding, _, (oh, ow) = _pool_geometry(case, dilated=False)
    count_include_pad, divisor = case.args[5], case.args[6]
    planes = x.reshape((-1,) + x.shape[-2:])
    h, w = x.shape[-2:]
    out = np.zeros((planes.shape[0], oh, ow), dtype=object if integer else np.float64)
    for p, i, j in itertools.product(range(planes.shape[0]), range(oh), range(ow)):
        r0, c0 = i * stride[0] - padding[0], j * stride[1] - padding[1]
        r1, c1 = min(r0 + kernel[0], h + padding[0]), min(c0 + kernel[1], w + padding[1])
        padded_count = (r1 - r0) * (c1 - c0)
        rows, cols = range(max(r0, 0), min(r1, h)), range(max(c0, 0), min(c1, w))
        total = sum(planes[p, r, c] for r in rows for c in cols)
        d = divisor if divisor is not None else (padded_count if count_include_pad else len(rows) * len(cols))
        d = abs(d) if absolute else d
        # int64: C++ integer division, the quotient rounded toward zero
        out[p, i, j] = (abs(total) // abs(d)) * (1 if (total < 0) == (d < 0) else -1) if integer else total / d
    return out.reshape(x.shape[:-2] + (oh, ow))


def avg_pool2d_scale(case):
    return np.asarray(avg_pool2d(case, absolute=True), dtype=np.float64)


def bilinear(case, out_dtype=None, absolute: bool = False):
    """``out[..., o] = b[o] + sum over i, j of x1[..., i] * w[o, i, j] * x2[..., j]``, element by element."""
    x1, x2, w, b = (None if a is None else a.astype(np.float64) for a in case.args)
    if absolute:
        x1, x2, w, b = np.abs(x1), np.abs(x2), np.abs(w), None if b is None else np.abs(b)
    lead = x1.shape[:-1]
    out = np.zeros(lead + (w.shape[0],))
    for pos in itertools.product(*map(range, lead)):
        for o in range(w.shape[0]):
            total = 0.0 if b is None else b[o]
            for i, j in itertools.product(range(w.shape[1]), range(w.shape[2])):
                total += x1[pos + (i,)] * w[o, i, j] * x2[pos + (j,)]
            out[pos + (o,)] = total
    return out


def bilinear_scale(case):
    return bilinear(case, absolute=True)


def pad(case, out_dtype=None):
    """Each output element by where it reads: constant pads read the fill value (negative pads drop
    elements); reflect reads the mirror image without repeating the edge (``-i``, ``2 (n - 1) - i``),
    replicate the nearest edge, circular the position modulo the size."""
    x, pads, mode = case.args
    value = case.kwargs.get("value", 0.0)
    k = len(pads) // 2
    lead = x.ndim - k
    out_shape = list(x.shape)
    for j in range(k):
        out_shape[x.ndim - 1 - j] += pads[2 * j] + pads[2 * j + 1]
    fill = np.array(value).astype(x.dtype) if x.dtype != bool else np.array(bool(value))
    out = np.empty(out_shape, dtype=x.dtype)
    for pos in itertools.product(*map(range, out_shape)):
        src = list(pos[:lead])
        inside = True
        for d in range(lead, x.ndim):
            j = x.ndim - 1 - d
            n, i = x.shape[d], pos[d] - pads[2 * j]
            if mode == "reflect":
                i = abs(i)
                i = 2 * (n - 1) - i if i >= n else i
            elif mode == "replicate":
                i = min(max(i, 0), n - 1)
            elif mode == "circular":
                i %= n
            inside = inside and 0 <= i < n
            src.append(i)
        out[pos] = x[tuple(src)] if inside else fill
    return out
