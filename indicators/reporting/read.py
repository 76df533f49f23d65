"""The reporting cycle from the store: duties of the live targets, first reports, tallies and the default month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from indicators import config, store
from indicators.catalogue import departments
from indicators.reporting.cycle import Duty, MissingReport, Tally, completeness, default_month, missing_reports, tally
from indicators.reporting.schedule import reporter_of, today_in_beijing


@dataclass
class Cycle:
    """The duties of a set of targets and when each of their months was first reported."""

    duties: list[Duty]
    firsts: dict[tuple[str, str], dt.datetime]
    months_with_data: list[str]
    due_day: int
    threshold: float

    def per_month(self, months: Sequence[str] | None = None) -> dict[str, Tally]:
        """{month: overall tally} (default: every month with data)."""
        return completeness(self.duties, self.firsts, months or self.months_with_data)

    def default_month(self) -> str | None:
        """The default as-of month (DESIGN §6): latest month with enough reports in, else the latest with data."""
        return default_month(self.per_month(), self.months_with_data, self.threshold)

    def tally(self, months: Sequence[str], by: str | None = None) -> list[Tally]:
        return tally(self.duties, self.firsts, months, by, self.due_day)

    def missing(self, months: Sequence[str], today: dt.date | None = None) -> list[MissingReport]:
        return missing_reports(self.duties, self.firsts, months, today or today_in_beijing(), self.due_day)


def load_cycle(engine: Engine, plan_ids: Sequence[str] | None = None, jurisdictions: Sequence[str] | None = None,
               settings: config.Settings | None = None) -> Cycle:
    """The reporting cycle of the live targets (optionally of some plans or jurisdictions)."""
    settings = settings or config.load_settings()
    with engine.connect() as conn:
        rows = store.reporting_targets(conn, plan_ids, jurisdictions)
        filtered = bool(plan_ids or jurisdictions)
        firsts = store.first_reports(conn, [r.id for r in rows] if filtered else None)
    table = departments.table_for()
    duties = [Duty(r.id, r.plan_id, r.jurisdiction, reporter_of(list(r.lead_units), r.reporter, r.jurisdiction, table),
                   r.period_start, r.deadline, r.frequency or "monthly", r.name, r.name_en)
              for r in rows]
    months = sorted({month for _, month in firsts})
    return Cycle(duties, firsts, months, settings.due_day, settings.completeness_threshold)
