"""Accounts, roles, login with lockout, write scopes, sessions and the audit log (issue 7).

Roles:
  ``viewer``        reads (the same as an anonymous visitor when reading is open).
  ``statistician``  also downloads templates, commits and rolls back the actuals of its scopes: jurisdictions
                    (``聊城市``) and/or plan ids (``liaocheng-2023``).
  ``admin``         everything, every jurisdiction; sees the audit log.

Passwords are hashed with argon2id (memory-hard; ``argon2-cffi``) and are never stored, logged or audited in plain
text. There is no default account and no default password: the first admin is created on the command line,
``python -m indicators user add NAME --role admin``. Five wrong passwords in a row lock an account for 15 minutes (the
lock holds even for the right password); a successful login resets the count.

Every login attempt (success and failure), commit, rollback and account change adds a row to ``audit_log``:
who (``actor``), when (``at``), what (``action``, ``target``, ``detail``) and whether it succeeded (``ok``).
Actions: ``login``, ``login_sso``, ``logout``, ``commit``, ``rollback``, ``user_add``, ``user_passwd``,
``user_disable``, ``user_enable``.

Settings (``login_required``, ``idle_timeout_hours``) come from ``indicators/settings.toml``, overridden by
``data/settings.toml`` and then by the file named in ``INDICATORS_SETTINGS`` (see ``load_settings``).

Nothing here imports streamlit; the UI keeps the ``User`` and the ``new_session`` dict in its session state.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import getpass
import json
import os
import secrets
import sys
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from indicators import exports, ingest, store
from indicators.store import audit_log, users

Role = Literal["viewer", "statistician", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
Reason = Literal["ok", "unknown", "wrong_password", "locked", "disabled"]

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
LOCAL_TZ = dt.timezone(dt.timedelta(hours=8), "UTC+8")  # China Standard Time: messages and the audit CSV
OUT_OF_SCOPE_ZH = "不属于您负责的辖区"

# argon2id with the RFC 9106 "low memory" parameters (64 MiB, 3 passes, 4 lanes). Tests may swap in a cheaper one.
HASHER = PasswordHasher()

DEFAULT_SETTINGS = Path(__file__).with_name("settings.toml")


class AuthError(ValueError):
    """An account operation was refused; the message is bilingual ("中文 / English") and never holds a password."""


class PermissionDenied(AuthError):
    """The user may not do this (role, scope, or account disabled)."""


# --- settings ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    login_required: bool = False  # False: reading is open (intranet); True: every page needs a login
    idle_timeout_hours: float = 8.0

    @property
    def idle_timeout(self) -> dt.timedelta:
        return dt.timedelta(hours=self.idle_timeout_hours)


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the package file, overridden by data/settings.toml, INDICATORS_SETTINGS and ``path`` in turn."""
    values: dict[str, object] = {}
    candidates = [DEFAULT_SETTINGS, store.PROJECT_ROOT / "data" / "settings.toml"]
    if os.environ.get("INDICATORS_SETTINGS"):
        candidates.append(Path(os.environ["INDICATORS_SETTINGS"]))
    if path is not None:
        candidates.append(Path(path))
    for candidate in candidates:
        if candidate.is_file():
            with candidate.open("rb") as handle:
                values.update(tomllib.load(handle))
    unknown = set(values) - set(Settings.__dataclass_fields__)
    if unknown:
        raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    login_required = values.get("login_required", False)
    hours = values.get("idle_timeout_hours", 8.0)
    if not isinstance(login_required, bool):
        raise ValueError("login_required must be true or false")
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not hours > 0:
        raise ValueError("idle_timeout_hours must be a positive number")
    return Settings(login_required=login_required, idle_timeout_hours=float(hours))


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


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes: they are UTC (store.now())."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _user(row) -> User:
    return User(name=row.name, role=row.role, scopes=tuple(row.scopes or ()), disabled=bool(row.disabled),
                email=row.email, locked_until=_aware(row.locked_until))


def normalise_name(name: str) -> str:
    """Account names are compared after NFKC (full-width letters = ASCII) and trimming."""
    return unicodedata.normalize("NFKC", name or "").strip()


def _check_name(name: str) -> str:
    name = normalise_name(name)
    if not name or len(name) > 80:
        raise AuthError("用户名须为 1–80 个字符 / a user name has 1 to 80 characters")
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in name) or name.startswith("-"):
        raise AuthError(f"用户名“{name}”含空格、控制字符或以 - 开头 / user name {name!r} holds spaces or control "
                        "characters, or starts with -")
    return name


