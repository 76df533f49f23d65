"""Warnings that do not block an upload: a cumulative value below last month's, and a value over 10x the target."""

from __future__ import annotations

import pytest

from indicators.store import UploadTarget
from indicators.upload.cells import ParsedRow
from indicators.upload.warnings import warnings_of_rows


def target(target_id: str, kind: str, value: float, unit: str) -> UploadTarget:
    return UploadTarget(target_id, "plan", "县", kind, value, unit, "2025-12", None, False)


KNOWN = {
    "stations": target("stations", "increment", 1200.0, "个"),
    "firms": target("firms", "level", 300.0, "家"),
    "sewage": target("sewage", "share", 50.0, "%"),
    "zero": target("zero", "increment", 0.0, "个"),
}


def row(line: int, target_id: str, period: str, value: float) -> ParsedRow:
    unit = KNOWN[target_id].unit
    return ParsedRow(line, target_id, period, value, unit, str(value), None, "累计", None)


@pytest.mark.parametrize(
    ("rows", "stored", "expected"),
    [
        ([row(2, "stations", "2023-05", 700), row(3, "stations", "2023-06", 650)], {}, [(3, "小于上月（2023-05）的 700个")]),
        ([row(2, "stations", "2023-06", 650)], {("stations", "2023-05"): 700.0}, [(2, "小于上月（2023-05）的 700个")]),
        # This file's May replaces the stored May, so June is compared with the new figure.
        ([row(2, "stations", "2023-05", 600), row(3, "stations", "2023-06", 650)], {("stations", "2023-05"): 700.0},
         []),
        ([row(2, "stations", "2023-01", 5)], {("stations", "2022-12"): 900.0}, [(2, "小于上月（2022-12）的 900个")]),
        ([row(2, "firms", "2023-06", 250)], {("firms", "2023-05"): 280.0}, []),  # a level may fall
        ([row(2, "stations", "2023-06", 12001)], {}, [(2, "超过目标值 1200个 的 10 倍")]),
        ([row(2, "stations", "2023-06", 12000)], {}, []),  # exactly 10x is not over
        ([row(2, "sewage", "2023-06", 900)], {}, []),  # a percentage has no 10x check
        ([row(2, "zero", "2023-06", 5)], {}, []),  # nor a target of zero
        ([row(4, "stations", "2023-06", 13000), row(2, "stations", "2023-07", 100)], {},
         [(2, "小于上月（2023-06）的 13000个"), (4, "超过目标值")]),  # ordered by row
        ([row(2, "stations", "2023-06", 13000)], {("stations", "2023-05"): 14000.0},
         [(2, "小于上月"), (2, "超过目标值")]),  # one row, both: the fall first
    ],
)
def test_warnings(rows, stored, expected):
    warnings = warnings_of_rows(rows, KNOWN, stored)
    assert len(warnings) == len(expected), warnings
    for warning, (line, text) in zip(warnings, expected, strict=True):
        assert (warning.row, warning.column, warning.severity) == (line, "value", "warning")
        assert warning.code == ("cumulative_decrease" if "小于上月" in text else "over_10x")
        assert text in warning.message("zh") and warning.message("en")


def test_no_rows_no_warnings():
    assert warnings_of_rows([], KNOWN, {("stations", "2023-05"): 1.0}) == []
