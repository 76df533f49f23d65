"""Helpers shared by the commands: printing problems, month arguments, the engine."""

from __future__ import annotations

import sys
import unicodedata

from indicators.i18n import t


def _print_problems(problems: list, lang: str = "zh", file=None) -> None:
    """One line a catalogue problem: where (line) · field [code]: the sentence in ``lang``."""
    for problem in problems:
        print(f"  ✗ {problem.text(lang)}", file=file or sys.stdout)


def add_lang(parser, lang: str = "zh") -> None:
    """The ``--lang zh|en`` option every user-facing command takes (Chinese by default); its help in ``lang``."""
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help=t("cli.help.lang", lang))


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK (wide and full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def pad(text: object, columns: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns (left-aligned, or right-aligned for numbers), so
    tables line up whether their headers and names are Chinese or English."""
    text = str(text)
    fill = " " * max(columns - width(text), 0)
    return fill + text if right else text + fill


def month_arg(text: str, lang: str = "zh") -> str | None:
    """A --period / --as-of argument as YYYY-MM, or None (after saying why on stderr)."""
    from indicators import upload

    month = upload.parse_period(text)
    if month is None:
        print(t("cli.bad_month", lang, text=text), file=sys.stderr)
    return month


def _engine():
    from indicators import store

    return store.make_engine()


def cli_actor(engine, user_name: str | None, lang: str = "zh"):
    """Who a write command acts as: ``--user NAME`` signed in with its password (INDICATORS_PASSWORD, else asked
    for without echo), or the server's operator (``os:<login name>``) without it. None after a refused sign-in,
    with the one message every refusal gets (wrong password, unknown name, locked, disabled alike)."""
    import getpass

    from indicators import accounts, config, service

    if not user_name:
        return service.operator()
    password = config.env("INDICATORS_PASSWORD")
    if password is None:
        try:
            password = getpass.getpass(t("cli_password_prompt", lang, name=user_name))
        except (EOFError, KeyboardInterrupt):
            password = ""
    result = accounts.authenticate(engine, user_name, password)
    if not result.ok:
        print(accounts.login_message(result, lang), file=sys.stderr)
        return None
    return result.user
