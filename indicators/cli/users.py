"""`python -m indicators user ...`: add, passwd, disable, enable, list."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from sqlalchemy.engine import Engine

from indicators import service, store
from indicators.accounts.users import ROLES, AuthError, get_user, list_users, normalise_name
from indicators.cli.common import add_lang, cli_actor, pad
from indicators.i18n import t
from indicators.store.audit import LOCAL_TZ


# --- command line: `python -m indicators user ...` ------------------------------------------------------------------
def _actor(engine: Engine, args: argparse.Namespace):
    """--user NAME signed in (an admin may change accounts), else the server's operator; AuthError when refused."""
    actor = cli_actor(engine, getattr(args, "user", None), args.lang)
    if actor is None:
        raise AuthError("")  # cli_actor has said why on stderr
    return actor


def _cli_engine() -> Engine:
    engine = store.make_engine()
    store.migrate(engine)  # idempotent: the accounts tables exist even before the first init-db
    return engine


def read_password(confirm: bool = True, lang: str = "zh") -> str:
    """The new password: asked twice without echo on a terminal, else the first line of stdin (for scripts)."""
    if sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass(t("cli.new_password", lang))
        if confirm and getpass.getpass(t("cli.password_again", lang)) != password:
            raise AuthError("passwords_differ")
        return password
    line = sys.stdin.readline() if sys.stdin is not None else ""
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise AuthError("no_password_on_stdin")
    return password


def _run(action, lang: str = "zh") -> int:
    try:
        message = action()
    except (service.Denied, AuthError) as exc:
        if exc.message(lang):  # an empty AuthError: cli_actor has said why already
            print(exc.message(lang), file=sys.stderr)
        return 1
    if message:
        print(message)
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    def action() -> str:
        engine = _cli_engine()
        actor = _actor(engine, args)
        password = None if args.no_password else read_password(lang=args.lang)
        user = service.add_user(engine, actor, args.name, role=args.role, password=password, scopes=args.scope or [],
                                email=args.email)
        scope = t("cli.user_scope", args.lang, scopes=t("cli.list_separator", args.lang).join(user.scopes)) if user.scopes else ""
        return t("cli.user_added", args.lang, name=user.name, role=user.role, scope=scope)
    return _run(action, args.lang)


def cmd_user_passwd(args: argparse.Namespace) -> int:
    def action() -> str:
        engine = _cli_engine()
        actor = _actor(engine, args)
        if get_user(engine, args.name) is None:  # say so before asking for a password
            raise AuthError("no_such_user", name=normalise_name(args.name))
        service.set_password(engine, actor, args.name, password=read_password(lang=args.lang))
        return t("cli.password_changed", args.lang, name=normalise_name(args.name))
    return _run(action, args.lang)


def cmd_user_disable(args: argparse.Namespace) -> int:
    def action() -> str:
        engine = _cli_engine()
        service.disable_user(engine, _actor(engine, args), args.name)
        return t("cli.user_disabled", args.lang, name=normalise_name(args.name))
    return _run(action, args.lang)


def cmd_user_enable(args: argparse.Namespace) -> int:
    def action() -> str:
        engine = _cli_engine()
        service.enable_user(engine, _actor(engine, args), args.name)
        return t("cli.user_enabled", args.lang, name=normalise_name(args.name))
    return _run(action, args.lang)


def cmd_user_unlock(args: argparse.Namespace) -> int:
    def action() -> str:
        engine = _cli_engine()
        service.unlock_user(engine, _actor(engine, args), args.name)
        return t("cli.user_unlocked", args.lang, name=normalise_name(args.name))
    return _run(action, args.lang)


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
        print(t("cli.no_users", args.lang))
        return 0
    for u in accounts:
        state = t("cli.state_disabled" if u.disabled else "cli.state_active", args.lang)
        if u.locked_until and u.locked_until > now:
            state = t("cli.locked_until", args.lang, state=state,
                      time=f"{u.locked_until.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}")
        print(f"{pad(u.name, 20)} {u.role:<13} {pad(state, 10)} {pad(','.join(u.scopes) or '-', 30)} "
              f"{u.email or ''}".rstrip())
    return 0


def add_parser(subparsers, lang: str = "zh") -> None:
    """Register `user add | passwd | disable | enable | list` on the CLI's subparsers, their --help in ``lang``."""
    def h(key: str) -> str:
        return t(f"cli.help.user.{key}", lang)

    parser = subparsers.add_parser("user", help=h("help"), description=h("help"))
    commands = parser.add_subparsers(dest="user_command", required=True, title=t("cli.help.commands", lang))

    p = commands.add_parser("add", help=h("add"), description=h("add"))
    p.add_argument("name", help=h("name"))
    p.add_argument("--role", required=True, choices=ROLES, help=h("role"))
    p.add_argument("--scope", action="extend", nargs="+", metavar="JURISDICTION_OR_PLAN", help=h("scope"))
    p.add_argument("--email", help=h("email"))
    p.add_argument("--no-password", action="store_true", help=h("no_password"))
    p.set_defaults(func=cmd_user_add)

    for command, func in (("passwd", cmd_user_passwd), ("disable", cmd_user_disable), ("enable", cmd_user_enable),
                          ("unlock", cmd_user_unlock)):
        p = commands.add_parser(command, help=h(command), description=h(command))
        p.add_argument("name", help=h("name"))
        p.set_defaults(func=func)

    for command in ("add", "passwd", "disable", "enable", "unlock"):
        commands.choices[command].add_argument("--user", dest="user", help=h("admin"))
        add_lang(commands.choices[command], lang)

    p = commands.add_parser("list", help=h("list"), description=h("list"))
    p.add_argument("--json", action="store_true", help=h("json"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_user_list)
