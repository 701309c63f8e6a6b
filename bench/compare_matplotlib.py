#!/usr/bin/env python3
"""Render the three `virtlab bench render` figures with matplotlib and print both tools' times
and sizes side by side.

Usage (from the repository root, after `swift build -c release`):
    python3 bench/compare_matplotlib.py

It creates a virtual environment in .venv-bench (ignored by git), installs matplotlib and
numpy there, runs `virtlab bench render --json`, and times the same three figures drawn with
matplotlib to PNG, SVG and PDF:
  - a timeline of 10 million events (generated with the benchmark's gaps and bucketed to 700
    columns per lane with numpy, as VirtLab does; matplotlib has no trace reader),
  - a line chart of 1 million points,
  - a grouped bar chart.
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv-bench")
VIRTLAB = os.path.join(ROOT, ".build", "release", "virtlab")


def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([py, "-m", "pip", "install", "--quiet", "matplotlib", "numpy"])
    if os.path.realpath(sys.prefix) != os.path.realpath(VENV):
        os.execv(py, [py] + sys.argv)


def virtlab_figures():
    out = subprocess.check_output([VIRTLAB, "bench", "render", "--json", "--repeats", "1"], text=True)
    return {d["name"]: d for d in map(json.loads, out.strip().splitlines())}


def matplotlib_figures(tmp):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    results = {}
    rng = np.random.default_rng(7)

    def timeline():
        # 10 M events with the benchmark's gaps, bucketed to 700 columns per lane (4 lanes).
        gaps = np.where(rng.random(10_000_000) < 0.25, 0, 20 + rng.integers(0, 400, 10_000_000))
        t = np.cumsum(gaps)
        lane = rng.integers(0, 4, 10_000_000)
        fig, ax = plt.subplots(figsize=(8, 4.8), dpi=100)
        for l in range(4):
            counts, edges = np.histogram(t[lane == l], bins=700, range=(0, t[-1]))
            ax.bar(edges[:-1], (counts > 0) * 0.8, width=edges[1] - edges[0], bottom=l, align="edge", linewidth=0)
        ax.set_title("Timeline — 10 M events")
        return fig

    def line():
        y = np.cumsum(rng.random(1_000_000) - 0.5)
        fig, ax = plt.subplots(figsize=(8, 4.8), dpi=100)
        ax.plot(y, linewidth=1)
        ax.set_title("A million points")
        return fig

    def bars():
        fig, ax = plt.subplots(figsize=(8, 4.8), dpi=100)
        x = np.arange(5)
        for i, (name, v) in enumerate([("native", [1, 2, 3, 4, 5]), ("shadow", [2, 9, 5, 12, 6]), ("nested", [2, 3, 9, 5, 6])]):
            ax.bar(x + i * 0.27, v, width=0.27, label=name)
        ax.legend()
        ax.set_title("Bars")
        return fig

    for name, make in [("render.timeline_10m", timeline), ("render.line_1m", line), ("render.bars", bars)]:
        row = {}
        for fmt in ("png", "svg", "pdf"):
            path = os.path.join(tmp, f"mpl.{fmt}")
            t0 = time.perf_counter()
            fig = make()
            fig.savefig(path)
            plt.close(fig)
            row[f"{fmt}_s"] = time.perf_counter() - t0
            row[f"{fmt}_bytes"] = os.path.getsize(path)
        results[name] = row
    return results


def main():
    ensure_venv()
    tmp = "/tmp"
    v = virtlab_figures()
    m = matplotlib_figures(tmp)
    print(f"{'figure':22} {'tool':10} {'png s':>8} {'png KB':>8} {'svg s':>8} {'svg KB':>8} {'pdf s':>8} {'pdf KB':>8}")
    for name in ("render.timeline_10m", "render.line_1m", "render.bars"):
        for tool, row in (("virtlab", v[name]), ("matplotlib", m[name])):
            print(f"{name:22} {tool:10} " + " ".join(
                f"{row[f + '_s']:8.3f} {row[f + '_bytes'] / 1024:8.0f}" for f in ("png", "svg", "pdf")))


if __name__ == "__main__":
    main()
