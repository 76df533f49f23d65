"""The one error family of accounts: refused operations and denied permissions, each a code with parameters."""

from __future__ import annotations

from indicators.i18n import CodedError


class AuthError(CodedError, ValueError):
    """An account operation was refused: ``code`` and ``params``; ``message(lang)`` is the sentence from the i18n
    catalogues (``account.<code>``; never holding a password). ``str()`` holds both languages, for the command line
    and the audit log."""

    prefix = "account"


class PermissionDenied(AuthError):
    """The user may not do this (role, scope, or account disabled)."""
