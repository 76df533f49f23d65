"""`python -m indicators ...`: the command line. One module per group of commands; this one builds the parser."""

from __future__ import annotations

import argparse

from indicators import authoring
from indicators.cli import reporting as cli_reporting
from indicators.cli import users as cli_users
from indicators.cli.actuals import cmd_import, cmd_rollback, cmd_template
from indicators.cli.catalogue_cmds import cmd_init_db, cmd_validate
from indicators.cli.common import add_lang
from indicators.cli.reports import cmd_bench, cmd_demo, cmd_export, cmd_status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indicators", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the catalogue against DESIGN §3; exit 1 listing every problem")
    p.add_argument("--targets", default=None)
    p.add_argument("--exclusions", default=None)
    p.add_argument("--coverage", action="store_true",
                   help="also run the extractor over the sources and list candidates neither catalogued nor excluded")
    p.add_argument("--no-coverage", action="store_true", help="skip the coverage check")
    p.add_argument("--plans", help="take plans and sectors from this file instead of the targets file")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="the language of the problems' sentences")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object: counts, each problem with its code, params and message (not with --coverage)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("init-db", help="create or migrate the schema and sync the catalogue")
    add_lang(p)
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser("template", help="write the actuals template for a plan and month")
    p.add_argument("--plan", required=True)
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--out", help="output file (default PLAN_PERIOD_actuals.csv)")
    add_lang(p)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help="validate and commit an actuals CSV/XLSX")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--user", help="sign in as this account (password: INDICATORS_PASSWORD or asked for); its scope "
                   "is enforced. Without it: the server's operator, audited as os:<login name>")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("rollback", help="roll a batch back")
    p.add_argument("batch_id", type=int)
    p.add_argument("--user", help="sign in as this account, as for import")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("status", help="progress of every target as of a month")
    p.add_argument("--as-of", help="YYYY-MM (default: the latest month with enough reports in; said on stderr)")
    p.add_argument("--plan")
    p.add_argument("--by", choices=["sector", "unit", "division", "jurisdiction", "plan"],
                   help="roll up instead of listing (unit: canonical departments; division: a bureau's divisions apart)")
    p.add_argument("--json", action="store_true")
    add_lang(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("export", help="write the briefing pack of PNG charts")
    p.add_argument("--as-of", required=True, help="YYYY-MM")
    p.add_argument("--out", help="output directory of the pack (PNG charts, index.csv, ZIP)")
    p.add_argument("--pptx", metavar="OUT", help="write the PowerPoint deck (16:9) to this .pptx file")
    p.add_argument("--plan")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--size", choices=["slide", "a4"], default="slide")
    p.add_argument("--docx", action="store_true", help="also write a Word briefing per plan")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="load the clearly-labelled synthetic demo actuals")
    p.add_argument("--if-empty", action="store_true", help="only when the database holds no actuals yet")
    add_lang(p)
    p.set_defaults(func=cmd_demo)

    # `bench` has no --lang: the team's developer tool prints English only (see cli/reports.py cmd_bench)
    p = sub.add_parser("bench", help="benchmarks: import | status | export | upload-worst | pages")
    p.add_argument("what", choices=["import", "status", "export", "upload-worst", "pages"])
    p.add_argument("--rows", type=int, help="rows for `bench import` (default 100000)")
    p.add_argument("--runs", type=int, help="rounds; medians are shown (default 3 for import, 5 for status)")
    p.add_argument("--big-targets", type=int,
                   help="`bench import`: targets of the big database, each with 36 months (default 155000: 5.5 M values)")
    p.add_argument("--sizes", default="0.25,1,4",
                   help="`bench status`: sizes as multiples of 38,000 targets / 1.37 M observations (default 0.25,1,4)")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--url", help="a scratch database URL: its catalogue is replaced (default: fresh SQLite files in a temp dir)")
    p.set_defaults(func=cmd_bench)

    authoring.add_parser(sub)
    cli_users.add_parser(sub)
    cli_reporting.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)
