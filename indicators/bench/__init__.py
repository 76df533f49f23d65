"""Benchmarks (`python -m indicators bench import|status|export|pages`): deterministic synthetic data, wall-clock
figures, ours against a floor measured in the same run (the machine is shared: ratios, not absolute times, compare).

These are measurements to report, not tests: nothing here asserts a time.
"""

from indicators.bench.data import actuals_csv, load_province, months, synthetic_catalogue
from indicators.bench.export import bench_export
from indicators.bench.imports import ImportBench, bench_import
from indicators.bench.status import StatusBench, bench_status

__all__ = ["actuals_csv", "load_province", "months", "synthetic_catalogue", "bench_export", "ImportBench",
           "bench_import", "StatusBench", "bench_status"]
