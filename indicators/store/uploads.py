"""What an upload reads from the store, by the ids the file names, and how its rows are written.

Validation reads only the targets, plans and previous values of the ids in the file (a province's store holds
155,000 targets and millions of values; a file names a few thousand), as typed rows. Ids are sent as bounded IN
lists on SQLite (its variable limit: 999 before 3.32) and as one array (``= ANY(:ids)``) on PostgreSQL. On
PostgreSQL the rows of a batch are written through COPY.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from sqlalchemy import String, any_, bindparam, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql import ColumnElement, Select

from indicators.store.reporting import counts_clause
from indicators.store.schema import batches, observations, plans, targets

CHUNK = 500  # ids per IN list on SQLite


class UploadTarget(NamedTuple):
    """What the checks of an upload read about one target."""

    id: str
    plan_id: str
    jurisdiction: str
    kind: str
    value: float
    unit: str
    deadline: str
    recurrence: str | None
    retired: bool


class PlanSpan(NamedTuple):
    """A plan's months: the first and the last it takes values for (a target's deadline may extend the last)."""

    id: str
    period_start: str
    period_end: str


class TemplateTarget(NamedTuple):
    """A live target as the month's template lists it."""

    id: str
    name: str
    unit: str
    clause: str
    kind: str


def rows_by_ids(conn: Connection, query: Callable[[ColumnElement], Select], column: ColumnElement,
                ids: Iterable[str]) -> Iterator[Row]:
    """The rows of ``query(condition)`` for the condition "``column`` is one of ``ids``": one query with an array on
    PostgreSQL, one per bounded IN list on SQLite (rows grouped by chunk of sorted ids)."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    if conn.dialect.name == "postgresql":
        yield from conn.execute(query(column == any_(bindparam("ids", wanted, type_=ARRAY(String)))))
        return
    for start in range(0, len(wanted), CHUNK):
        yield from conn.execute(query(column.in_(wanted[start:start + CHUNK])))


def upload_targets(conn: Connection, ids: Iterable[str]) -> dict[str, UploadTarget]:
    """{id: UploadTarget} of those of ``ids`` that are in the store (retired ones included)."""
    columns = [targets.c[name] for name in UploadTarget._fields]
    return {row.id: UploadTarget(*row) for row in rows_by_ids(conn, lambda where: select(*columns).where(where),
                                                             targets.c.id, ids)}


def plan_spans(conn: Connection, plan_ids: Iterable[str]) -> dict[str, PlanSpan]:
    """{plan id: PlanSpan} of these plans."""
    columns = [plans.c[name] for name in PlanSpan._fields]
    return {row.id: PlanSpan(*row) for row in rows_by_ids(conn, lambda where: select(*columns).where(where),
                                                         plans.c.id, plan_ids)}


def all_target_ids(conn: Connection) -> list[str]:
    """Every target id in the store, retired ones included: what an unknown id's suggestions are chosen from."""
    return list(conn.execute(select(targets.c.id)).scalars())


def previous_values(conn: Connection, target_ids: Iterable[str]) -> dict[tuple[str, str], float]:
    """{(target id, month): live value} of these targets: the latest revision whose batch counts."""
    def query(where: ColumnElement) -> Select:
        return (select(observations.c.target_id, observations.c.period, observations.c.value)
                .join(batches, batches.c.id == observations.c.batch_id)
                .where(counts_clause(), where).order_by(observations.c.id))

    result: dict[tuple[str, str], float] = {}
    if conn.dialect.name == "postgresql":
        # No JIT for the rest of this transaction: the plan's cost is estimated per target from the table's
        # statistics, and on 5.5 M observations compiling it took 195 ms of the query's 210 ms; the seeks take 15.
        conn.exec_driver_sql("SET LOCAL jit = off")
        rows: Iterable[Row] = conn.execute(_previous_values_by_seeks(sorted(set(target_ids))))
    else:
        rows = rows_by_ids(conn, query, observations.c.target_id, target_ids)
    # ordered by id within each query, and a target's rows are all in one query: later revisions overwrite
    for target_id, period, value in rows:
        result[(target_id, period)] = value
    return result


def _previous_values_by_seeks(wanted: list[str]) -> Select:
    """PostgreSQL: the rows of ``wanted`` targets, one seek of the (target_id, period, id) index per target.

    ``target_id = ANY(array)`` lets the planner estimate each target's rows from the table's statistics and, for a
    file naming a few thousand targets, read the whole observations table instead (measured: a parallel sequential
    scan of 1.44 M rows for a file whose targets had none). The unnest row per target, with a LATERAL subquery the
    planner may not flatten (OFFSET 0), keeps the cost to the file's own targets."""
    ids = func.unnest(bindparam("ids", wanted, type_=ARRAY(String))).table_valued("id").render_derived("wanted")
    per_target = (select(observations.c.id, observations.c.target_id, observations.c.period, observations.c.value)
                  .join(batches, batches.c.id == observations.c.batch_id)
                  .where(counts_clause(), observations.c.target_id == ids.c.id).offset(0).lateral("seek"))
    return (select(per_target.c.target_id, per_target.c.period, per_target.c.value)
            .select_from(ids).join(per_target, true()).order_by(per_target.c.id))


def committed_twin(conn: Connection, sha256: str) -> int | None:
    """The committed batch (not rejected) holding a file of this sha256, if any."""
    return conn.execute(select(batches.c.id).where(batches.c.sha256 == sha256, batches.c.status == "committed",
                                                   batches.c.approval.is_distinct_from("rejected"))).scalar()


def template_targets(conn: Connection, plan_id: str) -> list[TemplateTarget]:
    """The live targets of a plan, as the template lists them (unordered: the template orders them by clause)."""
    columns = [targets.c[name] for name in TemplateTarget._fields]
    query = select(*columns).where(targets.c.plan_id == plan_id, targets.c.retired.is_(False))
    return [TemplateTarget(*row) for row in conn.execute(query)]


# The staging table's column types (observations' own, without their width limits: validation checked those).
_STAGING_TYPES = {"target_id": "text", "period": "text", "value": "float8", "value_raw": "text", "unit_raw": "text",
                  "basis": "text", "note": "text", "row_number": "integer"}


def copy_observations(conn: Connection, batch_id: int, rows: Sequence[tuple], names: Sequence[str]) -> None:
    """PostgreSQL: write a batch's observations (``rows`` of the ``names`` columns) through COPY into a temporary
    table, then one INSERT ... SELECT, in the caller's transaction (its advisory lock, batch row and audit row).

    COPY sends the rows as one stream instead of a statement each; the staging table (no indexes, no foreign
    keys, dropped at commit) lets the one INSERT check the foreign keys and fill the indexes in a single pass."""
    columns = ", ".join(names)
    staging = ", ".join(f"{name} {_STAGING_TYPES[name]}" for name in names)
    with conn.connection.driver_connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE upload_rows ({staging}) ON COMMIT DROP")
        with cursor.copy(f"COPY upload_rows ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        # the batch id is the same for every row: written once into the statement (an int, never user text)
        cursor.execute(f"INSERT INTO observations ({columns}, batch_id) SELECT {columns}, {int(batch_id)} "
                       "FROM upload_rows ORDER BY row_number")
