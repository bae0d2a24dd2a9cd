"""Render one self-contained HTML page from one or more result JSON files.

No network, no external files: CSS and the few lines of JS are inline.  The
page is static HTML (the browser does no work to build it), with details
collapsed, so it stays quick with tens of thousands of cases.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from pathlib import Path

from .perf_html import render_perf_section
from .style import CSS

ORDER = {"failed": 0, "error": 1, "xfailed": 2, "passed": 3, "n/a": 4, "skipped": 5}
COLORS = {
    "failed": "#d73a49",
    "error": "#b31d28",
    "passed": "#2da44e",
    "xfailed": "#8250df",
    "n/a": "#6e7781",
    "skipped": "#8c959f",
    "none": "#eaeef2",
}
#: rows that test this project itself, not an implementation: shown in a section of their own
SELF_TESTS = {"strategies", "purity", "report", "tolerances", "signature", "targets", "expectations", "perf"}
_OLD_DEVICES = {"cpu": "torch:cpu", "cuda": "torch:cuda"}


def target_of(r: dict) -> str:
    """A result's target (files written before targets existed name a device)."""
    if "target" in r:
        return r["target"]
    dev = r.get("device", "cpu")
    return _OLD_DEVICES.get(dev, f"torch:{dev}")


def outcome_of(r: dict) -> str:
    """passed / failed / error / skipped, and "n/a" for a check that does not apply to its target."""
    if r["outcome"] == "skipped" and str(r.get("reason", "")).startswith("not applicable"):
        return "n/a"
    return r["outcome"]


class NotAResultFile(ValueError):
    """A file given to the report that is not a conformance result file (one line says why)."""


def load_runs(paths) -> list[dict]:
    """Result files written by ``--report-json``; anything else raises :class:`NotAResultFile`.
    The files are data: they are parsed as JSON and checked, never executed."""
    runs = []
    for p in paths:
        try:
            doc = json.loads(Path(p).read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise NotAResultFile(f"{p}: not a conformance result file (unreadable JSON: {e})") from None
        problem = _result_file_problem(doc)
        if problem:
            raise NotAResultFile(f"{p}: not a conformance result file ({problem})")
        doc["source"] = str(p)
        runs.append(doc)
    return runs


def _result_file_problem(doc) -> str | None:
    if not isinstance(doc, dict):
        return f"the top level is a {type(doc).__name__}, not an object"
    if not isinstance(doc.get("results"), list):
        return "no 'results' list"
    for i, r in enumerate(doc["results"]):
        if not isinstance(r, dict):
            return f"result {i} is not an object"
        for key in ("op", "check", "outcome"):
            if not isinstance(r.get(key), str):
                return f"result {i} has no string {key!r}"
        if not isinstance(r.get("target", r.get("device", "")), str):
            return f"result {i} has a target that is not a string"
        if not isinstance(r.get("duration", 0), int | float):
            return f"result {i} has a duration that is not a number"
    return None


def merge(runs: list[dict]) -> dict:
    """All runs' results in one op x target table (self-tests apart); a case seen in several runs keeps
    its worst outcome per run."""
    cells: dict = defaultdict(list)  # (op, target) -> results
    self_tests: list = []
    results: list = []  # every result, its target and outcome normalised (old files name a device)
    for i, run in enumerate(runs):
        for r in run["results"]:
            r = dict(r, run=i, target=target_of(r), outcome=outcome_of(r))
            results.append(r)
            if r["op"] in SELF_TESTS:
                self_tests.append(r)
            else:
                cells[(r["op"], r["target"])].append(r)
    ops = sorted({op for op, _ in cells}, key=lambda o: (o.startswith("fixture."), o))
    targets = sorted({d for _, d in cells}, key=lambda d: (d != "torch:cpu", d))
    return {"cells": cells, "ops": ops, "devices": targets, "self_tests": self_tests, "results": results}


def _status(results) -> str:
    ran = [r for r in results if r["outcome"] not in ("skipped", "n/a")]
    if not results:
        return "none"
    if not ran:
        return "n/a" if any(r["outcome"] == "n/a" for r in results) else "skipped"
    return min((r["outcome"] for r in ran), key=lambda o: ORDER.get(o, 9))


def _e(s) -> str:
    return html.escape(str(s), quote=True)


JS = """
function toggle(id){var e=document.getElementById(id);if(e){e.classList.toggle('hidden');}}
function copyText(id){var t=document.getElementById(id).innerText;navigator.clipboard&&navigator.clipboard.writeText(t);}
"""


def _badge(outcome: str, text: str | None = None) -> str:
    return f'<span class="badge" style="background:{COLORS.get(outcome, "#57606a")}">{_e(text or outcome)}</span>'


def _env_table(run: dict) -> str:
    env = run.get("environment", {})
    keys = [
        "torch",
        "numpy",
        "hypothesis",
        "python",
        "profile",
        "seed",
        "device_option",
        "cuda_device",
        "cpu",
        "cpu_count",
        "torch_threads",
        "xdist_workers",
        "platform",
    ]
    rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(env.get(k))}</td></tr>" for k in keys)
    return f'<table class="kv">{rows}<tr><td>duration</td><td>{_e(run.get("duration_s"))} s</td></tr></table>'


