"""The one error family of accounts: refused operations and denied permissions, each a code with parameters."""

from __future__ import annotations


class AuthError(ValueError):
    """An account operation was refused: ``code`` and ``params``; ``message(lang)`` is the sentence from the i18n
    catalogues (``account.<code>``; never holding a password). ``str()`` holds both languages, for the command line
    and the audit log."""

    prefix = "account"

    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params
        super().__init__(f"{self.message('zh')} / {self.message('en')}" if code else "")

    def message(self, lang: str = "zh") -> str:
        """The refusal as a sentence in ``lang``."""
        from indicators.i18n import t

        return t(f"{self.prefix}.{self.code}", lang, **self.params) if self.code else ""


class PermissionDenied(AuthError):
    """The user may not do this (role, scope, or account disabled)."""
