"""One indicator month by month: actual, expected, completion, status and the batch that reported it (pure)."""

from __future__ import annotations

from collections.abc import Mapping

from indicators import months, progress
from indicators.progress import TargetSpec

COLUMNS = ("month", "actual", "expected", "completion", "status", "batch")


def monthly_rows(spec: TargetSpec, values: Mapping[str, float], as_of: str, batches: Mapping[str, int],
                 thresholds: progress.Thresholds | None = None) -> list[dict]:
    """A row per month of the target's window up to ``as_of``, newest first, each judged as of its own month with
    only the values known by then. ``batches``: month -> the batch whose value counts for that month."""
    thresholds = thresholds or progress.Thresholds()
    first, _ = progress.target_window(spec, as_of)
    rows = []
    for month in months.span(first, as_of):
        result = progress.evaluate(spec, {p: v for p, v in values.items() if p <= month}, month, thresholds)
        rows.append({"month": month, "actual": values.get(month), "expected": result.expected,
                     "completion": result.completion, "status": result.status, "batch": batches.get(month)})
    return rows[::-1]
