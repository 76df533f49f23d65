"""Batches and observations: the live value of a target and month is its latest revision whose batch is not rolled back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import (
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from indicators.store.batches import BatchRow, batch_row
from indicators.store.engine import bump_version, now, write_transaction
from indicators.store.reporting import counts_clause
from indicators.store.schema import batches, observations, plans, targets


# --- reading -----------------------------------------------------------------------------------------------------
def live_observations_query(target_ids: Iterable[str] | None = None, up_to: str | None = None):
    """SELECT of every observation whose batch is not rolled back (all revisions), oldest first."""
    query = (
        select(observations.c.id, observations.c.target_id, observations.c.period, observations.c.value,
               observations.c.batch_id)
        .join(batches, batches.c.id == observations.c.batch_id)
        .where(counts_clause())
    )
    if target_ids is not None:
        query = query.where(observations.c.target_id.in_(list(target_ids)))
    if up_to is not None:
        query = query.where(observations.c.period <= up_to)
    return query.order_by(observations.c.id)


def latest_values(conn: Connection, target_ids: Iterable[str] | None = None,
                  up_to: str | None = None) -> dict[tuple[str, str], float]:
    """{(target_id, period): value} of the latest non-rolled-back revision of each target and month."""
    result: dict[tuple[str, str], float] = {}
    if target_ids is None:
        chunks: list[list[str] | None] = [None]
    else:  # bounded IN lists: the (target_id, period) index serves each, however many targets a file touches
        ids = sorted(set(target_ids))
        chunks = [ids[i:i + 500] for i in range(0, len(ids), 500)]
    for chunk in chunks:
        for row in conn.execute(live_observations_query(chunk, up_to)):
            result[(row.target_id, row.period)] = row.value  # ordered by id: later revisions overwrite
    return result


_VALIDATION_COLUMNS = ("id", "plan_id", "jurisdiction", "kind", "value", "unit", "deadline", "recurrence", "retired")


def target_rows(conn: Connection, include_retired: bool = True, for_validation: bool = False) -> dict[str, dict]:
    """Every target in the store as a plain dict, keyed by id (``for_validation``: only what an upload check reads)."""
    query = select(*(targets.c[name] for name in _VALIDATION_COLUMNS)) if for_validation else select(targets)
    if not include_retired:
        query = query.where(targets.c.retired.is_(False))
    return {row.id: dict(row._mapping) for row in conn.execute(query)}


@dataclass(frozen=True)
class PlanRow:
    """One plan as synced from the catalogue into the plans table."""

    id: str
    title: str
    title_en: str
    issuer: str
    doc_number: str
    jurisdiction: str
    period_start: str
    period_end: str
    source: str
    synced_at: dt.datetime


def plan_rows(conn: Connection) -> dict[str, PlanRow]:
    """Every plan in the store, keyed by id."""
    return {row.id: PlanRow(**row._mapping) for row in conn.execute(select(plans))}


def batch_months(engine: Engine, batch_ids: list[int]) -> dict[int, list[str]]:
    """The months each batch wrote values for, in order: {batch id: ['2023-05', '2023-06']}."""
    if not batch_ids:
        return {}
    query = (select(observations.c.batch_id, observations.c.period).distinct()
             .where(observations.c.batch_id.in_(batch_ids)).order_by(observations.c.period))
    months: dict[int, list[str]] = {b: [] for b in batch_ids}
    with engine.connect() as conn:
        for batch_id, period in conn.execute(query):
            months[batch_id].append(period)
    return months


@dataclass(frozen=True)
class Revision:
    """One revision of a target's value for a month, with the batch it came in."""

    period: str
    value: float
    value_raw: str
    unit_raw: str | None
    basis: str
    note: str | None
    batch_id: int
    uploader: str
    uploaded_at: dt.datetime
    file_name: str
    status: str  # the batch's: committed | rolled_back | rejected
    rolled_back_at: dt.datetime | None
    id: int


def revision_history(engine: Engine, target_id: str) -> list[Revision]:
    """Every revision of one target's values, with its batch (who, when, rolled back?), newest first."""
    query = (
        select(observations.c.period, observations.c.value, observations.c.value_raw, observations.c.unit_raw,
               observations.c.basis, observations.c.note, observations.c.batch_id, batches.c.uploader,
               batches.c.uploaded_at, batches.c.file_name, batches.c.status, batches.c.rolled_back_at,
               observations.c.id)
        .join(batches, batches.c.id == observations.c.batch_id)
        .where(observations.c.target_id == target_id)
        .order_by(observations.c.period.desc(), observations.c.id.desc())
    )
    with engine.connect() as conn:
        return [Revision(**row._mapping) for row in conn.execute(query)]


class RollbackError(ValueError):
    """A batch cannot be rolled back (unknown, or already rolled back): ``reason`` is ``unknown`` or ``rolled_back``."""

    def __init__(self, batch_id: int, reason: str, when: object = None):
        self.batch_id, self.reason, self.when = batch_id, reason, when
        super().__init__(f"batch {batch_id}: {reason}")


