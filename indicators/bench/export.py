"""`bench export`: the chart pack through one warm browser against naive per-chart renders."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path


def bench_export(charts_count: int = 30) -> list[str]:
    """A 30-chart pack through one warm browser (cold start included) against 30 naive `fig.write_image` calls."""
    from indicators.outputs import charts, png
    from indicators.progress import TargetSpec

    figures = []
    for i in range(charts_count):
        spec = TargetSpec(f"t{i}", "increment", ">=", 1000 + i, "个", "2023-01", "2023-12")
        values = {f"2023-{m:02d}": (1000 + i) * m / 14 for m in range(1, 10)}
        ctx = charts.ChartContext("基准测试计划", "2023-09", "zh", ("基准〔2023〕1号",), True, "slide")
        figures.append(charts.trajectory(spec, values, ctx, f"指标{i}"))
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        png.write_pngs([(fig, Path(tmp) / f"pack{i}.png") for i, fig in enumerate(figures)], "slide")
        pack_s = time.perf_counter() - started
        started = time.perf_counter()
        for i, fig in enumerate(figures):
            fig.write_image(str(Path(tmp) / f"naive{i}.png"), width=1600, height=900, scale=2)
        naive_s = time.perf_counter() - started
    return [
        f"charts                         {charts_count:>8}",
        f"pack, one browser, cold        {pack_s:>8.2f} s   ({pack_s / charts_count:.3f} s per chart)  (goal <= 10 s)",
        f"naive fig.write_image x{charts_count}      {naive_s:>8.2f} s   ({naive_s / charts_count:.3f} s per chart)",
        f"speed-up                       {naive_s / pack_s:>8.1f} x   (goal >= 5x)",
    ]
