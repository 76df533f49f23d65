"""The status lookup: every live target with its latest live value up to a month (and its first), column-wise.

One query gives every target's latest live value up to the as-of month (and, for a level target without a baseline,
growth and share, its first value), so a province of 38,000 targets and 1.4 million observations is read with one
index seek or two per target, never a scan of the observations. The query runs on the bare driver cursor: at 38,000
rows SQLAlchemy's result rows and JSON processors cost more than the lookup itself. JSON columns come back as text,
for the caller to decode once per distinct text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# pandas' own C converter of row tuples (pandas is pinned in requirements.txt; DataFrame(rows) runs it too)
from pandas._libs.lib import to_object_array_tuples
from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from indicators.store.reporting import counts_clause, excluded_batch_ids
from indicators.store.schema import batches, observations, plans, targets

TARGET_COLUMNS = ("id", "plan_id", "jurisdiction", "sector", "lead_units", "name", "name_en", "clause", "kind",
                  "comparator", "value", "value_max", "unit", "deadline", "recurrence", "baseline_value",
                  "baseline_unit", "profile", "quote", "frequency", "reporter", "baseline_period", "pacing")
POINT_COLUMNS = ("latest_period", "latest_value", "first_period", "first_value")
LOOKUP_COLUMNS = TARGET_COLUMNS + POINT_COLUMNS
TEXT_COLUMNS = ("lead_units", "profile")  # JSON, read as text


@dataclass(frozen=True)
class LookupFrame:
    """The lookup's result as one (targets × LOOKUP_COLUMNS) object array in target id order: ``frame["kind"]`` is
    a column (a view), ``frame.row(i)`` one target's values as the driver's row had them."""

    table: np.ndarray
    _codes: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, rows: list[tuple]) -> LookupFrame:
        """A frame of lookup rows (the caller drops the rows).

        pandas' C converter fills the array from the row tuples in one pass (9 ms at 38,000 rows; transposing with
        zip into 27 columns took 35 ms before numpy saw them). An object array is invisible to the cyclic garbage
        collector: rows fetched while it is paused (read_model does) are freed without it ever walking them.
        """
        if not rows:
            return cls(np.empty((0, len(LOOKUP_COLUMNS)), dtype=object))
        table = to_object_array_tuples(rows)
        if table.shape != (len(rows), len(LOOKUP_COLUMNS)):
            raise ValueError(f"lookup rows of {table.shape[1]} values, not {len(LOOKUP_COLUMNS)}")
        return cls(table)

    def __len__(self) -> int:
        return len(self.table)

    def __getitem__(self, column: str) -> np.ndarray:
        return self.table[:, _POSITION[column]]

    def row(self, index: int) -> tuple:
        """One target's values in LOOKUP_COLUMNS order."""
        return tuple(self.table[index])

    def codes(self, column: str) -> tuple[np.ndarray, list]:
        """A text column as (codes, distinct values): row i holds ``values[codes[i]]``, code −1 is NULL.

        Taken once per column and shared: right after the fetch the 38,000 texts of a column lie cold and scattered
        in memory, so every pass over them costs several milliseconds; the rules and roll-ups read the codes.
        """
        found = self._codes.get(column)
        if found is None:
            codes, values = pd.factorize(self[column])
            found = self._codes[column] = (codes, values.tolist())
        return found


_POSITION = {name: i for i, name in enumerate(LOOKUP_COLUMNS)}


def _marks(dialect_name: str, count: int) -> str:
    return ", ".join(["?" if dialect_name == "sqlite" else "%s"] * count)


