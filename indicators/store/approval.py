"""Batch approval (DESIGN §9): the batches awaiting a decision, and recording one. Who may decide is the service's
and accounts.scope's business; this module only reads and writes the batches' approval columns."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from indicators.store.batches import BatchRow, batch_from
from indicators.store.schema import batches


def approval_of(engine: Engine, batch_id: int) -> str | None:
    """A batch's approval state (None: none needed, or no such batch)."""
    with engine.connect() as conn:
        return conn.execute(select(batches.c.approval).where(batches.c.id == batch_id)).scalar()


def pending_batches(engine: Engine) -> list[BatchRow]:
    """Committed batches awaiting approval, oldest first."""
    query = (select(batches).where(batches.c.status == "committed", batches.c.approval == "submitted")
             .order_by(batches.c.id))
    with engine.connect() as conn:
        return [batch_from(r) for r in conn.execute(query)]


def record_decision(conn: Connection, batch_id: int, decision: str, *, by: str, at: dt.datetime,
                    comment: str | None) -> None:
    """Write an approver's decision (``approved`` or ``rejected``) on a batch. A rejected batch also leaves the
    committed state, so that its file may be submitted again (one committed batch per sha256)."""
    conn.execute(update(batches).where(batches.c.id == batch_id).values(
        approval=decision, decided_by=by, decided_at=at, decision_comment=comment,
        **({"status": "rejected"} if decision == "rejected" else {})))
