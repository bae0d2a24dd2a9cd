"""The perf report as HTML: suite throughput, headline and per-target tables (ratios with their spread),\nceilings, memory-bound fractions, compile times, log-log SVG plots."""

from __future__ import annotations

import html
import math

from .style import CSS

COLORS = {"reference": "#8250df", "torch_1": "#0969da", "torch_all": "#1a7f37", "torch_cuda": "#bf3989"}
#: colours of --target series, in order
TARGET_COLORS = ("#bc4c00", "#4d2d00", "#0a3069", "#6e7781", "#953800", "#116329")


class NotAPerfFile(ValueError):
    """A perf JSON the page cannot show (hand-edited, truncated, or from an older version)."""


def check_perf_doc(doc, where: str = "perf JSON") -> dict:
    """``doc`` if it is a perf report this version renders, else :class:`NotAPerfFile` with one line."""
    if not isinstance(doc, dict) or "forward" not in doc or "ceilings" not in doc:
        raise NotAPerfFile(f"{where}: not a perf report written by `python -m reports perf`")
    if doc.get("schema") != 2:
        raise NotAPerfFile(
            f"{where}: perf report schema {doc.get('schema', 1)!r}, this version reads schema 2: run `python -m reports perf` again"
        )
    for section in ("forward", "forward_backward"):
        rows = doc.get(section)
        if not isinstance(rows, dict) or not all(
            isinstance(e, dict) and isinstance(e.get("sizes"), list) and isinstance(e.get("times"), dict)
            for e in rows.values()
        ):
            raise NotAPerfFile(f"{where}: section {section!r} is not a table of rows with sizes and times")
    return doc


def _colors(doc: dict) -> dict[str, str]:
    measured = doc.get("implementations", {})
    colors = {k: c for k, c in COLORS.items() if k in measured}
    targets = [k for k in measured if k.startswith("target:")]
    colors.update({k: TARGET_COLORS[i % len(TARGET_COLORS)] for i, k in enumerate(targets)})
    return colors


def _labels(doc: dict) -> dict[str, str]:
    return {**LABELS, **doc.get("implementations", {})}


LABELS = {
    "reference": "reference",
    "torch_1": "torch CPU, 1 thread",
    "torch_all": "torch CPU, all threads",
    "torch_cuda": "torch CUDA",
}


def _e(s) -> str:
    return html.escape(str(s))


def _ratio(r) -> str:
    """A throughput ratio with its spread (IQR of the per-round ratios)."""
    return f"{r['ratio']:.2f}x <span class='small'>[{r['ratio_q1']:.2f}, {r['ratio_q3']:.2f}]</span>"


def _svg_plot(name: str, entry: dict, colors: dict[str, str], w: int = 420, h: int = 260) -> str:
    """log-log: elements vs seconds per call, median line and IQR band per implementation."""
    xs = entry["sizes"]
    series = {k: v for k, v in entry["times"].items() if k in colors and v and all(p is not None for p in v)}
    ys = [p["median"] + p["iqr"] / 2 for v in series.values() for p in v] + [
        max(p["median"] - p["iqr"] / 2, 1e-12) for v in series.values() for p in v
    ]
    if not xs or not ys:
        return ""
    lx0, lx1 = math.log10(min(xs)), math.log10(max(xs)) + 1e-9
    ly0, ly1 = math.log10(min(ys)), math.log10(max(ys)) + 1e-9
    pad = 40

    def X(v):
        return pad + (math.log10(v) - lx0) / (lx1 - lx0 or 1) * (w - pad - 10)

    def Y(v):
        return h - pad + (-(math.log10(max(v, 1e-12)) - ly0) / (ly1 - ly0 or 1)) * (h - pad - 10)

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' role='img' aria-label='{_e(name)}'>"]
    parts.append(f"<rect x='{pad}' y='0' width='{w - pad - 10}' height='{h - pad}' fill='#fff' stroke='#d0d7de'/>")
    for d in range(math.floor(ly0), math.ceil(ly1) + 1):
        y = Y(10**d)
        if 0 <= y <= h - pad:
            parts.append(
                f"<text x='2' y='{y + 4:.1f}' font-size='10'>1e{d}s</text><line x1='{pad}' x2='{w - 10}' y1='{y:.1f}' y2='{y:.1f}' stroke='#eee'/>"
            )
    for v in xs:
        parts.append(f"<text x='{X(v) - 8:.1f}' y='{h - pad + 14}' font-size='10'>1e{round(math.log10(v))}</text>")
    for k, pts in series.items():
        c = colors[k]
        upper = [(X(x), Y(p["median"] + p["iqr"] / 2)) for x, p in zip(xs, pts, strict=True)]
        lower = [(X(x), Y(max(p["median"] - p["iqr"] / 2, 1e-12))) for x, p in zip(xs, pts, strict=True)]
        band = " ".join(f"{a:.1f},{b:.1f}" for a, b in upper + lower[::-1])
        parts.append(f"<polygon points='{band}' fill='{c}' fill-opacity='0.15' stroke='none'/>")
        line = " ".join(f"{X(x):.1f},{Y(p['median']):.1f}" for x, p in zip(xs, pts, strict=True))
        parts.append(f"<polyline points='{line}' fill='none' stroke='{c}' stroke-width='2'/>")
    parts.append(f"<text x='{pad + 4}' y='14' font-size='12' font-weight='600'>{_e(name)}</text>")
    parts.append(
        f"<text x='{w / 2:.0f}' y='{h - 6}' font-size='10'>elements (log), seconds per call (log)</text></svg>"
    )
    return "".join(parts)