def baseline_changes(baseline: list[dict], runs: list[dict]) -> dict[str, list[tuple]]:
    """(op, check, target) keys whose outcome changed since the baseline runs: ``regressed`` (was
    passing or expected, now failing), ``fixed`` (was failing, now passing), ``new`` and ``gone``."""

    def table(rs):
        out = {}
        for run in rs:
            for r in run["results"]:
                key = (r["op"], r["check"], target_of(r))
                o = outcome_of(r)
                out[key] = o if key not in out else min(out[key], o, key=lambda x: ORDER.get(x, 9))
        return out

    old, new = table(baseline), table(runs)
    bad = ("failed", "error")
    changes: dict[str, list[tuple]] = {"regressed": [], "fixed": [], "new": [], "gone": []}
    for key, o in sorted(new.items()):
        if key not in old:
            changes["new"].append(key)
        elif o in bad and old[key] not in bad:
            changes["regressed"].append(key)
        elif o not in bad and old[key] in bad:
            changes["fixed"].append(key)
    changes["gone"] = sorted(k for k in old if k not in new)
    return changes


def _baseline_section(changes: dict[str, list[tuple]], sources: list[str]) -> str:
    out = [f"<h2 id='baseline'>Since the baseline</h2><p class='small'>compared with {_e(', '.join(sources))}</p>"]
    for kind, outcome in (("regressed", "failed"), ("fixed", "passed")):
        keys = changes[kind]
        out.append(f"<h3>{_badge(outcome, f'{len(keys)} {kind}')}</h3>")
        if keys:
            out.append("<table><tr><th>op</th><th>check</th><th>target</th></tr>")
            out += [f"<tr><td>{_e(o)}</td><td>{_e(c)}</td><td>{_e(t)}</td></tr>" for o, c, t in keys]
            out.append("</table>")
    out.append(
        f"<p class='small'>{len(changes['new'])} checks are new in this run, {len(changes['gone'])} of the "
        "baseline's are not in it.</p>"
    )
    return "".join(out)


