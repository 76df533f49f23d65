"""Completeness and timeliness, pure (DESIGN §9): per group and month, the reports expected, arrived (on time or
late) and missing; a month's completeness; the default as-of month; the 催报 list of missing reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from indicators.reporting.schedule import DEFAULT_DUE_DAY, days_overdue, on_time, owed_months, owes

BY = ("unit", "jurisdiction", "plan")


@dataclass(frozen=True, slots=True)
class Duty:
    """One target's reporting duty: who reports it, for which period, how often."""

    target_id: str
    plan_id: str
    jurisdiction: str
    reporter: str
    start: str
    deadline: str
    frequency: str = "monthly"
    name: str = ""
    name_en: str = ""

    def owes(self, month: str) -> bool:
        return owes(month, self.start, self.deadline, self.frequency)


@dataclass(slots=True)
class Tally:
    """Reports of one group for one month: expected = reported + missing; reported = on time + late."""

    group: str
    month: str
    expected: int = 0
    reported: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def completeness(self) -> float | None:
        return self.reported / self.expected if self.expected else None

    def as_json(self) -> dict:
        """The shape of `reporting --json`."""
        return {"group": self.group, "month": self.month, "expected": self.expected, "reported": self.reported,
                "on_time": self.on_time, "late": self.late, "missing": self.missing}


@dataclass(frozen=True, slots=True)
class MissingReport:
    """A report due and not in: one row of the 催报 list."""

    reporter: str
    jurisdiction: str
    target_id: str
    name: str
    name_en: str
    month: str
    due: dt.date
    days_overdue: int

    def as_json(self) -> dict:
        return {"department": self.reporter, "jurisdiction": self.jurisdiction, "target_id": self.target_id,
                "name": self.name, "month": self.month, "due": self.due.isoformat(),
                "days_overdue": self.days_overdue}


def group_of(duty: Duty, by: str | None) -> str:
    """The roll-up key of a duty: its reporting department, jurisdiction or plan (None: one group, "all")."""
    if by is None:
        return "all"
    if by == "unit":
        return duty.reporter
    if by == "jurisdiction":
        return duty.jurisdiction
    if by == "plan":
        return duty.plan_id
    raise ValueError(f"unknown grouping {by!r}; one of {', '.join(BY)}")


def tally(duties: Iterable[Duty], firsts: Mapping[tuple[str, str], dt.datetime], months: Sequence[str],
          by: str | None = None, due_day: int = DEFAULT_DUE_DAY) -> list[Tally]:
    """Expected, reported, on time, late and missing per group and month (groups sorted, months in the given order).

    ``firsts`` holds when each (target, month) was first reported by a batch that still counts.
    """
    cells: dict[tuple[str, str], Tally] = {}
    # a province has 38,000 duties over a few dozen months but few distinct schedules and commit moments: each
    # schedule's owed months and each (month, commit moment)'s timeliness are worked out once
    owed_by_schedule: dict[tuple[str, str, str], list[str]] = {}
    timely: dict[tuple[str, dt.datetime], bool] = {}
    for duty in duties:
        key = group_of(duty, by)
        schedule = (duty.start, duty.deadline, duty.frequency)
        owed = owed_by_schedule.get(schedule)
        if owed is None:
            owed = owed_by_schedule[schedule] = [month for month in months if duty.owes(month)]
        for month in owed:
            cell = cells.get((key, month))
            if cell is None:
                cell = cells[(key, month)] = Tally(key, month)
            cell.expected += 1
            first = firsts.get((duty.target_id, month))
            if first is None:
                cell.missing += 1
            else:
                cell.reported += 1
                punctual = timely.get((month, first))
                if punctual is None:
                    punctual = timely[(month, first)] = on_time(month, first, due_day)
                if punctual:
                    cell.on_time += 1
                else:
                    cell.late += 1
    order = {m: i for i, m in enumerate(months)}
    return sorted(cells.values(), key=lambda c: (c.group, order[c.month]))


def completeness(duties: Iterable[Duty], firsts: Mapping[tuple[str, str], dt.datetime],
                 months: Sequence[str]) -> dict[str, Tally]:
    """{month: the month's overall tally} for every month that has reports due (completeness = reported/expected)."""
    return {cell.month: cell for cell in tally(duties, firsts, months)}


def default_month(per_month: Mapping[str, Tally], months_with_data: Sequence[str], threshold: float) -> str | None:
    """The latest month whose completeness reaches ``threshold``, else the latest month with any data (None: none)."""
    for month in sorted(months_with_data, reverse=True):
        cell = per_month.get(month)
        if cell is not None and cell.completeness is not None and cell.completeness >= threshold - 1e-12:
            return month
    return max(months_with_data) if months_with_data else None


def missing_reports(duties: Iterable[Duty], firsts: Mapping[tuple[str, str], dt.datetime], months: Sequence[str],
                    today: dt.date, due_day: int = DEFAULT_DUE_DAY) -> list[MissingReport]:
    """Reports owed for ``months`` and not in, most overdue first, then by department and target."""
    from indicators.reporting.schedule import due_date

    rows = [MissingReport(d.reporter, d.jurisdiction, d.target_id, d.name, d.name_en, month,
                          due_date(month, due_day), days_overdue(month, today, due_day))
            for d in duties for month in months if d.owes(month) and (d.target_id, month) not in firsts]
    return sorted(rows, key=lambda r: (-r.days_overdue, r.reporter, r.target_id, r.month))



def duty_months(duties: Iterable[Duty]) -> list[str]:
    """Every month any duty owes, oldest first."""
    return sorted({m for d in duties for m in owed_months(d.start, d.deadline, d.frequency)})
