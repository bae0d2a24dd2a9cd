"""``python -m reports``: run the suite and write the HTML report, or merge existing runs.

python -m reports run  [--out results/report.html] [--profile ci] [--device auto] [-- PYTEST ARGS]
python -m reports render RUN.json [RUN.json ...] [--out results/report.html] [--perf perf.json] [--baseline OLD.json ...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .html import NotAResultFile, load_runs, render
from .perf_html import NotAPerfFile
from .suite import suite_run


def _write(runs, out: Path, perf_path: str | None, baseline=None) -> None:
    perf = None
    if perf_path and Path(perf_path).exists():
        import json

        from .perf_html import check_perf_doc

        try:
            perf = check_perf_doc(json.loads(Path(perf_path).read_text()), perf_path)
        except json.JSONDecodeError as e:
            raise NotAPerfFile(f"{perf_path}: not a perf report (unreadable JSON: {e})") from None
        if runs:  # the runs being rendered are the suite the perf section speaks of
            perf["suite_runs"] = [suite_run(r) for r in runs]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(runs, perf=perf, baseline=baseline))
    print(f"report written to {out} ({out.stat().st_size / 1e6:.2f} MB)")


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["perf"]:
        from .perf import main as perf_main

        return perf_main(argv[1:])
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1 :]
    p = argparse.ArgumentParser(prog="python -m reports")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run the conformance suite and write the HTML report")
    r.add_argument("--out", default="results/report.html")
    r.add_argument("--json", default=None, help="where the run's JSON goes (default: next to --out)")
    r.add_argument("--profile", default="ci")
    r.add_argument("--device", default="auto")
    r.add_argument("--workers", default="auto")
    r.add_argument("--perf", default=None, help="a perf JSON to include as a section")
    m = sub.add_parser("render", help="merge result JSON files (e.g. tox cpu and cuda runs) into one HTML page")
    m.add_argument("runs", nargs="+")
    m.add_argument("--out", default="results/report.html")
    m.add_argument("--perf", default=None)
    m.add_argument(
        "--baseline", nargs="+", default=None, help="earlier result files: mark what regressed and what got fixed"
    )
    args = p.parse_args(argv)
    if args.cmd == "render":
        import glob

        paths = sorted({p for pattern in args.runs for p in (glob.glob(pattern) or [pattern]) if Path(p).exists()})
        if not paths:
            print(f"no result files match {args.runs}", file=sys.stderr)
            return 2
        try:
            runs = load_runs(paths)
            baseline = load_runs(args.baseline) if args.baseline else None
            _write(runs, Path(args.out), args.perf, baseline)
        except (NotAResultFile, NotAPerfFile) as e:
            print(f"python -m reports render: {e}", file=sys.stderr)
            return 2
        return 0
    out = Path(args.out)
    json_path = Path(args.json or out.with_name(f"results-{args.device}.json"))
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-n",
        str(args.workers),
        "--hypothesis-profile",
        args.profile,
        "--device",
        args.device,
        "--report-json",
        str(json_path),
        *extra,
    ]
    print("+", " ".join(cmd))
    code = subprocess.call(cmd, env=dict(os.environ))
    if json_path.exists():
        _write(load_runs([json_path]), out, args.perf)
    else:
        print(f"no results were written to {json_path}", file=sys.stderr)
        return code or 1
    return code
