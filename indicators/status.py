"""Progress from the store: feeds the pure rules of ``indicators.progress`` with the values the database holds.

One query gives every target's latest live value up to the as-of month and its first value of the period, so a
province of 38,000 targets and 1.4 million observations is judged without reading every observation into Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.engine import Connection, Engine

from indicators import progress, store
from indicators.progress import Progress, TargetSpec, Thresholds
from indicators.units import UnitError, convert

ROLLUPS = ("sector", "unit", "jurisdiction", "plan")


@dataclass(frozen=True)
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


def spec_from_row(row: dict, plan_start: str) -> TargetSpec:
    """TargetSpec from a store row; the baseline is converted into the target's own unit."""
    baseline = row.get("baseline_value")
    if baseline is not None and row.get("baseline_unit") and row["baseline_unit"] != row["unit"]:
        try:
            baseline = convert(baseline, row["baseline_unit"], row["unit"])
        except UnitError:
            baseline = None
    quote = row.get("quote") or ""
    return TargetSpec(
        id=row["id"], kind=row["kind"], comparator=row["comparator"], value=row["value"], unit=row["unit"],
        start=plan_start, deadline=row["deadline"], value_max=row.get("value_max"), recurrence=row.get("recurrence"),
        baseline=baseline, holds_level=row["kind"] == "level" and any(w in quote for w in progress.HOLD_WORDS),
        profile=tuple(row["profile"]) if row.get("profile") else None, name=row["name"], name_en=row["name_en"],
    )


def load_targets(conn: Connection, plan_ids: Sequence[str] | None = None,
                 jurisdictions: Sequence[str] | None = None) -> list[TargetInfo]:
    """Live (not retired) targets, optionally of some plans / jurisdictions, in id order."""
    plans = store.plan_rows(conn)
    query = select(store.targets).where(store.targets.c.retired.is_(False)).order_by(store.targets.c.id)
    if plan_ids:
        query = query.where(store.targets.c.plan_id.in_(list(plan_ids)))
    if jurisdictions:
        query = query.where(store.targets.c.jurisdiction.in_(list(jurisdictions)))
    infos = []
    for row in conn.execute(query).mappings():
        row = dict(row)
        infos.append(TargetInfo(
            spec=spec_from_row(row, plans[row["plan_id"]]["period_start"]), plan_id=row["plan_id"],
            jurisdiction=row["jurisdiction"], sector=row["sector"], lead_units=tuple(row["lead_units"] or ()),
            name=row["name"], name_en=row["name_en"], clause=row["clause"],
        ))
    return infos


def latest_and_first(conn: Connection, as_of: str) -> tuple[dict[str, tuple[str, float]], dict[str, tuple[str, float]]]:
    """Per target: the latest live (period, value) up to ``as_of`` and the earliest live (period, value).

    Rolled-back batches are excluded; among revisions of one month the newest (highest id) wins.
    """
    live = (
        select(store.observations.c.id, store.observations.c.target_id, store.observations.c.period)
        .join(store.batches, and_(store.batches.c.id == store.observations.c.batch_id,
                                  store.batches.c.status == "committed"))
        .where(store.observations.c.period <= as_of)
        .subquery()
    )
    # the newest revision of each target's latest month, and of its earliest month
    last_period = select(live.c.target_id, func.max(live.c.period).label("period")).group_by(live.c.target_id).subquery()
    first_period = select(live.c.target_id, func.min(live.c.period).label("period")).group_by(live.c.target_id).subquery()
    result = []
    for bound in (last_period, first_period):
        newest = (
            select(func.max(live.c.id).label("id"))
            .join(bound, and_(bound.c.target_id == live.c.target_id, bound.c.period == live.c.period))
            .group_by(live.c.target_id)
            .subquery()
        )
        rows = conn.execute(
            select(store.observations.c.target_id, store.observations.c.period, store.observations.c.value)
            .join(newest, newest.c.id == store.observations.c.id)
        )
        result.append({r.target_id: (r.period, r.value) for r in rows})
    return result[0], result[1]


def compute(engine: Engine, as_of: str, plan_ids: Sequence[str] | None = None,
            jurisdictions: Sequence[str] | None = None,
            thresholds: Thresholds | None = None) -> tuple[list[TargetInfo], list[Progress]]:
    """Every live target's progress as of a month (optionally for some plans or jurisdictions)."""
    thresholds = thresholds or progress.load_thresholds()
    with engine.connect() as conn:
        infos = load_targets(conn, plan_ids, jurisdictions)
        latest, first = latest_and_first(conn, as_of)
    results = []
    for info in infos:
        spec = info.spec
        if spec.recurrence == "yearly":
            # a yearly target's first value of *this* year is not needed (it is never a level baseline)
            results.append(progress.evaluate_points(spec, latest.get(spec.id), None, as_of, thresholds))
        else:
            results.append(progress.evaluate_points(spec, latest.get(spec.id), first.get(spec.id), as_of, thresholds))
    return infos, results


def group_keys(infos: Sequence[TargetInfo], by: str) -> dict[str, tuple[str, ...]]:
    """target id -> the roll-up keys it belongs to (`unit` gives every lead unit of a target)."""
    if by == "sector":
        return {i.spec.id: (i.sector,) for i in infos}
    if by == "unit":
        return {i.spec.id: i.lead_units or ("（未列明）",) for i in infos}
    if by == "jurisdiction":
        return {i.spec.id: (i.jurisdiction,) for i in infos}
    if by == "plan":
        return {i.spec.id: (i.plan_id,) for i in infos}
    raise ValueError(f"unknown roll-up {by!r}; one of {', '.join(ROLLUPS)}")


def rollups(infos: Sequence[TargetInfo], results: Sequence[Progress]) -> dict[str, list[progress.Group]]:
    """The four roll-ups of DESIGN §6."""
    return {by: progress.rollup(results, group_keys(infos, by)) for by in ROLLUPS}


def observed_months(engine: Engine) -> list[str]:
    """Months that have at least one live value, oldest first (the UI's as-of choices)."""
    with engine.connect() as conn:
        query = (select(store.observations.c.period).distinct()
                 .join(store.batches, and_(store.batches.c.id == store.observations.c.batch_id,
                                           store.batches.c.status == "committed"))
                 .order_by(store.observations.c.period))
        return list(conn.execute(query).scalars())


def series(engine: Engine, target_id: str) -> dict[str, float]:
    """One target's resolved monthly values {YYYY-MM: value} (latest live revision per month)."""
    with engine.connect() as conn:
        return {period: value for (_, period), value in store.latest_values(conn, [target_id]).items()}