def render(
    runs: list[dict],
    title: str = "PyTorch semantics conformance",
    perf: dict | None = None,
    baseline: list[dict] | None = None,
) -> str:
    m = merge(runs)
    all_results = m["results"]
    counts = defaultdict(int)
    for r in all_results:
        counts[r["outcome"]] += 1
    out = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{_e(title)}</title><style>{CSS}</style></head><body>"
    ]
    out.append(f"<header><h1>{_e(title)}</h1><div id='summary'>")
    for k in ("passed", "failed", "error", "xfailed", "n/a", "skipped"):
        out.append(_badge(k, f"{counts.get(k, 0)} {k}") + " ")
    out.append(f"<span class='small'>{len(all_results)} cases in {len(runs)} run(s): ")
    out.append(
        ", ".join(_e(f"{r['source']} ({r.get('environment', {}).get('torch')}, {r.get('duration_s')} s)") for r in runs)
    )
    out.append("</span></div>")
    for run in runs:
        if not run.get("complete", True):
            out.append(
                f"<div class='bad' id='incomplete'><b>Incomplete run</b> {_e(run['source'])}: "
                f"{len(run.get('missing', []))} collected cases have no result; crashed: {_e('; '.join(run.get('crashed', [])) or 'none')}</div>"
            )
        if run.get("required_events_missing"):
            miss = run["required_events_missing"]
            out.append(
                f"<details class='warn'><summary><b>{len(miss)} required hard cases not generated</b> in "
                f"{_e(run['source'])} (expected only for partial runs)</summary>{_e(', '.join(miss))}</details>"
            )
    out.append("</header><main>")
    if baseline:
        out.append(_baseline_section(baseline_changes(baseline, runs), [b["source"] for b in baseline]))

    # the op x target grid
    out.append(
        "<h2>Ops &times; targets</h2><p class='small'>Click a cell for its checks and dtypes. A cell counts "
        "passed checks of those that ran; <i>xfailed</i> (purple) failed only where an expected failure of the "
        "--expect file covers it, with its reason; <i>n/a</i> checks do not apply to the target (no data on meta) and "
        "are never counted as passed.</p><table id='grid'><tr><th>op</th>"
    )
    out += [f"<th>{_e(d)}</th>" for d in m["devices"]]
    out.append("</tr>")
    for i, op in enumerate(m["ops"]):
        out.append(f"<tr><td><a href='#op-{i}'>{_e(op)}</a></td>")
        drills = []
        for j, dev in enumerate(m["devices"]):
            res = m["cells"].get((op, dev), [])
            st = _status(res)
            n_pass = sum(r["outcome"] == "passed" for r in res)
            ran = sum(r["outcome"] not in ("skipped", "n/a") for r in res)
            label = f"{n_pass}/{ran}" if ran else (st if res else "&mdash;")
            cid = f"d-{i}-{j}"
            out.append(
                f"<td class='cell' data-status='{st}' style='background:{COLORS[st]}' onclick=\"toggle('{cid}')\">{label}</td>"
            )
            drills.append((cid, dev, res))
        out.append("</tr>")
        for cid, dev, res in drills:
            out.append(
                f"<tr id='{cid}' class='drill hidden'><td colspan='{len(m['devices']) + 1}'>{_drill(op, dev, res, i)}</td></tr>"
            )
    out.append("</table>")

    # failures first, with reproductions
    failures = [r for r in all_results if r["outcome"] in ("failed", "error")]
    out.append(f"<h2 id='failures'>Failures ({len(failures)})</h2>")
    for k, r in enumerate(failures):
        out.append(
            f"<details class='failure' open><summary>{_badge(r['outcome'])} <b>{_e(r['op'])}</b> &middot; {_e(r['check'])} &middot; {_e(r['target'])} <span class='small'>{_e(r['nodeid'])}</span></summary>"
        )
        if r.get("reproduction"):
            out.append(
                f"<div>Reproduction <button onclick=\"copyText('repro-{k}')\">copy</button></div><pre class='reproduction' id='repro-{k}'>{_e(r['reproduction'])}</pre>"
            )
        out.append(f"<details><summary>full report</summary><pre>{_e(r.get('message', ''))}</pre></details></details>")

    # per op: which semantics were checked, examples, coverage events
    out.append("<h2>Per op</h2>")
    for i, op in enumerate(m["ops"]):
        res = [r for dev in m["devices"] for r in m["cells"].get((op, dev), [])]
        st = _status(res)
        examples = sum(r.get("examples", 0) for r in res)
        out.append(
            f"<details id='op-{i}'><summary>{_badge(st)} <b>{_e(op)}</b> <span class='small'>{len(res)} cases, {examples} examples</span></summary>"
        )
        out.append(_checks_table(res))
        ev = defaultdict(int)
        for r in res:
            for k, v in r.get("events", {}).items():
                ev[k] += v
        if ev:
            items = ", ".join(f"{_e(k)} ({v})" for k, v in sorted(ev.items()))
            out.append(f"<p class='small'><b>coverage events:</b> {items}</p>")
        out.append("</details>")

    out.append(_operator_coverage(runs))
    out.append(_overrides_table(runs))
    out.append(_self_tests(m["self_tests"]))

    if perf:
        out.append(render_perf_section(perf))

    out.append("<h2>Environment</h2>")
    for run in runs:
        out.append(f"<h3 class='small'>{_e(run['source'])}</h3>{_env_table(run)}")
    out.append(f"<script>{JS}</script></main></body></html>")
    return "".join(out)