def lookup_sql(dialect_name: str, as_of: str, rolled_back: Sequence[int] = (),
               plan_ids: Sequence[str] | None = None,
               jurisdictions: Sequence[str] | None = None) -> tuple[str, list]:
    """The lookup of every live target with its latest live (period, value) up to ``as_of`` and its first one.

    Columns: LOOKUP_COLUMNS. Rolled-back batches are excluded (rolled-back and unapproved batches are few: their ids
    are bound, so the common case of none costs the index seeks alone); among revisions of one month the newest
    (highest id) wins. The first value is looked up only for a level target without a baseline, and for growth and
    share targets. Each lookup is one seek on the (target_id, period, id) index: PostgreSQL through LEFT JOIN
    LATERAL … LIMIT 1, SQLite (no LATERAL) through correlated subqueries giving the observation id, joined back by
    primary key.
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
        columns = ", ".join(f"t.{c}" for c in TARGET_COLUMNS)
        outer = ", ".join(f"c.{c}" for c in TARGET_COLUMNS)
        sql = (f"SELECT {outer}, lo.period, lo.value, fo.period, fo.value FROM ("
               f"SELECT {columns}, "
               f"(SELECT o.id FROM observations o WHERE {pick} ORDER BY o.period DESC, o.id DESC LIMIT 1) AS latest_id, "
               f"CASE WHEN {needs_first} THEN (SELECT o.id FROM observations o WHERE {pick} "
               f"ORDER BY o.period ASC, o.id DESC LIMIT 1) END AS first_id "
               f"FROM targets t WHERE {where}) c "
               "LEFT JOIN observations lo ON lo.id = c.latest_id LEFT JOIN observations fo ON fo.id = c.first_id "
               "ORDER BY c.id")
        return sql, [*pick_params, *pick_params, *where_params]
    columns = ", ".join(f"t.{c}::text" if c in TEXT_COLUMNS else f"t.{c}" for c in TARGET_COLUMNS)
    sql = (f"SELECT {columns}, lo.period, lo.value, fo.period, fo.value FROM targets t "
           f"LEFT JOIN LATERAL (SELECT o.period, o.value FROM observations o WHERE {pick} "
           "ORDER BY o.period DESC, o.id DESC LIMIT 1) lo ON true "
           f"LEFT JOIN LATERAL (SELECT o.period, o.value FROM observations o WHERE {needs_first} AND {pick} "
           "ORDER BY o.period ASC, o.id DESC LIMIT 1) fo ON true "
           f"WHERE {where} ORDER BY t.id")
    return sql, [*pick_params, *pick_params, *where_params]


def _run(conn: Connection, sql: str, params: list) -> list[tuple]:
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def fetch_lookup(conn: Connection, as_of: str, plan_ids: Sequence[str] | None = None,
                 jurisdictions: Sequence[str] | None = None) -> LookupFrame:
    """The lookup's rows as a frame, fetched through the bare driver cursor."""
    sql, params = lookup_sql(conn.dialect.name, as_of, excluded_batch_ids(conn), plan_ids, jurisdictions)
    return LookupFrame.of(_run(conn, sql, params))


def explain_lookup(conn: Connection, as_of: str, plan_ids: Sequence[str] | None = None,
                   jurisdictions: Sequence[str] | None = None) -> str:
    """The database's plan of the lookup (EXPLAIN on PostgreSQL, EXPLAIN QUERY PLAN on SQLite), one step a line."""
    sql, params = lookup_sql(conn.dialect.name, as_of, excluded_batch_ids(conn), plan_ids, jurisdictions)
    prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
    return "\n".join(" ".join(str(v) for v in row[-1:]) for row in _run(conn, prefix + sql, params))


def plan_starts(conn: Connection) -> dict[str, str]:
    """plan id -> the first month of its period."""
    return dict(conn.execute(select(plans.c.id, plans.c.period_start)).all())


def live_target_rows(conn: Connection, plan_ids: Sequence[str] | None = None,
                     jurisdictions: Sequence[str] | None = None) -> list[tuple]:
    """Live (not retired) targets as TARGET_COLUMNS tuples in id order (JSON columns decoded, as SQLAlchemy gives
    them), optionally of some plans / jurisdictions."""
    t = targets.c
    query = select(*(t[name] for name in TARGET_COLUMNS)).where(t.retired.is_(False)).order_by(t.id)
    if plan_ids:
        query = query.where(t.plan_id.in_(list(plan_ids)))
    if jurisdictions:
        query = query.where(t.jurisdiction.in_(list(jurisdictions)))
    return [tuple(row) for row in conn.execute(query)]


def observed_months(conn: Connection) -> list[str]:
    """Months that have at least one live value, oldest first."""
    query = (select(observations.c.period).distinct()
             .join(batches, and_(batches.c.id == observations.c.batch_id, counts_clause()))
             .order_by(observations.c.period))
    return list(conn.execute(query).scalars())
