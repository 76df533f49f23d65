"""`bench export`: one warm browser (png.Renderer) for a single PNG and the 30-chart pack, against a browser per chart."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from indicators import months


def _figures(count: int) -> list:
    from indicators.outputs import charts
    from indicators.progress import TargetSpec

    figures = []
    for i in range(count):
        spec = TargetSpec(f"t{i}", "increment", ">=", 1000 + i, "个", "2023-01", "2023-12")
        values = {months.make(2023, m): (1000 + i) * m / 14 for m in range(1, 10)}
        ctx = charts.ChartContext("基准测试计划", "2023-09", "zh", ("基准〔2023〕1号",), True, "slide")
        figures.append(charts.trajectory(spec, values, ctx, f"指标{i}"))
    return figures


def bench_export(charts_count: int = 30, naive_count: int = 3, warm_rounds: int = 5) -> dict:
    """Figures of the export paths (seconds): pack cold (browser started, 30 charts, closed), the same with the
    figures built while the browser starts (as build_pack does), single PNG warm, pack warm, and a browser started per
    chart (``naive_count`` of them, reported per chart: what a click cost before the warm renderer). The Chromium CPU
    seconds of the cold pack are reported too: on a shared machine they say more than the wall clock."""
    from indicators.outputs import png

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    figures = _figures(charts_count)
    figures_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        renderer = png.Renderer()
        renderer.write([(fig, Path(tmp) / f"pack{i}.png") for i, fig in enumerate(figures)], "slide")
        pack_cpu_s = _browser_cpu(renderer)
        renderer.close()
        pack_cold_s = time.perf_counter() - started
        started = time.perf_counter()
        renderer = png.Renderer(wait=False)  # the browser starts while the figures are built
        built = _figures(charts_count)
        renderer.write([(fig, Path(tmp) / f"built{i}.png") for i, fig in enumerate(built)], "slide")
        renderer.close()
        pack_cold_built_s = time.perf_counter() - started
        renderer = png.Renderer()
        renderer.png(figures[0])  # warm
        warm = []
        for i in range(warm_rounds):
            started = time.perf_counter()
            renderer.png(figures[i % len(figures)])
            warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        renderer.write([(fig, Path(tmp) / f"warm{i}.png") for i, fig in enumerate(figures)], "slide")
        pack_warm_s = time.perf_counter() - started
        renderer.close()
        started = time.perf_counter()
        for fig in figures[:naive_count]:
            png.png_bytes(fig)  # a browser started for the one chart
        naive_per_chart_s = (time.perf_counter() - started) / naive_count
    return {"charts": charts_count, "pack_cold_s": round(pack_cold_s, 3), "pack_cold_cpu_s": round(pack_cpu_s, 2),
            "pack_cold_with_figures_s": round(pack_cold_built_s, 3), "figures_s": round(figures_s, 3), "pack_warm_s": round(pack_warm_s, 3),
            "png_warm_s": round(statistics.median(warm), 3), "png_warm_rounds": [round(w, 3) for w in warm],
            "naive_per_chart_s": round(naive_per_chart_s, 3),
            "load_average": (load_before, os.getloadavg()[0])}


def _browser_cpu(renderer) -> float:
    """CPU seconds used so far by the renderer's Chromium (every process of its process group), from /proc."""
    group = os.getpgid(renderer._kaleido.subprocess.pid)
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def lines(figures: dict) -> list[str]:
    """The figures of bench_export as text, with the goals."""
    count = figures["charts"]
    return [
        f"charts                               {count:>8}",
        f"pack, one browser, cold              {figures['pack_cold_s']:>8.2f} s   (goal <= 8 s; Chromium used "
        f"{figures['pack_cold_cpu_s']:.1f} s of CPU)",
        f"  and building its figures meanwhile {figures['pack_cold_with_figures_s']:>8.2f} s   (one after the other: "
        f"{figures['pack_cold_s'] + figures['figures_s']:.2f} s)",
        f"pack, warm browser                   {figures['pack_warm_s']:>8.2f} s",
        f"single PNG, warm browser (median)    {figures['png_warm_s']:>8.3f} s   (goal <= 0.8 s)",
        f"a browser started per chart          {figures['naive_per_chart_s']:>8.2f} s   "
        f"(x{count}: {figures['naive_per_chart_s'] * count:.1f} s, "
        f"{figures['naive_per_chart_s'] * count / figures['pack_cold_s']:.1f}x the cold pack)",
        f"load average                         {figures['load_average'][0]:.2f} → {figures['load_average'][1]:.2f}",
    ]