def _checks_table(res) -> str:
    compiled = any("compiles" in r for r in res)  # torch.compile targets: graphs built per check
    rows = []
    for r in sorted(res, key=lambda r: (r["check"], r["target"])):
        reason = f" ({_e(r.get('reason', ''))})" if r["outcome"] in ("skipped", "n/a", "xfailed") else ""
        extra = f"<td>{_e(r.get('compiles', ''))}</td>" if compiled else ""
        rows.append(
            f"<tr><td>{_e(r['check'])}</td><td>{_e(r['target'])}</td><td>{_badge(r['outcome'])}{reason}</td>"
            f"<td>{r.get('examples', 0)}</td><td>{r['duration']:.3f}s</td>{extra}</tr>"
        )
    head = "<th>compilations</th>" if compiled else ""
    return (
        "<table><tr><th>check</th><th>target</th><th>outcome</th><th>examples</th><th>time</th>"
        + head
        + "</tr>"
        + "".join(rows)
        + "</table>"
    )


def _operator_coverage(runs) -> str:
    """How many of the installed torch's public operators the registry covers (from the newest run
    that counted them), per namespace, with the names on each side."""
    cov = next(
        (r.get("operator_coverage") for r in reversed(runs) if isinstance(r.get("operator_coverage"), dict)), None
    )
    if not cov:
        return ""
    rows, total, covered = [], 0, 0
    for ns, c in cov.items():
        if not isinstance(c, dict):
            continue
        yes, no = list(c.get("covered", [])), list(c.get("not_covered", []))
        total += len(yes) + len(no)
        covered += len(yes)
        rows.append(
            f"<tr><td>{_e(ns)}</td><td>{len(yes)} / {len(yes) + len(no)}</td><td><details><summary>covered</summary>"
            f"{_e(', '.join(yes)) or '&mdash;'}</details><details><summary>not covered</summary>"
            f"<span class='small'>{_e(', '.join(no))}</span></details></td></tr>"
        )
    share = 100.0 * covered / total if total else 0.0
    return (
        f"<h2 id='operator-coverage'>Operator coverage</h2><p>The registry covers <b>{covered} of {total}</b> public "
        f"operators of the installed torch ({share:.1f}%): read every verdict above against this.</p>"
        "<table><tr><th>namespace</th><th>covered</th><th>operators</th></tr>" + "".join(rows) + "</table>"
    )


def _overrides_table(runs) -> str:
    """Per-target tolerance overrides in force in these runs, each with its reason and source."""
    rows = {}
    for run in runs:
        for o in run.get("environment", {}).get("tolerance_overrides", []) or []:
            if isinstance(o, dict):
                rows[tuple(str(o.get(k)) for k in ("target", "family", "dtype", "rtol", "atol"))] = o
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{_e(o.get('target'))}</td><td>{_e(o.get('family'))}</td><td>{_e(o.get('dtype'))}</td>"
        f"<td>{_e(o.get('rtol'))}</td><td>{_e(o.get('atol'))}</td><td>{_e(o.get('reason'))}</td>"
        f"<td class='small'>{_e(o.get('source'))}</td></tr>"
        for o in rows.values()
    )
    return (
        "<h2>Per-target tolerances</h2><table><tr><th>target</th><th>family</th><th>dtype</th><th>rtol</th>"
        f"<th>atol</th><th>reason</th><th>source</th></tr>{body}</table>"
    )


def _self_tests(res) -> str:
    """The project's tests of itself (strategies, purity, report, tolerances): not conformance results."""
    if not res:
        return ""
    st = _status(res)
    return (
        f"<h2>Self-tests</h2><details><summary>{_badge(st)} <span class='small'>{len(res)} tests of this suite's own "
        "strategies, report, tolerance table and purity (they say nothing about a target)</span></summary>"
        + _checks_table(res).replace("<th>check</th>", "<th>test</th>")
        + "</details>"
    )


def _drill(op, dev, res, i: int) -> str:
    dtypes = defaultdict(int)
    for r in res:
        for k, v in r.get("events", {}).items():
            if k.startswith("dtype: "):
                dtypes[k[7:]] += v
    dt = ", ".join(f"{_e(k)}: {v}" for k, v in sorted(dtypes.items())) or "none recorded"
    checks = ", ".join(f"{_e(r['check'])} {_badge(r['outcome'])}" for r in sorted(res, key=lambda r: r["check"]))
    return (
        f"<b>{_e(op)} on {_e(dev)}</b> <a href='#op-{i}'>(details)</a><br>"
        f"<span class='small'>dtypes generated (examples): {dt}</span><br>{checks}"
    )
