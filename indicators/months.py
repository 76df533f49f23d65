"""Every YYYY-MM helper: parse, format, add, count and list months. A month is a string 'YYYY-MM' everywhere in the
program (it sorts as it reads); arithmetic goes through its index, year * 12 + month - 1, here and nowhere else.

Callers pass well-formed months (the catalogue and the store hold only those; upload/cells.parse_period turns what a
person typed into one): nothing here checks them again, because the status rules call these in their inner loops.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=8192)
def month_index(period: str) -> int:
    """'2023-01' -> 2023 * 12 + 0: a number to do month arithmetic with (``month_of`` turns it back)."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def month_of(index: int) -> str:
    """The month of a ``month_index``: 24276 -> '2023-01'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def make(year: int, month: int) -> str:
    """(2023, 1) -> '2023-01'."""
    return f"{year:04d}-{month:02d}"


def year_month(period: str) -> tuple[int, int]:
    """'2023-01' -> (2023, 1)."""
    return int(period[:4]), int(period[5:7])


def year(period: str) -> int:
    """'2023-06' -> 2023."""
    return int(period[:4])


def month_number(period: str) -> int:
    """'2023-06' -> 6 (1 to 12)."""
    return int(period[5:7])


def of_date(day: dt.date) -> str:
    """The month a date (or datetime) falls in: date(2023, 6, 30) -> '2023-06'."""
    return make(day.year, day.month)


def add(period: str, count: int) -> str:
    """The month ``count`` months later (earlier when negative): add('2023-12', 1) -> '2024-01'."""
    return month_of(month_index(period) + count)


def diff(later: str, earlier: str) -> int:
    """How many months ``later`` is after ``earlier`` (negative when it is before): diff('2024-01', '2023-12') -> 1."""
    return month_index(later) - month_index(earlier)


@lru_cache(maxsize=4096)
def previous(period: str) -> str:
    """'2023-01' -> '2022-12'."""
    return add(period, -1)


def span(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included, oldest first (empty when ``last`` is before)."""
    return [month_of(i) for i in range(month_index(first), month_index(last) + 1)]


def years_in(count: int) -> int:
    """Whole years in a number of months: 36 -> 3, 40 -> 3."""
    return count // 12


def year_start(period: str) -> str:
    """January of the month's year: '2023-06' -> '2023-01'."""
    return make(year(period), 1)


def year_end(period: str) -> str:
    """December of the month's year: '2023-06' -> '2023-12'."""
    return make(year(period), 12)


# --- month indexes, one at a time or whole numpy arrays of them (the status rules over columns) -------------------
def index_year(index):
    """The year of a month index, or of each in an array: 24281 -> 2023."""
    return index // 12


def index_number(index):
    """The month number (1 to 12) of a month index, or of each in an array: 24281 -> 6."""
    return index % 12 + 1


def january_index(year):
    """The month index of January of a year, or of each in an array: 2023 -> 24276."""
    return year * 12


def december_index(year):
    """The month index of December of a year, or of each in an array: 2023 -> 24287."""
    return year * 12 + 11