def _check_password(password: str, name: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符 / the password needs at least {MIN_PASSWORD_LENGTH} "
                        "characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AuthError(f"密码过长（最多 {MAX_PASSWORD_LENGTH} 个字符） / the password is too long")
    if password.strip().lower() == name.lower():
        raise AuthError("密码不能与用户名相同 / the password must differ from the user name")


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = unicodedata.normalize("NFKC", email).strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in email) or len(email) > 254:
        raise AuthError(f"电子邮箱“{email}”无效 / invalid e-mail address {email!r}")
    return email


def _plan_jurisdictions(conn: Connection) -> dict[str, str]:
    """{plan id: jurisdiction} from the plans table (synchronised from the catalogue by init-db)."""
    return dict(conn.execute(select(store.plans.c.id, store.plans.c.jurisdiction)).all())


def _check_scopes(conn: Connection, role: str, scopes: Iterable[str]) -> list[str]:
    scopes = list(dict.fromkeys(unicodedata.normalize("NFKC", s).strip() for s in scopes if s and s.strip()))
    if role != "statistician":
        if scopes:
            raise AuthError(f"只有统计员有负责范围（{role} 不需要 --scope） / only statisticians have scopes, "
                            f"not {role}")
        return []
    if not scopes:
        raise AuthError("统计员至少需要一个负责范围（辖区或计划编号，--scope） / a statistician needs at least one "
                        "scope (a jurisdiction or plan id, --scope)")
    plans = _plan_jurisdictions(conn)
    known = set(plans) | set(plans.values())
    unknown = [s for s in scopes if s not in known]
    if unknown:
        if not plans:
            raise AuthError("数据库中还没有计划，请先运行 `python -m indicators init-db` / no plans in the database "
                            "yet: run `python -m indicators init-db` first")
        raise AuthError(f"未知的辖区或计划：{'、'.join(unknown)}；可选：{'、'.join(sorted(known))} / unknown "
                        f"jurisdiction or plan: {', '.join(unknown)}")
    return scopes