def _suite_lines(doc: dict) -> list[str]:
    """The conformance suite's throughput (examples per second per core) and wall time, per run."""
    out = []
    for run in doc.get("suite_runs") or ():
        if run.get("duration_s") is None:
            continue
        parts = []
        if run.get("examples_per_core_s"):
            per_target = ", ".join(
                f"{_e(t)} {v['examples_per_core_s']:.1f}"
                for t, v in (run.get("per_target") or {}).items()
                if v.get("examples_per_core_s")
            )
            parts.append(
                f"<b>{run['examples_per_core_s']:.1f} generated examples per second per core</b> "
                f"({_e(run.get('examples'))} examples; per target: {per_target})"
            )
        parts.append(
            f"wall time {run['duration_s']:.0f} s ({_e(run.get('cases'))} cases, profile {_e(run.get('profile'))}, "
            f"{_e(run.get('xdist_workers') or 'no')} xdist workers, {_e(run.get('cpu_count'))} CPUs)"
        )
        out.append("<p>Conformance suite: " + "; ".join(parts) + "</p>")
    return out


def _target_tables(doc: dict) -> list[str]:
    out = []
    for spec, t in (doc.get("target_headline") or {}).items():
        compiled = any(r.get("compile_s") is not None for r in t["rows"])
        out.append(
            f"<h3>Target {_e(spec)}: throughput / torch eager CPU (1 thread), at {t['at']:.0e} elements</h3>"
            "<table class='target-perf'><tr><th>row</th><th>step</th><th>elements</th><th>target</th>"
            "<th>torch 1 thread</th><th>throughput ratio [IQR]</th>"
            + ("<th>compile time</th>" if compiled else "")
            + "</tr>"
        )
        for r in sorted(t["rows"], key=lambda r: (r["section"], r["ratio"])):
            step = "forward" if r["section"] == "forward" else "forward + backward"
            out.append(
                f"<tr><td>{_e(r['op'])}</td><td>{step}</td><td>{r['elements']:.0e}</td>"
                f"<td>{r['target_s'] * 1e3:.3f} ms</td><td>{r['torch_1_s'] * 1e3:.3f} ms</td><td>{_ratio(r)}</td>"
                + (f"<td>{r['compile_s']:.2f} s</td>" if compiled and r.get("compile_s") is not None else "")
                + "</tr>"
            )
        geo = f"{t['geomean']:.2f}x" if t.get("geomean") else "n/a"
        total = sum(r["compile_s"] for r in t["rows"] if r.get("compile_s") is not None)
        out.append(
            f"</table><p>geometric mean <b>{geo}</b>"
            + (f"; compile time of these rows {total:.1f} s in all (first call after a reset)" if compiled else "")
            + "</p>"
        )
    return out


