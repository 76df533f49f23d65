"""Accounts:

passwords (argon2id), users (accounts and their scopes), login (lock-out), sessions (idle timeout), scope (who may
write what).
"""

from indicators.accounts.login import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    LoginResult,
    authenticate,
    authenticate_sso,
    login_message,
)
from indicators.accounts.passwords import (
    HASHER,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
)
from indicators.accounts.scope import (
    can_approve,
    can_rollback,
    can_write,
    writable_plans,
    write_scope,
)
from indicators.accounts.sessions import (
    new_session,
    session_user,
    session_valid,
    touch,
)
from indicators.accounts.users import (
    ROLES,
    AuthError,
    PermissionDenied,
    Reason,
    Role,
    User,
    add_user,
    disable_user,
    enable_user,
    get_user,
    get_user_by_email,
    list_users,
    normalise_name,
    set_password,
    unlock_user,
)

__all__ = [
    'MIN_PASSWORD_LENGTH', 'MAX_PASSWORD_LENGTH', 'HASHER', 'Role', 'ROLES', 'Reason', 'AuthError',
    'PermissionDenied', 'User', 'normalise_name', 'get_user', 'get_user_by_email', 'list_users', 'add_user',
    'set_password', 'unlock_user', 'disable_user', 'enable_user', 'MAX_FAILED_LOGINS', 'LOCKOUT', 'LoginResult', 'authenticate',
    'authenticate_sso', 'login_message', 'new_session', 'session_valid', 'touch', 'session_user',
    'can_write', 'write_scope', 'writable_plans', 'can_rollback', 'can_approve',
]
