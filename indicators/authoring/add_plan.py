"""The ``add-plan`` command: merge a reviewed fragment into the catalogue, sync the database, audit the change."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators import config, service
from indicators.authoring.fragment import FragmentError, load_fragment
from indicators.i18n import t


def add_parser(subparsers: argparse._SubParsersAction, lang: str = "zh") -> argparse.ArgumentParser:
    """Register ``add-plan F`` (F written by ``extract FILE --plan-id ID --out F`` and reviewed), --help in ``lang``."""
    def h(key: str) -> str:
        return t(f"cli.help.add_plan.{key}", lang)

    p = subparsers.add_parser("add-plan", help=h("help"), description=h("description"))
    p.add_argument("fragment", help=h("fragment"))
    p.add_argument("--data", default=str(config.targets_path().parent), help=h("data"))
    p.add_argument("--no-db", action="store_true", help=h("no_db"))
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help=h("lang"))
    p.add_argument("--user", help=h("user"))
    p.set_defaults(func=run_add_plan)
    return p


def run_add_plan(args: argparse.Namespace) -> int:
    """Run ``add-plan``; exit 0 when the plan was added, 1 when refused (every problem printed)."""
    from indicators.cli.common import _engine, _print_problems, cli_actor

    engine = _engine()
    actor = cli_actor(engine, args.user, args.lang)
    if actor is None:
        return 1
    try:
        fragment = load_fragment(Path(args.fragment))
        result, synced = service.add_plan(engine, actor, fragment, Path(args.data), sync=not args.no_db)
    except service.Denied as exc:  # adding a plan changes the catalogue every user sees: administrators only
        print("add-plan: " + exc.message(args.lang), file=sys.stderr)
        return 1
    except FragmentError as exc:
        print(t("cli.add_plan_refused", args.lang, fragment=args.fragment, count=len(exc.problems)), file=sys.stderr)
        _print_problems(exc.problems, args.lang, sys.stderr)
        return 1
    print(t("plan_added", args.lang, plan=result.plan_id, count=len(result.target_ids)) + " "
          + t("cli.add_plan_files", args.lang, targets_file=result.targets_file, source=result.source,
              rejected=fragment.rejected))
    if result.department_ids:
        print(t("plan_departments_added", args.lang,
                ids=t("cli.list_separator", args.lang).join(result.department_ids)))
    if synced is not None:
        print(t("plan_synced", args.lang, count=synced))
    return 0
