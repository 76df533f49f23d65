"""Upload batches as typed rows (``BatchRow``): one batch, the recent ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from indicators.store.schema import batches


@dataclass(frozen=True)
class BatchRow:
    """One row of the batches table. Times are as the database hands them back (SQLite: naive UTC)."""

    id: int
    file_name: str
    sha256: str
    archived_path: str
    uploader: str
    uploaded_at: dt.datetime
    rows_total: int
    rows_written: int
    rows_skipped: int
    status: str  # committed | rolled_back | rejected
    rolled_back_at: dt.datetime | None
    rolled_back_by: str | None
    is_demo: bool
    approval: str | None  # None: none needed; submitted | approved | rejected (approval_required)
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_comment: str | None


_FIELDS = tuple(f.name for f in fields(BatchRow))


def batch_from(row) -> BatchRow:
    """A BatchRow from a result row of ``select(batches)``."""
    values = row._mapping
    return BatchRow(**{name: values[name] for name in _FIELDS})


def batch_row(conn: Connection, batch_id: int) -> BatchRow | None:
    """One batch, or None."""
    row = conn.execute(select(batches).where(batches.c.id == batch_id)).first()
    return None if row is None else batch_from(row)


def batch_list(engine: Engine, limit: int = 200) -> list[BatchRow]:
    """Recent upload batches, newest first."""
    with engine.connect() as conn:
        return [batch_from(r) for r in conn.execute(select(batches).order_by(batches.c.id.desc()).limit(limit))]
