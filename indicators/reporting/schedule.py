"""What a target owes and when (DESIGN §9), pure: owed months by frequency, due dates in Beijing time, timeliness.

A report for month m is due by the end of day ``due_day`` of month m+1, Beijing time; it is on time when the batch
that first reported it was committed before that moment. Monthly targets owe every month of their period, quarterly
ones each quarter's last month, yearly ones December; every target also owes its deadline month (the final figure).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from indicators import months
from indicators.catalogue.departments import UNLISTED, Departments

BEIJING = dt.timezone(dt.timedelta(hours=8), "UTC+8")  # China has one time zone and no daylight saving
FREQUENCIES = ("monthly", "quarterly", "yearly")
DEFAULT_DUE_DAY = 10


def owes(month: str, start: str, deadline: str, frequency: str | None = "monthly") -> bool:
    """Does a target of period start..deadline owe a report for ``month``?"""
    if not start <= month <= deadline:
        return False
    if month == deadline:
        return True
    number = months.month_number(month)
    if frequency == "quarterly":
        return number % 3 == 0
    if frequency == "yearly":
        return number == 12
    return True


def owed_months(start: str, deadline: str, frequency: str | None = "monthly") -> list[str]:
    """Every month a target of period start..deadline owes a report for, oldest first."""
    return [m for m in months.span(start, deadline) if owes(m, start, deadline, frequency)]


def due_date(month: str, due_day: int = DEFAULT_DUE_DAY) -> dt.date:
    """The day the report for ``month`` is due: day ``due_day`` of the next month."""
    year, number = months.year_month(months.add(month, 1))
    return dt.date(year, number, due_day)


def due_moment(month: str, due_day: int = DEFAULT_DUE_DAY) -> dt.datetime:
    """The first moment a report for ``month`` is late: midnight (Beijing) after its due day, as an aware datetime."""
    return dt.datetime.combine(due_date(month, due_day) + dt.timedelta(days=1), dt.time(), BEIJING)


def on_time(month: str, committed_at: dt.datetime, due_day: int = DEFAULT_DUE_DAY) -> bool:
    """Was a report for ``month`` committed by the end of its due day? A naive datetime is UTC (what SQLite returns)."""
    if committed_at.tzinfo is None:
        committed_at = committed_at.replace(tzinfo=dt.UTC)
    return committed_at < due_moment(month, due_day)


def days_overdue(month: str, today: dt.date, due_day: int = DEFAULT_DUE_DAY) -> int:
    """Whole days since the due day of ``month`` (0 on the due day itself or before it)."""
    return max(0, (today - due_date(month, due_day)).days)


def today_in_beijing(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Beijing (the office's calendar, whatever the server's time zone)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(BEIJING).date()


def reporter_of(lead_units: Sequence[str], reporter: str | None = None, jurisdiction: str = "",
                table: Departments | None = None) -> str:
    """The department that reports a target: the one the catalogue names, else its first lead department.

    Both are looked up in the catalogue's departments table (canonical short name, a division under its bureau, as
    the roll-ups by unit count it); a name the table does not know stays as written, no lead unit gives UNLISTED.
    """
    written = [reporter] if reporter else list(lead_units[:1])
    if table is None:
        return written[0] if written else UNLISTED
    return table.keys(jurisdiction, written)[0]
