"""Progress from the store: feeds the pure rules of ``indicators.progress`` with the values the database holds.

One query gives every target's latest live value up to the as-of month and its first value of the period, so a
province of 38,000 targets and 1.4 million observations is judged without reading every observation into Python.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Text, and_, case, cast, or_, select
from sqlalchemy.engine import Connection, Engine

from indicators import progress, reporting, store
from indicators.catalogue import departments
from indicators.catalogue.departments import Departments
from indicators.progress import Progress, TargetSpec, Thresholds
from indicators.text.units import UnitError, convert

ROLLUPS = ("sector", "unit", "jurisdiction", "plan")  # also "division": the 002 plan's divisions, not their bureau


@dataclass(slots=True)
class TargetInfo:
    """A target as the dashboard needs it: the spec for the rules plus what groups and labels it."""

    spec: TargetSpec
    plan_id: str
    jurisdiction: str
    sector: str
    lead_units: tuple[str, ...]
    name: str
    name_en: str
    clause: str
    frequency: str = "monthly"  # reporting frequency (DESIGN §9)
    reporter: str | None = None  # the catalogue's named reporter (None: the first lead unit)


_TARGET_COLUMNS = ("id", "plan_id", "jurisdiction", "sector", "lead_units", "name", "name_en", "clause", "kind",
                   "comparator", "value", "value_max", "unit", "deadline", "recurrence", "baseline_value",
                   "baseline_unit", "profile", "quote", "frequency", "reporter", "baseline_period", "pacing")


def _target_query(columns_extra=()):
    t = store.targets.c
    # JSON columns come back as text and are decoded here: SQLAlchemy's JSON processor costs 5x more per row
    columns = [cast(t[name], Text) if name in ("lead_units", "profile") else t[name] for name in _TARGET_COLUMNS]
    return select(*columns, *columns_extra).where(t.retired.is_(False)).order_by(t.id)


def _filter(query, plan_ids: Sequence[str] | None, jurisdictions: Sequence[str] | None):
    t = store.targets.c
    if plan_ids:
        query = query.where(t.plan_id.in_(list(plan_ids)))
    if jurisdictions:
        query = query.where(t.jurisdiction.in_(list(jurisdictions)))
    return query


def _info(values: Sequence, plan_starts: dict[str, str]) -> TargetInfo:
    """TargetInfo from a row of _TARGET_COLUMNS (positional: this runs once per target of a whole province)."""
    (target_id, plan_id, jurisdiction, sector, lead_units, name, name_en, clause, kind, comparator, value, value_max,
     unit, deadline, recurrence, baseline, baseline_unit, profile, quote, frequency, reporter, baseline_period,
     pacing) = values[:23]
    if baseline is not None and baseline_unit and baseline_unit != unit:
        try:
            baseline = convert(baseline, baseline_unit, unit)
        except UnitError:
            baseline = None
    spec = TargetSpec(
        target_id, kind, comparator, value, unit, plan_starts[plan_id], deadline, value_max, recurrence, baseline,
        kind == "level" and any(w in quote for w in progress.HOLD_WORDS),
        tuple(json.loads(profile)) if profile and profile != "null" else None, name, name_en, pacing, baseline_period,
    )
    units = tuple(json.loads(lead_units)) if lead_units and lead_units != "[]" else ()
    return TargetInfo(spec, plan_id, jurisdiction, sector, units, name, name_en, clause, frequency or "monthly",
                      reporter)


def load_targets(conn: Connection, plan_ids: Sequence[str] | None = None,
                 jurisdictions: Sequence[str] | None = None) -> list[TargetInfo]:
    """Live (not retired) targets, optionally of some plans / jurisdictions, in id order."""
    plan_starts = {plan_id: row["period_start"] for plan_id, row in store.plan_rows(conn).items()}
    return [_info(values, plan_starts) for values in conn.execute(_filter(_target_query(), plan_ids, jurisdictions))]


def load_targets_with_points(conn: Connection, as_of: str, plan_ids: Sequence[str] | None = None,
                             jurisdictions: Sequence[str] | None = None):
    """Targets plus, per target, the latest live (period, value) up to ``as_of`` and the earliest one, in one query.

    Rolled-back batches are excluded; among revisions of one month the newest (highest id) wins. Each target costs
    two seeks on the (target_id, period, id) index instead of a scan of all its observations.
    """
    obs, targets = store.observations.alias("o"), store.targets
    # rolled-back (and unapproved) batches are few: bind their ids, so the common case (none) costs the index seeks alone
    rolled_back = store.excluded_batch_ids(conn)

    def pick(*order):
        query = select(obs.c.id).where(obs.c.target_id == targets.c.id, obs.c.period <= as_of)
        if rolled_back:
            query = query.where(obs.c.batch_id.not_in(rolled_back))
        return query.order_by(*order).limit(1).correlate(targets).scalar_subquery()

    # a level target without a baseline in the plan needs its first value (it becomes the baseline); growth and share
    # need it to tell whether two months were reported (no projection from one)
    needs_first = or_(and_(targets.c.kind == "level", targets.c.baseline_value.is_(None)),
                      targets.c.kind.in_(("growth", "share")))
    chosen = _filter(_target_query((pick(obs.c.period.desc(), obs.c.id.desc()).label("latest_id"),
                                    case((needs_first, pick(obs.c.period.asc(), obs.c.id.desc())),
                                         else_=None).label("first_id"))),
                     plan_ids, jurisdictions).subquery()
    latest_obs, first_obs = store.observations.alias("lo"), store.observations.alias("fo")
    query = (select(*(chosen.c[name] for name in _TARGET_COLUMNS), latest_obs.c.period, latest_obs.c.value,
                    first_obs.c.period, first_obs.c.value)
             .select_from(chosen.outerjoin(latest_obs, latest_obs.c.id == chosen.c.latest_id)
                          .outerjoin(first_obs, first_obs.c.id == chosen.c.first_id))
             .order_by(chosen.c.id))
    plan_starts = {plan_id: row["period_start"] for plan_id, row in store.plan_rows(conn).items()}
    infos, latest, first = [], {}, {}
    width = len(_TARGET_COLUMNS)
    for values in conn.execute(query):
        info = _info(values, plan_starts)
        infos.append(info)
        latest_period, latest_value, first_period, first_value = values[width:]
        if latest_period is not None:
            latest[info.spec.id] = (latest_period, latest_value)
        if first_period is not None:
            first[info.spec.id] = (first_period, first_value)
    return infos, latest, first


def compute(engine: Engine, as_of: str, plan_ids: Sequence[str] | None = None,
            jurisdictions: Sequence[str] | None = None,
            thresholds: Thresholds | None = None) -> tuple[list[TargetInfo], list[Progress]]:
    """Every live target's progress as of a month (optionally for some plans or jurisdictions)."""
    thresholds = thresholds or progress.load_thresholds()
    with engine.connect() as conn:
        infos, latest, first = load_targets_with_points(conn, as_of, plan_ids, jurisdictions)
    results = []
    for info in infos:
        spec = info.spec
        # a yearly target's first value of *this* year is not needed (it is never a level baseline)
        results.append(reporting.evaluate_reported(spec, info.frequency, latest.get(spec.id),
                                                   None if spec.recurrence == "yearly" else first.get(spec.id),
                                                   as_of, thresholds))
    return infos, results


