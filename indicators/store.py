"""The actuals store: SQLAlchemy 2 Core schema, engine from DATABASE_URL, and repository functions.

Nothing is ever deleted: a corrected value is a new revision (a new observation row), a wrong upload is undone by
marking its batch rolled back, and a target removed from the catalogue is marked retired. The value that counts for
a target and month is the latest revision whose batch is not rolled back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from indicators.catalogue import Catalogue

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = PROJECT_ROOT / "data" / "indicators.sqlite"

metadata = MetaData()

plans = Table(
    "plans",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("title", Text, nullable=False),
    Column("title_en", Text, nullable=False),
    Column("issuer", Text, nullable=False),
    Column("doc_number", String(80), nullable=False),
    Column("jurisdiction", String(80), nullable=False),
    Column("period_start", String(7), nullable=False),
    Column("period_end", String(7), nullable=False),
    Column("source", Text, nullable=False),
    Column("synced_at", DateTime(timezone=True), nullable=False),
)

targets = Table(
    "targets",
    metadata,
    Column("id", String(160), primary_key=True),
    Column("plan_id", String(80), ForeignKey("plans.id"), nullable=False, index=True),
    Column("jurisdiction", String(80), nullable=False, index=True),
    Column("clause", String(40), nullable=False),
    Column("chapter", Text, nullable=False),
    Column("sector", String(40), nullable=False),
    Column("task", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("comparator", String(8), nullable=False),
    Column("value", Float, nullable=False),
    Column("value_max", Float),
    Column("unit", String(40), nullable=False),
    Column("deadline", String(7), nullable=False),
    Column("recurrence", String(16)),
    Column("baseline_value", Float),
    Column("baseline_unit", String(40)),
    Column("baseline_period", String(7)),
    Column("lead_units", JSON, nullable=False),
    Column("profile", JSON),
    Column("quote", Text, nullable=False),
    Column("retired", Boolean, nullable=False, default=False),
    Column("retired_at", DateTime(timezone=True)),
)

batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("archived_path", Text, nullable=False),
    Column("uploader", String(80), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("rows_total", Integer, nullable=False),
    Column("rows_written", Integer, nullable=False),
    Column("rows_skipped", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # committed | rolled_back
    Column("rolled_back_at", DateTime(timezone=True)),
    Column("rolled_back_by", String(80)),
    Column("is_demo", Boolean, nullable=False, default=False),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target_id", String(160), ForeignKey("targets.id"), nullable=False),
    Column("period", String(7), nullable=False),
    Column("value", Float, nullable=False),  # cumulative (累计) value in the target's own unit
    Column("value_raw", String(80), nullable=False),  # the cell as uploaded
    Column("unit_raw", String(40)),  # the unit cell as uploaded (None = target's unit)
    Column("basis", String(8), nullable=False),  # 累计 | 当月
    Column("note", Text),
    Column("row_number", Integer, nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False, index=True),
    Index("ix_observations_target_period", "target_id", "period", "id"),
)

# One row, bumped on every write: the UI keys its caches on it.
data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# Accounts (indicators.auth): roles viewer | statistician | admin; scopes = jurisdictions or plan ids (statisticians).
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("password_hash", Text),  # argon2id; NULL = no password login (single sign-on only)
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("email", String(254), unique=True),  # lower-cased; matches the single sign-on identity
)

# Who did what when: logins (success and failure), commits, rollbacks, account changes. Rows are only ever added.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(80), nullable=False, index=True),
    Column("action", String(32), nullable=False, index=True),
    Column("target", Text),
    Column("detail", JSON),
    Column("ok", Boolean, nullable=False),
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def database_url() -> str:
    """DATABASE_URL from the environment, else the embedded SQLite file under data/."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA busy_timeout=30000")  # a second writer waits instead of failing at once
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a crash loses no committed transaction's integrity
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """Create the engine for ``url`` (default: database_url()), with SQLite made safe for several processes."""
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)

        # pysqlite's own transaction handling defers BEGIN; writers take the write lock at BEGIN (see write_transaction)
        # so a concurrent importer waits on busy_timeout instead of failing when upgrading a read lock to a write lock.
        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_connection, _record):
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn):
            immediate = conn.get_execution_options().get("write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


def write_transaction(engine: Engine):
    """A transaction for writing: on SQLite it takes the write lock at BEGIN (BEGIN IMMEDIATE)."""
    return engine.execution_options(write=True).begin()


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with write_transaction(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def bump_version(conn: Connection) -> None:
    """Mark that the data changed (the UI's caches key on this)."""
    updated = conn.execute(update(data_version).where(data_version.c.id == 1).values(
        version=data_version.c.version + 1, changed_at=now()))
    if updated.rowcount == 0:
        conn.execute(data_version.insert().values(id=1, version=1, changed_at=now()))


def current_version(engine: Engine) -> int:
    """The data-change counter (0 on an empty database)."""
    with engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.max(data_version.c.version), 0))).scalar_one()


@dataclass(frozen=True)
class SyncReport:
    plans: int
    targets_added: int
    targets_updated: int
    targets_retired: int


