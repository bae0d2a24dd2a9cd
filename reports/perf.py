"""The perf report: throughput of the reference vs torch eager CPU (1 thread and all threads), torch
CUDA (when present) and any ``--target`` under test, scaling curves, the machine's ceilings, the
autograd overhead, checkpoint load/save throughput (a 100 MB state dict), and compile times of
``compile:`` targets.

    python -m reports perf [--out results/perf.json] [--html results/perf.html] [--quick]
                           [--target SPEC ...] [--sizes 1e4,1e6] [--ops add,gather]

Every row comes from the registry (``OpInfo.perf``).  The runner interleaves the implementations it
compares round by round (one block of each per round, rotating which goes first), so drifts of
the machine hit all of them alike, and gives each ratio as the median of per-round ratios with
their IQR.  Never run as a test: timings are measured here and reported, not asserted.  BLAS
threads of NumPy are pinned to 1 (set before NumPy loads) so the reference is compared with torch
at 1 thread on equal terms; torch's thread count is set per block and stated.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from .machine import cpu_model  # noqa: E402
from .suite import suite_run  # noqa: E402

SIZES = [10**2, 10**3, 10**4, 10**5, 10**6, 10**7]
#: rounds every implementation is timed in, at least (each round times one block of each)
MIN_ROUNDS = 5
MAX_ROUNDS = 2000


@dataclass
class Impl:
    """One implementation the runner measures: how to build its tensors and how to time its calls."""

    key: str
    label: str
    ns: Any
    tensor: Callable[[np.ndarray], Any]
    #: torch's thread count while this implementation runs (None: not a torch CPU implementation)
    threads: int | None = None
    #: waits for queued device work (CUDA), inside the timed region
    sync: Callable[[], None] | None = None
    #: wraps a row's forward call (``torch.compile``); the row's first call, after ``reset`` (a clean
    #: compiler state, so each row compiles on its own), is timed apart as its compile time
    compile: Callable[[Callable], Callable] | None = None
    reset: Callable[[], None] | None = None


def _calibrate(fn, sync, clock) -> int:
    """Calls per block so a block lasts >= 1 ms (one warm-up call first)."""
    fn()
    n = 1
    while True:
        t0 = clock()
        for _ in range(n):
            fn()
        if sync:
            sync()
        if clock() - t0 >= 1e-3 or n >= 10**6:
            return n
        n *= 4


def interleaved(impls: dict[str, Impl], fns: dict[str, Callable], min_time: float, clock=time.perf_counter):
    """Time ``fns[key]`` (one per implementation) round by round: each round times one block of every
    implementation, starting from a different one each round, so drifts of the machine (frequency,
    other load) hit all of them alike.  Rounds go on until every implementation has run for
    ``min_time`` and at least ``MIN_ROUNDS`` rounds.  Returns the per-call time of each round, per key,
    and the calls per block."""
    keys = list(fns)
    threads_now = [None]

    def enter(key):
        want = impls[key].threads
        if want is not None and want != threads_now[0]:
            import torch

            torch.set_num_threads(want)
            threads_now[0] = want
            fns[key]()  # untimed: a resized thread pool starts up here, not in the block

    per_block = {}
    for key in keys:
        enter(key)
        per_block[key] = _calibrate(fns[key], impls[key].sync, clock)
    times: dict[str, list[float]] = {k: [] for k in keys}
    spent = dict.fromkeys(keys, 0.0)
    rounds = 0
    while rounds < MAX_ROUNDS and (rounds < MIN_ROUNDS or min(spent.values()) < min_time):
        start = rounds % len(keys)
        for key in keys[start:] + keys[:start]:
            enter(key)
            fn, n, sync = fns[key], per_block[key], impls[key].sync
            t0 = clock()
            for _ in range(n):
                fn()
            if sync:
                sync()
            dt = clock() - t0
            times[key].append(dt / n)
            spent[key] += dt
        rounds += 1
    return times, per_block


def summary(samples: list[float], per_block: int) -> dict:
    """Median and interquartile range of per-call times (one sample per round)."""
    q1, med, q3 = np.percentile(samples, [25, 50, 75])
    return {
        "median": float(med),
        "q1": float(q1),
        "q3": float(q3),
        "iqr": float(q3 - q1),
        "blocks": len(samples),
        "per_block": per_block,
    }


def ratio_summary(numerator: list[float], denominator: list[float]) -> dict:
    """``numerator / denominator`` round by round (both measured in the same round, so a drift of
    the machine cancels), with the median and the IQR of those ratios as the spread."""
    r = np.asarray(numerator) / np.asarray(denominator)
    q1, med, q3 = np.percentile(r, [25, 50, 75])
    return {"median": float(med), "q1": float(q1), "q3": float(q3), "iqr": float(q3 - q1), "rounds": len(r)}


def time_reference(fn, min_time: float) -> dict:
    """One implementation alone (the machine's ceilings): per-call median and IQR over blocks."""
    impl = Impl("alone", "alone", None, lambda a: a)
    times, per_block = interleaved({"alone": impl}, {"alone": fn}, min_time)
    return summary(times["alone"], per_block["alone"])


def implementations(targets: tuple[str, ...] = ()) -> dict[str, Impl]:
    """The reference, torch eager CPU at 1 thread and at all threads, torch CUDA when present, and
    each ``--target`` (at 1 torch thread, beside torch's eager CPU at 1 thread)."""
    import torch

    import reference
    from conformance.targets import CompileTarget, parse_target

    impls = {
        "reference": Impl("reference", "reference", reference, lambda a: reference.from_numpy(a.copy())),
        "torch_1": Impl("torch_1", "torch CPU, 1 thread", torch, lambda a: torch.from_numpy(a.copy()), threads=1),
        "torch_all": Impl(
            "torch_all",
            "torch CPU, all threads",
            torch,
            lambda a: torch.from_numpy(a.copy()),
            threads=torch.get_num_threads(),
        ),
    }
    if torch.cuda.is_available():
        impls["torch_cuda"] = Impl(
            "torch_cuda", "torch CUDA", torch, lambda a: torch.from_numpy(a.copy()).cuda(), sync=torch.cuda.synchronize
        )
    for spec in targets:
        target = parse_target(spec)
        on_cuda = str(target.device).startswith("cuda")
        compile_ = reset = None
        if isinstance(target, CompileTarget):

            def compile_(fn, t=target):
                return torch.compile(fn, backend=t.backend, dynamic=t.dynamic)

            reset = torch._dynamo.reset

        impls[f"target:{target.spec}"] = Impl(
            f"target:{target.spec}",
            target.label,
            target.ns,
            target.from_array,
            threads=1 if target.ns is torch else None,
            sync=torch.cuda.synchronize if on_cuda else None,
            compile=compile_,
            reset=reset,
        )
    return impls


def _rows(impl: Impl, n: int, grad: bool, ops=None) -> dict[str, tuple[Any, Callable]]:
    """Every registry op's perf rows for one implementation at about ``n`` elements: the forward call,
    or (``grad``) a forward+backward step for differentiable ops.  Inputs are the same arrays for
    every implementation (fixed seeds)."""
    from conformance.registry import REGISTRY
    from conformance.registry._perf import perf_rows

    ns = impl.ns
    out = {}
    for op in REGISTRY.values():
        if op.perf is None or (op.perf_max_elements is not None and n > op.perf_max_elements):
            continue
        differentiable = op.differentiable and op.derivative_implemented
        if grad and not differentiable:
            continue

        def T(arr, requires_grad=False, d=differentiable):
            t = impl.tensor(np.ascontiguousarray(arr))
            return t.requires_grad_(True) if requires_grad and grad and d else t

        for name, row in perf_rows(op.name, op.perf(ns, T, n)).items():
            if ops and not any(o in (op.name, name) for o in ops):
                continue
            # a compiler compiles the forward; a step's backward runs through the compiled graph's backward
            forward = impl.compile(row.fn) if impl.compile else row.fn
            out[name] = (row, _step(ns, forward) if grad else forward)
    return out


def _step(ns, forward):
    """A forward+backward step: ones as the cotangent of one output, the sum of each output's sum for several."""

    def step():
        y = forward()
        if isinstance(y, tuple | list):
            loss = y[0].sum()
            for part in y[1:]:
                loss = loss + part.sum()
            loss.backward()
        else:
            y.backward(ns.ones_like(y))

    return step


def ceilings(min_time: float) -> dict:
    """Copy bandwidth (bytes read + written) and float32 matmul FLOP/s, NumPy at 1 BLAS thread."""
    a = np.ones(2**25, dtype=np.float32)  # 128 MiB
    b = np.empty_like(a)
    t = time_reference(lambda: np.copyto(b, a), min_time)["median"]
    m = 1024
    x = np.ones((m, m), dtype=np.float32)
    tm = time_reference(lambda: x @ x, min_time)["median"]
    return {"copy_GBps": 2 * a.nbytes / t / 1e9, "copy_bytes": int(a.nbytes), "matmul_GFLOPs": 2 * m**3 / tm / 1e9}


def autograd_overhead(impls: dict[str, Impl], min_time: float) -> dict:
    """Forward + backward of a 10-op chain on 4-element tensors (per-op overhead dominates), reference
    and torch at 1 thread interleaved."""

    def chain_of(ns):
        x = ns.tensor([0.1, 0.2, 0.3, 0.4], requires_grad=True)
        w = ns.tensor([1.0, -1.0, 0.5, 2.0])

        def chain():
            y = x * w
            y = y + 1.0
            y = y.exp()
            y = y * x
            y = y.clamp(-5.0, 5.0)
            y = y.sigmoid()
            y = y - x
            y = y * 2.0
            y = y.unsqueeze(0).squeeze(0)
            y.sum().backward()
            x.grad = None

        return chain

    pair = {k: impls[k] for k in ("reference", "torch_1")}
    times, per_block = interleaved(pair, {k: chain_of(impl.ns) for k, impl in pair.items()}, min_time)
    out = {k: summary(times[k], per_block[k]) for k in pair}
    out["ratio_spread"] = ratio_summary(times["reference"], times["torch_1"])
    out["ratio"] = out["ratio_spread"]["median"]  # reference time / torch time (<= 2 is the target)
    return out


def checkpoint_io(impls: dict[str, Impl], min_time: float, megabytes: int = 100) -> dict:
    """Load and save of a ``megabytes`` state dict (float32 weight matrices and bias vectors, as a
    model's), the reference beside torch at 1 thread: the same torch-written bytes are loaded by both,
    and each saves its own copy.  Throughput in MB/s of tensor data."""
    import torch

    import reference

    rng = np.random.default_rng(0)
    layers = max(megabytes // 4, 1)
    arrays = {}
    for i in range(layers):
        arrays[f"layer{i}.weight"] = rng.standard_normal((1000, 1000), dtype=np.float32)
        arrays[f"layer{i}.bias"] = rng.standard_normal(1000, dtype=np.float32)
    nbytes = sum(a.nbytes for a in arrays.values())
    states = {
        "reference": {k: reference.from_numpy(a) for k, a in arrays.items()},
        "torch_1": {k: torch.from_numpy(a) for k, a in arrays.items()},
    }
    buf = io.BytesIO()
    torch.save(states["torch_1"], buf)
    data = buf.getvalue()
    pair = {k: impls[k] for k in ("reference", "torch_1")}
    out = {"megabytes": nbytes / 1e6, "tensors": len(arrays)}
    for what, make in (
        ("load", lambda impl: lambda: impl.ns.load(io.BytesIO(data))),
        ("save", lambda impl: lambda key=impl.key: impl.ns.save(states[key], io.BytesIO())),
    ):
        times, per_block = interleaved(pair, {k: make(impl) for k, impl in pair.items()}, min_time)
        stats = {k: summary(times[k], per_block[k]) for k in pair}
        out[what] = {
            **{k: {**v, "MBps": nbytes / v["median"] / 1e6} for k, v in stats.items()},
            "ratio": ratio_summary(times["torch_1"], times["reference"]),
        }
    return out


#: the training steps measured: a small MLP (batch 128, 64 -> 256 -> 256 -> 10) with each optimizer
TRAINING_STEPS = ("MLP step, SGD with momentum", "MLP step, Adam", "CNN step, SGD with momentum")


def _mlp(ns):
    return ns.nn.Sequential(
        ns.nn.Linear(64, 256), ns.nn.ReLU(), ns.nn.Linear(256, 256), ns.nn.ReLU(), ns.nn.Linear(256, 10)
    )


def _cnn(ns):
    """Two 3x3 convolutions (the second strided) and a linear classifier on 3x16x16 images."""
    return ns.nn.Sequential(
        ns.nn.Conv2d(3, 8, 3, padding=1),
        ns.nn.ReLU(),
        ns.nn.Conv2d(8, 16, 3, stride=2, padding=1),
        ns.nn.ReLU(),
        ns.nn.Flatten(),
        ns.nn.Linear(16 * 8 * 8, 10),
    )


def training_steps(impls: dict[str, Impl], min_time: float, batch: int = 128) -> dict:
    """One training step (zero_grad, forward, cross-entropy, backward, optimizer step) of a small MLP and
    of a small CNN, the reference beside torch at 1 thread, interleaved."""

    def step_of(ns, model: str, optimizer: str):
        ns.manual_seed(0)
        net, x = (_mlp(ns), ns.randn(batch, 64)) if model == "MLP" else (_cnn(ns), ns.randn(batch // 4, 3, 16, 16))
        y = ns.randint(0, 10, (x.shape[0],))
        if optimizer == "SGD":
            opt = ns.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        else:
            opt = ns.optim.Adam(net.parameters(), lr=1e-3)
        loss_fn = ns.nn.CrossEntropyLoss()

        def step():
            opt.zero_grad()
            loss_fn(net(x), y).backward()
            opt.step()

        return step

    pair = {k: impls[k] for k in ("reference", "torch_1")}
    out: dict = {
        "batch": batch,
        "layers": [64, 256, 256, 10],
        "cnn": f"conv 3->8 (3x3), conv 8->16 (3x3, stride 2), linear 1024->10 on 3x16x16, batch {batch // 4}",
    }
    for name in TRAINING_STEPS:
        model, optimizer = name.split(" step, ")[0], "SGD" if "SGD" in name else "Adam"
        fns = {k: step_of(impl.ns, model, optimizer) for k, impl in pair.items()}
        times, per_block = interleaved(pair, fns, min_time)
        stats = {k: summary(times[k], per_block[k]) for k in pair}
        out[name] = {**stats, "ratio": ratio_summary(times["reference"], times["torch_1"])}
    return out


def _measure_row(impls, fns_by_impl, name, min_time) -> dict:
    """Compile (compile: targets, timed apart), then time every implementation's call interleaved."""
    fns, compile_s = {}, {}
    for key, impl in impls.items():
        if name not in fns_by_impl[key]:
            continue
        fn = fns_by_impl[key][name]
        if impl.compile is not None:
            impl.reset()
            t0 = time.perf_counter()
            fn()  # the first call traces and compiles
            if impl.sync:
                impl.sync()
            compile_s[key] = time.perf_counter() - t0
        fns[key] = fn
    times, per_block = interleaved({k: impls[k] for k in fns}, fns, min_time)
    stats = {k: summary(times[k], per_block[k]) for k in fns}
    ratios = {k: ratio_summary(times["torch_1"], times[k]) for k in fns if k != "torch_1" and "torch_1" in times}
    return {"stats": stats, "ratios": ratios, "compile_s": compile_s}


def run(
    quick: bool = False,
    min_time: float = 0.2,
    targets: tuple[str, ...] = (),
    sizes: list[int] | None = None,
    ops: list[str] | None = None,
    progress=print,
    checkpoint_megabytes: int = 100,
) -> dict:
    """Measure every registry perf row (forward, and forward+backward where differentiable) at each
    size, every implementation interleaved round by round."""
    import torch

    impls = implementations(tuple(targets))
    sizes = sizes or (SIZES[:-1] if quick else SIZES)
    doc: dict = {
        "schema": 2,
        "environment": {
            "torch": torch.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "cpu": cpu_model(),
            "cpu_count": os.cpu_count(),
            "torch_threads_all": impls["torch_all"].threads,
            "numpy_blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
            "cuda_device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
            "min_run_time_s": min_time,
            "runner": f"round-robin: one block (>= 1 ms) of each implementation per round, rotating start, "
            f">= {MIN_ROUNDS} rounds and >= min_run_time_s per implementation",
            "targets": list(targets),
            "target_threads": 1,
        },
        "implementations": {k: impl.label for k, impl in impls.items()},
        "ceilings": ceilings(min_time),
        "forward": {},
        "forward_backward": {},
    }
    for section, grad in (("forward", False), ("forward_backward", True)):
        for n in sizes:
            per_impl, moved = {}, {}
            for key, impl in impls.items():
                rows = _rows(impl, n, grad, ops)
                per_impl[key] = {name: fn for name, (_, fn) in rows.items()}
                moved.update({name: row.bytes_moved for name, (row, _) in rows.items() if key == "reference"})
            for name in per_impl["reference"]:
                measured = _measure_row(impls, per_impl, name, min_time)
                entry = doc[section].setdefault(
                    name, {"sizes": [], "times": {}, "ratios": {}, "compile_s": {}, "bytes_moved": []}
                )
                entry["sizes"].append(n)
                entry["bytes_moved"].append(moved.get(name))
                for key in impls:
                    entry["times"].setdefault(key, []).append(measured["stats"].get(key))
                    if key != "torch_1":
                        entry["ratios"].setdefault(key, []).append(measured["ratios"].get(key))
                for key, seconds in measured["compile_s"].items():
                    entry["compile_s"].setdefault(key, []).append(seconds)
            progress(f"{section}: {n} elements done")
    doc["autograd_overhead"] = autograd_overhead(impls, min_time)
    doc["checkpoint_io"] = checkpoint_io(impls, min_time, checkpoint_megabytes)
    doc["training_steps"] = training_steps(impls, min_time)
    doc["headline"] = headline(doc)
    doc["target_headline"] = target_headline(doc)
    doc["memory_bound"] = memory_bound(doc)
    return doc


def _at(entry: dict, at: int) -> int | None:
    """Index of the size ``at`` in a row (or the largest measured size below it: capped rows)."""
    below = [i for i, s in enumerate(entry["sizes"]) if s <= at]
    return below[-1] if below else None


def headline(doc: dict, at: int = 10**6) -> dict:
    """reference throughput / torch CPU (1 thread) throughput per row at ``at`` elements (1.0 = as
    fast as torch), the median of the per-round ratios with their IQR."""
    rows = []
    for name, e in doc["forward"].items():
        i = _at(e, at)
        ratio = e["ratios"].get("reference", [None] * len(e["sizes"]))[i] if i is not None else None
        if ratio is None:
            continue
        rows.append(
            {
                "op": name,
                "elements": e["sizes"][i],
                "reference_s": e["times"]["reference"][i]["median"],
                "torch_1_s": e["times"]["torch_1"][i]["median"],
                "ratio": ratio["median"],
                "ratio_q1": ratio["q1"],
                "ratio_q3": ratio["q3"],
            }
        )
    geo = math.exp(sum(math.log(r["ratio"]) for r in rows) / len(rows)) if rows else None
    return {"at": at, "rows": rows, "geomean": geo, "min": min((r["ratio"] for r in rows), default=None)}


def target_headline(doc: dict, at: int = 10**6) -> dict:
    """Per ``--target``: its throughput / torch eager CPU (1 thread) per row (forward and
    forward+backward) at ``at`` elements, with the spread and, for compile: targets, the compile time."""
    out = {}
    for key in doc.get("implementations", {}):
        if not key.startswith("target:"):
            continue
        rows = []
        for section in ("forward", "forward_backward"):
            for name, e in doc[section].items():
                i = _at(e, at)
                ratio = e["ratios"].get(key, [None] * len(e["sizes"]))[i] if i is not None else None
                if ratio is None:
                    continue
                compile_s = e["compile_s"].get(key)
                rows.append(
                    {
                        "op": name,
                        "section": section,
                        "elements": e["sizes"][i],
                        "target_s": e["times"][key][i]["median"],
                        "torch_1_s": e["times"]["torch_1"][i]["median"],
                        "ratio": ratio["median"],
                        "ratio_q1": ratio["q1"],
                        "ratio_q3": ratio["q3"],
                        "compile_s": compile_s[i] if compile_s else None,
                    }
                )
        geo = math.exp(sum(math.log(r["ratio"]) for r in rows) / len(rows)) if rows else None
        out[key.removeprefix("target:")] = {"at": at, "rows": rows, "geomean": geo}
    return out


def memory_bound(doc: dict, at: int = 10**7) -> list:
    """Rows that declare the bytes they move: GB/s of the reference and torch, and the reference's
    fraction of the machine's copy bandwidth."""
    out = []
    copy = doc["ceilings"]["copy_GBps"]
    for name, e in doc["forward"].items():
        if at not in e["sizes"]:
            continue
        i = e["sizes"].index(at)
        moved = e["bytes_moved"][i]
        if not moved:
            continue
        gbps = moved / e["times"]["reference"][i]["median"] / 1e9
        torch_gbps = moved / e["times"]["torch_1"][i]["median"] / 1e9
        out.append({"op": name, "reference_GBps": gbps, "torch_1_GBps": torch_gbps, "fraction_of_copy": gbps / copy})
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m reports perf")
    p.add_argument("--out", default="results/perf.json")
    p.add_argument("--html", default="results/perf.html")
    p.add_argument("--quick", action="store_true", help="sizes up to 1e6 (a few minutes less)")
    p.add_argument("--min-time", type=float, default=0.2, help="seconds each implementation runs per row, at least")
    p.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="SPEC",
        help="also measure this target (torch:DEVICE, compile:BACKEND[:DEVICE], meta, fake, module:NAME); repeatable",
    )
    p.add_argument("--sizes", default=None, help="comma-separated element counts (default 1e2..1e7)")
    p.add_argument("--ops", default=None, help="comma-separated ops or row names to measure (default: all)")
    p.add_argument(
        "--suite-json",
        action="append",
        default=[],
        metavar="RUN.json",
        help="conformance result files whose throughput joins the header (default: results-*.json beside --out)",
    )
    args = p.parse_args(argv)
    from conformance.targets import TargetUnavailable

    sizes = [int(float(v)) for v in args.sizes.split(",")] if args.sizes else None
    ops = [o.strip() for o in args.ops.split(",")] if args.ops else None
    try:
        doc = run(args.quick, args.min_time, tuple(args.target), sizes, ops)
    except (TargetUnavailable, ValueError) as e:
        print(f"python -m reports perf: {e}")
        return 2
    suites = [Path(f) for f in args.suite_json] or sorted(Path(args.out).parent.glob("results-*.json"))
    doc["suite_runs"] = [suite_run(json.loads(f.read_text())) for f in suites if f.exists()]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(doc, indent=1))
    from .perf_html import render_perf_page

    Path(args.html).write_text(render_perf_page(doc))
    h = doc["headline"]
    geo = f"{h['geomean']:.2f}" if h["geomean"] else "n/a"
    print(f"perf written to {args.out} and {args.html}; geomean reference/torch-1-thread throughput {geo}")
    for spec, t in doc["target_headline"].items():
        if t["geomean"]:
            print(f"  {spec}: geomean throughput {t['geomean']:.2f}x torch eager CPU (1 thread)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
