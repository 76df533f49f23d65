"""Progress from the store: feeds the pure rules of ``indicators.progress`` with the values the database holds.

One lookup query gives every target's latest live value up to the as-of month (and, for a level target without a
baseline, its first value), so a province of 38,000 targets and 1.4 million observations is judged with one index
seek or two per target, never a scan of the observations. The query runs on the bare driver cursor: at 38,000 rows
SQLAlchemy's result rows and JSON processors cost more than the lookup itself.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection, Engine

from indicators import progress, reporting, store
from indicators.catalogue import departments
from indicators.catalogue.departments import Departments
from indicators.progress import Progress, TargetSpec, Thresholds
from indicators.progress.rollup import ResultColumns, rollup_columns
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
_WIDTH = len(_TARGET_COLUMNS)
# JSON columns are read as text and decoded here, once per distinct text (a province has a few hundred lead-unit
# lists for 38,000 targets): SQLAlchemy's or psycopg's JSON processing would decode every row
_TEXT_COLUMNS = ("lead_units", "profile")


def _marks(dialect_name: str, count: int) -> str:
    return ", ".join(["?" if dialect_name == "sqlite" else "%s"] * count)


def lookup_sql(dialect_name: str, as_of: str, rolled_back: Sequence[int] = (),
               plan_ids: Sequence[str] | None = None,
               jurisdictions: Sequence[str] | None = None) -> tuple[str, list]:
    """The lookup of every live target with its latest live (period, value) up to ``as_of`` and its first one.

    Columns: _TARGET_COLUMNS, then latest period, latest value, first period, first value. Rolled-back batches are
    excluded (rolled-back and unapproved batches are few: their ids are bound, so the common case of none costs the
    index seeks alone); among revisions of one month the newest (highest id) wins. The first
    value is looked up only for a level target without a baseline, and for growth and share targets. Each
    lookup is one seek on the (target_id, period, id) index: PostgreSQL through LEFT JOIN LATERAL … LIMIT 1, SQLite
    (no LATERAL) through correlated subqueries giving the observation id, joined back by primary key.
    """
    mark = "?" if dialect_name == "sqlite" else "%s"
    live = f" AND o.batch_id NOT IN ({_marks(dialect_name, len(rolled_back))})" if rolled_back else ""
    where, where_params = "t.retired = " + ("0" if dialect_name == "sqlite" else "false"), []
    if plan_ids:
        where += f" AND t.plan_id IN ({_marks(dialect_name, len(plan_ids))})"
        where_params += list(plan_ids)
    if jurisdictions:
        where += f" AND t.jurisdiction IN ({_marks(dialect_name, len(jurisdictions))})"
        where_params += list(jurisdictions)
    # a level target without a baseline in the plan needs its first value (it becomes the baseline); growth and share
    # need it to tell whether two months were reported (no projection from one)
    needs_first = "((t.kind = 'level' AND t.baseline_value IS NULL) OR t.kind IN ('growth', 'share'))"
    pick = f"o.target_id = t.id AND o.period <= {mark}{live}"
    pick_params = [as_of, *rolled_back]
    if dialect_name == "sqlite":
        columns = ", ".join(f"t.{c}" for c in _TARGET_COLUMNS)
        outer = ", ".join(f"c.{c}" for c in _TARGET_COLUMNS)
        sql = (f"SELECT {outer}, lo.period, lo.value, fo.period, fo.value FROM ("
               f"SELECT {columns}, "
               f"(SELECT o.id FROM observations o WHERE {pick} ORDER BY o.period DESC, o.id DESC LIMIT 1) AS latest_id, "
               f"CASE WHEN {needs_first} THEN (SELECT o.id FROM observations o WHERE {pick} "
               f"ORDER BY o.period ASC, o.id DESC LIMIT 1) END AS first_id "
               f"FROM targets t WHERE {where}) c "
               "LEFT JOIN observations lo ON lo.id = c.latest_id LEFT JOIN observations fo ON fo.id = c.first_id "
               "ORDER BY c.id")
        return sql, [*pick_params, *pick_params, *where_params]
    columns = ", ".join(f"t.{c}::text" if c in _TEXT_COLUMNS else f"t.{c}" for c in _TARGET_COLUMNS)
    sql = (f"SELECT {columns}, lo.period, lo.value, fo.period, fo.value FROM targets t "
           f"LEFT JOIN LATERAL (SELECT o.period, o.value FROM observations o WHERE {pick} "
           "ORDER BY o.period DESC, o.id DESC LIMIT 1) lo ON true "
           f"LEFT JOIN LATERAL (SELECT o.period, o.value FROM observations o WHERE {needs_first} AND {pick} "
           "ORDER BY o.period ASC, o.id DESC LIMIT 1) fo ON true "
           f"WHERE {where} ORDER BY t.id")
    return sql, [*pick_params, *pick_params, *where_params]


def fetch_lookup(conn: Connection, as_of: str, plan_ids: Sequence[str] | None = None,
                 jurisdictions: Sequence[str] | None = None) -> list[tuple]:
    """The rows of lookup_sql, fetched through the bare driver cursor."""
    sql, params = lookup_sql(conn.dialect.name, as_of, store.excluded_batch_ids(conn), plan_ids, jurisdictions)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def explain_lookup(conn: Connection, as_of: str, plan_ids: Sequence[str] | None = None,
                   jurisdictions: Sequence[str] | None = None) -> str:
    """The database's plan of the lookup (EXPLAIN on PostgreSQL, EXPLAIN QUERY PLAN on SQLite), one step a line."""
    sql, params = lookup_sql(conn.dialect.name, as_of, store.excluded_batch_ids(conn), plan_ids, jurisdictions)
    prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(prefix + sql, params)
        return "\n".join(" ".join(str(v) for v in row[-1:]) for row in cursor.fetchall())
    finally:
        cursor.close()