def sync_catalogue(engine: Engine, catalogue: Catalogue) -> SyncReport:
    """Upsert plans and targets from the catalogue; targets no longer in it are marked retired, never deleted."""
    added = updated = retired = 0
    stamp = now()
    with write_transaction(engine) as conn:
        existing_plans = set(conn.execute(select(plans.c.id)).scalars())
        for plan in catalogue.plans.values():
            row = {
                "title": plan.title, "title_en": plan.title_en, "issuer": plan.issuer, "doc_number": plan.doc_number,
                "jurisdiction": plan.jurisdiction, "period_start": plan.period.start, "period_end": plan.period.end,
                "source": plan.source, "synced_at": stamp,
            }
            if plan.id in existing_plans:
                conn.execute(update(plans).where(plans.c.id == plan.id).values(**row))
            else:
                conn.execute(plans.insert().values(id=plan.id, **row))
        existing = {r.id: r for r in conn.execute(select(targets))}
        for target in catalogue.targets:
            plan = catalogue.plans[target.plan]
            row = {
                "plan_id": target.plan, "jurisdiction": plan.jurisdiction, "clause": target.clause,
                "chapter": target.chapter, "sector": target.sector, "task": target.task, "name": target.name,
                "name_en": target.name_en, "kind": target.kind, "comparator": target.comparator,
                "value": target.value, "value_max": target.value_max, "unit": target.unit,
                "deadline": target.deadline, "recurrence": target.recurrence,
                "baseline_value": target.baseline.value if target.baseline else None,
                "baseline_unit": target.baseline.unit if target.baseline else None,
                "baseline_period": target.baseline.period if target.baseline else None,
                "lead_units": list(target.lead_units), "profile": target.profile, "quote": target.quote,
                "retired": False, "retired_at": None,
            }
            old = existing.pop(target.id, None)
            if old is None:
                conn.execute(targets.insert().values(id=target.id, **row))
                added += 1
            elif any(_differs(getattr(old, k), v) for k, v in row.items()):
                conn.execute(update(targets).where(targets.c.id == target.id).values(**row))
                updated += 1
        for old in existing.values():
            if not old.retired:
                conn.execute(update(targets).where(targets.c.id == old.id).values(retired=True, retired_at=stamp))
                retired += 1
        if added or updated or retired:
            bump_version(conn)
    return SyncReport(len(catalogue.plans), added, updated, retired)


def _differs(old: object, new: object) -> bool:
    if isinstance(old, (list, dict)) or isinstance(new, (list, dict)):
        return json.dumps(old, ensure_ascii=False) != json.dumps(new, ensure_ascii=False)
    return old != new


def init_db(engine: Engine, catalogue: Catalogue) -> SyncReport:
    """Create/upgrade the schema and sync the catalogue (the `init-db` command)."""
    migrate(engine)
    return sync_catalogue(engine, catalogue)


# --- reading -----------------------------------------------------------------------------------------------------
def live_observations_query(target_ids: Iterable[str] | None = None, up_to: str | None = None):
    """SELECT of every observation whose batch is not rolled back (all revisions), oldest first."""
    query = (
        select(observations.c.id, observations.c.target_id, observations.c.period, observations.c.value,
               observations.c.batch_id)
        .join(batches, batches.c.id == observations.c.batch_id)
        .where(batches.c.status == "committed")
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


def plan_rows(conn: Connection) -> dict[str, dict]:
    return {row.id: dict(row._mapping) for row in conn.execute(select(plans))}


def batch_list(engine: Engine, limit: int = 200) -> list[dict]:
    """Recent upload batches, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(batches).order_by(batches.c.id.desc()).limit(limit))
        return [dict(r._mapping) for r in rows]


def revision_history(engine: Engine, target_id: str) -> list[dict]:
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
        return [dict(r._mapping) for r in conn.execute(query)]


class RollbackError(ValueError):
    """A batch cannot be rolled back (unknown, or already rolled back)."""


def rollback_batch(engine: Engine, batch_id: int, user: str = "cli") -> dict:
    """Mark a batch rolled back so the previous revisions count again; nothing is deleted."""
    with write_transaction(engine) as conn:
        row = conn.execute(select(batches).where(batches.c.id == batch_id)).first()
        if row is None:
            raise RollbackError(f"批次 {batch_id} 不存在 / batch {batch_id} does not exist")
        if row.status == "rolled_back":
            raise RollbackError(f"批次 {batch_id} 已于 {row.rolled_back_at} 撤销 / batch {batch_id} was already rolled back")
        conn.execute(update(batches).where(batches.c.id == batch_id).values(
            status="rolled_back", rolled_back_at=now(), rolled_back_by=user))
        bump_version(conn)
    return dict(row._mapping)


OBSERVATION_COLUMNS = ("target_id", "period", "value", "value_raw", "unit_raw", "basis", "note", "row_number")


def insert_observations(conn: Connection, batch_id: int, rows: Sequence[tuple],
                        positions: Sequence[int] | None = None) -> None:
    """Insert observations for a batch with one driver-level executemany.

    Each row holds the OBSERVATION_COLUMNS values, in that order or, given ``positions``, at those indexes (a
    caller's own records, such as parsed upload rows). The bulk path of every import: SQLAlchemy's per-row parameter
    processing would triple the cost of a large file.
    """
    if not rows:
        return
    if positions is not None:  # one C-level pass; measured faster than SQLite's numbered parameters (?2, ?3, ...)
        rows = list(map(itemgetter(*positions), rows))
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
        query = select(batches.c.id).where(batches.c.is_demo.is_(True), batches.c.status == "committed").limit(1)
        return conn.execute(query).first() is not None