def group_keys(infos: Sequence[TargetInfo], by: str) -> dict[str, tuple[str, ...]]:
    """target id -> the roll-up keys it belongs to (`unit` gives every lead unit of a target)."""
    if by == "sector":
        return {i.spec.id: (i.sector,) for i in infos}
    if by in ("unit", "division"):
        return department_keys(infos, divisions=by == "division")
    if by == "jurisdiction":
        return {i.spec.id: (i.jurisdiction,) for i in infos}
    if by == "plan":
        return {i.spec.id: (i.plan_id,) for i in infos}
    raise ValueError(f"unknown roll-up {by!r}; one of {', '.join(ROLLUPS)}")


def department_keys(infos: Sequence[TargetInfo], divisions: bool = False,
                    table: Departments | None = None) -> dict[str, tuple[str, ...]]:
    """target id -> its lead units' canonical departments (a division under its bureau unless ``divisions``)."""
    table = table if table is not None else departments.table_for()
    return {i.spec.id: table.keys(i.jurisdiction, i.lead_units, divisions) for i in infos}


def rollups(infos: Sequence[TargetInfo], results: Sequence[Progress]) -> dict[str, list[progress.Group]]:
    """The four roll-ups of DESIGN §6 (``results`` in the order of ``infos``, as compute returns them)."""
    result = {}
    for by in ROLLUPS:
        keys = group_keys(infos, by)
        result[by] = progress.rollup_aligned(results, [keys[i.spec.id] for i in infos])
    return result


def observed_months(engine: Engine) -> list[str]:
    """Months that have at least one live value, oldest first (the UI's as-of choices)."""
    with engine.connect() as conn:
        query = (select(store.observations.c.period).distinct()
                 .join(store.batches, and_(store.batches.c.id == store.observations.c.batch_id,
                                           store.counts_clause()))
                 .order_by(store.observations.c.period))
        return list(conn.execute(query).scalars())


def series(engine: Engine, target_id: str) -> dict[str, float]:
    """One target's resolved monthly values {YYYY-MM: value} (latest live revision per month)."""
    with engine.connect() as conn:
        return {period: value for (_, period), value in store.latest_values(conn, [target_id]).items()}
