"""The perf report: throughput of the reference vs torch CPU (1 thread and all threads) and
torch CUDA (when present), scaling curves, the machine's ceilings, and autograd overhead.

    python -m reports perf [--out results/perf.json] [--html results/perf.html] [--quick]

Never run as a test: timings are measured here and reported, not asserted.  BLAS threads of
NumPy are pinned to 1 (set before NumPy loads) so the reference is compared with torch at 1
thread on equal terms; torch's thread counts are set per measurement and stated.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from .machine import cpu_model  # noqa: E402
from .suite import suite_run  # noqa: E402

SIZES = [10**2, 10**3, 10**4, 10**5, 10**6, 10**7]
SVD_SIZES = [8, 32, 128, 512, 1024]
MEMORY_BOUND = ("gather", "clamp", "permute+contiguous", "flatten (non-contiguous)")


def time_reference(fn, min_time: float) -> dict:
    """Warm up, grow the block until it lasts >= 1 ms, then time blocks for ``min_time``:
    the median and IQR of the per-call time (the same method as torch's blocked_autorange)."""
    fn()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= 1e-3 or n >= 10**6:
            break
        n *= 4
    blocks, total = [], 0.0
    while total < min_time or len(blocks) < 3:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        blocks.append(dt / n)
        total += dt
    q1, med, q3 = np.percentile(blocks, [25, 50, 75])
    return {"median": float(med), "iqr": float(q3 - q1), "blocks": len(blocks), "per_block": n}


def time_torch(fn, min_time: float, threads: int) -> dict:
    import torch.utils.benchmark as tb

    m = tb.Timer(stmt="fn()", globals={"fn": fn}, num_threads=threads).blocked_autorange(min_run_time=min_time)
    return {"median": float(m.median), "iqr": float(m.iqr), "blocks": len(m.times), "per_block": m.number_per_run}


def _cases(ns, n: int, device: str | None, grad: bool):
    """(name, zero-argument callable) per op at about ``n`` elements."""
    rng = np.random.default_rng(0)
    kw = {} if device is None else {"device": device}

    def T(arr, requires_grad=False):
        t = ns.tensor(arr, **kw) if device is not None else ns.from_numpy(np.ascontiguousarray(arr))
        return t.requires_grad_(True) if requires_grad else t

    cols = 64 if n >= 64 else 1
    rows = max(n // cols, 1)
    x = T(rng.standard_normal((rows, cols)).astype(np.float32), grad)
    idx = T(rng.integers(0, cols, (rows, cols)).astype(np.int64))
    g = T(rng.standard_normal((rows, cols)).astype(np.float32))
    side = max(int(round(n ** (1 / 3))), 1)
    cube = T(rng.standard_normal((side, side, side)).astype(np.float32), grad)
    sq = max(int(math.isqrt(n)), 1)
    a = T(rng.standard_normal((sq, sq)).astype(np.float32), grad)
    b = T(rng.standard_normal((sq, sq)).astype(np.float32), grad)
    tall = T(rng.standard_normal((rows, cols)).astype(np.float32).T.copy(), grad).t()  # non-contiguous view
    col = T(rng.standard_normal((n, 1)).astype(np.float32), grad)

    def fwd_bwd(make, cot=None):
        def step():
            y = make()
            y.backward(cot if cot is not None else ns.ones_like(y))

        return step

    cases = {
        "gather": lambda: ns.gather(x, 1, idx),
        "clamp": lambda: ns.clamp(x, -0.5, 0.5),
        "permute+contiguous": lambda: cube.permute(2, 0, 1).contiguous(),
        "flatten (non-contiguous)": lambda: ns.flatten(tall),
        "squeeze": lambda: col.squeeze(1),
        "unsqueeze": lambda: x.unsqueeze(0),
        "permute (view)": lambda: cube.permute(2, 0, 1),
        "einsum ij,jk->ik": lambda: ns.einsum("ij,jk->ik", a, b),
        "einsum ij->j": lambda: ns.einsum("ij->j", x),
        "detach": lambda: x.detach(),
        "sum": lambda: x.sum(1),
        "exp": lambda: x.exp(),
        "mul": lambda: x * g,
    }
    # the rows registry entries declare (OpInfo.perf): an op added to the registry is measured too
    from conformance.registry import REGISTRY

    declared = {op.name: op for op in REGISTRY.values() if op.perf is not None}
    cases.update(
        {
            name: op.perf(ns, lambda arr, rg=False, d=op.differentiable: T(arr, rg and grad and d), n)
            for name, op in declared.items()
        }
    )
    if not grad:
        return cases
    views = ("detach", "squeeze", "unsqueeze", "permute (view)")
    return {
        name: fwd_bwd(make)
        for name, make in cases.items()
        if name not in views
        and (name not in declared or (declared[name].differentiable and declared[name].derivative_implemented))
    }


def _svd_cases(ns, m: int, device: str | None):
    rng = np.random.default_rng(1)
    arr = rng.standard_normal((m, m)).astype(np.float32)
    A = ns.tensor(arr, device=device) if device is not None else ns.from_numpy(arr)
    return {"linalg.svd": lambda: ns.linalg.svd(A, full_matrices=False), "linalg.svdvals": lambda: ns.linalg.svdvals(A)}


def ceilings(min_time: float) -> dict:
    """Copy bandwidth (bytes read + written) and float32 matmul FLOP/s, NumPy at 1 BLAS thread."""
    a = np.ones(2**25, dtype=np.float32)  # 128 MiB
    b = np.empty_like(a)
    t = time_reference(lambda: np.copyto(b, a), min_time)["median"]
    m = 1024
    x = np.ones((m, m), dtype=np.float32)
    tm = time_reference(lambda: x @ x, min_time)["median"]
    return {"copy_GBps": 2 * a.nbytes / t / 1e9, "copy_bytes": int(a.nbytes), "matmul_GFLOPs": 2 * m**3 / tm / 1e9}


def _bytes_moved(op: str, n: int) -> int:
    return {"gather": n * (4 + 8 + 4), "clamp": 8 * n, "permute+contiguous": 8 * n, "flatten (non-contiguous)": 8 * n}[
        op
    ]


def autograd_overhead(ns, device, min_time: float, reference_side: bool) -> dict:
    """Forward + backward of a 10-op chain on 4-element tensors: per-op overhead dominates."""
    kw = {} if device is None else {"device": device}
    x = ns.tensor([0.1, 0.2, 0.3, 0.4], requires_grad=True, **kw)
    w = ns.tensor([1.0, -1.0, 0.5, 2.0], **kw)

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

    return time_reference(chain, min_time) if reference_side else time_torch(chain, min_time, 1)


def run(quick: bool = False, min_time: float = 0.2) -> dict:
    import torch

    import reference

    sizes = SIZES[:-1] if quick else SIZES
    svd_sizes = SVD_SIZES[:3] if quick else SVD_SIZES
    all_threads = torch.get_num_threads()
    cuda = torch.cuda.is_available()
    doc: dict = {
        "environment": {
            "torch": torch.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "cpu": cpu_model(),
            "cpu_count": os.cpu_count(),
            "torch_threads_all": all_threads,
            "numpy_blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
            "cuda_device": torch.cuda.get_device_name(0) if cuda else None,
            "min_run_time_s": min_time,
        },
        "ceilings": ceilings(min_time),
        "forward": {},
        "forward_backward": {},
    }
    for section, grad in (("forward", False), ("forward_backward", True)):
        for n in sizes:
            ref = _cases(reference, n, None, grad)
            tcpu = _cases(torch, n, "cpu", grad)
            tgpu = _cases(torch, n, "cuda", grad) if cuda else {}
            for name in ref:
                entry = doc[section].setdefault(
                    name, {"sizes": [], "reference": [], "torch_1": [], "torch_all": [], "torch_cuda": []}
                )
                entry["sizes"].append(n)
                entry["reference"].append(time_reference(ref[name], min_time))
                entry["torch_1"].append(time_torch(tcpu[name], min_time, 1))
                entry["torch_all"].append(time_torch(tcpu[name], min_time, all_threads))
                entry["torch_cuda"].append(time_torch(tgpu[name], min_time, 1) if cuda else None)
            print(f"{section}: {n} elements done", flush=True)
    for m in svd_sizes:
        ref, tcpu = _svd_cases(reference, m, None), _svd_cases(torch, m, "cpu")
        tgpu = _svd_cases(torch, m, "cuda") if cuda else {}
        for name in ref:
            entry = doc["forward"].setdefault(
                name, {"sizes": [], "reference": [], "torch_1": [], "torch_all": [], "torch_cuda": []}
            )
            entry["sizes"].append(m * m)
            entry["reference"].append(time_reference(ref[name], min_time))
            entry["torch_1"].append(time_torch(tcpu[name], min_time, 1))
            entry["torch_all"].append(time_torch(tcpu[name], min_time, all_threads))
            entry["torch_cuda"].append(time_torch(tgpu[name], min_time, 1) if cuda else None)
        print(f"svd: {m}x{m} done", flush=True)
    doc["autograd_overhead"] = {
        "reference": autograd_overhead(reference, None, min_time, True),
        "torch_1": autograd_overhead(torch, "cpu", min_time, False),
    }
    doc["autograd_overhead"]["ratio"] = (
        doc["autograd_overhead"]["reference"]["median"] / doc["autograd_overhead"]["torch_1"]["median"]
    )
    doc["headline"] = headline(doc)
    doc["memory_bound"] = memory_bound(doc)
    return doc


def headline(doc: dict, at: int = 10**6) -> dict:
    """reference / torch-CPU(1 thread) throughput per op at ``at`` elements (1.0 = as fast as torch)."""
    rows = []
    for name, e in doc["forward"].items():
        if at in e["sizes"]:
            i = e["sizes"].index(at)
        elif name.startswith("linalg."):
            i = len(e["sizes"]) - 1 if e["sizes"][-1] <= at else next(k for k, s in enumerate(e["sizes"]) if s >= at)
        else:
            continue
        ratio = e["torch_1"][i]["median"] / e["reference"][i]["median"]
        rows.append(
            {
                "op": name,
                "elements": e["sizes"][i],
                "reference_s": e["reference"][i]["median"],
                "torch_1_s": e["torch_1"][i]["median"],
                "ratio": ratio,
            }
        )
    geo = math.exp(sum(math.log(r["ratio"]) for r in rows) / len(rows)) if rows else None
    return {"at": at, "rows": rows, "geomean": geo, "min": min((r["ratio"] for r in rows), default=None)}


def memory_bound(doc: dict, at: int = 10**7) -> list:
    out = []
    copy = doc["ceilings"]["copy_GBps"]
    for name in MEMORY_BOUND:
        e = doc["forward"].get(name)
        if not e or at not in e["sizes"]:
            continue
        i = e["sizes"].index(at)
        gbps = _bytes_moved(name, at) / e["reference"][i]["median"] / 1e9
        torch_gbps = _bytes_moved(name, at) / e["torch_1"][i]["median"] / 1e9
        out.append({"op": name, "reference_GBps": gbps, "torch_1_GBps": torch_gbps, "fraction_of_copy": gbps / copy})
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m reports perf")
    p.add_argument("--out", default="results/perf.json")
    p.add_argument("--html", default="results/perf.html")
    p.add_argument("--quick", action="store_true", help="sizes up to 1e6 and SVD up to 128 (a few minutes less)")
    p.add_argument("--min-time", type=float, default=0.2)
    args = p.parse_args(argv)
    doc = run(args.quick, args.min_time)
    suite = Path(args.out).with_name("results-cpu.json")
    if suite.exists():
        doc["suite_runs"] = [suite_run(json.loads(suite.read_text()))]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(doc, indent=1))
    from .perf_html import render_perf_page

    Path(args.html).write_text(render_perf_page(doc))
    h = doc["headline"]
    print(f"perf written to {args.out} and {args.html}; geomean reference/torch-1-thread throughput {h['geomean']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
