"""Warnings on a valid upload, which do not block it: a 累计 below last month's, and a value over 10x the target.

Computed over whole columns with Arrow (a year-end file has 100,000 rows); only the rows that warn become Issues.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from indicators.upload.cells import Issue, ParsedRow, is_dimensionless, previous_month

if TYPE_CHECKING:
    from indicators.store import UploadTarget

_KEY_SEPARATOR = "\x1f"  # joins target id and month into one key; never in either


def warnings_of_rows(parsed: list[ParsedRow], known: Mapping[str, UploadTarget],
                     stored: dict[tuple[str, str], float]) -> list[Issue]:
    """upload_warnings for a list of parsed rows."""
    if not parsed:
        return []
    lines, ids, periods, values, units = list(zip(*parsed, strict=True))[:5]
    return upload_warnings(lines, pa.array(ids, pa.string()), pa.array(periods, pa.string()),
                           pa.array(values, pa.float64()), units, known, stored)


def upload_warnings(lines: Sequence[int], id_array: pa.Array, period_array: pa.Array, value_array: pa.Array,
                    units: Sequence[str], known: Mapping[str, UploadTarget],
                    stored: dict[tuple[str, str], float]) -> list[Issue]:
    """The warnings of an upload's parsed rows, given as columns, ordered by row; a row's fall before its 10x.

    ``stored`` holds the store's latest values of the file's targets; last month's value comes from the file first.
    """
    if not len(id_array):
        return []
    encoded_ids = pc.dictionary_encode(id_array)
    targets = [known[target_id] for target_id in encoded_ids.dictionary.to_pylist()]

    def per_row(per_target: list, kind: pa.DataType) -> pa.Array:
        return pc.take(pa.array(per_target, kind), encoded_ids.indices)

    # A cumulative increment below last month's: usually a 当月 figure typed into a 累计 column.
    encoded_periods = pc.dictionary_encode(period_array)
    previous = pc.take(pa.array([previous_month(p) for p in encoded_periods.dictionary.to_pylist()], pa.string()),
                       encoded_periods.indices)
    previous_keys = pc.binary_join_element_wise(id_array, previous, _KEY_SEPARATOR)
    keys = pc.binary_join_element_wise(id_array, period_array, _KEY_SEPARATOR)
    before = pc.take(value_array, pc.index_in(previous_keys, value_set=keys))
    if stored:
        stored_keys = pa.array([f"{target_id}{_KEY_SEPARATOR}{period}" for target_id, period in stored], pa.string())
        stored_values = pa.array(list(stored.values()), pa.float64())
        before = pc.coalesce(before, pc.take(stored_values, pc.index_in(previous_keys, value_set=stored_keys)))
    increment = per_row([target.kind == "increment" for target in targets], pa.bool_())
    falls = pc.and_(increment, pc.fill_null(pc.less(value_array, before), False))

    # A value over 10x a target counted in units (not a percentage): usually 元 typed where 万元 was meant.
    limits = [10 * abs(t.value) if t.value and not is_dimensionless(t.unit) else float("inf") for t in targets]
    outsized = pc.greater(pc.abs(value_array), per_row(limits, pa.float64()))

    warnings = []
    for i in pc.indices_nonzero(falls).to_pylist():
        warnings.append(Issue("cumulative_decrease", lines[i], "value", {
            "value": f"{value_array[i].as_py():g}", "prior": f"{before[i].as_py():g}", "unit": units[i],
            "month": previous[i].as_py()}, "warning"))
    for i in pc.indices_nonzero(outsized).to_pylist():
        warnings.append(Issue("over_10x", lines[i], "value", {
            "value": f"{value_array[i].as_py():g}", "target": f"{known[id_array[i].as_py()].value:g}",
            "unit": units[i]}, "warning"))
    warnings.sort(key=lambda issue: issue.row)  # stable: falls stay before 10x warnings of the same row
    return warnings
