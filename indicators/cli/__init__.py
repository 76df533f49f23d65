"""`python -m indicators ...`: the command line. One module per group of commands; this one builds the parser."""

from __future__ import annotations

import argparse
import sys

from indicators import authoring
from indicators.cli import reporting as cli_reporting
from indicators.cli import users as cli_users
from indicators.cli.actuals import cmd_import, cmd_rollback, cmd_template
from indicators.cli.catalogue_cmds import cmd_init_db, cmd_validate
from indicators.cli.common import add_lang
from indicators.cli.reports import cmd_bench, cmd_demo, cmd_export, cmd_status
from indicators.i18n import LANGS, t


def _help(lang: str):
    """``h("status.plan")`` -> the --help text ``cli.help.status.plan`` in ``lang``."""
    return lambda key, **values: t(f"cli.help.{key}", lang, **values)


def argv_lang(argv: list[str] | None = None) -> str:
    """The ``--lang`` of a command line, read before the parser is built so that --help speaks it too (default zh)."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _ = pre.parse_known_args(sys.argv[1:] if argv is None else argv)
    return known.lang if known.lang in LANGS else "zh"


def build_parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The whole command line, its --help texts in ``lang``."""
    h = _help(lang)
    parser = argparse.ArgumentParser(prog="python -m indicators", description=h("description"))
    sub = parser.add_subparsers(dest="command", required=True, title=h("commands"))

    p = sub.add_parser("validate", help=h("validate.help"), description=h("validate.help"))
    p.add_argument("--targets", default=None, help=h("validate.targets"))
    p.add_argument("--exclusions", default=None, help=h("validate.exclusions"))
    p.add_argument("--coverage", action="store_true", help=h("validate.coverage"))
    p.add_argument("--no-coverage", action="store_true", help=h("validate.no_coverage"))
    p.add_argument("--plans", help=h("validate.plans"))
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help=h("validate.lang"))
    p.add_argument("--json", action="store_true", help=h("validate.json"))
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("init-db", help=h("init_db.help"), description=h("init_db.help"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser("template", help=h("template.help"), description=h("template.help"))
    p.add_argument("--plan", required=True, help=h("template.plan"))
    p.add_argument("--period", required=True, help=h("month"))
    p.add_argument("--out", help=h("template.out"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help=h("import.help"), description=h("import.help"))
    p.add_argument("file", help=h("import.file"))
    p.add_argument("--dry-run", action="store_true", help=h("import.dry_run"))
    p.add_argument("--json", action="store_true", help=h("import.json"))
    p.add_argument("--user", help=h("sign_in"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("rollback", help=h("rollback.help"), description=h("rollback.help"))
    p.add_argument("batch_id", type=int, help=h("rollback.batch_id"))
    p.add_argument("--user", help=h("rollback.user"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("status", help=h("status.help"), description=h("status.help"))
    p.add_argument("--as-of", help=h("status.as_of"))
    p.add_argument("--plan", help=h("status.plan"))
    p.add_argument("--by", choices=["sector", "unit", "division", "jurisdiction", "plan"], help=h("status.by"))
    p.add_argument("--json", action="store_true", help=h("status.json"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("export", help=h("export.help"), description=h("export.help"))
    p.add_argument("--as-of", required=True, help=h("month"))
    p.add_argument("--out", help=h("export.out"))
    p.add_argument("--pptx", metavar="OUT", help=h("export.pptx"))
    p.add_argument("--plan", help=h("export.plan"))
    add_lang(p, lang)
    p.add_argument("--size", choices=["slide", "a4"], default="slide", help=h("export.size"))
    p.add_argument("--docx", action="store_true", help=h("export.docx"))
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help=h("demo.help"), description=h("demo.help"))
    p.add_argument("--if-empty", action="store_true", help=h("demo.if_empty"))
    add_lang(p, lang)
    p.set_defaults(func=cmd_demo)

    # `bench` has no --lang: the team's developer tool prints English only (see cli/reports.py cmd_bench); its
    # --help follows the command line's --lang like every other, so a statistician can read what it is
    p = sub.add_parser("bench", help=h("bench.help"), description=h("bench.help"))
    p.add_argument("what", choices=["import", "status", "export", "upload-worst", "pages"], help=h("bench.what"))
    p.add_argument("--rows", type=int, help=h("bench.rows"))
    p.add_argument("--runs", type=int, help=h("bench.runs"))
    p.add_argument("--big-targets", type=int, help=h("bench.big_targets"))
    p.add_argument("--sizes", default="0.25,1,4", help=h("bench.sizes"))
    p.add_argument("--json", action="store_true", help=h("bench.json"))
    p.add_argument("--url", help=h("bench.url"))
    p.set_defaults(func=cmd_bench)

    authoring.add_parser(sub, lang)
    cli_users.add_parser(sub, lang)
    cli_reporting.add_parser(sub, lang)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser(argv_lang(argv))
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
