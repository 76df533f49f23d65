"""The audit log: who did what, when, with what outcome; details are redacted of secrets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from indicators import store
from indicators.store import audit_log
from indicators.store.engine import aware as _aware

LOCAL_TZ = dt.timezone(dt.timedelta(hours=8), "UTC+8")  # China Standard Time: messages and the audit CSV


# --- audit log -----------------------------------------------------------------------------------------------------
def _redact(value: object) -> object:
    """JSON-ready detail with any key that mentions a password or secret blanked out."""
    if isinstance(value, dict):
        return {str(k): ("[redacted]" if any(w in str(k).lower() for w in ("password", "secret", "token"))
                         else _redact(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_redact(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def audit(engine_or_conn: Engine | Connection, actor: str, action: str, target: str | None = None,
          detail: dict | None = None, ok: bool = True, at: dt.datetime | None = None) -> None:
    """Add one row to the audit log: inside ``conn``'s transaction, or in its own on an Engine."""
    values = {"at": at or store.now(), "actor": str(actor or "?")[:80], "action": str(action)[:32],
              "target": None if target is None else str(target)[:500], "detail": _redact(detail or {}),
              "ok": bool(ok)}
    if isinstance(engine_or_conn, Connection):
        engine_or_conn.execute(audit_log.insert().values(**values))
    else:
        with store.write_transaction(engine_or_conn) as conn:
            conn.execute(audit_log.insert().values(**values))


def _utc_bound(value: dt.datetime | dt.date | None, end_of_day: bool) -> dt.datetime | None:
    """A filter bound in UTC: a date is a whole day in China time; a naive datetime is UTC."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), LOCAL_TZ) + (dt.timedelta(days=1) if end_of_day else dt.timedelta())
    return _aware(value).astimezone(dt.UTC)


@dataclass(frozen=True)
class AuditRow:
    """One row of the audit log; ``at`` in China time (UTC+8)."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    target: str | None
    ok: bool
    detail: dict


def audit_rows(engine: Engine, actor: str | None = None, action: str | None = None,
               since: dt.datetime | dt.date | None = None, until: dt.datetime | dt.date | None = None,
               ok: bool | None = None, limit: int = 1000) -> list[AuditRow]:
    """Audit rows, newest first (``at`` in China time, UTC+8).

    ``actor`` and ``action`` match as case-insensitive substrings ("user" finds user_add, user_passwd, ...);
    ``since`` is inclusive and ``until`` exclusive for datetimes, while a date means the whole day (UTC+8).
    """
    query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(max(1, int(limit)))
    if actor:
        query = query.where(func.lower(audit_log.c.actor).contains(actor.strip().lower(), autoescape=True))
    if action:
        query = query.where(func.lower(audit_log.c.action).contains(action.strip().lower(), autoescape=True))
    start, end = _utc_bound(since, False), _utc_bound(until, True)
    if start is not None:
        query = query.where(audit_log.c.at >= start)
    if end is not None:
        query = query.where(audit_log.c.at < end)
    if ok is not None:
        query = query.where(audit_log.c.ok.is_(ok))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [AuditRow(id=r.id, at=_aware(r.at).astimezone(LOCAL_TZ), actor=r.actor, action=r.action, target=r.target,
                     ok=bool(r.ok), detail=r.detail or {}) for r in rows]
