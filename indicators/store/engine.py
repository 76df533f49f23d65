"""The engine from DATABASE_URL (SQLite made safe for several processes), write transactions, migrations and the data-change counter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    create_engine,
    event,
    func,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine

from indicators import config
from indicators.store.schema import data_version


def now() -> dt.datetime:
    """The current time in UTC (what the store writes)."""
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes: they are UTC (store.now())."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def database_url() -> str:
    """DATABASE_URL from the environment, else the embedded SQLite file under data/."""
    return config.database_url()


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


# The key of the PostgreSQL advisory lock that serialises the writers of actuals, migrations and catalogue syncs
# (any 64-bit number no other application on the server uses: "indicators" in ASCII, truncated).
WRITER_LOCK = 0x696E646963617430


@contextmanager
def write_transaction(engine: Engine, serialise: bool = False) -> Iterator[Connection]:
    """A transaction for writing: on SQLite it takes the write lock at BEGIN (BEGIN IMMEDIATE).

    ``serialise``: one such transaction at a time across every process. SQLite's write lock already does that; on
    PostgreSQL a transaction-scoped advisory lock does (commits, rollbacks, migrations and catalogue syncs take it,
    so that a rollback never interleaves with an import and two replicas never migrate at once).
    """
    with engine.execution_options(write=True).begin() as conn:
        if serialise and conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
        yield conn


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    alembic_config = Config()
    alembic_config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with write_transaction(engine, serialise=True) as connection:  # replicas starting together take turns
        alembic_config.attributes["connection"] = connection
        command.upgrade(alembic_config, "heads")  # parallel branches of migrations may each add a head


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