class _Decoder:
    """Per-call decoding state: JSON texts decoded once each, plan starts, converted baselines."""

    def __init__(self, plan_starts: dict[str, str]):
        self.plan_starts = plan_starts
        self.json: dict[str | None, tuple | None] = {None: None, "null": None, "[]": ()}

    def tuple_of(self, text: str | None) -> tuple | None:
        try:
            return self.json[text]
        except KeyError:
            value = self.json[text] = tuple(json.loads(text))
            return value

    def info(self, values: Sequence) -> TargetInfo:
        """TargetInfo from a row starting with _TARGET_COLUMNS (positional: this runs once per target)."""
        (target_id, plan_id, jurisdiction, sector, lead_units, name, name_en, clause, kind, comparator, value,
         value_max, unit, deadline, recurrence, baseline, baseline_unit, profile, quote, frequency, reporter,
         baseline_period, pacing) = values[:_WIDTH]
        if baseline is not None and baseline_unit and baseline_unit != unit:
            try:
                baseline = convert(baseline, baseline_unit, unit)
            except UnitError:
                baseline = None
        spec = TargetSpec(
            target_id, kind, comparator, value, unit, self.plan_starts[plan_id], deadline, value_max, recurrence,
            baseline, kind == "level" and any(w in quote for w in progress.HOLD_WORDS), self.tuple_of(profile),
            name, name_en, pacing, baseline_period,
        )
        return TargetInfo(spec, plan_id, jurisdiction, sector, self.tuple_of(lead_units) or (), name, name_en, clause,
                          frequency or "monthly", reporter)


def _plan_starts(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(select(store.plans.c.id, store.plans.c.period_start)).all())


def load_targets(conn: Connection, plan_ids: Sequence[str] | None = None,
                 jurisdictions: Sequence[str] | None = None) -> list[TargetInfo]:
    """Live (not retired) targets, optionally of some plans / jurisdictions, in id order."""
    t = store.targets.c
    query = select(*(t[name] for name in _TARGET_COLUMNS)).where(t.retired.is_(False)).order_by(t.id)
    if plan_ids:
        query = query.where(t.plan_id.in_(list(plan_ids)))
    if jurisdictions:
        query = query.where(t.jurisdiction.in_(list(jurisdictions)))
    decoder = _Decoder(_plan_starts(conn))
    # SQLAlchemy decodes the JSON columns here: encode them back for the shared decoder (a handful of calls)
    return [decoder.info((*row[:4], json.dumps(row[4]), *row[5:17], None if row[17] is None else json.dumps(row[17]),
                          *row[18:])) for row in conn.execute(query)]


