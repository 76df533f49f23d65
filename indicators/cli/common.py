"""Helpers shared by the commands: printing problems, month arguments, the engine."""

from __future__ import annotations

import sys

pass


def _print_problems(problems: list) -> None:
    for problem in problems:
        print(f"  ✗ {problem}")


def month_arg(text: str) -> str | None:
    """A --period / --as-of argument as YYYY-MM, or None (after saying why on stderr)."""
    from indicators import upload

    month = upload.parse_period(text)
    if month is None:
        print(f"bad month {text!r}; use YYYY-MM", file=sys.stderr)
    return month


def _engine():
    from indicators import store

    return store.make_engine()
