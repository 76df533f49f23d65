"""Month-by-month completeness of a selection (the sidebar's 已报 labels and default month, the overview's tile), kept
up to date upload by upload.

The same figures as ``read.load_cycle(...).per_month()`` and ``.default_month()``, held as counts of first reports by
(schedule, month, commit moment): a few thousand numbers instead of a province's 1.37 M first reports. Working them out
from scratch reads every value (seconds at province scale); ``refresh`` after an upload reads only the new batches'
rows, and starts over whenever anything else changed (a rollback, an approval, a target's schedule or live set).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from indicators import config, store
from indicators.reporting.cycle import Tally, default_month
from indicators.reporting.schedule import on_time, owes

# (plan's first month, deadline, frequency, month, commit moment of the first report)
Key = tuple[str, str, str, str, dt.datetime]


@dataclass(frozen=True)
class Completeness:
    """Counts of first reports of the live targets of a selection, and what they were read from (never mutated)."""

    plan_ids: tuple[str, ...]
    jurisdictions: tuple[str, ...]
    schedules: dict[str, tuple[str, str, str]]  # {target_id: (start, deadline, frequency)}: the live targets
    counts: Counter  # {Key: targets}
    months_with_data: frozenset[str]
    batches: dict[int, tuple[bool, dt.datetime]]  # {batch id: (counts, committed at)} as read
    due_day: int
    threshold: float

    def per_month(self, months: Sequence[str] | None = None) -> dict[str, Tally]:
        """{month: overall tally} for the months that have reports due (default: every month with data)."""
        months = list(months) if months is not None else sorted(self.months_with_data)
        wanted = set(months)
        cells: dict[str, Tally] = {}
        for (start, deadline, frequency), n in Counter(self.schedules.values()).items():
            for month in months:
                if owes(month, start, deadline, frequency):
                    cell = cells.get(month) or cells.setdefault(month, Tally("all", month))
                    cell.expected += n
        timely: dict[tuple[str, dt.datetime], bool] = {}
        for (start, deadline, frequency, month, first), n in self.counts.items():
            if month not in wanted or not owes(month, start, deadline, frequency):
                continue
            cell = cells[month]
            cell.reported += n
            punctual = timely.get((month, first))
            if punctual is None:
                punctual = timely[(month, first)] = on_time(month, first, self.due_day)
            if punctual:
                cell.on_time += n
            else:
                cell.late += n
        for cell in cells.values():
            cell.missing = cell.expected - cell.reported
        return {month: cells[month] for month in months if month in cells}

    def default_month(self) -> str | None:
        """The default as-of month (DESIGN §6): latest month with enough reports in, else the latest with data."""
        return default_month(self.per_month(), sorted(self.months_with_data), self.threshold)


def load(engine: Engine, plan_ids: Sequence[str] | None = None, jurisdictions: Sequence[str] | None = None,
         settings: config.Settings | None = None) -> Completeness:
    """Completeness of the live targets (optionally of some plans or jurisdictions), from every value in the store."""
    settings = settings or config.load_settings()
    with engine.connect() as conn:
        schedules = store.target_schedules(conn, plan_ids, jurisdictions)
        states = store.batch_states(conn)
        firsts = store.first_reports(conn, list(schedules) if plan_ids or jurisdictions else None)
    counts: Counter = Counter()
    for (target_id, month), first in firsts.items():
        schedule = schedules.get(target_id)
        if schedule is not None:
            counts[(*schedule, month, first)] += 1
    return Completeness(tuple(plan_ids or ()), tuple(jurisdictions or ()), schedules, counts,
                        frozenset(month for _, month in firsts), states, settings.due_day,
                        settings.completeness_threshold)


def refresh(previous: Completeness, engine: Engine, settings: config.Settings | None = None) -> Completeness:
    """The completeness now: ``previous`` plus the batches committed since, when that is all that changed (an upload
    after the ones it has seen); else worked out again from scratch."""
    settings = settings or config.load_settings()
    plan_ids, jurisdictions = previous.plan_ids or None, previous.jurisdictions or None
    with engine.connect() as conn:
        states = store.batch_states(conn)
        schedules = store.target_schedules(conn, plan_ids, jurisdictions)
        if not _only_appended(previous, states, schedules, settings):
            return load(engine, plan_ids, jurisdictions, settings)
        new = sorted((states[i][1], i) for i in states.keys() - previous.batches.keys() if states[i][0])
        counts = Counter(previous.counts)
        months = set(previous.months_with_data)
        if new:
            rows, held = store.new_first_reports(conn, [i for _, i in new], plan_ids, jurisdictions)
            for *key, n in rows:
                counts[tuple(key)] += n
            months |= held
    return Completeness(previous.plan_ids, previous.jurisdictions, schedules, counts, frozenset(months), states,
                        settings.due_day, settings.completeness_threshold)


def _only_appended(previous: Completeness, states: dict, schedules: dict, settings: config.Settings) -> bool:
    """True when the store differs from what ``previous`` read only by batches that come after every counting batch
    it has seen (by commit moment, then id), with the same live targets, schedules and settings."""
    if (schedules != previous.schedules or settings.due_day != previous.due_day
            or settings.completeness_threshold != previous.threshold):
        return False
    if any(states.get(i) != state for i, state in previous.batches.items()):
        return False  # rolled back, approved, rejected or gone: first reports may move to other batches
    seen = [(at, i) for i, (counts, at) in previous.batches.items() if counts]
    last = max(seen) if seen else None
    return all(last is None or (at, i) > last for i, (counts, at) in states.items()
               if i not in previous.batches and counts)
