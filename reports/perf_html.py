"""The perf report as HTML: headline table, ceilings, memory-bound fractions, log-log SVG plots."""

from __future__ import annotations

import html
import math

from .style import CSS

COLORS = {"reference": "#8250df", "torch_1": "#0969da", "torch_all": "#1a7f37", "torch_cuda": "#bf3989"}
LABELS = {
    "reference": "reference",
    "torch_1": "torch CPU, 1 thread",
    "torch_all": "torch CPU, all threads",
    "torch_cuda": "torch CUDA",
}


def _e(s) -> str:
    return html.escape(str(s))


def _svg_plot(name: str, entry: dict, w: int = 420, h: int = 260) -> str:
    """log-log: elements vs seconds per call, median line and IQR band per backend."""
    xs = entry["sizes"]
    series = {k: v for k, v in entry.items() if k in COLORS and v and all(p is not None for p in v)}
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
        c = COLORS[k]
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


def render_perf_section(doc: dict) -> str:
    env = doc.get("environment", {})
    out = ["<h2 id='perf'>Performance</h2>"]
    out.append("<p class='small'>" + ", ".join(f"{_e(k)}: {_e(v)}" for k, v in env.items()) + "</p>")
    c = doc["ceilings"]
    out.append(
        f"<p>Machine ceilings (NumPy, 1 thread): copy bandwidth <b>{c['copy_GBps']:.1f} GB/s</b> (bytes read + written), float32 matmul <b>{c['matmul_GFLOPs']:.1f} GFLOP/s</b>.</p>"
    )
    h = doc["headline"]
    out.append(
        f"<h3>Throughput at {h['at']:.0e} elements: reference / torch CPU (1 thread)</h3><table id='headline'><tr><th>op</th><th>elements</th><th>reference</th><th>torch 1 thread</th><th>ratio</th></tr>"
    )
    for r in sorted(h["rows"], key=lambda r: r["ratio"]):
        style = "color:#cf222e;font-weight:600" if r["ratio"] < 0.5 else ""
        out.append(
            f"<tr><td>{_e(r['op'])}</td><td>{r['elements']:.0e}</td><td>{r['reference_s'] * 1e3:.3f} ms</td><td>{r['torch_1_s'] * 1e3:.3f} ms</td><td style='{style}'>{r['ratio']:.2f}x</td></tr>"
        )
    out.append(
        f"</table><p>geometric mean <b>{h['geomean']:.2f}x</b>, minimum {h['min']:.2f}x (targets: every op >= 0.5x, geomean >= 0.8x)</p>"
    )
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
    out.append(
        f"<h3>Autograd overhead</h3><p>forward + backward of a 10-op chain on 4-element tensors: reference {a['reference']['median'] * 1e6:.0f} &micro;s, torch (1 thread) {a['torch_1']['median'] * 1e6:.0f} &micro;s, ratio <b>{a['ratio']:.2f}x</b> (target <= 2x)</p>"
    )
    for run in doc.get("suite_runs") or ():
        if run.get("duration_s") is not None:
            out.append(
                f"<p>Conformance suite wall time: {run['duration_s']:.0f} s ({_e(run.get('cases'))} cases, profile "
                f"{_e(run.get('profile'))}, {_e(run.get('xdist_workers') or 'no')} xdist workers, "
                f"{_e(run.get('cpu_count'))} CPUs)</p>"
            )
    legend = " ".join(f"<span style='color:{c}'>&#9632; {LABELS[k]}</span>" for k, c in COLORS.items())
    for section in ("forward", "forward_backward"):
        out.append(f"<h3>Scaling: {section.replace('_', ' + ')}</h3><p class='small'>{legend}; band = IQR</p><div>")
        out += [_svg_plot(name, e) for name, e in doc[section].items()]
        out.append("</div>")
    return "".join(out)


def render_perf_page(doc: dict) -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>perf report</title><style>{CSS}</style></head><body><main>{render_perf_section(doc)}</main></body></html>"
