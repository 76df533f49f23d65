"""Accounts: roles, scopes, creating, disabling and re-enabling users, changing passwords; every change audited."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from sqlalchemy.engine import Connection, Engine

from indicators import store
from indicators.accounts import passwords
from indicators.accounts.errors import AuthError, PermissionDenied  # noqa: F401  (re-exported)
from indicators.accounts.passwords import _check_password
from indicators.store import accounts as rows
from indicators.store.actuals import plan_jurisdictions as _plan_jurisdictions
from indicators.store.audit import audit

Role = Literal["viewer", "statistician", "approver", "admin"]  # approver: approves batches in scope (DESIGN §9)
ROLES: tuple[str, ...] = get_args(Role)
Reason = Literal["ok", "unknown", "wrong_password", "locked", "disabled"]




# --- users ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class User:
    """An account as the rest of the program sees it (never the password hash)."""

    name: str
    role: Role
    scopes: tuple[str, ...] = ()  # statisticians: jurisdictions and/or plan ids
    disabled: bool = False
    email: str | None = None
    locked_until: dt.datetime | None = None  # set while five failed logins hold the account locked

    @property
    def is_admin(self) -> bool:
        return self.role == "admin" and not self.disabled

    @property
    def may_write(self) -> bool:
        """Statisticians and admins may write (within their scope); viewers and disabled accounts never."""
        return self.role in ("statistician", "admin") and not self.disabled

    @property
    def may_approve(self) -> bool:
        """Approvers and admins may approve or reject batches (within their scope); nobody else."""
        return self.role in ("approver", "admin") and not self.disabled


def _user(row: rows.UserRow) -> User:
    return User(name=row.name, role=row.role, scopes=row.scopes, disabled=row.disabled,  # type: ignore[arg-type]
                email=row.email, locked_until=row.locked_until)


def normalise_name(name: str) -> str:
    """Account names are compared after NFKC (full-width letters = ASCII) and trimming."""
    return unicodedata.normalize("NFKC", name or "").strip()


def _check_name(name: str) -> str:
    name = normalise_name(name)
    if not name or len(name) > 80:
        raise AuthError("name_length")
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in name) or name.startswith("-"):
        raise AuthError("name_characters", name=name)
    return name


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = unicodedata.normalize("NFKC", email).strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in email) or len(email) > 254:
        raise AuthError("bad_email", email=email)
    return email


def _check_scopes(conn: Connection, role: str, scopes: Iterable[str]) -> list[str]:
    scopes = list(dict.fromkeys(unicodedata.normalize("NFKC", s).strip() for s in scopes if s and s.strip()))
    if role not in ("statistician", "approver"):  # approvers are scoped like statisticians
        if scopes:
            raise AuthError("scope_not_for_role", role=role)
        return []
    if not scopes:
        raise AuthError("scope_needed")
    plans = _plan_jurisdictions(conn)
    known = set(plans) | set(plans.values())
    unknown = [s for s in scopes if s not in known]
    if unknown:
        if not plans:
            raise AuthError("no_plans_yet")
        raise AuthError("unknown_scope", unknown=", ".join(unknown), known=", ".join(sorted(known)))
    return scopes


def get_user(engine: Engine, name: str) -> User | None:
    """The account called ``name`` (after NFKC and trimming), or None."""
    with engine.connect() as conn:
        row = rows.user_row(conn, normalise_name(name))
    return _user(row) if row is not None else None


def get_user_by_email(engine: Engine, email: str) -> User | None:
    """The account whose e-mail (case-insensitive) matches a single sign-on identity, or None."""
    try:
        email = _check_email(email)
    except AuthError:
        return None
    if email is None:
        return None
    with engine.connect() as conn:
        row = rows.user_row_by_email(conn, email)
    return _user(row) if row is not None else None


def list_users(engine: Engine) -> list[User]:
    """Every account, by name."""
    with engine.connect() as conn:
        return [_user(row) for row in rows.user_rows(conn)]


def _account_change(engine: Engine, actor: str, action: str, name: str, detail: dict, change) -> None:
    """Run ``change(conn)`` and audit it in the same transaction; a refusal is audited (ok=False) and re-raised."""
    try:
        with store.write_transaction(engine) as conn:
            change(conn)
            audit(conn, actor, action, name, detail)
    except AuthError as exc:
        audit(engine, actor, action, name, {**detail, "error": str(exc)}, ok=False)
        raise


def _require_row(conn: Connection, name: str) -> rows.UserRow:
    row = rows.user_row(conn, name, for_update=True)
    if row is None:
        raise AuthError("no_such_user", name=name)
    return row


def add_user(engine: Engine, name: str, role: str, password: str | None, scopes: Iterable[str] = (),
             actor: str = "cli", email: str | None = None) -> User:
    """Create an account. ``password`` None makes a single-sign-on-only account (it then needs ``email``).

    Raises AuthError (audited) when the name is taken or invalid, the role or a scope is unknown, or the password
    is too weak.
    """
    name = normalise_name(name)
    scopes = list(scopes)
    detail = {"role": role, "scopes": scopes, "email": email}
    try:
        name = _check_name(name)
        if role not in ROLES:
            raise AuthError("unknown_role", role=role, roles=", ".join(ROLES))
        email = _check_email(email)
        if password is None:
            if email is None:
                raise AuthError("sso_needs_email")
            password_hash = None
        else:
            _check_password(password, name)
            password_hash = passwords.HASHER.hash(password)
    except AuthError as exc:
        audit(engine, actor, "user_add", name[:200], {**detail, "error": str(exc)}, ok=False)
        raise
    created: list[User] = []

    def change(conn: Connection) -> None:
        checked = _check_scopes(conn, role, scopes)
        detail["scopes"], detail["email"] = checked, email
        if rows.name_taken(conn, name):
            raise AuthError("name_taken", name=name)
        if email and rows.email_taken(conn, email):
            raise AuthError("email_taken", email=email)
        if not rows.insert_user(conn, name=name, role=role, scopes=checked, password_hash=password_hash,
                                email=email, at=store.now()):  # a concurrent add of the same name
            raise AuthError("name_taken", name=name)
        created.append(User(name, role, tuple(checked), False, email))  # type: ignore[arg-type]

    _account_change(engine, actor, "user_add", name, detail, change)
    return created[0]


def set_password(engine: Engine, name: str, password: str, actor: str = "cli") -> None:
    """Replace an account's password; also clears a lockout and the failed-login count."""
    name = normalise_name(name)
    try:
        _check_password(password, name)
    except AuthError as exc:
        audit(engine, actor, "user_passwd", name[:200], {"error": str(exc)}, ok=False)
        raise
    password_hash = passwords.HASHER.hash(password)

    def change(conn: Connection) -> None:
        _require_row(conn, name)
        rows.set_password_hash(conn, name, password_hash, store.now())

    _account_change(engine, actor, "user_passwd", name, {}, change)


def _set_disabled(engine: Engine, name: str, disabled: bool, actor: str) -> None:
    name = normalise_name(name)

    def change(conn: Connection) -> None:
        _require_row(conn, name)
        rows.set_disabled(conn, name, disabled, store.now())

    _account_change(engine, actor, "user_disable" if disabled else "user_enable", name, {}, change)


def disable_user(engine: Engine, name: str, actor: str = "cli") -> None:
    """Disable an account: it can no longer log in, and a signed-in session of it loses every write right at once."""
    _set_disabled(engine, name, True, actor)


def enable_user(engine: Engine, name: str, actor: str = "cli") -> None:
    """Re-enable a disabled account (also clears a lockout)."""
    _set_disabled(engine, name, False, actor)




def unlock_user(engine: Engine, name: str, actor: str = "cli") -> None:
    """Lift a login lock-out and clear the failed-login count (the password stays)."""
    name = normalise_name(name)

    def change(conn: Connection) -> None:
        _require_row(conn, name)
        rows.clear_lockout(conn, name, store.now())

    _account_change(engine, actor, "user_unlock", name, {}, change)
