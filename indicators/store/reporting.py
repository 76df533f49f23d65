"""The reporting cycle's SQL: which batches count, when each target's month was first reported, pending values."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from indicators.store.engine import aware
from indicators.store.schema import batches, observations, targets


def counts_clause():
    """SQL condition on ``batches``: the batch's values count (not rolled back; approved, or no approval needed)."""
    return and_(batches.c.status == "committed",
                or_(batches.c.approval.is_(None), batches.c.approval == "approved"))


def excluded_batch_ids(conn: Connection) -> list[int]:
    """Ids of batches whose values do not count: rolled back, or waiting for approval, or rejected (few, usually)."""
    query = select(batches.c.id).where(~counts_clause())
    return list(conn.execute(query).scalars())


def _chunks(ids: Iterable[str] | None):
    if ids is None:
        yield None
        return
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), 500):  # bounded IN lists, as store.latest_values
        yield ordered[i:i + 500]


def first_reports(conn: Connection, target_ids: Iterable[str] | None = None,
                  up_to: str | None = None) -> dict[tuple[str, str], dt.datetime]:
    """{(target_id, month): when the first batch that still counts reported it} (aware UTC datetimes)."""
    result: dict[tuple[str, str], dt.datetime] = {}
    for chunk in _chunks(target_ids):
        query = (select(observations.c.target_id, observations.c.period, func.min(batches.c.uploaded_at))
                 .join(batches, batches.c.id == observations.c.batch_id)
                 .where(counts_clause())
                 .group_by(observations.c.target_id, observations.c.period))
        if chunk is not None:
            query = query.where(observations.c.target_id.in_(chunk))
        if up_to is not None:
            query = query.where(observations.c.period <= up_to)
        moments: dict = {}  # a province's 1.37 M first reports share a few hundred commit moments: convert each once
        for target_id, period, first in conn.execute(query):
            moment = moments.get(first)
            if moment is None:
                moment = moments[first] = aware(first)
            result[(target_id, period)] = moment
    return result


def _selected(query, plan_ids: Iterable[str] | None, jurisdictions: Iterable[str] | None):
    """``query`` (which joins ``targets``) narrowed to the live targets of some plans or jurisdictions."""
    query = query.where(targets.c.retired.is_(False))
    if plan_ids:
        query = query.where(targets.c.plan_id.in_(list(plan_ids)))
    if jurisdictions:
        query = query.where(targets.c.jurisdiction.in_(list(jurisdictions)))
    return query


def target_schedules(conn: Connection, plan_ids: Iterable[str] | None = None,
                     jurisdictions: Iterable[str] | None = None) -> dict[str, tuple[str, str, str]]:
    """{target_id: (plan's first month, deadline, frequency)} of the live targets (of some plans or jurisdictions)."""
    from indicators.store.schema import plans

    t = targets.c
    query = select(t.id, plans.c.period_start, t.deadline, t.frequency).join(plans, plans.c.id == t.plan_id)
    return {target_id: (start, deadline, frequency or "monthly")
            for target_id, start, deadline, frequency in conn.execute(_selected(query, plan_ids, jurisdictions))}


def batch_states(conn: Connection) -> dict[int, tuple[bool, dt.datetime]]:
    """{batch id: (its values count, when it was committed)} of every batch (a few thousand rows at most)."""
    query = select(batches.c.id, batches.c.status, batches.c.approval, batches.c.uploaded_at)
    return {batch_id: (status == "committed" and approval in (None, "approved"), aware(at))
            for batch_id, status, approval, at in conn.execute(query)}


