"""indicators/months.py, the one place with YYYY-MM arithmetic: edge cases, round trips, and no copies elsewhere."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import months

ROOT = Path(__file__).resolve().parent.parent

# months whose year, plus or minus the 100 years added below, stays a four-digit year (YYYY-MM has no other)
month_strings = st.builds(months.make, st.integers(1100, 9898), st.integers(1, 12))


@pytest.mark.parametrize("period, count, expected", [
    ("2023-01", 0, "2023-01"),
    ("2023-12", 1, "2024-01"),
    ("2024-01", -1, "2023-12"),
    ("2023-06", 18, "2024-12"),
    ("2023-06", -18, "2021-12"),
    ("2023-01", 24, "2025-01"),
    ("2000-02", -26, "1997-12"),
])
def test_add(period, count, expected):
    assert months.add(period, count) == expected


@pytest.mark.parametrize("later, earlier, expected", [
    ("2023-01", "2023-01", 0),
    ("2024-01", "2023-12", 1),
    ("2023-12", "2024-01", -1),
    ("2025-03", "2023-03", 24),
    ("2023-01", "2022-02", 11),
])
def test_diff(later, earlier, expected):
    assert months.diff(later, earlier) == expected


@pytest.mark.parametrize("period, previous", [("2023-01", "2022-12"), ("2023-12", "2023-11"), ("1000-01", "0999-12")])
def test_previous_crosses_the_year(period, previous):
    assert months.previous(period) == previous


@pytest.mark.parametrize("first, last, expected", [
    ("2023-11", "2024-02", ["2023-11", "2023-12", "2024-01", "2024-02"]),
    ("2023-05", "2023-05", ["2023-05"]),
    ("2023-05", "2023-04", []),
])
def test_span_includes_both_ends_and_is_empty_when_reversed(first, last, expected):
    assert months.span(first, last) == expected


@pytest.mark.parametrize("period, parts", [("2023-01", (2023, 1)), ("2023-12", (2023, 12)), ("0999-09", (999, 9))])
def test_parse_and_make(period, parts):
    assert months.year_month(period) == parts
    assert (months.year(period), months.month_number(period)) == parts
    assert months.make(*parts) == period


@pytest.mark.parametrize("day, period", [
    (dt.date(2023, 1, 1), "2023-01"), (dt.date(2023, 12, 31), "2023-12"),
    (dt.datetime(2024, 2, 29, 23, 59), "2024-02"), (dt.date(999, 3, 1), "0999-03"),
])
def test_of_date(day, period):
    assert months.of_date(day) == period


@pytest.mark.parametrize("period, start, end", [("2023-01", "2023-01", "2023-12"), ("2023-12", "2023-01", "2023-12"),
                                                ("2024-06", "2024-01", "2024-12")])
def test_year_start_and_end(period, start, end):
    assert (months.year_start(period), months.year_end(period)) == (start, end)


@given(month_strings, st.integers(-1200, 1200))
def test_add_then_diff_gives_the_count_back(period, count):
    later = months.add(period, count)
    assert months.diff(later, period) == count
    assert months.add(later, -count) == period
    assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", later)


@given(st.builds(months.make, st.integers(1900, 2200), st.integers(1, 12)),
       st.builds(months.make, st.integers(1900, 2200), st.integers(1, 12)))
def test_diff_orders_like_the_strings_and_span_counts_it(a, b):
    assert (months.diff(a, b) > 0) == (a > b)
    assert len(months.span(b, a)) == max(0, months.diff(a, b) + 1)


@given(st.integers(1000 * 12, 9999 * 12 + 11))
def test_index_round_trip(index):
    assert months.month_index(months.month_of(index)) == index


# --- no copies: YYYY-MM slicing, formatting and year*12 arithmetic live in months.py only ---------------------------
PATTERNS = {
    "slices a YYYY-MM string": re.compile(r"(month|period|as_of|deadline|start|end|first|last)\w*\s*\[(:4|5:7|5:)\]"),
    "formats a month with strftime": re.compile(r"""["']%Y-%m["']"""),
    "formats a month by hand": re.compile(r""":04d\}-\{|\}-(0[1-9]|1[0-2])["']"""),
    "month arithmetic by 12": re.compile(r"((?<![*])[*](?![*])|//|%)\s*12\b"),
    "splits a month": re.compile(r"""\.split\(["']-["']\)"""),
}
# A display format, not arithmetic: plotly's date axis is told how to print its ticks.
ALLOWED = {("indicators/outputs/charts.py", "formats a month with strftime")}


def _sources() -> list[Path]:
    paths = [*ROOT.glob("indicators/**/*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]
    return sorted(p for p in paths if p != ROOT / "indicators" / "months.py")


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_month_arithmetic_lives_in_months_py_only(path):
    relative = path.relative_to(ROOT).as_posix()
    found = [f"{number}: {what}: {line.strip()}"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             for what, pattern in PATTERNS.items()
             if pattern.search(line) and (relative, what) not in ALLOWED]
    assert found == [], f"use indicators/months.py: {found}"


@pytest.mark.parametrize("line, caught", [
    ('year = as_of[:4]', True), ('m = int(period[5:7])', True), ('return value.strftime("%Y-%m")', True),
    ('f"{year:04d}-{month:02d}"', True), ('f"{first}-01"', True), ('index = y * 12 + m', True),
    ('y, m = month.split("-")', True), ('row[:4]', False), ('Decimal(10**12)', False), ('months.add(period, -1)', False),
    ('"%Y-%m-%d %H:%M"', False),
])
def test_the_check_itself(line, caught):
    assert any(pattern.search(line) for pattern in PATTERNS.values()) is caught