def get_user(engine: Engine, name: str) -> User | None:
    """The account called ``name`` (after NFKC and trimming), or None."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == normalise_name(name))).first()
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
        row = conn.execute(select(users).where(users.c.email == email)).first()
    return _user(row) if row is not None else None


def list_users(engine: Engine) -> list[User]:
    """Every account, by name."""
    with engine.connect() as conn:
        return [_user(row) for row in conn.execute(select(users).order_by(users.c.name))]


def _account_change(engine: Engine, actor: str, action: str, name: str, detail: dict, change) -> None:
    """Run ``change(conn)`` and audit it in the same transaction; a refusal is audited (ok=False) and re-raised."""
    try:
        with store.write_transaction(engine) as conn:
            change(conn)
            audit(conn, actor, action, name, detail)
    except AuthError as exc:
        audit(engine, actor, action, name, {**detail, "error": str(exc)}, ok=False)
        raise


def _require_row(conn: Connection, name: str):
    row = conn.execute(select(users).where(users.c.name == name).with_for_update()).first()
    if row is None:
        raise AuthError(f"用户“{name}”不存在 / no user called {name!r}")
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
            raise AuthError(f"未知角色“{role}”，可选 {'、'.join(ROLES)} / unknown role {role!r}; one of {', '.join(ROLES)}")
        email = _check_email(email)
        if password is None:
            if email is None:
                raise AuthError("没有密码的账户（仅单点登录）需要电子邮箱 / an account without a password (single "
                                "sign-on only) needs an e-mail address")
            password_hash = None
        else:
            _check_password(password, name)
            password_hash = HASHER.hash(password)
    except AuthError as exc:
        audit(engine, actor, "user_add", name[:200], {**detail, "error": str(exc)}, ok=False)
        raise
    created: list[User] = []

    def change(conn: Connection) -> None:
        checked = _check_scopes(conn, role, scopes)
        detail["scopes"], detail["email"] = checked, email
        if conn.execute(select(users.c.id).where(users.c.name == name)).first() is not None:
            raise AuthError(f"用户“{name}”已存在 / user {name!r} already exists")
        if email and conn.execute(select(users.c.id).where(users.c.email == email)).first() is not None:
            raise AuthError(f"电子邮箱 {email} 已被其他用户使用 / e-mail {email} belongs to another user")
        stamp = store.now()
        try:
            conn.execute(users.insert().values(
                name=name, role=role, scopes=checked, password_hash=password_hash, disabled=False,
                failed_logins=0, locked_until=None, created_at=stamp, updated_at=stamp, email=email))
        except IntegrityError as exc:  # a concurrent add of the same name
            raise AuthError(f"用户“{name}”已存在 / user {name!r} already exists") from exc
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
    password_hash = HASHER.hash(password)

    def change(conn: Connection) -> None:
        _require_row(conn, name)
        conn.execute(update(users).where(users.c.name == name).values(
            password_hash=password_hash, failed_logins=0, locked_until=None, updated_at=store.now()))

    _account_change(engine, actor, "user_passwd", name, {}, change)


def _set_disabled(engine: Engine, name: str, disabled: bool, actor: str) -> None:
    name = normalise_name(name)

    def change(conn: Connection) -> None:
        _require_row(conn, name)
        values = {"disabled": disabled, "updated_at": store.now()}
        if not disabled:
            values.update(failed_logins=0, locked_until=None)
        conn.execute(update(users).where(users.c.name == name).values(**values))

    _account_change(engine, actor, "user_disable" if disabled else "user_enable", name, {}, change)


def disable_user(engine: Engine, name: str, actor: str = "cli") -> None:
    """Disable an account: it can no longer log in, and a signed-in session of it loses every write right at once."""
    _set_disabled(engine, name, True, actor)


def enable_user(engine: Engine, name: str, actor: str = "cli") -> None:
    """Re-enable a disabled account (also clears a lockout)."""
    _set_disabled(engine, name, False, actor)


# --- login ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LoginResult:
    ok: bool
    user: User | None
    reason: Reason
    locked_until: dt.datetime | None = None


_DUMMY_HASHES: dict[tuple, str] = {}


def _dummy_hash() -> str:
    """A hash of a random password with the current HASHER's parameters (so that checking it costs the same)."""
    key = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism, HASHER.hash_len, HASHER.salt_len, HASHER.type)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = HASHER.hash(secrets.token_urlsafe(24))
    return _DUMMY_HASHES[key]