def new_first_reports(conn: Connection, batch_ids: Sequence[int], plan_ids: Iterable[str] | None = None,
                      jurisdictions: Iterable[str] | None = None
                      ) -> tuple[list[tuple[str, str, str, str, dt.datetime, int]], set[str]]:
    """What some counting batches add to the first reports: ([(plan's first month, deadline, frequency, month,
    commit moment, live targets)] whose first report is theirs (no batch that counts and comes earlier, by commit
    moment then id, holds the same target and month), the months they hold values for (of any target; of the live
    targets of a selection)). Reads only those batches' rows: an upload's, not a province's history."""
    from indicators.store.schema import plans

    earlier = batches.alias("earlier")
    before = observations.alias("before")
    o, t, b = observations.c, targets.c, batches.c
    seen = (select(before.c.id).join(earlier, earlier.c.id == before.c.batch_id)
            .where(before.c.target_id == o.target_id, before.c.period == o.period,
                   earlier.c.status == "committed",
                   or_(earlier.c.approval.is_(None), earlier.c.approval == "approved"),
                   or_(earlier.c.uploaded_at < b.uploaded_at,
                       and_(earlier.c.uploaded_at == b.uploaded_at, earlier.c.id < b.id))))
    keys = (plans.c.period_start, t.deadline, t.frequency, o.period, b.uploaded_at)
    rows: list = []
    months: set[str] = set()
    for i in range(0, len(batch_ids), 500):
        chunk = list(batch_ids[i:i + 500])
        query = (select(*keys, func.count(o.target_id.distinct()))
                 .select_from(observations.join(batches, b.id == o.batch_id)
                              .join(targets, t.id == o.target_id).join(plans, plans.c.id == t.plan_id))
                 .where(b.id.in_(chunk), counts_clause(), ~seen.exists())
                 .group_by(*keys))
        rows += [(start, deadline, frequency or "monthly", period, aware(at), count)
                 for start, deadline, frequency, period, at, count in
                 conn.execute(_selected(query, plan_ids, jurisdictions))]
        held = select(o.period).distinct().join(batches, b.id == o.batch_id).where(b.id.in_(chunk), counts_clause())
        if plan_ids or jurisdictions:
            held = _selected(held.join(targets, t.id == o.target_id), plan_ids, jurisdictions)
        months.update(conn.execute(held).scalars())
    return rows, months


@dataclass(frozen=True)
class ReportingTarget:
    """A live target as the reporting cycle sees it."""

    id: str
    plan_id: str
    jurisdiction: str
    name: str
    name_en: str
    unit: str
    kind: str
    value: float
    lead_units: tuple[str, ...]
    frequency: str | None
    reporter: str | None
    deadline: str
    recurrence: str | None
    period_start: str  # the plan's first month


def _lead_units(value) -> tuple[str, ...]:
    if isinstance(value, str):  # some drivers hand JSON back as text
        value = json.loads(value)
    return tuple(value or ())


def reporting_targets(conn: Connection, plan_ids: Iterable[str] | None = None,
                      jurisdictions: Iterable[str] | None = None) -> list[ReportingTarget]:
    """Live targets with what the reporting cycle needs: plan, jurisdiction, period, frequency, reporter, names."""
    from indicators.store.schema import plans

    t = targets.c
    query = (select(t.id, t.plan_id, t.jurisdiction, t.name, t.name_en, t.unit, t.kind, t.value, t.lead_units,
                    t.frequency, t.reporter, t.deadline, t.recurrence, plans.c.period_start)
             .join(plans, plans.c.id == t.plan_id).where(t.retired.is_(False)).order_by(t.id))
    if plan_ids:
        query = query.where(t.plan_id.in_(list(plan_ids)))
    if jurisdictions:
        query = query.where(t.jurisdiction.in_(list(jurisdictions)))
    return [ReportingTarget(**{**row._mapping, "lead_units": _lead_units(row.lead_units)}) for row in conn.execute(query)]


def pending_values(conn: Connection, target_ids: Iterable[str], month: str,
                   uploader: str | None = None) -> dict[str, tuple[float, str, int]]:
    """{target_id: (value, value as entered, batch id)} of values submitted for ``month`` and awaiting approval
    (latest revision first wins), optionally only those ``uploader`` submitted."""
    result: dict[str, tuple[float, str, int]] = {}
    for chunk in _chunks(target_ids):
        query = (select(observations.c.target_id, observations.c.value, observations.c.value_raw,
                        observations.c.batch_id)
                 .join(batches, batches.c.id == observations.c.batch_id)
                 .where(batches.c.status == "committed", batches.c.approval == "submitted",
                        observations.c.period == month, observations.c.target_id.in_(chunk))
                 .order_by(observations.c.id))
        if uploader is not None:
            query = query.where(batches.c.uploader == uploader)
        for target_id, value, raw, batch_id in conn.execute(query):
            result[target_id] = (value, raw, batch_id)
    return result