@contextmanager
def no_cyclic_gc():
    """Pause the cyclic garbage collector while a province's objects are built (none of them forms a cycle).

    Building 100,000 objects triggers its full passes, each walking every object of a server process that holds
    caches: measured at half the time of a roll-up. It runs on its own schedule again afterwards.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def compute(engine: Engine, as_of: str, plan_ids: Sequence[str] | None = None,
            jurisdictions: Sequence[str] | None = None,
            thresholds: Thresholds | None = None) -> tuple[list[TargetInfo], list[Progress]]:
    """Every live target's progress as of a month (optionally for some plans or jurisdictions)."""
    thresholds = thresholds or progress.load_thresholds()
    with engine.connect() as conn:
        decoder = _Decoder(_plan_starts(conn))
        rows = fetch_lookup(conn, as_of, plan_ids, jurisdictions)
    evaluate, info_of = reporting.evaluate_reported, decoder.info
    infos, results = [], []
    with no_cyclic_gc():
        for row in rows:
            info = info_of(row)
            spec = info.spec
            latest_period, latest_value, first_period, first_value = row[_WIDTH:]
            latest = None if latest_period is None else (latest_period, latest_value)
            # a yearly target's first value of *this* year is not needed (it is never a level baseline)
            first = None if first_period is None or spec.recurrence == "yearly" else (first_period, first_value)
            infos.append(info)
            results.append(evaluate(spec, info.frequency, latest, first, as_of, thresholds))
    return infos, results


def _aligned_keys(infos: Sequence[TargetInfo], by: str) -> list[tuple[str, ...]]:
    """The roll-up keys of each target, in the order of ``infos`` (`unit` gives every lead unit of a target)."""
    if by == "sector":
        return [(i.sector,) for i in infos]
    if by in ("unit", "division"):
        table = departments.table_for()  # memoises the keys of each (jurisdiction, lead units)
        return [table.keys(i.jurisdiction, i.lead_units, by == "division") for i in infos]
    if by == "jurisdiction":
        return [(i.jurisdiction,) for i in infos]
    if by == "plan":
        return [(i.plan_id,) for i in infos]
    raise ValueError(f"unknown roll-up {by!r}; one of {', '.join(ROLLUPS)}")


def group_keys(infos: Sequence[TargetInfo], by: str) -> dict[str, tuple[str, ...]]:
    """target id -> the roll-up keys it belongs to (`unit` gives every lead unit of a target)."""
    return dict(zip((i.spec.id for i in infos), _aligned_keys(infos, by), strict=True))


def department_keys(infos: Sequence[TargetInfo], divisions: bool = False,
                    table: Departments | None = None) -> dict[str, tuple[str, ...]]:
    """target id -> its lead units' canonical departments (a division under its bureau unless ``divisions``)."""
    table = table if table is not None else departments.table_for()
    return {i.spec.id: table.keys(i.jurisdiction, i.lead_units, divisions) for i in infos}


def rollups_by(infos: Sequence[TargetInfo], results: Sequence[Progress], by: str) -> list[progress.Group]:
    """One roll-up (``by`` one of ROLLUPS or "division"), column-wise."""
    with no_cyclic_gc():
        return rollup_columns(results, _aligned_keys(infos, by), ResultColumns.of(results))


def rollups(infos: Sequence[TargetInfo], results: Sequence[Progress]) -> dict[str, list[progress.Group]]:
    """The four roll-ups of DESIGN §6 (``results`` in the order of ``infos``, as compute returns them)."""
    with no_cyclic_gc():
        columns = ResultColumns.of(results)
        return {by: rollup_columns(results, _aligned_keys(infos, by), columns) for by in ROLLUPS}


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