def render_perf_section(doc: dict) -> str:
    doc = check_perf_doc(doc)
    env = doc.get("environment", {})
    colors, labels = _colors(doc), _labels(doc)
    out = ["<h2 id='perf'>Performance</h2>"]
    out += _suite_lines(doc)
    out.append("<p class='small'>" + ", ".join(f"{_e(k)}: {_e(v)}" for k, v in env.items()) + "</p>")
    c = doc["ceilings"]
    out.append(
        f"<p>Machine ceilings (NumPy, 1 thread): copy bandwidth <b>{c['copy_GBps']:.1f} GB/s</b> (bytes read + written), float32 matmul <b>{c['matmul_GFLOPs']:.1f} GFLOP/s</b>.</p>"
    )
    h = doc["headline"]
    out.append(
        f"<h3>Throughput at {h['at']:.0e} elements: reference / torch CPU (1 thread)</h3>"
        "<p class='small'>Each ratio is the median of per-round ratios, the two measured in the same round; "
        "[q1, q3] is their interquartile range (the spread).</p>"
        "<table id='headline'><tr><th>op</th><th>elements</th><th>reference</th><th>torch 1 thread</th><th>ratio [IQR]</th></tr>"
    )
    for r in sorted(h["rows"], key=lambda r: r["ratio"]):
        style = "color:#cf222e;font-weight:600" if r["ratio"] < 0.5 else ""
        out.append(
            f"<tr><td>{_e(r['op'])}</td><td>{r['elements']:.0e}</td><td>{r['reference_s'] * 1e3:.3f} ms</td><td>{r['torch_1_s'] * 1e3:.3f} ms</td><td style='{style}'>{_ratio(r)}</td></tr>"
        )
    if h["rows"]:
        out.append(
            f"</table><p>geometric mean <b>{h['geomean']:.2f}x</b>, minimum {h['min']:.2f}x (targets: every op >= 0.5x, geomean >= 0.8x)</p>"
        )
    else:
        out.append("</table>")
    out += _target_tables(doc)
    if doc.get("memory_bound"):
        out.append(
            "<h3>Memory-bound ops at 1e7 elements</h3><table><tr><th>op</th><th>reference GB/s</th><th>torch 1 thread GB/s</th><th>fraction of copy bandwidth</th></tr>"
        )
        for r in doc["memory_bound"]:
            out.append(
                f"<tr><td>{_e(r['op'])}</td><td>{r['reference_GBps']:.2f}</td><td>{r['torch_1_GBps']:.2f}</td><td>{r['fraction_of_copy'] * 100:.0f}%</td></tr>"
            )
        out.append("</table><p class='small'>target: >= 50% of the copy bandwidth</p>")
    a = doc["autograd_overhead"]
    spread = a.get("ratio_spread", {})
    out.append(
        f"<h3>Autograd overhead</h3><p>forward + backward of a 10-op chain on 4-element tensors: reference {a['reference']['median'] * 1e6:.0f} &micro;s, torch (1 thread) {a['torch_1']['median'] * 1e6:.0f} &micro;s, ratio <b>{a['ratio']:.2f}x</b>"
        + (f" [{spread['q1']:.2f}, {spread['q3']:.2f}]" if spread else "")
        + " (target <= 2x)</p>"
    )
    ck = doc.get("checkpoint_io")
    if ck:
        out.append(
            f"<h3>Checkpoints</h3><table id='checkpoint-io'><tr><th>{ck['megabytes']:.0f} MB state dict "
            f"({ck['tensors']} tensors)</th><th>reference</th><th>torch 1 thread</th><th>throughput ratio [IQR]</th></tr>"
        )
        for what in ("load", "save"):
            row, r = ck[what], ck[what]["ratio"]
            out.append(
                f"<tr><td>{what}</td><td>{row['reference']['MBps']:.0f} MB/s</td><td>{row['torch_1']['MBps']:.0f} MB/s</td>"
                f"<td>{r['median']:.2f}x <span class='small'>[{r['q1']:.2f}, {r['q3']:.2f}]</span></td></tr>"
            )
        out.append("</table><p class='small'>load: the same torch-written bytes; save: each side's own file.</p>")
    tr = doc.get("training_steps")
    if tr:
        out.append(
            "<h3>Training steps</h3><table id='training-steps'><tr><th>one step (zero_grad, forward, loss, backward, "
            "optimizer step)</th><th>reference</th><th>torch 1 thread</th><th>time ratio [IQR]</th></tr>"
        )
        for name, row in tr.items():
            if not isinstance(row, dict) or "ratio" not in row:
                continue
            r = row["ratio"]
            out.append(
                f"<tr><td>{_e(name)}</td><td>{row['reference']['median'] * 1e3:.2f} ms</td>"
                f"<td>{row['torch_1']['median'] * 1e3:.2f} ms</td>"
                f"<td>{r['median']:.2f}x <span class='small'>[{r['q1']:.2f}, {r['q3']:.2f}]</span></td></tr>"
            )
        out.append(
            f"</table><p class='small'>an MLP {' -> '.join(str(n) for n in tr.get('layers', []))} on a batch of "
            f"{_e(tr.get('batch'))}; a CNN: {_e(tr.get('cnn', ''))}; cross-entropy loss; reference time / torch "
            "time.</p>"
        )
    legend = " ".join(f"<span style='color:{c}'>&#9632; {_e(labels.get(k, k))}</span>" for k, c in colors.items())
    for section in ("forward", "forward_backward"):
        out.append(f"<h3>Scaling: {section.replace('_', ' + ')}</h3><p class='small'>{legend}; band = IQR</p><div>")
        out += [_svg_plot(name, e, colors) for name, e in doc[section].items()]
        out.append("</div>")
    return "".join(out)


def render_perf_page(doc: dict) -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>perf report</title><style>{CSS}</style></head><body><main>{render_perf_section(doc)}</main></body></html>"
