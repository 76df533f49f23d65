"""Logging in with a password or single sign-on, with lock-out after repeated failures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy.engine import Connection, Engine

from indicators import store
from indicators.accounts import passwords
from indicators.accounts.passwords import _verify
from indicators.accounts.users import Reason, User, _user, get_user_by_email, normalise_name
from indicators.store import accounts as rows
from indicators.store.audit import audit

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)


# --- login ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoginResult:
    ok: bool
    user: User | None
    reason: Reason
    locked_until: dt.datetime | None = None


def authenticate(engine: Engine, name: str, password: str, now: dt.datetime | None = None) -> LoginResult:
    """Check a name and password; audit the attempt; apply the lockout rule.

    reason: ``ok``; ``unknown`` (no such user) or ``wrong_password`` (show both as the same message, see
    login_message); ``locked`` (five failures in a row: refused for 15 minutes even with the right password);
    ``disabled`` (only said when the password was right, so a guesser learns nothing).
    """
    now = now or store.now()
    name = normalise_name(name)[:80]
    with engine.connect() as conn:
        row = rows.user_row(conn, name)
    if row is None:
        _verify(None, password)  # the same time as a real check: the answer does not tell whether the name exists
        return _login_done(engine, name, now, LoginResult(False, None, "unknown"))
    locked_until = row.locked_until
    if locked_until is not None and locked_until > now:
        _verify(row.password_hash, password)  # the same time as any other answer: a lock reveals nothing
        return _login_done(engine, name, now, LoginResult(False, None, "locked", locked_until))
    if row.disabled:
        reason: Reason = "disabled" if _verify(row.password_hash, password) else "wrong_password"
        return _login_done(engine, name, now, LoginResult(False, None, reason))

    correct = _verify(row.password_hash, password)  # the slow part, outside the write transaction
    with store.write_transaction(engine) as conn:
        fresh = rows.user_row(conn, name, for_update=True)
        locked_until = fresh.locked_until
        if locked_until is not None and locked_until > now:  # locked by a concurrent attempt meanwhile
            result = LoginResult(False, None, "locked", locked_until)
        elif correct:
            rehashed = (passwords.HASHER.hash(password) if passwords.HASHER.check_needs_rehash(fresh.password_hash)
                        else None)
            rows.record_login(conn, fresh.id, failed_logins=0, locked_until=None, password_hash=rehashed)
            result = LoginResult(True, dataclasses.replace(_user(fresh), locked_until=None), "ok")
        else:
            expired = locked_until is not None and locked_until <= now
            failures = (0 if expired else fresh.failed_logins) + 1
            lock = now + LOCKOUT if failures >= MAX_FAILED_LOGINS else None
            rows.record_login(conn, fresh.id, failed_logins=failures, locked_until=lock)
            result = LoginResult(False, None, "wrong_password", lock)
        _login_audit(conn, name, now, result)
    return result


def _login_done(engine: Engine, name: str, now: dt.datetime, result: LoginResult) -> LoginResult:
    with store.write_transaction(engine) as conn:
        _login_audit(conn, name, now, result)
    return result


def _login_audit(conn: Connection, name: str, now: dt.datetime, result: LoginResult, action: str = "login") -> None:
    detail: dict = {"reason": result.reason}
    if result.locked_until is not None:
        detail["locked_until"] = result.locked_until.isoformat()
    audit(conn, name or "?", action, name or "?", detail, ok=result.ok, at=now)


def authenticate_sso(engine: Engine, email: str, now: dt.datetime | None = None) -> LoginResult:
    """Log in a single-sign-on identity (st.login / OIDC): the account whose e-mail matches, if active. Audited.

    The identity provider checks the password, so the lockout rule does not apply here.
    """
    now = now or store.now()
    user = get_user_by_email(engine, email)
    if user is None:
        result = LoginResult(False, None, "unknown")
    elif user.disabled:
        result = LoginResult(False, None, "disabled")
    else:
        result = LoginResult(True, user, "ok")
    actor = user.name if user else (email or "?")[:80]
    with store.write_transaction(engine) as conn:
        detail = {"reason": result.reason, "email": (email or "")[:254]}
        audit(conn, actor, "login_sso", actor, detail, ok=result.ok, at=now)
    return result


def login_message(result: LoginResult, lang: str = "zh") -> str:
    """The sentence to show for a login result. Every refusal reads the same (wrong password, unknown name, locked,
    disabled): the answer must not tell a guesser whether a name exists or what state it is in."""
    from indicators.i18n import t

    if result.ok:
        return t("login_ok", lang)
    return t("login_refused", lang, failures=MAX_FAILED_LOGINS, minutes=int(LOCKOUT.total_seconds() // 60))
