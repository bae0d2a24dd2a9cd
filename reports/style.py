"""The stylesheet shared by the conformance page and the perf page (inlined: pages open from disk)."""

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}
header{padding:16px 24px;background:#f6f8fa;border-bottom:1px solid #d0d7de}
h1{font-size:20px;margin:0 0 6px} h2{font-size:17px;margin:24px 0 8px} main{padding:0 24px 40px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-weight:600;font-size:12px}
.warn{background:#fff8c5;border:1px solid #d4a72c;padding:8px 12px;margin:8px 0;border-radius:6px}
.bad{background:#ffebe9;border:1px solid #cf222e;padding:8px 12px;margin:8px 0;border-radius:6px}
table{border-collapse:collapse} td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
#grid td.cell{cursor:pointer;color:#fff;font-weight:600;text-align:center;min-width:110px}
#grid tr.drill td{background:#f6f8fa} .hidden{display:none}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:420px;font-size:12px}
details{margin:4px 0} summary{cursor:pointer}
.kv td:first-child{color:#57606a} .small{font-size:12px;color:#57606a}
"""
