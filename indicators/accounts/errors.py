"""The one error family of accounts: refused operations and denied permissions."""


class AuthError(ValueError):
    """An account operation was refused; the message is bilingual ("中文 / English") and never holds a password."""


class PermissionDenied(AuthError):
    """The user may not do this (role, scope, or account disabled)."""