def committed_batch_of(conn: Connection, sha256: str) -> int | None:
    """The committed batch holding a file of this sha256, if any."""
    return conn.execute(select(batches.c.id).where(batches.c.sha256 == sha256,
                                                   batches.c.status == "committed")).scalar()


def insert_batch(conn: Connection, uploaded_at: dt.datetime | None = None, **values: object) -> int:
    """Add a committed batch (file_name, sha256, archived_path, uploader, rows_*, is_demo); returns its id.
    ``uploaded_at``: now unless given (the demo loader's backdated submissions, see service.commit)."""
    return conn.execute(batches.insert().values(uploaded_at=uploaded_at or now(), status="committed",
                                                **values)).inserted_primary_key[0]


def rollback_batch(engine: Engine, batch_id: int, user: str = "cli",
                   in_transaction: Callable[[Connection, BatchRow], None] | None = None) -> BatchRow:
    """Mark a batch rolled back so that, for each of its values, the latest revision of any other committed batch
    counts again; nothing is deleted.

    Serialised with every commit (one writer at a time), and the status changes only from committed, so two
    rollbacks of one batch cannot both succeed. ``in_transaction(conn, batch)`` runs inside the transaction (the
    service writes the audit row there).
    """
    with write_transaction(engine, serialise=True) as conn:
        row = batch_row(conn, batch_id)
        if row is None:
            raise RollbackError(batch_id, "unknown")
        changed = conn.execute(update(batches).where(batches.c.id == batch_id, batches.c.status == "committed")
                               .values(status="rolled_back", rolled_back_at=now(), rolled_back_by=user)).rowcount
        if changed != 1:
            raise RollbackError(batch_id, "rolled_back", row.rolled_back_at)
        bump_version(conn)
        if in_transaction is not None:
            in_transaction(conn, row)
    return row


OBSERVATION_COLUMNS = ("target_id", "period", "value", "value_raw", "unit_raw", "basis", "note", "row_number")


def insert_observations(conn: Connection, batch_id: int, rows: Sequence[tuple],
                        positions: Sequence[int] | None = None) -> None:
    """Insert observations for a batch: one driver-level executemany on SQLite, COPY on PostgreSQL.

    Each row holds the OBSERVATION_COLUMNS values, in that order or, given ``positions``, at those indexes (a
    caller's own records, such as parsed upload rows). The bulk path of every import: SQLAlchemy's per-row parameter
    processing would triple the cost of a large file.
    """
    if not rows:
        return
    if positions is not None:  # one C-level pass; measured faster than SQLite's numbered parameters (?2, ?3, ...)
        rows = list(map(itemgetter(*positions), rows))
    if conn.dialect.name == "postgresql":  # COPY: a statement per row made an import 2x slower than a bare COPY
        from indicators.store.uploads import copy_observations

        copy_observations(conn, batch_id, rows, OBSERVATION_COLUMNS)
        return
    placeholders = ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * len(OBSERVATION_COLUMNS))
    columns = ", ".join(OBSERVATION_COLUMNS + ("batch_id",))
    # The batch id is the same for every row: written once into the statement (an int, never user text).
    conn.exec_driver_sql(f"INSERT INTO observations ({columns}) VALUES ({placeholders}, {int(batch_id)})", rows)


def has_observations(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(observations.c.id).limit(1)).first() is not None


def demo_in_use(engine: Engine) -> bool:
    """True when any committed batch holds synthetic demo data (the UI must then show the demo banner)."""
    with engine.connect() as conn:
        query = select(batches.c.id).where(batches.c.is_demo.is_(True), counts_clause()).limit(1)
        return conn.execute(query).first() is not None


# --- who may write what: the places (jurisdiction, plan) of targets and batches, for accounts.scope ---------------
def target_places(conn: Connection, target_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """{target id: (jurisdiction, plan id)} of these targets."""
    from indicators.store.uploads import rows_by_ids

    query = select(targets.c.id, targets.c.jurisdiction, targets.c.plan_id)
    return {row.id: (row.jurisdiction, row.plan_id)
            for row in rows_by_ids(conn, query.where, targets.c.id, target_ids)}


def batch_places(conn: Connection, batch_id: int) -> tuple[bool, str | None, set[tuple[str, str]]]:
    """(exists, uploader, {(jurisdiction, plan id)} of the values it holds) of one batch."""
    batch = conn.execute(select(batches.c.uploader).where(batches.c.id == batch_id)).first()
    if batch is None:
        return False, None, set()
    query = (select(targets.c.jurisdiction, targets.c.plan_id).distinct()
             .join(observations, observations.c.target_id == targets.c.id)
             .where(observations.c.batch_id == batch_id))
    return True, batch.uploader, {(row.jurisdiction, row.plan_id) for row in conn.execute(query)}


def plan_jurisdictions(conn: Connection) -> dict[str, str]:
    """{plan id: jurisdiction} from the plans table (synchronised from the catalogue by init-db)."""
    return dict(conn.execute(select(plans.c.id, plans.c.jurisdiction)).all())
