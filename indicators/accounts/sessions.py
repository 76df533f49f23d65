"""Signed-in sessions (a dict the UI keeps in its session state) and their idle timeout."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from indicators import store
from indicators.accounts.users import User, get_user
from indicators.config import load_settings


# --- sessions (the UI keeps the dict in its session state) ----------------------------------------------------------
def new_session(user: User, now: dt.datetime | None = None) -> dict:
    """A fresh session for a logged-in user: {"user", "role", "started", "last_seen"}."""
    now = now or store.now()
    return {"user": user.name, "role": user.role, "started": now, "last_seen": now}


def session_valid(session: dict | None, now: dt.datetime | None = None,
                  idle_timeout: dt.timedelta | float | None = None) -> bool:
    """False once the session has been idle longer than ``idle_timeout`` (a timedelta or hours; default: settings)."""
    if not session or not isinstance(session.get("last_seen"), dt.datetime):
        return False
    if idle_timeout is None:
        idle_timeout = load_settings().idle_timeout
    elif not isinstance(idle_timeout, dt.timedelta):
        idle_timeout = dt.timedelta(hours=float(idle_timeout))
    return (now or store.now()) - session["last_seen"] <= idle_timeout


def touch(session: dict, now: dt.datetime | None = None) -> None:
    """Record activity: the idle clock starts again."""
    session["last_seen"] = now or store.now()


def session_user(engine: Engine, session: dict | None, now: dt.datetime | None = None,
                 idle_timeout: dt.timedelta | float | None = None) -> User | None:
    """The session's user as the database has it now, or None when the session is idle-expired or the account
    was disabled or removed meanwhile (role and scope changes also take effect at once)."""
    if not session_valid(session, now, idle_timeout):
        return None
    user = get_user(engine, session["user"])
    return user if user is not None and not user.disabled else None
