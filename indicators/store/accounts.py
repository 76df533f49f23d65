"""The users table: accounts as typed rows (``UserRow``), looked up, added and changed. The rules (who may do what,
name and password checks, the lock-out) live in ``indicators.accounts``; this module only reads and writes rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from indicators.store.engine import aware
from indicators.store.schema import users


@dataclass(frozen=True)
class UserRow:
    """One row of the users table, as stored (the password hash included: never hand it beyond accounts/)."""

    id: int
    name: str
    role: str
    scopes: tuple[str, ...]
    password_hash: str | None
    disabled: bool
    failed_logins: int
    locked_until: dt.datetime | None  # UTC, aware
    email: str | None


def _row(row) -> UserRow:
    return UserRow(id=row.id, name=row.name, role=row.role, scopes=tuple(row.scopes or ()),
                   password_hash=row.password_hash, disabled=bool(row.disabled), failed_logins=row.failed_logins or 0,
                   locked_until=aware(row.locked_until), email=row.email)


def user_row(conn: Connection, name: str, *, for_update: bool = False) -> UserRow | None:
    """The account called ``name`` exactly (callers normalise it), or None; ``for_update`` locks the row for the
    rest of the transaction (PostgreSQL; SQLite's write transactions are serialised anyway)."""
    query = select(users).where(users.c.name == name)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    return None if row is None else _row(row)


def user_row_by_email(conn: Connection, email: str) -> UserRow | None:
    """The account with this (lower-cased) e-mail, or None."""
    row = conn.execute(select(users).where(users.c.email == email)).first()
    return None if row is None else _row(row)


def user_rows(conn: Connection) -> list[UserRow]:
    """Every account, by name."""
    return [_row(row) for row in conn.execute(select(users).order_by(users.c.name))]


def name_taken(conn: Connection, name: str) -> bool:
    """True when an account of this name exists."""
    return conn.execute(select(users.c.id).where(users.c.name == name)).first() is not None


def email_taken(conn: Connection, email: str) -> bool:
    """True when an account holds this e-mail."""
    return conn.execute(select(users.c.id).where(users.c.email == email)).first() is not None


def insert_user(conn: Connection, *, name: str, role: str, scopes: list[str], password_hash: str | None,
                email: str | None, at: dt.datetime) -> bool:
    """Add an account (enabled, no failed logins); False when the name or e-mail was taken meanwhile (a concurrent
    add): the caller refuses, and its transaction rolls back."""
    try:
        conn.execute(users.insert().values(
            name=name, role=role, scopes=scopes, password_hash=password_hash, disabled=False,
            failed_logins=0, locked_until=None, created_at=at, updated_at=at, email=email))
    except IntegrityError:
        return False
    return True


def set_password_hash(conn: Connection, name: str, password_hash: str, at: dt.datetime) -> None:
    """A new password hash; the failed-login count and any lock-out are cleared with it."""
    conn.execute(update(users).where(users.c.name == name).values(
        password_hash=password_hash, failed_logins=0, locked_until=None, updated_at=at))


def set_disabled(conn: Connection, name: str, disabled: bool, at: dt.datetime) -> None:
    """Disable an account, or enable it again (which also clears the failed-login count and any lock-out)."""
    values: dict = {"disabled": disabled, "updated_at": at}
    if not disabled:
        values.update(failed_logins=0, locked_until=None)
    conn.execute(update(users).where(users.c.name == name).values(**values))


def clear_lockout(conn: Connection, name: str, at: dt.datetime) -> None:
    """Lift a lock-out and clear the failed-login count (the password stays)."""
    conn.execute(update(users).where(users.c.name == name).values(failed_logins=0, locked_until=None, updated_at=at))


def record_login(conn: Connection, user_id: int, *, failed_logins: int, locked_until: dt.datetime | None,
                 password_hash: str | None = None) -> None:
    """The outcome of a password check: the failed-login count and lock-out, and a re-hashed password when the
    hasher's parameters changed since it was stored."""
    values: dict = {"failed_logins": failed_logins, "locked_until": locked_until}
    if password_hash is not None:
        values["password_hash"] = password_hash
    conn.execute(update(users).where(users.c.id == user_id).values(**values))
