#!/usr/bin/env python3
"""The student's analysis path, measured on one trace in one run (bench, not a test).

    make bench-analysis            # builds the release binary and the Python package first
    python bench/analysis.py --virtlab .build/release/virtlab [--requests 6700000] [--skip-slow]

Makes an I/O trace of about 10 M events (disk-paravirtual with more requests), then times
each way from the .vlt to an answer, each in its own process so its peak memory (maximum
resident set size, from wait4) is its own: CSV + pandas, the pure-Python reader, SQLite export
and `virtlab query` (cold and cached), and the .npz path into a DataFrame. Prints a Markdown
table (the one in the README) and writes bench/analysis.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def measure(cmd, env=None, stdout=subprocess.DEVNULL):
    """Runs cmd; (wall seconds, peak RSS in MB)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def python_step(code, *args, env=None):
    return measure([sys.executable, "-c", code, *args], env=env)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--virtlab", default="virtlab")
    ap.add_argument("--requests", type=int, default=6_700_000, help="I/O requests (≈1.5 events each)")
    ap.add_argument("--skip-slow", action="store_true", help="skip the pure-Python reader (about a minute)")
    ap.add_argument("--json", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "analysis.json"))
    a = ap.parse_args()
    vl = os.path.abspath(a.virtlab) if os.sep in a.virtlab else a.virtlab
    rows = []
    with tempfile.TemporaryDirectory(prefix="virtlab-bench-analysis-") as tmp:
        env = dict(os.environ, VIRTLAB=vl if os.sep in vl else "", VIRTLAB_CACHE_DIR=os.path.join(tmp, "cache"))
        scenario = subprocess.run([vl, "scenarios", "show", "disk-paravirtual"], check=True, capture_output=True, text=True).stdout
        scenario = scenario.replace("requests: 200000", f"requests: {a.requests}")
        yaml, trace = os.path.join(tmp, "big.yaml"), os.path.join(tmp, "big.vlt")
        open(yaml, "w").write(scenario)
        subprocess.run([vl, "run", yaml, "-o", trace, "--quiet", "--yes"], check=True)
        events = int(subprocess.run([vl, "query", trace, "SELECT SUM(events) FROM kinds", "--format", "csv", "--no-cache"],
                                    check=True, capture_output=True, text=True).stdout.split()[-1])
        size = os.path.getsize(trace)

        def row(step, wall, rss, note=""):
            rows.append({"step": step, "seconds": round(wall, 2), "peak_mb": round(rss), "note": note})
            print(f"{step}: {wall:.2f} s, {rss:.0f} MB {note}", file=sys.stderr)

        csv = os.path.join(tmp, "big.csv")
        w, m = measure([vl, "export", trace, "--format", "csv", "-o", csv])
        row("virtlab export --format csv", w, m, f"{os.path.getsize(csv) / 1e6:.0f} MB CSV")
        w, m = python_step("import pandas, sys, time; t = time.perf_counter(); d = pandas.read_csv(sys.argv[1]); "
                           "e = d[d.kind == 'vm_exit'].groupby('reason').size(); print(e)", csv)
        row("pandas.read_csv + exit-reason table", w, m)
        os.unlink(csv)
        if not a.skip_slow:
            w, m = measure([sys.executable, "-m", "virtlab.vlt", trace])
            row("pure-Python reader, every event as JSON Lines (python -m virtlab.vlt)", w, m, f"{events / w / 1e3:.0f} k events/s")
            w, m = python_step("import sys; from virtlab.vlt import Trace; c = Trace(sys.argv[1]).columns()", trace)
            row("pure-Python reader, columns of every kind (Trace.columns)", w, m, f"{events / w / 1e3:.0f} k events/s")
        db = os.path.join(tmp, "big.db")
        w, m = measure([vl, "export", trace, "--format", "sqlite", "-o", db])
        row("virtlab export --format sqlite", w, m, f"{events / w / 1e6:.2f} M events/s, {os.path.getsize(db) / 1e6:.0f} MB")
        q = "SELECT reason, exits, mean_ns FROM exit_reasons"
        w, m = measure([vl, "query", trace, q, "--no-cache"], env=env)
        row("virtlab query exit_reasons, cold (loads vm_exit)", w, m)
        measure([vl, "query", trace, q], env=env)  # fills the cache
        w, m = measure([vl, "query", trace, q], env=env)
        row("virtlab query exit_reasons, cached", w, m)
        q2 = "SELECT reason, COUNT(*), AVG(duration) FROM vm_exit GROUP BY reason"
        w, m = measure([vl, "query", trace, q2], env=env)
        row("virtlab query GROUP BY over vm_exit, cached", w, m)
        for kind in ["vm_exit", "io_request"]:
            w, m = python_step("import sys, virtlab; d = virtlab.read_events(sys.argv[1], kind=sys.argv[2], engine='binary'); "
                               "print(len(d))", trace, kind, env=env)
            n = int(subprocess.run([vl, "query", trace, f"SELECT events FROM kinds WHERE kind = '{kind}'", "--format", "csv", "--no-cache"],
                                   check=True, capture_output=True, text=True).stdout.split()[-1])
            row(f"virtlab.read_events(kind='{kind}') → DataFrame ({n / 1e6:.2f} M rows)", w, m)
        png = os.path.join(tmp, "t.png")
        w, m = measure([vl, "render", trace, "--chart", "timeline", "-o", png])
        row("for comparison: virtlab render --chart timeline", w, m)
    result = {"events": events, "trace_bytes": size, "rows": rows}
    with open(a.json, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"\n{events / 1e6:.1f} M-event I/O trace ({size / 1e6:.0f} MB .vlt):\n")
    print("| step | time | peak memory | |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r['step']} | {r['seconds']} s | {r['peak_mb']} MB | {r['note']} |")


if __name__ == "__main__":
    main()