def _verify(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user or a missing hash costs the same as a real check."""
    try:
        return HASHER.verify(password_hash or _dummy_hash(), password or "") and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def authenticate(engine: Engine, name: str, password: str, now: dt.datetime | None = None) -> LoginResult:
    """Check a name and password; audit the attempt; apply the lockout rule.

    reason: ``ok``; ``unknown`` (no such user) or ``wrong_password`` (show both as the same message, see
    login_message); ``locked`` (five failures in a row: refused for 15 minutes even with the right password);
    ``disabled`` (only said when the password was right, so a guesser learns nothing).
    """
    now = now or store.now()
    name = normalise_name(name)[:80]
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        _verify(None, password)  # the same time as a real check: the answer does not tell whether the name exists
        return _login_done(engine, name, now, LoginResult(False, None, "unknown"))
    locked_until = _aware(row.locked_until)
    if locked_until is not None and locked_until > now:
        return _login_done(engine, name, now, LoginResult(False, None, "locked", locked_until))
    if row.disabled:
        reason: Reason = "disabled" if _verify(row.password_hash, password) else "wrong_password"
        return _login_done(engine, name, now, LoginResult(False, None, reason))

    correct = _verify(row.password_hash, password)  # the slow part, outside the write transaction
    with store.write_transaction(engine) as conn:
        fresh = conn.execute(select(users).where(users.c.name == name).with_for_update()).first()
        locked_until = _aware(fresh.locked_until)
        if locked_until is not None and locked_until > now:  # locked by a concurrent attempt meanwhile
            result = LoginResult(False, None, "locked", locked_until)
        elif correct:
            values: dict = {"failed_logins": 0, "locked_until": None}
            if HASHER.check_needs_rehash(fresh.password_hash):
                values["password_hash"] = HASHER.hash(password)
            conn.execute(update(users).where(users.c.id == fresh.id).values(**values))
            result = LoginResult(True, dataclasses.replace(_user(fresh), locked_until=None), "ok")
        else:
            expired = locked_until is not None and locked_until <= now
            failures = (0 if expired else fresh.failed_logins) + 1
            lock = now + LOCKOUT if failures >= MAX_FAILED_LOGINS else None
            conn.execute(update(users).where(users.c.id == fresh.id).values(failed_logins=failures, locked_until=lock))
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
    """The sentence to show for a login result; unknown user and wrong password read the same."""
    zh = lang == "zh"
    if result.ok:
        return "登录成功" if zh else "Signed in"
    if result.reason == "locked" or result.locked_until is not None:
        until = (result.locked_until or store.now()).astimezone(LOCAL_TZ).strftime("%H:%M")
        return (f"连续 {MAX_FAILED_LOGINS} 次登录失败，账户已锁定，请于 {until} 后再试" if zh else
                f"{MAX_FAILED_LOGINS} failed logins in a row: the account is locked until {until} (UTC+8)")
    if result.reason == "disabled":
        return "该账户已停用，请联系管理员" if zh else "This account is disabled; ask an administrator"
    return "用户名或密码错误" if zh else "Wrong user name or password"


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


# --- write scope ---------------------------------------------------------------------------------------------------
def can_write(user: User | None, jurisdiction: str, plan_id: str | None = None) -> bool:
    """May ``user`` write (template, commit, rollback) the actuals of this jurisdiction / plan? Pure: no database.

    Admins: always. Statisticians: when the jurisdiction, or the plan, is one of their scopes. Others: never.
    """
    if user is None or not user.may_write:
        return False
    if user.role == "admin":
        return True
    return jurisdiction in user.scopes or (plan_id is not None and plan_id in user.scopes)


def _fresh(engine: Engine, user: User | str | None) -> User | None:
    """The user as stored now (a disabled or changed account takes effect at once), or None."""
    if user is None:
        return None
    stored = get_user(engine, user if isinstance(user, str) else user.name)
    return stored if stored is not None and stored.may_write else None


def write_scope(engine: Engine, user: User | str | None) -> set[str] | None:
    """Jurisdictions ``user`` may write: None = every one (admin); an empty set = none (viewer, disabled, unknown).

    A statistician's plan scope counts as the plan's jurisdiction here, because uploads are checked by jurisdiction
    (ingest.validate_upload's allowed_jurisdictions); validate_upload_as narrows that to the plan.
    """
    user = _fresh(engine, user)
    if user is None:
        return set()
    if user.role == "admin":
        return None
    with engine.connect() as conn:
        plans = _plan_jurisdictions(conn)
    return {plans.get(scope, scope) for scope in user.scopes}


def writable_plans(engine: Engine, user: User | str | None) -> set[str] | None:
    """Plan ids whose template ``user`` may download and whose actuals it may write: None = all (admin)."""
    user = _fresh(engine, user)
    if user is None:
        return set()
    if user.role == "admin":
        return None
    with engine.connect() as conn:
        plans = _plan_jurisdictions(conn)
    return {plan for plan, jurisdiction in plans.items() if can_write(user, jurisdiction, plan)}


def _target_places(conn: Connection, target_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    ids = sorted(set(target_ids))
    query = select(store.targets.c.id, store.targets.c.jurisdiction, store.targets.c.plan_id)
    if len(ids) <= 500:
        query = query.where(store.targets.c.id.in_(ids))
    return {row.id: (row.jurisdiction, row.plan_id) for row in conn.execute(query)}


def _out_of_scope(engine: Engine, user: User, report: ingest.ValidationReport) -> list[ingest.Issue]:
    """One error per parsed row whose target the user may not write."""
    if user.role == "admin":
        return []
    with engine.connect() as conn:
        places = _target_places(conn, (p.target_id for p in report.parsed))
    issues = []
    for parsed in report.parsed:
        jurisdiction, plan_id = places.get(parsed.target_id, ("?", "?"))
        if not can_write(user, jurisdiction, plan_id):
            issues.append(ingest.Issue(
                parsed.row, "target_id", f"指标“{parsed.target_id}”属于{jurisdiction}（{plan_id}），{OUT_OF_SCOPE_ZH}",
                f"target {parsed.target_id!r} belongs to {jurisdiction} ({plan_id}), outside your scope"))
    return issues


def validate_upload_as(engine: Engine, user: User | str | None, data: bytes, file_name: str,
                       **kwargs) -> ingest.ValidationReport:
    """ingest.validate_upload with the user's scope: every row outside it is an error (row, id, "不属于您负责的辖区").

    Checks jurisdictions (through allowed_jurisdictions) and, for statisticians scoped to a plan, the plan too.
    A user who may not write at all gets every row as such an error.
    """
    fresh = _fresh(engine, user)
    scope = write_scope(engine, fresh)
    report = ingest.validate_upload(engine, data, file_name, allowed_jurisdictions=scope, **kwargs)
    if fresh is not None and fresh.role != "admin":
        extra = _out_of_scope(engine, fresh, report)
        if extra:
            report.errors = sorted(report.errors + extra, key=lambda issue: issue.row)
    return report


def _deny(engine: Engine, actor: str, action: str, target: str, detail: dict, zh: str, en: str) -> PermissionDenied:
    error = PermissionDenied(f"{zh} / {en}")
    audit(engine, actor, action, target, {**detail, "error": str(error)}, ok=False)
    return error


def commit_as(engine: Engine, user: User | str, report: ingest.ValidationReport, data: bytes,
              **kwargs) -> ingest.CommitResult:
    """ingest.commit_upload on behalf of ``user`` (the batch's uploader), after checking its scope again; audited.

    Raises PermissionDenied (audited, nothing written) when the user may not write every row of the report.
    ``kwargs`` go to commit_upload (archive_dir, is_demo, ...).
    """
    name = user if isinstance(user, str) else user.name
    detail = {"file": report.file_name, "sha256": report.sha256, "rows": len(report.parsed)}
    fresh = _fresh(engine, name)
    if fresh is None:
        raise _deny(engine, name, "commit", report.file_name, detail,
                    "只有本辖区统计员或管理员可以提交数据", "only a statistician of the jurisdiction or an admin may commit")
    outside = _out_of_scope(engine, fresh, report)
    if outside:
        raise _deny(engine, name, "commit", report.file_name, {**detail, "rows_out_of_scope": len(outside)},
                    f"{len(outside)} 行{OUT_OF_SCOPE_ZH}", f"{len(outside)} row(s) outside your scope")
    try:
        result = ingest.commit_upload(engine, report, data, uploader=fresh.name, **kwargs)
    except Exception as exc:
        audit(engine, name, "commit", report.file_name, {**detail, "error": f"{type(exc).__name__}: {exc}"[:500]},
              ok=False)
        raise
    record_commit(engine, fresh.name, report, result)
    return result


def record_commit(engine_or_conn: Engine | Connection, actor: str, report: ingest.ValidationReport,
                  result: ingest.CommitResult) -> None:
    """Audit a commit done by ingest.commit_upload (for callers that commit themselves, such as the CLI)."""
    target = f"batch {result.batch_id}" if result.batch_id is not None else report.file_name
    detail = {"file": report.file_name, "sha256": report.sha256, "batch_id": result.batch_id,
              "written": result.written, "unchanged": result.unchanged, "duplicate_of": report.duplicate_of}
    audit(engine_or_conn, actor, "commit", target, detail)


def _batch_places(conn: Connection, batch_id: int) -> tuple[bool, str | None, set[tuple[str, str]]]:
    batch = conn.execute(select(store.batches.c.uploader).where(store.batches.c.id == batch_id)).first()
    if batch is None:
        return False, None, set()
    query = (select(store.targets.c.jurisdiction, store.targets.c.plan_id).distinct()
             .join(store.observations, store.observations.c.target_id == store.targets.c.id)
             .where(store.observations.c.batch_id == batch_id))
    return True, batch.uploader, {(row.jurisdiction, row.plan_id) for row in conn.execute(query)}


def can_rollback(engine: Engine, user: User | str | None, batch_id: int) -> bool:
    """May ``user`` roll this batch back? Admins: yes. Statisticians: when every value in it is in their scope
    (a batch that wrote nothing: only its own uploader). Unknown batches: False."""
    fresh = _fresh(engine, user)
    if fresh is None:
        return False
    with engine.connect() as conn:
        exists, uploader, places = _batch_places(conn, batch_id)
    if not exists:
        return False
    if fresh.role == "admin":
        return True
    if not places:
        return uploader == fresh.name
    return all(can_write(fresh, jurisdiction, plan_id) for jurisdiction, plan_id in places)


def rollback_as(engine: Engine, user: User | str, batch_id: int) -> dict:
    """store.rollback_batch on behalf of ``user`` after checking its scope; audited (refusals too).

    Raises PermissionDenied, or store.RollbackError for an unknown or already rolled-back batch.
    """
    name = user if isinstance(user, str) else user.name
    target = f"batch {batch_id}"
    with engine.connect() as conn:
        exists = _batch_places(conn, batch_id)[0]
    if exists and not can_rollback(engine, name, batch_id):
        raise _deny(engine, name, "rollback", target, {"batch_id": batch_id},
                    f"您无权撤销批次 {batch_id}（含{OUT_OF_SCOPE_ZH}的数据）",
                    f"you may not roll back batch {batch_id} (it holds values outside your scope)")
    if _fresh(engine, name) is None:
        raise _deny(engine, name, "rollback", target, {"batch_id": batch_id},
                    "只有统计员或管理员可以撤销批次", "only a statistician or an admin may roll back")
    try:
        row = store.rollback_batch(engine, batch_id, user=name)
    except store.RollbackError as exc:
        audit(engine, name, "rollback", target, {"batch_id": batch_id, "error": str(exc)}, ok=False)
        raise
    record_rollback(engine, name, batch_id, row)
    return row


def record_rollback(engine_or_conn: Engine | Connection, actor: str, batch_id: int, row: dict) -> None:
    """Audit a rollback done by store.rollback_batch (for callers that roll back themselves, such as the CLI)."""
    audit(engine_or_conn, actor, "rollback", f"batch {batch_id}",
          {"batch_id": batch_id, "file": row.get("file_name"), "rows_written": row.get("rows_written")})


def cli_import_scope(engine: Engine, user_name: str) -> set[str] | None | int:
    """For `python -m indicators import --user NAME`: the jurisdictions NAME may write (None = all, for an admin),
    or exit code 1 (with a message on stderr) when NAME is unknown, disabled or may not write."""
    user = get_user(engine, user_name)
    if user is None:
        print(f"用户“{normalise_name(user_name)}”不存在 / no user called {user_name!r}", file=sys.stderr)
        return 1
    if user.disabled:
        print(f"用户“{user.name}”已停用 / user {user.name!r} is disabled", file=sys.stderr)
        return 1
    if not user.may_write:
        print(f"用户“{user.name}”的角色是 {user.role}，不能上报数据 / user {user.name!r} is a {user.role} and may not "
              "import actuals", file=sys.stderr)
        return 1
    return write_scope(engine, user)


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


def audit_rows(engine: Engine, actor: str | None = None, action: str | None = None,
               since: dt.datetime | dt.date | None = None, until: dt.datetime | dt.date | None = None,
               ok: bool | None = None, limit: int = 1000) -> list[dict]:
    """Audit rows, newest first: {id, at (China time, UTC+8), actor, action, target, ok, detail}.

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
    return [{"id": r.id, "at": _aware(r.at).astimezone(LOCAL_TZ), "actor": r.actor, "action": r.action,
             "target": r.target, "ok": bool(r.ok), "detail": r.detail or {}} for r in rows]


AUDIT_HEADER = {"zh": ["编号", "时间（北京时间）", "操作人", "操作", "对象", "成功", "详情"],
                "en": ["id", "time (UTC+8)", "actor", "action", "target", "ok", "detail"]}


def audit_table(rows: list[dict], lang: str = "zh") -> list[dict]:
    """audit_rows flattened for display (st.dataframe) and CSV: headers in ``lang``, every cell a plain value,
    the detail as one JSON string."""
    zh = lang == "zh"
    header = AUDIT_HEADER["zh" if zh else "en"]
    table = []
    for r in rows:
        at = r["at"].strftime("%Y-%m-%d %H:%M:%S") if isinstance(r["at"], dt.datetime) else r["at"]
        ok = ("是" if r["ok"] else "否") if zh else str(bool(r["ok"])).lower()
        detail = json.dumps(r["detail"], ensure_ascii=False, sort_keys=True) if r["detail"] else ""
        table.append(dict(zip(header, [r["id"], at, r["actor"], r["action"], r["target"] or "", ok, detail],
                              strict=True)))
    return table


def audit_csv(rows: list[dict], lang: str = "zh") -> bytes:
    """audit_rows as a CSV download: UTF-8 with BOM, formula-like cells escaped (exports.safe_cell)."""
    header = AUDIT_HEADER["zh" if lang == "zh" else "en"]
    return exports.csv_bytes(header, [list(row.values()) for row in audit_table(rows, lang)])


# --- command line: `python -m indicators user ...` ------------------------------------------------------------------
def _cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"[:80]
    except (KeyError, OSError):
        return "cli"


def _cli_engine() -> Engine:
    engine = store.make_engine()
    store.migrate(engine)  # idempotent: the accounts tables exist even before the first init-db
    return engine


def read_password(confirm: bool = True) -> str:
    """The new password: asked twice without echo on a terminal, else the first line of stdin (for scripts)."""
    if sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass("密码 / password: ")
        if confirm and getpass.getpass("再输入一次 / again: ") != password:
            raise AuthError("两次输入的密码不一致 / the passwords differ")
        return password
    line = sys.stdin.readline() if sys.stdin is not None else ""
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise AuthError("标准输入中没有密码 / no password on standard input")
    return password


def _run(action) -> int:
    try:
        message = action()
    except AuthError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if message:
        print(message)
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    def action() -> str:
        password = None if args.no_password else read_password()
        user = add_user(_cli_engine(), args.name, args.role, password, args.scope or [], _cli_actor(), args.email)
        scope = f" scope: {', '.join(user.scopes)}" if user.scopes else ""
        return f"added user {user.name} ({user.role}){scope}"
    return _run(action)


def cmd_user_passwd(args: argparse.Namespace) -> int:
    def action() -> str:
        engine = _cli_engine()
        if get_user(engine, args.name) is None:  # say so before asking for a password
            raise AuthError(f"用户“{normalise_name(args.name)}”不存在 / no user called {args.name!r}")
        set_password(engine, args.name, read_password(), _cli_actor())
        return f"password changed for {normalise_name(args.name)}"
    return _run(action)


def cmd_user_disable(args: argparse.Namespace) -> int:
    def action() -> str:
        disable_user(_cli_engine(), args.name, _cli_actor())
        return f"disabled {normalise_name(args.name)}"
    return _run(action)


def cmd_user_enable(args: argparse.Namespace) -> int:
    def action() -> str:
        enable_user(_cli_engine(), args.name, _cli_actor())
        return f"enabled {normalise_name(args.name)}"
    return _run(action)


def cmd_user_list(args: argparse.Namespace) -> int:
    accounts = list_users(_cli_engine())
    now = store.now()
    if args.json:
        print(json.dumps([{"name": u.name, "role": u.role, "scopes": list(u.scopes), "email": u.email,
                           "disabled": u.disabled,
                           "locked_until": u.locked_until.isoformat() if u.locked_until and u.locked_until > now else None}
                          for u in accounts], ensure_ascii=False, indent=2))
        return 0
    if not accounts:
        print("no users yet: add the first admin with `python -m indicators user add NAME --role admin`")
        return 0
    for u in accounts:
        state = "disabled" if u.disabled else "active"
        if u.locked_until and u.locked_until > now:
            state += f", locked until {u.locked_until.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M} UTC+8"
        print(f"{u.name:<20} {u.role:<13} {state:<10} {','.join(u.scopes) or '-':<30} {u.email or ''}".rstrip())
    return 0


def add_parser(subparsers) -> None:
    """Register `user add | passwd | disable | enable | list` on the CLI's subparsers."""
    parser = subparsers.add_parser("user", help="accounts: add | passwd | disable | enable | list")
    commands = parser.add_subparsers(dest="user_command", required=True)

    p = commands.add_parser("add", help="create an account (the password is asked for, or read from stdin)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--scope", action="extend", nargs="+", metavar="JURISDICTION_OR_PLAN",
                   help="statisticians: a jurisdiction (聊城市) or plan id; repeatable")
    p.add_argument("--email", help="matches the single sign-on (OIDC) identity")
    p.add_argument("--no-password", action="store_true", help="single sign-on only (needs --email)")
    p.set_defaults(func=cmd_user_add)

    p = commands.add_parser("passwd", help="set a new password (also unlocks)")
    p.add_argument("name")
    p.set_defaults(func=cmd_user_passwd)

    p = commands.add_parser("disable", help="disable an account")
    p.add_argument("name")
    p.set_defaults(func=cmd_user_disable)

    p = commands.add_parser("enable", help="re-enable a disabled account (also unlocks)")
    p.add_argument("name")
    p.set_defaults(func=cmd_user_enable)

    p = commands.add_parser("list", help="list the accounts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_user_list)
